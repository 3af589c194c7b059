"""Reading input files: regular files only, of a bounded size, and never an open that blocks.

A record named ``*.md`` can be a FIFO (opening it waits for a writer forever) or a link to ``/dev/zero`` (reading it
never ends, until memory runs out). Every file that the tools read — records, ``mkdocs.yml``, files to import, the
first bytes of attachments — is read through :func:`read_regular`, which looks at the file's type and size first,
opens it without blocking and reads no more than its limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_NONBLOCK = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class InputFileError(Exception):
    """A file that cannot be read as input; ``message`` is for the maintainer (Chinese, without the path)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def special_file(path: Path) -> str | None:
    """Why ``path`` (links followed) is not a regular file that can be read, or None when it is one."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"无法读取文件（{exc.strerror or exc}）"
    return None if stat.S_ISREG(mode) else f"不是普通文件，而是{_kind(mode)}，不能读取"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "目录"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def _size(limit: int) -> str:
    return f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def read_regular(path: Path, limit: int, *, what: str = "文件") -> bytes:
    """The bytes of ``path`` (links followed), at most ``limit`` of them; raises :class:`InputFileError` otherwise.

    ``what`` names the file in the size message ("记录文件不能超过 2 MB").
    """
    return _read(path, limit, what=what, whole=True)


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a regular file (to tell its type), without reading the rest."""
    return _read(path, size, what="文件", whole=False)


def _read(path: Path, limit: int, *, what: str, whole: bool) -> bytes:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputFileError("文件不存在") from None
    except OSError as exc:
        raise InputFileError(f"无法读取文件（{exc.strerror or exc}）") from None
    _check(info, limit, what=what, whole=whole)
    try:
        descriptor = os.open(path, os.O_RDONLY | _NONBLOCK)
    except OSError as exc:
        raise InputFileError(f"无法读取文件（{exc.strerror or exc}）") from None
    try:
        _check(os.fstat(descriptor), limit, what=what, whole=whole)  # the file opened is the file looked at
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(descriptor, min(1024 * 1024, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputFileError(f"无法读取文件（{exc.strerror or exc}）") from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        if not whole:
            return data[:limit]
        raise InputFileError(f"文件过大（超过 {_size(limit)}），{what}不能超过 {_size(limit)}")
    return data


def _check(info: os.stat_result, limit: int, *, what: str, whole: bool) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(f"不是普通文件，而是{_kind(info.st_mode)}，不能读取")
    if whole and info.st_size > limit:
        raise InputFileError(f"文件过大（{info.st_size // 1024} KB），{what}不能超过 {_size(limit)}")
