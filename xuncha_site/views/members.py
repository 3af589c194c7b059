"""An aggregator's pages of its member sites (federation, issue 23): the index and one page per member.

Everything shown comes from what each member publishes (its open data, checked against the schemas by
:mod:`xuncha_site.federation.gather`); it is plain text, printed by autoescaped templates. Notices are not copied:
each links to the member's own page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from xuncha_site.core.disclosure import SHARE_RULE, DisclosureTotals, Timeliness, verdict
from xuncha_site.core.model import Member
from xuncha_site.core.routes import DATA_FILES, FEED_FILES, MEMBERS, join_url, member_url
from xuncha_site.core.stats import Figures
from xuncha_site.core.text import cn_date
from xuncha_site.federation.gather import FIGURE_KEYS, MemberData, disclosure_totals
from xuncha_site.views.disclosure import DisclosureLine, DisclosureRound, totals_text
from xuncha_site.views.round import COMPLETION_LABELS, COMPLETION_RULE
from xuncha_site.views.widgets import Link, crumbs

TITLE = "成员站点"
DISCLOSURE_KEYS = ("units", "on_time", "late", "pending", "overdue", "unknown")  # DisclosureTotals' fields


@dataclass(frozen=True)
class MemberNotice:
    title: str
    url: str  # the notice's page on the member's site
    unit: str
    round: str
    published: str  # Chinese date


@dataclass(frozen=True)
class MemberDisclosure:
    """A member's disclosure timeliness as its data/disclosure.json states it (checked to add up when gathered)."""

    totals: DisclosureTotals
    share: str  # its share on time, ``60.0%``, or ``—`` when no unit is decided
    as_of: str  # its figures are as of this date (its build date)
    deadline: str  # its own deadline rule: ``反馈后 30 天`` (plus its grace days)
    text: str  # ``共 5 个单位：按时公开 3 个……；按时公开率 60.0%``


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
    disclosure: MemberDisclosure | None  # None: the member publishes no data/disclosure.json (an older version)
    completion: Figures  # the sums of its rounds' completion figures (rounds.json, checked against notices.json)


@dataclass(frozen=True)
class MembersView:
    crumbs: tuple[Link, ...]
    members: tuple[MemberSummary, ...]
    notices: int
    units: int  # sums of the members' own counts: each member counts every unit of its rounds
    disclosed: int
    overdue: int
    feed_url: str  # all members' newest notices (federation/feed.py)
    states: tuple[str, ...]  # the column heads of the disclosure table: core/disclosure.py's labels
    disclosure: DisclosureTotals  # sums of the counts of the members that publish disclosure.json
    disclosure_share: str
    disclosure_text: str
    disclosure_members: int  # members counted in those sums
    disclosure_rule: str  # how the share of the sums is derived
    disclosure_source: str  # the file the members' figures come from
    completion: Figures  # sums of the members' completion figures
    completion_rows: tuple[tuple[Link, Figures], ...]  # each member (its page here) and its sums
    completion_labels: tuple[tuple[str, str], ...]  # (Figures field, column head): core/round.py's categories
    completion_rule: str
    completion_coverage: str  # which notices the figures cover, which not and why
    left_out: tuple[str, ...]  # members configured but not gathered (neither read nor cached): in no figure


@dataclass(frozen=True)
class MemberView:
    crumbs: tuple[Link, ...]
    member: MemberSummary
    notices: tuple[MemberNotice, ...]
    disclosure_rule: str
    disclosure_source: str
    rounds: tuple[DisclosureRound, ...]  # the member's disclosure.json, round by round (empty without one)
    completion_rows: tuple[tuple[Link, Figures], ...]  # each round (its page on the member's site) as stated
    completion_labels: tuple[tuple[str, str], ...]
    completion_rule: str
    completion_coverage: str


def _safe_link(url: Any, fallback: str) -> str:
    """A member's link only if it is a plain web address (never ``javascript:`` or the like)."""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else fallback


def newest_first(data: MemberData) -> list[dict[str, Any]]:
    return sorted(data.notices, key=lambda n: (n.get("published") or "", n.get("id") or ""), reverse=True)


def _date(value: Any) -> str:
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


def summed(parts: Iterable[Figures]) -> Figures:
    """Completion figures added up (each a count; the rate is derived from the sums by the one rule)."""
    listed = list(parts)
    return Figures(*(sum(getattr(part, f.name) for part in listed) for f in fields(Figures)))


def round_completion(round_: dict[str, Any]) -> Figures:
    """One round's completion figures as the member's rounds.json states them."""
    values = {name: round_["figures"][key] for key, name in FIGURE_KEYS.items()}
    return Figures(units_disclosed=values["counted"] + values["not_counted"], **values)


def member_completion(data: MemberData) -> Figures:
    """The member's completion figures over all its rounds: the sums of what its rounds.json states for each."""
    return summed(round_completion(round_) for round_ in data.rounds)


COMPLETION_LABELS_SHOWN = tuple((name, label) for name, label, _ in COMPLETION_LABELS)


def rate_text(figures: Figures) -> str:
    rate = figures.completion_rate
    return "—" if rate is None else f"{rate:g}%"


def completion_coverage(total: Figures, whose: str) -> str:
    """Which notices the summed figures cover and which they leave out, and why (Figures.coverage's sentence, with
    the earlier notices of a unit, which the rule leaves out too). ``whose``: ``3个成员站点``, ``该站点``."""
    if not total.notices:
        return f"{whose}还没有公开通报"
    coverage = total.coverage or "没有一篇通报写明完成情况"
    earlier = total.notices - total.units_disclosed
    older = f"；另有{earlier}篇是同一单位较早的通报，按规则只计每个单位最新一篇" if earlier else ""
    return f"{whose}共{total.notices}篇通报：{coverage}{older}"


def _share(totals: DisclosureTotals) -> str:
    return f"{totals.share_on_time:.1f}%" if totals.share_on_time is not None else "—"


def member_disclosure(data: MemberData) -> MemberDisclosure | None:
    stated = data.disclosure
    if stated is None:
        return None
    totals = disclosure_totals(stated["totals"])
    grace = f"，再加宽限 {stated['grace_days']} 天" if stated["grace_days"] else ""
    return MemberDisclosure(
        totals=totals,
        share=_share(totals),
        as_of=_date(stated["as_of"]),
        deadline=f"反馈后 {stated['deadline_days']} 天{grace}",
        text=totals_text(totals),
    )


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
        disclosure=member_disclosure(data),
        completion=member_completion(data),
    )


def members_view(members: list[MemberData], configured: tuple[Member, ...], base: str) -> MembersView:
    summaries = tuple(member_summary(data, base) for data in members)
    completion = summed(m.completion for m in summaries)
    gathered = {data.member for data in members}
    stated = [m.disclosure.totals for m in summaries if m.disclosure is not None]
    disclosed = DisclosureTotals(*(sum(getattr(t, key) for t in stated) for key in DISCLOSURE_KEYS))
    return MembersView(
        crumbs=crumbs(base, (TITLE, "")),
        members=summaries,
        notices=sum(len(data.notices) for data in members),
        units=sum(m.units for m in summaries),
        disclosed=sum(m.disclosed for m in summaries),
        overdue=sum(m.overdue for m in summaries),
        feed_url=join_url(base, MEMBERS + FEED_FILES["rss"]),
        states=tuple(state.label for state in Timeliness),
        disclosure=disclosed,
        disclosure_share=_share(disclosed),
        disclosure_text=totals_text(disclosed),
        disclosure_members=len(stated),
        disclosure_rule=SHARE_RULE,
        disclosure_source=DATA_FILES["disclosure"],
        completion=completion,
        completion_rows=tuple((Link(m.name, m.url), m.completion) for m in summaries),
        completion_labels=COMPLETION_LABELS_SHOWN,
        completion_rule=COMPLETION_RULE,
        completion_coverage=completion_coverage(completion, f"{len(summaries)}个成员站点"),
        left_out=tuple(member.name for member in configured if member not in gathered),
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
        disclosure_rule=SHARE_RULE,
        disclosure_source=DATA_FILES["disclosure"],
        rounds=member_rounds(data),
        completion_rows=tuple(
            (Link(str(r["name"]), _safe_link(r.get("url"), data.member.url)), round_completion(r)) for r in data.rounds
        ),
        completion_labels=COMPLETION_LABELS_SHOWN,
        completion_rule=COMPLETION_RULE,
        completion_coverage=completion_coverage(member_completion(data), "该站点"),
    )


def member_rounds(data: MemberData) -> tuple[DisclosureRound, ...]:
    """The member's disclosure.json round by round, linking to the member's own unit and notice pages."""
    stated = data.disclosure
    if stated is None:
        return ()
    site = data.member.url
    notice_links = {n.get("id"): n.get("url") for n in data.notices}
    rounds = []
    for number, round_ in enumerate(stated["rounds"], 1):
        lines = []
        for unit in round_["units"]:
            first = unit["first_notice"]
            published = _date(unit["first_published"])
            lines.append(
                DisclosureLine(
                    group=unit["group"],
                    unit=Link(unit["name"], _safe_link(unit["url"], site)),
                    feedback=_date(unit["feedback_date"]) or "—",
                    due=_date(unit["due_date"]) or "—",
                    first=Link(published, _safe_link(notice_links.get(first), site)) if first and published else None,
                    days_taken=f"{unit['days_taken']} 天" if unit["days_taken"] is not None else "—",
                    verdict=verdict(Timeliness(unit["state"]), unit["days_late"]),
                    tone=Timeliness(unit["state"]).value,
                )
            )
        rounds.append(
            DisclosureRound(
                Link(round_["name"], _safe_link(round_["url"], site)),
                f"r{number}",
                totals_text(disclosure_totals(round_["totals"])),
                tuple(lines),
            )
        )
    return tuple(rounds)
