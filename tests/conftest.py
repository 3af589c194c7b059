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

from xuncha_site.commands.site import load_site  # noqa: E402
from xuncha_site.core.project import Project  # noqa: E402
from xuncha_site.outputs.files import extra_outputs  # noqa: E402

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
    project = load_site(config).project
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
# The search tests run in Chromium against tests/fixtures/site_search built by the plugin (see search_site below);
# one Chromium for the whole session.


@pytest.fixture(scope="session")
def serve_dir():
    """serve(path) → base URL of a threaded HTTP server on 127.0.0.1 serving ``path`` like a static host; all stopped at the end."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def send_error(self, code, message=None, explain=None):
            # As static hosts do: a missing path gets the site's own 404.html (when it has one), with status 404.
            page = Path(self.directory) / "404.html"
            if code != 404 or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

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
    """tests/fixtures/site_search built by the plugin with the real theme (shards of two notices, so that the
    browser merges shards too), served on 127.0.0.1."""
    from xuncha_site.commands.site import load_site

    config = Path(__file__).parent / "fixtures" / "site_search" / "mkdocs.yml"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        site_dir = build_mkdocs_site(config, tmp_path_factory.mktemp("search-site"))
        project = load_site(config).project
    return {"dir": site_dir, "url": serve_dir(site_dir), "project": project}


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


# --- browser / accessibility fixtures ---
# The example site in Chromium as a reader meets it: a page at a given width, in normal or 关怀 mode, with every request
# routed (requests to other hosts are refused and recorded) and console errors collected; axe-core from its npm package
# (installed into .cache/axe on first use, never from a CDN); screenshots into $XUNCHA_SCREENSHOTS or a temporary folder.
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

AXE_VERSION = "4.14.1"  # pinned: a new axe release may add rules, and that should be a deliberate change here
AXE_DIR = EXAMPLE_SITE / ".cache" / "axe"


@dataclass
class ReaderLog:
    """What happened while a reader's page was open."""

    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)  # own URLs answered with an HTTP error

    def on_console(self, message) -> None:
        if message.type == "error":  # with the URL that logged it, so that a failure names the page or asset
            self.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.failed_responses.append(response.url)


@pytest.fixture(scope="session")
def example_url(example_site: Path, serve_dir) -> str:
    """The example site served on 127.0.0.1 (a missing path gets 404.html with status 404, as on a static host)."""
    return serve_dir(example_site)


def watch(page, base: str) -> ReaderLog:
    """Route every request of ``page`` (other hosts than ``base``'s are refused and recorded) and log what goes wrong."""
    own = urlsplit(base).netloc
    log = ReaderLog()

    def route(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            log.foreign_requests.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("console", log.on_console)
    page.on("pageerror", lambda error: log.console_errors.append(str(error)))
    page.on("response", log.on_response)
    return log


@pytest.fixture
def reader(chromium, example_url):
    """reader(width=1280, care=False, font=None) → (page, ReaderLog): a page in a fresh browser context, closed after
    the test; ``care`` and ``font`` (s, m, l, xl) as a returning reader arrives: saved by an earlier visit."""
    contexts = []

    def open_page(width: int = 1280, care: bool = False, font: str | None = None):
        context = chromium.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        if care:
            context.add_init_script("localStorage.setItem('xuncha.care', 'on')")
        if font:
            context.add_init_script(f"localStorage.setItem('xuncha.font', '{font}')")
        page = context.new_page()
        return page, watch(page, example_url)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser build, installed once from the npm registry with npm (node and npm are test dependencies)."""
    package = AXE_DIR / "node_modules" / "axe-core"
    manifest = package / "package.json"
    if not manifest.is_file() or json.loads(manifest.read_text(encoding="utf-8"))["version"] != AXE_VERSION:
        npm = shutil.which("npm")
        assert npm, "需要 npm 来安装 axe-core（见 scripts/test.sh）"
        command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR)]
        result = subprocess.run([*command, f"axe-core@{AXE_VERSION}"], capture_output=True, text=True)
        assert result.returncode == 0, f"npm 安装 axe-core 失败：\n{result.stderr}"
    return package / "axe.min.js"


@pytest.fixture(scope="session")
def run_axe(axe_script: Path):
    """run_axe(page) → axe-core's findings on the page as loaded, with its zh_CN messages: {"violations": [{id, impact,
    help, nodes: [{target, summary, in_svg}]}], "incomplete": the same for what axe could not decide, "passes": ids of
    the rules that passed}. The page's context needs bypass_csp=True: axe goes in as an inline script."""
    locale = json.loads((axe_script.parent / "locales" / "zh_CN.json").read_text(encoding="utf-8"))

    def run(page) -> dict:
        page.add_script_tag(path=str(axe_script))
        return page.evaluate(
            """async (locale) => {
                axe.configure({locale});
                const result = await axe.run(document, {resultTypes: ["violations", "incomplete"]});
                const findings = list => list.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({
                        target: n.target.join(" "), summary: n.failureSummary,
                        in_svg: Boolean(document.querySelector(n.target[0])?.closest("svg")),
                    })),
                }));
                return {
                    violations: findings(result.violations),
                    incomplete: findings(result.incomplete),
                    passes: result.passes.map(v => v.id),
                };
            }""",
            locale,
        )

    return run


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the page screenshots go: $XUNCHA_SCREENSHOTS if set, else a temporary folder of this run."""
    chosen = os.environ.get("XUNCHA_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# One page of each type of the example site, by name; the search page with a query, so that results are shown too.
READER_PAGES = {
    "home": "",
    "notice": "notices/2025-zx1/shiyiyuan/",  # a correction, 未完成 and 长期坚持 badges
    "notice-attachment": "notices/2025-r1/shuiwu/",  # an attachment, statuses in two wordings
    "round": "rounds/2024-r1/",  # an overdue unit
    "rounds": "rounds/",
    "unit": "units/fagaiwei/",
    "units": "units/",
    "themes": "themes/",
    "theme": "themes/zhuti-zeren/",  # 共性问题: rounds, a trend by year, round filters
    "feedback": "feedback/",
    "search": "search/?q=整改",
    "sitemap": "sitemap/",
    "about": "about/",
    "open-data": "open-data/",
    "404": "404.html",
    "missing": "no/such/page/",  # any unknown address: the 404 page, three levels deep
}


def visit(page, base: str, name: str):
    """Open READER_PAGES[name] and wait until a reader could use it (search results shown); returns the response."""
    response = page.goto(f"{base}/{READER_PAGES[name]}")
    if name == "search":
        page.wait_for_selector("[data-xuncha-search][data-state=done]")
    return response


# --- HTML validity fixtures ---
# The Nu HTML Checker (the W3C validator) from its npm package vnu-jar, installed into .cache/vnu on first use like
# axe-core, run with the machine's Java.
VNU_VERSION = "26.9.27"  # pinned, as axe-core: a new checker may add rules
VNU_DIR = EXAMPLE_SITE / ".cache" / "vnu"


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The checker's jar, installed once from the npm registry with npm; Java must be installed (default-jre-headless)."""
    package = VNU_DIR / "node_modules" / "vnu-jar"
    manifest = package / "package.json"
    if not manifest.is_file() or json.loads(manifest.read_text(encoding="utf-8"))["version"] != VNU_VERSION:
        npm = shutil.which("npm")
        assert npm, "需要 npm 来安装 vnu-jar（见 scripts/test.sh）"
        command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(VNU_DIR)]
        result = subprocess.run([*command, f"vnu-jar@{VNU_VERSION}"], capture_output=True, text=True)
        assert result.returncode == 0, f"npm 安装 vnu-jar 失败：\n{result.stderr}"
    assert shutil.which("java"), "需要 Java 来运行 Nu HTML Checker（Debian：apt-get install default-jre-headless）"
    return package / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def validate_html(vnu_jar: Path):
    """validate_html(paths) → the checker's messages on those files: [{"file", "type", "message", "extract"}]
    (type "error", or "info" with subType "warning")."""

    def validate(paths: list[Path]) -> list[dict]:
        command = ["java", "-Xss1024k", "-jar", str(vnu_jar), "--format", "json", "--stdout", *map(str, paths)]
        result = subprocess.run(command, capture_output=True, text=True)
        messages = json.loads(result.stdout)["messages"]
        return [
            {
                "file": urlsplit(m.get("url", "")).path,
                "type": m.get("subType", m["type"]) if m["type"] == "info" else m["type"],
                "message": m.get("message", ""),
                "extract": m.get("extract", ""),
            }
            for m in messages
        ]

    return validate


# --- truth rule fixtures ---
# tests/fixtures/site_truth: the notice shapes of issue 15 (no statuses, statuses on category headings only, mixed, a
# stated rate that contradicts its counts, unrelated numbers), built once per session.
TRUTH_SITE = SITE_FIXTURES / "site_truth"


@pytest.fixture(scope="session")
def truth_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        return build_mkdocs_site(TRUTH_SITE / "mkdocs.yml", tmp_path_factory.mktemp("truth-site"))
