"""The injection site (tests/injectionkit.py) in Chromium: no payload runs on any page or in the search results that
search.js builds from the result documents, and none makes the browser contact another host.

Every payload calls ``window.__xss()`` if it ever runs. The Content-Security-Policy is bypassed here on purpose: it
would block most payloads by itself, and this test is about the escaping and sanitising underneath it
(tests/test_reliability_csp.py tests the policy).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from injectionkit import PAYLOADS, InjectionSite, injection_site

pytestmark = pytest.mark.browser

# What search.js builds for a result; anything else in the list would come from a record.
RESULT_TAGS = ["LI", "H2", "A", "P", "SPAN", "MARK"]


@pytest.fixture(scope="module")
def served(serve_dir) -> tuple[InjectionSite, str]:
    inj = injection_site()
    return inj, serve_dir(inj.site)


@pytest.fixture
def watched(chromium, served):
    """A page whose payload calls, dialogs and requests to other hosts are recorded."""
    _, base = served
    context = chromium.new_context(bypass_csp=True)
    runs: list[str] = []
    context.expose_function("__xss", lambda *args: runs.append(repr(args)))
    foreign: list[str] = []
    context.on("request", lambda request: None if request.url.startswith(base) else foreign.append(request.url))
    page = context.new_page()
    page.on("dialog", lambda dialog: (runs.append(f"dialog {dialog.message}"), dialog.dismiss()))
    yield page, runs, foreign
    context.close()


def settle(page) -> None:
    """Let handlers that fire after load (autofocus, toggle, media errors) run."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 20)))")


def pages_to_visit(inj: InjectionSite) -> list[str]:
    """Every notice page (each holds its payload in every field) and every other page, but one of the unit pages
    (the same template; their payloads are on the round, units and feedback pages too)."""
    urls = [path.relative_to(inj.site).as_posix().removesuffix("index.html") for path in inj.site.rglob("*.html")]
    return sorted(url for url in urls if not url.startswith("units/u") or url == "units/u01/")


def test_no_payload_runs_on_any_page(served, watched):
    inj, base = served
    page, runs, foreign = watched
    urls = pages_to_visit(inj)
    assert len(urls) > len(PAYLOADS) + 10
    for url in urls:
        page.goto(f"{base}/{url}", wait_until="domcontentloaded")
        settle(page)
        assert runs == [], url
    assert foreign == []


def search(page, base: str, query: str) -> None:
    """Search and show every result; by the DOM, not by what is visible (a payload that ran might hide the page)."""
    page.goto(f"{base}/search/?q={quote(query)}")
    page.wait_for_selector("[data-xuncha-search][data-state=done]", state="attached", timeout=30000)
    more = "document.querySelector('[data-search-more]')"
    while page.evaluate(f"!{more}.hidden"):
        shown = page.locator(".xs-result").count()
        page.evaluate(f"{more}.click()")
        page.wait_for_function(f"document.querySelectorAll('.xs-result').length > {shown}")
    settle(page)


def result_tags(page) -> list[str]:
    return page.eval_on_selector_all("[data-search-results] *", "els => [...new Set(els.map(e => e.tagName))]")


def test_no_payload_runs_in_the_search_results(served, watched):
    _, base = served
    page, runs, foreign = watched
    search(page, base, "巡察整改进展")
    assert page.locator(".xs-result").count() == len(PAYLOADS)
    assert set(result_tags(page)) <= set(RESULT_TAGS)
    assert runs == [] and foreign == []


def test_search_excerpts_show_the_payloads_as_text(served, watched):
    _, base = served
    page, runs, _ = watched
    search(page, base, "xss")  # every payload's own text: the excerpts are cut around it
    excerpts = page.eval_on_selector_all(".xs-result__excerpt", "els => els.map(e => e.textContent)")
    assert len(excerpts) >= 60
    assert any("<script>__xss(" in text for text in excerpts)
    assert any("onerror=__xss(" in text for text in excerpts)
    assert set(result_tags(page)) <= set(RESULT_TAGS)
    assert runs == []


def test_search_result_links_stay_on_the_site(served, watched):
    _, base = served
    page, _, _ = watched
    search(page, base, "巡察整改进展")
    hrefs = page.eval_on_selector_all(
        ".xs-result a", "links => links.map(a => new URL(a.getAttribute('href') ?? '', location.href).href)"
    )
    assert hrefs and all(urlsplit(href).netloc == urlsplit(base).netloc for href in hrefs)
