"""``xuncha serve`` keeps watching ``content/`` after the folder is deleted and made again.

MkDocs' server watches each path with a polling emitter that stops for good when its folder disappears (and ignores
the folder's own events), so after ``content/`` was deleted and restored — a ``git checkout``, a restore from a
backup, a ``mv`` — the preview silently stopped rebuilding. This watches the folder that holds ``content/`` (not
recursively: one directory listing per poll) and, when ``content/`` goes or comes back, watches it anew and asks
the server for a rebuild, which shows the error page while the folder is missing and the site once it is back.
When ``content/`` is watched with the system's file events instead (:class:`~xuncha_site.mkdocs_plugin.refresh.
ContentEvents`), ``rewatch`` makes that watch anew.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

log = logging.getLogger("mkdocs.plugins.xuncha_site")


class ContentWatch(FileSystemEventHandler):
    def __init__(self, server: Any, content_dir: Path, rewatch: Callable[[], None] | None = None) -> None:
        self._server = server
        self._content = os.path.abspath(content_dir)
        self._rewatch = rewatch
        server.observer.schedule(self, os.path.dirname(self._content), recursive=False)

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")}
        if self._content not in paths:
            return
        if os.path.isdir(self._content) and self._rewatch is not None:
            self._rewatch()
        elif os.path.isdir(self._content):
            # The old emitter stopped when the folder went: watch the new folder (MkDocs counts watches per path).
            if self._content in getattr(self._server, "_watched_paths", {}):
                self._server.unwatch(self._content)
            self._server.watch(self._content)
        self._request_rebuild()

    def _request_rebuild(self) -> None:
        request_rebuild(self._server)


# MkDocs 1.6 and ProperDocs have no public calls for the next two: they use the server's own rebuild flag, as its
# watch callbacks and its build loop do (tests/test_live_reload_server.py checks it on both servers).


def request_rebuild(server: Any) -> None:
    """Ask MkDocs' (or ProperDocs') live-reload server to build as if a watched file had changed."""
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None:
        log.warning("xuncha：内容目录已变化，请保存任一记录以刷新预览")
        return
    with condition:
        server._want_rebuild = True
        condition.notify_all()


def rebuild_requested(server: Any) -> bool:
    """Whether a file changed (or Enter was pressed) since the server's build began: another build is due."""
    return bool(getattr(server, "_want_rebuild", False))
