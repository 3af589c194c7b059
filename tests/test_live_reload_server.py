"""The preview relies on parts of MkDocs' (and ProperDocs') live-reload server that are not public API: its rebuild
flag, its epochs and its watched paths. These tests use the real servers, so that a release that renames one of them
fails here instead of silently turning the instant preview into full rebuilds or stale pages."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from xuncha_site.mkdocs_plugin.content_watch import ContentWatch, rebuild_requested, request_rebuild
from xuncha_site.mkdocs_plugin.refresh import OpenPages


@pytest.fixture(params=["mkdocs", "properdocs"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    livereload = importlib.import_module(f"{request.param}.livereload")
    # bind_and_activate is off in its constructor: no socket is opened until serve() is called.
    made = livereload.LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    yield made
    made.server_close()


def test_a_rebuild_asked_for_is_seen_by_the_server_and_by_the_preview(server: Any) -> None:
    assert not rebuild_requested(server)
    request_rebuild(server)
    assert server._want_rebuild is True, "the flag the server's build loop waits for"
    assert rebuild_requested(server)


def test_the_server_watch_of_content_is_found_where_content_watch_looks(server: Any, tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    server.watch(str(content))
    assert str(content) in server._watched_paths
    ContentWatch(server, content)  # schedules its watch of content/'s parent on the server's observer
    watched = {watch.path for watch in server.observer._watches}
    assert str(tmp_path) in watched


def test_open_pages_find_the_server_epochs_and_its_application(server: Any) -> None:
    app = server.get_app()
    pages = OpenPages(server)
    assert pages.enabled, "the epochs it reloads the browsers with"
    assert server.get_app() is not app, "it serves the live-reload requests in front of the server's application"
