"""The disclosure-timeliness page (公开及时性, /disclosure/): every listed unit's first disclosure against its deadline,
per round, with the totals and a static chart. The rule is core/disclosure.py's, written out on the page."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.disclosure import SHARE_RULE, DisclosureRow, DisclosureTotals, Timeliness, disclosure
from xuncha_site.core.routes import DATA_FILES, ROUNDS, join_url, notice_url, round_url, unit_url
from xuncha_site.core.text import cn_date
from xuncha_site.views.chart import Bar, bar_chart
from xuncha_site.views.widgets import Link, crumbs

RULE = (
    "公开期限 = 反馈日期 + {days} 天{grace}。以本轮首篇通报在本站的发布日期为准：不晚于公开期限为按时公开，晚于公开期限为逾期公开；"
    "尚无通报的，截至统计日未过期限为尚未公开，已过期限为逾期未公开。" + SHARE_RULE
)


@dataclass(frozen=True)
class DisclosureLine:
    group: str
    unit: Link
    feedback: str
    due: str
    first: Link | None  # the first public notice, its date as the text
    days_taken: str
    verdict: str
    tone: str  # the state (CSS modifier): on_time, late, pending, overdue, unknown


@dataclass(frozen=True)
class DisclosureRound:
    link: Link
    anchor: str
    totals: str
    lines: tuple[DisclosureLine, ...]


@dataclass(frozen=True)
class DisclosureView:
    crumbs: tuple[Link, ...]
    as_of: str
    rule: str
    totals: str
    chart: Markup
    rounds: tuple[DisclosureRound, ...]
    data: tuple[Link, ...]


def totals_text(t: DisclosureTotals) -> str:
    """``共 5 个单位：按时公开 3 个、逾期公开 1 个、逾期未公开 1 个；按时公开率 60.0%``."""
    parts = [f"{state.label} {count} 个" for state, count in t.by_state if count]
    share = f"；按时公开率 {t.share_on_time:.1f}%" if t.share_on_time is not None else "；尚无可计算按时公开率的单位"
    return f"共 {t.units} 个单位" + (f"：{'、'.join(parts)}" if parts else "") + share


def _line(row: DisclosureRow, base: str) -> DisclosureLine:
    first = Link(cn_date(row.first_published), notice_url(row.first_notice, base)) if row.first_notice else None
    return DisclosureLine(
        group=row.group,
        unit=Link(row.unit.name, unit_url(row.unit.slug, base)),
        feedback=cn_date(row.feedback_date) or "—",
        due=cn_date(row.due_date) or "—",
        first=first,
        days_taken=f"{row.days_taken} 天" if row.days_taken is not None else "—",
        verdict=row.verdict,
        tone=row.state.value,
    )


def disclosure_view(catalogue: Catalogue, base: str) -> DisclosureView:
    report = disclosure(catalogue)
    t = report.totals
    bars = [
        Bar(state.label, count, state.value) for state, count in t.by_state if count or state is not Timeliness.UNKNOWN
    ]
    grace = f"，再加宽限 {report.grace_days} 天" if report.grace_days else ""
    return DisclosureView(
        crumbs=crumbs(base, ("巡察轮次", join_url(base, ROUNDS)), ("公开及时性", "")),
        as_of=cn_date(report.today),
        rule=RULE.format(days=report.deadline_days, grace=grace),
        totals=totals_text(t),
        # Counts only: a share of all units beside the sentence's 按时公开率 (which leaves out units not yet due) would
        # read as two rates that disagree.
        chart=bar_chart("各被巡察单位公开整改进展的及时性（全部轮次）", bars, shares=False),
        rounds=tuple(
            DisclosureRound(
                Link(r.round.name, round_url(r.round.id, base)),
                f"r-{r.round.id}",
                totals_text(r.totals),
                tuple(_line(row, base) for row in r.rows),
            )
            for r in report.rounds
        ),
        data=(
            Link("disclosure.json", join_url(base, DATA_FILES["disclosure"])),
            Link("disclosure.csv", join_url(base, DATA_FILES["disclosure-csv"])),
        ),
    )
