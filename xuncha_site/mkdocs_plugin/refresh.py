"""``xuncha serve``'s quick refresh: after an edit to a record, only the pages it affects are rendered again.

MkDocs' live-reload server calls its builder (a whole build) when a watched file changes. The plugin's ``on_serve``
puts :func:`preview_builder` in its place: it first asks the plugin to refresh (the records read again from the
cache, :func:`xuncha_site.core.changes.affected_pages`, those pages rendered with the engine's own page functions
and the last build's files, navigation and templates), and builds the whole site as before when the refresh cannot
be done (any change other than to notice and round records, a change of the site's set of pages, content errors,
which the error site shows). Pressing Enter in the terminal builds the whole site (:class:`FullRebuildKey`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from xuncha_site.core.changes import Stamps, scan
from xuncha_site.mkdocs_plugin.content_watch import request_rebuild

log = logging.getLogger("mkdocs.plugins.xuncha_site")

FULL_REBUILD_HINT = "按回车键可完整重建整个站点"


def render_pages(src_uris: Iterable[str], config: MkDocsConfig, files: Files, nav: Navigation, env: Any) -> None:
    """Render and write these generated pages as a full build does (the same functions, events and order)."""
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    pages = []
    for src_uri in src_uris:
        file = files.get_file_from_path(src_uri)
        if file is None or file.page is None:
            raise LookupError(src_uri)
        pages.append(file.page)
    for page in pages:
        _populate_page(page, config, files)
    for page in pages:
        _build_page(page, config, doc_files, nav, env)


def source_stamps(config: MkDocsConfig) -> Stamps:
    """What a refresh does not follow: mkdocs.yml, the maintainers' pages and the theme (any change: a full build)."""
    stamps: Stamps = {}
    folders = [("docs", config.docs_dir), ("theme", config.theme.custom_dir)]
    for label, folder in folders:
        if folder:
            stamps.update((f"{label}/{path}", stamp) for path, stamp in scan(Path(folder)).items())
    try:
        stat = os.stat(config.config_file_path)
    except (OSError, TypeError):
        return stamps
    stamps["config"] = (stat.st_mtime_ns, stat.st_size)
    return stamps


def preview_builder(server: Any, builder: Callable[[], Any], refresh: Callable[[], bool]) -> Callable[[], None]:
    """The server's builder for the preview: a refresh when it can be done, else MkDocs' full build; Enter (see
    :class:`FullRebuildKey`) makes the next one a full build."""
    key = FullRebuildKey(server)

    def build() -> None:
        with watching_paused(server):
            if key.take():
                builder()
                return
            try:
                done = refresh()
            except Exception as error:  # a refresh that failed half-way: the full build makes the whole site right
                log.warning(f"xuncha：增量刷新失败（{type(error).__name__}：{str(error)[:200]}），改为完整重建")
                done = False
            if not done:
                builder()

    key.start()
    return build


@contextlib.contextmanager
def watching_paused(server: Any) -> Iterator[None]:
    """The server's file watcher does not poll while a build runs.

    MkDocs watches with watchdog's polling emitters, each of which lists and stats its whole folder every half second
    in a thread of this process. On a large site that thread and a build's own stats of content/ hand the interpreter
    lock to each other on every call, which made a refresh at 10,000 notices take many times as long. Each emitter
    takes a snapshot under its lock: holding the locks makes it wait; the first snapshot after the build reports every
    change made meanwhile.
    """
    observer = getattr(server, "observer", None)
    emitters = list(getattr(observer, "emitters", ()) or ())
    held = []
    try:
        for emitter in emitters:
            lock = getattr(emitter, "_lock", None)
            if lock is not None and lock.acquire(timeout=5):
                held.append(lock)
        yield
    finally:
        for lock in held:
            lock.release()


class FullRebuildKey:
    """Enter in the terminal of ``xuncha serve``: the whole site is built again (as after a change to mkdocs.yml).

    Read from the terminal's file descriptor in a daemon thread (not through ``sys.stdin``, whose lock a thread blocked
    in a read would hold when the process exits); without a terminal (input from /dev/null) it simply ends.
    """

    def __init__(self, server: Any) -> None:
        self._server = server
        self._wanted = threading.Event()

    def start(self) -> None:
        try:
            fd = sys.stdin.fileno() if sys.stdin is not None else -1
        except (OSError, ValueError, AttributeError):
            fd = -1
        if fd >= 0:
            threading.Thread(target=self._listen, args=(fd,), name="xuncha-full-rebuild", daemon=True).start()

    def take(self) -> bool:
        """Whether a full build was asked for since the last call."""
        wanted = self._wanted.is_set()
        self._wanted.clear()
        return wanted

    def _listen(self, fd: int) -> None:
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return
            if not data:
                return
            if b"\n" in data or b"\r" in data:
                log.info("xuncha：正在完整重建整个站点…")
                self._wanted.set()
                request_rebuild(self._server)
