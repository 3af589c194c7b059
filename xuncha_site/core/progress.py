"""Progress of long work (importing many files, building a large site, indexing it for search).

On a terminal it is a bar (rich) that redraws in place; anywhere else — a CI log, a pipe, a file — it is a few plain
lines (``生成页面：500/1000（50%）``), one each tenth of the way, so that logs stay short and readable.
Small jobs show nothing: a bar that flashes by is noise.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

PLAIN_STEPS = 10  # plain lines per task, besides the last one
MANY_FILES = 5  # importing this many files shows progress


class Progress:
    """One task's progress, written to ``stream`` (standard error by default); safe to advance from several threads."""

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None, minimum: int = 1) -> None:
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._shown = self.total >= minimum and self.total > 0
        self._next_line = 1
        self._bar = None
        self._closed = False
        if self._shown and _is_terminal(self._stream):
            self._bar = _RichBar(label, self.total, self._stream)

    def advance(self, step: int = 1) -> None:
        """Count ``step`` more items done."""
        with self._lock:
            if self._closed:
                return
            self.done = min(self.done + step, self.total)
            if not self._shown:
                return
            if self._bar is not None:
                self._bar.update(self.done)
                return
            crossed = False
            while self._next_line <= PLAIN_STEPS and self.done * PLAIN_STEPS >= self._next_line * self.total:
                self._next_line += 1
                crossed = True
            if crossed and self.done < self.total:  # the last line is close()'s
                self._line(f"{self.label}：{self.done}/{self.total}（{100 * self.done // self.total}%）")

    def close(self) -> None:
        """End the task: the bar stays as it is, a plain log gets its final line with the time taken."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if not self._shown:
                return
            if self._bar is not None:
                self._bar.stop()
            else:
                seconds = time.monotonic() - self._started
                self._line(f"{self.label}：{self.done}/{self.total}，用时 {seconds:.1f} 秒")

    def _line(self, text: str) -> None:
        print(text, file=self._stream, flush=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _RichBar:
    """A task on the terminal's one live display (rich allows one at a time; pages and search run together)."""

    _live = None
    _tasks = 0
    _lock = threading.Lock()

    def __init__(self, label: str, total: int, stream: TextIO) -> None:
        with _RichBar._lock:
            if _RichBar._live is None:
                _RichBar._live = _start_display(stream)
            _RichBar._tasks += 1
            self._progress = _RichBar._live
            self._task = self._progress.add_task(label, total=total)

    def update(self, done: int) -> None:
        self._progress.update(self._task, completed=done)

    def stop(self) -> None:
        with _RichBar._lock:
            _RichBar._tasks -= 1
            if _RichBar._tasks == 0 and _RichBar._live is not None:
                _RichBar._live.stop()
                _RichBar._live = None


def _start_display(stream: TextIO):  # -> rich.progress.Progress; rich is imported only when a bar is drawn
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    display = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        console=Console(file=stream),
        # Messages printed meanwhile (MkDocs' log, the importer's notes) appear above the bar; standard output is left
        # alone, since it may be a record being written to a file.
        redirect_stdout=False,
        redirect_stderr=True,
    )
    display.start()
    return display
