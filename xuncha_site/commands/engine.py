"""Running MkDocs (or ProperDocs) for a command: its configuration loaded once, its log in Chinese, its errors told."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

from jinja2 import TemplateError
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

# MkDocs speaks English; the messages a maintainer sees most often are translated, the rest are labelled.
_MKDOCS_PHRASES = (
    ("Serving on ", "预览地址："),
    ("Building documentation...", "正在构建站点…"),
    ("Documentation built in ", "站点构建完成，用时（秒）："),
    ("Detected file changes", "检测到文件改动"),
    ("Reloading browsers", "正在刷新浏览器"),
    ("Shutting down...", "正在停止预览…"),
    ("Watching paths for changes: ", "正在监视改动："),
)


def load_mkdocs_config(config_file: str, *, strict: bool) -> MkDocsConfig:
    """The site's configuration as the engine reads it (``!ENV`` resolved); raises ``MkDocsException`` when it cannot.

    The only place a command reads ``mkdocs.yml``: :func:`xuncha_site.commands.site.load_site` calls it.
    """
    return load_config(config_file=config_file, strict=strict or None)


def describe_error(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if not isinstance(exc, (MkDocsException, TemplateError, OSError)):
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
        print(message, file=sys.stderr)


@contextlib.contextmanager
def mkdocs_logging(*, show_info: bool) -> Iterator[None]:
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
