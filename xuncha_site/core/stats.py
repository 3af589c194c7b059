"""Figures computed once per build: disclosure status per round and unit, completion totals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from xuncha_site.core.model import Counts, Notice, Round, Settings, UnitRef, completion_rate, unit_key


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


STATUS_FIELDS: tuple[str, ...] = ("completed", "basically_completed", "in_progress", "long_term", "not_completed")


@dataclass(frozen=True)
class Completion:
    """How far one notice says its problems are fixed: stated figures, or a complete derivation (docs/记录格式.md).

    ``total`` is the notice's own most specific total (具体问题数, else 问题数) when stated, else the number of leaves
    of its problem tree; ``unsplit`` is the part of a stated total that the notice does not split by status.
    """

    source: str  # "stated" | "derived"
    total: int
    completed: int
    basically_completed: int
    in_progress: int
    long_term: int
    not_completed: int
    unsplit: int


def stated_total(counts: Counts) -> int | None:
    """The total a notice's stated completion figures count against: 具体问题数, else 问题数."""
    return counts.specific_problems if counts.specific_problems is not None else counts.problems


class Counted(Protocol):
    """What the completion figures read of a notice: a record's :class:`Notice`, or a notice of another site's open
    data (``data/notices.json``: ``counts`` and ``derived_counts``), which an aggregator checks them against."""

    @property
    def round_id(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def notice_date(self) -> date: ...
    @property
    def published(self) -> datetime: ...
    @property
    def counts(self) -> Counts: ...
    @property
    def derived_counts(self) -> Counts: ...


N = TypeVar("N", bound=Counted)


def completion(notice: Counted) -> Completion | None:
    """The notice's completion, or ``None`` when it neither states it nor states every item's status.

    Stated wins: a notice that states its total and how many are completed is counted by its own figures. Otherwise,
    when every leaf of its problem tree has a stated status, by those statuses (the derived counts, all ``None``
    unless the derivation is complete). Otherwise it is not counted anywhere.
    """
    stated = notice.counts
    total = stated_total(stated)
    if total and stated.completed is not None:
        parts = {name: getattr(stated, name) or 0 for name in STATUS_FIELDS}
        return Completion("stated", total, **parts, unsplit=max(total - sum(parts.values()), 0))
    derived = notice.derived_counts
    if derived.problems is not None:
        parts = {name: getattr(derived, name) or 0 for name in STATUS_FIELDS}
        return Completion("derived", derived.problems, **parts, unsplit=0)
    return None


@dataclass(frozen=True)
class Figures:
    """Completion totals over a set of notices: each unit's latest notice, if its completion is known.

    ``counted`` latest notices state their completion or every item's status; ``not_counted`` do not and are left out
    of every figure below (and the reader is told so beside them).
    """

    notices: int
    units_disclosed: int
    counted: int
    not_counted: int
    problems: int
    completed: int
    basically_completed: int
    in_progress: int
    long_term: int
    not_completed: int
    unsplit: int

    @property
    def completion_rate(self) -> float | None:
        return completion_rate(self.completed, self.problems)

    @property
    def coverage(self) -> str:
        """The sentence beside every completion figure: which notices it covers and which it leaves out."""
        if not self.units_disclosed:
            return ""
        if not self.counted:
            return f"已公开的{self.not_counted}篇通报都没有写明完成情况，不计算完成率"
        left = f"，另有{self.not_counted}篇未写明，未计入" if self.not_counted else ""
        return f"完成率按{self.counted}篇写明完成情况的通报计算{left}"


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

    @property
    def pending(self) -> tuple[UnitStatus, ...]:
        """Not yet disclosed and not overdue (尚未公开（未到期限）): with disclosed and overdue, adds up to all units."""
        return tuple(status for status in self.units if not status.disclosed and not status.overdue)


def figures(notices: Iterable[Counted]) -> Figures:
    all_notices = list(notices)
    latest = latest_by_unit(all_notices)
    totals: dict[str, int] = defaultdict(int)
    counted = 0
    for notice in latest.values():
        known = completion(notice)
        if known is None:
            continue
        counted += 1
        totals["problems"] += known.total
        for name in (*STATUS_FIELDS, "unsplit"):
            totals[name] += getattr(known, name)
    return Figures(
        notices=len(all_notices),
        units_disclosed=len(latest),
        counted=counted,
        not_counted=len(latest) - counted,
        problems=totals["problems"],
        completed=totals["completed"],
        basically_completed=totals["basically_completed"],
        in_progress=totals["in_progress"],
        long_term=totals["long_term"],
        not_completed=totals["not_completed"],
        unsplit=totals["unsplit"],
    )


def latest_by_unit(notices: Iterable[N]) -> dict[tuple[str, str], N]:
    """Each (round, unit)'s latest notice, by notice date then publication."""
    latest: dict[tuple[str, str], N] = {}
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
