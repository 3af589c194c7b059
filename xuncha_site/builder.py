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
from .plugin import XunchaPlugin
from .project import Project, load_project

# MkDocs speaks English. Its messages that a maintainer meets are translated (pattern → Chinese, with the pattern's
# groups); any other is printed labelled in Chinese, with MkDocs' own words after the label. Hand-written: MkDocs has
# no translations of its log. A live-preview message starts with the time, "[12:34:56] ", which is kept.
_MKDOCS_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), chinese)
    for pattern, chinese in (
        (r"Building documentation\.\.\.", "正在构建站点…"),
        (r"Cleaning site directory", "正在清理输出目录"),
        (r"Building documentation to directory: (?P<a>.*)", "正在构建站点到 {a}"),
        (r"Documentation built in (?P<a>[\d.]+) seconds", "站点构建完成，用时 {a} 秒"),
        (r"Watching paths for changes: (?P<paths>.*)", "正在监视这些文件的改动：{paths}"),
        (r"Serving on (?P<a>\S+) and opening it in a browser", "预览地址：{a}（正在打开浏览器；按 Ctrl+C 停止）"),
        (r"Serving on (?P<a>\S+)", "预览地址：{a}（按 Ctrl+C 停止）"),
        (r"Detected file changes", "检测到文件改动，正在重新构建…"),
        (r"Reloading browsers", "正在刷新浏览器"),
        (r"Shutting down\.\.\.", "正在停止预览…"),
        (r"Browser connected: (?P<a>.*)", "浏览器已连接：{a}"),
        (r'"(?:GET|HEAD) (?P<a>\S+) [^"]*" code 404', "预览中找不到 {a}（404）"),
        (r'"(?P<a>[^"]*)" code (?P<b>\d+)', "预览请求“{a}”的结果：HTTP {b}"),
        (r"An error happened during the rebuild\..*", "重新构建时出错（见上），改正后保存文件即可继续预览"),
        (
            r"Doc file '(?P<a>.+?)' contains a link '(?P<b>.+?)', but the target(?: '.+?')? is not found among "
            r"documentation files\.(?: Did you mean '(?P<c>.+?)'\?)?",
            "页面 {a} 中的链接“{b}”指向的文件不存在{c}",
        ),
        (
            r"Doc file '(?P<a>.+?)' contains an unrecognized relative link '(?P<b>.+?)', it was left as is\."
            r"(?: Did you mean '(?P<c>.+?)'\?)?",
            "页面 {a} 中的相对链接“{b}”无法识别，已原样保留{c}",
        ),
        (
            r"Doc file '(?P<a>.+?)' contains an absolute link '(?P<b>.+?)', it was left as is\."
            r"(?: Did you mean '(?P<c>.+?)'\?)?",
            "页面 {a} 中的绝对链接“{b}”已原样保留{c}",
        ),
        (
            r"Doc file '(?P<a>.+?)' contains a link '(?P<b>.+?)', but (?:there is no such anchor on this page|"
            r"the doc '.+?' does not contain an anchor '#.+?')\..*",
            "页面 {a} 中的链接“{b}”指向的锚点不存在",
        ),
        (
            r"The following pages exist in the docs directory, but are not included in the \"nav\" configuration:"
            r"(?P<a>.*)",
            "以下页面不在 nav 设置中：{a}",
        ),
        (
            r"Excluding '(?P<a>.+?)' from the site because it conflicts with '(?P<b>.+?)'\.",
            "{a} 与 {b} 冲突，已不发布 {a}",
        ),
        (r"Config value '(?P<a>.+?)': Unrecognised configuration name: .*", "mkdocs.yml 中有未知的设置项 {a}"),
        (
            r"Config value '(?P<a>.+?)': Expected type: <class '(?P<t1>\w+)'> but received: <class '(?P<t2>\w+)'>",
            "mkdocs.yml 的 {a} 应为{t1}，写成了{t2}",
        ),
        (r"Config value '(?P<a>.+?)': (?P<b>.*)", "mkdocs.yml 的 {a} 设置有误（英文原文：{b}）"),
        (r"Template skipped: '(?P<a>.+?)'.*", "已跳过模板 {a}"),
    )
)
_TYPES = {"bool": "真假值（true 或 false）", "str": "文字", "int": "整数", "dict": "键值表", "list": "列表"}
_CLOCK = re.compile(r"\[\d\d:\d\d:\d\d\] ")


def translate_engine_message(message: str, *, level: int = logging.INFO, engine: str = "MkDocs") -> str:
    """A log message of MkDocs (or ProperDocs) in Chinese: translated when known, else labelled in Chinese."""
    clock = _CLOCK.match(message)
    prefix, text = (clock.group(), message[clock.end() :]) if clock else ("", message)
    for pattern, chinese in _MKDOCS_MESSAGES:
        match = pattern.fullmatch(text)
        if match is not None:
            values = {name: value or "" for name, value in match.groupdict().items()}
            values.update((name, _TYPES.get(values[name], values[name])) for name in ("t1", "t2") if name in values)
            if "paths" in values:  # 'pages', 'mkdocs.yml' → pages、mkdocs.yml
                values["paths"] = "、".join(path.strip("'") for path in values["paths"].split(", "))
            if values.get("c"):
                values["c"] = f"（是否应为“{values['c']}”？）"
            return prefix + chinese.format(**values)
    label = {logging.ERROR: "错误", logging.WARNING: "警告"}.get(level, "信息")
    return f"{prefix}{engine} {label}（英文原文）：{text}"


def engine_name() -> str:
    """The engine this process builds with: "MkDocs 1.6.1", or "ProperDocs 1.6.7" (see :func:`cli.use_engine`)."""
    import mkdocs

    return f"{'ProperDocs' if mkdocs.__name__ == 'properdocs' else 'MkDocs'} {mkdocs.__version__}"


def cmd_build(args: argparse.Namespace) -> int:
    """Check, build into a staging directory, then swap it into place. Exit 0, 1 (content/build errors) or 2.

    Whatever stops the build (a content error, an exception in MkDocs, a plugin or a template, Ctrl-C, a kill), the
    site at the target stays as it was: nothing is written there until the new site is complete. What a killed build
    leaves beside the target is cleared by the next one (:func:`_clear_stale`).
    """
    project = _checked_project(args, strict=args.strict)
    if isinstance(project, int):
        return project
    started = time.monotonic()
    with _mkdocs_logging(show_info=False):
        config = _load_mkdocs_config(args.config_file, strict=args.strict)
        if config is None:
            return EXIT_USAGE
        target = Path(args.site_dir).resolve() if args.site_dir else Path(config.site_dir)
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
        print(f"构建失败：新站点无法替换 {target}（{os_error_text(exc)}）；{_kept(target)}", file=sys.stderr)
        return EXIT_CONTENT
    count = len(project.public_notices())
    engine = "" if engine_name().startswith("MkDocs") else f"，由 {engine_name()} 构建"
    print(f"站点已构建到 {target}（{count} 篇通报，用时 {time.monotonic() - started:.1f} 秒{engine}）", file=sys.stderr)
    return EXIT_OK


def _checked_project(args: argparse.Namespace, *, strict: bool) -> Project | int:
    """The loaded project, or the exit status after printing why it cannot be built."""
    config_file = Path(args.config_file)
    if not config_file.is_file():
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
    except MkDocsException as exc:  # MkDocs' Abort is also a SystemExit, which must not end the command unsaid
        print(f"xuncha：{_describe(exc)}，站点未构建", file=sys.stderr)
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
        if match is None or match["name"] != target.name or _running(int(match["pid"])):
            continue
        if match["kind"] == _BACKUP and not target.exists():
            os.replace(path, target)
            print(f"已恢复上次中断的构建移开的站点 {target}", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)
            print(f"已清除上次中断的构建留下的临时目录 {path.name}", file=sys.stderr)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier build in this process, which has ended
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    except OverflowError:
        return False  # no process has such a number
    return True


def _kept(target: Path) -> str:
    return f"原有站点 {target} 未改动" if target.exists() else "未生成站点"


# The system's words for the errors a build or a preview meets, in Chinese (the C library's are English here).
_OS_ERRORS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.ENOENT: "文件或目录不存在",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "文件系统只读",
    errno.EEXIST: "文件已存在",
    errno.ENOTDIR: "不是目录",
    errno.EISDIR: "是目录",
    errno.ENOTEMPTY: "目录不为空",
    errno.EBUSY: "文件或目录正在使用",
    errno.EXDEV: "不能跨文件系统移动",
    errno.EADDRINUSE: "端口已被占用：请先停止占用它的程序，或用 -a 127.0.0.1:8001 换一个端口",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
}


def os_error_text(exc: OSError) -> str:
    """An OSError in Chinese: what went wrong, and with which file when it names one."""
    text = _OS_ERRORS.get(exc.errno or 0) or f"系统错误（错误号 {exc.errno}：{exc.strerror or exc}）"
    return f"{text}：{exc.filename}" if exc.filename else text


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_error_text(exc)
    text = str(exc).strip() or type(exc).__name__
    if not isinstance(exc, (MkDocsException, TemplateError, OSError)):
        return f"内部错误（{type(exc).__name__}：{text}），请报告此问题"
    if text.startswith("Aborted with"):  # MkDocs has logged the reasons (translated by _ChineseHandler)
        if "strict" in text:
            return "严格模式下出现警告（见上）"
        return "mkdocs.yml 设置有误（见上）" if "configuration" in text else "构建中止（见上）"
    if isinstance(exc, ConfigurationError):
        return f"mkdocs.yml 设置有误：{translate_engine_message(text)}"
    return text


class _ChineseHandler(logging.Handler):
    """Print MkDocs' log in the maintainer's language: our own messages as they are, MkDocs' translated."""

    def __init__(self, show_info: bool) -> None:
        super().__init__(logging.INFO if show_info else logging.WARNING)
        self.engine = engine_name().split()[0]

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not record.name.startswith("mkdocs.plugins.xuncha_site"):
            message = translate_engine_message(message, level=record.levelno, engine=self.engine)
        print(message, file=sys.stderr)


@contextlib.contextmanager
def _mkdocs_logging(*, show_info: bool) -> Iterator[None]:
    """Route the engine's log to :class:`_ChineseHandler` for the duration.

    MkDocs logs under "mkdocs". ProperDocs logs under "properdocs", and plugins (ours too) under "mkdocs": as its own
    command does, "mkdocs" is then made a child of "properdocs", so that a strict build counts plugins' warnings.
    """
    handler = _ChineseHandler(show_info)
    mkdocs_logger = logging.getLogger("mkdocs")
    top = logging.getLogger("properdocs") if handler.engine == "ProperDocs" else mkdocs_logger
    saved = [(logger, logger.parent, logger.level, logger.propagate) for logger in {mkdocs_logger, top}]
    if top is not mkdocs_logger:
        mkdocs_logger.parent = top
        mkdocs_logger.setLevel(logging.NOTSET)
        mkdocs_logger.propagate = True
    top.addHandler(handler)
    top.setLevel(logging.INFO)
    top.propagate = False
    try:
        yield
    finally:
        top.removeHandler(handler)
        for logger, parent, level, propagate in saved:
            logger.parent, logger.propagate = parent, propagate
            logger.setLevel(level)
