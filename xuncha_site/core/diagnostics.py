"""Problems found in records, kept as values until the edge (CLI or plugin) reports them."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Level(str, enum.Enum):
    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"  # for the editor only (xuncha check): never fails a build, never in a build's log


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    level: Level
    message: str

    def format(self) -> str:
        """One line, ``path:line: 错误: message``; control characters from the input are shown escaped."""
        return f"{_one_line(self.path)}:{self.line}: {self.level.value}: {_one_line(self.message)}"


def _one_line(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in text)


class Diagnostics:
    """A collector that the loader and validator append to; every problem is kept, none stops the run."""

    # A hostile file can produce thousands of identical mistakes; past this many, one line says so instead.
    PER_FILE_LIMIT = 100

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self._per_file: dict[str, int] = {}

    def _add(self, diag: Diagnostic) -> None:
        count = self._per_file.get(diag.path, 0) + 1
        self._per_file[diag.path] = count
        if count <= self.PER_FILE_LIMIT:
            self.items.append(diag)
        elif count == self.PER_FILE_LIMIT + 1:
            message = f"此文件问题过多，只列出前 {self.PER_FILE_LIMIT} 个"
            self.items.append(Diagnostic(diag.path, diag.line, 0, Level.ERROR, message))

    def error(self, path: str, line: int, message: str, column: int = 0) -> None:
        self._add(Diagnostic(path, line, column, Level.ERROR, message))

    def warning(self, path: str, line: int, message: str, column: int = 0) -> None:
        self._add(Diagnostic(path, line, column, Level.WARNING, message))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for diag in other:
            self._add(diag)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.WARNING]

    def has_errors(self, *, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.path, d.line, d.column, d.level.value, d.message))

    def summary(self) -> str:
        return f"{len(self.errors)} 个错误，{len(self.warnings)} 个警告"
