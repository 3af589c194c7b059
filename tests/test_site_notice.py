"""Notice pages of the example site: the official layout, every paragraph, badges, contact links, related notices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xuncha_site.core.contact import tel_href
from xuncha_site.core.model import Notice, Problem, Status
from xuncha_site.core.project import Project
from xuncha_site.core.routes import notice_url
from xuncha_site.core.text import cn_date


def page_url(notice: Notice) -> str:
    return notice_url(notice, "").strip("/")


def squash(text: str) -> str:
    """Text without any white space: Chinese prose compares reliably however HTML wraps it."""
    return re.sub(r"\s+", "", text)


def visible_lines(markdown: str) -> list[str]:
    """What a reader should see of each line of a Markdown fragment, markup removed (table rows split into cells)."""
    texts = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or re.fullmatch(r"[|:\-\s]+", line):
            continue
        line = re.sub(r"^(#{1,6}\s+|>\s*|[-*+]\s+|\d+\.\s+)", "", line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"<[^>]+>|\*\*|__|`", "", line)
        cells = [cell.strip() for cell in line.strip("|").split("|")] if raw.lstrip().startswith("|") else [line]
        texts += [cell for cell in cells if cell]
    return texts


def notice_texts(notice: Notice) -> list[str]:
    texts = visible_lines(notice.preamble)
    for part in notice.parts:
        texts.append(part.title)
        texts += visible_lines(part.body)
    for problem in notice.all_problems():
        texts.append(problem.title)
        texts += visible_lines(problem.body)
    return texts


def test_every_public_notice_has_a_page_holding_all_of_its_paragraphs(example_site, example_project, read_page):
    notices = example_project.public_notices()
    assert len(notices) >= 14
    for notice in notices:
        page = squash(read_page(example_site, page_url(notice)).select_one("#xc-main").get_text())
        missing = [text for text in notice_texts(notice) if squash(text) not in page]
        assert not missing, f"{notice.id} 缺少：{missing[:3]}"


def test_notice_page_shows_title_unit_issuer_group_and_dates(example_site, example_project, read_page):
    for notice in example_project.public_notices():
        soup = read_page(example_site, page_url(notice))
        assert soup.select_one("h1.xc-doc__title").get_text(strip=True) == notice.title
        facts = soup.select_one(".xc-facts").get_text()
        assert notice.unit in facts and notice.group in facts
        assert soup.select_one(".xc-signature__issuer").get_text(strip=True) == notice.issuer
        assert soup.select_one(".xc-signature__date").get_text(strip=True) == cn_date(notice.notice_date)
        assert soup.select_one(".xc-meta time")["datetime"] == notice.published.isoformat()


def test_notice_signature_and_date_are_right_aligned(example_site):
    css = (example_site / "assets" / "xuncha" / "xuncha.css").read_text(encoding="utf-8")
    assert re.search(r"\.xc-signature\s*\{[^}]*text-align:\s*right", css)


def test_notice_meta_line_has_source_time_print_and_read_aloud(example_site, example_project, read_page):
    notice = example_project.public_notices()[0]
    soup = read_page(example_site, page_url(notice))
    meta = soup.select_one(".xc-meta")
    assert "来源：" in meta.get_text() and "发布时间：" in meta.get_text()
    assert meta.select_one("[data-xc-print]").get_text(strip=True) == "打印"
    assert meta.select_one("[data-xc-read-main]").get_text(strip=True) == "朗读"
    # One font-size model for the whole site, in one order (the header's), none of its own on the meta line.
    assert meta.select("[data-xc-font]") == []
    sizes = [button.get_text(strip=True) for button in soup.select("[data-xc-font]")]
    assert sizes == ["小", "中", "大", "特大"]


def leaves(problem: Problem) -> list[Problem]:
    return list(problem.leaves())


def test_a_badge_shows_exactly_the_status_the_notice_states(example_site, example_project, read_page):
    checked = unstated = 0
    for notice in example_project.public_notices():
        soup = read_page(example_site, page_url(notice))
        for problem in notice.all_problems():
            badge = soup.select_one(f"#{problem.anchor} > .xc-problem__title .xc-badge")
            if problem.status is Status.UNKNOWN:
                assert badge is None, f"{notice.id} {problem.title}"  # no word for a status the notice did not state
                unstated += not problem.children
                continue
            assert badge is not None, f"{notice.id} {problem.title}"
            assert badge.get_text(strip=True) == problem.status_text  # the notice's own words
            checked += 1
    assert checked > 50 and unstated > 10
    assert "未标明" not in (example_site / "notices").joinpath("2025-zx1", "jikong", "index.html").read_text()


def test_badges_name_unstated_status_in_words_not_colour_alone(small_site, read_page):
    soup = read_page(small_site, "notices/2026-t1/jiaju")
    words = [badge.get_text(strip=True) for badge in soup.select(".xc-problems .xc-badge")]
    assert words == ["已完成", "基本完成", "立行立改"]


def test_counts_table_shows_stated_and_derived_figures(small_site, read_page):
    rows = read_page(small_site, "notices/2026-t1/jiaju").select(".xc-counts tbody tr")
    table = {row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")] for row in rows}
    # The totals are the notice's; the derived column counts the leaves in a row of its own.
    assert table["反馈问题"] == ["2个", "—"]
    assert table["具体问题"] == ["3个", "—"]
    assert table["正文逐项列出的问题"] == ["—", "3个"]
    assert table["已完成整改"] == ["2个", "2个"]
    assert table["基本完成整改"] == ["1个", "1个"]


def test_contact_card_links_every_phone_and_email(example_site, example_project, read_page):
    for notice in example_project.public_notices():
        card = read_page(example_site, page_url(notice)).select_one(".xc-doc .xc-card")
        hrefs = {a["href"] for a in card.select("a")} if card else set()
        assert {tel_href(phone) for phone in notice.contact.phones} <= hrefs
        assert {f"mailto:{email}" for email in notice.contact.emails} <= hrefs


def test_contact_paragraph_is_printed_verbatim_before_the_signature(small_site, read_page):
    body = read_page(small_site, "notices/2026-t1/jiaju").select_one(".xc-doc__body")
    contact = body.select_one(".xc-doc__contact")
    assert contact.get_text(strip=True) == "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0123-6000101。"
    assert contact.find_next(class_="xc-signature") is not None


def test_local_attachment_is_published_and_linked(small_site, read_page):
    link = read_page(small_site, "notices/2026-t1/jiaju").select_one(".xc-attachments a")
    assert link.get_text(strip=True) == "整改任务清单"
    target = (small_site / "notices/2026-t1/jiaju" / link["href"]).resolve()
    assert target == (small_site / "notices/2026-t1/files/jiaju-qingdan.pdf").resolve()
    assert target.read_bytes().startswith(b"%PDF")


def test_corrections_are_shown_with_their_date(small_site, read_page):
    box = read_page(small_site, "notices/2026-t1/jiaju").select_one(".xc-corrections")
    assert "2026年8月27日" in box.get_text() and "更正为“2026年”" in box.get_text()


def test_notice_lists_other_notices_of_the_same_unit_across_rounds(example_site, example_project, read_page):
    by_unit: dict[str, list[Notice]] = {}
    for notice in example_project.public_notices():
        by_unit.setdefault(notice.unit_slug, []).append(notice)
    several = [notices for notices in by_unit.values() if len({n.round_id for n in notices}) > 1]
    assert several, "the example should have a unit with notices in two rounds"
    for notices in several:
        for notice in notices:
            related = read_page(example_site, page_url(notice)).select(".xc-related a")
            titles = {a.get_text(strip=True) for a in related}
            assert titles == {other.title for other in notices if other.id != notice.id}


def test_notice_links_previous_and_next_in_its_round(example_site, example_project: Project, read_page):
    public = example_project.public_notices()
    for round_id in example_project.corpus.rounds:
        sequence = sorted((n for n in public if n.round_id == round_id), key=lambda n: (n.published, n.id))
        for index, notice in enumerate(sequence):
            pager = read_page(example_site, page_url(notice)).select_one(".xc-pager")
            prev, nxt = pager.select_one("[rel=prev]"), pager.select_one("[rel=next]")
            if index:
                assert prev is not None and sequence[index - 1].title in prev.get_text()
            else:
                assert prev is None
            if index + 1 < len(sequence):
                assert nxt is not None and sequence[index + 1].title in nxt.get_text()
            else:
                assert nxt is None


def test_breadcrumbs_lead_from_home_through_the_round(example_site, example_project, read_page):
    notice = example_project.public_notices()[0]
    crumbs = read_page(example_site, page_url(notice)).select(".xc-crumbs li")
    texts = [li.get_text(strip=True) for li in crumbs]
    assert texts[:3] == ["首页", "巡察轮次", example_project.corpus.rounds[notice.round_id].name]
    assert crumbs[-1].select_one("[aria-current=page]") is not None


@pytest.mark.parametrize("marker", ["草稿标记XQ7", "保密标记ZK4", "草稿标记SMALL1", "保密标记SMALL2"])
def test_no_draft_or_embargoed_text_anywhere_in_the_output(example_site, small_site, marker):
    for site in (example_site, small_site):
        for path in Path(site).rglob("*"):
            if path.is_file():
                assert marker.encode() not in path.read_bytes(), f"{marker} in {path}"


def test_no_draft_or_embargoed_notice_page_attachment_or_title(example_project, example_site, small_site):
    hidden = [n for n in example_project.corpus.notices if not n.is_public(example_project.build_time)]
    assert any(n.draft for n in hidden) and any(not n.draft for n in hidden)
    texts = b"".join(p.read_bytes() for p in Path(example_site).rglob("*.html"))
    for notice in hidden:
        assert not (example_site / page_url(notice)).exists()
        if notice.title_override:
            assert notice.title.encode() not in texts
    assert not (small_site / "notices/2026-t1/files/jiaju-draft-secret.pdf").exists()
    assert not (small_site / "notices/2026-t1/jiaju-draft").exists()
    assert not (small_site / "notices/2026-t1/yiju").exists()
