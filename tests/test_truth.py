"""The truth rule (issue 15, docs/记录格式.md “数字”): every figure a public output shows is stated or derived.

Every number in the counts tables, the round and home figures, the charts and the open data of the example site and of
tests/fixtures/site_truth is traced here to a value the record states (read straight from its YAML front matter) or to
the documented derivation, computed here again from the problem tree the open data publishes:

* counting level: the leaves of the tree;
* derived only when every leaf has a status; completion rate = completed ÷ leaves × 100, one decimal;
* aggregates: each unit's latest notice; stated total (具体问题数, else 问题数) and stated completed, else a complete
  derivation, else not counted.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from site_fixtures import EXAMPLE_SITE, TRUTH_SITE

from xuncha_site.core.model import unit_key

STATUS_KEYS = ("completed", "basically_completed", "in_progress", "long_term", "not_completed")
COUNT_KEYS = ("problems", "specific_problems", "suggestions", "measures", "rules", *STATUS_KEYS, "completion_rate")
# The page's labels for the figures (the site's wording; the values are what this test traces).
ROW_FIELDS = {
    "反馈问题": "problems",
    "具体问题": "specific_problems",
    "意见建议": "suggestions",
    "整改措施": "measures",
    "建立完善制度": "rules",
    "已完成整改": "completed",
    "基本完成整改": "basically_completed",
    "正在整改": "in_progress",
    "需长期坚持": "long_term",
    "未完成": "not_completed",
    "完成率": "completion_rate",
}
CATEGORY_FIELDS = {
    "已完成": "completed",
    "基本完成": "basically_completed",
    "正在整改": "in_progress",
    "长期坚持": "long_term",
    "未完成": "not_completed",
    "通报未分项写明": "unsplit",
}


@pytest.fixture(params=["example", "truth"])
def built(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """(content root, built site) of the example site and of the truth fixtures."""
    if request.param == "example":
        return EXAMPLE_SITE, request.getfixturevalue("example_site")
    return TRUTH_SITE, request.getfixturevalue("truth_site")


# --- the rule, computed here from what the records state -----------------------------------------------------------


def stated_counts(root: Path, notice_id: str) -> dict[str, Any]:
    """The record's own ``counts``, read from its YAML without the site's loader."""
    text = (root / "content" / "notices" / f"{notice_id}.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n", 2)[1]) or {}
    counts = front.get("counts") or {}
    return {key: counts.get(key) for key in COUNT_KEYS}


def leaves(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for node in nodes:
        found += leaves(node["children"]) if node["children"] else [node]
    return found


def derived_counts(item: dict[str, Any]) -> dict[str, Any]:
    items = leaves(item["problems"])
    if not items or any(leaf["status"] == "unknown" for leaf in items):
        return dict.fromkeys(COUNT_KEYS)
    values: dict[str, Any] = dict.fromkeys(COUNT_KEYS)
    values["problems"] = len(items)
    for key in STATUS_KEYS:
        values[key] = sum(1 for leaf in items if leaf["status"] == key)
    values["completion_rate"] = round(100 * values["completed"] / len(items), 1)
    return values


def completion(stated: dict[str, Any], derived: dict[str, Any]) -> dict[str, int] | None:
    total = stated["specific_problems"] if stated["specific_problems"] is not None else stated["problems"]
    if total and stated["completed"] is not None:
        parts = {key: stated[key] or 0 for key in STATUS_KEYS}
        return {"problems": total, **parts, "unsplit": total - sum(parts.values())}
    if derived["problems"]:
        return {"problems": derived["problems"], **{key: derived[key] for key in STATUS_KEYS}, "unsplit": 0}
    return None


def aggregate(root: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        key = (item["round"]["id"], unit_key(item["unit"]))
        if key not in latest or (item["notice_date"], item["published"]) > (
            latest[key]["notice_date"],
            latest[key]["published"],
        ):
            latest[key] = item
    totals: dict[str, int] = defaultdict(int)
    counted = 0
    for item in latest.values():
        known = completion(stated_counts(root, item["id"]), derived_counts(item))
        if known is None:
            continue
        counted += 1
        for key, value in known.items():
            totals[key] += value
    rate = round(100 * totals["completed"] / totals["problems"], 1) if totals["problems"] else None
    return {
        "notices": len(items),
        "notices_counted": counted,
        "notices_not_counted": len(latest) - counted,
        "problems": totals["problems"],
        **{key: totals[key] for key in (*STATUS_KEYS, "unsplit")},
        "completion_rate": rate,
    }


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def data(site: Path, name: str) -> dict[str, Any]:
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


# --- open data -----------------------------------------------------------------------------------------------------


def test_open_data_counts_are_stated_and_derived_counts_follow_the_rule(built) -> None:
    root, site = built
    items = data(site, "notices.json")["notices"]
    assert items
    for item in items:
        assert item["counts"] == stated_counts(root, item["id"]), item["id"]
        assert item["derived_counts"] == derived_counts(item), item["id"]


def test_round_figures_in_open_data_cover_only_notices_with_known_completion(built) -> None:
    root, site = built
    items = data(site, "notices.json")["notices"]
    rounds = data(site, "rounds.json")
    assert rounds["schema"] == "xuncha-rounds/2"
    for round_ in rounds["rounds"]:
        mine = [item for item in items if item["round"]["id"] == round_["id"]]
        expected = aggregate(root, mine)
        figures = round_["figures"]
        assert {key: figures[key] for key in expected} == expected, round_["id"]
        assert sum(figures[key] for key in (*STATUS_KEYS, "unsplit")) == figures["problems"]
        assert figures["units_disclosed"] + figures["units_missing"] == figures["units"]


# --- pages ---------------------------------------------------------------------------------------------------------


def test_every_number_in_a_counts_table_is_stated_or_derived(built) -> None:
    root, site = built
    for item in data(site, "notices.json")["notices"]:
        stated, derived = stated_counts(root, item["id"]), derived_counts(item)
        rows = page(site, f"notices/{item['id']}").select(".xc-counts tbody tr")
        shown_fields = set()
        for row in rows:
            label = row.th.get_text(strip=True)
            said, counted = (td.get_text(strip=True) for td in row.select("td"))
            if label == "正文逐项列出的问题":
                assert numbers(said) == [] and numbers(counted) == [derived["problems"]], item["id"]
                continue
            name = ROW_FIELDS[label]
            shown_fields.add(name)
            assert numbers(said) == ([] if stated[name] is None else [stated[name]]), (item["id"], label)
            own = derived[name] if name in (*STATUS_KEYS, "completion_rate") else None
            assert numbers(counted) == ([] if own is None else [own]), (item["id"], label)
        # Every stated figure is shown, and no row exists for a figure that is neither stated nor derived.
        assert {name for name, value in stated.items() if value is not None} <= shown_fields, item["id"]


def test_round_pages_figures_charts_and_text_agree_and_add_up(built) -> None:
    root, site = built
    items = data(site, "notices.json")["notices"]
    for round_ in data(site, "rounds.json")["rounds"]:
        expected = aggregate(root, [item for item in items if item["round"]["id"] == round_["id"]])
        soup = page(site, f"rounds/{round_['id']}")
        facts = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in soup.select(".xc-figures > div")}
        assert numbers(facts["已公开通报"]) == [expected["notices"]]
        if expected["notices_counted"]:
            assert numbers(facts["问题总数"]) == [expected["problems"]]
            assert numbers(facts["完成率"]) == [expected["completion_rate"]]
            for label, key in CATEGORY_FIELDS.items():
                assert numbers(facts.get(label, "")) == ([expected[key]] if expected[key] else []), (round_["id"], label)
        else:
            assert "完成率" not in facts and "问题总数" not in facts
        coverage = soup.select_one("#xc-figures ~ .xc-coverage").get_text(strip=True) if expected["notices"] else ""
        if expected["notices_counted"] and expected["notices_not_counted"]:
            assert coverage == (
                f"完成率按{expected['notices_counted']}篇写明完成情况的通报计算，"
                f"另有{expected['notices_not_counted']}篇未写明，未计入。"
            )
        elif expected["notices_counted"]:
            assert coverage == f"完成率按{expected['notices_counted']}篇写明完成情况的通报计算。"
        charts = {fig.figcaption.get_text(strip=True): fig.select("svg text") for fig in soup.select("figure")}
        units = round_["figures"]["units"]
        disclosure = [t.get_text() for t in charts["公开情况"]]
        assert disclosure[0::2] == ["已公开", "尚未公开（未到期限）", "逾期"]
        shown = [numbers(text)[0] for text in disclosure[1::2]]
        overdue = round_["figures"]["units_overdue"]
        assert shown == [round_["figures"]["units_disclosed"], round_["figures"]["units_missing"] - overdue, overdue]
        assert sum(shown) == units
        lead = numbers(soup.select_one("#xc-disclosure ~ .xc-lead").get_text())
        assert lead == [units, *shown]  # the sentence beside the chart: the same categories, the same figures
        if "整改完成情况" in charts:
            bars = [t.get_text() for t in charts["整改完成情况"]]
            assert set(bars[0::2]) <= set(CATEGORY_FIELDS)  # no unexplained 其他
            values = {label: numbers(text) for label, text in zip(bars[0::2], bars[1::2], strict=True)}
            for label, (value, share) in values.items():
                assert value == expected[CATEGORY_FIELDS[label]]
                assert share == round(100 * value / expected["problems"], 1)
            assert sum(value for value, _ in values.values()) == expected["problems"]
        else:
            assert not expected["problems"]


def test_home_headline_is_the_total_over_notices_with_known_completion(built) -> None:
    root, site = built
    items = data(site, "notices.json")["notices"]
    expected = aggregate(root, items)
    soup = page(site, "")
    facts = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in soup.select("#xc-headline ~ dl > div")}
    figures = [r["figures"] for r in data(site, "rounds.json")["rounds"]]
    overdue = sum(f["units_overdue"] for f in figures)
    assert numbers(facts["尚未公开（未到期限）"]) == [sum(f["units_missing"] for f in figures) - overdue]
    assert numbers(facts["逾期未公开"]) == [overdue]
    assert numbers(facts["反馈问题已完成整改"]) == [expected["completed"], expected["problems"]]
    assert numbers(facts["完成率"]) == [expected["completion_rate"]]
    coverage = soup.select_one("#xc-headline ~ .xc-coverage").get_text(strip=True)
    assert coverage.startswith(f"完成率按{expected['notices_counted']}篇写明完成情况的通报计算")
    if expected["notices_not_counted"]:
        assert f"另有{expected['notices_not_counted']}篇未写明，未计入" in coverage


def test_no_page_shows_a_status_the_notice_did_not_state(built) -> None:
    _, site = built
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "未标明" not in text, path
        assert "xc-badge--unknown" not in text, path


# --- the fixture shapes --------------------------------------------------------------------------------------------


def counts_table(site: Path, notice_id: str) -> dict[str, list[str]]:
    rows = page(site, f"notices/{notice_id}").select(".xc-counts tbody tr")
    return {row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")] for row in rows}


def test_notice_without_statuses_shows_only_what_it_states(truth_site: Path) -> None:
    soup = page(truth_site, "notices/2026-z1/jiaju")
    assert counts_table(truth_site, "2026-z1/jiaju") == {"反馈问题": ["11个", "—"]}  # never 3 (the categories)
    assert soup.select(".xc-problems .xc-badge") == [] and soup.select(".xc-problem__summary") == []


def test_statuses_from_category_headings_are_badges_summaries_and_derived_figures(truth_site: Path) -> None:
    soup = page(truth_site, "notices/2026-z1/yiju")
    badges = [badge.get_text(strip=True) for badge in soup.select(".xc-problems .xc-badge")]
    assert badges == ["已整改完成"] * 4 + ["立行立改"] + ["正在推进整改"] * 2
    notes = {badge.get("title") for badge in soup.select(".xc-badge--from-category")}
    assert notes == {"完成情况见所属类别标题“（一）已整改完成的问题”", "完成情况见所属类别标题“（二）正在推进整改的问题”"}
    summaries = [p.get_text(strip=True) for p in soup.select(".xc-problem__summary")]
    assert summaries == [
        "本站按各项标注统计：含5项，已整改完成4项、立行立改1项",
        "本站按各项标注统计：含2项，正在推进整改2项",
    ]
    table = counts_table(truth_site, "2026-z1/yiju")
    assert table["正文逐项列出的问题"] == ["—", "7个"]
    assert table["已完成整改"] == ["—", "5个"] and table["正在整改"] == ["—", "2个"]
    assert table["完成率"] == ["—", "71.4%"]


def test_mixed_statuses_show_their_badges_but_derive_nothing(truth_site: Path) -> None:
    soup = page(truth_site, "notices/2026-z1/bingju")
    assert [b.get_text(strip=True) for b in soup.select(".xc-problems .xc-badge")] == ["已完成", "阶段性完成"]
    assert counts_table(truth_site, "2026-z1/bingju") == {}


def test_unrelated_numbers_never_become_figures(truth_site: Path) -> None:
    table = counts_table(truth_site, "2026-z1/wuju")
    shown = {n for cells in table.values() for cell in cells for n in numbers(cell)}
    assert shown == {4, 3, 1, 75}  # the stated 4/3/1 and the derivation's 4 leaves, 3 done, 1 in progress, 75%


def test_truth_round_counts_three_notices_and_leaves_two_out(truth_site: Path) -> None:
    (round_,) = data(truth_site, "rounds.json")["rounds"]
    figures = round_["figures"]
    assert (figures["notices_counted"], figures["notices_not_counted"]) == (3, 2)
    # 乙局 derived (7: 5 done, 2 in progress), 丁局 stated (25: 19, 6; its contradicting 80% is not used), 戊局 stated
    # (4: 3, 1); 甲局 (no statuses) and 丙局 (mixed) are left out.
    assert (figures["problems"], figures["completed"], figures["in_progress"]) == (36, 27, 9)
    assert figures["completion_rate"] == 75.0
    assert (figures["units_disclosed"], figures["units_missing"], figures["units_overdue"]) == (5, 2, 1)
