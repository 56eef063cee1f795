"""Render parameterised report notebooks to an executed notebook, HTML and an A4 PDF.

The engine knows nothing about what the notebooks contain. It takes a list of
:class:`RenderJob` values and, for each, injects the parameters the papermill way,
executes the notebook, exports HTML in-process and prints the HTML to PDF with one
long-lived headless Chromium.

How it stays fast (measured on 2 cores with ``benchmarks/bench_render.py``: 514 region
reports + 1 annual report, HTML+PDF, in ~0.2 s per region; papermill + nbconvert CLIs
take ~1.5 s per region for HTML alone):

* ``workers`` threads each own ONE Jupyter kernel (TCP transport) that is reused for
  all of the thread's jobs; the user namespace is reset between jobs (``%reset -f``),
  library module caches survive on purpose (``gc.freeze`` keeps the reset cheap).
* HTML is exported in the worker thread with nbconvert's ``HTMLExporter`` (a small
  template in ``antikorupsi/templates`` that references nothing on the network).
* One printer thread owns the browser (Playwright's API is not thread-safe) and prints
  while the kernels execute the next notebooks.

How it stays safe:

* Every file is written to a hidden temporary file in its final directory and moved
  into place with :func:`os.replace` only when the whole job succeeded, so a failed or
  interrupted job leaves the previous good outputs untouched.
* A sidecar ``<out_stem>.render.json`` records the job key and the outputs written; a
  job whose key matches and whose outputs exist is skipped unless ``force=True``.
* A failing cell, a cell timeout or a dead kernel fails only that job.
* A fault of the output folder (disk full, read-only, no permission) stops the whole
  run at once and raises :class:`~antikorupsi.errors.OutputError` (one message, not one
  failure per report); what was not yet committed is discarded.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
import html
import json
import logging
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = [
    "BROWSER_ENV",
    "FORMATS",
    "RenderFailure",
    "RenderJob",
    "RenderSummary",
    "find_browser",
    "format_summary",
    "render",
]

#: Output formats :func:`render` knows. The executed notebook is always written.
FORMATS = ("ipynb", "html", "pdf")

#: Environment variable naming the Chromium/Chrome/Edge executable to print PDFs with.
BROWSER_ENV = "ANTIKORUPSI_BROWSER"

_BROWSER_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "chrome",
    "msedge",
)

_BROWSER_ARGS = (
    "--no-sandbox",  # we run as root in containers; Chromium refuses to start otherwise
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

_KERNEL_NAME = "python3"
_KERNEL_STARTUP_TIMEOUT = 60  # seconds
_PDF_TIMEOUT_MS = 120_000
_BROWSER_RELAUNCHES = 2  # per run, if Chromium crashes
#: Browser pages printing at once. Measured on the shared 2-core machine (HTML+PDF,
#: 2 workers): 100 regions 1 page 0.18-0.23 s/region, 2 pages 0.20-0.23, 3 pages
#: 0.21-0.25 (CPU-bound, 0.25 core-s per report either way); 8 regions 1 page 4.2-4.3 s,
#: 2 pages 4.4 s (warming a second page costs startup). So one page.
_PDF_PAGES = 1

_PDF_MARGIN = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
_PDF_HEADER = "<span></span>"
_PDF_FOOTER = (
    '<div style="width:100%;margin:0 15mm;font-size:8pt;color:#52606d;'
    "font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;"
    'display:flex;justify-content:space-between;">'
    "<span>{label}</span>"
    '<span>Halaman <span class="pageNumber"></span> dari <span class="totalPages"></span></span>'
    "</div>"
)

_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_TEMPLATE_NAME = "antikorupsi_report"

# Runs silently before every job: a fresh namespace in a warm kernel. Imported library
# modules (and their caches) survive; open figures and the working directory do not.
# `%reset -f` runs two full garbage collections, which with pandas and matplotlib loaded
# cost 0.2-0.5 s per job; gc.freeze() afterwards moves the survivors (modules, library
# caches) out of the collector's sight, so later resets only scan what the last job made.
_RESET_CODE = """\
import sys as _ak_sys
if "matplotlib.pyplot" in _ak_sys.modules:
    _ak_sys.modules["matplotlib.pyplot"].close("all")
del _ak_sys
get_ipython().run_line_magic("reset", "-f")
import gc as _ak_gc, os as _ak_os
_ak_gc.freeze()
_ak_os.chdir({cwd!r})
del _ak_gc, _ak_os
"""

_log = logging.getLogger(__name__)
# nbconvert warns about every chart without alt text and nbclient logs each failing cell
# with its traceback; failures reach the caller through RenderSummary instead.
_jupyter_log = logging.getLogger(f"{__name__}.jupyter")
_jupyter_log.setLevel(logging.CRITICAL)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class RenderJob:
    """One report to render.

    Parameters
    ----------
    notebook : Path
        Template notebook (``.ipynb``) with a cell tagged ``parameters``.
    parameters : dict
        Plain values (str, int, float, bool, None, lists/dicts of those) injected after
        the ``parameters`` cell. :class:`os.PathLike` values are passed as strings.
    out_stem : Path
        Output path without suffix, e.g. ``reports/2025/3601_kabupaten-pandeglang``;
        the outputs are ``<out_stem>.ipynb``, ``.html`` and ``.pdf``.
    key : str
        Hash of everything that determines the output (template, parameters, data,
        library version). A job whose key and outputs are already on disk is skipped.
    label : str
        Human-readable name for progress and the summary, e.g.
        ``"3601 Kabupaten Pandeglang"``.
    """

    notebook: Path
    parameters: dict
    out_stem: Path
    key: str
    label: str

    def output_path(self, fmt: str) -> Path:
        """Return the path of the output in format ``fmt`` (``"ipynb"``, ``"html"``, ``"pdf"``)."""
        return Path(f"{os.fspath(self.out_stem)}.{fmt}")

    @property
    def sidecar_path(self) -> Path:
        """Path of the JSON sidecar recording the key of the outputs on disk."""
        return Path(f"{os.fspath(self.out_stem)}.render.json")


@dataclass(frozen=True)
class RenderFailure:
    """Why one job failed.

    Parameters
    ----------
    job : RenderJob
        The job that failed; its previous outputs were left untouched.
    stage : str
        ``"execute"`` (a cell raised, timed out or the kernel died), ``"kernel"``
        (no kernel could be started), ``"html"``, ``"pdf"`` or ``"write"``.
    error_name : str
        Exception class name, e.g. ``"ValueError"``, ``"CellTimeoutError"``.
    error_message : str
        First part of the error message, without traceback.
    cell_index : int or None
        0-based index of the failing cell in the *template* notebook (the cell the
        analyst edits), or None if no cell was involved.
    cell_source : str or None
        First non-empty source line of the failing cell.
    """

    job: RenderJob
    stage: str
    error_name: str
    error_message: str
    cell_index: int | None = None
    cell_source: str | None = None
    #: The OS error behind a failure to write (None for any other failure).
    os_error: OSError | None = field(default=None, compare=False, repr=False)

    @property
    def is_fault(self) -> bool:
        """True when the output folder itself failed (disk full, read-only, ...)."""
        from .errors import FAULT_ERRNOS

        return self.os_error is not None and self.os_error.errno in FAULT_ERRNOS

    @property
    def label(self) -> str:
        """Label of the failed job."""
        return self.job.label


@dataclass(frozen=True)
class RenderSummary:
    """Outcome of one :func:`render` call.

    Parameters
    ----------
    done : tuple of RenderJob
        Jobs rendered in this run, in input order.
    skipped : tuple of RenderJob
        Jobs whose outputs were already current.
    failed : tuple of RenderFailure
        Jobs that failed, in input order.
    pdf_skipped_reason : str or None
        Why no PDFs were printed although requested (no browser found, browser did not
        start), or None.
    elapsed : float
        Wall-clock seconds.
    """

    done: tuple[RenderJob, ...] = ()
    skipped: tuple[RenderJob, ...] = ()
    failed: tuple[RenderFailure, ...] = ()
    pdf_skipped_reason: str | None = None
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """True if no job failed."""
        return not self.failed


def format_summary(summary: RenderSummary) -> str:
    """Format a :class:`RenderSummary` in Bahasa Indonesia for the command line.

    Parameters
    ----------
    summary : RenderSummary
        Outcome of :func:`render`.

    Returns
    -------
    str
        One line of counts, e.g. ``"Selesai: 8, dilewati: 0, gagal: 1, waktu: 7,9 dtk"``,
        then one line per failure and the PDF note, if any.
    """
    seconds = f"{summary.elapsed:.1f}".replace(".", ",")
    lines = [
        f"Selesai: {len(summary.done)}, dilewati: {len(summary.skipped)}, "
        f"gagal: {len(summary.failed)}, waktu: {seconds} dtk"
    ]
    for failure in summary.failed:
        if failure.cell_index is not None:
            where = f"sel ke-{failure.cell_index + 1}"
            if failure.cell_source:
                where += f" `{failure.cell_source}`"
        else:
            where = _STAGE_ID.get(failure.stage, failure.stage)
        lines.append(
            f"  GAGAL {failure.label} - {where}: {failure.error_name}: {failure.error_message}"
        )
    if summary.pdf_skipped_reason:
        lines.append(summary.pdf_skipped_reason)
    return "\n".join(lines)


_STAGE_ID = {
    "execute": "eksekusi",
    "kernel": "kernel tidak bisa dijalankan",
    "html": "ekspor HTML",
    "pdf": "cetak PDF",
    "write": "menulis berkas",
}


# --------------------------------------------------------------------------- browser


def find_browser(environ: Mapping[str, str] | None = None) -> Path | None:
    """Find a Chromium-family browser to print PDFs with.

    Checked in order: the ``ANTIKORUPSI_BROWSER`` environment variable (if it names an
    existing executable), then ``chromium``, ``chromium-browser``, ``google-chrome``,
    ``google-chrome-stable``, ``microsoft-edge`` (and Windows' ``chrome``/``msedge``) on
    ``PATH``, then the usual Windows and macOS install locations.

    Parameters
    ----------
    environ : Mapping, optional
        Environment to read ``ANTIKORUPSI_BROWSER``, ``PATH`` and the Windows folder
        variables from; defaults to :data:`os.environ`. Tests pass their own.

    Returns
    -------
    Path or None
        The executable, or None if none was found.
    """
    env = os.environ if environ is None else environ
    explicit = env.get(BROWSER_ENV, "").strip()
    if explicit:
        candidate = Path(explicit).expanduser()
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    search_path = env.get("PATH", "")
    for name in _BROWSER_NAMES:
        found = shutil.which(name, path=search_path) if search_path else None
        if found:
            return Path(found)
    for candidate in _install_locations(env):
        if candidate.is_file():
            return candidate
    return None


def _install_locations(env: Mapping[str, str]) -> list[Path]:
    windows_roots = [
        env.get("PROGRAMFILES", r"C:\Program Files"),
        env.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"),
        env.get("LOCALAPPDATA", ""),
    ]
    windows_apps = [
        r"Google\Chrome\Application\chrome.exe",
        r"Microsoft\Edge\Application\msedge.exe",
        r"Chromium\Application\chrome.exe",
    ]
    mac_apps = [
        "Google Chrome.app/Contents/MacOS/Google Chrome",
        "Chromium.app/Contents/MacOS/Chromium",
        "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    ]
    paths = []
    if sys.platform == "win32":
        paths += [Path(root) / app for root in windows_roots if root for app in windows_apps]
    if sys.platform == "darwin":
        home = env.get("HOME", "")
        roots = ["/Applications"] + ([f"{home}/Applications"] if home else [])
        paths += [Path(root) / app for root in roots for app in mac_apps]
    return paths


def _no_browser_reason(missing: Path | None = None) -> str:
    if missing is not None:
        return (
            f"PDF dilewati: browser {missing} tidak ada. / PDF skipped: the browser "
            f"{missing} does not exist."
        )
    return (
        "PDF dilewati: tidak ada Chromium/Chrome/Edge (set ANTIKORUPSI_BROWSER atau "
        "jalankan setup). / PDF skipped: no Chromium/Chrome/Edge found (set "
        "ANTIKORUPSI_BROWSER or run setup)."
    )


def _browser_failed_reason(executable: Path, error: BaseException) -> str:
    detail = _first_line(_ANSI.sub("", str(error)))
    return (
        f"PDF dilewati: browser {executable} gagal dijalankan ({detail}). / PDF skipped: "
        f"the browser {executable} failed to start."
    )


# --------------------------------------------------------------------------- render


def render(
    jobs: Iterable[RenderJob],
    *,
    formats: Sequence[str] = ("html", "pdf"),
    workers: int = 2,
    force: bool = False,
    progress: bool = True,
    cell_timeout: float = 300,
    browser: str | os.PathLike[str] | None = None,
    before_first_commit: Callable[[], None] | None = None,
) -> RenderSummary:
    """Execute report notebooks and write ``.ipynb``, ``.html`` and ``.pdf`` outputs.

    Parameters
    ----------
    jobs : iterable of RenderJob
        Reports to render. ``out_stem`` must be unique.
    formats : sequence of str, default ("html", "pdf")
        Outputs wanted besides the executed notebook, which is always written. ``"pdf"``
        is printed from the HTML, so it implies ``"html"``.
    workers : int, default 2
        Kernels executing notebooks in parallel (one thread each). More workers than
        cores gains nothing.
    force : bool, default False
        Render even jobs whose outputs are current.
    progress : bool, default True
        Show a tqdm progress bar on stderr, one tick per finished job.
    cell_timeout : float, default 300
        Seconds one cell may run; the job fails and its kernel is restarted after that.
    browser : str or path-like, optional
        Chromium/Chrome/Edge executable for PDFs; defaults to :func:`find_browser`.
    before_first_commit : callable, optional
        Called once, before the first output of the run replaces an existing file (the
        reports command sets its manifest aside there).

    Returns
    -------
    RenderSummary
        What was done, skipped and failed. If PDFs were requested but no browser was
        available, HTML is still written and ``pdf_skipped_reason`` says why.

    Raises
    ------
    ValueError
        On an unknown format, ``workers < 1`` or duplicate ``out_stem``.
    OutputError
        The outputs cannot be written (disk full, read-only folder, no permission):
        the run stops at the first such error; outputs already on disk stay intact.
    """
    started = time.perf_counter()
    _file_mode()  # read the umask once, before any worker thread exists
    jobs = list(jobs)
    wanted = _normalise_formats(formats)
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    stems = Counter(os.path.abspath(job.out_stem) for job in jobs)
    dupes = sorted(stem for stem, count in stems.items() if count > 1)
    if dupes:
        raise ValueError(f"duplicate out_stem in jobs: {dupes[:3]}")

    executable: Path | None = None
    pdf_reason: str | None = None
    if "pdf" in wanted:
        executable = Path(browser) if browser is not None else find_browser()
        if executable is None or not executable.is_file():
            pdf_reason = _no_browser_reason(executable)
            executable = None
    # What has to exist on disk for a job to count as current.
    needed = wanted if executable is not None else wanted - {"pdf"}

    skipped = [] if force else [job for job in jobs if _is_current(job, needed)]
    skipped_ids = {id(job) for job in skipped}
    todo = [job for job in jobs if id(job) not in skipped_ids]

    results = _Results(total=len(jobs), initial=len(skipped), progress=progress)
    printer: _Printer | None = None
    threads: list[_KernelWorker] = []
    stop = threading.Event()
    once = _Once(before_first_commit)

    def on_fault() -> None:  # the folder cannot take outputs: stop, drop what is staged
        stop.set()
        if printer is not None:
            printer.abort()

    results.on_fault = on_fault
    try:
        if todo:
            if executable is not None:
                printer = _Printer(executable, results, wanted)
                printer.start()
            job_queue: queue.Queue[RenderJob] = queue.Queue()
            for job in todo:
                job_queue.put(job)
            threads = [
                _KernelWorker(i, job_queue, results, wanted, printer, cell_timeout, stop,
                              once)
                for i in range(min(workers, len(todo)))
            ]
            for thread in threads:
                thread.start()
            try:
                for thread in threads:
                    while thread.is_alive():
                        thread.join(0.2)
            except BaseException:  # Ctrl+C: stop now, leave no kernel or half file behind
                stop.set()
                if printer is not None:
                    printer.abort()
                for thread in threads:
                    thread.kill_kernel()
                for thread in threads:
                    thread.join(5)
                raise
            if printer is not None:
                printer.finish()
                if printer.failed_reason:
                    pdf_reason = printer.failed_reason
    finally:
        if printer is not None and printer.is_alive():
            printer.finish(timeout=10)
        results.close()

    if results.fault is not None:
        from .errors import OutputError

        fault = results.fault  # named by its folder (the file was a temporary one)
        where = os.fspath(Path(fault.job.out_stem).parent)
        raise OutputError.from_os_error(fault.os_error, where)
    accounted = {id(j) for j in results.done} | {id(f.job) for f in results.failed}
    for job in todo:
        if id(job) not in accounted:  # a worker or the printer died: say so, never drop
            error = RuntimeError("not rendered: the render engine stopped early (a bug)")
            results.failed.append(_failure(job, "execute", error))
    order = {id(job): i for i, job in enumerate(jobs)}
    done = sorted(results.done, key=lambda j: order[id(j)])
    failed = sorted(results.failed, key=lambda f: order[id(f.job)])
    return RenderSummary(
        done=tuple(done),
        skipped=tuple(skipped),
        failed=tuple(failed),
        pdf_skipped_reason=pdf_reason,
        elapsed=time.perf_counter() - started,
    )


def _normalise_formats(formats: Sequence[str]) -> frozenset[str]:
    if isinstance(formats, str):
        formats = (formats,)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s) {sorted(unknown)}; known: {FORMATS}")
    wanted = {"ipynb", *formats}
    if "pdf" in wanted:
        wanted.add("html")
    return frozenset(wanted)


def _is_current(job: RenderJob, needed: frozenset[str]) -> bool:
    try:
        record = json.loads(job.sidecar_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("key") != job.key:
        return False
    if not needed <= set(record.get("outputs", ())):
        return False
    return all(job.output_path(fmt).is_file() for fmt in needed)


# --------------------------------------------------------------------------- results


class _Results:
    """Thread-safe collection of outcomes, ticking the progress bar."""

    def __init__(self, total: int, initial: int, progress: bool) -> None:
        self.done: list[RenderJob] = []
        self.failed: list[RenderFailure] = []
        self.fault: RenderFailure | None = None  # the first failure of the folder itself
        self.on_fault: Callable[[], None] | None = None
        self._lock = threading.Lock()
        self._bar = None
        if progress:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, initial=initial, file=sys.stderr, unit="laporan", desc="Render"
            )

    def add_done(self, job: RenderJob) -> None:
        with self._lock:
            self.done.append(job)
            if self._bar is not None:
                self._bar.update(1)

    def add_failed(self, failure: RenderFailure) -> None:
        with self._lock:
            self.failed.append(failure)
            if self._bar is not None:
                self._bar.update(1)
            first_fault = failure.is_fault and self.fault is None
            if first_fault:
                self.fault = failure
        if first_fault and self.on_fault is not None:
            self.on_fault()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


# --------------------------------------------------------------------------- files


@dataclass
class _Staged:
    """Outputs of one job written to temporary files, waiting to be moved into place."""

    job: RenderJob
    wanted: frozenset[str]
    before_commit: Callable[[], None] | None = None
    temps: dict[str, Path] = field(default_factory=dict)

    def discard(self) -> None:
        for path in self.temps.values():
            with contextlib.suppress(OSError):
                path.unlink()
        self.temps.clear()

    def new_temp(self, fmt: str) -> Path:
        target = self.job.output_path(fmt)
        fd, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.stem}.", suffix=f".tmp.{fmt}"
        )
        os.close(fd)
        os.chmod(name, _file_mode())
        self.temps[fmt] = Path(name)
        return Path(name)

    def commit(self) -> None:
        """Move the temporary files into place and record the key.

        The old sidecar goes first and the new one is written last, so an interruption
        between two replaces leaves no key and the job is rendered again next time.
        """
        job = self.job
        if self.before_commit is not None:
            self.before_commit()
        previous = None
        with contextlib.suppress(OSError, ValueError):
            previous = json.loads(job.sidecar_path.read_text(encoding="utf-8")).get("key")
        with contextlib.suppress(FileNotFoundError):
            job.sidecar_path.unlink()
        for fmt, tmp in self.temps.items():
            os.replace(tmp, job.output_path(fmt))
        written = sorted(self.temps)
        self.temps = {}
        if previous is not None and previous != job.key:
            # Outputs of another key that this run could not produce (no browser) would
            # contradict the new HTML; remove them rather than leave them looking current.
            for fmt in self.wanted - set(written):
                with contextlib.suppress(OSError):
                    job.output_path(fmt).unlink()
        record = {"key": job.key, "outputs": written, "label": job.label}
        _write_atomic(job.sidecar_path, json.dumps(record, ensure_ascii=False, indent=1))


class _Once:
    """Call ``fn`` the first time this is called, from any thread; later calls wait for
    that first call and do nothing. An error in ``fn`` is raised to every caller."""

    def __init__(self, fn: Callable[[], None] | None) -> None:
        self._fn, self._lock, self._error = fn, threading.Lock(), None

    def __call__(self) -> None:
        with self._lock:
            if self._fn is not None:
                fn, self._fn = self._fn, None
                try:
                    fn()
                except BaseException as exc:
                    self._error = exc
            if self._error is not None:
                raise self._error


def _write_atomic(path: Path, text: str) -> None:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(name, _file_mode())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


_FILE_MODE: list[int] = []


def _file_mode() -> int:
    """Permissions a plain ``open()`` would give (mkstemp's 0600 would hide reports)."""
    if not _FILE_MODE:
        mask = os.umask(0o022)
        os.umask(mask)
        _FILE_MODE.append(0o666 & ~mask)
    return _FILE_MODE[0]


def _remove_stale_temps(job: RenderJob) -> None:
    """Delete temporary files an interrupted earlier run left for this job."""
    # mkstemp adds exactly 8 random characters; matching them exactly keeps "kota" from
    # touching the temporary files of a job named "kota.x" rendering at the same time.
    base = Path(job.out_stem)
    patterns = (
        f".{_glob_escape(base.name)}.{'?' * 8}.tmp.*",
        f".{_glob_escape(job.sidecar_path.name)}.{'?' * 8}.tmp",
    )
    for pattern in patterns:
        for path in base.parent.glob(pattern):
            with contextlib.suppress(OSError):
                path.unlink()


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _first_line(text: str, limit: int = 300) -> str:
    for line in str(text).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


# --------------------------------------------------------------------------- kernels


class _KernelWorker(threading.Thread):
    """A thread owning one kernel, executing jobs from a shared queue until it is empty."""

    def __init__(
        self,
        number: int,
        jobs: queue.Queue[RenderJob],
        results: _Results,
        wanted: frozenset[str],
        printer: _Printer | None,
        cell_timeout: float,
        stop: threading.Event,
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(name=f"antikorupsi-render-{number}", daemon=True)
        self.before_commit = before_commit
        self.jobs = jobs
        self.results = results
        self.wanted = wanted
        self.printer = printer
        self.cell_timeout = cell_timeout
        self.stop = stop
        self.km: Any = None
        self.client: Any = None
        self.language_info: dict | None = None
        self.exporter: Any = None

    def run(self) -> None:
        # pyzmq's asyncio sockets need a selector loop; Windows defaults to Proactor.
        factory = asyncio.SelectorEventLoop if sys.platform == "win32" else None
        with asyncio.Runner(loop_factory=factory) as runner:
            runner.run(self._main())

    async def _main(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    job = self.jobs.get_nowait()
                except queue.Empty:
                    break
                await self._render_one(job)
        finally:
            await self._stop_kernel(now=False)

    # -- kernel lifecycle

    async def _start_kernel(self, cwd: Path) -> None:
        """Start the kernel; warm up this thread's HTML exporter while it boots."""
        from jupyter_client.manager import AsyncKernelManager
        from nbclient import NotebookClient
        from nbformat.v4 import new_notebook

        # TCP: IPC sockets of two kernels collided in measurements.
        km = AsyncKernelManager(kernel_name=_KERNEL_NAME, transport="tcp")
        if km.has_trait("transport_encryption"):  # jupyter_client >= 8.10
            # CurveZMQ keys when the kernel supports them (ipykernel 7 warns otherwise).
            km.transport_encryption = "auto"
        env = dict(os.environ)
        # ipykernel's debugger otherwise warns about frozen modules on stderr.
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        await km.start_kernel(
            cwd=str(cwd),
            env=env,
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
        )
        self.km = km
        kc = km.client()
        kc.start_channels()
        self._warm_up()
        try:
            await kc.wait_for_ready(timeout=_KERNEL_STARTUP_TIMEOUT)
        except BaseException:
            kc.stop_channels()
            await self._stop_kernel(now=True)
            raise
        kc.allow_stdin = False
        _log.debug("%s: kernel ready", self.name)
        client = NotebookClient(
            new_notebook(),
            km=km,
            timeout=self.cell_timeout,
            startup_timeout=_KERNEL_STARTUP_TIMEOUT,
            kernel_name=_KERNEL_NAME,
            allow_errors=False,
            interrupt_on_timeout=False,
            record_timing=True,
        )
        client.kc = kc
        client.log = _jupyter_log
        self.client = client
        reply = await client.async_wait_for_reply(await _ensure(kc.kernel_info()))
        if reply is not None:
            self.language_info = reply["content"].get("language_info")

    def kill_kernel(self) -> None:
        """Kill this worker's kernel process from any thread (used on interruption).

        Kernels run in their own session, so a terminal's Ctrl+C does not reach them.
        """
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(Exception):
                process.kill()

    def _warm_up(self) -> None:
        # Imports and the Jinja template compile cost ~0.5 s of CPU; spend it while the
        # kernel process boots rather than after.
        try:
            import nbformat.v4
            import papermill.parameterize  # noqa: F401

            self._export_html(nbformat.v4.new_notebook(), RenderJob(Path(), {}, Path(), "", ""))
        except Exception:  # noqa: S110 - the real job will report the same error
            pass

    async def _stop_kernel(self, *, now: bool) -> None:
        client, km = self.client, self.km
        self.client = self.km = None
        _log.debug("%s: stopping kernel (now=%s)", self.name, now)
        if client is not None and client.kc is not None:
            with contextlib.suppress(Exception):
                client.kc.stop_channels()
        if km is not None:
            try:
                await km.shutdown_kernel(now=now)
            except Exception:
                with contextlib.suppress(Exception):
                    await km.shutdown_kernel(now=True)
            _log.debug("%s: kernel stopped", self.name)

    async def _run_silent(self, code: str) -> None:
        kc = self.client.kc
        msg_id = await _ensure(
            kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        )
        reply = await self.client.async_wait_for_reply(msg_id)
        if reply is None or reply["content"].get("status") != "ok":
            content = reply["content"] if reply else {}
            raise RuntimeError(
                f"namespace reset failed: {content.get('ename')}: {content.get('evalue')}"
            )

    # -- one job

    async def _render_one(self, job: RenderJob) -> None:
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        staged = _Staged(job, self.wanted, self.before_commit)
        cwd = Path(job.notebook).resolve().parent
        if not Path(job.notebook).is_file():
            exc = FileNotFoundError(f"template notebook not found: {job.notebook}")
            self.results.add_failed(_failure(job, "execute", exc))
            return
        if self.client is None:
            try:
                await self._start_kernel(cwd)
            except Exception as exc:
                await self._stop_kernel(now=True)
                self.results.add_failed(_failure(job, "kernel", exc))
                return
        try:
            job.output_path("ipynb").parent.mkdir(parents=True, exist_ok=True)
            _remove_stale_temps(job)
            nb = _prepare_notebook(job)
        except Exception as exc:  # unreadable template, bad parameters, unwritable dir
            self.results.add_failed(_failure(job, "execute", exc))
            return

        index = None
        started = datetime.now(timezone.utc)
        try:
            await self._run_silent(_RESET_CODE.format(cwd=str(cwd)))
            client = self.client
            client.nb = nb
            client.reset_execution_trackers()
            if self.language_info:
                nb.metadata["language_info"] = self.language_info
            for index, cell in enumerate(nb.cells):
                await client.async_execute_cell(
                    cell, index, execution_count=client.code_cells_executed + 1
                )
            index = None
        except (CellTimeoutError, DeadKernelError) as exc:
            # The kernel is busy with the runaway cell or gone: replace it.
            await self._stop_kernel(now=True)
            failure = _failure(job, "execute", exc, nb, index)
            if isinstance(exc, CellTimeoutError):
                failure = dataclasses.replace(
                    failure, error_message=f"sel berjalan lebih dari {self.cell_timeout:g} dtk"
                )
            self.results.add_failed(failure)
            return
        except CellExecutionError as exc:
            self.results.add_failed(_failure(job, "execute", exc, nb, index))
            return
        except Exception as exc:  # the kernel connection itself misbehaved
            await self._stop_kernel(now=True)
            self.results.add_failed(_failure(job, "execute", exc, nb, index))
            return

        _log.debug("%s: executed %s", self.name, job.label)
        _finish_metadata(nb, job, started)
        stage = "write"
        try:
            import nbformat

            nbformat.write(nb, staged.new_temp("ipynb"))
            if "html" in self.wanted:
                stage = "html"
                body = self._export_html(nb, job)
                staged.new_temp("html").write_text(body, encoding="utf-8")
            if "pdf" in self.wanted and self.printer is not None:
                self.printer.submit(staged)
                return
            stage = "write"
            staged.commit()
        except Exception as exc:
            staged.discard()
            self.results.add_failed(_failure(job, stage, exc))
            return
        self.results.add_done(job)

    def _export_html(self, nb: Any, job: RenderJob) -> str:
        if self.exporter is None:
            self.exporter = _html_exporter()
        body, _ = self.exporter.from_notebook_node(nb, resources={"metadata": {"name": job.label}})
        return body


def _html_exporter() -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(
        log=_jupyter_log,
        template_name=_TEMPLATE_NAME,
        extra_template_basedirs=[str(_TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        language_code="id",
    )


async def _ensure(value: Any) -> Any:
    if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
        return await value
    return value


_TEMPLATES: dict[str, Any] = {}
_TEMPLATES_LOCK = threading.Lock()


def _load_template(path: Path) -> Any:
    import nbformat

    resolved = os.path.abspath(path)
    stamp = os.stat(resolved).st_mtime_ns
    with _TEMPLATES_LOCK:
        cached = _TEMPLATES.get(resolved)
        if cached is None or cached[0] != stamp:
            cached = (stamp, nbformat.read(resolved, as_version=4))
            _TEMPLATES[resolved] = cached
        return copy.deepcopy(cached[1])


def _plain(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _prepare_notebook(job: RenderJob) -> Any:
    from papermill.parameterize import parameterize_notebook

    nb = _load_template(Path(job.notebook))
    # The same defaults papermill.iorw.load_notebook_node gives a loaded notebook.
    nb.metadata.setdefault(
        "papermill",
        {"default_parameters": {}, "parameters": {}, "environment_variables": {}},
    )
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    nb.metadata.papermill["input_path"] = os.fspath(job.notebook)
    nb.metadata.papermill["output_path"] = os.fspath(job.output_path("ipynb"))
    parameters = _plain(dict(job.parameters))
    nb = parameterize_notebook(nb, parameters, kernel_name=_KERNEL_NAME, language="python")
    # papermill gives the injected cell a random id; a fixed one keeps the HTML of the
    # same inputs byte-identical from run to run.
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    return nb


def _finish_metadata(nb: Any, job: RenderJob, started: datetime) -> None:
    import papermill

    ended = datetime.now(timezone.utc)
    meta = nb.metadata.papermill
    meta["start_time"] = started.isoformat()
    meta["end_time"] = ended.isoformat()
    meta["duration"] = (ended - started).total_seconds()
    meta["exception"] = None
    meta["version"] = papermill.__version__
    meta["engine"] = "antikorupsi.render"
    # A reused kernel keeps counting across jobs; make the numbers read as a fresh run.
    for cell in nb.cells:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = cell.get("execution_count")


def _template_index(nb: Any, index: int | None) -> int | None:
    """Map a cell index in the executed notebook to the template's numbering."""
    if index is None:
        return None
    for i, cell in enumerate(nb.cells):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            return index - 1 if index > i else index
    return index


def _failure(
    job: RenderJob,
    stage: str,
    exc: BaseException,
    nb: Any = None,
    index: int | None = None,
) -> RenderFailure:
    name = getattr(exc, "ename", None) or type(exc).__name__
    message = getattr(exc, "evalue", None)
    if message is None:
        message = str(exc)
    cell_source = None
    if nb is not None and index is not None and index < len(nb.cells):
        cell_source = _first_line(nb.cells[index].source, limit=80) or None
    return RenderFailure(
        os_error=exc if isinstance(exc, OSError) else None,
        job=job,
        stage=stage,
        error_name=name,
        error_message=_first_line(_ANSI.sub("", message)) or name,
        cell_index=_template_index(nb, index) if nb is not None else None,
        cell_source=cell_source,
    )


# --------------------------------------------------------------------------- printer


class _Printer(threading.Thread):
    """The one thread that talks to the browser; prints staged HTML to PDF and commits."""

    _DONE = object()

    def __init__(self, executable: Path, results: _Results, wanted: frozenset[str]) -> None:
        super().__init__(name="antikorupsi-render-pdf", daemon=True)
        self.executable = executable
        self.results = results
        self.wanted = wanted
        self.failed_reason: str | None = None
        self._queue: queue.Queue[Any] = queue.Queue()
        self._aborted = threading.Event()
        self._relaunches = 0

    def submit(self, staged: _Staged) -> None:
        self._queue.put(staged)

    def abort(self) -> None:
        """Drop what is queued instead of printing it (the run was interrupted)."""
        self._aborted.set()

    def finish(self, timeout: float | None = None) -> None:
        """Print what is queued, close the browser and end the thread."""
        if self.is_alive():
            for _ in range(_PDF_PAGES):
                self._queue.put(self._DONE)
            self.join(timeout)

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._playwright = self._browser = self._context = None
        try:
            from playwright.async_api import async_playwright

            self._playwright = await async_playwright().start()
            await self._launch()
        except Exception as exc:
            self.failed_reason = _browser_failed_reason(self.executable, exc)
        _log.debug("printer: browser %s", "ready" if self._context else "failed")
        pages: list[Any] = [None] * _PDF_PAGES
        if self._context is not None:
            with contextlib.suppress(Exception):
                pages = [await self._warm_page() for _ in range(_PDF_PAGES)]
        try:
            await asyncio.gather(*(self._slot(page) for page in pages))
        finally:
            await self._close_browser()
            if self._playwright is not None:
                with contextlib.suppress(Exception):
                    await self._playwright.stop()

    async def _next(self) -> Any:
        # Polling keeps every browser call on this thread's loop without parking helper
        # threads on a blocking get (they would hold up interpreter exit).
        while True:
            try:
                return self._queue.get_nowait()
            except queue.Empty:
                await asyncio.sleep(0.005)

    async def _launch(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        self._browser = await self._playwright.chromium.launch(
            executable_path=str(self.executable),
            args=list(_BROWSER_ARGS),
            env=env,
            headless=True,
            timeout=60_000,
        )
        self._context = await self._browser.new_context()
        await self._context.route("**/*", _local_only)

    async def _close_browser(self) -> None:
        for closer in (self._context, self._browser):
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer.close()
        self._context = self._browser = None

    async def _relaunch(self) -> bool:
        """Replace a crashed browser (at most ``_BROWSER_RELAUNCHES`` times per run)."""
        if self._relaunches >= _BROWSER_RELAUNCHES:
            return False
        self._relaunches += 1
        _log.debug("printer: browser gone, relaunching")
        await self._close_browser()
        try:
            await self._launch()
        except Exception:
            return False
        return True

    async def _warm_page(self) -> Any:
        # Chromium's first print sets up fonts and the print pipeline (~1 s); do it while
        # the kernels are still starting.
        page = await self._context.new_page()
        await page.set_content("<p>antikorupsi</p>")
        await page.pdf(format="A4")
        return page

    async def _slot(self, page: Any) -> None:
        while True:
            staged = await self._next()
            if staged is self._DONE:
                break
            if self._aborted.is_set():
                staged.discard()
                continue
            if self._context is None and self._relaunches == 0:
                self._commit(staged)  # no browser at all: keep the HTML, skip the PDF
                continue
            try:
                page = await self._print_with_retry(page, staged)
            except Exception as exc:
                page = None
                staged.discard()
                self.results.add_failed(_failure(staged.job, "pdf", exc))
                continue
            self._commit(staged)
        if page is not None:
            with contextlib.suppress(Exception):
                await page.close()

    async def _print_with_retry(self, page: Any, staged: _Staged) -> Any:
        """Print one job; if the browser crashed, start a new one and try once more."""
        for attempt in (1, 2):
            try:
                if self._context is None:
                    raise RuntimeError("browser not running")
                if page is None or page.is_closed():
                    page = await self._context.new_page()
                await self._print(page, staged)
                return page
            except Exception:
                if page is not None:
                    with contextlib.suppress(Exception):
                        await page.close()
                page = None
                crashed = self._browser is None or not self._browser.is_connected()
                if attempt == 2 or not crashed or not await self._relaunch():
                    raise
        raise AssertionError("unreachable")

    async def _print(self, page: Any, staged: _Staged) -> None:
        job = staged.job
        html_tmp = staged.temps["html"]
        pdf_tmp = staged.temps.get("pdf") or staged.new_temp("pdf")
        await page.goto(html_tmp.resolve().as_uri(), wait_until="load", timeout=_PDF_TIMEOUT_MS)
        # page.pdf has no timeout of its own; a wedged renderer must not hang the run.
        await asyncio.wait_for(
            page.pdf(
                path=str(pdf_tmp),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template=_PDF_HEADER,
                footer_template=_PDF_FOOTER.format(label=html.escape(job.label)),
                margin=_PDF_MARGIN,
            ),
            timeout=_PDF_TIMEOUT_MS / 1000,
        )

    def _commit(self, staged: _Staged) -> None:
        _log.debug("printer: printed %s", staged.job.label)
        try:
            staged.commit()
        except Exception as exc:
            staged.discard()
            self.results.add_failed(_failure(staged.job, "write", exc))
            return
        self.results.add_done(staged.job)


async def _local_only(route: Any) -> None:
    """Let the page load local files only: reports must render with no network."""
    if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
        await route.continue_()
    else:
        await route.abort()
