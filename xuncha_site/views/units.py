"""The index of inspected units."""

from __future__ import annotations

from dataclasses import dataclass

from xuncha_site.core.catalogue import Catalogue, name_order
from xuncha_site.core.routes import (
    unit_url,
)
from xuncha_site.views.widgets import (
    Link,
    crumbs,
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
