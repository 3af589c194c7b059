"""The catalogue: every lookup that pages, feeds, open data and search share, computed once per build."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from xuncha_site.core.model import Corpus, Notice, Round, Settings, newest_first, unit_key
from xuncha_site.core.pinyin import lazy_pinyin
from xuncha_site.core.stats import Figures, RoundStatus, UnitStatus, figures, round_status
from xuncha_site.core.themes import ThemeIndex, build_theme_index
from xuncha_site.core.tracking import Tracker, unit_trackers


# Cached: every round's feedback list, the units index and the site map sort the same unit names.
@functools.lru_cache(maxsize=65536)
def name_order(name: str) -> tuple[str, ...]:
    """Sort key for unit names in the order Chinese readers expect: by pinyin (中共 prefixes ignored)."""
    return tuple(lazy_pinyin(unit_key(name)))


@dataclass(frozen=True)
class UnitEntry:
    """One inspected unit across rounds: where it was inspected and what it published."""

    slug: str
    name: str
    memberships: tuple[tuple[RoundStatus, UnitStatus], ...]  # newest round first
    notices: tuple[Notice, ...]  # newest first


@dataclass(frozen=True)
class Catalogue:
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
    themes: ThemeIndex = field(default_factory=ThemeIndex)  # common problems (共性问题) of the public notices
    trackers: dict[str, Tracker] = field(default_factory=dict)  # unit slug → its problems across its public notices


def build_catalogue(
    corpus: Corpus, build_time: datetime, previous: Catalogue | None = None, *, incremental: bool = False
) -> Catalogue:
    """Everything that pages look up, from the notices public at ``build_time`` only (``previous``: the catalogue
    of an earlier load of the same site, whose trackers of unchanged units, statuses of unchanged rounds and theme
    matches of unchanged notices are kept; ``incremental``: a catalogue that a later one will be made from)."""
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
    ordered = newest_first(corpus.rounds.values())
    statuses = {r.id: _round_status(r, in_round.get(r.id, ()), settings, today, previous) for r in ordered}
    units = _units(ordered, statuses, public)
    known = _matched(previous, public, corpus)
    return Catalogue(
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
        themes=build_theme_index(
            public,
            ordered,
            corpus.themes,
            name_order,
            known,
            (previous.themes.listed if previous is not None and known is not None else {}) if incremental else None,
            previous.themes if previous is not None and known is not None and incremental else None,
        ),
        trackers=unit_trackers(public, previous.trackers if previous else None),  # units with 2 public notices+
    )


def _round_status(
    round_: Round, notices: tuple[Notice, ...], settings: Settings, today: date, previous: Catalogue | None
) -> RoundStatus:
    """The round's status; ``previous``'s when it was made of the very same round and notices, the same day."""
    if previous is not None and previous.rounds.get(round_.id) is round_:
        before = previous.in_round.get(round_.id, ())
        status = previous.statuses.get(round_.id)
        same = len(before) == len(notices) and all(a is b for a, b in zip(before, notices, strict=True))
        if status is not None and same and previous.today == today and previous.settings == settings:
            return status
    return round_status(round_, notices, settings, today)


def _matched(
    previous: Catalogue | None, public: tuple[Notice, ...], corpus: Corpus
) -> dict[str, dict[int, tuple[str, ...]]] | None:
    """The problem themes of ``previous`` for the notices it had (the very same objects), under the same themes."""
    if previous is None or tuple(entry.theme for entry in previous.themes.entries) != tuple(corpus.themes):
        return None
    before = {notice.id: notice for notice in previous.notices}
    found = previous.themes.problems
    return {n.id: found[n.id] for n in public if before.get(n.id) is n and n.id in found}


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
