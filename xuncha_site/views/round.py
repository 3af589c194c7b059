"""A round's page: its facts, every listed unit by group with its disclosure, figures and charts."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.markdown import Renderer
from xuncha_site.core.model import Round, Settings
from xuncha_site.core.routes import (
    ROUNDS,
    join_url,
    round_url,
    unit_url,
)
from xuncha_site.core.stats import Figures, RoundStatus, UnitStatus
from xuncha_site.core.text import cn_date, cn_period
from xuncha_site.views.chart import Bar, bar_chart
from xuncha_site.views.themes import COUNTING_NOTE, RoundTheme, round_themes
from xuncha_site.views.widgets import (
    Fact,
    Link,
    NoticeItem,
    crumbs,
    notice_item,
)


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
    missing: int  # pending + overdue
    pending: int  # 尚未公开（未到期限）
    overdue: int
    notices: int
    problems: int
    completed: int
    rate: str
    coverage: str  # 完成率按N篇写明完成情况的通报计算，另有M篇未写明，未计入


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
    coverage: str
    charts: tuple[ChartView, ...]
    themes: tuple[RoundTheme, ...] = ()  # 本轮共性问题
    themes_note: str = COUNTING_NOTE
    completion_rule: str = ""  # COMPLETION_RULE


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
        pending=len(status.pending),
        overdue=len(status.overdue),
        notices=fig.notices,
        problems=fig.problems,
        completed=fig.completed,
        rate="—" if rate is None else f"{rate:g}%",
        coverage=fig.coverage,
    )


# The disclosure categories of every unit a round lists, in the text and the chart alike; they add up to all units.
DISCLOSURE_LABELS = ("已公开", "尚未公开（未到期限）", "逾期")


# How every completion figure counts (round pages, an aggregator's members page).
COMPLETION_RULE = (
    "按每个单位最新一篇通报统计：通报写明了问题数和已完成数的，按通报写明的数字；没有写明、但为每一项问题都写明了完成情况的，"
    "按正文逐项统计；其余不计入。“通报未分项写明”是通报写明了总数、但没有写明完成情况的那部分问题。"
)

# The completion categories of the chart and of the figures beside it, in one order; they add up to the total.
COMPLETION_LABELS: tuple[tuple[str, str, str], ...] = (
    ("completed", "已完成", "completed"),
    ("basically_completed", "基本完成", "basically"),
    ("in_progress", "正在整改", "progress"),
    ("long_term", "长期坚持", "long"),
    ("not_completed", "未完成", "not"),
    ("unsplit", "通报未分项写明", "unknown"),
)


def completion_bars(fig: Figures) -> tuple[Bar, ...]:
    """One bar per category that holds any problem; no remainder row: the categories add up to ``fig.problems``."""
    return tuple(Bar(label, getattr(fig, name), tone) for name, label, tone in COMPLETION_LABELS if getattr(fig, name))


def figure_facts(fig: Figures) -> tuple[Fact, ...]:
    """The figures beside the completion chart: the same categories, over the same notices, with what they cover."""
    rate = fig.completion_rate
    facts = [Fact("已公开通报", f"{fig.notices}篇")]
    if fig.counted:
        facts.append(Fact("问题总数", f"{fig.problems}个"))
        facts += [Fact(label, f"{getattr(fig, name)}个") for name, label, _ in COMPLETION_LABELS if getattr(fig, name)]
        facts.append(Fact("完成率", "—" if rate is None else f"{rate:g}%"))
    return tuple(facts)


def disclosure_bars(summary: RoundSummary) -> tuple[Bar, ...]:
    values = (summary.disclosed, summary.pending, summary.overdue)
    tones = ("disclosed", "missing", "overdue")
    return tuple(Bar(label, value, tone) for label, value, tone in zip(DISCLOSURE_LABELS, values, tones, strict=True))


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
                disclosure_bars(summary),
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
        crumbs=crumbs(base, ("巡察轮次", join_url(base, ROUNDS)), (round_.name, "")),
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
        coverage=status.figures.coverage,
        completion_rule=COMPLETION_RULE,
        charts=tuple(charts),
        themes=round_themes(catalogue, round_.id, base),
    )


def _leader(round_: Round, group_name: str) -> str:
    return next((group.leader for group in round_.groups if group.name == group_name), "")
