"""Page data without MkDocs: Chinese dates, the catalogue's lookups, bounded lists and the SVG chart."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from lxml import etree

from xuncha_site.core.catalogue import build_catalogue, name_order
from xuncha_site.core.markdown import Renderer
from xuncha_site.core.model import Corpus
from xuncha_site.core.routes import join_url, notice_url
from xuncha_site.core.text import cn_date, cn_datetime, cn_period
from xuncha_site.views.chart import Bar, bar_chart
from xuncha_site.views.notice import SAME_UNIT_SHOWN, notice_view
from xuncha_site.views.unit import unit_view

SVG = "{http://www.w3.org/2000/svg}"


def test_dates_are_written_the_chinese_way():
    assert cn_date(date(2023, 10, 5)) == "2023年10月5日"
    assert cn_period(date(2023, 3, 13), date(2023, 5, 19)) == "2023年3月13日至5月19日"
    assert cn_period(date(2024, 12, 2), date(2025, 1, 24)) == "2024年12月2日至2025年1月24日"
    assert cn_datetime(datetime(2023, 10, 25, 9, 30)) == "2023年10月25日 09:30"
    assert cn_datetime(datetime(2023, 10, 25)) == "2023年10月25日"  # only a date was given


def test_page_urls_are_relative_to_the_page_or_absolute_on_error_pages():
    assert join_url("../..", "rounds/") == "../../rounds/"
    assert join_url(".", "") == "./"
    assert join_url("/", "search/") == "/search/"  # 404.html: never "//search/"


def test_units_sort_by_pinyin_ignoring_the_party_prefix():
    names = ["市财政局党组", "中共市安全局党组", "市城投集团党委"]
    assert sorted(names, key=name_order) == ["中共市安全局党组", "市财政局党组", "市城投集团党委"]


def test_a_notice_lists_a_bounded_number_of_its_units_other_notices(example_project):
    first = example_project.public_notices()[-1]
    copies = [
        dataclasses.replace(first, id=f"{first.round_id}/n{i}", slug=f"n{i}", published=first.published + timedelta(i))
        for i in range(SAME_UNIT_SHOWN + 2)
    ]
    corpus = Corpus(example_project.settings, example_project.corpus.rounds, tuple(copies))
    catalogue = build_catalogue(corpus, example_project.build_time)
    view = notice_view(catalogue, Renderer(), copies[0], "../../..")
    assert len(view.same_unit) == SAME_UNIT_SHOWN and view.same_unit_total == SAME_UNIT_SHOWN + 1
    assert view.same_unit[0].url.endswith(f"/n{SAME_UNIT_SHOWN + 1}/")  # newest first


def test_catalogue_orders_each_round_and_links_neighbours(example_project):
    catalogue = build_catalogue(example_project.corpus, example_project.build_time)
    for sequence in catalogue.in_round.values():
        assert list(sequence) == sorted(sequence, key=lambda n: (n.published, n.id))
        assert catalogue.neighbours[sequence[0].id][0] is None
        assert catalogue.neighbours[sequence[-1].id][1] is None
    assert all(n.is_public(example_project.build_time) for n in catalogue.notices)


def test_chart_bars_are_proportional_and_labelled():
    svg = etree.fromstring(
        str(bar_chart("完成情况", [Bar("已完成", 3, "completed"), Bar("未完成", 1, "not")])).encode()
    )
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[0] == 3 * widths[1]
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert labels == ["已完成", "3个 75.0%", "未完成", "1个 25.0%"]
    assert svg.find(f"{SVG}title").text == "完成情况"
    assert svg.get("aria-label") == "完成情况：已完成3个；未完成1个"


def test_chart_of_nothing_draws_empty_bars_without_dividing_by_zero():
    svg = etree.fromstring(str(bar_chart("公开情况", [Bar("已公开", 0, "disclosed")])).encode())
    assert [rect.get("width") for rect in svg.iter(f"{SVG}rect")] == ["0"]
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["已公开", "0个"]


def test_chart_escapes_its_labels():
    markup = str(bar_chart("<script>", [Bar("<b>", 1, "completed")]))
    assert "<script>" not in markup and "<b>" not in markup and "&lt;script&gt;" in markup


def test_unit_view_lists_each_notice_once_under_its_round_or_among_the_others(example_project):
    notices = example_project.public_notices()
    mine = notices[0]
    elsewhere = next(r for r in example_project.corpus.rounds.values() if r.find_unit(mine.unit) is None)
    stray = dataclasses.replace(mine, id=f"{elsewhere.id}/stray", slug="stray", round_id=elsewhere.id)
    corpus = Corpus(example_project.settings, example_project.corpus.rounds, (*notices, stray))
    catalogue = build_catalogue(corpus, example_project.build_time)
    view = unit_view(catalogue, catalogue.units[mine.unit_slug], "../..")
    in_rounds = [item.url for m in view.memberships for item in m.row.notices]
    others = [item.url for item in view.notices]
    assert others == [notice_url(stray, "../..")]  # its round does not list the unit
    assert len(in_rounds + others) == len(set(in_rounds + others)) == len(catalogue.units[mine.unit_slug].notices)
