"""Shared pytest fixtures. Sections are owned by different parts of the suite; append, keep them separate."""

from __future__ import annotations

import pytest

BUILD_EPOCH = "1795132800"  # 2026-11-20T00:00:00Z: a fixed build date for every date-dependent test


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same build date unless it sets SOURCE_DATE_EPOCH itself."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)


# --- open data fixtures ---
# A small site of our own (tests/fixtures/site_opendata) so that the open-data, feed and sitemap tests do not depend
# on the example's numbers; the example site itself is used for the leak and reproducibility checks.
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from xuncha_site.outputs import extra_outputs  # noqa: E402
from xuncha_site.project import Project, load_project  # noqa: E402

OPENDATA_SITE = Path(__file__).parent / "fixtures" / "site_opendata"
OPENDATA_URL = "https://opendata.example/xuncha/"
EXAMPLE_SITE = Path(__file__).parent.parent


def opendata_pages(project: Project) -> list[tuple[str, date | None]]:
    """The page URLs a build of ``project`` has, as MkDocs gives them, without dates (as the plugin may pass them)."""
    public = project.public_notices()
    urls = ["", "rounds/", "units/", "feedback/", "about/", "404.html"]
    urls += [f"rounds/{round_id}/" for round_id in sorted(project.corpus.rounds)]
    urls += sorted({f"units/{notice.unit_slug}/" for notice in public})
    urls += [f"notices/{notice.round_id}/{notice.slug}/" for notice in public]
    return [(url, None) for url in urls]


def load_clean(config: Path) -> Project:
    project = load_project(config)
    assert not project.diagnostics.has_errors(), [d.format() for d in project.diagnostics.sorted()]
    return project


@pytest.fixture
def opendata_project() -> Project:
    return load_clean(OPENDATA_SITE / "mkdocs.yml")


@pytest.fixture
def opendata_outputs(opendata_project: Project) -> dict[str, bytes]:
    pages = opendata_pages(opendata_project)
    return extra_outputs(opendata_project, OPENDATA_URL, pages, site_name="测试站点")


@pytest.fixture
def example_project() -> Project:
    return load_clean(EXAMPLE_SITE / "mkdocs.yml")


@pytest.fixture
def example_outputs(example_project: Project) -> dict[str, bytes]:
    return extra_outputs(example_project, "https://xuncha.example/", opendata_pages(example_project))


# --- search fixtures ---
# A static test site for the search tests: the search page (theme/partials/xuncha-search.html rendered with Jinja),
# the search assets, one page per public notice and the index built by xuncha_site.search.index_site, served on
# 127.0.0.1; one Chromium for the whole session.

SEARCH_FIXTURE = "tests/fixtures/site_search/mkdocs.yml"
_SEARCH_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>搜索</title></head>
<body><main><h1>搜索</h1>{% include "partials/xuncha-search.html" %}</main></body></html>
"""
_NOTICE_PAGE = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1></body></html>'


def build_search_site(site_dir, config_file=SEARCH_FIXTURE, **index_options):
    """Build the static search test site into ``site_dir``; returns (project, SearchStats)."""
    import html
    import shutil
    from pathlib import Path

    import jinja2

    from xuncha_site.export import notice_url
    from xuncha_site.project import load_project
    from xuncha_site.search import index_site

    root = Path(__file__).resolve().parent.parent
    project = load_project(root / config_file)
    site_dir = Path(site_dir)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(root / "theme"), autoescape=True)
    env.filters["url"] = lambda path: "../" + path  # Material's `url` filter, as seen from /search/
    (site_dir / "search").mkdir(parents=True, exist_ok=True)
    (site_dir / "search" / "index.html").write_text(env.from_string(_SEARCH_PAGE).render(), encoding="utf-8")
    shutil.copytree(root / "theme" / "assets" / "search", site_dir / "assets" / "search", dirs_exist_ok=True)
    (site_dir / "rounds").mkdir(exist_ok=True)
    (site_dir / "rounds" / "index.html").write_text(_NOTICE_PAGE.format(title="巡察轮次"), encoding="utf-8")
    notices = project.public_notices()
    for notice in notices:
        page = site_dir / notice_url(notice).strip("/") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_NOTICE_PAGE.format(title=html.escape(notice.title)), encoding="utf-8")
    stats = index_site(site_dir, notices, project.corpus.rounds, "/", **index_options)
    return project, stats


@pytest.fixture(scope="session")
def serve_dir():
    """serve(path) → base URL of a threaded HTTP server on 127.0.0.1 serving ``path``; all stopped at the end."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    servers = []

    def serve(path):
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(path)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def search_site(tmp_path_factory, serve_dir):
    """The search test site, built once (shards of two notices, so that merging shards is exercised too)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        site_dir = tmp_path_factory.mktemp("search-site")
        project, stats = build_search_site(site_dir, shard_size=2)
    return {"dir": site_dir, "url": serve_dir(site_dir), "project": project, "stats": stats}


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright, one per session; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[*args, "--disable-sync"])
        yield browser
        browser.close()


# --- site build fixtures ---
# Builds go through MkDocs' own API (the same path as `mkdocs build`) into temporary directories. The example site is
# built once per session; small purpose-made sites live in tests/fixtures/site_*/.
SITE_FIXTURES = Path(__file__).parent / "fixtures"


def build_mkdocs_site(config_file: Path, site_dir: Path) -> Path:
    """Build the site configured by ``config_file`` into ``site_dir`` with the plugin, as `mkdocs build` does."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content (content/ + mkdocs.yml at the repository root), built once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        return build_mkdocs_site(EXAMPLE_SITE / "mkdocs.yml", tmp_path_factory.mktemp("example-site"))


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/site_small: a disclosed, a missing and an overdue unit, an attachment, a draft, an embargo."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        return build_mkdocs_site(SITE_FIXTURES / "site_small" / "mkdocs.yml", tmp_path_factory.mktemp("small-site"))


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/site_hostile: records full of scripts and event handlers."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        return build_mkdocs_site(SITE_FIXTURES / "site_hostile" / "mkdocs.yml", tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def read_page():
    """read_page(site_dir, url) → the page at a directory URL (``notices/r/s/``, ``""`` for home) parsed by bs4."""
    from bs4 import BeautifulSoup

    def read(site_dir: Path, url: str) -> BeautifulSoup:
        path = site_dir / url / "index.html" if not url.endswith(".html") else site_dir / url
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    return read
