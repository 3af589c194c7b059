"""The tracker on the unit page and the links to it from the notice page, on the built fixture site_tracking."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, Tag


def _page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def _rows(tracker: Tag) -> dict[str, list[str]]:
    """Problem title → the visible text of each cell (the narrow-screen column label left out)."""
    rows = {}
    for tr in tracker.select("tbody tr"):
        for label in tr.select(".xc-tracker__column"):
            label.extract()
        title = tr.select_one("th").get_text(strip=True)
        rows[title] = [td.get_text(" ", strip=True) for td in tr.select("td")]
    return rows


def test_unit_page_tracker_columns_cells_and_summary(tracking_site: Path) -> None:
    page = _page(tracking_site, "units/jia")
    tracker = page.select_one("#xc-tracker")
    assert tracker is not None
    heads = [th.get_text(" ", strip=True) for th in tracker.select("thead th")]
    assert heads == ["问题", "2024年7月25日 进展通报", "2024年12月1日 完成通报", "2025年5月20日 回头看通报"]
    links = [a["href"] for a in tracker.select("thead a")]
    assert links[2].endswith("notices/2025-h/jia-huitoukan/")
    summary = tracker.select_one(".xc-tracker__summary").get_text(strip=True)
    assert summary == (
        "据各篇通报逐项统计：进展通报 7 项（未逐项写明完成情况） → 完成通报 6 项中 4 项已完成 → 回头看通报 4 项中 2 项已完成"
    )
    rows = _rows(tracker)
    # the status in each notice's own words
    assert rows["公务用车管理仍不规范"] == ["正在整改", "已完成", "已完成"]
    assert rows["主体责任落实不到位问题整改不彻底"] == ["正在整改", "已完成", "已完成"]
    # the notice states no status for this problem: its cell says nothing
    assert rows["基层党组织建设薄弱"] == ["", "基本完成", "正在整改"]
    # dropped after the first notice (merged into another problem there): said once, then nothing
    assert rows["固定资产底数不清"] == ["正在整改", "后续通报未再提及", ""]
    # first listed by the 回头看 notice
    assert rows["工程项目管理不规范"] == ["", "", "正在整改 新增"]


def test_a_problem_absent_from_a_middle_notice(tracking_site: Path) -> None:
    rows = _rows(_page(tracking_site, "units/bing").select_one("#xc-tracker"))
    assert rows["关于党费收缴不规范的问题"] == ["已完成整改", "本篇未提及", "已完成"]


def test_cells_link_to_the_problem_in_its_notice(tracking_site: Path) -> None:
    page = _page(tracking_site, "units/yi")
    row = next(tr for tr in page.select("#xc-tracker tbody tr") if "信访积案化解不及时" in tr.get_text())
    target = row.select("td a")[-1]["href"]
    assert target.startswith("../../notices/2024-a/yi-wancheng/#p")
    notice = _page(tracking_site, "notices/2024-a/yi-wancheng")
    assert (
        notice.select_one(f"#{target.split('#')[1]}").select_one(".xc-problem__title").get_text().startswith("5.信访")
    )


def test_notice_page_links_each_problem_to_its_tracker_row(tracking_site: Path) -> None:
    unit = _page(tracking_site, "units/jia")
    row_ids = {tr["id"] for tr in unit.select("#xc-tracker tbody tr")}
    for notice_id in ("2024-a/jia-jinzhan", "2024-a/jia-wancheng", "2025-h/jia-huitoukan"):
        notice = _page(tracking_site, f"notices/{notice_id}")
        leaves = [s for s in notice.select(".xc-problem") if not s.select(".xc-problem .xc-problem")]
        assert leaves
        for leaf in leaves:
            link = leaf.select_one(".xc-problem__tracker a")
            assert link is not None, leaf.get_text()[:40]
            href = link["href"]
            assert href.startswith("../../../units/jia/#")
            assert href.split("#")[1] in row_ids


def test_a_unit_with_one_notice_has_no_tracker(tracking_site: Path) -> None:
    assert _page(tracking_site, "units/ding").select_one("#xc-tracker") is None
    assert not _page(tracking_site, "notices/2024-a/ding").select(".xc-problem__tracker")


def test_units_json_gives_each_problem_its_status_in_every_notice(tracking_site: Path) -> None:
    import json

    import jsonschema

    from xuncha_site.outputs.open_data import schema_bytes

    document = json.loads((tracking_site / "data" / "units.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(schema_bytes("units.schema.json"))).validate(document)
    units = {unit["id"]: unit for unit in document["units"]}
    assert set(units) == {"jia", "yi", "bing", "ding", "wu", "ji"}
    assert units["wu"]["notices"] == [] and units["wu"]["problems"] == []
    jia = units["jia"]
    assert [n["id"] for n in jia["notices"]] == ["2024-a/jia-jinzhan", "2024-a/jia-wancheng", "2025-h/jia-huitoukan"]
    rows = {p["title"]: p["statuses"] for p in jia["problems"]}
    car = rows["公务用车管理仍不规范"]
    assert [(s["listed"], s["status_text"]) for s in car] == [(True, "正在整改"), (True, "已完成"), (True, "已完成")]
    assert [s["title"] for s in car] == ["4.公务用车管理不规范", "4.公务用车管理不够规范", "2.公务用车管理仍不规范"]
    assets = rows["固定资产底数不清"]
    assert [s["listed"] for s in assets] == [True, False, False]
    assert assets[1] == {
        "notice": "2024-a/jia-wancheng",
        "listed": False,
        "title": None,
        "url": None,
        "status": None,
        "status_text": None,
    }
    grassroots = rows["基层党组织建设薄弱"][0]
    assert (grassroots["status"], grassroots["status_text"]) == ("unknown", None)  # the notice states none
    # the ids are the rows of the unit page's tracker
    page = (tracking_site / "units" / "jia" / "index.html").read_text(encoding="utf-8")
    assert all(f'id="{p["id"]}"' in page for p in jia["problems"])
    ding = units["ding"]
    assert len(ding["problems"]) == 1 and ding["problems"][0]["statuses"][0]["status_text"] == "已完成"
