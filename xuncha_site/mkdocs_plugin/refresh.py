"""``xuncha serve``'s quick refresh: after an edit to a record, only the pages it affects are rendered again.

MkDocs' live-reload server calls its builder (a whole build) when a watched file changes. The plugin's ``on_serve``
puts :func:`preview_builder` in its place: it first asks the plugin to refresh (the records read again from the
cache, :func:`xuncha_site.core.changes.affected_pages`, those pages rendered with the engine's own page functions
and the last build's files, navigation and templates), and builds the whole site as before when the refresh cannot
be done (any change other than to notice and round records, a change of the site's set of pages, content errors,
which the error site shows). Pressing Enter in the terminal builds the whole site (:class:`FullRebuildKey`).

Where the system tells of file changes as they happen (inotify on Linux, FSEvents on macOS, Windows' change
notifications), :class:`ContentEvents` watches ``content/`` in place of MkDocs' polling watcher: a save is seen at
once, not at the next poll, and a refresh looks only at the files the events name instead of every file of the
folder. Where the system's watcher cannot start (no such service, its limits reached), MkDocs polls as before and a
refresh compares every file of ``content/`` with the last look.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from stat import S_ISDIR
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from xuncha_site.core.changes import Stamp, Stamps, scan
from xuncha_site.mkdocs_plugin.content_watch import request_rebuild

log = logging.getLogger("mkdocs.plugins.xuncha_site")

FULL_REBUILD_HINT = "按回车键可完整重建整个站点"
_RELOAD_EPOCH = re.compile(r"/livereload/([0-9]+)/[0-9]+")  # MkDocs' live-reload request: /livereload/<epoch>/<id>


def render_pages(
    src_uris: Iterable[str],
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
    env: Any,
    doc_files: Any = None,
) -> None:
    """Render and write these generated pages as a full build does (the same functions, events and order);
    ``doc_files``: the documentation pages of ``files`` as MkDocs' server includes them, if the caller has them."""
    if doc_files is None:
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


# Events that say a file was read, not changed (a build reads every record): ignored.
_READ_EVENTS = frozenset({"opened", "closed_no_write"})


class ContentEvents(FileSystemEventHandler):
    """The files of ``content/`` that the system's file events named since the last :meth:`take`.

    A refresh compares only these with the last look (:func:`stamps_of`); an event for a folder that came, went or
    moved (whose files the events may not all name) makes the next look a scan of the whole folder.
    """

    def __init__(self, content_dir: Path, changed: Callable[[], None]) -> None:
        self._content = os.path.abspath(content_dir)
        self._changed = changed
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self._rescan = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _READ_EVENTS:
            return
        if event.is_directory:
            if event.event_type in ("modified", "attrib", "closed"):  # its files' own events follow
                return
            with self._lock:
                self._rescan = True
        else:
            paths = [self._relative(event.src_path), self._relative(getattr(event, "dest_path", "") or "")]
            with self._lock:
                for path in paths:
                    if isinstance(path, str):
                        self._paths.add(path)
                    elif path is False:
                        self._rescan = True
        self._changed()

    def _relative(self, path: bytes | str) -> str | bool | None:
        """The path relative to ``content/`` (POSIX); None for no path, False for one outside the folder."""
        if not path:
            return None
        full = os.path.abspath(os.fsdecode(path))
        if not full.startswith(self._content + os.sep):
            return False
        return full[len(self._content) + 1 :].replace(os.sep, "/")

    def take(self) -> set[str] | None:
        """The files named since the last call (relative to ``content/``), or None when the whole folder must be
        looked at."""
        with self._lock:
            paths, rescan = self._paths, self._rescan
            self._paths, self._rescan = set(), False
        return None if rescan else paths

    def rescan(self) -> None:
        """The next :meth:`take` asks for a scan of the whole folder (the watch was made anew)."""
        with self._lock:
            self._rescan = True


def stamps_of(folder: Path, paths: Iterable[str]) -> dict[str, Stamp | None]:
    """The stamps of these files of ``folder`` (as :func:`xuncha_site.core.changes.scan` gives), None for a file that
    is not there (or is not a file)."""
    found: dict[str, Stamp | None] = {}
    for path in paths:
        try:
            stat = os.stat(folder / path)
        except OSError:
            found[path] = None
            continue
        found[path] = None if S_ISDIR(stat.st_mode) else (stat.st_mtime_ns, stat.st_size)
    return found


def watch_content(content_dir: Path, events: ContentEvents) -> Any | None:
    """Watch ``content_dir`` with the system's file events (its own observer, started now); None, having started
    nothing, when they cannot be had here (MkDocs' polling watcher then stays)."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    if Observer is PollingObserver:  # no event service on this system
        return None
    observer = Observer()
    observer.daemon = True
    try:
        observer.schedule(events, os.fspath(content_dir), recursive=True)
        observer.start()
    except Exception as error:  # e.g. inotify's limits of watches or instances
        log.info(f"xuncha：无法使用系统的文件变化通知（{str(error)[:120]}），改为定时检查 content/")
        with contextlib.suppress(Exception):
            observer.stop()
        return None
    return observer


class OpenPages:
    """The pages open in a browser (each waits on MkDocs' live-reload for a change), so that a refresh renders them
    first and has them reloaded at once, while it renders the other pages the edit affects.

    The server's WSGI application is wrapped: a live-reload request names its page (its Referer) while it waits. Once
    the open pages are written, :meth:`reload_now` does what MkDocs does after a build (the browsers reload, requests
    are served again); a page requested before the other pages were written is reloaded again when they are
    (:meth:`done`). Without MkDocs' live-reload server (another version, a test) it does nothing.

    The other pages wait until the reloaded pages are back (:meth:`wait_reloaded`): a page's live-reload script asks
    again, with the new epoch, once the page has loaded. Rendering meanwhile would hold the interpreter lock against
    the server's threads, and the browser would wait for the page, its style sheets and scripts several times as long.
    """

    def __init__(self, server: Any) -> None:
        self._server = server
        self._mount = str(getattr(server, "mount_path", "/") or "/")
        self._lock = threading.Condition()
        self._waiting: dict[int, str] = {}  # request → the output file of its page
        self._served: set[str] | None = None  # output files served since reload_now, until done
        self._epochs: dict[str, int] = {}  # the output file of a page → the newest epoch its live-reload asked with
        self._reloading: tuple[set[str], int] = (set(), 0)  # the pages reloaded by reload_now, and the epoch they get
        self.enabled = all(hasattr(server, name) for name in ("_epoch_cond", "_visible_epoch", "_wanted_epoch"))
        if self.enabled and hasattr(server, "get_app") and hasattr(server, "set_app"):
            app = server.get_app()
            server.set_app(lambda environ, start_response: self._serve(app, environ, start_response))
        else:
            self.enabled = False

    def _output(self, path: str) -> str | None:
        """The output file (relative to the site folder) of a URL path under the mount path."""
        if not path.startswith(self._mount):
            return None
        relative = path[len(self._mount) :]
        return relative + "index.html" if relative == "" or relative.endswith("/") else relative

    def _serve(self, app: Callable[..., Any], environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith("/livereload/"):
            page = self._output(urlsplit(str(environ.get("HTTP_REFERER", ""))).path)
            if page is None:
                return app(environ, start_response)
            key = id(environ)
            epoch = _RELOAD_EPOCH.fullmatch(path)
            with self._lock:
                self._waiting[key] = page
                if epoch is not None:
                    self._epochs[page] = max(self._epochs.get(page, 0), int(epoch[1]))
                    self._lock.notify_all()
            try:
                return app(environ, start_response)
            finally:
                with self._lock:
                    self._waiting.pop(key, None)
        with self._lock:
            if self._served is not None:
                output = self._output(path)
                if output is not None:
                    self._served.add(output)
        return app(environ, start_response)

    def open(self) -> set[str]:
        """The output files of the pages open in a browser now."""
        with self._lock:
            return set(self._waiting.values())

    def reload_now(self) -> None:
        """The site as written so far is shown: the browsers reload, requests wait no more."""
        if not self.enabled:
            return
        server = self._server
        with self._lock:
            self._served = set()
            self._reloading = (set(self._waiting.values()), server._wanted_epoch)
        with server._epoch_cond:
            server._visible_epoch = server._wanted_epoch
            server._epoch_cond.notify_all()

    def wait_reloaded(self, seconds: float = 2.0) -> bool:
        """Wait (at most ``seconds``) until every page open at :meth:`reload_now` has loaded again (its live-reload
        script asks with the new epoch); whether they all did."""
        with self._lock:
            pages, epoch = self._reloading
            return self._lock.wait_for(lambda: all(self._epochs.get(page, 0) >= epoch for page in pages), seconds)

    def done(self, written: Iterable[str]) -> None:
        """The other pages are written (their output files): the browsers that loaded one before reload again."""
        with self._lock:
            served, self._served = self._served, None
        if not self.enabled or not served or not served & set(written):
            return
        server = self._server
        with server._epoch_cond:
            epoch = max(server._wanted_epoch + 1, round(time.monotonic() * 1000))
            server._wanted_epoch = server._visible_epoch = epoch
            server._epoch_cond.notify_all()


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
