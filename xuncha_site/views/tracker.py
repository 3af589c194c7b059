"""A unit's problems across its notices (the tracker on the unit page) and the links to it from the notice page.

Each cell shows only what the notice states: the status in its own words (the badge the notice page shows), nothing
when it states none; the site's own words are 新增 (first listed in a later notice), 本篇未提及 (absent from this notice,
listed again later) and 后续通报未再提及 (absent from this and every later notice). The summary line counts, per notice,
the problems it lists and — only when it states a status for every one of them — how many it calls completed
(docs/记录格式.md, “问题追踪”).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.model import Notice, Status
from xuncha_site.core.routes import TRACKER_ANCHOR, notice_url, tracker_row_url, unit_url
from xuncha_site.core.text import cn_date
from xuncha_site.core.tracking import Tracker
from xuncha_site.views.html import escape
from xuncha_site.views.widgets import Badge, Link, status_badge

NEW = "新增"
ABSENT = "本篇未提及"
DROPPED = "后续通报未再提及"
SUMMARY_PREFIX = "据各篇通报逐项统计："  # the site's derivation, labelled as such
NOTE = (
    "各格为该篇通报写明的完成情况（原文用语）；空白表示该篇未写明。"
    "“新增”“本篇未提及”“后续通报未再提及”为本站按问题标题比对后的标注。"
)
SUMMARY_RULE = "只统计各篇通报逐项写明的完成情况；有问题未写明完成情况的通报只列出问题数"


@dataclass(frozen=True)
class TrackerColumn:
    link: Link  # the notice
    date: str
    stage: str


@dataclass(frozen=True)
class TrackerCell:
    column: TrackerColumn
    badge: Badge | None  # the status in the notice's own words; None when it states none or does not list it
    note: str = ""  # 新增 / 本篇未提及 / 后续通报未再提及 (the site's words)
    link: Link | None = None  # the problem in that notice


@dataclass(frozen=True)
class TrackerRow:
    key: str  # its anchor
    title: str
    link: Link  # the problem in the latest notice that lists it
    cells: tuple[TrackerCell, ...]


@dataclass(frozen=True)
class TrackerView:
    anchor: str
    summary: str
    columns: tuple[TrackerColumn, ...]
    rows: tuple[TrackerRow, ...]


def stage_name(notice: Notice) -> str:
    return f"{notice.stage}通报"


def notice_summary(notice: Notice) -> str:
    """``进展通报 12 项中 9 项已完成``; ``完成通报 12 项全部完成``; ``进展通报 7 项（未逐项写明完成情况）``."""
    derivation = notice.derivation
    head = f"{stage_name(notice)} {derivation.items} 项"
    if not derivation.complete:
        return f"{head}（未逐项写明完成情况）"
    done = derivation.by_status[Status.COMPLETED]
    if done == derivation.items:
        return f"{head}全部完成"
    return f"{head}中 {done} 项已完成"


def tracker_view(catalogue: Catalogue, unit_slug: str, base: str) -> TrackerView | None:
    tracker = catalogue.trackers.get(unit_slug)
    if tracker is None:
        return None
    columns = tuple(
        TrackerColumn(Link(n.title, notice_url(n, base)), cn_date(n.notice_date), stage_name(n))
        for n in tracker.notices
    )
    order = {n.id: index for index, n in enumerate(tracker.notices)}
    rows = []
    for row in tracker.rows:
        present = {order[a.notice.id]: a for a in row.appearances}
        first, last = min(present), max(present)
        cells = []
        for index, (notice, column) in enumerate(zip(tracker.notices, columns, strict=True)):
            appearance = present.get(index)
            if appearance is not None:
                cells.append(
                    TrackerCell(
                        column,
                        status_badge(appearance.problem),
                        NEW if index == first and index > 0 else "",
                        Link(appearance.problem.title, f"{notice_url(notice, base)}#{appearance.problem.anchor}"),
                    )
                )
            elif index < first:
                cells.append(TrackerCell(column, None))
            elif index < last:
                cells.append(TrackerCell(column, None, ABSENT))
            else:
                cells.append(TrackerCell(column, None, DROPPED if index == last + 1 else ""))
        latest = row.appearances[-1]
        link = Link(row.title, f"{notice_url(latest.notice, base)}#{latest.problem.anchor}")
        rows.append(TrackerRow(row.key, row.title, link, tuple(cells)))
    summary = SUMMARY_PREFIX + " → ".join(notice_summary(n) for n in tracker.notices)
    return TrackerView(TRACKER_ANCHOR, summary, columns, tuple(rows))


def tracker_html(t: TrackerView) -> Markup:
    """The tracker as the unit page shows it: one row per problem, one column per notice. At 40em and wider a table;
    narrower, each row a card (the column's notice written before each cell), so that nothing scrolls sideways.

    Written here rather than by a template macro: a unit with many notices has thousands of cells
    (:mod:`xuncha_site.views.html`); theme/unit.html prints it.
    """
    anchor = escape(t.anchor)
    out = [
        f'<section class="xc-section xc-tracker" id="{anchor}" aria-labelledby="{anchor}-title">'
        f'\n  <h2 id="{anchor}-title">问题整改进展追踪</h2>'
        f'\n  <p class="xc-tracker__summary">{escape(t.summary)}</p>'
        f'\n  <p class="xc-tracker__note">{NOTE}</p>'
        '\n  <table class="xc-tracker__table">'
        '\n    <caption class="xc-visually-hidden">各问题在本单位各篇通报中的完成情况</caption>'
        '\n    <thead>\n      <tr>\n        <th scope="col">问题</th>'
    ]
    add = out.append
    for c in t.columns:
        add(f'\n        <th scope="col"><a href="{escape(c.link.url)}">{escape(c.date)}<br>{escape(c.stage)}</a></th>')
    labels: dict[TrackerColumn, str] = {}  # the column's notice, written before each of its cells
    add("\n      </tr>\n    </thead>\n    <tbody>")
    for r in t.rows:
        add(
            f'\n      <tr id="{escape(r.key)}">\n        <th scope="row" class="xc-tracker__problem">'
            f'<a href="{escape(r.link.url)}">{escape(r.title)}</a></th>'
        )
        for cell in r.cells:
            add('\n        <td class="xc-tracker__empty">' if not cell.badge and not cell.note else "\n        <td>")
            label = labels.get(cell.column)
            if label is None:
                column = cell.column
                label = f'\n          <span class="xc-tracker__column">{escape(column.date)} {escape(column.stage)}：</span>'
                labels[column] = label
            add(label)
            if cell.badge and cell.link:
                add(
                    f'<a class="xc-tracker__status" href="{escape(cell.link.url)}">'
                    f'<span class="xc-badge xc-badge--{escape(cell.badge.tone)}">{escape(cell.badge.text)}</span></a>'
                )
            if cell.note:
                add(f'<span class="xc-tracker__mark">{escape(cell.note)}</span>')
            add("\n        </td>")
        add("\n      </tr>")
    add("\n    </tbody>\n  </table>\n</section>")
    return Markup("".join(out))


def tracker_links(catalogue: Catalogue, notice: Notice, base: str) -> dict[int, Link]:
    """Each tracked problem of ``notice`` (by its line) → its row in the unit's tracker; none when the unit has no other
    public notice."""
    tracker: Tracker | None = catalogue.trackers.get(notice.unit_slug)
    if tracker is None:
        return {}
    links = {}
    for row in tracker.rows:
        appearance = row.at(notice.id)
        if appearance is not None:
            links[appearance.problem.line] = Link(
                "在各篇通报中的进展", tracker_row_url(notice.unit_slug, row.key, base)
            )
    return links


def tracker_url(unit_slug: str, base: str) -> str:
    return f"{unit_url(unit_slug, base)}#{TRACKER_ANCHOR}"
