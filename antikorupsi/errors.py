"""Errors that carry every problem found, each with its place, for a friendly exit.

Every error the user may see is an :class:`AntikorupsiError` holding a list of located
:class:`Problem` values; ``antikorupsi`` prints :meth:`AntikorupsiError.render` and exits
with the error's ``exit_code`` (2 for bad input, 1 for a job that could not finish).
A long list stays short on screen: at most ``problems_per_kind`` problems of each kind
are shown (:mod:`antikorupsi.limits`), the rest are counted per kind.
"""

from __future__ import annotations

import errno as _errno
import re
from dataclasses import dataclass

__all__ = ["Problem", "AntikorupsiError", "FrameworkError", "InputError", "ScenarioError",
           "OutputError", "FileAccessError", "BusyError", "describe_os_error", "FAULT_ERRNOS"]

#: OS errors that mean "the output cannot be written here" (a fault, not a bug).
FAULT_ERRNOS = frozenset(e for e in (
    _errno.ENOSPC, getattr(_errno, "EDQUOT", None), _errno.EROFS, _errno.EACCES,
    _errno.EPERM, _errno.EFBIG, _errno.EIO, _errno.ENAMETOOLONG) if e is not None)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One located problem: where it is, what was found and what was expected."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"baris {self.row}")
        if self.column:
            what = "bagian" if self.file.endswith((".yaml", ".yml")) else "kolom"
            parts.append(f"{what} '{self.column}'")
        return ", ".join(parts)

    def kind(self) -> tuple:
        """What makes two problems "the same kind": place without the row, and the
        message with its numbers blanked (``baris 5`` and ``baris 7`` are one kind)."""
        return (self.file, self.sheet, self.column, re.sub(r"\d+", "#", self.message))

    def __str__(self) -> str:
        from .limits import current

        n = current().value_chars
        text = f"{self.location()}: {_short(self.message, 4 * n)}"
        if self.value is not None:
            text += f" (nilai: {_short(repr(self.value), n)})"
        if self.expected:
            text += f"; diharapkan: {_short(self.expected, 4 * n)}"
        return text


class AntikorupsiError(Exception):
    """Base error holding a list of located problems."""

    title = "Masalah"
    #: Exit code of the command line: 2 = bad input, 1 = the job could not finish.
    exit_code = 2
    #: Printed after the problems by the command line.
    footer = "Tidak ada keluaran yang diubah."

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self.render())

    def render(self, per_kind: int | None = None) -> str:
        """Every problem, or at most ``per_kind`` of each kind (default: the limit in
        :func:`antikorupsi.limits.current`; 0 shows all) plus a count of the rest."""
        from .fmt import angka
        from .limits import current

        lim = current()
        per_kind = lim.problems_per_kind if per_kind is None else per_kind
        n = len(self.problems)
        head = f"{self.title}: {angka(n, 0)} masalah ditemukan" if n != 1 \
            else f"{self.title}: 1 masalah"
        if per_kind <= 0 or n <= per_kind:
            return "\n".join([head] + [f"  - {p}" for p in self.problems])
        shown: dict[tuple, int] = {}
        hidden: dict[tuple, list] = {}  # kind -> [count, first problem]
        lines = [head]
        for p in self.problems:
            k = p.kind()
            if k not in shown and len(shown) >= lim.kinds_shown:
                hidden.setdefault(k, [0, p])[0] += 1
            elif shown.get(k, 0) < per_kind:
                shown[k] = shown.get(k, 0) + 1
                lines.append(f"  - {p}")
            else:
                hidden.setdefault(k, [0, p])[0] += 1
        if hidden:
            lines.append(f"  Tidak ditampilkan ({angka(sum(c for c, _ in hidden.values()), 0)}"
                         f" masalah; paling banyak {per_kind} per jenis):")
            for count, p in list(hidden.values())[: lim.kinds_shown]:
                where = Problem(p.file, "", sheet=p.sheet, column=p.column).location()
                lines.append(f"    {angka(count, 0)} lagi di {where}, mis. "
                             f"'{_short(p.message, 120)}'")
            if len(hidden) > lim.kinds_shown:
                rest = list(hidden.values())[lim.kinds_shown:]
                lines.append(f"    ... dan {angka(len(rest), 0)} jenis lain "
                             f"({angka(sum(c for c, _ in rest), 0)} masalah)")
            lines.append("  Daftar lengkap: antikorupsi validate ... --problems-csv masalah.csv "
                         "(atau ANTIKORUPSI_MAX_PROBLEMS=0)")
        return "\n".join(lines)


class FrameworkError(AntikorupsiError):
    title = "Berkas kerangka penilaian tidak valid"


class InputError(AntikorupsiError):
    title = "Data masukan tidak valid"


class ScenarioError(AntikorupsiError):
    title = "Skenario tidak valid"


class OutputError(AntikorupsiError):
    """An output could not be written (disk full, read-only folder, no permission)."""

    title = "Keluaran tidak dapat ditulis"
    exit_code = 1
    footer = "Keluaran dari proses sebelumnya tetap utuh."

    @classmethod
    def from_os_error(cls, exc: OSError, path: str | None = None) -> "OutputError":
        where = path or exc.filename or "<keluaran>"
        return cls(Problem(str(where), describe_os_error(exc)))


class FileAccessError(OutputError):
    """A file or folder could not be used (read or written) for a reason of the system."""

    title = "Berkas atau folder tidak dapat dipakai"


class BusyError(AntikorupsiError):
    """Another antikorupsi process is writing the same output folder."""

    title = "Folder keluaran sedang dipakai"
    exit_code = 1
    footer = "Tidak ada keluaran yang diubah. Tunggu proses itu selesai, lalu ulangi."


def describe_os_error(exc: OSError) -> str:
    """What an OS error means, in Bahasa Indonesia (no traceback, no English jargon)."""
    code = exc.errno
    text = {
        _errno.ENOSPC: "ruang disk penuh; kosongkan ruang lalu ulangi",
        getattr(_errno, "EDQUOT", -1): "kuota disk habis; kosongkan ruang lalu ulangi",
        _errno.EROFS: "folder hanya-baca (read-only), tidak bisa ditulisi; pilih folder "
                      "keluaran lain",
        _errno.EACCES: "izin ditolak (tidak boleh menulis atau membaca di sini)",
        _errno.EPERM: "operasi tidak diizinkan",
        _errno.EFBIG: "berkas terlalu besar untuk sistem berkas ini",
        _errno.EIO: "kesalahan masukan/keluaran perangkat disk",
        _errno.ENAMETOOLONG: "nama berkas terlalu panjang",
        _errno.ENOENT: "berkas atau folder tidak ditemukan",
        _errno.ENOTDIR: "bagian dari path bukan folder",
        _errno.EISDIR: "path adalah folder, bukan berkas",
        _errno.EEXIST: "berkas sudah ada",
        _errno.EMFILE: "terlalu banyak berkas terbuka",
    }.get(code)
    if text is None:
        text = f"kesalahan sistem berkas ({exc.strerror or exc})"
    target = getattr(exc, "filename2", None)
    return f"{text}" + (f" (tujuan: {target})" if target else "")
