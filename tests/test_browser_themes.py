"""The common-problem pages (共性问题) in Chromium at 1280 and 360 px: axe-core finds nothing, nothing scrolls sideways,
and the round filter of a theme page works by anchors alone, with JavaScript off."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "themes": "themes/",
    "theme": "themes/zhuti-zeren/",  # several rounds, a trend over two years
    "round": "rounds/2025-zx1/",  # 本轮共性问题
    "notice": "notices/2024-r1/fagaiwei/",  # theme links under problems
}
WIDTHS = (1280, 360)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_theme_pages_are_axe_clean_and_never_scroll_sideways(chromium, example_url, run_axe, name, width) -> None:
    # axe-core goes in as an inline script, which the site's Content-Security-Policy rightly refuses.
    context = chromium.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    try:
        page = context.new_page()
        response = page.goto(f"{example_url}/{PAGES[name]}")
        assert response is not None and response.ok
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
        if name in ("themes", "theme"):
            assert page.locator("h1").inner_text() in ("共性问题", "全面从严治党主体责任")
        results = run_axe(page)
        violations = [f"{v['id']} ({v['impact']}): {v['help']}" for v in results["violations"]]
        assert violations == []
    finally:
        context.close()


def test_round_filter_works_with_anchors_and_without_javascript(chromium, example_url) -> None:
    context = chromium.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{example_url}/themes/zhuti-zeren/")
        sections = page.locator("section.xc-theme-round")
        count = sections.count()
        assert count >= 2
        assert all(sections.nth(i).is_visible() for i in range(count))
        chosen = page.locator(".xc-theme-filter a").nth(2)  # the second round (after 全部轮次)
        target = chosen.get_attribute("href")
        chosen.click()
        page.wait_for_function(f"location.hash === {target!r}")
        visible = [sections.nth(i).get_attribute("id") for i in range(count) if sections.nth(i).is_visible()]
        assert visible == [target.lstrip("#")]
        page.locator(".xc-theme-filter a").first.click()  # 全部轮次
        page.wait_for_function("location.hash === '#xc-theme-problems'")
        assert all(sections.nth(i).is_visible() for i in range(count))
    finally:
        context.close()
