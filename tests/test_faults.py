"""Faults and concurrent runs (issue 10, class 5).

Disk full, quota, read-only folders and refused permissions give one Indonesian message,
exit code 1, no traceback, and leave every earlier output byte-identical. A ``kill -9``
at any point of a real report run leaves no manifest that names files it does not
describe and no half-written report; the next run cleans up and completes. Two runs on
the same output folder never interleave: the second stops, naming the first.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from antikorupsi import safeio
from antikorupsi.cli import main
from antikorupsi.errors import BusyError, OutputError
from antikorupsi.store import recover

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "fixtures" / "golden"
NOTEBOOKS = REPO / "notebooks"
YEAR = 2025
CLI = [sys.executable, "-m", "antikorupsi.cli"]


def digest(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too) with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(Path(root).rglob("*")) if p.is_file()}


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and 'File "' not in err, err


# -- a disk that refuses writes ------------------------------------------------------------
class FailingDisk:
    """Writes under ``folder`` fail with ``code`` (ENOSPC, EROFS, ...), as a full or
    read-only disk would: opening a file for writing fails, reading works. Folders and
    lock files may still be created (a full disk usually has inodes left)."""

    def __init__(self, monkeypatch, folder: Path, code: int):
        self.folder = os.path.realpath(folder)
        self.code = code
        real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

        def refused(path) -> bool:
            if isinstance(path, int):
                return False
            p = os.path.realpath(os.fsdecode(path))
            return (p == self.folder or p.startswith(self.folder + os.sep)) \
                and not p.endswith(".lock")

        def error(path):
            return OSError(self.code, os.strerror(self.code), os.fsdecode(path))

        def fake_open(file, mode="r", *args, **kwargs):
            if any(c in mode for c in "wax+") and refused(file):
                raise error(file)
            return real_open(file, mode, *args, **kwargs)

        def fake_io_open(file, mode="r", *args, **kwargs):
            if any(c in mode for c in "wax+") and refused(file):
                raise error(file)
            return real_io_open(file, mode, *args, **kwargs)

        def fake_os_open(path, flags, *args, **kwargs):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and refused(path):
                raise error(path)
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(io, "open", fake_io_open)
        monkeypatch.setattr(os, "open", fake_os_open)


FAULTS = {errno.ENOSPC: "ruang disk penuh", errno.EDQUOT: "kuota disk habis",
          errno.EROFS: "hanya-baca", errno.EACCES: "izin ditolak"}


@pytest.fixture
def project(tmp_path):
    """Banten 2025 scored once (earlier outputs), a template and exports beside it."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "raw" / str(YEAR), data / str(YEAR))
    out = tmp_path / "keluaran"
    processed = out / "olahan"
    assert main(["score", "--year", str(YEAR), "--data", str(data),
                 "--processed", str(processed)]) == 0
    return {"data": data, "out": out, "processed": processed}


def _commands(p) -> dict[str, list[str]]:
    out, processed = p["out"], str(p["processed"])
    return {
        "score": ["score", "--year", str(YEAR), "--data", str(p["data"]), "--processed",
                  processed, "--aggregation", "geometric"],
        "template": ["template", "--year", str(YEAR), "-o", str(out / "templat.xlsx")],
        "regions": ["regions", "-o", str(out / "wilayah.csv")],
        "whatif": ["whatif", "--year", str(YEAR), "--processed", processed, "--scenarios",
                   str(REPO / "skenario"), "--scenario", "bobot_sama", "--excel",
                   str(out / "whatif.xlsx")],
        "uncertainty": ["uncertainty", "--year", str(YEAR), "--processed", processed,
                        "--draws", "64", "--no-sensitivity", "--excel",
                        str(out / "ketidakpastian.xlsx")],
    }


@pytest.mark.parametrize("code", list(FAULTS), ids=[errno.errorcode[c] for c in FAULTS])
@pytest.mark.parametrize("command", ["score", "template", "regions", "whatif", "uncertainty"])
def test_a_write_fault_is_one_message_and_earlier_outputs_stay(project, monkeypatch, capsys,
                                                              command, code):
    argv = _commands(project)[command]
    assert main(argv) == 0  # an earlier good output of this command
    capsys.readouterr()
    before = digest(project["out"])
    FailingDisk(monkeypatch, project["out"], code)
    assert main(argv) == 1
    err = capsys.readouterr().err
    no_traceback(err)
    assert FAULTS[code] in err and "Keluaran dari proses sebelumnya tetap utuh." in err
    monkeypatch.undo()
    assert digest(project["out"]) == before  # byte-identical, no temporary file left


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def test_a_real_full_disk(tmp_path, capsys):
    """A 3 MB tmpfs (root only; skipped elsewhere): score and export into it, fill it,
    run again. (Reports on a full disk: the patched test above.)"""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)):
        pytest.skip("no tmpfs (needs root and mount)")
    try:
        processed = disk / "olahan"
        score = ["score", "--year", str(YEAR), "--data", str(GOLDEN), "--framework",
                 str(GOLDEN / "kerangka.yaml"), "--regions", str(GOLDEN / "wilayah.csv"),
                 "--processed", str(processed)]
        template = ["template", "--year", str(YEAR), "-o", str(disk / "templat.xlsx")]
        assert main(score) == 0 and main(template) == 0
        capsys.readouterr()
        before = digest(disk)
        filler = disk / "penuh"
        with filler.open("wb") as fh:
            with pytest.raises(OSError):
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
        full = digest(disk)
        del full["penuh"]
        assert main(score + ["--aggregation", "geometric"]) == 1
        assert main(template) == 1
        err = capsys.readouterr().err
        no_traceback(err)
        assert err.count("ruang disk penuh") == 2
        after = digest(disk)
        del after["penuh"]
        assert after == full == before
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.slow
def test_a_read_only_folder(project, tmp_path, capsys):
    """A read-only bind mount (root ignores permission bits; skipped where impossible)."""
    reports = project["out"] / "laporan"
    argv = ["report", "--year", str(YEAR), "--processed", str(project["processed"]),
            "--out", str(reports), "--format", "html", "--region", "3601",
            "--notebooks", str(NOTEBOOKS)]
    before = digest(project["out"])
    out = str(project["out"])
    if not _mount("--bind", out, out):
        pytest.skip("no bind mount (needs root and mount)")
    try:
        if not _mount("-o", "remount,ro,bind", out):
            pytest.skip("no read-only remount")
        capsys.readouterr()
        for command in ("score", "template", "whatif"):
            assert main(_commands(project)[command]) == 1
        assert main(argv) == 1
        # reading from the read-only folder into a writable one works
        assert main(argv[:6] + [str(tmp_path / "lain")] + argv[7:]) == 0
        err = capsys.readouterr().err
        no_traceback(err)
        assert err.count("hanya-baca") == 4
    finally:
        subprocess.run(["umount", out], check=False)
    assert digest(project["out"]) == before


# -- no traceback, whatever happens -----------------------------------------------------------
@pytest.mark.parametrize("exc, code, words", [
    (RuntimeError("boom"), 1, "Kesalahan internal antikorupsi (RuntimeError: boom)"),
    (MemoryError(), 1, "Memori tidak cukup"),
    (RecursionError("too deep"), 1, "Kesalahan internal"),
    (OSError(errno.EIO, "I/O error", "x.csv"), 1, "kesalahan masukan/keluaran"),
    (OSError(errno.ENOENT, "No such file", "hilang.csv"), 1, "tidak ditemukan"),
])
def test_no_traceback_reaches_the_user(monkeypatch, capsys, exc, code, words):
    import antikorupsi.cli as cli

    def boom(args):
        raise exc

    monkeypatch.setattr(cli, "cmd_validate", boom)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert main(["validate", "--year", str(YEAR)]) == code
    err = capsys.readouterr().err
    no_traceback(err)
    assert words in err


def test_debug_shows_the_traceback(monkeypatch):
    import antikorupsi.cli as cli

    monkeypatch.setattr(cli, "cmd_validate", lambda args: 1 / 0)
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    with pytest.raises(ZeroDivisionError):
        main(["validate", "--year", str(YEAR)])


# -- kill -9 ------------------------------------------------------------------------------------
def test_a_score_killed_between_its_two_renames_is_repaired(project, capsys):
    """The only window where a killed score could lose outputs: the old folder moved
    aside, the new one not yet in place. The next writer puts the old one back."""
    year_dir = project["processed"] / str(YEAR)
    before = digest(year_dir)
    aside = year_dir.with_name(f".{YEAR}.old")
    os.replace(year_dir, aside)  # what a kill right after the first rename leaves
    stale = year_dir.with_name(f".{YEAR}.tmp-abc123")
    stale.mkdir()
    (stale / "hasil_wilayah.csv").write_text("setengah", encoding="utf-8")
    other = year_dir.with_name(".2024.tmp-xyz")  # another year's: not ours to touch
    other.mkdir()
    recover(year_dir)
    assert digest(year_dir) == before and not aside.exists() and not stale.exists()
    assert other.exists()
    # and a killed score leaves the previous outputs, which the next run replaces
    proc = subprocess.Popen(CLI + _commands(project)["score"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not list(project["processed"].glob(f".{YEAR}.tmp-*")) and proc.poll() is None \
            and time.time() < deadline:
        time.sleep(0.002)
    proc.kill()
    proc.wait()
    assert digest(year_dir) == before
    assert main(_commands(project)["score"]) == 0
    assert [p.name for p in project["processed"].iterdir() if p.name.startswith(".")] \
        == [other.name]


def _stale(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def _check_after_kill(year_dir: Path) -> None:
    """What any interrupted run must leave: complete files only, and a manifest (if
    there is one) whose every entry matches the report on disk."""
    def files(pattern: str) -> list[Path]:  # temporary files are hidden; reports are not
        return [p for p in year_dir.glob(pattern) if not p.name.startswith(".")]

    for p in files("*.ipynb"):
        json.loads(p.read_text(encoding="utf-8"))
    for p in files("*.html"):
        assert p.read_text(encoding="utf-8").rstrip().endswith("</html>"), p.name
    sidecars = {}
    for p in files("*.render.json"):
        record = json.loads(p.read_text(encoding="utf-8"))
        sidecars[p.name[: -len(".render.json")]] = record["key"]
        for fmt in record["outputs"]:
            assert (year_dir / f"{p.name[: -len('.render.json')]}.{fmt}").is_file()
    manifest = year_dir / "manifest.json"
    if manifest.exists():
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["laporan"]:
            assert sidecars.get(entry["stem"]) == entry["kunci"], entry["stem"]
            for name in entry["berkas"].values():
                assert (year_dir / name).is_file()


@pytest.mark.slow
def test_a_report_run_killed_at_any_point_or_on_a_full_disk(tmp_path, monkeypatch, capsys):
    """A real report run (two regions with hostile names, HTML) killed at three points:
    lock taken, first file staged, one of the two reports replaced (the manifest is set
    aside then: none may name files it does not describe). Then the disk fills up
    during a run: one message, the run stops, every report stays as it was."""
    regions = pd.read_csv(GOLDEN / "wilayah.csv", dtype=str)
    regions["nama_wilayah"] = ['=HYPERLINK("http://contoh.invalid","klik")',
                               "Kota $^$ / Bantul", "Kota " + "Sangat Panjang " * 6]
    reg = tmp_path / "wilayah.csv"
    regions.to_csv(reg, index=False)
    processed, reports = tmp_path / "olahan", tmp_path / "laporan"
    assert main(["score", "--year", str(YEAR), "--data", str(GOLDEN), "--framework",
                 str(GOLDEN / "kerangka.yaml"), "--regions", str(reg), "--processed",
                 str(processed)]) == 0
    argv = ["report", "--year", str(YEAR), "--processed", str(processed), "--out",
            str(reports), "--format", "html", "--jobs", "1", "--region", "3402", "3471",
            "--notebooks", str(NOTEBOOKS)]
    assert main(argv) == 0  # the earlier outputs
    year_dir = reports / str(YEAR)
    reference = digest(year_dir)
    html_names = sorted(n for n in reference if n.endswith(".html"))
    assert len(html_names) == 2 and html_names[0].startswith("3402_kota-bantul")
    assert max(len(n) for n in reference) < 90  # a long name, a bounded file name

    def replaced(n: int):
        def cond(t0: float) -> bool:
            return sum(1 for n_ in html_names
                       if (year_dir / n_).stat().st_mtime > t0) >= n
        return cond

    points = {
        "lock taken": lambda t0: (reports / f".{YEAR}.lock").exists(),
        "first file staged": lambda t0: bool(_stale(year_dir)),
        "one report replaced": replaced(1),
    }
    for name, cond in points.items():
        t0 = time.time()
        time.sleep(0.01)  # mtimes after t0 are this run's
        proc = subprocess.Popen(CLI + argv + ["--force"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while proc.poll() is None and not cond(t0) and time.time() < deadline:
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _check_after_kill(year_dir)
    # a run of one region cleans up after the killed ones; the manifest it writes
    # describes the other region by what is on disk, not by the set-aside manifest
    one = [a for a in argv if a != "3471"]
    result = subprocess.run(CLI + one, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert _stale(year_dir) == []
    _check_after_kill(year_dir)
    # and a full run ends where an unbroken run ends
    result = subprocess.run(CLI + argv, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert _stale(year_dir) == [] and not (year_dir / ".manifest.json.prev").exists()
    assert not (reports / f".{YEAR}.lock").exists()
    _check_after_kill(year_dir)
    final = digest(year_dir)
    assert {n: final[n] for n in html_names} == {n: reference[n] for n in html_names}
    entries = json.loads(final["manifest.json"])["laporan"]
    assert len(entries) == 2 and {e["status"] for e in entries} <= {"selesai", "dilewati"}

    capsys.readouterr()
    before = digest(reports)
    FailingDisk(monkeypatch, reports, errno.ENOSPC)
    assert main(argv + ["--force"]) == 1
    err = capsys.readouterr().err
    no_traceback(err)
    assert err.count("ruang disk penuh") == 1 and "GAGAL" not in err
    assert str(year_dir) in err
    monkeypatch.undo()
    assert digest(reports) == before


# -- two runs at once -----------------------------------------------------------------------
_HOLDER = """
import sys, time
from pathlib import Path
from antikorupsi import safeio
safeio.COMMAND = ["antikorupsi", "report", "--year", "2025"]
with safeio.output_lock(Path(sys.argv[1]), sys.argv[2], "x"):
    print("siap", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def holder():
    """Start a process that holds a lock like a running antikorupsi; kill -9 it after."""
    procs = []

    def start(folder: Path, name: str) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(folder), name],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "siap"
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        proc.kill()
        proc.wait()
        proc.stdout.close()


@pytest.mark.parametrize("target", ["reports", "processed"])
def test_a_second_run_on_the_same_folder_names_the_first(project, holder, capsys, target):
    reports = project["out"] / "laporan"
    folder = reports if target == "reports" else project["processed"]
    other = holder(folder, str(YEAR))
    before = digest(project["out"])
    if target == "processed":
        argv = _commands(project)["score"]
    else:
        argv = ["report", "--year", str(YEAR), "--processed", str(project["processed"]),
                "--out", str(reports), "--format", "html", "--notebooks", str(NOTEBOOKS)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    no_traceback(err)
    assert f"sedang dipakai oleh proses {other.pid} (antikorupsi report --year 2025)" in err
    assert "berjalan sejak" in err and "Tunggu proses itu selesai" in err
    assert digest(project["out"]) == before
    # a holder killed with -9 blocks nobody: the kernel drops its lock
    other.send_signal(signal.SIGKILL)
    other.wait()
    with safeio.output_lock(folder, str(YEAR), "x"):
        pass


def test_report_and_score_of_the_same_year_exclude_each_other(project):
    from antikorupsi.store import year_lock

    with year_lock(project["processed"] / str(YEAR)):
        with pytest.raises(BusyError, match=f"proses {os.getpid()}"):
            with year_lock(project["processed"] / str(YEAR)):
                pass
    with year_lock(project["processed"] / str(YEAR)):
        pass  # released: free again, and the lock file is gone afterwards
    assert not (project["processed"] / f".{YEAR}.lock").exists()


def test_a_lock_in_a_folder_that_cannot_be_written(tmp_path, monkeypatch):
    def read_only(path, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(os, "open", read_only)
    with safeio.output_lock(tmp_path, "2025", "x", required=False):
        pass  # only reading: no lock needed where nobody can write
    with pytest.raises(OutputError, match="hanya-baca"):
        with safeio.output_lock(tmp_path, "2025", "x"):
            pass


def test_the_next_write_removes_what_a_killed_writer_left(project, capsys):
    """An export killed while writing leaves a hidden temporary file; the next write of
    the same file removes it (a living writer's temporary file is left alone)."""
    out = project["out"] / "templat.xlsx"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = out.with_name(f".{out.name}.{dead.pid}.0123abcd.tmp")
    living = out.with_name(f".{out.name}.{os.getppid()}.0123abcd.tmp")
    project["out"].mkdir(exist_ok=True)
    orphan.write_bytes(b"setengah")
    living.write_bytes(b"sedang ditulis")
    assert main(_commands(project)["template"]) == 0
    assert not orphan.exists() and living.exists() and out.is_file()


def test_exports_follow_links_and_never_replace_a_device(tmp_path, capsys):
    real = tmp_path / "asli.csv"
    real.write_text("lama", encoding="utf-8")
    link = tmp_path / "tautan.csv"
    link.symlink_to(real)
    assert main(["regions", "-o", str(link)]) == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("kode_wilayah")
    # /dev/null is written to, not replaced (as root, an atomic replace would swap it)
    assert main(["regions", "-o", os.devnull]) == 0
    assert not Path(os.devnull).is_file()
