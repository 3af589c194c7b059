"""The rounds index, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.text import cn_date
from xuncha_site.views.round import RoundSummary, deadline_text, round_summary
from xuncha_site.views.widgets import (
    Link,
    crumbs,
)


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
