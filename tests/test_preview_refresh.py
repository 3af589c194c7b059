"""``xuncha serve``'s quick refresh: an edit to a notice's body, to its front matter or to a round file renders again
only the pages it affects — those change, no other page is written — and the site is then byte for byte what a full
build of the edited records gives. A record broken by an edit shows the error site; fixing it restores the site.

The preview is driven in this process through MkDocs' API (as ``mkdocs serve`` builds), over a copy of the example.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from xuncha_site.core import routes
from xuncha_site.mkdocs_plugin.config import xuncha_plugin
from xuncha_site.mkdocs_plugin.plugin import XunchaPlugin

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "content/notices/2025-r1/shuiwu.md"
ROUND = "content/rounds/2025-r1.yml"
NOTICE_PAGE = routes.notice_path("2025-r1", "shuiwu")
SERVE_URL = "http://127.0.0.1:8000/"
# Written in the background after a build (the preview's search index): not compared.
BACKGROUND = (routes.SEARCH_DIR,)


class Preview:
    """A preview of a copy of the example site: its first build, then refreshes after edits, as the server runs them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = root / "served"
        self.config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(self.site))
        self.config.plugins.on_startup(command="serve", dirty=False)
        plugin = xuncha_plugin(self.config)
        assert isinstance(plugin, XunchaPlugin)
        self.plugin = plugin
        self.full_build(self.site)

    def full_build(self, site: Path) -> None:
        """What the server's builder does: the configuration read again, the whole site built (into ``site``)."""
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(site))
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)

    def edit(self, path: str, change: Callable[[str], str]) -> None:
        record = self.root / path
        text = record.read_text(encoding="utf-8")
        changed = change(text)
        assert changed != text
        record.write_text(changed, encoding="utf-8")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    root = tmp_path / "site"
    root.mkdir()
    for name in ("content", "pages", "theme"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    result = Preview(root)
    try:
        yield result
    finally:
        result.config.plugins.on_shutdown()


def files_of(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and not path.relative_to(site).as_posix().startswith(BACKGROUND)
    }


def stamps_of(site: Path) -> dict[str, int]:
    return {
        path.relative_to(site).as_posix(): path.stat().st_mtime_ns
        for path in site.rglob("*.html")
        if not path.relative_to(site).as_posix().startswith(BACKGROUND)
    }


def page_file(route: str) -> str:
    return routes.output_path(routes.source_path(route))


EDITS: dict[str, tuple[str, Callable[[str], str], tuple[str, ...]]] = {
    # kind: (file, edit, pages that must show it)
    "body": (
        NOTICE,
        lambda text: text.replace("召开党委会议6次专题研究", "召开党委会议7次专题研究", 1),
        (NOTICE_PAGE,),
    ),
    "front matter": (  # a notice the home page lists among the newest
        "content/notices/2026-r1/zhujian.md",
        lambda text: text.replace("title: 【巡察整改】", "title: 【巡察整改进展】", 1),
        (
            routes.notice_path("2026-r1", "zhujian"),
            routes.round_path("2026-r1"),
            routes.unit_path("zhujian"),
            routes.HOME,
        ),
    ),
    "round file": (
        ROUND,
        lambda text: text.replace("name: 十二届市委第六轮巡察", "name: 十二届市委第六轮专项巡察", 1),
        (routes.round_path("2025-r1"), NOTICE_PAGE, routes.ROUNDS, routes.HOME),
    ),
    "round file, not its name": (
        ROUND,
        lambda text: text.replace("feedback_date: 2025-03-20", "feedback_date: 2025-03-21", 1),
        (routes.round_path("2025-r1"), NOTICE_PAGE),
    ),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_a_refresh_renders_only_the_affected_pages_and_gives_the_full_builds_site(
    preview: Preview, tmp_path: Path, kind: str
) -> None:
    path, change, shown = EDITS[kind]
    before, stamps = files_of(preview.site), stamps_of(preview.site)
    preview.edit(path, change)

    assert preview.plugin.refresh(), "the edit should have been refreshed, not built in full"
    preview.plugin.wait_for_data()  # open data, feeds and sitemap.xml: written right after the pages

    pages = preview.plugin.refreshed
    after = files_of(preview.site)
    for route in shown:  # the pages that show the edit changed
        assert after[page_file(route)] != before[page_file(route)], f"{route!r} does not show the edit"
    # Exactly the affected pages were written again: no other page's file was touched.
    rewritten = {name for name, stamp in stamps_of(preview.site).items() if stamps.get(name) != stamp}
    assert rewritten == {page_file(route) for route in pages}
    assert len(pages) < len(stamps) / 2, "a refresh renders a part of the site"
    # And the site is what a full build of the edited records gives, file for file.
    reference = tmp_path / "reference"
    preview.full_build(reference)
    expected = files_of(reference)
    assert sorted(after) == sorted(expected)
    differing = [name for name in expected if after[name] != expected[name]]
    assert differing == []


def test_refreshes_follow_each_other(preview: Preview, tmp_path: Path) -> None:
    for path, change, _ in EDITS.values():
        preview.edit(path, change)
        assert preview.plugin.refresh()
    preview.plugin.wait_for_data()
    reference = tmp_path / "reference"
    preview.full_build(reference)
    assert files_of(preview.site) == files_of(reference)


def test_a_change_the_refresh_does_not_follow_asks_for_a_full_build(preview: Preview) -> None:
    stamps = stamps_of(preview.site)
    assert preview.plugin.refresh(), "nothing changed since the last look (the watcher saw a change read already)"
    assert preview.plugin.refreshed == set() and stamps_of(preview.site) == stamps
    preview.edit("content/themes.yml", lambda text: text + "\n# 注释\n")
    assert not preview.plugin.refresh()
    preview.full_build(preview.site)
    # A new notice adds pages: the whole site is built.
    record = preview.root / NOTICE
    shutil.copy(record, record.with_name("shuiwu2.md"))
    assert not preview.plugin.refresh()


def test_a_broken_record_shows_the_error_site_and_the_next_save_restores_it(preview: Preview) -> None:
    """The server's builder (installed by ``on_serve``): a refresh when it can, else the full build."""
    builds: list[str] = []

    def full() -> None:
        builds.append("full")
        preview.full_build(preview.site)

    class Server:  # what on_serve uses of MkDocs' live-reload server
        builder = None
        observer = None

    server = Server()
    from xuncha_site.mkdocs_plugin.refresh import preview_builder

    rebuild = preview_builder(server, full, preview.plugin.refresh)
    notice_page = preview.site / page_file(NOTICE_PAGE)
    preview.edit(NOTICE, lambda text: text.replace("stage: 进展", "stage: 中期", 1))
    rebuild()
    assert builds == ["full"]
    page = notice_page.read_text(encoding="utf-8")
    assert "data-xuncha-preview-error" in page and f"{NOTICE}:8: 错误:" in page

    preview.edit(NOTICE, lambda text: text.replace("stage: 中期", "stage: 进展", 1))
    rebuild()  # the error site was built in full: so is the site that replaces it
    assert builds == ["full", "full"]
    assert "data-xuncha-preview-error" not in notice_page.read_text(encoding="utf-8")

    preview.edit(NOTICE, EDITS["body"][1])
    rebuild()
    assert builds == ["full", "full"], "the next edit is refreshed again"
    assert "召开党委会议7次专题研究" in notice_page.read_text(encoding="utf-8")


def test_enter_in_the_terminal_builds_the_whole_site(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import threading
    import time

    from xuncha_site.mkdocs_plugin.refresh import preview_builder

    read, write = os.pipe()

    class Terminal:
        def fileno(self) -> int:
            return read

    class Server:
        _rebuild_cond = threading.Condition()
        _want_rebuild = False

    monkeypatch.setattr("sys.stdin", Terminal())
    calls: list[str] = []
    server = Server()
    rebuild = preview_builder(server, lambda: calls.append("full"), lambda: calls.append("refresh") or True)
    rebuild()
    assert calls == ["refresh"]
    os.write(write, b"\n")
    deadline = time.monotonic() + 10
    while not server._want_rebuild and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server._want_rebuild, "Enter asks the server for a build"
    rebuild()
    assert calls == ["refresh", "full"]
    rebuild()
    assert calls == ["refresh", "full", "refresh"], "only the build after Enter is a full one"
    os.close(write)
    os.close(read)


def test_a_refresh_that_fails_half_way_is_followed_by_a_full_build() -> None:
    from xuncha_site.mkdocs_plugin.refresh import preview_builder

    calls: list[str] = []

    def failing() -> bool:
        calls.append("refresh")
        raise LookupError("notices/x.md")

    class Server:
        pass

    preview_builder(Server(), lambda: calls.append("full"), failing)()
    assert calls == ["refresh", "full"]
