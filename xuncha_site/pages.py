"""Page data: the model turned into exactly what each template prints.

Templates hold no business logic: every date here is already formatted in Chinese, every badge has its word, every
link its final (page-relative) URL. Lookups that several pages share — a round's notices in order, a unit's notices
across rounds, disclosure status — are computed once per build in a :class:`Catalogue`; a page view is then built
from it in time proportional to the page itself.

Nothing here imports MkDocs: the plugin passes in the page's ``base`` (its relative path to the site root).
"""

from __future__ import annotations

import functools
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from markupsafe import Markup
from pypinyin import lazy_pinyin

from .chart import Bar, bar_chart
from .contact import tel_href
from .export import notice_url, round_url, unit_url
from .model import Contact, Corpus, Notice, Office, Part, Problem, Round, Settings, Status, unit_key
from .render import Renderer
from .stats import Figures, RoundStatus, UnitStatus, figures, latest_by_unit, round_status

# Fixed pages, as paths below the site root (directory URLs). Notice, round and unit URLs come from ``export``.
HOME = ""
ROUNDS = "rounds/"
UNITS = "units/"
FEEDBACK = "feedback/"
SEARCH = "search/"
SITEMAP = "sitemap/"
ABOUT = "about/"

NAV: tuple[tuple[str, str], ...] = (
    ("首页", HOME),
    ("巡察轮次", ROUNDS),
    ("被巡察单位", UNITS),
    ("监督举报", FEEDBACK),
    ("搜索", SEARCH),
    ("网站地图", SITEMAP),
    ("关于本站", ABOUT),
)

ICP_URL = "https://beian.miit.gov.cn/"
LATEST_ON_HOME = 10
TOC_MIN_PROBLEMS = 6  # a problems part with this many problems (any level) opens with a table of contents
TOC_DEPTH = 2  # the contents list problems and their sub-problems, not deeper levels
SAME_UNIT_SHOWN = 10  # a notice lists this many of its unit's other notices; the unit page lists them all

STATUS_TONES: dict[Status, str] = {
    Status.COMPLETED: "completed",
    Status.BASICALLY_COMPLETED: "basically",
    Status.IN_PROGRESS: "progress",
    Status.LONG_TERM: "long",
    Status.NOT_COMPLETED: "not",
    Status.UNKNOWN: "unknown",
}

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


# --- formatting -------------------------------------------------------------------------------------------------


def cn_date(day: date | None) -> str:
    """``2023-10-25`` → ``2023年10月25日``; empty for no date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def cn_datetime(moment: datetime) -> str:
    """Publication time as readers see it; midnight means only a date was given, so no time is shown."""
    if (moment.hour, moment.minute) == (0, 0):
        return cn_date(moment.date())
    return f"{cn_date(moment.date())} {moment:%H:%M}"


def cn_period(start: date | None, end: date | None) -> str:
    """``2023年3月13日至5月19日``: the end's year is left out when it is the start's."""
    if not start or not end:
        return cn_date(start or end)
    tail = f"{end.month}月{end.day}日" if start.year == end.year else cn_date(end)
    return f"{cn_date(start)}至{tail}"


def cn_number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text}{unit}"


# Cached: every round's feedback list, the units index and the site map sort the same unit names.
@functools.lru_cache(maxsize=65536)
def name_order(name: str) -> tuple[str, ...]:
    """Sort key for unit names in the order Chinese readers expect: by pinyin (中共 prefixes ignored)."""
    return tuple(lazy_pinyin(unit_key(name)))


def page_url(path: str, base: str) -> str:
    """A fixed page's URL relative to the page whose root is ``base``."""
    return base.rstrip("/") + "/" + path


# --- shared pieces ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str


@dataclass(frozen=True)
class ContactCard:
    """Ways to reach someone, each ready as a link where one exists (``tel:``, ``mailto:``)."""

    title: str
    phones: tuple[Link, ...] = ()
    emails: tuple[Link, ...] = ()
    hotline: Link | None = None
    mailbox: str = ""
    address: str = ""
    postcode: str = ""
    hours: str = ""
    website: Link | None = None

    def is_empty(self) -> bool:
        return not (self.phones or self.emails or self.hotline or self.mailbox or self.address or self.website)


@dataclass(frozen=True)
class NoticeItem:
    """A notice in a list: enough to recognise it and follow the link."""

    title: str
    url: str
    unit: str
    round_name: str
    stage: str
    date: str  # 落款日期
    published: str
    published_iso: str


@dataclass(frozen=True)
class SiteView:
    """What the header and footer of every page show."""

    name: str
    owner: str
    nav: tuple[Link, ...]
    home_url: str
    search_url: str
    sitemap_url: str
    about_url: str
    feedback_url: str
    office: ContactCard
    icp: str
    icp_url: str
    police_beian: str
    site_code: str


def phone_links(phones: Iterable[str]) -> tuple[Link, ...]:
    return tuple(Link(phone, tel_href(phone)) for phone in phones)


def email_links(emails: Iterable[str]) -> tuple[Link, ...]:
    return tuple(Link(email, f"mailto:{email}") for email in emails)


def contact_card(contact: Contact, title: str) -> ContactCard:
    return ContactCard(
        title=title,
        phones=phone_links(contact.phones),
        emails=email_links(contact.emails),
        mailbox=contact.mailbox,
        address=contact.address,
        postcode=contact.postcode,
    )


def office_card(office: Office) -> ContactCard:
    return ContactCard(
        title=office.name or "信访举报",
        phones=phone_links(office.phones),
        emails=email_links(office.emails),
        hotline=Link(office.hotline, tel_href(office.hotline)) if office.hotline else None,
        mailbox=office.mailbox,
        address=office.address,
        postcode=office.postcode,
        hours=office.hours,
        website=Link(office.website, office.website) if office.website else None,
    )


def status_badge(problem: Problem) -> Badge:
    """The status in the notice's own words when it gave them (立行立改, 阶段性完成), else the normalised label."""
    return Badge(problem.status_text or problem.status.label, STATUS_TONES[problem.status])


# --- the catalogue: computed once per build ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnitEntry:
    """One inspected unit across rounds: where it was inspected and what it published."""

    slug: str
    name: str
    memberships: tuple[tuple[RoundStatus, UnitStatus], ...]  # newest round first
    notices: tuple[Notice, ...]  # newest first


@dataclass(frozen=True)
class Catalogue:
    site_name: str
    settings: Settings
    today: date
    rounds: dict[str, Round]
    rounds_newest_first: tuple[Round, ...]
    statuses: dict[str, RoundStatus]
    notices: tuple[Notice, ...]  # public only, newest first
    in_round: dict[str, tuple[Notice, ...]]  # round id → its notices, oldest first
    neighbours: dict[str, tuple[Notice | None, Notice | None]]  # notice id → (previous, next) in its round
    units: dict[str, UnitEntry]
    totals: Figures


def build_catalogue(corpus: Corpus, build_time: datetime, site_name: str) -> Catalogue:
    """Everything that pages look up, from the notices public at ``build_time`` only."""
    settings = corpus.settings
    today = build_time.date()
    public = corpus.public_notices(build_time)
    grouped: dict[str, list[Notice]] = defaultdict(list)
    for notice in public:
        grouped[notice.round_id].append(notice)
    in_round = {
        round_id: tuple(sorted(notices, key=lambda n: (n.published, n.id))) for round_id, notices in grouped.items()
    }
    neighbours: dict[str, tuple[Notice | None, Notice | None]] = {}
    for sequence in in_round.values():
        for index, notice in enumerate(sequence):
            before = sequence[index - 1] if index else None
            after = sequence[index + 1] if index + 1 < len(sequence) else None
            neighbours[notice.id] = (before, after)
    ordered = tuple(sorted(corpus.rounds.values(), key=lambda r: r.sort_key, reverse=True))
    statuses = {r.id: round_status(r, in_round.get(r.id, ()), settings, today) for r in ordered}
    units = _units(ordered, statuses, public)
    return Catalogue(
        site_name=site_name,
        settings=settings,
        today=today,
        rounds=corpus.rounds,
        rounds_newest_first=ordered,
        statuses=statuses,
        notices=public,
        in_round=in_round,
        neighbours=neighbours,
        units=units,
        totals=figures(public),
    )


def _units(
    rounds: tuple[Round, ...], statuses: dict[str, RoundStatus], public: tuple[Notice, ...]
) -> dict[str, UnitEntry]:
    """Every unit a round lists or a public notice names, keyed by its slug."""
    memberships: dict[str, list[tuple[RoundStatus, UnitStatus]]] = defaultdict(list)
    names: dict[str, str] = {}
    for round_ in rounds:  # newest first, so the first name seen is the latest
        status = statuses[round_.id]
        for unit in status.units:
            memberships[unit.unit.slug].append((status, unit))
            names.setdefault(unit.unit.slug, unit.unit.name)
    notices: dict[str, list[Notice]] = defaultdict(list)
    for notice in public:  # newest first
        notices[notice.unit_slug].append(notice)
        names.setdefault(notice.unit_slug, notice.unit)
    entries = {
        slug: UnitEntry(slug, names[slug], tuple(memberships.get(slug, ())), tuple(notices.get(slug, ())))
        for slug in sorted(names)
    }
    return entries


# --- views ------------------------------------------------------------------------------------------------------


def site_view(catalogue: Catalogue, base: str, current: str | None = None) -> SiteView:
    settings = catalogue.settings
    return SiteView(
        name=catalogue.site_name,
        owner=settings.owner,
        nav=tuple(Link(text, page_url(path, base), path == current) for text, path in NAV),
        home_url=page_url(HOME, base),
        search_url=page_url(SEARCH, base),
        sitemap_url=page_url(SITEMAP, base),
        about_url=page_url(ABOUT, base),
        feedback_url=page_url(FEEDBACK, base),
        office=office_card(settings.office),
        icp=settings.icp,
        icp_url=ICP_URL,
        police_beian=settings.police_beian,
        site_code=settings.site_code,
    )


def notice_item(catalogue: Catalogue, notice: Notice, base: str) -> NoticeItem:
    round_ = catalogue.rounds.get(notice.round_id)
    return NoticeItem(
        title=notice.title,
        url=notice_url(notice, base),
        unit=notice.unit,
        round_name=round_.name if round_ else notice.round_id,
        stage=notice.stage,
        date=cn_date(notice.notice_date),
        published=cn_datetime(notice.published),
        published_iso=notice.published.isoformat(),
    )


def crumbs(base: str, *trail: tuple[str, str]) -> tuple[Link, ...]:
    """首页 › … ; the last crumb is the current page (no URL)."""
    links = [Link("首页", page_url(HOME, base))]
    links += [Link(text, url) for text, url in trail[:-1]]
    if trail:
        links.append(Link(trail[-1][0], "", current=True))
    return tuple(links)


@dataclass(frozen=True)
class ProblemView:
    title: str
    anchor: str
    heading: str  # h3 … h5: parts are h2 under the page's h1
    badge: Badge | None
    summary: str  # for a category without its own status: what its sub-problems say
    body: Markup
    children: tuple[ProblemView, ...]


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
        crumbs=crumbs(base, ("巡察轮次", page_url(ROUNDS, base)), (round_name, round_link.url), ("通报正文", "")),
        source=notice.source.name or notice.issuer,
        editor=notice.source.editor,
        published=cn_datetime(notice.published),
        published_iso=notice.published.isoformat(),
        facts=tuple(fact for fact in facts if fact.value),
        corrections=tuple(CorrectionView(cn_date(c.date), c.text) for c in notice.corrections),
        preamble=renderer.markdown(notice.preamble),
        counts=count_rows(notice),
        parts=tuple(part_view(renderer, part) for part in notice.parts),
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
    return page_url(attachment_path(notice, href), base)


def attachment_path(notice: Notice, href: str) -> str:
    """Where a local attachment is published: beside the round's notices, as it lies beside the record."""
    return posixpath.normpath(f"notices/{notice.round_id}/{href}")


def count_rows(notice: Notice) -> tuple[CountRow, ...]:
    stated, derived = notice.counts.as_dict(), notice.derived_counts.as_dict()
    return tuple(
        CountRow(label, cn_number(stated[name], unit), cn_number(derived[name], unit))
        for name, label, unit in COUNT_LABELS
        if stated[name] is not None or derived[name]  # a derived zero the notice never mentions is noise
    )


def part_view(renderer: Renderer, part: Part) -> PartView:
    problems = tuple(problem_view(renderer, problem) for problem in part.problems)
    long = sum(1 for problem in part.problems for _ in problem.walk()) >= TOC_MIN_PROBLEMS
    return PartView(
        title=part.title,
        anchor=part.anchor,
        body=renderer.markdown(part.body),
        problems=problems,
        is_problems=part.is_problems,
        toc=toc_entries(problems) if part.is_problems and long else (),
    )


def toc_entries(problems: tuple[ProblemView, ...], depth: int = TOC_DEPTH) -> tuple[TocEntry, ...]:
    return tuple(
        TocEntry(Link(p.title, f"#{p.anchor}"), p.badge, toc_entries(p.children, depth - 1) if depth > 1 else ())
        for p in problems
    )


def problem_view(renderer: Renderer, problem: Problem) -> ProblemView:
    own_status = problem.status is not Status.UNKNOWN or not problem.children
    return ProblemView(
        title=problem.title,
        anchor=problem.anchor,
        heading=f"h{min(problem.depth + 2, 6)}",
        badge=status_badge(problem) if own_status else None,
        summary="" if own_status else leaf_summary(problem),
        body=renderer.markdown(problem.body),
        children=tuple(problem_view(renderer, child) for child in problem.children),
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


# --- round pages ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    name: str
    url: str
    notices: tuple[NoticeItem, ...]
    disclosed: bool
    status: str  # 已公开 / 尚未公开
    days: str  # 反馈后已134天
    due: str  # 应于…前公开
    overdue: bool


@dataclass(frozen=True)
class GroupView:
    name: str
    leader: str
    units: tuple[UnitRow, ...]


@dataclass(frozen=True)
class ChartView:
    title: str
    svg: Markup


@dataclass(frozen=True)
class RoundSummary:
    name: str
    url: str
    year: str
    type: str
    period: str
    feedback: str
    units: int
    disclosed: int
    missing: int
    overdue: int
    notices: int
    problems: int
    completed: int
    rate: str


@dataclass(frozen=True)
class RoundView:
    name: str
    crumbs: tuple[Link, ...]
    facts: tuple[Fact, ...]
    description: Markup
    summary: RoundSummary
    deadline: str
    as_of: str
    groups: tuple[GroupView, ...]
    others: tuple[NoticeItem, ...]
    figures: tuple[Fact, ...]
    charts: tuple[ChartView, ...]


def deadline_text(settings: Settings) -> str:
    grace = f"，另有{settings.grace_days}天宽限" if settings.grace_days else ""
    return f"反馈后{settings.deadline_days}天内公开整改进展{grace}"


def unit_row(catalogue: Catalogue, status: UnitStatus, base: str) -> UnitRow:
    days = f"反馈后已{status.days_since_feedback}天" if status.days_since_feedback is not None else ""
    return UnitRow(
        name=status.unit.name,
        url=unit_url(status.unit.slug, base),
        notices=tuple(notice_item(catalogue, n, base) for n in status.notices),
        disclosed=status.disclosed,
        status="已公开" if status.disclosed else "尚未公开",
        days="" if status.disclosed else days,
        due=f"应于{cn_date(status.due_date)}前公开" if status.due_date and not status.disclosed else "",
        overdue=status.overdue,
    )


def round_summary(status: RoundStatus, base: str) -> RoundSummary:
    round_ = status.round
    fig = status.figures
    rate = fig.completion_rate
    return RoundSummary(
        name=round_.name,
        url=round_url(round_.id, base),
        year=str(round_.year or ""),
        type=round_.type,
        period=cn_period(round_.inspection_start, round_.inspection_end),
        feedback=cn_date(round_.feedback_date),
        units=len(status.units),
        disclosed=sum(1 for unit in status.units if unit.disclosed),
        missing=len(status.missing),
        overdue=len(status.overdue),
        notices=fig.notices,
        problems=fig.problems,
        completed=fig.completed,
        rate="—" if rate is None else f"{rate:g}%",
    )


def completion_bars(fig: Figures) -> tuple[Bar, ...]:
    counted = fig.completed + fig.basically_completed + fig.in_progress + fig.not_completed
    return (
        Bar("已完成", fig.completed, "completed"),
        Bar("基本完成", fig.basically_completed, "basically"),
        Bar("正在整改", fig.in_progress, "progress"),
        Bar("未完成", fig.not_completed, "not"),
        Bar("其他", max(fig.problems - counted, 0), "unknown"),
    )


def figure_facts(fig: Figures) -> tuple[Fact, ...]:
    rate = fig.completion_rate
    return (
        Fact("已公开通报", f"{fig.notices}篇"),
        Fact("反馈问题（具体问题）", f"{fig.problems}个"),
        Fact("已完成整改", f"{fig.completed}个"),
        Fact("基本完成整改", f"{fig.basically_completed}个"),
        Fact("正在整改", f"{fig.in_progress}个"),
        Fact("未完成", f"{fig.not_completed}个"),
        Fact("完成率", "—" if rate is None else f"{rate:g}%"),
    )


def round_view(catalogue: Catalogue, renderer: Renderer, round_: Round, base: str) -> RoundView:
    status = catalogue.statuses[round_.id]
    summary = round_summary(status, base)
    facts = (
        Fact("巡察党委", round_.committee),
        Fact("届次", round_.term),
        Fact("轮次", f"第{round_.number}轮" if round_.number else ""),
        Fact("年度", f"{round_.year}年" if round_.year else ""),
        Fact("巡察类型", round_.type),
        Fact("巡察主题", round_.topic),
        Fact("巡察时间", summary.period),
        Fact("反馈时间", summary.feedback),
    )
    charts = [
        ChartView(
            "公开情况",
            bar_chart(
                f"{round_.name}公开情况",
                (
                    Bar("已公开", summary.disclosed, "disclosed"),
                    Bar("尚未公开", summary.missing - summary.overdue, "missing"),
                    Bar("逾期", summary.overdue, "overdue"),
                ),
                unit="个单位",
            ),
        )
    ]
    if status.figures.problems:
        charts.append(
            ChartView(
                "整改完成情况",
                bar_chart(f"{round_.name}整改完成情况", completion_bars(status.figures), total=status.figures.problems),
            )
        )
    return RoundView(
        name=round_.name,
        crumbs=crumbs(base, ("巡察轮次", page_url(ROUNDS, base)), (round_.name, "")),
        facts=tuple(fact for fact in facts if fact.value),
        description=renderer.markdown(round_.description),
        summary=summary,
        deadline=deadline_text(catalogue.settings),
        as_of=cn_date(catalogue.today),
        groups=tuple(
            GroupView(name, _leader(round_, name), tuple(unit_row(catalogue, unit, base) for unit in units))
            for name, units in status.groups
        ),
        others=tuple(notice_item(catalogue, n, base) for n in status.extra_notices),
        figures=figure_facts(status.figures),
        charts=tuple(charts),
    )


def _leader(round_: Round, group_name: str) -> str:
    return next((group.leader for group in round_.groups if group.name == group_name), "")


@dataclass(frozen=True)
class RoundsView:
    crumbs: tuple[Link, ...]
    rounds: tuple[RoundSummary, ...]
    as_of: str
    deadline: str


def rounds_view(catalogue: Catalogue, base: str) -> RoundsView:
    return RoundsView(
        crumbs=crumbs(base, ("巡察轮次", "")),
        rounds=tuple(round_summary(catalogue.statuses[r.id], base) for r in catalogue.rounds_newest_first),
        as_of=cn_date(catalogue.today),
        deadline=deadline_text(catalogue.settings),
    )


# --- unit pages -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipView:
    round: Link
    group: str
    row: UnitRow


@dataclass(frozen=True)
class UnitView:
    name: str
    crumbs: tuple[Link, ...]
    memberships: tuple[MembershipView, ...]
    notices: tuple[NoticeItem, ...]  # those no membership lists (a round that does not name the unit), newest first


def unit_view(catalogue: Catalogue, entry: UnitEntry, base: str) -> UnitView:
    """The unit's rounds, each with its status and notices; then any other notice of the unit: each notice once."""
    listed = {notice.id for _, unit in entry.memberships for notice in unit.notices}
    return UnitView(
        name=entry.name,
        crumbs=crumbs(base, ("被巡察单位", page_url(UNITS, base)), (entry.name, "")),
        memberships=tuple(
            MembershipView(
                Link(status.round.name, round_url(status.round.id, base)),
                unit.unit.group,
                unit_row(catalogue, unit, base),
            )
            for status, unit in entry.memberships
        ),
        notices=tuple(notice_item(catalogue, n, base) for n in entry.notices if n.id not in listed),
    )


@dataclass(frozen=True)
class UnitSummary:
    name: str
    url: str
    rounds: int
    notices: int
    missing: int  # rounds in which the unit has not disclosed yet
    overdue: int


@dataclass(frozen=True)
class UnitsView:
    crumbs: tuple[Link, ...]
    units: tuple[UnitSummary, ...]


def units_view(catalogue: Catalogue, base: str) -> UnitsView:
    """Every inspected unit, in name order, with how many rounds inspected it and what it has published."""
    return UnitsView(
        crumbs=crumbs(base, ("被巡察单位", "")),
        units=tuple(
            UnitSummary(
                name=entry.name,
                url=unit_url(entry.slug, base),
                rounds=len(entry.memberships),
                notices=len(entry.notices),
                missing=sum(1 for _, unit in entry.memberships if not unit.disclosed),
                overdue=sum(1 for _, unit in entry.memberships if unit.overdue),
            )
            for entry in sorted(catalogue.units.values(), key=lambda e: name_order(e.name))
        ),
    )


# --- home, feedback, site map, search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeView:
    latest: tuple[NoticeItem, ...]
    rounds: tuple[RoundSummary, ...]
    headline: tuple[Fact, ...]
    office: ContactCard
    rounds_url: str
    feedback_url: str
    search_url: str
    sitemap_url: str


def home_view(catalogue: Catalogue, base: str) -> HomeView:
    statuses = list(catalogue.statuses.values())
    totals = catalogue.totals
    rate = totals.completion_rate
    headline = (
        Fact("巡察轮次", f"{len(catalogue.rounds)}轮", page_url(ROUNDS, base)),
        Fact("被巡察单位", f"{sum(1 for entry in catalogue.units.values() if entry.memberships)}个"),
        Fact("已公开通报", f"{len(catalogue.notices)}篇"),
        Fact("尚未公开", f"{sum(len(s.missing) for s in statuses)}个单位"),
        Fact("其中逾期", f"{sum(len(s.overdue) for s in statuses)}个单位"),
        Fact("反馈问题已完成整改", f"{totals.completed}/{totals.problems}个"),
        Fact("完成率", "—" if rate is None else f"{rate:g}%"),  # a tile of its own, as on the round cards
    )
    return HomeView(
        latest=tuple(notice_item(catalogue, n, base) for n in catalogue.notices[:LATEST_ON_HOME]),
        rounds=tuple(round_summary(catalogue.statuses[r.id], base) for r in catalogue.rounds_newest_first),
        headline=headline,
        office=office_card(catalogue.settings.office),
        rounds_url=page_url(ROUNDS, base),
        feedback_url=page_url(FEEDBACK, base),
        search_url=page_url(SEARCH, base),
        sitemap_url=page_url(SITEMAP, base),
    )


@dataclass(frozen=True)
class FeedbackUnit:
    unit: str
    unit_url: str
    notice: NoticeItem
    card: ContactCard
    filter_text: str  # what the filter box matches against


@dataclass(frozen=True)
class FeedbackRound:
    name: str
    url: str
    units: tuple[FeedbackUnit, ...]


@dataclass(frozen=True)
class FeedbackView:
    crumbs: tuple[Link, ...]
    office: ContactCard
    rounds: tuple[FeedbackRound, ...]


def feedback_view(catalogue: Catalogue, base: str) -> FeedbackView:
    """The office's channels first, then each unit's, from its latest public notice in each round."""
    rounds = []
    for round_ in catalogue.rounds_newest_first:
        latest = latest_by_unit(catalogue.in_round.get(round_.id, ()))
        units = []
        for notice in sorted(latest.values(), key=lambda n: name_order(n.unit)):
            if notice.contact.is_empty():
                continue
            card = contact_card(notice.contact, notice.unit)
            words = [notice.unit, round_.name, *notice.contact.phones, *notice.contact.emails, notice.contact.address]
            units.append(
                FeedbackUnit(
                    unit=notice.unit,
                    unit_url=unit_url(notice.unit_slug, base),
                    notice=notice_item(catalogue, notice, base),
                    card=card,
                    filter_text=" ".join(word for word in words if word),
                )
            )
        if units:
            rounds.append(FeedbackRound(round_.name, round_url(round_.id, base), tuple(units)))
    return FeedbackView(
        crumbs=crumbs(base, ("监督举报", "")),
        office=office_card(catalogue.settings.office),
        rounds=tuple(rounds),
    )


@dataclass(frozen=True)
class SitemapRound:
    link: Link
    notices: int
    units: int


@dataclass(frozen=True)
class SitemapView:
    crumbs: tuple[Link, ...]
    pages: tuple[Link, ...]
    rounds: tuple[SitemapRound, ...]
    units: tuple[Link, ...]


def sitemap_view(catalogue: Catalogue, base: str) -> SitemapView:
    """Columns, rounds and units. Notices are listed by their round's page: on a large site one page listing every
    notice would weigh megabytes."""
    return SitemapView(
        crumbs=crumbs(base, ("网站地图", "")),
        pages=tuple(Link(text, page_url(path, base)) for text, path in NAV),
        rounds=tuple(
            SitemapRound(
                Link(r.name, round_url(r.id, base)),
                len(catalogue.in_round.get(r.id, ())),
                len(catalogue.statuses[r.id].units),
            )
            for r in catalogue.rounds_newest_first
        ),
        units=tuple(
            Link(entry.name, unit_url(entry.slug, base))
            for entry in sorted(catalogue.units.values(), key=lambda e: name_order(e.name))
        ),
    )


@dataclass(frozen=True)
class SearchView:
    crumbs: tuple[Link, ...]
    rounds_url: str
    sitemap_url: str


def search_view(base: str) -> SearchView:
    return SearchView(crumbs(base, ("搜索", "")), page_url(ROUNDS, base), page_url(SITEMAP, base))
