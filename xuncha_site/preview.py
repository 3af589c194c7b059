"""``xuncha serve``: live preview that survives broken records.

MkDocs' own server rebuilds the site when a file changes and reloads the browser. A rebuild whose records fail the
check does not stop it: the plugin then publishes an *error site* instead — every page the site had (and the 404)
shows the ``path:line: 错误: …`` lines, the same that the terminal shows — and the watcher keeps running, so that
saving the fixed file brings the site back.

Search is indexed in the background and never delays a reload; the preview's search results may lag a few seconds
behind an edit.
"""

from __future__ import annotations

import argparse
import html
import logging
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .cli import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from .diagnostics import Diagnostics, Level
from .export import NOTICE_URL, ROUND_URL
from .pages import NAV, UNITS
from .scratch import make_folder
from .search import SEARCH_DIR, IndexJob

log = logging.getLogger("mkdocs.plugins.xuncha_site")

ERROR_PAGE_TITLE = "内容检查未通过"


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview with live reload at ``-a HOST:PORT``; content errors are shown in the browser, not fatal."""
    from jinja2 import TemplateError
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    from .builder import _describe, _mkdocs_logging  # imported here: builder imports the plugin, which imports us

    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(
            f"xuncha：找不到配置文件 {config_file}：请在站点目录（含 mkdocs.yml）中运行，或用 -f 指定", file=sys.stderr
        )
        return EXIT_USAGE
    # Stopped by a supervisor (SIGTERM) as by Ctrl-C: MkDocs then shuts down and removes its temporary files.
    signal.signal(signal.SIGTERM, _interrupt)
    with _mkdocs_logging(show_info=True):
        try:
            serve(config_file=str(config_file), dev_addr=args.dev_addr, livereload=True)
        except (MkDocsException, TemplateError, OSError) as exc:
            print(f"预览失败：{_describe(exc)}", file=sys.stderr)
            return EXIT_CONTENT
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def error_page(diagnostics: Diagnostics, site_name: str) -> str:
    """A self-contained page (no theme, no other file) listing every problem, errors first."""
    problems = sorted(diagnostics.sorted(), key=lambda d: d.level is not Level.ERROR)
    items = "\n".join(
        f'<li class="{"error" if d.level is Level.ERROR else "warning"}"><code>{html.escape(d.format())}</code></li>'
        for d in problems
    )
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{ERROR_PAGE_TITLE} · {html.escape(site_name)}</title>
<style>
body {{ margin: 0; font: 18px/1.7 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #222; background: #fff; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem; }}
h1 {{ color: #a8071a; font-size: 1.6rem; margin: 0 0 .5rem; }}
ol {{ padding-left: 1.5rem; }}
li {{ margin: .6rem 0; }}
code {{ font-family: inherit; white-space: pre-wrap; word-break: break-all; }}
li.error code {{ color: #a8071a; }}
li.warning code {{ color: #874d00; }}
</style>
</head>
<body>
<main data-xuncha-preview-error>
<h1>{ERROR_PAGE_TITLE}（{html.escape(diagnostics.summary())}）</h1>
<p>预览暂停更新：下列记录有错误。请按提示改正并保存文件，本页会自动刷新为正常页面。</p>
<ol>
{items}
</ol>
</main>
</body>
</html>
"""


def error_site_paths(content_dir: Path, known: Iterable[str]) -> list[str]:
    """Where the error page goes: every page the site had (``known``, as output paths), the fixed pages, and the
    pages of every round and notice file now in ``content_dir`` — so that whatever page the browser shows, it
    reloads into the error page, and later back into the fixed page."""
    paths = set(known)
    paths.update(f"{path}index.html" for _, path in NAV)
    paths.add(f"{UNITS}index.html")
    for record in sorted((content_dir / "rounds").glob("*.y*ml")):
        paths.add(ROUND_URL.format(round=record.stem) + "index.html")
    for record in sorted((content_dir / "notices").glob("*/*.md")):
        paths.add(NOTICE_URL.format(round=record.parent.name, slug=record.stem) + "index.html")
    paths.add("404.html")
    return sorted(paths)


class PreviewSearch:
    """Search in the preview: each rebuild gets the newest finished index at once, and the index of its own content
    once the editor has paused for a few seconds and indexing is done — a reload never waits for it, and indexing
    (a few seconds of CPU per thousand notices) does not compete with the rebuilds of a run of quick edits. One
    indexing job runs at a time; edits made meanwhile are indexed together by the next one.
    """

    QUIET_SECONDS = 5.0

    def __init__(self) -> None:
        self.folder = make_folder("xuncha-preview-search")  # indexing jobs work in here too
        self._lock = threading.Lock()
        self._generation = 0  # rebuilds so far
        self._running = False
        self._pending: Callable[[], IndexJob] | None = None
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._site: Path | None = None

    def rebuilding(self) -> None:
        """Call when a build starts: indexing waits for the editor's next pause (timers of earlier builds lapse)."""
        with self._lock:
            self._generation += 1

    def rebuilt(self, site_dir: Path, start: Callable[[], IndexJob]) -> None:
        """Call after each successful build: ``start`` starts indexing the content just built."""
        with self._lock:
            self._site = Path(site_dir)
            self._publish()
            self._generation += 1
            timer = threading.Timer(self.QUIET_SECONDS, self._quiet, args=(self._generation, start))
            timer.daemon = True
            self._threads = [thread for thread in self._threads if thread.is_alive()] + [timer]
        timer.start()

    def _quiet(self, generation: int, start: Callable[[], IndexJob]) -> None:
        with self._lock:
            if self._closed or generation != self._generation:
                return  # a newer rebuild has its own timer
            if self._running:
                self._pending = start
                return
            self._running = True
        self._wait(start())

    def _wait(self, job: IndexJob) -> None:
        staging = self.folder / "new"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            job.finish(staging)
        except Exception as error:  # a preview without search is still a preview
            if not self._closed:
                log.warning(f"xuncha：预览的搜索索引未能生成：{str(error)[:300]}")
        else:
            with self._lock:
                if not self._closed:
                    shutil.rmtree(self.folder / SEARCH_DIR, ignore_errors=True)
                    (staging / SEARCH_DIR).rename(self.folder / SEARCH_DIR)
                    self._publish()
        with self._lock:
            start, self._pending = (None if self._closed else self._pending), None
            self._running = start is not None
        if start is not None:
            self._wait(start())

    def _publish(self) -> None:
        """Copy the newest finished bundle into the site being served (caller holds the lock)."""
        bundle = self.folder / SEARCH_DIR
        if self._site is None or not bundle.is_dir() or not self._site.is_dir():
            return
        target = self._site / SEARCH_DIR
        # A link to the bundle rather than a copy of its thousands of small files on every rebuild (MkDocs' cleaning
        # of the site folder leaves a link alone); a copy where the system makes no links.
        if target.is_symlink():
            target.unlink()
        else:
            shutil.rmtree(target, ignore_errors=True)
        try:
            target.symlink_to(bundle.resolve(), target_is_directory=True)
        except OSError:
            shutil.copytree(bundle, target, dirs_exist_ok=True)

    def close(self) -> None:
        """Stop publishing; wait for the indexing under way (a child killed half-way could leave files) and clean up."""
        with self._lock:
            self._closed = True
            self._pending = None
            self._site = None
            threads = list(self._threads)
        for thread in threads:
            if isinstance(thread, threading.Timer):
                thread.cancel()
            thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)
