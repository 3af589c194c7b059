"""Problems found in records, kept as values until the edge (CLI or plugin) reports them."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Level(str, enum.Enum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    level: Level
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.level.value}: {self.message}"


class Diagnostics:
    """A collector that the loader and validator append to; every problem is kept, none stops the run."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, path: str, line: int, message: str, column: int = 0) -> None:
        self.items.append(Diagnostic(path, line, column, Level.ERROR, message))

    def warning(self, path: str, line: int, message: str, column: int = 0) -> None:
        self.items.append(Diagnostic(path, line, column, Level.WARNING, message))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

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
