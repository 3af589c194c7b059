"""Common problems (共性问题) in a built site: /themes/, /themes/<slug>/, 本轮共性问题 on round pages, theme links on
notice pages, open data, and that drafts and embargoed notices never reach any of them.

tests/fixtures/site_themes is built for this (see its mkdocs.yml): what each page must show follows from its records.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from site_fixtures import SITE_FIXTURES, build_dated_site

SITE = SITE_FIXTURES / "site_themes"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dated_site(SITE / "mkdocs.yml", tmp_path_factory.mktemp("themes-site"))


def text(node) -> str:
    return " ".join(node.get_text().split())


def resolve(page_dir: Path, href: str, site: Path) -> Path:
    """The built file a relative link of the page in ``page_dir`` leads to (anchor dropped)."""
    path = (page_dir / href.split("#")[0]).resolve()
    return path / "index.html" if path.is_dir() else path


def test_index_lists_every_theme_with_units_and_problems_per_round_and_year(site, read_page) -> None:
    page = read_page(site, "themes/")
    assert text(page.h1) == "共性问题"
    items = {text(item.h2): item for item in page.select(".xc-themes__item")}
    assert list(items) == ["公务用车", "财务与资金管理", "工程项目", "党费"]  # the list's order
    car = items["公务用车"]
    assert "共3个单位、3个问题" in text(car.select_one(".xc-themes__total"))
    rounds, years = car.select("table.xc-theme-counts")
    # Newest round first; the 2024 round counts 甲局 once (its completion notice) and 乙局.
    assert [[text(cell) for cell in row.select("th, td")] for row in rounds.tbody.select("tr")] == [
        ["十一届市委第二轮巡察", "1个", "1个"],
        ["十一届市委第一轮巡察", "2个", "2个"],
    ]
    assert [[text(cell) for cell in row.select("th, td")] for row in years.tbody.select("tr")] == [
        ["2025年", "1个", "1个"],
        ["2024年", "2个", "2个"],
    ]
    round_link = rounds.tbody.a["href"]
    assert round_link.endswith("themes/gongwu-yongche/#r-2025-a")
    # Only a draft and an embargoed notice tell of 党费; the excluding word keeps 一把手工程 out of 工程项目.
    assert "暂无此类问题" in text(items["党费"])
    assert "暂无此类问题" in text(items["工程项目"])


def test_theme_page_lists_each_problem_with_unit_round_notice_and_the_notices_own_status(site, read_page) -> None:
    page_dir = site / "themes" / "gongwu-yongche"
    page = read_page(site, "themes/gongwu-yongche/")
    sections = page.select("section.xc-theme-round")
    assert [section["id"] for section in sections] == ["r-2025-a", "r-2024-a"]
    rows = {
        section["id"]: [
            (
                text(hit.select_one(".xc-hit__title a")),
                text(hit.select_one(".xc-badge")) if hit.select_one(".xc-badge") else None,
                [text(a) for a in hit.select(".xc-hit__meta a")],
            )
            for hit in section.select(".xc-hit")
        ]
        for section in sections
    }
    # 2025: the category and both its problems are about 公务用车: the category is listed, once, and it states no
    # status, so none is shown (not 未标明).
    assert rows["r-2025-a"] == [
        (
            "（一）关于公务用车管理的问题",
            None,
            ["市丙局党组", "中共主题市丙局党组关于十一届市委第二轮巡察整改进展情况的通报"],
        )
    ]
    # 2024: 甲局's newest notice (完成) is counted, not its progress notice; 乙局's 3. lost 公务用车 by the editor's mark.
    assert rows["r-2024-a"] == [
        ("1.公车使用登记不全", "已完成", ["市甲局党组", "中共主题市甲局党组关于十一届市委第一轮巡察整改情况的通报"]),
        ("1.公务用车超编配备", None, ["市乙局党组", "中共主题市乙局党组关于十一届市委第一轮巡察整改进展情况的通报"]),
    ]
    assert "未标明" not in text(page.select_one(".xc-theme-rounds"))
    for link in page.select(".xc-hit a"):
        target = resolve(page_dir, link["href"], site)
        assert target.is_file(), link["href"]
        if "#" in link["href"]:
            anchor = link["href"].split("#")[1]
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), link["href"]
    # The round filter: an anchor per round, each to a section of this page.
    filters = [a["href"] for a in page.select(".xc-theme-filter a")]
    assert filters == ["#xc-theme-problems", "#r-2025-a", "#r-2024-a"]
    assert text(page.select_one(".xc-theme-filter")).count("个问题") == 2


def test_theme_page_trend_by_year_is_a_static_svg_that_agrees_with_its_table(site, read_page) -> None:
    page = read_page(site, "themes/gongwu-yongche/")
    svg = page.select_one("#xc-theme-years").find_parent("section").select_one("svg.xc-chart")
    assert svg["role"] == "img"
    labels = [text(t) for t in svg.select("text")]
    assert labels == ["2024年", "2个单位", "2025年", "1个单位"]  # oldest first: a trend
    table = page.select_one("#xc-theme-years").find_parent("section").select_one("table")
    assert [[text(c) for c in row.select("th, td")][:2] for row in table.tbody.select("tr")] == [
        ["2024年", "2个"],
        ["2025年", "1个"],
    ]
    widths = [float(rect["width"]) for rect in svg.select("rect")]
    assert widths[0] > widths[1] > 0
    assert not svg.select("script") and not svg.select("[href]")


def test_editor_marks_and_excluding_words_decide_the_theme_links_of_notice_pages(site, read_page) -> None:
    page_dir = site / "notices" / "2024-a" / "yi"
    page = read_page(site, "notices/2024-a/yi/")
    themes = {}
    for problem in page.select(".xc-problem"):
        title = str(problem.select_one(".xc-problem__title").contents[0]).strip()  # without its status badge
        line = problem.find(class_="xc-problem__themes", recursive=False)
        themes[title] = [text(a) for a in line.select("a")] if line else []
        if line:
            assert line.has_attr("data-xc-noread")  # the site's words: 朗读 reads the notice's own text only
            for a in line.select("a"):
                assert resolve(page_dir, a["href"], site).is_file()
    assert themes == {
        "1.公务用车超编配备": ["公务用车"],
        "2.“一把手工程”推进不力": [],
        "3.车辆维修未实行定点": ["财务与资金管理"],
    }
    assert "主题：" not in text(page)  # the mark itself is not published


def test_round_page_shows_the_themes_most_units_were_told_of(site, read_page) -> None:
    page = read_page(site, "rounds/2024-a/")
    section = page.select_one("#xc-round-themes").find_parent("section")
    items = [text(li) for li in section.select("li")]
    assert items == ["公务用车：2个单位、2个问题", "财务与资金管理：2个单位、2个问题"]
    assert section.select_one("a")["href"].endswith("themes/gongwu-yongche/#r-2024-a")
    other = read_page(site, "rounds/2025-a/")
    assert [text(li) for li in other.select_one("#xc-round-themes").find_parent("section").select("li")] == [
        "公务用车：1个单位、1个问题"
    ]


def test_navigation_has_common_problems_only_where_a_theme_list_exists(site, small_site, read_page) -> None:
    assert "共性问题" in [text(a) for a in read_page(site, "").select(".xc-nav a, nav a")]
    assert "共性问题" not in [text(a) for a in read_page(small_site, "").select("nav a")]
    assert not (small_site / "themes").exists()


def test_open_data_carries_problem_themes_and_themes_json_matches_its_schema(site) -> None:
    data = site / "data"
    notices = json.loads((data / "notices.json").read_text(encoding="utf-8"))
    jsonschema.validate(notices, json.loads((data / "notices.schema.json").read_text(encoding="utf-8")))
    yi = next(n for n in notices["notices"] if n["id"] == "2024-a/yi")
    assert [(p["title"], p["themes"]) for p in yi["problems"]] == [
        ("1.公务用车超编配备", ["gongwu-yongche"]),
        ("2.“一把手工程”推进不力", []),
        ("3.车辆维修未实行定点", ["caiwu"]),
    ]
    themes = json.loads((data / "themes.json").read_text(encoding="utf-8"))
    jsonschema.validate(themes, json.loads((data / "themes.schema.json").read_text(encoding="utf-8")))
    by_id = {theme["id"]: theme for theme in themes["themes"]}
    assert list(by_id) == ["gongwu-yongche", "caiwu", "gongcheng", "dangfei"]
    car = by_id["gongwu-yongche"]
    assert car["total"] == {"units": 3, "problems": 3}
    assert car["rounds"] == [
        {"id": "2025-a", "name": "十一届市委第二轮巡察", "units": 1, "problems": 1},
        {"id": "2024-a", "name": "十一届市委第一轮巡察", "units": 2, "problems": 2},
    ]
    assert car["years"] == [{"year": 2024, "units": 2, "problems": 2}, {"year": 2025, "units": 1, "problems": 1}]
    assert [(p["notice"], p["status"], p["status_text"]) for p in car["problems"]] == [
        ("2025-a/bing", "unknown", None),
        ("2024-a/jia-wancheng", "completed", "已完成"),
        ("2024-a/yi", "unknown", None),
    ]
    assert by_id["dangfei"]["total"] == {"units": 0, "problems": 0} and by_id["dangfei"]["problems"] == []


def test_drafts_and_embargoed_notices_never_reach_theme_pages_or_data(site) -> None:
    leaks = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml"):
            body = path.read_text(encoding="utf-8", errors="replace")
            leaks += [f"{path.relative_to(site)}: {word}" for word in ("QX9", "KZ3", "jia-draft", "yi-future") if word in body]
    assert leaks == []
    dangfei = (site / "themes" / "dangfei" / "index.html").read_text(encoding="utf-8")
    assert "暂无此类问题" in dangfei and not re.search(r'class="xc-hit"', dangfei)
