"""An aggregator's pages of its member sites (federation, issue 23): the index and one page per member.

Everything shown comes from what each member publishes (its open data, checked against the schemas by
:mod:`xuncha_site.federation.gather`); it is plain text, printed by autoescaped templates. Notices are not copied:
each links to the member's own page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xuncha_site.core.routes import FEED_FILES, MEMBERS, join_url, member_url
from xuncha_site.core.text import cn_date
from xuncha_site.federation.gather import MemberData
from xuncha_site.views.widgets import Link, crumbs

TITLE = "成员站点"


@dataclass(frozen=True)
class MemberNotice:
    title: str
    url: str  # the notice's page on the member's site
    unit: str
    round: str
    published: str  # Chinese date


@dataclass(frozen=True)
class MemberSummary:
    name: str
    url: str  # the member's page on this site
    site: str  # the member's own site
    rounds: int
    notices: int
    updated: str  # the date of its newest notice, as its data states it
    units: int  # inspected units over all its rounds (a unit inspected twice counts twice), as its rounds.json lists
    disclosed: int  # of them, those whose disclosure the member's data states
    overdue: int  # of them, those the member's data marks overdue
    as_of: str  # the member's figures are as of this date (its build date)
    stale: bool  # shown from the last good copy: the member could not be read this time


@dataclass(frozen=True)
class MembersView:
    crumbs: tuple[Link, ...]
    members: tuple[MemberSummary, ...]
    notices: int
    units: int  # sums of the members' own counts: each member counts every unit of its rounds
    disclosed: int
    overdue: int
    feed_url: str  # all members' newest notices (federation/feed.py)


@dataclass(frozen=True)
class MemberView:
    crumbs: tuple[Link, ...]
    member: MemberSummary
    notices: tuple[MemberNotice, ...]


def _safe_link(url: Any, fallback: str) -> str:
    """A member's link only if it is a plain web address (never ``javascript:`` or the like)."""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else fallback


def newest_first(data: MemberData) -> list[dict[str, Any]]:
    return sorted(data.notices, key=lambda n: (n.get("published") or "", n.get("id") or ""), reverse=True)


def _date(value: Any) -> str:
    from datetime import date

    try:
        return cn_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return ""


def _units(data: MemberData) -> list[dict[str, Any]]:
    """Every inspected unit of every round the member lists (from its groups: the unit's own stated flags)."""
    return [
        unit
        for round_ in data.rounds
        for group in round_.get("groups") or []
        for unit in group.get("units") or []
        if isinstance(unit, dict)
    ]


def member_summary(data: MemberData, base: str) -> MemberSummary:
    notices = newest_first(data)
    units = _units(data)
    return MemberSummary(
        name=data.member.name,
        url=member_url(data.member.id, base),
        site=data.member.url,
        rounds=len(data.rounds),
        notices=len(notices),
        updated=_date(notices[0].get("published")) if notices else "",
        units=len(units),
        disclosed=sum(1 for unit in units if unit.get("disclosed") is True),
        overdue=sum(1 for unit in units if unit.get("overdue") is True),
        as_of=_date(data.files["rounds"].get("as_of")),
        stale=not data.fresh,
    )


def members_view(members: list[MemberData], base: str) -> MembersView:
    summaries = tuple(member_summary(data, base) for data in members)
    return MembersView(
        crumbs=crumbs(base, (TITLE, "")),
        members=summaries,
        notices=sum(len(data.notices) for data in members),
        units=sum(m.units for m in summaries),
        disclosed=sum(m.disclosed for m in summaries),
        overdue=sum(m.overdue for m in summaries),
        feed_url=join_url(base, MEMBERS + FEED_FILES["rss"]),
    )


def member_view(data: MemberData, base: str) -> MemberView:
    return MemberView(
        crumbs=crumbs(base, (TITLE, join_url(base, MEMBERS)), (data.member.name, "")),
        member=member_summary(data, base),
        notices=tuple(
            MemberNotice(
                title=str(n.get("title", "")),
                url=_safe_link(n.get("url"), data.member.url),
                unit=str(n.get("unit", "")),
                round=str((n.get("round") or {}).get("name", "")),
                published=_date(n.get("published")),
            )
            for n in newest_first(data)
        ),
    )
