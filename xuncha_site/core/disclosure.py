"""Disclosure timeliness (公开及时性): for every unit a round lists, when it first disclosed against its deadline.

The rule (docs/记录格式.md, “公开及时性”; the /disclosure/ page and data/disclosure.json say the same):

- the deadline (公开期限) is the unit's feedback date plus ``deadline_days`` and ``grace_days`` — the date after which
  a unit that has published nothing is 逾期 everywhere on the site;
- the first disclosure is the publication date (in the site's time zone) of the unit's earliest public notice of that
  round; days taken = that date − the feedback date;
- 按时公开: first disclosure on or before the deadline; 逾期公开: after it, by so many days; 尚未公开（未到期限）: nothing
  published and the deadline not passed at the build date; 逾期未公开: nothing published and the deadline passed;
  无反馈日期: neither the round nor the unit gives a feedback date, so nothing can be said;
- the share on time = 按时公开 ÷ (按时公开 + 逾期公开 + 逾期未公开): the units whose deadline has passed or who have
  disclosed; units still within their deadline and those without a feedback date are not counted.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.loader import zone
from xuncha_site.core.model import Notice, Round, UnitRef, completion_rate


class Timeliness(str, enum.Enum):
    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"
    OVERDUE = "overdue"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return TIMELINESS_LABELS[self]


TIMELINESS_LABELS: dict[Timeliness, str] = {
    Timeliness.ON_TIME: "按时公开",
    Timeliness.LATE: "逾期公开",
    Timeliness.PENDING: "尚未公开（未到期限）",
    Timeliness.OVERDUE: "逾期未公开",
    Timeliness.UNKNOWN: "无反馈日期",
}


# The rule of the share on time, as every page that shows it writes it out (the /disclosure/ page, /members/).
SHARE_RULE = "按时公开率 = 按时公开 ÷（按时公开 + 逾期公开 + 逾期未公开），未到期限和没有反馈日期的单位不计入。"


@dataclass(frozen=True)
class DisclosureRow:
    round: Round
    group: str
    unit: UnitRef
    feedback_date: date | None
    due_date: date | None
    first_notice: Notice | None
    first_published: date | None
    days_taken: int | None  # first disclosure − feedback date
    state: Timeliness
    days_late: int | None  # 逾期公开: first disclosure − deadline; 逾期未公开: build date − deadline

    @property
    def verdict(self) -> str:
        return verdict(self.state, self.days_late)


def verdict(state: Timeliness, days_late: int | None) -> str:
    """``按时公开``, ``逾期公开（晚 12 天）``, ``逾期未公开（已超过 30 天）``…"""
    if state is Timeliness.LATE and days_late is not None:
        return f"{state.label}（晚 {days_late} 天）"
    if state is Timeliness.OVERDUE and days_late is not None:
        return f"{state.label}（已超过 {days_late} 天）"
    return state.label


@dataclass(frozen=True)
class DisclosureTotals:
    units: int
    on_time: int
    late: int
    pending: int
    overdue: int
    unknown: int

    @property
    def decided(self) -> int:
        """Units whose timeliness is settled: disclosed, or past their deadline."""
        return self.on_time + self.late + self.overdue

    @property
    def share_on_time(self) -> float | None:
        return completion_rate(self.on_time, self.decided)

    @property
    def by_state(self) -> tuple[tuple[Timeliness, int], ...]:
        """Each state with its count, in the order every table and sentence lists them."""
        return (
            (Timeliness.ON_TIME, self.on_time),
            (Timeliness.LATE, self.late),
            (Timeliness.PENDING, self.pending),
            (Timeliness.OVERDUE, self.overdue),
            (Timeliness.UNKNOWN, self.unknown),
        )


@dataclass(frozen=True)
class RoundDisclosure:
    round: Round
    rows: tuple[DisclosureRow, ...]
    totals: DisclosureTotals


@dataclass(frozen=True)
class Disclosure:
    today: date
    deadline_days: int
    grace_days: int
    rounds: tuple[RoundDisclosure, ...]  # newest first
    totals: DisclosureTotals


def totals(rows: tuple[DisclosureRow, ...]) -> DisclosureTotals:
    count = {state: sum(1 for row in rows if row.state is state) for state in Timeliness}
    return DisclosureTotals(
        len(rows),
        count[Timeliness.ON_TIME],
        count[Timeliness.LATE],
        count[Timeliness.PENDING],
        count[Timeliness.OVERDUE],
        count[Timeliness.UNKNOWN],
    )


def disclosure(catalogue: Catalogue) -> Disclosure:
    """Every listed unit of every round, as of the catalogue's build date (public notices only)."""
    tz = zone(catalogue.settings)
    rounds = []
    today = catalogue.today
    for round_ in catalogue.rounds_newest_first:
        status = catalogue.statuses[round_.id]
        rows = []
        for group, units in status.groups:
            for unit in units:
                first = min(unit.notices, key=lambda n: (n.published, n.id)) if unit.notices else None
                published = first.published.astimezone(tz).date() if first else None
                due = unit.due_date
                days_taken = (published - unit.feedback_date).days if published and unit.feedback_date else None
                late: int | None = None
                if due is None:
                    state = Timeliness.UNKNOWN
                elif published is not None:
                    state = Timeliness.ON_TIME if published <= due else Timeliness.LATE
                    late = (published - due).days if state is Timeliness.LATE else None
                elif today > due:
                    state, late = Timeliness.OVERDUE, (today - due).days
                else:
                    state = Timeliness.PENDING
                rows.append(
                    DisclosureRow(
                        round_, group, unit.unit, unit.feedback_date, due, first, published, days_taken, state, late
                    )
                )
        chosen = tuple(rows)
        rounds.append(RoundDisclosure(round_, chosen, totals(chosen)))
    every = tuple(row for r in rounds for row in r.rows)
    settings = catalogue.settings
    return Disclosure(today, settings.deadline_days, settings.grace_days, tuple(rounds), totals(every))
