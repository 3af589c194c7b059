"""Round pages, the rounds index and unit pages: disclosure status (尚未公开, 逾期), figures and the SVG chart."""

from __future__ import annotations

from lxml import etree

from xuncha_site.core.routes import round_url, unit_url
from xuncha_site.core.stats import round_status


def url(address: str) -> str:
    return address.strip("/")


def unit_items(soup) -> dict[str, object]:
    return {li.select_one(".xc-unit__name").get_text(strip=True): li for li in soup.select("li.xc-unit")}


def test_round_page_lists_every_inspected_unit_by_group(example_site, example_project, read_page):
    for round_ in example_project.corpus.rounds.values():
        soup = read_page(example_site, url(round_url(round_.id, "")))
        groups = {
            section.h3.contents[0].strip(): [
                li.select_one(".xc-unit__name").get_text(strip=True) for li in section.select("li.xc-unit")
            ]
            for section in soup.select("section.xc-group")
            if section.select("li.xc-unit")
        }
        assert groups == {group.name: [unit.name for unit in group.units] for group in round_.groups}


def test_round_page_shows_each_units_notices_or_not_yet_disclosed(example_site, example_project, read_page):
    today = example_project.build_time.date()
    public = example_project.public_notices()
    missing_seen = 0
    for round_ in example_project.corpus.rounds.values():
        status = round_status(round_, public, example_project.settings, today)
        items = unit_items(read_page(example_site, url(round_url(round_.id, ""))))
        for unit in status.units:
            item = items[unit.unit.name]
            titles = [a.get_text(strip=True) for a in item.select(".xc-notices__title")]
            assert titles == [notice.title for notice in unit.notices]
            badges = [badge.get_text(strip=True) for badge in item.select(".xc-badge")]
            if unit.disclosed:
                assert "尚未公开" not in badges
            else:
                missing_seen += 1
                assert "尚未公开" in badges
                assert f"反馈后已{unit.days_since_feedback}天" in item.get_text()
    assert missing_seen


def test_round_page_marks_overdue_units_and_only_them(example_site, example_project, read_page):
    today = example_project.build_time.date()
    overdue_seen = 0
    for round_ in example_project.corpus.rounds.values():
        status = round_status(round_, example_project.public_notices(), example_project.settings, today)
        items = unit_items(read_page(example_site, url(round_url(round_.id, ""))))
        for unit in status.units:
            badges = [badge.get_text(strip=True) for badge in items[unit.unit.name].select(".xc-badge")]
            assert ("逾期" in badges) == unit.overdue
            overdue_seen += unit.overdue
    assert overdue_seen


def test_round_page_marks_unit_overdue_after_deadline(small_site, read_page):
    items = unit_items(read_page(small_site, "rounds/2026-t1"))
    # Feedback 2026-06-01, deadline 60 + 5 days: overdue since 2026-08-06; the build date is 2026-11-20.
    overdue = items["市丙局党组"]
    assert [b.get_text(strip=True) for b in overdue.select(".xc-badge")] == ["尚未公开", "逾期"]
    assert "反馈后已172天" in overdue.get_text() and "应于2026年8月5日前公开" in overdue.get_text()


def test_round_page_does_not_mark_unit_overdue_before_deadline(small_site, read_page):
    items = unit_items(read_page(small_site, "rounds/2026-t1"))
    # Feedback 2026-10-01: 50 days ago, within 65; its embargoed notice does not count as disclosed.
    waiting = items["市乙局党组"]
    assert [b.get_text(strip=True) for b in waiting.select(".xc-badge")] == ["尚未公开"]
    assert "反馈后已50天" in waiting.get_text()
    assert [b.get_text(strip=True) for b in items["市甲局党组"].select(".xc-badge")] == ["已公开"]


def test_round_page_has_static_svg_charts_with_titles_and_text_labels(example_site, example_project, read_page):
    for round_ in example_project.corpus.rounds.values():
        svgs = read_page(example_site, url(round_url(round_.id, ""))).select("figure.xc-chart-figure svg")
        assert svgs, round_.id
        labels = []
        for svg in svgs:
            root = etree.fromstring(str(svg).encode())  # well-formed SVG, readable without JavaScript
            assert root.get("role") == "img" and root.get("aria-label")
            assert root.find("{http://www.w3.org/2000/svg}title").text
            labels += [text.text for text in root.iter("{http://www.w3.org/2000/svg}text")]
        assert "已公开" in labels and "尚未公开（未到期限）" in labels and "逾期" in labels
        assert any(label and label.endswith("%") for label in labels)


def test_round_chart_counts_match_the_disclosure_status(small_site, read_page):
    svg = read_page(small_site, "rounds/2026-t1").select_one("figure.xc-chart-figure svg")
    labels = [text.get_text() for text in svg.select("text")]
    assert labels[:2] == ["已公开", "1个单位 33.3%"]
    assert "逾期" in labels and "1个单位 33.3%" in labels[labels.index("逾期") + 1]


def test_round_page_shows_completion_figures(small_site, read_page):
    figures = read_page(small_site, "rounds/2026-t1").select(".xc-figures > div")
    table = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in figures}
    assert table["已完成"] == "2个" and table["基本完成"] == "1个"
    assert table["问题总数"] == "3个"


def test_rounds_index_lists_every_round_newest_first(example_site, example_project, read_page):
    names = [a.get_text(strip=True) for a in read_page(example_site, "rounds").select(".xc-rounds__name a")]
    ordered = sorted(example_project.corpus.rounds.values(), key=lambda r: r.sort_key, reverse=True)
    assert names == [round_.name for round_ in ordered]


def test_unit_page_lists_each_notice_of_the_unit_once_across_rounds_and_stages(example_site, example_project, read_page):
    public = example_project.public_notices()
    slugs = {notice.unit_slug for notice in public}
    for slug in slugs:
        mine = [notice for notice in public if notice.unit_slug == slug]
        soup = read_page(example_site, url(unit_url(slug, "")))
        listed = [a["href"] for a in soup.select("#xc-main .xc-notices__title")]
        assert len(listed) == len(set(listed)) == len(mine), slug  # under its round, or under 其他通报
        titles = sorted(a.get_text(strip=True) for a in soup.select("#xc-main .xc-notices__title"))
        assert titles == sorted(notice.title for notice in mine)


def test_units_index_links_every_unit_page(example_site, read_page):
    links = read_page(example_site, "units").select(".xc-unit-index a")
    assert len(links) >= 15
    for link in links:
        assert (example_site / "units" / link["href"] / "index.html").is_file()
