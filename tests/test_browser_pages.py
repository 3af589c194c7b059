"""Every page type of the example site in Chromium at 1280 and 360 px: it answers 200 (an unknown address: the 404 page
with status 404), logs no console error, asks no other host for anything, and nothing scrolls sideways (on a phone
also at the largest font size). Each page is loaded once per width; the tests read what that visit recorded. With
$XUNCHA_SCREENSHOTS set, a full-page screenshot of every visit is saved there."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from browser_fixtures import READER_PAGES, ReaderLog, save_screenshot, visit, watch

pytestmark = pytest.mark.browser

WIDTHS = [1280, 360]

# The right edge of the widest visible element, so that overflow hidden by Material's `html { overflow-x: hidden }`
# counts too, and the width the document scrolls to.
EXTENT = """() => ({
    widest: Math.max(...Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => e.getBoundingClientRect().right)),
    scroll: document.documentElement.scrollWidth,
})"""


@dataclass(frozen=True)
class Visit:
    """One page at one width, as loaded by a reader."""

    url: str
    status: int
    log: ReaderLog
    widest: float
    scroll_width: int
    heading: str


@pytest.fixture(scope="module")
def visits(chromium, example_url):
    """visits(name, width) → Visit, loading each page once per width (and its screenshot saved, see save_screenshot)."""
    done: dict[tuple[str, int], Visit] = {}
    contexts = {width: chromium.new_context(viewport={"width": width, "height": 800}) for width in WIDTHS}

    def load(name: str, width: int) -> Visit:
        if (name, width) not in done:
            page = contexts[width].new_page()
            log = watch(page, example_url)
            response = visit(page, example_url, name)
            extent = page.evaluate(EXTENT)
            save_screenshot(page, f"{name}-{width}")
            heading = page.inner_text("h1")
            done[name, width] = Visit(page.url, response.status, log, extent["widest"], extent["scroll"], heading)
            page.close()
        return done[name, width]

    yield load
    for context in contexts.values():
        context.close()


PAGES_AT_WIDTHS = [pytest.param(name, width, id=f"{name}-{width}") for name in READER_PAGES for width in WIDTHS]


@pytest.mark.parametrize(("name", "width"), PAGES_AT_WIDTHS)
def test_page_answers_ok(visits, name, width):
    expected = 404 if name == "missing" else 200
    assert visits(name, width).status == expected


@pytest.mark.parametrize("width", WIDTHS)
def test_unknown_address_shows_the_styled_404_page(visits, width):
    seen = visits("missing", width)
    assert seen.heading == "页面不存在"
    assert seen.log.failed_responses == [seen.url]  # the page itself; its styles and script load from the site root


@pytest.mark.parametrize(("name", "width"), PAGES_AT_WIDTHS)
def test_page_logs_no_console_error(visits, name, width):
    seen = visits(name, width)
    errors = seen.log.console_errors
    if name == "missing":  # Chromium reports the 404 status of the page itself
        errors = [e for e in errors if not (e.startswith("Failed to load resource") and e.endswith(f"@ {seen.url}"))]
    assert errors == []


@pytest.mark.parametrize(("name", "width"), PAGES_AT_WIDTHS)
def test_page_requests_nothing_from_another_host(visits, name, width):
    assert visits(name, width).log.foreign_requests == []


@pytest.mark.parametrize(("name", "width"), PAGES_AT_WIDTHS)
def test_page_does_not_scroll_sideways(visits, name, width):
    seen = visits(name, width)
    assert seen.scroll_width <= width
    assert seen.widest <= width + 0.5


@pytest.mark.parametrize("name", READER_PAGES)
def test_page_does_not_scroll_sideways_at_360_px_with_the_largest_font(reader, example_url, name):
    page, _ = reader(width=360, font="xl")
    visit(page, example_url, name)
    extent = page.evaluate(EXTENT)
    assert extent["scroll"] <= 360
    assert extent["widest"] <= 360.5
