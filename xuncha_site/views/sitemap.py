"""The site map page (网站地图)."""

from __future__ import annotations

from dataclasses import dataclass

from xuncha_site.core.catalogue import Catalogue, name_order
from xuncha_site.core.routes import (
    join_url,
    round_url,
    unit_url,
)
from xuncha_site.views.widgets import (
    Link,
    crumbs,
    nav_entries,
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
        pages=tuple(Link(text, join_url(base, path)) for text, path in nav_entries(catalogue)),
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
