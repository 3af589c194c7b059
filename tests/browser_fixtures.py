"""The browser: Debian's Chromium through Playwright (one per session, never a downloaded browser), sites served on
127.0.0.1 as a static host serves them, and the example site as a reader meets it — a page at a given width, in normal
or 关怀 mode, every request routed (requests to other hosts are refused and recorded) and console errors collected;
axe-core from its npm package (installed into .cache/axe on first use, never from a CDN); screenshots into
$XUNCHA_SCREENSHOTS when it is set.

Registered for the whole suite by ``pytest_plugins`` in conftest.py; tests import its helpers from here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_fixtures import BUILD_EPOCH, build_dated_site, npm_package, shared_site

AXE_VERSION = "4.14.1"  # pinned: a new axe release may add rules, and that should be a deliberate change here


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

    class QuietServer(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # A page closed while a file was still being sent (Chromium cancels what it no longer needs): not a failure.
            import sys

            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    servers = []

    def serve(path):
        server = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(path)))
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
    site_dir = shared_site(tmp_path_factory, "search-site", lambda folder: build_dated_site(config, folder))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
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


def save_screenshot(page, name: str) -> None:
    """A full-page screenshot of ``page`` as $XUNCHA_SCREENSHOTS/<name>.png, for a person to look at; nothing when the
    variable is unset (no test reads them, and a full-page screenshot takes about three times as long as loading the
    page: 0.7-0.9 s against 0.25 s)."""
    chosen = os.environ.get("XUNCHA_SCREENSHOTS")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(chosen) / f"{name}.png"), full_page=True)


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


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser build, installed once from the npm registry."""
    package = npm_package("axe-core", AXE_VERSION)
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
