"""The notice page in the official layout."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from xuncha_site.core.catalogue import Catalogue
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
from xuncha_site.views.themes import problem_theme_links
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

SAME_UNIT_SHOWN = 10  # a notice lists this many of its unit's other notices; the unit page lists them all

# Label and measure word of each count, in the order a reader expects them.
COUNT_LABELS: tuple[tuple[str, str, str], ...] = (
    ("problems", "反馈问题", "个"),
    ("specific_problems", "具体问题", "个"),
    ("suggestions", "意见建议", "条"),
    ("measures", "整改措施", "条"),
    ("rules", "建立完善制度", "项"),
    ("completed", "已完成整改", "个"),
    ("basically_completed", "基本完成整改", "个"),
    ("in_progress", "正在整改", "个"),
    ("long_term", "需长期坚持", "个"),
    ("not_completed", "未完成", "个"),
    ("completion_rate", "完成率", "%"),
)


@dataclass(frozen=True)
class ProblemView:
    title: str
    anchor: str
    heading: str  # h3 … h5: parts are h2 under the page's h1
    badge: Badge | None
    summary: str  # for a category without its own status: what its sub-problems say
    body: Markup
    children: tuple[ProblemView, ...]
    themes: tuple[Link, ...] = ()  # the site's common-problem themes (not the notice's words: 朗读 skips them)


@dataclass(frozen=True)
class PartView:
    title: str
    anchor: str
    body: Markup
    problems: tuple[ProblemView, ...]
    is_problems: bool


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
        parts=tuple(
            part_view(renderer, part, problem_theme_links(catalogue, notice.id, base)) for part in notice.parts
        ),
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
    """A web address as it is; a local file (relative to the record) where the plugin copies it."""
    if "://" in href:
        return href
    return join_url(base, attachment_path(notice.round_id, href))


def count_rows(notice: Notice) -> tuple[CountRow, ...]:
    stated, derived = notice.counts.as_dict(), notice.derived_counts.as_dict()
    return tuple(
        CountRow(label, cn_number(stated[name], unit), cn_number(derived[name], unit))
        for name, label, unit in COUNT_LABELS
        if stated[name] is not None or derived[name]  # a derived zero the notice never mentions is noise
    )


def part_view(renderer: Renderer, part: Part, themes: dict[int, tuple[Link, ...]] | None = None) -> PartView:
    return PartView(
        title=part.title,
        anchor=part.anchor,
        body=renderer.markdown(part.body),
        problems=tuple(problem_view(renderer, problem, themes) for problem in part.problems),
        is_problems=part.is_problems,
    )


def problem_view(
    renderer: Renderer, problem: Problem, themes: dict[int, tuple[Link, ...]] | None = None
) -> ProblemView:
    own_status = problem.status is not Status.UNKNOWN or not problem.children
    return ProblemView(
        title=problem.title,
        anchor=problem.anchor,
        heading=f"h{min(problem.depth + 2, 6)}",
        badge=status_badge(problem) if own_status else None,
        summary="" if own_status else leaf_summary(problem),
        body=renderer.markdown(problem.body),
        children=tuple(problem_view(renderer, child, themes) for child in problem.children),
        themes=(themes or {}).get(problem.line, ()),
    )


def leaf_summary(problem: Problem) -> str:
    """``含3项：已完成2项、基本完成1项`` — a category's status told by its specific problems."""
    leaves = list(problem.leaves())
    if all(leaf.status is Status.UNKNOWN for leaf in leaves):
        return ""  # nothing to tell: the leaves say 未标明 themselves
    counts: dict[str, int] = {}
    for leaf in leaves:
        label = leaf.status.label
        counts[label] = counts.get(label, 0) + 1
    parts = "、".join(f"{label}{count}项" for label, count in counts.items())
    return f"含{len(leaves)}项：{parts}"
