"""What a citizen sees first, in the built HTML of the example site: the header's navigation names every section
(被巡察单位 too, marked current on unit pages), the site has one font-size switch, smallest first, a notice page
its 打印 button under the title, and a long notice a table of contents for its problems."""

from __future__ import annotations

import pytest

from xuncha_site.views.notice import TOC_MIN_PROBLEMS

PAGES = ["", "notices/2024-r1/fagaiwei", "rounds/2024-r1", "units", "units/fagaiwei", "feedback", "search", "404.html"]


@pytest.mark.parametrize("url", ["units", "units/fagaiwei"])
def test_unit_pages_mark_the_units_entry_of_the_navigation_as_current(example_site, read_page, url):
    nav = read_page(example_site, url).select_one("nav.xc-nav")
    assert [a.get_text(strip=True) for a in nav.select("a[aria-current=page]")] == ["被巡察单位"]


def test_navigation_links_to_the_units_index(example_site, read_page):
    link = read_page(example_site, "rounds/2024-r1").select_one("nav.xc-nav a:-soup-contains('被巡察单位')")
    assert link["href"] == "../../units/"


def test_site_map_lists_the_units_index_once(example_site, read_page):
    links = read_page(example_site, "sitemap").select(".xc-map-pages a")
    assert [a.get_text() for a in links].count("被巡察单位") == 1


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_one_font_size_switch_smallest_first(example_site, read_page, url):
    soup = read_page(example_site, url)
    buttons = [(b["data-xc-font"], b.get_text(strip=True)) for b in soup.select("button[data-xc-font]")]
    assert buttons == [("s", "小"), ("m", "中"), ("l", "大"), ("xl", "特大")]


def test_notice_has_its_print_button_in_the_line_under_the_title(example_site, read_page):
    soup = read_page(example_site, "notices/2024-r1/fagaiwei")
    assert [b.get_text(strip=True) for b in soup.select(".xc-meta button[data-xc-print]")] == ["打印"]
    assert not soup.select("#xc-main [data-xc-font]")  # the header's switch is the only one


def problem_count(problems) -> int:
    return sum(1 for problem in problems for _ in problem.walk())


def test_a_long_problems_part_opens_with_a_table_of_contents_of_its_problems(example_site, example_project, read_page):
    notices = {notice.id: notice for notice in example_project.public_notices()}
    notice = notices["2024-r1/qinglan-xian"]
    part = next(part for part in notice.parts if part.is_problems)
    assert problem_count(part.problems) >= TOC_MIN_PROBLEMS
    soup = read_page(example_site, "notices/2024-r1/qinglan-xian")
    section = soup.find(id=part.anchor)
    toc = section.select_one("nav.xc-toc")
    assert toc is not None and toc.find_previous("h2").get_text(strip=True) == part.title
    top = toc.select(":scope > details > ol > li > a")
    assert [a.get_text(strip=True) for a in top] == [problem.title for problem in part.problems]
    for link in toc.select("a"):
        target = soup.find(id=link["href"].removeprefix("#"))
        assert link["href"].startswith("#") and target is not None and "xc-problem" in target["class"]
    assert "data-xc-noread" in toc.attrs  # 朗读 reads the notice, not the contents


def test_a_short_problems_part_has_no_table_of_contents(example_site, example_project, read_page):
    short = [
        notice
        for notice in example_project.public_notices()
        if all(problem_count(part.problems) < TOC_MIN_PROBLEMS for part in notice.parts if part.is_problems)
    ]
    assert short
    for notice in short:
        assert read_page(example_site, f"notices/{notice.round_id}/{notice.slug}").select_one(".xc-toc") is None
