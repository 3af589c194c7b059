"""The preview's search: indexed in the background after each rebuild of `xuncha serve`."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from xuncha_site.core.routes import SEARCH_DIR
from xuncha_site.core.scratch import make_folder
from xuncha_site.search.job import IndexJob

log = logging.getLogger("mkdocs.plugins.xuncha_site")


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
