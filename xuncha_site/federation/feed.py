"""The aggregator's feed of its members' newest notices (RSS, Atom and JSON Feed, in ``members/``).

Entries come from the members' open data only: title, publication date, issuer, round and stage as each member
states them, and the link to the notice on the member's own site. No summary: the aggregator does not copy notices.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from xuncha_site.core.routes import MEMBERS, join_url
from xuncha_site.federation.gather import MemberData
from xuncha_site.outputs.feeds import Feed, FeedEntry


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _link(url: Any, fallback: str) -> str:
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else fallback


def members_feed(members: list[MemberData], site_url: str, site_name: str, size: int, fallback: datetime) -> Feed:
    """The newest ``size`` notices of all members, newest first (ties by member order, then the member's id)."""
    entries: list[tuple[datetime, int, str, FeedEntry]] = []
    for order, data in enumerate(members):
        for notice in data.notices:
            published = _moment(notice.get("published"))
            if published is None:
                continue
            round_name = str((notice.get("round") or {}).get("name", ""))
            categories = (data.member.name, round_name, str(notice.get("stage") or ""))
            entry = FeedEntry(
                url=_link(notice.get("url"), data.member.url),
                title=str(notice.get("title", "")),
                summary="",
                published=published,
                updated=published,
                author=str(notice.get("issuer") or data.member.name),
                categories=tuple(dict.fromkeys(c for c in categories if c)),
            )
            entries.append((published, -order, str(notice.get("id", "")), entry))
    entries.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    chosen = tuple(entry for *_, entry in entries[:size])
    name = site_name or "联合站点"
    return Feed(
        title=f"{name} · 各成员站点最新通报",
        description="各成员站点最新发布的巡察整改进展情况通报（通报全文在各成员站点上）",
        home_url=join_url(site_url, MEMBERS),
        folder=MEMBERS,
        site_url=site_url,
        author=name,
        updated=max((entry.updated for entry in chosen), default=fallback),
        entries=chosen,
    )
