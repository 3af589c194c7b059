"""A unit's page: the rounds that inspected it and every notice it published."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from xuncha_site.core.catalogue import Catalogue, UnitEntry
from xuncha_site.core.routes import (
    UNITS,
    join_url,
    round_url,
)
from xuncha_site.views.html import NO_HTML
from xuncha_site.views.round import UnitRow, unit_row
from xuncha_site.views.tracker import TrackerView, tracker_html, tracker_view
from xuncha_site.views.widgets import (
    Link,
    NoticeItem,
    crumbs,
    notice_item,
)


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
    tracker: TrackerView | None = None  # its problems across its notices, when it has two public notices or more
    tracker_html: Markup = NO_HTML  # the tracker as the page shows it (views.tracker.tracker_html)


def unit_view(catalogue: Catalogue, entry: UnitEntry, base: str) -> UnitView:
    """The unit's rounds, each with its status and notices; then any other notice of the unit: each notice once."""
    listed = {notice.id for _, unit in entry.memberships for notice in unit.notices}
    tracker = tracker_view(catalogue, entry.slug, base)
    return UnitView(
        name=entry.name,
        crumbs=crumbs(base, ("被巡察单位", join_url(base, UNITS)), (entry.name, "")),
        memberships=tuple(
            MembershipView(
                Link(status.round.name, round_url(status.round.id, base)),
                unit.unit.group,
                unit_row(catalogue, unit, base),
            )
            for status, unit in entry.memberships
        ),
        notices=tuple(notice_item(catalogue, n, base) for n in entry.notices if n.id not in listed),
        tracker=tracker,
        tracker_html=tracker_html(tracker) if tracker is not None else NO_HTML,
    )
