"""Figures computed once per build: disclosure status per round and unit, completion totals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from xuncha_site.core.model import Counts, Notice, Round, Settings, UnitRef, unit_key


@dataclass(frozen=True)
class UnitStatus:
    """One inspected unit of a round: its public notices, or how long it has been silent."""

    unit: UnitRef
    notices: tuple[Notice, ...]
    feedback_date: date | None
    days_since_feedback: int | None
    due_date: date | None
    overdue: bool

    @property
    def disclosed(self) -> bool:
        return bool(self.notices)


@dataclass(frozen=True)
class Figures:
    """Completion totals over a set of notices, counting each unit's latest notice only."""

    notices: int
    units_disclosed: int
    problems: int
    completed: int
    basically_completed: int
    in_progress: int
    not_completed: int

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.problems, 1) if self.problems else None


@dataclass(frozen=True)
class RoundStatus:
    round: Round
    groups: tuple[tuple[str, tuple[UnitStatus, ...]], ...]
    extra_notices: tuple[Notice, ...]  # public notices whose unit the round does not list
    figures: Figures

    @property
    def units(self) -> tuple[UnitStatus, ...]:
        return tuple(status for _, statuses in self.groups for status in statuses)

    @property
    def missing(self) -> tuple[UnitStatus, ...]:
        return tuple(status for status in self.units if not status.disclosed)

    @property
    def overdue(self) -> tuple[UnitStatus, ...]:
        return tuple(status for status in self.units if status.overdue)


def effective_counts(notice: Notice) -> Counts:
    """The notice's figures: what it states, completed by what its problem tree shows."""
    stated, derived = notice.counts, notice.derived_counts
    merged = {name: value if value is not None else getattr(derived, name) for name, value in stated.as_dict().items()}
    return Counts(**merged)  # type: ignore[arg-type]


def figures(notices: Iterable[Notice]) -> Figures:
    latest = latest_by_unit(notices)
    totals: dict[str, int] = defaultdict(int)
    for notice in latest.values():
        counts = effective_counts(notice)
        total = counts.specific_problems if counts.specific_problems is not None else counts.problems
        totals["problems"] += total or 0
        for name in ("completed", "basically_completed", "in_progress", "not_completed"):
            totals[name] += getattr(counts, name) or 0
    all_notices = list(notices) if not isinstance(notices, (list, tuple)) else notices
    return Figures(
        notices=len(all_notices),
        units_disclosed=len(latest),
        problems=totals["problems"],
        completed=totals["completed"],
        basically_completed=totals["basically_completed"],
        in_progress=totals["in_progress"],
        not_completed=totals["not_completed"],
    )


def latest_by_unit(notices: Iterable[Notice]) -> dict[tuple[str, str], Notice]:
    """Each (round, unit)'s latest notice, by notice date then publication."""
    latest: dict[tuple[str, str], Notice] = {}
    for notice in notices:
        key = (notice.round_id, unit_key(notice.unit))
        if key not in latest or (notice.notice_date, notice.published) > (
            latest[key].notice_date,
            latest[key].published,
        ):
            latest[key] = notice
    return latest


def round_status(round_: Round, public: Iterable[Notice], settings: Settings, today: date) -> RoundStatus:
    """Disclosure status of every unit ``round_`` lists, from the notices public at ``today``."""
    mine = sorted((n for n in public if n.round_id == round_.id), key=lambda n: (n.notice_date, n.published, n.id))
    by_unit: dict[str, list[Notice]] = defaultdict(list)
    extra: list[Notice] = []
    for notice in mine:
        ref = round_.find_unit(notice.unit)
        if ref is None:
            extra.append(notice)
        else:
            by_unit[unit_key(ref.name)].append(notice)
    groups = []
    for group in round_.groups:
        statuses = []
        for unit in group.units:
            notices = tuple(by_unit.get(unit_key(unit.name), ()))
            feedback = unit.feedback_date or round_.feedback_date
            days = (today - feedback).days if feedback else None
            due = feedback + timedelta(days=settings.deadline_days + settings.grace_days) if feedback else None
            overdue = not notices and due is not None and today > due
            statuses.append(UnitStatus(unit, notices, feedback, days, due, overdue))
        groups.append((group.name, tuple(statuses)))
    return RoundStatus(round_, tuple(groups), tuple(extra), figures(mine))
