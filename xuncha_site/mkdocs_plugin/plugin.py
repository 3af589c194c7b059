"""MkDocs adapter: validates content, generates every page of the site and hands templates their ready data.

The plugin is deliberately thin. ``on_config`` loads and validates the project once per build and computes the
:class:`~xuncha_site.core.catalogue.Catalogue`; ``on_files`` adds one generated page per notice, round, unit and fixed page
(the MkDocs 1.6 way: ``File.generated`` with in-memory content, kept out of the navigation); ``on_page_context``
builds the page's view with :mod:`xuncha_site.views`. Templates live in the theme's ``custom_dir``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from xuncha_site.core import routes
from xuncha_site.core.attachments import AttachmentError, local_source
from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.changes import LISTINGS, Stamps, affected_pages, changed_files, is_record, scan
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.input_files import special_file
from xuncha_site.core.loader import NoticeCache
from xuncha_site.core.markdown import Renderer
from xuncha_site.core.model import Round
from xuncha_site.core.progress import Progress
from xuncha_site.core.project import Project, cache_folder
from xuncha_site.core.scratch import give_back_freed_memory
from xuncha_site.core.site_dir import output_problem, project_sources, stamp
from xuncha_site.mkdocs_plugin.config import XunchaConfig, project_from_config
from xuncha_site.mkdocs_plugin.content_watch import ContentWatch, rebuild_requested, request_rebuild
from xuncha_site.mkdocs_plugin.error_site import error_page, error_site_paths
from xuncha_site.mkdocs_plugin.refresh import (
    FULL_REBUILD_HINT,
    ContentEvents,
    OpenPages,
    preview_builder,
    render_pages,
    source_stamps,
    stamps_of,
    watch_content,
)
from xuncha_site.outputs.feeds import feed_links, render as render_feed
from xuncha_site.outputs.files import content_output_files, content_outputs, sitemap_outputs
from xuncha_site.search.errors import SearchIndexError
from xuncha_site.search.job import IndexJob, theme_filters
from xuncha_site.views import (
    disclosure as disclosure_page,
    feedback as feedback_page,
    home as home_page,
    html as html_pieces,
    notice as notice_page,
    round as round_page,
    rounds as rounds_page,
    search as search_page,
    sitemap as sitemap_page,
    themes as themes_page,
    unit as unit_page,
    units as units_page,
)
from xuncha_site.views.widgets import SiteView, site_view

if TYPE_CHECKING:  # an aggregator's modules (federation) are imported by the builds that have members
    from xuncha_site.federation.gather import MemberData
    from xuncha_site.search.preview import PreviewSearch

log = logging.getLogger("mkdocs.plugins.xuncha_site")

# The site's policy meta tag (theme/main.html); left out of the preview only.
_CONTENT_SECURITY_POLICY = re.compile(r"<meta\s+http-equiv=[\"']?Content-Security-Policy[\"']?[^>]*>\s*", re.I)
LARGE_SITE = 500  # pages or notices from which a build shows its progress
# Material names its stylesheet after its content's hash; theme/base.html (our skeleton in place of Material's) links
# the one this version of Material ships.
_MATERIAL_CSS = re.compile(r"assets/stylesheets/main\.[0-9a-f]+\.min\.css")

# Templates that the theme must provide (theme/ is the Material custom_dir).
TEMPLATES = (
    "notice.html",
    "round.html",
    "rounds.html",
    "unit.html",
    "units.html",
    "home.html",
    "feedback.html",
    "sitemap.html",
    "themes.html",
    "theme.html",
    "disclosure.html",
)


@dataclass(frozen=True)
class PageSpec:
    """A generated page: its template, its title and how to build its view for a given ``base_url``."""

    template: str
    title: str
    view: Callable[[str], Any]
    current: str | None = None  # the nav entry it belongs to


class XunchaPlugin(BasePlugin[XunchaConfig]):
    def __init__(self) -> None:
        self.project: Project | None = None
        self.catalogue: Catalogue | None = None
        self.renderer: Renderer | None = None
        self._preloaded: Project | None = None
        self._specs: dict[str, PageSpec] = {}
        self._page_rounds: dict[str, Round] = {}  # round pages' source paths → their round (for feed links)
        self._page_urls: list[tuple[str, None]] = []
        self._search: IndexJob | None = None
        self._serving = False
        self._broken: Diagnostics | None = None  # serve only: the site failed its check, every page shows why
        self._preview_search: PreviewSearch | None = None
        self._pages: Progress | None = None
        self._indexing: Progress | None = None
        self._notices: NoticeCache | None = None
        self._site_name = ""
        self._site_url = ""
        self._content_watch: ContentWatch | None = None
        self._site_views: dict[tuple[str, str | None], SiteView] = {}  # of self._site_views_of, by (base URL, nav)
        self._site_views_of: Catalogue | None = None
        self._events: ContentEvents | None = None  # serve: content/'s changes as the system's file events name them
        self._events_observer: Any = None
        self._events_watch: Any = None
        self._browsers: OpenPages | None = None  # serve: the pages open in a browser
        self._members: list[MemberData] = []  # an aggregator's member sites as gathered for this build
        # Serve only: what the last build used, for a refresh that renders only the pages an edit affects.
        self._last: _LastBuild | None = None
        self._building: _LastBuild | None = None
        self.refreshed: set[str] = set()  # the routes of the pages the last refresh rendered again
        # Serve: the affected pages that a refresh left when the next edit came (the next refresh renders them), and
        # whether an edit came since the server's builder began (MkDocs' live-reload server wants a build again).
        self._unrendered: set[str] = set()
        self._edited: Callable[[], bool] = lambda: False
        self.timings: dict[str, float] = {}  # the last refresh's seconds by phase (perf_counter)
        self._outputs: threading.Timer | None = None  # writes the data files of the last refresh, once quiet
        self._data_lock = threading.Lock()
        self._data_generation = 0  # refreshes and builds so far: only the newest writes the data files
        self._pending_data: tuple[Project, _LastBuild, int] | None = None  # the data files to write, once quiet

    def use_project(self, project: Project) -> None:
        """Reuse a project that the caller (``xuncha build``) has already loaded and reported, for the next build."""
        self._preloaded = project

    # --- events ---------------------------------------------------------------------------------------------------

    # Defining on_startup also keeps this instance across `serve` rebuilds (MkDocs caches such plugins).
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._serving = command == "serve"
        # A preview rebuild reads again only the records that changed.
        self._notices = NoticeCache() if self._serving else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        gc.unfreeze()  # what an earlier build in this process froze, if it never shut down (_keep_from_collector)
        self._check_config(config)
        project, self._preloaded = self._preloaded, None
        with self._data_lock:  # a refresh's data files are not written once this build empties the folder
            self._data_generation += 1
            self._pending_data = None
        self._last = None
        self._unrendered = set()  # the whole site is built
        if self._serving:
            gc.unfreeze()  # the last build's objects (see on_post_build) may be collected once this one replaces them
            # What the records are before they are read: a refresh looks for changes since.
            content = Path(config.config_file_path).parent / str(self.config.get("content_dir") or "content")
            if self._events is not None:  # what they named so far is in the scan
                self._events.take()
            self._building = _LastBuild(config, scan(content), source_stamps(config))
        if project is None:
            if self._notices is not None:  # a full build reads every record's file again (none is taken as it was)
                self._notices.changed = None
            project = project_from_config(config, cache=self._notices)
            _report(project)
        if not self._serving:  # the preview builds into a temporary folder of its own
            self._check_site_dir(config, project)
        self._broken = None
        if project.failed():
            if not self._serving:
                raise PluginError(f"xuncha：内容检查未通过（{project.diagnostics.summary()}），站点未构建")
            # A preview keeps running: every page shows the errors until the records are fixed.
            log.error(f"xuncha：内容检查未通过（{project.diagnostics.summary()}），浏览器中的每个页面都列出了错误")
            self.project, self._broken = project, project.diagnostics
            config.theme.static_templates.discard("404.html")  # the error site has its own
            self._watch_content(config)
            return config
        self.project = project
        self._keep_from_collector()
        self.catalogue = project.catalogue
        give_back_freed_memory()  # what reading, checking and counting the records left behind
        self._members = self._gather_members(project)
        self._site_name = config.site_name
        self._site_url = config.site_url or ""
        self.renderer = Renderer()
        self._watch_content(config)
        self._keep_from_collector()
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        assert self.project is not None
        self._discard_search()
        if self._serving:
            if self._preview_search is not None:
                self._preview_search.rebuilding()
            return  # the preview indexes after the build, in the background (PreviewSearch)
        self._indexing = Progress("搜索索引", len(self.project.public_notices()), minimum=LARGE_SITE)
        self._search = self._index_job(config, self._indexing.advance)

    # Runs before other plugins' on_files so that they (sitemap, feeds, search) see the generated pages.
    @event_priority(50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self._broken is not None:
            return self._error_site(files, config)
        self._drop_unused_theme_files(files, config)
        self._check_special_files(files)
        self._specs = dict(self._generate_specs())
        for src_uri in self._specs:
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                log.warning(f"xuncha：{config.docs_dir}/{src_uri} 与自动生成的页面同名，已被忽略")
                files.remove(existing)
            # Empty content: the page is all template; title and template are set in on_page_markdown.
            file = File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(file)
            _TemplatePage(None, file, config)  # becomes file.page, which MkDocs then reads and renders
        self._add_attachments(files, config)
        self._add_open_data(files, config)
        give_back_freed_memory()  # the open-data documents, written and let go (a hundred MB on a large site)
        self._page_urls = [(file.url, None) for file in files.documentation_pages()]
        if self._building is not None:
            self._building.files = files
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self._building is not None:
            self._building.nav = nav
        return nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self._specs.get(page.file.src_uri)
        if spec is not None:
            page.meta["template"] = spec.template
            page.meta["title"] = spec.title
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A page of docs_dir rendered by MkDocs is markup (the maintainers' own pages): marked so, it is the one value
        # that the autoescaping templates print as it is.
        return Markup(html)

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        # Every template autoescapes — ours and Material's (its partials print settings such as site_description):
        # record text and settings must never become markup.
        env.autoescape = True
        env.bytecode_cache = _template_cache(Path(config.config_file_path or ".").parent)
        env.globals["xc_material_css"] = _material_stylesheet(files)
        env.globals["xc_shared"] = _shared_partials(env)
        env.globals["xc_html"] = html_pieces  # the pieces that views write in Python (crumbs, facts, lists, cards)
        # Material's translations (``lang.t(key)``) depend on the theme's language alone: made once for the build,
        # not imported again by every page (theme/base.html); Material's partials find it under the same name.
        env.globals["lang"] = _Translations(env.get_template("partials/language.html").make_module({"config": config}))
        if self._building is not None:
            self._building.env = env
        if not self._serving:
            self._pages = Progress("生成页面", len(files.documentation_pages()), minimum=LARGE_SITE)
            # A build's templates do not change while it runs: Jinja need not look at each template file's time
            # again every time a page uses it (about 15 times a page). The preview keeps looking.
            env.auto_reload = False
        return env

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self._pages is not None:
            self._pages.advance()
        if self._serving:
            # MkDocs' server adds an inline live-reload script to every page, which the site's policy would block.
            output = _CONTENT_SECURITY_POLICY.sub("", output, count=1)
        return output

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        assert self.catalogue is not None
        base_url = context["base_url"]
        spec = self._specs.get(page.file.src_uri)
        current = spec.current if spec else page.url
        context["xc_site"] = self._site_view(base_url, current)  # type: ignore[typeddict-unknown-key]
        if spec is not None:
            shown = self._last.views.get(page.file.src_uri) if self._last is not None else None
            # A refresh has made the view of a listing page already (to compare it with the page's last view).
            view = shown[1] if shown is not None and shown[0] == base_url else spec.view(base_url)
            context["xuncha"] = view  # type: ignore[typeddict-unknown-key]
            if self._building is not None and _compared(page.file.src_uri):
                self._building.views[page.file.src_uri] = (base_url, view)
        round_ = self._page_rounds.get(page.file.src_uri)
        context["xc_feeds"] = feed_links(config.site_url or base_url, round_)  # type: ignore[typeddict-unknown-key]
        return context

    # Runs after other plugins have written their files, so that MkDocs' own sitemap (dated with the build date)
    # is replaced, and the search index sees the final site.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.project is not None
        self._close_progress(indexing=False)  # the pages are done; the index may not be
        if self._broken is not None:
            return
        site = Path(config.site_dir)
        if not self._serving:
            stamp(site)
        for path, data in sitemap_outputs(self.project, config.site_url or "/", self._page_urls).items():
            (site / path).write_bytes(data)
            if self._building is not None:
                self._building.outputs[path] = data
        if self._serving:
            self._last, self._building = self._building, None
            self._index_preview(config)
            # The site's objects, kept for the refreshes, are left out of the garbage collector's full passes: one
            # of those over a large site's records and pages took longer than a whole refresh (see on_config).
            gc.collect()
            gc.freeze()
            return
        assert self._search is not None
        job, self._search = self._search, None
        try:
            stats = job.finish(site)
        except SearchIndexError as error:
            raise PluginError(str(error)) from error
        finally:
            self._close_progress()
        log.info(f"xuncha：搜索索引 {stats.documents} 篇通报，{stats.shards} 片，用时 {stats.seconds:.1f} 秒")
        if self.project.settings.members:
            self._copy_member_search(site)

    def _copy_member_search(self, site: Path) -> None:
        """An aggregator's search: its members' bundles copied beside its own, and the list its search page merges."""
        from xuncha_site.federation.bundle import copy_search_bundles  # reads the search format: numpy
        from xuncha_site.federation.feed import members_feed

        assert self.project is not None
        diags = Diagnostics()
        project = self.project
        listed = copy_search_bundles(
            self._members, project.root, site, project.settings, diags, shown=project.config_file.name
        )
        for diag in diags.sorted():
            log.warning(diag.format())
        if diags.items and project.settings.strict:
            raise PluginError(f"xuncha：严格模式下成员站点的警告也算失败（{diags.summary()}），站点未构建")
        target = site / routes.MEMBER_SEARCH_LIST
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(listed, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        feed = members_feed(
            self._members,
            self._site_url or "/",
            self._site_name,
            self.project.settings.feed_size,
            self.project.build_time,
        )
        for path, text in render_feed(feed).items():
            (site / path).write_text(text, encoding="utf-8")

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Callable[..., Any]) -> Any:
        if self.project is not None and self._events is None:
            self._watch_events(server, config, self.project.content_dir)
        # MkDocs stops watching content/ for good once the folder is deleted; this watches its coming back.
        if self.project is not None and self._content_watch is None:
            rewatch = self._rewatch_events if self._events is not None else None
            self._content_watch = ContentWatch(server, self.project.content_dir, rewatch)
        if self._browsers is None:
            self._browsers = OpenPages(server)
        self._edited = lambda: rebuild_requested(server)
        # After an edit to a record only the pages it affects are rendered again; Enter builds the whole site.
        server.builder = preview_builder(server, builder, self.refresh)
        log.info(f"xuncha：保存记录后只重新生成受影响的页面；{FULL_REBUILD_HINT}")
        return server

    def _watch_events(self, server: Any, config: MkDocsConfig, content: Path) -> None:
        """content/ watched with the system's file events, not by MkDocs' polling (see refresh.ContentEvents)."""
        events = ContentEvents(content, lambda: request_rebuild(server))
        observer = watch_content(content, events)
        if observer is None:
            return
        self._events, self._events_observer = events, observer
        self._events_watch = next(iter(observer.emitters)).watch
        # MkDocs watches the folders of config.watch after this event: not content/ any more.
        config.watch[:] = [path for path in config.watch if Path(path).resolve() != content.resolve()]
        if self._last is None or scan(content) != self._last.content:  # changed before the watch began
            events.rescan()
        log.info(f"xuncha：{content.name}/ 的改动由系统的文件变化通知即时发现")

    def _rewatch_events(self) -> None:
        """content/ was deleted and made again: the system's watch of the old folder ended."""
        assert self.project is not None and self._events is not None
        observer = self._events_observer
        with contextlib.suppress(Exception):
            observer.unschedule(self._events_watch)
        try:
            self._events_watch = observer.schedule(self._events, str(self.project.content_dir), recursive=True)
        except Exception as error:
            log.warning(f"xuncha：无法重新监视内容目录（{str(error)[:120]}），请重新启动 xuncha serve")
        self._events.rescan()

    def _content_changes(self, last: _LastBuild) -> tuple[set[str], Stamps]:
        """The files of content/ changed since the last look (relative to it), and the stamps of its files now: of
        the files the system's events named, else of every file."""
        assert self.project is not None
        folder = self.project.content_dir
        named = self._events.take() if self._events is not None else None
        if named is None:
            content = scan(folder)
            return changed_files(last.content, content), content
        now = stamps_of(folder, named)
        changed = {path for path, stamp in now.items() if stamp != last.content.get(path)}
        content = dict(last.content)
        for path in changed:
            stamp = now[path]
            if stamp is None:
                content.pop(path, None)
            else:
                content[path] = stamp
        return changed, content

    def refresh(self) -> bool:
        """Serve only: bring the preview up to date after an edit to notice or round records by rendering again only
        the pages it affects (and rewriting the data files that changed); False, having changed nothing that is
        served, when the whole site must be built instead (see :mod:`xuncha_site.mkdocs_plugin.refresh`)."""
        last = self._last
        if last is None or self._broken is not None or self.project is None or self.catalogue is None:
            return False
        started = time.perf_counter()
        timings = self.timings = {}
        lap = [started]

        def mark(phase: str) -> None:  # where a refresh's time goes (logged at debug level)
            now = time.perf_counter()
            timings[phase] = now - lap[0]
            lap[0] = now

        config = last.config
        if source_stamps(config) != last.sources:
            return False
        changed, content = self._content_changes(last)
        mark("changes")
        if not changed:  # the change was in the files the last refresh read (the watcher saw it during the refresh)
            self.refreshed = self._render_later(set(), last)
            return True
        if not all(is_record(path) for path in changed):
            return False  # a file that is no notice or round record: the whole site is built
        if any(path not in last.content or path not in content for path in changed):
            return False  # a record added or removed (the site's set of pages may change): built in full
        # Writing the data files and indexing wait for the next pause: they would slow this refresh down.
        with self._data_lock:
            self._data_generation += 1
            self._pending_data = None
        if self._preview_search is not None:
            self._preview_search.rebuilding()
        if self._notices is not None:  # the records are read again from these files only
            folder = self.project.content_dir.resolve()
            self._notices.only_changed(folder / path for path in changed)
        project = project_from_config(config, cache=self._notices)
        mark("load")
        if project.failed():
            return False  # the full build reports the errors and shows the error site
        project.previous = self.catalogue
        catalogue = project.catalogue
        mark("catalogue")
        pages = affected_pages(self.catalogue, catalogue, changed)
        mark("affected")
        if pages is None:
            return False
        self.project, self.catalogue = project, catalogue
        pages |= self._unrendered  # left by the last refresh, when this edit came
        self._specs.update(self._generate_specs({routes.source_path(route) for route in pages}))
        mark("specs")
        # The pages open in a browser first: they are shown (reloaded) while the others are rendered.
        opened = self._browsers.open() if self._browsers is not None else set()
        first = {route for route in pages if routes.output_path(routes.source_path(route)) in opened}
        rendered = self._render(first, last)
        mark("open pages")
        shown = time.perf_counter() - started
        if first and pages - first and self._browsers is not None:
            self._browsers.reload_now()
            # The browsers load the page, its style sheets and scripts before this thread takes the lock again.
            self._browsers.wait_reloaded()
        mark("reloaded")
        _report(project)  # the diagnostics of every record (thousands of lines on a large site) once it is shown
        last.content = content
        later = self._render_later(pages - first, last)
        mark("other pages")
        self.refreshed = rendered | later
        _keep_refreshed()
        self._write_data_later(project, last)
        self._index_preview(config)
        total = time.perf_counter() - started
        opened_first = f"（浏览器中打开的页面 {shown:.2f} 秒后已刷新）" if rendered and later else ""
        left = f"；又有修改，其余 {len(self._unrendered)} 个页面随后更新" if self._unrendered else ""
        log.info(f"xuncha：预览已更新 {len(self.refreshed)} 个页面，用时 {total:.2f} 秒{opened_first}{left}")
        log.debug("xuncha：刷新各阶段用时 " + "，".join(f"{name} {seconds:.3f}" for name, seconds in timings.items()))
        return True

    def _render(self, pages: set[str], last: _LastBuild, edited: Callable[[], bool] | None = None) -> set[str]:
        """Render these pages (routes) again; the routes rendered. A listing or theme page (notices of all rounds)
        whose view is the same as last rendered is left as it is. With ``edited``: once it says that another edit
        came, the pages not rendered yet are left (in ``_unrendered``) for the refresh that follows."""
        todo = sorted(pages, key=routes.source_path)
        done: set[str] = set()
        batch: list[str] = []
        doc_files = last.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)

        def flush() -> None:
            render_pages(
                [routes.source_path(route) for route in batch], last.config, last.files, last.nav, last.env, doc_files
            )
            done.update(batch)
            self._unrendered.difference_update(batch)
            batch.clear()

        for route in todo:
            if edited is not None and edited():
                break
            src = routes.source_path(route)
            compared = self._view_changed(src, last) if _compared(src) else None
            if compared is False:
                self._unrendered.discard(route)
                continue
            batch.append(route)
            # A listing page costs as much as a batch of notice pages: rendered on its own, with a look at edits next.
            if compared or len(batch) >= _RENDER_BATCH or edited is None:
                flush()
        if batch:
            flush()
        return done

    def _view_changed(self, src: str, last: _LastBuild) -> bool | None:
        """For a listing or theme page: whether its view differs from the one last rendered (then it is kept for the
        page's rendering, in on_page_context); None when there is nothing to compare it with."""
        shown, spec = last.views.get(src), self._specs.get(src)
        if shown is None or spec is None:
            return None
        view = spec.view(shown[0])
        if view == shown[1]:
            return False
        last.views[src] = (shown[0], view)
        return True

    def _render_later(self, pages: set[str], last: _LastBuild) -> set[str]:
        """The affected pages that are not open (and those an earlier refresh left), rendered until another edit
        comes; the browsers that loaded one of them meanwhile are reloaded again."""
        self._unrendered |= pages
        later = self._render(self._unrendered, last, self._edited)  # _render sorts a copy first
        if self._browsers is not None:
            self._browsers.done(routes.output_path(routes.source_path(route)) for route in later)
        return later

    def wait_for_data(self) -> None:
        """Serve only: write the data files of the last refresh now, if they are not written yet."""
        timer, self._outputs = self._outputs, None
        if timer is not None:
            timer.cancel()
            timer.join()
        job = self._pending_data
        if job is not None:
            self._write_data(*job)

    def _write_data_later(self, project: Project, last: _LastBuild) -> None:
        """The data files (open data, feeds, sitemap.xml) once the editor has paused, as the search index is: they
        take a while on a large site, and no page waits for them. Only the last refresh's are written."""
        with self._data_lock:
            self._data_generation += 1
            self._pending_data = (project, last, self._data_generation)
        timer = threading.Timer(DATA_QUIET_SECONDS, self._write_pending, args=(self._data_generation,))
        timer.daemon = True
        self._outputs = timer
        timer.start()

    def _write_pending(self, generation: int) -> None:
        job = self._pending_data
        if job is not None and job[2] == generation:
            self._write_data(*job)

    def _write_data(self, project: Project, last: _LastBuild, generation: int) -> None:
        config = last.config
        if generation != self._data_generation:
            return  # a later refresh (or build) has its own
        try:
            outputs = self._content_outputs(config, project)
            outputs.update(sitemap_outputs(project, config.site_url or "/", self._page_urls))
            site = Path(config.site_dir)
            with self._data_lock:
                if generation != self._data_generation:
                    return  # a later refresh (or build) has its own
                for path, data in outputs.items():
                    if last.outputs.get(path) != data:
                        (site / path).write_bytes(data)
                        last.outputs[path] = data
                self._pending_data = None
        except Exception as error:  # the pages are up to date; the next build writes the files
            log.warning(f"xuncha：预览的数据文件（开放数据、订阅、站点地图）未能更新：{str(error)[:300]}")

    def _index_preview(self, config: MkDocsConfig) -> None:
        from xuncha_site.search.preview import PreviewSearch

        preview = self._preview_search = self._preview_search or PreviewSearch()
        preview.rebuilt(Path(config.site_dir), lambda: self._index_job(config, workdir=preview.folder))

    def on_build_error(self, *, error: Exception) -> None:
        gc.unfreeze()  # see _keep_from_collector
        self._close_progress()
        self._discard_search()

    def on_shutdown(self) -> None:
        observer, self._events_observer = self._events_observer, None
        if observer is not None:
            observer.stop()
        gc.unfreeze()  # see _keep_from_collector
        with self._data_lock:
            self._data_generation += 1  # a refresh's data files are not written any more
            self._pending_data = None
        if self._outputs is not None:
            self._outputs.cancel()
        self._discard_search()
        if self._preview_search is not None:
            self._preview_search.close()
            self._preview_search = None

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        # Static templates (404.html) have no page but show the same header and footer.
        if self.catalogue is not None:
            context["xc_site"] = site_view(self.catalogue, self._site_name, context["base_url"])  # type: ignore[typeddict-unknown-key]
            context["xc_feeds"] = feed_links(config.site_url or context["base_url"])  # type: ignore[typeddict-unknown-key]
        return context

    def _keep_from_collector(self) -> None:
        """A build (not the preview, which loads again and again): what it has loaded so far lives until it ends.

        Frozen (``gc.freeze``), the garbage collector does not walk it again in each full collection that the
        catalogue's, the open data's and the pages' many small objects set off (a large build's heap holds every
        notice: each such collection took a few hundred ms). Unfrozen in on_shutdown, on_build_error, and at the next
        on_config when a caller (a test) never shut the last build down.
        """
        if not self._serving:
            gc.freeze()

    def _site_view(self, base_url: str, current: str | None) -> SiteView:
        """The header and footer data of a page: one per base URL and nav entry (a page's depth and section)."""
        assert self.catalogue is not None
        if self._site_views_of is not self.catalogue:  # a new build, or a refresh with the records read again
            self._site_views_of, self._site_views = self.catalogue, {}
        view = self._site_views.get((base_url, current))
        if view is None:
            view = self._site_views[base_url, current] = site_view(self.catalogue, self._site_name, base_url, current)
        return view

    # --- helpers --------------------------------------------------------------------------------------------------

    def _index_job(
        self, config: MkDocsConfig, progress: Callable[[int], None] | None = None, workdir: Path | None = None
    ) -> IndexJob:
        # The index is made from the model, not from the rendered pages: it can be written while the pages render.
        assert self.project is not None
        themes, theme_order = theme_filters(self.project.catalogue.themes)
        return IndexJob(
            self.project.public_notices(),
            self.project.corpus.rounds,
            # Result links are stored as they are: a URL path, so that a local preview never links to production.
            urlsplit(config.site_url or "/").path or "/",
            shard_size=self.project.settings.search_shard_size,
            progress=progress,
            workdir=workdir,
            themes=themes,
            theme_order=theme_order,
        )

    def _discard_search(self) -> None:
        job, self._search = self._search, None
        if job is not None:
            job.discard()

    def _close_progress(self, *, indexing: bool = True) -> None:
        if self._pages is not None:
            self._pages.close()
            self._pages = None
        if indexing and self._indexing is not None:
            self._indexing.close()
            self._indexing = None

    def _watch_content(self, config: MkDocsConfig) -> None:
        # `mkdocs serve` rebuilds when a record changes, not only when pages/ does.
        assert self.project is not None
        content = str(self.project.content_dir)
        if content not in config.watch:
            config.watch.append(content)

    def _error_site(self, files: Files, config: MkDocsConfig) -> Files:
        """Serve only: the same error page at every page of the site (the last good build's and the records')."""
        assert self.project is not None and self._broken is not None
        known = [file.dest_uri for file in files.documentation_pages()]
        known += [routes.output_path(src) for src in self._specs]
        for file in list(files.documentation_pages()):
            files.remove(file)
        page = error_page(self._broken, config.site_name)
        for path in error_site_paths(self.project.content_dir, known):
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, path, content=page))
        return files

    def _check_config(self, config: MkDocsConfig) -> None:
        if not config.use_directory_urls:
            raise PluginError("xuncha：需要 use_directory_urls: true（通报网址形如 /notices/<轮次>/<网址名>/）")
        # Material registers MkDocs' search plugin as "material/search".
        if any(name.rsplit("/", 1)[-1] == "search" for name in config.plugins):
            raise PluginError("xuncha：请从 mkdocs.yml 的 plugins 中删去 search：本站用 Pagefind 提供中文搜索")
        custom = config.theme.custom_dir
        missing = [name for name in TEMPLATES if not custom or not (Path(custom) / name).is_file()]
        if missing:
            raise PluginError(
                f"xuncha：主题缺少模板 {'、'.join(missing)}：请在 mkdocs.yml 中设置 theme.custom_dir: theme"
            )

    @staticmethod
    def _check_site_dir(config: MkDocsConfig, project: Project) -> None:
        # MkDocs empties site_dir after this event: a folder that holds sources or other files must be refused here.
        problem = site_dir_problem(config, project, Path(config.site_dir))
        if problem is not None:
            raise PluginError(f"xuncha：{problem}")

    @staticmethod
    def _gather_members(project: Project) -> list[MemberData]:
        """An aggregator's member sites, read now (warnings for a member that could not be read well)."""
        if not project.settings.members:
            return []
        from xuncha_site.federation.gather import gather

        diags = Diagnostics()
        members = gather(project.settings, project.root, diags, shown=project.config_file.name)
        for diag in diags.sorted():
            log.warning(diag.format())
        if diags.items and project.settings.strict:
            raise PluginError(f"xuncha：严格模式下成员站点的警告也算失败（{diags.summary()}），站点未构建")
        log.info(f"xuncha：汇集成员站点 {len(members)}/{len(project.settings.members)} 个")
        return members

    def _generate_specs(self, wanted: set[str] | None = None) -> Iterator[tuple[str, PageSpec]]:
        """Every generated page as (source path, spec); each view is built later, when its page is rendered.
        ``wanted`` (a refresh: the pages it renders): of the round, notice and unit pages only these (the others'
        specs, of an earlier catalogue, are made again before any of them is rendered)."""
        cat, md = self.catalogue, self.renderer
        assert cat is not None and md is not None
        yield routes.source_path(routes.HOME), _spec("home.html", "首页", routes.HOME, home_page.home_view, cat)
        yield (
            routes.source_path(routes.ROUNDS),
            _spec("rounds.html", "巡察轮次", routes.ROUNDS, rounds_page.rounds_view, cat),
        )
        if wanted is None:
            self._page_rounds = {}
        for round_ in cat.rounds_newest_first:
            src = routes.source_path(routes.round_path(round_.id))
            if wanted is not None and src not in wanted:
                continue
            self._page_rounds[src] = round_
            yield src, _spec("round.html", round_.name, routes.ROUNDS, round_page.round_view, cat, md, round_)
        for item in cat.notices:
            src = routes.source_path(routes.notice_path(item.round_id, item.slug))
            if wanted is None or src in wanted:
                yield src, _spec("notice.html", item.title, routes.ROUNDS, notice_page.notice_view, cat, md, item)
        yield (
            routes.source_path(routes.UNITS),
            _spec("units.html", "被巡察单位", routes.UNITS, units_page.units_view, cat),
        )
        for entry in cat.units.values():
            src = routes.source_path(routes.unit_path(entry.slug))
            if wanted is None or src in wanted:
                yield src, _spec("unit.html", entry.name, routes.UNITS, unit_page.unit_view, cat, entry)
        if cat.themes.entries:  # a site with a theme list (content/themes.yml)
            yield (
                routes.source_path(routes.THEMES),
                _spec("themes.html", "共性问题", routes.THEMES, themes_page.themes_view, cat),
            )
            for theme_entry in cat.themes.entries:
                yield (
                    routes.source_path(routes.theme_path(theme_entry.theme.slug)),
                    _spec(
                        "theme.html", theme_entry.theme.name, routes.THEMES, themes_page.theme_view, cat, theme_entry
                    ),
                )
        if cat.settings.members:  # an aggregator (federation): its member sites
            from xuncha_site.views import members as members_page

            yield (
                routes.source_path(routes.MEMBERS),
                _spec(
                    "members.html",
                    members_page.TITLE,
                    routes.MEMBERS,
                    members_page.members_view,
                    self._members,
                    cat.settings.members,
                ),
            )
            for data in self._members:
                yield (
                    routes.source_path(routes.member_path(data.member.id)),
                    _spec("member.html", data.member.name, routes.MEMBERS, members_page.member_view, data),
                )
        yield (
            routes.source_path(routes.DISCLOSURE),
            _spec("disclosure.html", "公开及时性", routes.ROUNDS, disclosure_page.disclosure_view, cat),
        )
        yield (
            routes.source_path(routes.FEEDBACK),
            _spec("feedback.html", "监督举报", routes.FEEDBACK, feedback_page.feedback_view, cat),
        )
        yield (
            routes.source_path(routes.SITEMAP),
            _spec("sitemap.html", "网站地图", routes.SITEMAP, sitemap_page.sitemap_view, cat),
        )
        yield routes.source_path(routes.SEARCH), _spec("search.html", "搜索", routes.SEARCH, search_page.search_view)

    def _add_attachments(self, files: Files, config: MkDocsConfig) -> None:
        """Copy the local attachments of public notices (only those: a draft's files must not leak)."""
        assert self.project is not None and self.catalogue is not None
        notices_dir = self.project.content_dir / "notices"
        for notice in self.catalogue.notices:
            for attachment in notice.attachments:
                if "://" in attachment.href:
                    continue
                try:  # checked by the loader already; again here, on the file as it is now
                    source = local_source(self.project.root / notice.path, attachment.href, notices_dir)
                except AttachmentError as error:
                    raise PluginError(f"xuncha：{notice.path}：{error.message}") from None
                src_uri = routes.attachment_path(notice.round_id, attachment.href)
                if files.get_file_from_path(src_uri) is None:
                    files.append(File.generated(config, src_uri, abs_src_path=str(source)))

    def _content_outputs(self, config: MkDocsConfig, project: Project | None = None) -> dict[str, bytes]:
        """The open data, schemas, feeds and robots.txt of ``project`` (a refresh compares them with those written)."""
        project = project or self.project
        assert project is not None
        return content_outputs(
            project,
            config.site_url or "/",
            site_name=config.site_name,
            site_description=config.site_description or "",
        )

    def _add_open_data(self, files: Files, config: MkDocsConfig) -> None:
        """Open data, schemas, feeds and robots.txt as generated files, so that links to them resolve like any page."""
        assert self.project is not None
        outputs = content_output_files(
            self.project,
            config.site_url or "/",
            site_name=config.site_name,
            site_description=config.site_description or "",
        )
        site = Path(config.site_dir)
        generated = []
        for path, parts in outputs:
            existing = files.get_file_from_path(path)
            if existing is not None:
                log.warning(f"xuncha：{config.docs_dir}/{path} 与自动生成的文件同名，已被忽略")
                files.remove(existing)
            # Written now, one at a time and piece by piece, where MkDocs would copy it (it leaves a file that is its
            # own source as it is): the build never holds every open-data file and feed in memory, nor one whole.
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if self._building is not None:  # serve: kept, for a refresh to write only the files that change
                data = self._building.outputs[path] = b"".join(parts)
                target.write_bytes(data)
            else:
                with target.open("wb") as out:
                    for part in parts:
                        out.write(part)
            generated.append(File.generated(config, path, abs_src_path=str(target)))
        for file in sorted(generated, key=lambda file: file.src_uri):
            files.append(file)

    @staticmethod
    def _check_special_files(files: Files) -> None:
        # MkDocs reads pages and copies the other files after this event: a FIFO would block it, /dev/zero fill memory.
        for file in files:
            problem = special_file(Path(file.abs_src_path)) if file.abs_src_path else None
            if problem is not None:
                raise PluginError(f"xuncha：{file.abs_src_path}：{problem}")

    @staticmethod
    def _drop_unused_theme_files(files: Files, config: MkDocsConfig) -> None:
        # The theme replaces Material's JavaScript bundle (its search, instant loading and repository facts are
        # unused, and the bundle names other hosts); source maps are of no use to readers.
        theme_dirs = [Path(d).resolve() for d in config.theme.dirs if d != config.theme.custom_dir]
        for file in list(files):
            if not file.abs_src_path or file.is_documentation_page():
                continue
            origin = Path(file.abs_src_path).resolve()
            unused = file.src_uri.startswith("assets/javascripts/") or file.src_uri.endswith(".map")
            if unused and any(origin.is_relative_to(d) for d in theme_dirs):
                files.remove(file)


@dataclass
class _LastBuild:
    """Serve only: what a build used, for the refreshes that follow it."""

    config: MkDocsConfig
    content: Stamps  # content/ as it was before the records were read
    sources: Stamps  # mkdocs.yml, docs_dir and the theme (refresh.source_stamps)
    files: Files = None  # type: ignore[assignment]
    nav: Navigation = None  # type: ignore[assignment]
    env: Any = None
    outputs: dict[str, bytes] = dataclasses.field(default_factory=dict)  # the data files as written
    views: dict[str, tuple[str, Any]] = dataclasses.field(default_factory=dict)  # listing pages: (base_url, view)


_RENDER_BATCH = 16  # pages rendered between two looks for another edit (a refresh's later pages)
DATA_QUIET_SECONDS = 5.0  # quiet after the last refresh before its data files are written (as search indexes)
_LISTING_SOURCES = frozenset(routes.source_path(route) for route in (*LISTINGS, routes.THEMES))
_THEME_PAGES_PREFIX = routes.source_path(routes.theme_path("x")).removesuffix("x.md")


def _compared(src_uri: str) -> bool:
    """A page that lists notices of every round (large on a large site): a refresh renders it again only when its
    view differs from the one last rendered (kept for these pages only)."""
    return src_uri in _LISTING_SOURCES or src_uri.startswith(_THEME_PAGES_PREFIX)


def _keep_refreshed() -> None:
    """What a refresh made (the new catalogue, the listing pages' views) joins the last build's objects outside the
    garbage collector's full passes (see on_post_build): at 10,000 notices those passes over every refresh's objects
    came at random points of the next refreshes and took a second or more. The young garbage (a refresh's renders)
    is collected first; the next full build unfreezes it all."""
    gc.collect(1)
    gc.freeze()


def _report(project: Project) -> None:
    for diag in project.diagnostics.sorted():
        (log.error if diag.level.name == "ERROR" else log.warning)(diag.format())


class _TemplatePage(Page):
    """A generated page, all template: its Markdown is empty, so rendering it needs no Markdown parser (MkDocs makes
    one for every page, ≈ 5% of a build's time) and leaves what MkDocs' render of "" leaves."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown:  # another plugin wrote into it
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = {}


def site_dir_problem(config: MkDocsConfig, project: Project, site_dir: Path) -> str | None:
    """Why ``site_dir`` cannot be the output folder of this project (see :mod:`xuncha_site.core.site_dir`), or None."""
    theme = config.theme.custom_dir
    sources = project_sources(
        project.config_file,
        docs_dir=Path(config.docs_dir),
        content_dir=project.content_dir,
        theme_dir=Path(theme) if theme else None,
    )
    return output_problem(site_dir, sources)


def _spec(template: str, title: str, current: str | None, view: Callable[..., Any], *bound: Any) -> PageSpec:
    return PageSpec(template, title, functools.partial(view, *bound), current)


class _Translations:
    """Material's ``lang`` (partials/language.html as a module): ``lang.t(key)``, each key's text looked up once."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self._texts: dict[str, Markup] = {}

    def t(self, key: str) -> Markup:
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self._module.t(key)
        return text


def _shared_partials(env: Environment) -> Callable[[str, SiteView], Markup]:
    """``xc_shared(name, xc_site)`` for theme/main.html: the partial ``name`` rendered with ``xc_site`` alone, once per
    distinct ``xc_site`` of this environment's build (the header and footer: the same on most pages)."""
    rendered: dict[tuple[str, int], tuple[SiteView, Markup]] = {}  # by the site view's id: the plugin reuses them

    def shared(name: str, site: SiteView) -> Markup:
        known = rendered.get((name, id(site)))
        if known is not None and known[0] is site:
            return known[1]
        html = Markup(env.get_template(name).render(xc_site=site))
        rendered[name, id(site)] = (site, html)  # the view is kept alive with it: its id is not given to another
        return html

    return shared


def _template_cache(root: Path) -> BytecodeCache | None:
    """Templates compiled by an earlier build, kept by Jinja's own cache in the project's ``.xuncha-cache/``
    (which holds a ``.gitignore`` that keeps it out of git): compiling Material's and this theme's templates costs
    0.2–0.4 s a build. A file is used only for the same template source (Jinja checks a digest of it), Python and
    Jinja; its name also says that it was compiled autoescaping, which the compiled code depends on and Jinja's key
    does not hold. None, and templates compiled every build, where the folder cannot be made (a read-only checkout)."""
    try:
        folder = cache_folder(root, "templates")
    except OSError:
        return None
    return _TemplateCache(str(folder), f"autoescape-jinja{jinja2.__version__}-%s.cache")


class _TemplateCache(FileSystemBytecodeCache):
    """A cache that never fails a build: a file that cannot be read (damaged, removed meanwhile) is compiled again,
    one that cannot be written (the folder removed, the disk full) is not kept."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _material_stylesheet(files: Files) -> str:
    for file in files:
        if _MATERIAL_CSS.fullmatch(file.src_uri):
            return file.url
    raise PluginError(
        "xuncha：找不到 Material 主题的样式表（assets/stylesheets/main.*.min.css），请重新安装 mkdocs-material"
    )
