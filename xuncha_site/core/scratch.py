"""Temporary folders that a killed process does not leave behind for good, and processes that die with their parent.

A kill (SIGKILL, a power cut) runs no clean-up: the search index's work folder stayed in the temporary directory after
about half the killed builds. So each folder is named after the process that made it and the machine it runs on
(``xuncha-search-1234@host-abcd1234``), and making a folder of a kind first removes the folders of that kind whose
process no longer runs on this machine. A folder of a process still running, or of another machine sharing the
directory, is left alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname())[:64] or "host"


def make_folder(kind: str, parent: Path | None = None) -> Path:
    """A new temporary folder for ``kind`` (e.g. ``xuncha-search``) in ``parent`` (default: the system's)."""
    folder = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    clear_stale(kind, folder)
    return Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}@{_host()}-", dir=folder))


def clear_stale(kind: str, folder: Path) -> list[Path]:
    """Remove the folders of ``kind`` in ``folder`` whose process has ended; returns those removed."""
    pattern = re.compile(rf"{re.escape(kind)}-(?P<pid>\d+)@(?P<host>.*)-[^-]+")
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    host = _host()
    for path in entries:
        match = pattern.fullmatch(path.name)
        if match is None or match["host"] != host or running(int(match["pid"])):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def running(pid: int) -> bool:
    """Whether a process ``pid`` runs now (this process is not counted: what it made earlier is its own to reuse)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    except (OverflowError, OSError):
        return False  # no process has such a number
    return True


def die_with_parent() -> None:
    """In a child process: be killed when the parent dies, however it dies (Linux); elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def give_back_freed_memory() -> None:
    """Return to the system the memory that the C allocator keeps after large objects are freed (glibc's
    ``malloc_trim``; elsewhere nothing): called after a step that made and dropped large documents, so that the
    process does not hold their memory for the rest of the build."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)
