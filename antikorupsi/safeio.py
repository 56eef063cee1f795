"""Writing outputs safely: atomic files, one writer per output folder, stale leftovers.

- :func:`atomic_path` yields a hidden temporary path beside the target and moves it into
  place with :func:`os.replace` only when the block succeeds; on any error (disk full,
  read-only folder, Ctrl+C) the temporary file is removed and the target is untouched.
- :func:`output_lock` takes an exclusive lock (``fcntl.flock``) on ``<folder>/.<name>.lock``
  for one job, so two ``score`` or two ``report`` runs on the same output folder never
  interleave: the second stops at once with a message naming the first (pid, command,
  since when). The kernel drops the lock when its process dies, even by ``kill -9``, so a
  crashed run never blocks the next one.
- :func:`remove_stale_temps` deletes the temporary files a killed run left behind; it is
  called under the lock, when no other run can be writing them.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from .errors import FAULT_ERRNOS, BusyError, OutputError, Problem

try:  # POSIX; on other systems runs are not locked (documented in the README)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["atomic_path", "output_lock", "remove_stale_temps", "TEMP_MARK", "COMMAND"]

#: Every temporary file this module creates has this in its name (for the clean-up).
TEMP_MARK = ".tmp"
#: The command line of this run, written into lock files (set by ``cli.main``).
COMMAND: list[str] = ["antikorupsi", *sys.argv[1:]]


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; replace ``path`` with it on success.

    The temporary name (``.<name>.<pid>.<random>.tmp``) does not end in the target's
    suffix, so a reader globbing the folder never picks up a half-written file. The
    folder is created when missing. An ``OSError`` (disk full, read-only folder) becomes
    an :class:`~antikorupsi.errors.OutputError` naming ``path``.

    A symbolic link is followed (its target is replaced, the link stays). A path that is
    not a regular file (``/dev/stdout``, a pipe) is written directly: it cannot be
    replaced, and must never be (as root, replacing ``/dev/full`` would swap a device
    for a file).
    """
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        try:
            yield path
        except OSError as exc:
            raise OutputError.from_os_error(exc, str(path)) from exc
        return
    if path.is_symlink():
        path = path.resolve()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TEMP_MARK}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_orphans(path)
        yield tmp
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise OutputError.from_os_error(exc, str(path)) from exc
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a pid: leave its file alone
    return True


def _remove_orphans(path: Path) -> None:
    """Delete temporary files of ``path`` left by a process that no longer runs (killed
    while writing); a living writer's file is left alone."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)\.[0-9a-f]{{8}}\{TEMP_MARK}$")
    with contextlib.suppress(OSError):
        for p in path.parent.iterdir():
            m = pattern.match(p.name)
            if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))):
                with contextlib.suppress(OSError):
                    p.unlink()


def remove_stale_temps(folder: str | Path, prefix: str = ".") -> list[Path]:
    """Delete hidden temporary files and folders (``.*.tmp``, ``.*.tmp.<ext>``,
    ``.*.tmp-*``) whose name starts with ``prefix``, directly in ``folder``.

    Only call this while holding the lock that guards those names.
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for p in folder.iterdir():
        if p.name.startswith(prefix) and p.name.startswith(".") and re.search(r"\.tmp(\.[A-Za-z0-9]+)?$|\.tmp-", p.name):
            with contextlib.suppress(OSError):
                if p.is_dir():
                    import shutil

                    shutil.rmtree(p)
                else:
                    p.unlink()
                removed.append(p)
    return removed


def _holder(fd: int) -> str:
    try:
        raw = os.pread(fd, 4096, 0)
        info = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (OSError, ValueError, UnicodeDecodeError):
        info = {}
    if not info:
        return "proses antikorupsi lain (rinciannya belum tertulis)"
    return (f"proses {info.get('pid', '?')} ({info.get('perintah', '?')}), "
            f"berjalan sejak {info.get('sejak', '?')}")


@contextlib.contextmanager
def output_lock(folder: str | Path, name: str, what: str, *,
                required: bool = True) -> Iterator[None]:
    """Hold an exclusive lock on ``<folder>/.<name>.lock`` for the block.

    Parameters
    ----------
    folder, name : the lock file is ``<folder>/.<name>.lock`` (``folder`` is created).
    what : str
        What is locked, for the message: ``"data olahan 2025"``, ``"laporan 2025"``.
    required : bool, default True
        False for a folder that is only read: when the lock file cannot be created
        (read-only or not writable), nobody can write there either and the block runs
        without a lock.

    Raises
    ------
    BusyError
        Another process holds the lock (the message names it).
    OSError
        The lock file cannot be created (``required=True``).
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    folder = Path(folder)
    path = folder / f".{name}.lock"
    for _ in range(5):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if not required and exc.errno in FAULT_ERRNOS:
                yield
                return
            raise OutputError.from_os_error(exc, str(folder)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _holder(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise BusyError(Problem(str(folder), f"{what} sedang dipakai oleh {holder}",
                                        expected=f"satu proses per folder; berkas kunci "
                                                 f"{path.name}")) from None
            raise
        # The file may have been unlinked by its previous holder between open and flock:
        # then this lock guards nothing; open the path again.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    else:  # pragma: no cover - five unlink races in a row
        raise BusyError(Problem(str(folder), f"{what}: kunci berganti-ganti, coba lagi"))
    try:
        info = {"pid": os.getpid(), "perintah": " ".join(COMMAND)[:300],
                "sejak": datetime.now().astimezone().strftime("%d-%m-%Y %H:%M:%S %Z").strip()}
        with contextlib.suppress(OSError):  # a full disk must not hide the real error
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # before unlocking: a waiter re-opens the path (see above)
        os.close(fd)  # releases the lock
