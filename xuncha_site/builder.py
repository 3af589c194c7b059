"""``xuncha build`` and ``xuncha serve``: MkDocs with the xuncha plugin, reported in Chinese.

``build`` checks the content first (printing the same ``path:line: 错误: …`` lines as ``xuncha check``), builds into a
staging directory beside the target and swaps it into place only when everything succeeded, so that a failed build
leaves the previous site exactly as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
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


def cmd_build(args: argparse.Namespace) -> int:
    """Check, build into a staging directory, then swap it into place. Exit 0, 1 (content/build errors) or 2."""
    project = _checked_project(args, strict=args.strict)
    if isinstance(project, int):
        return project
    started = time.monotonic()
    with _mkdocs_logging(show_info=False):
        config = _load_mkdocs_config(args.config_file, strict=args.strict)
        if config is None:
            return EXIT_USAGE
        target = Path(args.site_dir).resolve() if args.site_dir else Path(config.site_dir)
        staging = target.parent / f".{target.name}.building-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        config.site_dir = str(staging)
        _plugin(config).use_project(project)
        try:
            _run_build(config)
        except (MkDocsException, TemplateError, OSError) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            kept = f"原有站点 {target} 未改动" if target.exists() else "未生成站点"
            print(f"构建失败：{_describe(exc)}；{kept}", file=sys.stderr)
            return EXIT_CONTENT
    _swap_into_place(staging, target)
    count = len(project.public_notices())
    print(f"站点已构建到 {target}（{count} 篇通报，用时 {time.monotonic() - started:.1f} 秒）", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview with live reload. Content errors found before starting are reported and stop it."""
    from mkdocs.commands.serve import serve

    project = _checked_project(args, strict=False)
    if isinstance(project, int):
        return project
    with _mkdocs_logging(show_info=True):
        try:
            serve(config_file=str(args.config_file), dev_addr=args.dev_addr, livereload=True)
        except (MkDocsException, TemplateError, OSError) as exc:
            print(f"预览失败：{_describe(exc)}", file=sys.stderr)
            return EXIT_CONTENT
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


def _swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging``; the old site is removed only after the new one is in place."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
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
