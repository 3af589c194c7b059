"""``xuncha build``: MkDocs with the xuncha plugin, reported in Chinese (``xuncha serve`` is in :mod:`.preview`).

``build`` checks the content first (printing the same ``path:line: 错误: …`` lines as ``xuncha check``), builds into a
staging directory beside the target and swaps it into place only when everything succeeded, so that a failed build
leaves the previous site exactly as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import glob
import logging
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from jinja2 import TemplateError
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, MkDocsException

from .cli import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, report
from .plugin import XunchaPlugin, site_dir_problem
from .project import Project, load_project
from .scratch import running

# MkDocs speaks English; the messages a maintainer sees most often are translated, the rest are labelled.
_MKDOCS_PHRASES = (
    ("Serving on ", "预览地址："),
    ("Building documentation...", "正在构建站点…"),
    ("Documentation built in ", "站点构建完成，用时（秒）："),
    ("Detected file changes", "检测到文件改动"),
    ("Reloading browsers", "正在刷新浏览器"),
    ("Shutting down...", "正在停止预览…"),
    ("Watching paths for changes: ", "正在监视改动："),
    ("Error building page ", "生成页面出错："),
)


def cmd_build(args: argparse.Namespace) -> int:
    """Check, build into a staging directory, then swap it into place. Exit 0, 1 (content/build errors) or 2.

    Whatever stops the build (a content error, an exception in MkDocs, a plugin or a template, Ctrl-C, a kill), the
    site at the target stays as it was: nothing is written there until the new site is complete. What a killed build
    leaves beside the target is cleared by the next one (:func:`_clear_stale`). SIGTERM (a supervisor, ``kill``)
    stops it as Ctrl-C does, cleaning up on the way out.
    """
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _build(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _build(args: argparse.Namespace) -> int:
    project = _checked_project(args, strict=args.strict)
    if isinstance(project, int):
        return project
    started = time.monotonic()
    with _mkdocs_logging(show_info=False):
        config = _load_mkdocs_config(args.config_file, strict=args.strict)
        if config is None:
            return EXIT_USAGE
        given = Path(args.site_dir) if args.site_dir else Path(config.site_dir)
        problem = site_dir_problem(config, project, given)
        if problem is not None:
            print(f"xuncha：{problem}", file=sys.stderr)
            return EXIT_USAGE
        # A link named site/ is kept: the folder it points at is the one replaced.
        target = Path(os.path.realpath(given))
        target.parent.mkdir(parents=True, exist_ok=True)
        _clear_stale(target)
        staging = _sibling(target, _STAGING)
        shutil.rmtree(staging, ignore_errors=True)
        config.site_dir = str(staging)
        try:
            _plugin(config).use_project(project)
            _run_build(config)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if not isinstance(exc, Exception):
                raise  # Ctrl-C: the command line reports it
            print(f"构建失败：{_describe(exc)}；{_kept(target)}", file=sys.stderr)
            return EXIT_CONTENT
    try:
        _swap_into_place(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"构建失败：新站点无法替换 {target}（{describe_os_error(exc)}）；{_kept(target)}", file=sys.stderr)
        return EXIT_CONTENT
    count = len(project.public_notices())
    print(f"站点已构建到 {target}（{count} 篇通报，用时 {time.monotonic() - started:.1f} 秒）", file=sys.stderr)
    return EXIT_OK


def _checked_project(args: argparse.Namespace, *, strict: bool) -> Project | int:
    """The loaded project, or the exit status after printing why it cannot be built."""
    config_file = Path(args.config_file)
    if not config_file.exists():  # a FIFO or a device is reported by the loader, at its path
        print(
            f"xuncha：找不到配置文件 {config_file}：请在站点目录（含 mkdocs.yml）中运行，或用 -f 指定", file=sys.stderr
        )
        return EXIT_USAGE
    project = load_project(config_file)
    report(project.diagnostics)
    if project.diagnostics.has_errors(strict=strict or project.settings.strict):
        print(f"检查未通过：{project.diagnostics.summary()}，站点未构建", file=sys.stderr)
        return EXIT_CONTENT
    return project


def _load_mkdocs_config(config_file: str, *, strict: bool) -> MkDocsConfig | None:
    try:
        return load_config(config_file=config_file, strict=strict or None)
    except ConfigurationError as exc:
        print(f"xuncha：mkdocs.yml 配置有误：{exc}", file=sys.stderr)
        return None


def _plugin(config: MkDocsConfig) -> XunchaPlugin:
    for plugin in config.plugins.values():
        if isinstance(plugin, XunchaPlugin):
            return plugin
    raise ConfigurationError("mkdocs.yml 的 plugins 中没有 xuncha 插件")


def _run_build(config: MkDocsConfig) -> None:
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


# Beside the target, named after it and the building process: .site.building-1234 (the site being built), and
# .site.old-1234 (the previous site, for the moment of a swap where renaming both at once is not possible).
_STAGING, _BACKUP = "building", "old"
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<kind>building|old)-(?P<pid>\d+)")


def _sibling(target: Path, kind: str, pid: int | None = None) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid() if pid is None else pid}"


def _swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` as atomically as the OS allows; on failure ``target`` is as it was.

    Linux swaps the two directories in one system call (``renameat2`` with ``RENAME_EXCHANGE``): readers see the
    old site or the new one, never none. Elsewhere (or on a file system that cannot) the old site is renamed aside,
    the new one renamed into place and the old one removed; if the second rename fails, the old site is renamed back.
    A kill between the two renames leaves the old site as ``.<name>.old-<pid>``, which the next build puts back.
    """
    if not target.exists():
        os.replace(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous site
        return
    backup = _sibling(target, _BACKUP)
    shutil.rmtree(backup, ignore_errors=True)
    os.replace(target, backup)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(backup, target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where the OS or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc < 2.28, musl < 1.2.5)
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _clear_stale(target: Path) -> None:
    """Remove what builds that were killed left beside ``target``; put back a site that a kill left renamed aside.

    A leftover belongs to a build whose process no longer runs; a build still running elsewhere is left alone.
    """
    for path in sorted(target.parent.glob(f".{glob.escape(target.name)}.*-*")):
        match = _LEFTOVER.fullmatch(path.name)
        if match is None or match["name"] != target.name or running(int(match["pid"])):
            continue
        if match["kind"] == _BACKUP and not target.exists():
            os.replace(path, target)
            print(f"已恢复上次中断的构建移开的站点 {target}", file=sys.stderr)
        else:
            _remove(path)
            print(f"已清除上次中断的构建留下的临时目录 {path.name}", file=sys.stderr)


def _remove(path: Path) -> None:
    """Remove a folder we made, or a link that a swap put in its place (rmtree refuses links)."""
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _kept(target: Path) -> str:
    return f"原有站点 {target} 未改动" if target.exists() else "未生成站点"


# What the system says when it cannot write, in the maintainer's words (the errno names are the same everywhere).
_ERRNO_PHRASES = {
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出了磁盘配额",
    "EROFS": "文件系统是只读的",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "ENOENT": "文件或目录不存在",
    "EEXIST": "文件已存在",
    "ENOTDIR": "路径中有一项不是目录",
    "EISDIR": "这是一个目录",
    "ENAMETOOLONG": "文件名过长",
    "EMFILE": "同时打开的文件过多",
    "ENFILE": "同时打开的文件过多",
    "EIO": "读写出错（磁盘可能有故障）",
    "EFBIG": "文件过大",
    "EBUSY": "文件或目录正被占用",
    "EXDEV": "不能跨文件系统移动",
}
_ERRNO_IN_TEXT = re.compile(r"\[Errno (\d+)\][^']*(?:'(?P<path>[^']*)')?")


def describe_os_error(exc: OSError) -> str:
    """An OSError in Chinese: what went wrong and on which file (shutil.Error's list of failed copies included)."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        failures = exc.args[0]
        source, target, why = [*failures[0], "", "", ""][:3]
        found = _ERRNO_IN_TEXT.search(str(why))
        reason = _errno_phrase(int(found.group(1))) if found else str(why)
        more = f"，另有 {len(failures) - 1} 个文件也未能复制" if len(failures) > 1 else ""
        return f"{reason}：复制 {source} 到 {target} 失败{more}"
    reason = _errno_phrase(exc.errno) if exc.errno else (exc.strerror or str(exc))
    where = exc.filename2 or exc.filename
    return f"{reason}：{where}" if where else reason


def _errno_text(found: re.Match[str]) -> str:
    """``[Errno 28] No space left on device: 'path'`` in Chinese."""
    phrase = _errno_phrase(int(found.group(1)))
    return f"{phrase}：{found['path']}" if found["path"] else phrase


def _errno_phrase(code: int) -> str:
    name = errno.errorcode.get(code, "")
    return _ERRNO_PHRASES.get(name) or f"系统错误 {name or code}（{os.strerror(code)}）"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, MkDocsException) and isinstance(cause, OSError):
        return describe_os_error(cause)
    text = str(exc).strip() or type(exc).__name__
    if not isinstance(exc, (MkDocsException, TemplateError)):
        return f"内部错误（{type(exc).__name__}：{text}），请报告此问题"
    if text.startswith("Aborted with") and "strict mode" in text:
        return "严格模式下出现警告"
    return text


class _ChineseHandler(logging.Handler):
    """Print MkDocs' log in the maintainer's language: our own messages as they are, MkDocs' labelled."""

    def __init__(self, show_info: bool) -> None:
        super().__init__(logging.INFO if show_info else logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not record.name.startswith("mkdocs.plugins.xuncha_site"):
            for english, chinese in _MKDOCS_PHRASES:
                if message.startswith(english):
                    message = chinese + message[len(english) :]
                    break
            else:
                label = {logging.ERROR: "错误", logging.WARNING: "警告"}.get(record.levelno, "信息")
                message = f"MkDocs {label}：{message}"
            message = _ERRNO_IN_TEXT.sub(_errno_text, message)
        print(message, file=sys.stderr)


@contextlib.contextmanager
def _mkdocs_logging(*, show_info: bool) -> Iterator[None]:
    logger = logging.getLogger("mkdocs")
    handler = _ChineseHandler(show_info)
    previous = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]
