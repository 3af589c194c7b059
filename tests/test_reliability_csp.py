"""Every page carries a Content-Security-Policy that allows only the site itself, and nothing on any page type breaks
it: no violation in Chromium, the search (Pagefind: WebAssembly and a worker) and the reading aids still work."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote

import lxml.html
import pytest

# What a source list may name: this site, nothing, or exactly the script that is meant to run.
ALLOWED_SOURCES = {"'self'", "'none'"}
EXTRA = {"script-src": {"'wasm-unsafe-eval'"}}
REQUIRED = {"default-src": "'self'", "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'"}

PAGES = [
    "",
    "rounds/",
    "rounds/2024-r1/",
    "notices/2024-r1/fagaiwei/",
    "units/",
    "units/fagaiwei/",
    "feedback/",
    "search/",
    "sitemap/",
    "about/",
    "open-data/",
    "404.html",
]


def directives(content: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in content.split(";"))):
        name, *sources = directive.split()
        parsed[name.lower()] = sources
    return parsed


def script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def html_pages(site):
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), lxml.html.fromstring(path.read_bytes())


def policy_of(doc) -> lxml.html.HtmlElement:
    metas = [meta for meta in doc.iter("meta") if (meta.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(metas) == 1
    return metas[0]


def test_every_page_has_one_policy_in_its_head(example_site):
    for name, doc in html_pages(example_site):
        assert policy_of(doc).getparent().tag == "head", name


def test_the_policy_allows_only_the_site_itself(example_site):
    for name, doc in html_pages(example_site):
        policy = directives(policy_of(doc).get("content"))
        for directive, value in REQUIRED.items():
            assert policy.get(directive) == [value], (name, directive)
        for directive, sources in policy.items():
            strangers = [
                source
                for source in sources
                if source not in ALLOWED_SOURCES | EXTRA.get(directive, set())
                and not (directive == "script-src" and source.startswith("'sha256-"))
            ]
            assert strangers == [], (name, directive)


def test_every_inline_script_after_the_policy_is_allowed_by_its_hash(example_site):
    for name, doc in html_pages(example_site):
        meta = policy_of(doc)
        allowed = set(directives(meta.get("content"))["script-src"])
        after = False
        for element in doc.iter():
            if element is meta:
                after = True
            elif after and element.tag == "script" and not element.get("src"):
                digest = script_hash(element.text or "")
                assert digest in allowed, f"{name}: 内联脚本的哈希 {digest} 不在 CSP 中（theme/main.html）"


# --- in Chromium ------------------------------------------------------------------------------------------------------

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def site_url(example_site, serve_dir) -> str:
    return serve_dir(example_site)


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.refused = refused
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("url", PAGES)
def test_no_policy_violation_on_any_page_type(page, site_url, url):
    page.goto(f"{site_url}/{url}", wait_until="load")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))")
    assert page.evaluate("window.__violations") == [] and page.refused == []


@pytest.mark.browser
def test_search_works_under_the_policy(page, site_url):
    page.goto(f"{site_url}/search/?q={quote('整改')}")
    page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=30000)
    assert page.locator(".xs-result").count() > 0
    assert page.evaluate("window.__violations") == [] and page.refused == []


@pytest.mark.browser
def test_reading_aids_work_under_the_policy(page, site_url):
    page.goto(f"{site_url}/notices/2024-r1/fagaiwei/")
    page.click(".xc-tools [data-xc-font='l']")
    page.goto(f"{site_url}/about/")
    assert page.evaluate("document.documentElement.dataset.font") == "l"  # the inline pre-paint script ran
    assert page.evaluate("window.__violations") == [] and page.refused == []


@pytest.mark.browser
def test_search_runs_in_the_page_under_the_policy_and_starts_no_worker(page, site_url):
    # The search page searches without Pagefind's worker: the page itself compiles the WebAssembly.
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/search/?q={quote('整改')}")
    page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=30000)
    assert page.locator(".xs-result").count() > 0
    assert page.evaluate("window.__violations") == [] and page.refused == []
    assert not [url for url in requested if "worker" in url]
