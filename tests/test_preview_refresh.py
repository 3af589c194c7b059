"""``xuncha serve``'s quick refresh: an edit to a notice's body, to its front matter or to a round file renders again
only the pages it affects — those change, no other page is written — and the site is then byte for byte what a full
build of the edited records gives. A record broken by an edit shows the error site; fixing it restores the site.

The preview is driven in this process through MkDocs' API (as ``mkdocs serve`` builds), over a copy of the example.
"""

from __future__ import annotations

import os
import re
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
    "round file, what no notice takes": (  # its notices read the same: kept as they were
        ROUND,
        lambda text: text.replace("description: 本轮巡察跨年度开展", "description: 本轮巡察于2024年底启动、跨年度开展", 1),
        (routes.round_path("2025-r1"),),
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


def catalogue_facts(catalogue: object) -> dict[str, object]:
    """Every field of a catalogue, with the order of the mappings that pages list in order."""
    from xuncha_site.core.catalogue import Catalogue

    assert isinstance(catalogue, Catalogue)
    facts: dict[str, object] = {name: getattr(catalogue, name) for name in Catalogue.__dataclass_fields__}
    themes = catalogue.themes
    facts["themes"] = (themes.entries, themes.problems, themes.counted)
    facts["orders"] = (
        list(catalogue.rounds),
        list(catalogue.statuses),
        list(catalogue.in_round),
        list(catalogue.units),
        list(catalogue.trackers),
        [(list(entry.rounds), list(entry.years)) for entry in themes.entries],
    )
    return facts


@pytest.mark.parametrize("kind", list(EDITS))
def test_a_refreshs_catalogue_is_what_a_load_from_nothing_gives(preview: Preview, kind: str) -> None:
    """The catalogue a refresh makes from the last one (the records it keeps, their theme entries, statuses and
    trackers) is the one that a load of every record from nothing makes, edit after edit."""
    from xuncha_site.mkdocs_plugin.config import project_from_config

    path, change, _ = EDITS[kind]
    notices = {notice.id: notice for notice in preview.plugin.catalogue.notices}
    original = (preview.root / path).read_text(encoding="utf-8")
    preview.edit(path, change)
    assert preview.plugin.refresh()
    fresh = project_from_config(load_config(config_file=str(preview.root / "mkdocs.yml"))).catalogue
    assert catalogue_facts(preview.plugin.catalogue) == catalogue_facts(fresh)
    # A round's notices that read the same after its record changed stay the same objects: not new to the checks,
    # the theme index and the trackers (those whose titles name the round, or take its dates, are new).
    new = [notice for notice in preview.plugin.catalogue.notices if notice is not notices[notice.id]]
    assert all(notice != notices[notice.id] for notice in new)
    if not kind.startswith("round file"):
        assert len(new) == 1
    elif kind == "round file, what no notice takes":
        assert new == []
    # And back to the records as they were: another catalogue made from the last.
    (preview.root / path).write_text(original, encoding="utf-8")
    assert preview.plugin.refresh()
    fresh = project_from_config(load_config(config_file=str(preview.root / "mkdocs.yml"))).catalogue
    assert catalogue_facts(preview.plugin.catalogue) == catalogue_facts(fresh)


def test_refreshes_follow_each_other(preview: Preview, tmp_path: Path) -> None:
    for path, change, _ in EDITS.values():
        preview.edit(path, change)
        assert preview.plugin.refresh()
    preview.plugin.wait_for_data()
    reference = tmp_path / "reference"
    preview.full_build(reference)
    assert files_of(preview.site) == files_of(reference)


@pytest.mark.parametrize("then", ["another edit", "no change"])
def test_pages_left_when_the_next_edit_comes_are_rendered_by_the_next_refresh(
    preview: Preview, tmp_path: Path, then: str
) -> None:
    """A refresh stops rendering the pages that are not open once another edit comes (MkDocs wants a build again):
    the next refresh renders them with its own, and the site is then the full build's."""
    looks: list[int] = []
    preview.plugin._edited = lambda: bool(looks.append(1)) or len(looks) > 2
    preview.edit(ROUND, EDITS["round file"][1])
    assert preview.plugin.refresh()
    left = set(preview.plugin._unrendered)
    assert len(preview.plugin.refreshed) == 2 and len(left) > 10
    assert not left & preview.plugin.refreshed
    preview.plugin._edited = lambda: False
    if then == "another edit":
        preview.edit(NOTICE, EDITS["body"][1])
    assert preview.plugin.refresh()
    assert preview.plugin._unrendered == set()  # rendered, or a listing page whose view is the one on disk
    assert len(left & preview.plugin.refreshed) > 10
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


def fresh_diagnostics(root: Path) -> list[object]:
    """What a load of the site's records from nothing (no cache) reports."""
    from xuncha_site.mkdocs_plugin.config import project_from_config

    config = load_config(config_file=str(root / "mkdocs.yml"))
    return project_from_config(config).diagnostics.sorted()


def test_a_refresh_reports_what_a_load_of_every_record_reports(tmp_path: Path) -> None:
    """Records that did not change are not read or checked again: their warnings are still reported, each once."""
    root = tmp_path / "site"
    root.mkdir()
    for name in ("content", "pages", "theme"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    warned = {
        # the loader's (a heading of level 1 in the body), the cross-record checks' (stage 完成 while problems are
        # still being fixed, in a notice with a local attachment) and the theme marks' (a theme not in the list)
        "content/notices/2026-r1/zhujian.md": lambda text: text.replace(
            "\n### 第一方面", "\n# 说明\n\n### 第一方面", 1
        ),
        NOTICE: lambda text: text.replace("stage: 进展", "stage: 完成", 1),
        "content/notices/2025-r1/renshe.md": lambda text: re.sub(
            r"\n(### [^\n]+)", r"\n\1{主题：没有这个主题}", text, count=1
        ),
    }
    for path, change in warned.items():
        record = root / path
        text = record.read_text(encoding="utf-8")
        assert change(text) != text
        record.write_text(change(text), encoding="utf-8")
    expected = fresh_diagnostics(root)
    messages = " ".join(diag.message for diag in expected)  # type: ignore[attr-defined]
    assert "一级标题" in messages and "整改阶段写的是“完成”" in messages and "没有这个主题" in messages
    preview = Preview(root)
    try:
        edits = [
            ("content/notices/2025-r1/minzheng.md", lambda text: text.replace("## 一、", "## 一、 ", 1)),
            (ROUND, EDITS["round file, not its name"][1]),  # the round's notices are read again
            (NOTICE, EDITS["body"][1]),
            ("content/notices/2026-r1/zhujian.md", EDITS["front matter"][1]),
        ]
        for path, change in edits:
            preview.edit(path, change)
            assert preview.plugin.refresh()
            assert preview.plugin.project.diagnostics.sorted() == fresh_diagnostics(root), path
        preview.plugin.wait_for_data()
        reference = tmp_path / "reference"
        preview.full_build(reference)
        assert files_of(preview.site) == files_of(reference)
    finally:
        preview.config.plugins.on_shutdown()


def wait_until(condition: Callable[[], object], seconds: float = 10) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_the_systems_file_events_name_the_files_that_changed(tmp_path: Path) -> None:
    from xuncha_site.mkdocs_plugin.refresh import ContentEvents, watch_content

    content = tmp_path / "content"
    folder = content / "notices" / "r1"
    folder.mkdir(parents=True)
    record = folder / "a.md"
    record.write_text("一", encoding="utf-8")
    calls: list[int] = []
    events = ContentEvents(content, lambda: calls.append(1))
    observer = watch_content(content, events)
    assert observer is not None, "this system tells of file changes (inotify, FSEvents, Windows)"
    try:
        seen: set[str] = set()

        def named(path: str) -> bool:
            taken = events.take()
            assert taken is not None
            seen.update(taken)
            return path in seen

        record.write_text("二", encoding="utf-8")
        wait_until(lambda: named("notices/r1/a.md"))
        # An editor's save: a new file renamed over the record.
        (folder / ".a.md.tmp").write_text("三", encoding="utf-8")
        os.replace(folder / ".a.md.tmp", record)
        seen.clear()
        wait_until(lambda: named("notices/r1/a.md"))
        import time

        quiet_by = time.monotonic() + 10
        while True:  # wait until the save's late events, however slow the machine, have all come
            count = len(calls)
            time.sleep(0.3)
            if len(calls) == count:
                break
            assert time.monotonic() < quiet_by, "the events of one save never ended"
        events.take()
        assert record.read_text(encoding="utf-8") == "三"  # a file read is no change
        time.sleep(0.3)
        assert events.take() == set() and len(calls) == count
        shutil.rmtree(folder)  # a folder gone: the whole folder is looked at again
        wait_until(lambda: events.take() is None)
    finally:
        observer.stop()
        observer.join()


def test_a_refresh_looks_only_at_the_files_the_events_named(preview: Preview, monkeypatch: pytest.MonkeyPatch) -> None:
    from xuncha_site.mkdocs_plugin import plugin as plugin_module
    from xuncha_site.mkdocs_plugin.refresh import ContentEvents, watch_content

    content = preview.root / "content"
    events = ContentEvents(content, lambda: None)
    observer = watch_content(content, events)
    assert observer is not None
    preview.plugin._events = events
    try:
        monkeypatch.setattr(plugin_module, "scan", lambda folder: pytest.fail("content/ scanned"))
        before = files_of(preview.site)
        preview.edit(NOTICE, EDITS["body"][1])
        wait_until(lambda: events._paths)
        assert preview.plugin.refresh()
        assert NOTICE_PAGE in preview.plugin.refreshed
        after = files_of(preview.site)
        assert after[page_file(NOTICE_PAGE)] != before[page_file(NOTICE_PAGE)]
        # A file that is no record still makes the whole site built.
        (content / "notices" / "2025-r1" / "files" / "new.txt").write_text("附件", encoding="utf-8")
        # A late event of the edit above may arrive first: wait for the one of this file.
        wait_until(lambda: "notices/2025-r1/files/new.txt" in events._paths)
        assert not preview.plugin.refresh()
    finally:
        preview.plugin._events = None  # MkDocs keeps the plugin for the next configuration loaded
        observer.stop()
        observer.join()


class LiveReloadServer:
    """What OpenPages uses of MkDocs' live-reload server: its epochs and its WSGI application. A live-reload request
    waits, as MkDocs' does, until the visible epoch is newer than the one it names."""

    mount_path = "/"

    def __init__(self) -> None:
        import threading

        self._epoch_cond = threading.Condition()
        self._visible_epoch = 1
        self._wanted_epoch = 2  # a build is under way
        self.closed = False
        self._app = self.serve

    def serve(self, environ: dict[str, str], start_response: object) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path.startswith("/livereload/"):
            epoch = int(path.split("/")[2])
            with self._epoch_cond:  # the browser waits for a change
                self._epoch_cond.wait_for(lambda: self._visible_epoch > epoch or self.closed, 10)
                return [str(self._visible_epoch).encode()]
        return [b""]

    def close(self) -> None:
        with self._epoch_cond:
            self.closed = True
            self._epoch_cond.notify_all()

    def get_app(self) -> Callable[..., list[bytes]]:
        return self._app

    def set_app(self, app: Callable[..., list[bytes]]) -> None:
        self._app = app


def test_the_pages_open_in_a_browser_are_rendered_and_reloaded_first(
    preview: Preview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from xuncha_site.mkdocs_plugin import plugin as plugin_module
    from xuncha_site.mkdocs_plugin.refresh import OpenPages

    server = LiveReloadServer()
    browsers = OpenPages(server)
    preview.plugin._browsers = browsers
    events: list[tuple[str, object]] = []

    def browser() -> None:
        """A browser showing the notice's page: it waits for a change, reloads the page (a while), waits again."""
        app, epoch = server.get_app(), 1
        while not server.closed:
            poll = {"PATH_INFO": f"/livereload/{epoch}/1", "HTTP_REFERER": SERVE_URL + NOTICE_PAGE}
            newer = int(app(poll, None)[0])
            if newer > epoch and not server.closed:
                events.append(("reloading", newer))
                time.sleep(0.3)  # the page, its style sheets and scripts
                epoch = newer
                events.append(("reloaded", epoch))

    waiting = threading.Thread(target=browser)
    waiting.start()
    rendered: list[tuple[list[str], bool]] = []
    render = plugin_module.render_pages

    def recording(src_uris: list[str], *args: object) -> None:
        rendered.append((list(src_uris), server._visible_epoch == server._wanted_epoch))
        events.append(("render", len(rendered)))
        render(src_uris, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(plugin_module, "render_pages", recording)
    try:
        wait_until(lambda: browsers.open())
        preview.edit(ROUND, EDITS["round file"][1])
        assert preview.plugin.refresh()
    finally:
        preview.plugin._browsers = None  # MkDocs keeps the plugin for the next configuration loaded
        server.close()
        waiting.join()
    (first, shown_first), *others = rendered
    later = [src for batch, _ in others for src in batch]
    assert first == [routes.source_path(NOTICE_PAGE)] and not shown_first
    assert others and all(shown for _, shown in others), "the open page was shown before the others were rendered"
    # The other pages waited for the browser to load the open page again (they would slow its loading down).
    assert events[:4] == [("render", 1), ("reloading", 2), ("reloaded", 2), ("render", 2)]
    assert all(event[0] == "render" for event in events[4:])
    assert len(later) > 1 and routes.source_path(NOTICE_PAGE) not in later
    preview.plugin.wait_for_data()
    reference = tmp_path / "reference"
    preview.full_build(reference)
    assert files_of(preview.site) == files_of(reference)
