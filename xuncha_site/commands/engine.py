"""Running MkDocs (or ProperDocs) for a command: its configuration loaded once, its log in Chinese, its errors told."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import sys
from collections.abc import Iterator

from jinja2 import TemplateError
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, MkDocsException

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
        (r"Error building page '(?P<a>.+?)': (?P<b>.*)", "生成页面 {a} 出错：{b}"),
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


def load_mkdocs_config(config_file: str, *, strict: bool) -> MkDocsConfig:
    """The site's configuration as the engine reads it (``!ENV`` resolved); raises ``MkDocsException`` when it cannot.

    The only place a command reads ``mkdocs.yml``: :func:`xuncha_site.commands.site.load_site` calls it.
    """
    return load_config(config_file=config_file, strict=strict or None)


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
    errno.ENAMETOOLONG: "文件名过长",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.EIO: "读写出错（磁盘可能有故障）",
    errno.EFBIG: "文件过大",
    errno.EADDRINUSE: "端口已被占用：请先停止占用它的程序，或用 -a 127.0.0.1:8001 换一个端口",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
}


def os_error_text(exc: OSError) -> str:
    """An OSError in Chinese: what went wrong, and with which file when it names one.

    ``shutil.Error`` (a copy of a tree that failed, e.g. on a full disk) carries a list of (source, target, why)
    instead of an errno: its first failure is described, and how many more there were.
    """
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        failures = exc.args[0]
        source, target, why = [*failures[0], "", "", ""][:3]
        found = _ERRNO_IN_TEXT.search(str(why))
        reason = _errno_phrase(int(found.group(1))) if found else str(why)
        more = f"，另有 {len(failures) - 1} 个文件也未能复制" if len(failures) > 1 else ""
        return f"{reason}：复制 {source} 到 {target} 失败{more}"
    text = _errno_phrase(exc.errno) if exc.errno else f"系统错误（{exc.strerror or exc}）"
    where = exc.filename2 or exc.filename
    return f"{text}：{where}" if where else text


def _errno_phrase(code: int) -> str:
    return _OS_ERRORS.get(code) or f"系统错误（错误号 {errno.errorcode.get(code, code)}：{os.strerror(code)}）"


# "[Errno 28] No space left on device: 'site/x.html'", as MkDocs logs an OSError it met.
_ERRNO_IN_TEXT = re.compile(r"\[Errno (\d+)\][^']*(?:'(?P<path>[^']*)')?")


def _errno_text(found: re.Match[str]) -> str:
    phrase = _errno_phrase(int(found.group(1)))
    return f"{phrase}：{found['path']}" if found["path"] else phrase


def describe_error(exc: BaseException) -> str:
    """Why a build or a preview failed, in Chinese."""
    if isinstance(exc, OSError):
        return os_error_text(exc)
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, MkDocsException) and isinstance(cause, OSError):
        return os_error_text(cause)
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
            message = _ERRNO_IN_TEXT.sub(_errno_text, message)
        print(message, file=sys.stderr)


@contextlib.contextmanager
def mkdocs_logging(*, show_info: bool) -> Iterator[None]:
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
