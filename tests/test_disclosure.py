"""Disclosure timeliness (公开及时性): the rule, the /disclosure/ page, data/disclosure.json and .csv, and
`xuncha report disclosure`, on the built fixture site_tracking (build date 2026-11-20)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from bs4 import BeautifulSoup
from site_fixtures import TRACKING_SITE, load_clean

from xuncha_site.core.disclosure import Timeliness, disclosure
from xuncha_site.outputs.open_data import schema_bytes

EXPECTED = {
    ("2026-a", "市己局党组"): "尚未公开（未到期限）",
    ("2025-a", "市丙局党组"): "按时公开",
    ("2025-a", "市戊局党组"): "逾期未公开（已超过 472 天）",
    ("2025-h", "市甲局党组"): "逾期公开（晚 15 天）",
    ("2024-a", "市甲局党组"): "按时公开",
    ("2024-a", "市乙局党组"): "逾期公开（晚 32 天）",
    ("2024-a", "市丁局党组"): "逾期公开（晚 46 天）",
}


def _page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def test_the_rule_on_each_unit() -> None:
    report = disclosure(load_clean(TRACKING_SITE / "mkdocs.yml").catalogue)
    found = {(r.round.id, row.unit.name): row.verdict for r in report.rounds for row in r.rows}
    assert found == EXPECTED
    bing = next(row for r in report.rounds for row in r.rows if row.unit.name == "市丙局党组")
    # feedback 2025-06-01, deadline 60 + grace 5 days, first notice published 2025-08-01
    assert (str(bing.due_date), str(bing.first_published), bing.days_taken) == ("2025-08-05", "2025-08-01", 61)
    t = report.totals
    assert (t.units, t.on_time, t.late, t.pending, t.overdue, t.unknown) == (7, 2, 3, 1, 1, 0)
    assert t.share_on_time == 33.3  # 2 of the 6 whose deadline passed or who disclosed; the pending one not counted
    assert all(row.state is not Timeliness.UNKNOWN for r in report.rounds for row in r.rows)


def test_disclosure_page_table_totals_and_chart(tracking_site: Path) -> None:
    page = _page(tracking_site, "disclosure")
    assert page.select_one("h1").get_text(strip=True) == "公开及时性"
    found = {}
    for section in page.select("section[id^=r-]"):
        round_id = section["id"][2:]
        for tr in section.select("tbody tr"):
            name = tr.select_one("th").get_text(strip=True)
            found[(round_id, name)] = tr.select("td")[-1].select_one("strong").get_text(strip=True)
    assert found == EXPECTED
    text = page.get_text()
    assert (
        "共 7 个单位：按时公开 2 个、逾期公开 3 个、尚未公开（未到期限） 1 个、逾期未公开 1 个；按时公开率 33.3%"
        in text
    )
    svg = page.select_one("figure svg.xc-chart")
    assert svg is not None and svg["role"] == "img"
    assert "按时公开2个" in svg.select_one("desc").get_text()
    # the chart gives counts; the one rate on the page is the sentence's (a share of all units would disagree with it)
    assert "%" not in svg.get_text()
    html = (tracking_site / "disclosure" / "index.html").read_text(encoding="utf-8")
    assert "<image" not in html and "xlink:href" not in html  # the chart loads nothing


def test_disclosure_page_is_linked_from_the_rounds_index_the_footer_and_the_site_map(tracking_site: Path) -> None:
    for url in ("rounds", "sitemap", ""):
        hrefs = [a["href"] for a in _page(tracking_site, url).select("a")]
        assert any(href.rstrip("/").endswith("disclosure") for href in hrefs), url
    footer = _page(tracking_site, "units").select_one("footer .xc-footer__links")
    assert "公开及时性" in footer.get_text()


def test_disclosure_data_files(tracking_site: Path) -> None:
    document = json.loads((tracking_site / "data" / "disclosure.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(schema_bytes("disclosure.schema.json"))).validate(document)
    assert (tracking_site / "data" / "disclosure.schema.json").read_bytes() == schema_bytes("disclosure.schema.json")
    assert document["as_of"] == "2026-11-20"
    assert [r["id"] for r in document["rounds"]] == ["2026-a", "2025-a", "2025-h", "2024-a"]
    wu = document["rounds"][1]["units"][1]
    assert wu["name"] == "市戊局党组" and wu["state"] == "overdue" and wu["first_notice"] is None
    assert wu["days_late"] == 472
    text = (tracking_site / "data" / "disclosure.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {(row["round_id"], row["unit"]): row["state_label"] for row in rows} == {
        key: value.split("（晚")[0].split("（已超过")[0] for key, value in EXPECTED.items()
    }


def test_report_command_prints_the_table_and_the_csv(tracking_site: Path) -> None:
    env_run = [sys.executable, "-m", "xuncha_site", "report", "disclosure", "-f", str(TRACKING_SITE / "mkdocs.yml")]
    result = subprocess.run(env_run, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "公开及时性（统计截至 2026-11-20）"
    assert lines[1].split() == [
        "轮次",
        "巡察组",
        "单位",
        "反馈日期",
        "公开期限",
        "首篇通报发布",
        "用时（天）",
        "及时性",
    ]
    assert any("市戊局党组" in line and "逾期未公开（已超过 472 天）" in line for line in lines)
    assert lines[-1].startswith("全部轮次：共 7 个单位")
    as_csv = subprocess.run([*env_run, "--format", "csv"], capture_output=True, timeout=120)
    assert as_csv.returncode == 0
    assert as_csv.stdout == (tracking_site / "data" / "disclosure.csv").read_bytes()
