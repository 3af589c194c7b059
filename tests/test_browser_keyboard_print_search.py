"""The example site used without a mouse, printed, and searched, in Chromium.

Keyboard: each page is walked with Tab from the top once; the tests read the walk. Every stop must show a focus ring
that the element does not have unfocused, and the walk must reach the main content, the search box and every control.
(Font size, 关怀 mode, the feedback filter and the skip link's first stop are in test_site_browser.py.)"""

from __future__ import annotations

import pytest
from browser_fixtures import visit

pytestmark = pytest.mark.browser

# A walk ends when focus leaves the page or comes round to a stop already visited; one that reaches this many stops
# is stuck (far more than any example page has).
MAX_STOPS = 250

# The focused element: who it is, and how it looks (null: nothing new is focused). Each stop is tagged, so that a
# second visit ends the walk and its unfocused look can be read afterwards.
STOP = """(index) => {
    const e = document.activeElement;
    if (!e || e === document.body || e.hasAttribute("data-stop")) return null;
    e.setAttribute("data-stop", index);
    const s = getComputedStyle(e);
    return {
        key: e.id ? "#" + e.id : e.tagName.toLowerCase() + (e.getAttribute("data-xc-font") ? "[data-xc-font=" +
            e.getAttribute("data-xc-font") + "]" : "") + (e.hasAttribute("data-xc-care") ? "[data-xc-care]" : "") +
            (e.hasAttribute("data-xc-print") ? "[data-xc-print]" : ""),
        text: (e.textContent || e.value || "").trim().slice(0, 30),
        in_main: Boolean(e.closest("#xc-main")),
        ring: {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor, shadow: s.boxShadow},
    };
}"""
UNFOCUSED = """() => {
    document.activeElement.blur();
    return [...document.querySelectorAll("[data-stop]")].map(e => {
        const s = getComputedStyle(e);
        const ring = {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor, shadow: s.boxShadow};
        return [Number(e.getAttribute("data-stop")), ring];
    });
}"""


@pytest.fixture(scope="module")
def tab_walks(chromium, example_url):
    """tab_walks(name) → the stops of Tab pressed from the top of the page until focus leaves it, each with its ring
    focused (``ring``) and unfocused (``plain``)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    walks: dict[str, list[dict]] = {}

    def walk(name: str) -> list[dict]:
        if name not in walks:
            page = context.new_page()
            visit(page, example_url, name)
            stops = []
            for index in range(MAX_STOPS):
                page.keyboard.press("Tab")
                stop = page.evaluate(STOP, index)
                if stop is None:
                    break
                stops.append(stop)
            for index, plain in page.evaluate(UNFOCUSED):
                stops[index]["plain"] = plain
            walks[name] = stops
            page.close()
        return walks[name]

    yield walk
    context.close()


WALKED = ["home", "notice", "round", "feedback", "search", "sitemap", "404"]


@pytest.mark.parametrize("name", WALKED)
def test_tab_walk_ends_instead_of_trapping_focus(tab_walks, name):
    assert 0 < len(tab_walks(name)) < MAX_STOPS


@pytest.mark.parametrize("name", WALKED)
def test_every_tab_stop_shows_a_focus_ring_it_does_not_have_unfocused(tab_walks, name):
    unmarked = [(stop["key"], stop["text"], stop["ring"]) for stop in tab_walks(name) if stop["ring"] == stop["plain"]]
    assert unmarked == []


@pytest.mark.parametrize("name", WALKED)
def test_focus_ring_is_an_outline_at_least_2_px_wide(tab_walks, name):
    thin = [
        (stop["key"], stop["ring"])
        for stop in tab_walks(name)
        if stop["ring"]["outline"] == "none" or stop["ring"]["width"] < 2
    ]
    assert thin == []


@pytest.mark.parametrize("name", WALKED)
def test_tab_reaches_the_search_box_the_reading_aids_and_the_main_content(tab_walks, name):
    stops = tab_walks(name)
    keys = [stop["key"] for stop in stops]
    assert keys[0] == "a" and stops[0]["text"] == "跳到正文"
    header = ["#xc-q", "button[data-xc-font=s]", "button[data-xc-font=m]", "button[data-xc-font=l]"]
    assert set([*header, "button[data-xc-font=xl]", "button[data-xc-care]"]) <= set(keys)
    assert any(stop["in_main"] for stop in stops)


def test_tab_reaches_the_notice_print_button(tab_walks):
    in_notice = [stop["key"] for stop in tab_walks("notice") if stop["in_main"]]
    assert "button[data-xc-print]" in in_notice


def test_tab_reaches_the_feedback_filter(tab_walks):
    assert "#xc-filter-input" in [stop["key"] for stop in tab_walks("feedback")]


def test_tab_reaches_the_search_page_box_filters_and_results(tab_walks):
    stops = [stop for stop in tab_walks("search") if stop["in_main"]]
    keys = [stop["key"] for stop in stops]
    assert "#xs-search-q" in keys
    assert keys.count("select") == 4  # round, year, stage, theme (the example has a theme list)
    assert any(stop["key"] == "a" and stop["text"].startswith("中共") for stop in stops)  # a result's title


def test_skip_link_takes_the_next_tab_into_the_main_content(reader, example_url):
    page, _ = reader()
    visit(page, example_url, "round")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("Boolean(document.activeElement.closest('#xc-main'))")


def test_search_from_the_header_box_lists_matching_notices(reader, example_url):
    page, log = reader()
    visit(page, example_url, "home")
    page.fill("#xc-q", "交通运输局")
    page.press("#xc-q", "Enter")
    page.wait_for_selector("[data-xuncha-search][data-state=done]")
    links = page.eval_on_selector_all(".xs-result a", "links => links.map(a => a.pathname)")
    assert {"/notices/2024-r1/jiaotong/", "/notices/2025-hk/jiaotong/"} <= set(links)
    assert page.input_value("#xs-search-q") == "交通运输局"
    assert log.console_errors == [] and log.foreign_requests == []


# Site chrome that a printed page must not carry (the notice prints like the official document).
CHROME = [".xc-skip", ".xc-header", ".xc-nav", ".xc-tools", ".xc-footer", ".xc-crumbs", ".xc-meta__tools", ".xc-pager"]


@pytest.mark.parametrize("name", ["notice", "round", "home"])
def test_print_hides_header_navigation_footer_and_reading_aids(reader, example_url, name):
    page, _ = reader()
    visit(page, example_url, name)
    present = [selector for selector in CHROME if page.locator(selector).count()]
    assert {".xc-header", ".xc-nav", ".xc-tools", ".xc-footer"} <= set(present)
    page.emulate_media(media="print")
    assert [selector for selector in present if page.locator(selector).first.is_visible()] == []
    assert page.locator("h1").first.is_visible()


def test_printed_notice_keeps_title_text_statuses_and_signature(reader, example_url):
    page, _ = reader()
    visit(page, example_url, "notice")
    page.emulate_media(media="print")
    # The statuses print in the notice's own words: its 完成情况 paragraph, not the badge that stands for it on screen.
    for selector in (".xc-doc__title", ".xc-doc__body p", ".xc-problem__status", ".xc-signature"):
        assert page.locator(selector).first.is_visible(), selector
    assert page.locator(".xc-badge--from-line").first.is_hidden()
