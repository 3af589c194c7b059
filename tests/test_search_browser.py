"""Search quality in Chromium, against tests/fixtures/site_search built by the plugin with the real theme.

Where the fixture's words are (all text fictional):
  caizheng (2021, 进展): 巡视整改, “三重一大”, 2021年党费, 反馈意见, 0123—6123456
  jiaoyu   (2021, 完成): “三重一大”, 反馈的意见 (not 反馈意见)
  shuiwu   (2023, 进展): 民主生活会, 党风廉政建设, 反馈意见, 农田水渠, 0123-6234567
  tongji   (2023, 进展): 民主生活 … 组织生活会, 党风廉政 … 廉政建设 (the words' parts, apart), 沟渠, 2021年 … 党费
  wenlv    draft:     古镇保护专项资金          weijian embargoed until 2027: 智慧医疗平台
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from xuncha_site.search.documents import notice_text
from xuncha_site.search.tokens import search_tokens

pytestmark = pytest.mark.browser

ALL = {"caizheng", "jiaoyu", "shuiwu", "tongji"}


@pytest.fixture(scope="module")
def browser_page(chromium, search_site):
    """One page for the module; every request it makes is recorded."""
    context = chromium.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    yield page, requests
    context.close()


def run(page, base, query="", **filters):
    params = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **filters}.items() if v)
    page.goto(f"{base}/search/?{params}")
    page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=15000)
    return results(page)


def results(page):
    return page.eval_on_selector_all(
        ".xs-result",
        """items => items.map(item => ({
            slug: item.querySelector("a").getAttribute("href").split("/").filter(Boolean).pop(),
            title: item.querySelector(".xs-result__title").textContent,
            meta: item.querySelector(".xs-result__meta").textContent,
            excerpt: item.querySelector(".xs-result__excerpt").textContent,
            marks: [...item.querySelectorAll(".xs-result__excerpt mark")].map(m => m.textContent),
        }))""",
    )


def slugs(page, base, query="", **filters):
    return [item["slug"] for item in run(page, base, query, **filters)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("党费", {"caizheng", "tongji"}),
        ("整改", ALL),
        ("巡视整改", {"caizheng"}),
        ("三重一大", {"caizheng", "jiaoyu"}),
        ("市水务局", {"shuiwu"}),
        ("市教育局党组", {"jiaoyu"}),
        ("2021 党费", {"caizheng", "tongji"}),
        ("察", ALL),
        ("渠", {"shuiwu", "tongji"}),
        ('"反馈意见"', {"caizheng", "shuiwu"}),
        ("“民主生活会”", {"shuiwu"}),
    ],
)
def test_query_finds_exactly_the_notices_containing_it(browser_page, search_site, query, expected):
    page, _ = browser_page
    assert set(slugs(page, search_site["url"], query)) == expected


@pytest.mark.parametrize("query", ["0123-6234567", "01236234567", "6234567", "0123—6234567"])
def test_phone_number_is_found_however_it_is_typed(browser_page, search_site, query):
    page, _ = browser_page
    assert slugs(page, search_site["url"], query) == ["shuiwu"]


@pytest.mark.parametrize("query", ["民主生活会", "党风廉政建设"])
def test_exact_compound_ranks_before_notices_with_its_parts_apart(browser_page, search_site, query):
    page, _ = browser_page
    assert slugs(page, search_site["url"], query) == ["shuiwu", "tongji"]


def test_quoted_phrase_keeps_only_exact_matches(browser_page, search_site):
    page, _ = browser_page
    assert slugs(page, search_site["url"], '"党风廉政建设"') == ["shuiwu"]


@pytest.mark.parametrize("query", ["古镇保护", "古镇", "智慧医疗平台", "慧"])
def test_text_only_in_a_draft_or_an_embargoed_notice_finds_nothing(browser_page, search_site, query):
    page, _ = browser_page
    assert slugs(page, search_site["url"], query) == []
    assert "没有找到" in page.inner_text("[data-search-status]")


def test_result_count_is_announced(browser_page, search_site):
    page, _ = browser_page
    run(page, search_site["url"], "三重一大")
    status = page.locator("[data-search-status]")
    assert status.inner_text() == "找到 2 篇通报"
    assert status.get_attribute("role") == "status"


def test_result_shows_title_round_unit_and_date(browser_page, search_site):
    page, _ = browser_page
    (item,) = run(page, search_site["url"], "市水务局")
    assert item["title"] == "中共青禾市水务局党组关于十届市委第五轮巡察整改进展情况的通报"
    for value in ("十届市委第五轮巡察", "市水务局党组", "2023年8月25日", "进展"):
        assert value in item["meta"]


def test_excerpt_is_real_text_with_the_whole_compound_highlighted(browser_page, search_site):
    page, _ = browser_page
    (item,) = run(page, search_site["url"], "巡视整改")
    assert item["marks"] == ["巡视整改"]
    notice = next(n for n in search_site["project"].public_notices() if n.slug == "caizheng")
    flat = notice_text(notice).replace("\n", " ")
    assert item["excerpt"].strip("…") in flat


def test_excerpt_highlights_each_word_of_a_mixed_query(browser_page, search_site):
    page, _ = browser_page
    items = {item["slug"]: item for item in run(page, search_site["url"], "2021 党费")}
    assert set(items["tongji"]["marks"]) == {"2021", "党费"}


def test_excerpt_highlights_the_parts_of_a_compound_found_apart(browser_page, search_site):
    page, _ = browser_page
    items = {item["slug"]: item for item in run(page, search_site["url"], "党风廉政建设")}
    assert items["shuiwu"]["marks"] == ["党风廉政建设"]
    assert items["tongji"]["marks"] == ["党风廉政", "廉政建设"]


def test_filter_by_round_keeps_only_that_round(browser_page, search_site):
    page, _ = browser_page
    assert set(slugs(page, search_site["url"], "整改", round="十届市委第一轮巡察")) == {"caizheng", "jiaoyu"}


def test_filter_by_year_and_stage(browser_page, search_site):
    page, _ = browser_page
    assert set(slugs(page, search_site["url"], "整改", year="2023")) == {"shuiwu", "tongji"}
    assert slugs(page, search_site["url"], "整改", stage="完成") == ["jiaoyu"]


def test_filters_alone_list_notices_newest_first(browser_page, search_site):
    page, _ = browser_page
    assert slugs(page, search_site["url"], round="十届市委第五轮巡察") == ["tongji", "shuiwu"]


def test_filter_options_come_from_the_index_in_order(browser_page, search_site):
    page, _ = browser_page
    run(page, search_site["url"], "整改")
    options = page.eval_on_selector("select[name=round]", "s => [...s.options].map(o => o.textContent)")
    assert options == ["全部轮次", "十届市委第五轮巡察", "十届市委第一轮巡察"]
    years = page.eval_on_selector("select[name=year]", "s => [...s.options].map(o => o.textContent)")
    assert years == ["全部年度", "2023年", "2021年"]


def test_theme_filter_lists_notices_of_a_common_problem(browser_page, search_site):
    page, _ = browser_page
    assert slugs(page, search_site["url"], theme="党费") == ["tongji", "caizheng"]
    assert page.is_visible("select[name=theme]")
    options = page.eval_on_selector("select[name=theme]", "s => [...s.options].map(o => o.textContent)")
    assert options == ["全部主题", "党费", "财务与资金管理", "工程项目"]  # 信息化建设: only an embargoed notice
    assert slugs(page, search_site["url"], "整改", theme="工程项目") == ["shuiwu"]
    assert slugs(page, search_site["url"], "党费", theme="财务与资金管理", year="2021") == ["caizheng"]
    assert "theme=" in page.url


def test_query_from_the_url_fills_the_search_box(browser_page, search_site):
    page, _ = browser_page
    run(page, search_site["url"], "民主生活会", stage="进展")
    assert page.input_value("#xs-search-q") == "民主生活会"
    assert page.input_value("select[name=stage]") == "进展"


def test_keyboard_search_updates_the_url_and_reaches_the_results(browser_page, search_site):
    page, _ = browser_page
    run(page, search_site["url"])
    page.focus("#xs-search-q")
    page.keyboard.type("三重一大")
    page.keyboard.press("Enter")
    # A function, not an expression: the site's Content-Security-Policy forbids the eval that an expression needs.
    page.wait_for_function("() => document.querySelectorAll('.xs-result').length === 2")
    assert "q=%E4%B8%89%E9%87%8D%E4%B8%80%E5%A4%A7" in page.url
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.xs-result') !== null"):
            break
    assert page.evaluate("document.activeElement.tagName") == "A"


def test_query_tokens_in_the_browser_equal_the_index_tokens(browser_page, search_site):
    page, _ = browser_page
    run(page, search_site["url"])
    samples = [
        "巡视整改",
        "整改。巡视",
        "察",
        "电话：0744—6223478，0744－6223478",
        "２０２１年ＡＢ党费",
        "swj@qinghe.example",
        "〇一二 第1-2项 𠮷字",
        "“三重一大”事项",
    ]
    tokens = page.evaluate(
        "async samples => { const m = await import('../assets/search/search.js');"
        " return samples.map(s => m.searchTokens(s)); }",
        samples,
    )
    assert tokens == [search_tokens(sample) for sample in samples]


def test_no_request_goes_to_another_host(browser_page, search_site):
    page, requests = browser_page
    run(page, search_site["url"], "党风廉政建设")
    host = urlsplit(search_site["url"]).netloc
    assert requests
    assert {urlsplit(url).netloc for url in requests if not url.startswith("data:")} == {host}


def test_without_javascript_the_page_points_to_the_rounds_index(chromium, search_site):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{search_site['url']}/search/?q=整改")
    link = page.locator("#xc-main").get_by_role("link", name="巡察轮次")
    assert link.is_visible()
    assert link.get_attribute("href") == "../rounds/"
    context.close()


@pytest.mark.parametrize(
    ("query", "looked_up"),
    [
        # A long unquoted word: every other bigram and its last, which cover all its characters.
        ("青禾城关发展和改革委员会党组", ["青禾", "城关", "发展", "和改", "革委", "员会", "党组"]),
        ("党风廉政建设", ["党风", "廉政", "建设"]),
        ("党风廉政建设好", ["党风", "廉政", "建设", "设好"]),
        # Shorter words, and quoted phrases, are looked up by all their bigrams.
        ("民主生活会", ["民主", "主生", "生活", "活会"]),
        ("党风廉政建", ["党风", "风廉", "廉政", "政建"]),
        ('"党风廉政建设"', ["党风", "风廉", "廉政", "政建", "建设"]),
    ],
)
def test_long_words_are_looked_up_by_half_their_bigrams(browser_page, search_site, query, looked_up):
    page, _ = browser_page
    page.goto(f"{search_site['url']}/search/")
    tokens = page.evaluate(
        "async query => { const m = await import('../assets/search/search.js');"
        " return m.parseQuery(query).tokens.map(t => t.text); }",
        query,
    )
    assert tokens == looked_up
