"""Indonesian number formats: decimal comma, dot for thousands (``1.234,56``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["angka", "bulat", "persen", "tanda", "peringkat", "ringkas", "agregasi",
           "metode_agregasi", "ascii_slug", "tanggal", "AGREGASI", "BULAN"]

#: Scaled values this close to a half are taken as the half (floating-point noise):
#: 89.995 is stored as 89.99499999999999..., 89.995 * 100 = 8999.499999999999.
_HALF_TOLERANCE = 1e-7


def bulat(x, decimals: int = 2):
    """Round half away from zero, as people (and Excel's ROUND) round a figure as written:
    ``89.995`` -> ``90.0``, ``76.125`` -> ``76.13``, ``-1.505`` -> ``-1.51``.

    Python's ``round`` and ``f"{x:.2f}"`` work on the binary value (89.995 is stored as
    89.99499999...) and round exact halves to even, so they print 89,99 and 76,12. Here
    the scaled value is moved by a tolerance of 1e-7 before rounding, so a total written
    89,995 in an export prints, ranks and reaches a threshold as 90,00. Every printed
    number (:func:`angka`) and every comparison of totals (ranks, categories,
    designations: ``Framework.round_total``; Monte Carlo ranks) uses this one rule.
    Scalars give a float (NaN stays NaN), arrays an array.
    """
    a = np.asarray(x, dtype=float)
    scale = 10.0 ** decimals
    out = np.abs(a, out=np.empty_like(a))  # worked on in place: Monte Carlo chunks are large
    out *= scale
    out += 0.5 + _HALF_TOLERANCE
    np.floor(out, out=out)
    out /= scale
    np.copysign(out, a, out=out)
    out += 0.0  # -0.0 -> 0.0
    return float(out) if out.ndim == 0 else out

#: Indonesian month names, January first.
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")

#: Indonesian names of the aggregation methods, as reports and messages print them.
AGREGASI = {"arithmetic": "aritmetika", "geometric": "geometrik"}


def _missing(x: object) -> bool:
    return x is None or bool(pd.isna(x)) if not isinstance(x, (list, tuple)) else False


def angka(x: float | int | None, decimals: int = 2, missing: str = "–") -> str:
    """``93.5`` -> ``'93,50'``; ``1234.5`` -> ``'1.234,50'``; ``-0.96`` -> ``'−0,96'``
    (a true minus sign, as typeset); NaN/None -> ``'–'``."""
    if _missing(x):
        return missing
    text = f"{bulat(x, decimals):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".").replace("-", "\u2212")


def persen(share: float | None, decimals: int = 1, missing: str = "–") -> str:
    """A share 0-1 as a percentage: ``0.25`` -> ``'25,0%'``."""
    if _missing(share):
        return missing
    return angka(share * 100, decimals) + "%"


def tanda(x: float | None, decimals: int = 2, missing: str = "–") -> str:
    """A signed change: ``+2,18``, ``−1,51`` (true minus sign), ``0,00``."""
    if _missing(x):
        return missing
    if bulat(x, decimals) == 0:
        return angka(0.0, decimals)
    return ("+" if x > 0 else "−") + angka(abs(x), decimals)


def peringkat(rank: int | None, of: int | None = None, missing: str = "–") -> str:
    if _missing(rank):
        return missing
    return f"{int(rank)} dari {int(of)}" if of else str(int(rank))


def ringkas(x: object) -> str:
    """A number without needless decimals, decimal comma: ``87.5`` -> ``'87,5'``,
    ``100.0`` -> ``'100'`` (no thousands separator). Non-numbers are returned as text."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return f"{x:g}".replace(".", ",")
    return str(x)


def agregasi(method: str) -> str:
    """``'geometric'`` -> ``'geometrik'``; a per-level spec ``'geometric/arithmetic'`` ->
    ``'geometrik (dalam komponen) dan aritmetika (antarkomponen)'``; an unknown name is
    returned unchanged."""
    parts = method.split("/") if isinstance(method, str) else []
    if len(parts) == 2 and all(p in AGREGASI for p in parts):
        if parts[0] == parts[1]:
            return AGREGASI[parts[0]]
        return (f"{AGREGASI[parts[0]]} (dalam komponen) dan {AGREGASI[parts[1]]} "
                "(antarkomponen)")
    return AGREGASI.get(method, method)


def metode_agregasi(method: str, levels: bool = False) -> str:
    """The aggregation as a phrase: ``'rata-rata aritmetika tertimbang'``; a per-level
    spec ``'geometric/arithmetic'`` -> ``'rata-rata geometrik tertimbang di dalam
    komponen dan rata-rata aritmetika tertimbang antarkomponen'``. ``levels=True`` also
    says where a single method applies (``'..., di dalam komponen dan antarkomponen'``).
    """
    parts = method.split("/") if isinstance(method, str) else []
    if len(parts) == 2 and parts[0] != parts[1]:
        return (f"rata-rata {agregasi(parts[0])} tertimbang di dalam komponen dan rata-rata "
                f"{agregasi(parts[1])} tertimbang antarkomponen")
    one = parts[0] if parts else method
    return f"rata-rata {agregasi(one)} tertimbang" + (
        " di dalam komponen dan antarkomponen" if levels else "")


def ascii_slug(text: str, sep: str, max_len: int | None = None) -> str:
    """Lower-case ASCII words joined by ``sep``: ``'Kota Tangerang Selatan'`` ->
    ``'kota-tangerang-selatan'`` with ``sep='-'``.

    With ``max_len``, a longer slug is cut at a word boundary and ends in ``sep`` plus
    8 hex digits of the text's SHA-256, so that it fits a file name and two long names
    that share their start still differ."""
    import hashlib
    import re
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", sep, ascii_.lower()).strip(sep)
    if max_len is None or len(slug) <= max_len:
        return slug
    digest = hashlib.sha256(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    head = slug[: max(1, max_len - len(digest) - len(sep))]
    if sep in head and slug[len(head)] != sep:  # cut at a word boundary
        head = head.rsplit(sep, 1)[0]
    return f"{head.strip(sep)}{sep}{digest}"


def tanggal(day) -> str:
    """A date in Indonesian: ``date(2025, 12, 9)`` -> ``'9 Desember 2025'``."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"
