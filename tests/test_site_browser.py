"""The example site in Chromium: reading aids persist across pages, the feedback filter works, the skip link is the
first stop. (Every page type at 1280 and 360 px — status, console, foreign requests, sideways scrolling — is in
test_browser_pages.py.)"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(example_site, serve_dir) -> str:
    return serve_dir(example_site)


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_font_size_choice_persists_across_pages(page, site_url):
    page.goto(f"{site_url}/notices/2024-r1/fagaiwei/")
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.xc-doc__body p')).fontSize)")
    page.click(".xc-tools [data-xc-font='l']")
    page.goto(f"{site_url}/rounds/")
    assert page.evaluate("document.documentElement.dataset.font") == "l"
    assert page.get_attribute(".xc-tools [data-xc-font='l']", "aria-pressed") == "true"
    page.goto(f"{site_url}/notices/2024-r1/fagaiwei/")
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.xc-doc__body p')).fontSize)")
    assert after > before * 1.1


def test_three_font_sizes_differ(page, site_url):
    page.goto(f"{site_url}/about/")
    sizes = []
    for size in ("s", "m", "l"):
        page.click(f".xc-tools [data-xc-font='{size}']")
        sizes.append(page.evaluate("parseFloat(getComputedStyle(document.querySelector('#xc-main p')).fontSize)"))
    assert sizes == sorted(sizes) and len(set(sizes)) == 3


def test_care_mode_persists_and_raises_contrast(page, site_url):
    page.goto(f"{site_url}/")
    page.click(".xc-tools [data-xc-care]")
    page.goto(f"{site_url}/rounds/2024-r1/")
    assert page.evaluate("document.documentElement.dataset.care") == "on"
    assert page.get_attribute(".xc-tools [data-xc-care]", "aria-pressed") == "true"
    assert page.evaluate("getComputedStyle(document.querySelector('#xc-main p')).color") == "rgb(0, 0, 0)"
    page.click(".xc-tools [data-xc-care]")
    page.goto(f"{site_url}/")
    assert page.evaluate("document.documentElement.dataset.care") is None


def test_feedback_filter_hides_entries_that_do_not_match(page, site_url):
    page.goto(f"{site_url}/feedback/")
    total = page.locator("[data-xc-filter-text]").count()
    page.fill("#xc-filter-input", "交通")
    visible = page.locator("[data-xc-filter-text]:visible")
    assert 0 < visible.count() < total
    assert all("交通" in text for text in visible.all_inner_texts())
    assert "找到" in page.inner_text("[data-xc-filter-status]")
    page.fill("#xc-filter-input", "没有这个单位")
    assert page.locator("[data-xc-filter-text]:visible").count() == 0
    assert page.inner_text("[data-xc-filter-status]") == "没有符合条件的单位"


def test_feedback_page_without_javascript_opens_every_round_and_shows_no_filter(chromium, site_url):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/feedback/")
    assert not page.is_visible("#xc-filter-input")
    closed = page.locator("#xc-feedback-list details:not([open]) > summary")
    assert closed.count() >= 3
    while closed.count():
        closed.first.click()  # rounds fold natively (<details>): no script needed to open them
    assert page.locator("[data-xc-filter-text]:visible").count() == page.locator("[data-xc-filter-text]").count()
    assert not page.is_visible(".xc-tools")  # the buttons would do nothing
    context.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, site_url):
    page.goto(f"{site_url}/notices/2024-r1/fagaiwei/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#xc-main"
