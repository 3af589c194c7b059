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
import gc
import glob
import os
import re
import shutil
import signal
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, report
from xuncha_site.commands.engine import describe_error, engine_name, mkdocs_logging, os_error_text
from xuncha_site.commands.site import load_site
from xuncha_site.core.project import Project
from xuncha_site.core.scratch import running
from xuncha_site.mkdocs_plugin.plugin import XunchaPlugin, site_dir_problem


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
    # What is loaded by now (the modules) lives as long as the build: frozen, the garbage collector's full collections
    # do not walk it again while the records are read (the plugin freezes the loaded site: _keep_from_collector).
    gc.freeze()
    checked = _checked_site(args, strict=args.strict)
    if isinstance(checked, int):
        return checked
    config, project = checked
    started = time.monotonic()
    with mkdocs_logging(show_info=False):
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
            print(f"构建失败：{describe_error(exc)}；{_kept(target)}", file=sys.stderr)
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


def _checked_site(args: argparse.Namespace, *, strict: bool) -> tuple[MkDocsConfig, Project] | int:
    """MkDocs' configuration and the loaded project, or the exit status after printing why it cannot be built."""
    site = load_site(args.config_file, strict=strict)
    if site is None:
        return EXIT_USAGE
    project = site.project
    report(project.diagnostics)
    if site.config is None or project.diagnostics.has_errors(strict=strict or project.settings.strict):
        print(f"检查未通过：{project.diagnostics.summary()}，站点未构建", file=sys.stderr)
        return EXIT_CONTENT
    return site.config, project


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
