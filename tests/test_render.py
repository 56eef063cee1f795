"""Tests for antikorupsi.render: real kernels, real HTML, real PDFs from a tiny notebook."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from antikorupsi.render import (
    BROWSER_ENV,
    RenderFailure,
    RenderJob,
    RenderSummary,
    find_browser,
    format_summary,
    render,
)

FIXTURES = Path(__file__).parent / "fixtures" / "render"
TINY = FIXTURES / "tiny.ipynb"
# Index of the cell in tiny.ipynb that raises when mode == "raise" (0-based, template).
RAISING_CELL = 4
# Index of the cell that kills the kernel (mode == "die") or hangs (mode == "hang").
DYING_CELL = 5

HAVE_BROWSER = find_browser() is not None
HAVE_POPPLER = shutil.which("pdfinfo") is not None and shutil.which("pdftotext") is not None
needs_pdf = pytest.mark.skipif(
    not (HAVE_BROWSER and HAVE_POPPLER), reason="needs Chromium and poppler-utils"
)

pytestmark = pytest.mark.slow


def tiny_job(out_dir: Path, code: str, name: str, mode: str = "ok", key: str = "v1", **extra):
    params = {"region_code": code, "region_name": name, "mode": mode, **extra}
    return RenderJob(
        notebook=TINY,
        parameters=params,
        out_stem=out_dir / f"{code}_{name.lower().replace(' ', '-')}",
        key=f"{key}-{code}-{mode}",
        label=f"{code} {name}",
    )


def read_key(job: RenderJob) -> str | None:
    try:
        return json.loads(job.sidecar_path.read_text(encoding="utf-8"))["key"]
    except FileNotFoundError:  # between two renders of the job, or never rendered
        return None


def snapshot(job: RenderJob, formats=("ipynb", "html", "pdf")) -> dict[str, bytes]:
    return {fmt: job.output_path(fmt).read_bytes() for fmt in formats}


# --------------------------------------------------------------------- one full run


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports") / "2025"
    jobs = [
        tiny_job(out, "3601", "Kabupaten Pandeglang"),
        tiny_job(out, "3602", "Kabupaten Lebak", mode="raise"),
        tiny_job(out, "3603", "Kabupaten Tangerang"),
    ]
    summary = render(jobs, workers=2, progress=False, cell_timeout=60)
    return summary, jobs


def test_good_jobs_have_all_outputs(first_run):
    summary, (ok1, bad, ok2) = first_run
    assert [j.label for j in summary.done] == [ok1.label, ok2.label]
    assert summary.skipped == ()
    for job in (ok1, ok2):
        for fmt in ("ipynb", "html"):
            assert job.output_path(fmt).stat().st_size > 0
        assert read_key(job) == job.key
    if HAVE_BROWSER:
        assert summary.pdf_skipped_reason is None
        assert ok1.output_path("pdf").stat().st_size > 0
    for fmt in ("ipynb", "html", "pdf"):
        assert not bad.output_path(fmt).exists()
    assert not bad.sidecar_path.exists()
    # no temporary files left behind
    assert not [p for p in ok1.out_stem.parent.iterdir() if p.name.startswith(".")]


def test_executed_notebook_keeps_papermill_injection(first_run):
    import nbformat

    _, (ok1, _, _) = first_run
    nb = nbformat.read(ok1.output_path("ipynb"), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert '"3601"' in injected[0].source
    assert nb.metadata.papermill["parameters"]["region_code"] == "3601"
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert counts == list(range(1, len(counts) + 1))


def test_failure_names_cell_and_error(first_run):
    summary, (_, bad, _) = first_run
    assert len(summary.failed) == 1
    failure = summary.failed[0]
    assert isinstance(failure, RenderFailure)
    assert failure.label == bad.label
    assert failure.stage == "execute"
    assert failure.cell_index == RAISING_CELL
    assert failure.cell_source == 'if mode == "raise":'
    assert failure.error_name == "ValueError"
    assert failure.error_message == "data wilayah 3602 tidak lengkap"
    text = format_summary(summary)
    assert text.startswith("Selesai: 2, dilewati: 0, gagal: 1, waktu: ")
    assert "3602 Kabupaten Lebak" in text and f"sel ke-{RAISING_CELL + 1}" in text
    assert "Traceback" not in text


def test_html_has_no_code_and_no_network_references(first_run):
    _, (ok1, _, _) = first_run
    page = ok1.output_path("html").read_text(encoding="utf-8")
    assert "Kabupaten Pandeglang" in page
    assert "Perencanaan" in page  # the table output
    for code_marker in ("jp-CodeMirrorEditor", "cm-editor", "display(Markdown", "In&nbsp;["):
        assert code_marker not in page
    code_cells = re.findall(r'class="jp-Cell jp-CodeCell[^"]*"', page)
    assert code_cells and all("jp-mod-noInput" in c for c in code_cells)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert "mathjax" not in page.lower() and "require.js" not in page.lower()


@needs_pdf
def test_pdf_is_a4_with_parameters_and_page_numbers(first_run):
    _, (ok1, _, _) = first_run
    pdf = ok1.output_path("pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Page size:\s+595\.\d+ x 84[12]\.\d+", info.stdout)
    assert "(A4)" in info.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "3601 Kabupaten Pandeglang" in text
    assert "Halaman 1 dari 1" in text


# --------------------------------------------------------------------- incremental


def test_second_run_skips_and_force_rerenders_keeping_failed_outputs(tmp_path):
    a = tiny_job(tmp_path, "1101", "Kabupaten Simeulue")
    b = tiny_job(tmp_path, "1102", "Kabupaten Aceh Singkil")
    formats = ("html", "pdf") if HAVE_BROWSER else ("html",)
    first = render([a, b], formats=formats, progress=False)
    assert len(first.done) == 2 and not first.failed

    again = render([a, b], formats=formats, progress=False)
    assert again.done == () and again.failed == ()
    assert [j.label for j in again.skipped] == [a.label, b.label]
    assert format_summary(again).startswith("Selesai: 0, dilewati: 2, gagal: 0")

    # Force: a is re-rendered; b now fails (new key), and its good outputs stay as they were.
    before_a = a.output_path("html").stat().st_mtime_ns
    before_b = snapshot(b, ("ipynb", *formats))
    b_failing = tiny_job(tmp_path, "1102", "Kabupaten Aceh Singkil", mode="raise", key="v2")
    forced = render([a, b_failing], formats=formats, force=True, progress=False)
    assert [j.label for j in forced.done] == [a.label]
    assert [f.label for f in forced.failed] == [b.label]
    assert a.output_path("html").stat().st_mtime_ns > before_a
    assert snapshot(b, ("ipynb", *formats)) == before_b
    assert read_key(b) == b.key


def test_outputs_are_world_readable_like_plain_files(tmp_path):
    job = tiny_job(tmp_path, "5101", "Kabupaten Jembrana")
    summary = render([job], formats=("html",), progress=False)
    assert summary.ok
    mode = stat.S_IMODE(job.output_path("html").stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


RENDER_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from antikorupsi.render import RenderJob, render
    spec = json.loads(sys.argv[1])
    jobs = [RenderJob(Path(j["notebook"]), j["parameters"], Path(j["out_stem"]), j["key"],
                      j["label"]) for j in spec["jobs"]]
    render(jobs, formats=spec["formats"], workers=1, progress=False, cell_timeout=600)
    """
)


def start_render_process(jobs, formats=("html",)) -> subprocess.Popen:
    """Render ``jobs`` in a child process (own session, so it can be signalled alone)."""
    spec = {
        "formats": list(formats),
        "jobs": [
            {
                "notebook": str(j.notebook),
                "parameters": j.parameters,
                "out_stem": str(j.out_stem),
                "key": j.key,
                "label": j.label,
            }
            for j in jobs
        ],
    }
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.Popen(
        [sys.executable, "-c", RENDER_SCRIPT, json.dumps(spec)],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, "render subprocess ended early"
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.1)


def process_gone(pid: int, timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def test_killed_run_keeps_good_outputs_and_next_run_completes(tmp_path):
    a = tiny_job(tmp_path, "3201", "Kabupaten Bogor")
    h = tiny_job(tmp_path, "3202", "Kabupaten Sukabumi")
    assert render([a, h], formats=("html",), progress=False).ok
    h_before = snapshot(h, ("ipynb", "html"))

    # New keys for both; the second job hangs, so the run is killed while executing it,
    # after the first job's new outputs were committed.
    a2 = tiny_job(tmp_path, "3201", "Kabupaten Bogor", key="v2")
    h2 = tiny_job(tmp_path, "3202", "Kabupaten Sukabumi", mode="hang", key="v2")
    proc = start_render_process([a2, h2])
    try:
        wait_for(lambda: read_key(a) == a2.key, proc)
        time.sleep(0.5)  # now inside the hanging cell
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    assert read_key(h) == h.key
    assert snapshot(h, ("ipynb", "html")) == h_before
    assert "Kabupaten Bogor" in a.output_path("html").read_text(encoding="utf-8")
    # A temp file as a kill during writing would leave one; the next run must remove it.
    stale = tmp_path / f".{h.out_stem.name}.abcd_123.tmp.html"
    stale.write_text("half a page", encoding="utf-8")

    h3 = tiny_job(tmp_path, "3202", "Kabupaten Sukabumi", key="v3")
    summary = render([a2, h3], formats=("html",), progress=False)
    assert [j.label for j in summary.skipped] == [a2.label]
    assert [j.label for j in summary.done] == [h3.label]
    assert read_key(h) == h3.key
    assert not stale.exists()


# --------------------------------------------------------------------- robustness


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX")
def test_ctrl_c_stops_kernel_and_keeps_outputs_consistent(tmp_path):
    pid_file = tmp_path / "kernel.pid"
    a = tiny_job(tmp_path, "3301", "Kabupaten Cilacap")
    h = tiny_job(tmp_path, "3302", "Kabupaten Banyumas", mode="hang", pid_file=str(pid_file))
    formats = ("html", "pdf") if HAVE_BROWSER else ("html",)
    proc = start_render_process([a, h], formats)
    try:
        wait_for(lambda: pid_file.exists() and pid_file.read_text(), proc)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) != 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    # The kernel runs in its own session (a terminal's Ctrl+C never reaches it): render
    # must have killed it rather than leave it sleeping.
    assert process_gone(int(pid_file.read_text()))
    assert read_key(a) == a.key
    for fmt in formats:
        assert a.output_path(fmt).exists()
        assert not h.output_path(fmt).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_dead_kernel_and_timeout_fail_only_their_job(tmp_path):
    jobs = [
        tiny_job(tmp_path, "7101", "Kabupaten Bolaang Mongondow", mode="die"),
        tiny_job(tmp_path, "7102", "Kabupaten Minahasa", mode="hang"),
        tiny_job(tmp_path, "7103", "Kabupaten Kepulauan Sangihe"),
    ]
    summary = render(jobs, formats=("html",), workers=1, progress=False, cell_timeout=3)
    assert [j.label for j in summary.done] == [jobs[2].label]
    died, timed_out = summary.failed
    assert died.error_name == "DeadKernelError"
    assert died.cell_index == DYING_CELL
    assert timed_out.error_name == "CellTimeoutError"
    assert timed_out.cell_index == DYING_CELL
    assert "3 dtk" in timed_out.error_message
    assert jobs[2].output_path("html").exists()


def test_no_browser_still_writes_html(tmp_path, monkeypatch):
    monkeypatch.setenv(BROWSER_ENV, str(tmp_path / "no-such-chrome"))
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    assert find_browser() is None
    job = tiny_job(tmp_path, "9101", "Kabupaten Merauke")
    summary = render([job], formats=("html", "pdf"), progress=False)
    assert summary.ok and [j.label for j in summary.done] == [job.label]
    assert job.output_path("html").exists() and not job.output_path("pdf").exists()
    reason = summary.pdf_skipped_reason
    assert reason and "PDF dilewati" in reason and BROWSER_ENV in reason
    assert reason in format_summary(summary)
    # Without a browser the HTML counts as current: the next run skips it.
    again = render([job], formats=("html", "pdf"), progress=False)
    assert len(again.skipped) == 1 and again.pdf_skipped_reason == reason


def browser_processes() -> list[int]:
    """Chromium browser (not renderer/helper) processes started by this test process."""
    found, todo = [], [os.getpid()]
    while todo:
        parent = todo.pop()
        kids: list[int] = []
        for task in Path(f"/proc/{parent}/task").glob("*"):  # children are listed per thread
            with contextlib.suppress(OSError):
                kids += map(int, (task / "children").read_text().split())
        for pid in kids:
            todo.append(pid)
            with contextlib.suppress(OSError):
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                if b"chrom" in cmd[0] and not any(a.startswith(b"--type=") for a in cmd):
                    found.append(pid)
    return found


@needs_pdf
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_printing_survives_a_browser_crash(tmp_path):
    jobs = [
        tiny_job(tmp_path, "6201", "Kabupaten Tolitoli"),
        tiny_job(tmp_path, "6202", "Kabupaten Buol", mode="slow"),
        tiny_job(tmp_path, "6203", "Kabupaten Morowali"),
    ]
    killed: list[int] = []

    def crash_browser_after_first_pdf():
        deadline = time.monotonic() + 30
        while not jobs[0].output_path("pdf").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in browser_processes():
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    killer = threading.Thread(target=crash_browser_after_first_pdf)
    killer.start()
    summary = render(jobs, workers=1, progress=False)
    killer.join()
    assert killed, "no browser process found to kill"
    assert summary.ok, format_summary(summary)
    assert all(job.output_path("pdf").exists() for job in jobs)


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        type(self).hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@needs_pdf
def test_pdf_printing_makes_no_network_requests(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/probe.png"
        job = tiny_job(tmp_path, "6101", "Kabupaten Sambas", probe_url=url)
        summary = render([job], progress=False)
    finally:
        server.shutdown()
        server.server_close()
    assert summary.ok and job.output_path("pdf").exists()
    assert url in job.output_path("html").read_text(encoding="utf-8")
    assert _CountingHandler.hits == []


# --------------------------------------------------------------------- units


def test_find_browser_order(tmp_path):
    def executable(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n", encoding="utf-8")
        path.chmod(0o755)
        return path

    explicit = executable(tmp_path / "custom" / "my-chrome")
    on_path = executable(tmp_path / "bin" / "google-chrome")
    path_var = str(on_path.parent)
    assert find_browser({BROWSER_ENV: str(explicit), "PATH": path_var}) == explicit
    assert find_browser({BROWSER_ENV: str(tmp_path / "missing"), "PATH": path_var}) == on_path
    executable(tmp_path / "bin" / "chromium")
    assert find_browser({"PATH": path_var}) == tmp_path / "bin" / "chromium"
    assert find_browser({"PATH": str(tmp_path / "custom-empty")}) is None


def test_rejects_bad_arguments(tmp_path):
    job = tiny_job(tmp_path, "1101", "Kabupaten Simeulue")
    with pytest.raises(ValueError, match="duplicate out_stem"):
        render([job, job], progress=False)
    with pytest.raises(ValueError, match="unknown format"):
        render([job], formats=("docx",), progress=False)
    with pytest.raises(ValueError, match="workers"):
        render([job], workers=0, progress=False)


def test_format_summary_in_indonesian():
    job = RenderJob(Path("x.ipynb"), {}, Path("out/x"), "k", "3601 Kabupaten Pandeglang")
    summary = RenderSummary(
        done=(job,) * 8,
        failed=(
            RenderFailure(job, "execute", "KeyError", "'3601'", 6, "skor = hitung(data)"),
            RenderFailure(job, "pdf", "TimeoutError", "page.pdf timed out"),
        ),
        elapsed=7.94,
    )
    lines = format_summary(summary).splitlines()
    assert lines[0] == "Selesai: 8, dilewati: 0, gagal: 2, waktu: 7,9 dtk"
    assert lines[1] == (
        "  GAGAL 3601 Kabupaten Pandeglang - sel ke-7 `skor = hitung(data)`: KeyError: '3601'"
    )
    assert lines[2] == (
        "  GAGAL 3601 Kabupaten Pandeglang - cetak PDF: TimeoutError: page.pdf timed out"
    )


def test_same_job_rendered_twice_gives_byte_identical_html(tmp_path):
    job = tiny_job(tmp_path, "3601", "Kabupaten Pandeglang")
    render([job], formats=("html",), progress=False)
    first = job.output_path("html").read_bytes()
    render([job], formats=("html",), force=True, progress=False)
    assert job.output_path("html").read_bytes() == first
