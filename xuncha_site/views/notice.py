"""The notice page in the official layout."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from xuncha_site.core.body import category_status
from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.fields import COUNTS
from xuncha_site.core.markdown import Renderer
from xuncha_site.core.model import Notice, Part, Problem, Status
from xuncha_site.core.routes import (
    ROUNDS,
    attachment_path,
    join_url,
    round_url,
    unit_url,
)
from xuncha_site.core.text import cn_date, cn_datetime, cn_number, cn_period
from xuncha_site.views.html import NO_HTML, escape
from xuncha_site.views.themes import problem_theme_links
from xuncha_site.views.tracker import tracker_links
from xuncha_site.views.widgets import (
    Badge,
    ContactCard,
    Fact,
    Link,
    NoticeItem,
    contact_card,
    crumbs,
    notice_item,
    status_badge,
)

TOC_MIN_PROBLEMS = 6  # a problems part with this many problems (any level) opens with a table of contents
TOC_DEPTH = 2  # the contents list problems and their sub-problems, not deeper levels
SAME_UNIT_SHOWN = 10  # a notice lists this many of its unit's other notices; the unit page lists them all


@dataclass(frozen=True)
class ProblemView:
    title: str
    anchor: str
    heading: str  # h3 … h5: parts are h2 under the page's h1
    badge: Badge | None  # None: the notice states no status for this node
    status_line: Markup  # the notice's own status paragraph (完成情况：已完成), printed in place of the badge
    summary: str  # the site's count of a category's leaves by their badges (screen only)
    body: Markup
    children: tuple[ProblemView, ...]
    themes: tuple[Link, ...] = ()  # the site's common-problem themes (not the notice's words: 朗读 skips them)
    tracker: Link | None = None  # its row in the unit's tracker, when the unit has other public notices


@dataclass(frozen=True)
class TocEntry:
    """A line of a problems part's table of contents: a link to the problem's heading, its status, its sub-problems."""

    link: Link
    badge: Badge | None
    children: tuple[TocEntry, ...]


@dataclass(frozen=True)
class PartView:
    title: str
    anchor: str
    body: Markup
    problems: tuple[ProblemView, ...]
    is_problems: bool
    toc: tuple[TocEntry, ...]  # empty unless the part is long enough to need one (TOC_MIN_PROBLEMS)
    problems_html: Markup = NO_HTML  # the problems as the page shows them (problem_tree)
    toc_html: Markup = NO_HTML  # the table of contents as the page shows it (contents), when there is one


@dataclass(frozen=True)
class CountRow:
    label: str
    stated: str
    derived: str


@dataclass(frozen=True)
class CorrectionView:
    date: str
    text: str


@dataclass(frozen=True)
class NoticeView:
    title: str
    crumbs: tuple[Link, ...]
    source: str
    editor: str
    published: str
    published_iso: str
    facts: tuple[Fact, ...]
    corrections: tuple[CorrectionView, ...]
    preamble: Markup
    counts: tuple[CountRow, ...]
    parts: tuple[PartView, ...]
    contact_text: Markup
    contact: ContactCard | None
    issuer: str
    date: str
    attachments: tuple[Link, ...]
    original: Link | None
    same_unit: tuple[NoticeItem, ...]
    same_unit_total: int
    previous: NoticeItem | None
    next: NoticeItem | None
    round_link: Link
    unit_link: Link


def notice_view(catalogue: Catalogue, renderer: Renderer, notice: Notice, base: str) -> NoticeView:
    """The notice page in the official layout."""
    round_ = catalogue.rounds.get(notice.round_id)
    round_name = round_.name if round_ else notice.round_id
    round_link = Link(round_name, round_url(notice.round_id, base))
    unit_link = Link(notice.unit, unit_url(notice.unit_slug, base))
    before, after = catalogue.neighbours.get(notice.id, (None, None))
    siblings = catalogue.units[notice.unit_slug].notices if notice.unit_slug in catalogue.units else ()
    others = [other for other in siblings if other.id != notice.id]
    tracked = tracker_links(catalogue, notice, base)
    themes = problem_theme_links(catalogue, notice.id, base)
    facts = [
        Fact("巡察轮次", round_name, round_link.url),
        Fact("被巡察单位", notice.unit, unit_link.url),
        Fact("巡察组", notice.group),
        Fact("巡察时间", cn_period(notice.inspection_start, notice.inspection_end)),
        Fact("反馈时间", cn_date(notice.feedback_date)),
        Fact("通报阶段", notice.stage),
        Fact("信息索引号", notice.source.index_no),
    ]
    return NoticeView(
        title=notice.title,
        crumbs=crumbs(base, ("巡察轮次", join_url(base, ROUNDS)), (round_name, round_link.url), ("通报正文", "")),
        source=notice.source.name or notice.issuer,
        editor=notice.source.editor,
        published=cn_datetime(notice.published),
        published_iso=notice.published.isoformat(),
        facts=tuple(fact for fact in facts if fact.value),
        corrections=tuple(CorrectionView(cn_date(c.date), c.text) for c in notice.corrections),
        preamble=renderer.markdown(notice.preamble),
        counts=count_rows(notice),
        parts=tuple(part_view(renderer, part, themes, tracked) for part in notice.parts),
        contact_text=renderer.plain(notice.contact.text),
        contact=None if notice.contact.is_empty() else contact_card(notice.contact, "联系方式"),
        issuer=notice.issuer,
        date=cn_date(notice.notice_date),
        attachments=tuple(Link(a.title, attachment_url(notice, a.href, base)) for a in notice.attachments),
        original=Link(notice.source.name or "原文", notice.source.url) if notice.source.url else None,
        same_unit=tuple(notice_item(catalogue, other, base) for other in others[:SAME_UNIT_SHOWN]),
        same_unit_total=len(others),
        previous=notice_item(catalogue, before, base) if before else None,
        next=notice_item(catalogue, after, base) if after else None,
        round_link=round_link,
        unit_link=unit_link,
    )


def attachment_url(notice: Notice, href: str, base: str) -> str:
    """A web address as it is; a local file (relative to the record) where the plugin copies it, percent-encoded
    (a file name may hold ``#``, ``?`` or ``%``, which would end or change the address)."""
    if "://" in href:
        return href
    return join_url(base, quote(attachment_path(notice.round_id, href)))


# Figures that a complete derivation gives (docs/记录格式.md, “据正文逐项统计”); the rest only a notice can state.
DERIVED_FIELDS = ("completed", "basically_completed", "in_progress", "long_term", "not_completed", "completion_rate")
ITEMS_LABEL = "正文逐项列出的问题"  # the counting level: leaves of the problems part


def count_rows(notice: Notice) -> tuple[CountRow, ...]:
    """What the notice states, and beside it what its problem list shows when it states every item's status.

    A derived figure is shown only when the derivation is complete (every leaf has a stated status); a figure the
    notice does not state is “—”, never a number.
    """
    stated = notice.counts.as_dict()
    derivation = notice.derivation
    derived = derivation.counts().as_dict()
    rows = [
        CountRow(
            count.label,
            cn_number(stated[count.name], count.measure),
            cn_number(derived[count.name] if count.name in DERIVED_FIELDS else None, count.measure),
        )
        for count in COUNTS  # label and measure word of each count, in the order a reader expects them
        if stated[count.name] is not None
        or (derivation.complete and count.name in DERIVED_FIELDS and derived[count.name])
    ]
    if derivation.complete and rows:
        rows.insert(0, CountRow(ITEMS_LABEL, "—", cn_number(derivation.items, "个")))
    return tuple(rows)


def part_view(
    renderer: Renderer,
    part: Part,
    themes: dict[int, tuple[Link, ...]] | None = None,
    tracked: dict[int, Link] | None = None,
) -> PartView:
    problems = tuple(problem_view(renderer, problem, themes=themes, tracked=tracked) for problem in part.problems)
    long = sum(1 for problem in part.problems for _ in problem.walk()) >= TOC_MIN_PROBLEMS
    toc = toc_entries(problems) if part.is_problems and long else ()
    return PartView(
        title=part.title,
        anchor=part.anchor,
        body=renderer.markdown(part.body),
        problems=problems,
        is_problems=part.is_problems,
        toc=toc,
        problems_html=problem_tree(problems),
        toc_html=contents(part.anchor, toc) if toc else NO_HTML,
    )


def contents(anchor: str, toc: tuple[TocEntry, ...]) -> Markup:
    """A long problems part's table of contents (TOC_MIN_PROBLEMS): folded, one line until opened; each problem and
    sub-problem a link to its heading, with its status. Not read by 朗读 (data-xc-noread)."""
    out = [
        f'<nav class="xc-toc" aria-labelledby="{escape(anchor)}-toc" data-xc-noread>\n  <details class="xc-disclosure">'
        f'\n    <summary id="{escape(anchor)}-toc">本部分目录</summary>\n    '
    ]
    _contents_list(toc, out)
    out.append("\n  </details>\n</nav>")
    return Markup("".join(out))


def _contents_list(entries: tuple[TocEntry, ...], out: list[str]) -> None:
    add = out.append
    add('<ol class="xc-toc__list xc-plain">')
    for entry in entries:
        add(f'\n  <li><a href="{escape(entry.link.url)}">{escape(entry.link.text)}</a>')
        if entry.badge:
            add(f'<span class="xc-badge xc-badge--{escape(entry.badge.tone)}">{escape(entry.badge.text)}</span>')
        if entry.children:
            _contents_list(entry.children, out)
        add("</li>")
    add("\n</ol>")


def problem_tree(problems: tuple[ProblemView, ...]) -> Markup:
    """The problems part as a tree: each node a heading with its status badge (the word, not colour alone).

    A badge shows only a status the notice states: its own (a 完成情况 paragraph or a heading's closing（…）), or its
    category heading's (screen only, with the site's note). In print the notice's own words stand where it wrote them:
    the heading's（…）, the 完成情况 paragraph; nothing else. Written here, not by a template macro, because it runs for
    every problem of every notice (:mod:`xuncha_site.views.html`); theme/notice.html prints it in ``.xc-problems``.
    """
    out: list[str] = []
    _problem_nodes(problems, out)
    return Markup("".join(out))


def _problem_nodes(problems: tuple[ProblemView, ...], out: list[str]) -> None:
    add = out.append
    for p in problems:
        heading = escape(p.heading)
        add(f'\n  <section class="xc-problem xc-problem--{heading}" id="{escape(p.anchor)}">')
        add(f'\n    <{heading} class="xc-problem__title">{escape(p.title)}')
        badge = p.badge
        if badge:
            note = f' title="{escape(badge.note)}"' if badge.note else ""
            add(
                f'<span class="xc-badge xc-badge--{escape(badge.tone)} xc-badge--from-{escape(badge.source)}"{note}>'
                f"{escape(badge.text)}</span>"
            )
        add(f"</{heading}>")
        if p.summary:
            add(f'<p class="xc-problem__summary">{escape(p.summary)}</p>')
        if p.tracker:
            add(
                f'<p class="xc-problem__tracker" data-xc-noread><a href="{escape(p.tracker.url)}">'
                f"{escape(p.tracker.text)}</a></p>"
            )
        if p.themes:
            links = "、".join(f'<a href="{escape(t.url)}">{escape(t.text)}</a>' for t in p.themes)
            add(f'<p class="xc-problem__themes" data-xc-noread>共性问题：{links}</p>')
        add(f"\n    {escape(p.body)}")
        if p.status_line:
            add(f'<div class="xc-problem__status">{escape(p.status_line)}</div>')
        if p.children:
            _problem_nodes(p.children, out)
        add("\n  </section>")


def toc_entries(problems: tuple[ProblemView, ...], depth: int = TOC_DEPTH) -> tuple[TocEntry, ...]:
    return tuple(
        TocEntry(Link(p.title, f"#{p.anchor}"), p.badge, toc_entries(p.children, depth - 1) if depth > 1 else ())
        for p in problems
    )


def problem_view(
    renderer: Renderer,
    problem: Problem,
    category: str = "",
    themes: dict[int, tuple[Link, ...]] | None = None,
    tracked: dict[int, Link] | None = None,
) -> ProblemView:
    """A node with the badge of its stated status (none when it states none); a category gets the site's summary."""
    badge = status_badge(problem, category)
    names_status = category_status(problem.title) is not None or problem.status is not Status.UNKNOWN
    passed = problem.title if problem.children and names_status else category
    return ProblemView(
        title=problem.title,
        anchor=problem.anchor,
        heading=f"h{min(problem.depth + 2, 6)}",
        badge=badge,
        status_line=renderer.markdown(problem.status_line) if problem.status_line else Markup(""),
        summary=leaf_summary(problem) if problem.children and badge is None else "",
        body=renderer.markdown(problem.body),
        children=tuple(problem_view(renderer, child, passed, themes, tracked) for child in problem.children),
        themes=(themes or {}).get(problem.line, ()),
        tracker=(tracked or {}).get(problem.line),
    )


SUMMARY_PREFIX = "本站按各项标注统计："  # the site's words, outside the notice's text (hidden in print)


def leaf_summary(problem: Problem) -> str:
    """``本站按各项标注统计：含3项，已完成2项、阶段性完成1项`` — exactly what the badges of its leaves say.

    Counted by the badges' own words, so the summary never names a status no badge shows; leaves without a stated
    status are told as such, and a category none of whose leaves states a status gets no summary.
    """
    leaves = list(problem.leaves())
    counts: dict[str, int] = {}
    unstated = 0
    for leaf in leaves:
        badge = status_badge(leaf)
        if badge is None:
            unstated += 1
        else:
            counts[badge.text] = counts.get(badge.text, 0) + 1
    if not counts:
        return ""
    parts = [f"{label}{count}项" for label, count in counts.items()]
    if unstated:
        parts.append(f"未写明完成情况{unstated}项")
    return f"{SUMMARY_PREFIX}含{len(leaves)}项，" + "、".join(parts)
