"""Accessibility (无障碍, GB/T 37668) and 适老化 of every page type of the example site, in Chromium: axe-core finds
nothing, contrast meets WCAG AA, headings descend in order, the landmarks are there, statuses are words and links are
underlined (never colour alone), body text is at least 16 px with line spacing of at least 1.3, and the reading aids
are large enough to tap on a phone.

Each page is audited once per mode: normal at 1280 px and 关怀 (high contrast) at 360 px, so that both layouts and
both colour schemes are covered (at 360 px with the header's folded search box and menu opened); the tests read what
that audit recorded. With $XUNCHA_SCREENSHOTS set, the audit
also saves a screenshot of each page in 关怀 mode there."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from browser_fixtures import READER_PAGES, save_screenshot, visit

pytestmark = pytest.mark.browser

MODES = {"normal": (1280, False), "care": (360, True)}

# Helpers of the page surveys below.
SHOWN = 'const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";'
DESCRIBE = """const describe = e => e.tagName.toLowerCase() + (e.className ? "." + [...e.classList].join(".") : "")
    + " “" + e.textContent.trim().slice(0, 24) + "”";"""

# What the page shows, gathered in one pass: headings in document order, status badges, body text whose line spacing
# is below 1.3, and links in running text without an underline.
SURVEY = f"""() => {{
    {SHOWN}
    {DESCRIBE}
    const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(shown)
        .map(h => [Number(h.tagName[1]), h.textContent.trim()]);
    const badges = [...document.querySelectorAll(".xc-badge")].filter(shown).map(b => b.textContent.trim());
    const tight = [...document.querySelectorAll("#xc-main :is(p, li, dd, td, th), .xc-footer p")].filter(shown)
        .filter(e => e.textContent.trim())
        .map(e => [describe(e), parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize)])
        .filter(([, ratio]) => !(ratio >= 1.3));
    const plain = [...document.querySelectorAll(
        "#xc-main :is(p, dd, td) a:not(.xc-button), .xc-footer a")].filter(shown)
        .filter(a => !getComputedStyle(a).textDecorationLine.includes("underline")).map(describe);
    return {{headings, badges, tight, plain}};
}}"""

# Visible text below 16 px. Chart labels are left out: each chart is an image (role="img" with its numbers in its
# name), and the same numbers are written as text beside it.
SMALL_TEXT = f"""() => {{
    {SHOWN}
    {DESCRIBE}
    const small = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {{
        const element = walker.currentNode.parentElement;
        if (!walker.currentNode.textContent.trim() || element.closest("svg, script, style, noscript")) continue;
        const size = parseFloat(getComputedStyle(element).fontSize);
        if (shown(element) && size < 16) small.push(describe(element) + " " + size + "px");
    }}
    return small;
}}"""


@dataclass(frozen=True)
class Audit:
    """One page in one mode: what axe-core found and what the page shows."""

    axe: dict
    survey: dict
    landmarks: dict[str, int]
    overdue_units: list[str]


@pytest.fixture(scope="module")
def audits(chromium, example_url, run_axe):
    """audits(name, mode) → Audit, auditing each page once per mode."""
    done: dict[tuple[str, str], Audit] = {}
    contexts = {}
    for mode, (width, care) in MODES.items():
        # axe-core goes in as an inline script, which the site's Content-Security-Policy rightly refuses.
        contexts[mode] = chromium.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
        if care:
            contexts[mode].add_init_script("localStorage.setItem('xuncha.care', 'on')")

    def audit(name: str, mode: str) -> Audit:
        if (name, mode) not in done:
            page = contexts[mode].new_page()
            visit(page, example_url, name)
            if mode == "care":
                save_screenshot(page, f"{name}-care-{MODES[mode][0]}")
            survey = page.evaluate(SURVEY)
            # On a phone the header's search box and navigation are folded behind 搜索 and 菜单: open them, as a
            # reader would, so that axe checks them too and their landmarks count.
            page.evaluate("document.querySelectorAll('[data-xc-toggle]').forEach(b => b.offsetParent && b.click())")
            roles = ("banner", "main", "contentinfo", "navigation", "search")
            landmarks = {role: page.get_by_role(role).count() for role in roles}
            overdue = page.eval_on_selector_all(".xc-unit--overdue", "units => units.map(u => u.textContent)")
            done[name, mode] = Audit(run_axe(page), survey, landmarks, overdue)
            page.close()
        return done[name, mode]

    yield audit
    for context in contexts.values():
        context.close()


# Every page type; an unknown address shows the same document as 404.html, so it is audited once, as 404.html.
AUDITED = [name for name in READER_PAGES if name != "missing"]
PAGES_IN_MODES = [pytest.param(name, mode, id=f"{name}-{mode}") for name in AUDITED for mode in MODES]


def findings(items: list[dict]) -> list[str]:
    """axe findings as readable lines for an assertion message."""
    lines = []
    for item in items:
        nodes = "".join(f"\n    {node['target']} → {node['summary']}" for node in item["nodes"])
        lines.append(f"{item['id']} ({item['impact']}): {item['help']}{nodes}")
    return lines


@pytest.mark.parametrize(("name", "mode"), PAGES_IN_MODES)
def test_axe_finds_no_serious_or_critical_violation(audits, name, mode):
    violations = audits(name, mode).axe["violations"]
    assert findings([v for v in violations if v["impact"] in ("serious", "critical")]) == []


@pytest.mark.parametrize(("name", "mode"), PAGES_IN_MODES)
def test_axe_finds_no_moderate_or_minor_violation_either(audits, name, mode):
    violations = audits(name, mode).axe["violations"]
    assert findings([v for v in violations if v["impact"] not in ("serious", "critical")]) == []


@pytest.mark.parametrize(("name", "mode"), PAGES_IN_MODES)
def test_colour_contrast_is_checked_and_meets_wcag_aa(audits, name, mode):
    result = audits(name, mode).axe
    assert "color-contrast" in result["passes"]
    # axe cannot see the background of text drawn inside an SVG image: the charts' labels (ink on the page's white,
    # .xc-chart text in xuncha.css). Everything else it must have been able to decide.
    undecided = [
        {**item, "nodes": [node for node in item["nodes"] if not node["in_svg"]]}
        for item in result["incomplete"]
        if item["id"] == "color-contrast"
    ]
    assert findings([item for item in undecided if item["nodes"]]) == []


@pytest.mark.parametrize(("name", "mode"), PAGES_IN_MODES)
def test_headings_start_at_one_h1_and_never_skip_a_level(audits, name, mode):
    levels = [level for level, _ in audits(name, mode).survey["headings"]]
    assert levels[0] == 1 and levels.count(1) == 1
    skips = [(before, after) for before, after in itertools.pairwise(levels) if after > before + 1]
    assert skips == []


@pytest.mark.parametrize(("name", "mode"), PAGES_IN_MODES)
def test_page_has_banner_main_footer_and_navigation_landmarks(audits, name, mode):
    landmarks = audits(name, mode).landmarks
    assert (landmarks["banner"], landmarks["main"], landmarks["contentinfo"]) == (1, 1, 1)
    assert landmarks["navigation"] >= 2  # the main navigation and the footer links (and breadcrumbs where there are)
    assert landmarks["search"] >= 1  # the header's search box


# Pages whose example content has status badges: problems' statuses, 已公开/尚未公开/逾期.
BADGE_PAGES = ["home", "notice", "notice-attachment", "round", "rounds", "unit", "units"]


@pytest.mark.parametrize("name", BADGE_PAGES)
def test_status_badges_say_their_status_in_words(audits, name):
    badges = audits(name, "normal").survey["badges"]
    assert badges and all(badges), badges


def test_overdue_units_are_marked_in_words_not_only_in_red(audits):
    overdue = audits("round", "normal").overdue_units
    assert overdue and all("逾期" in text for text in overdue)


@pytest.mark.parametrize(("name", "mode"), PAGES_IN_MODES)
def test_links_in_running_text_are_underlined(audits, name, mode):
    assert audits(name, mode).survey["plain"] == []


@pytest.mark.parametrize(("name", "mode"), PAGES_IN_MODES)
def test_body_text_line_height_is_at_least_1_3(audits, name, mode):
    assert audits(name, mode).survey["tight"] == []


@pytest.mark.parametrize("name", AUDITED)
def test_no_text_is_smaller_than_16_px_even_at_the_smallest_font_size(reader, example_url, name):
    page, _ = reader(font="s")
    visit(page, example_url, name)
    assert page.evaluate(SMALL_TEXT) == []


# Chart text as drawn: its size in the chart's units times the scale the chart is drawn at, and whether it is inside
# the chart (an SVG clips what overflows it).
CHART_TEXT = """() => [...document.querySelectorAll("svg.xc-chart")].flatMap(svg => {
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll("text")].map(text => {
        const drawn = text.getBoundingClientRect();
        return {
            text: text.textContent,
            px: Math.round(parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a * 10) / 10,
            inside: drawn.left >= box.left - 0.5 && drawn.right <= box.right + 0.5,
        };
    });
})"""


@pytest.mark.parametrize(("width", "font"), [(360, "s"), (360, "xl"), (1280, "s")])
def test_chart_text_is_at_least_16_px_and_inside_its_chart(reader, example_url, width, font):
    page, _ = reader(width=width, font=font)
    visit(page, example_url, "round")
    texts = page.evaluate(CHART_TEXT)
    assert len(texts) >= 6  # two charts: 公开情况 and 整改完成情况
    assert [text for text in texts if text["px"] < 16 or not text["inside"]] == []


# The field names of the open-data page's tables: how many lines each takes, and whether its table shows its header.
FIELD_NAMES = """() => [...document.querySelectorAll("#xc-main table td:first-child code")].map(code => ({
    name: code.textContent,
    lines: code.getClientRects().length,
    header: getComputedStyle(code.closest("table").querySelector("thead")).display,
}))"""


def test_open_data_field_names_stay_whole_on_a_phone(reader, example_url):
    page, _ = reader(width=360)
    visit(page, example_url, "open-data")
    names = page.evaluate(FIELD_NAMES)
    assert len(names) > 30
    assert [name["name"] for name in names if name["lines"] != 1] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_open_data_tables_keep_their_columns_on_a_desktop(reader, example_url):
    page, _ = reader(width=1280)
    visit(page, example_url, "open-data")
    assert {name["header"] for name in page.evaluate(FIELD_NAMES)} == {"table-header-group"}


def test_a_data_table_in_a_notice_keeps_its_columns_on_a_phone(reader, example_url):
    page, _ = reader(width=360)
    visit(page, example_url, "notice")
    display = page.evaluate("""() => {
        const table = document.createElement("table");
        table.innerHTML = "<thead><tr><th>问题</th><th>完成情况</th></tr></thead><tbody><tr><td>台账不全</td><td>已完成</td></tr></tbody>";
        document.querySelector(".xc-doc__body").append(table);
        return [getComputedStyle(table.querySelector("thead")).display, getComputedStyle(table.querySelector("td")).display];
    }""")
    assert display == ["table-header-group", "table-cell"]


@pytest.mark.parametrize("name", ["notice", "home"])
def test_reading_aids_are_at_least_44_px_tap_targets_on_a_phone(reader, example_url, name):
    page, _ = reader(width=360)
    visit(page, example_url, name)
    controls = page.locator(".xc-tools button, .xc-meta__tools button:visible, .xc-toggle")
    boxes = [(controls.nth(i).inner_text(), controls.nth(i).bounding_box()) for i in range(controls.count())]
    assert len(boxes) >= 7  # 搜索 菜单, 小 中 大 特大 关怀模式 (and on a notice also 打印)
    small = [(text, box["width"], box["height"]) for text, box in boxes if box["width"] < 44 or box["height"] < 44]
    assert small == []
