"""The home page."""

from __future__ import annotations

from dataclasses import dataclass

from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.routes import (
    FEEDBACK,
    ROUNDS,
    SEARCH,
    SITEMAP,
    join_url,
)
from xuncha_site.views.round import RoundSummary, round_summary
from xuncha_site.views.widgets import (
    ContactCard,
    Fact,
    NoticeItem,
    notice_item,
    office_card,
)

LATEST_ON_HOME = 10


@dataclass(frozen=True)
class HomeView:
    latest: tuple[NoticeItem, ...]
    rounds: tuple[RoundSummary, ...]
    headline: tuple[Fact, ...]
    coverage: str  # which notices the completion figure covers
    office: ContactCard
    rounds_url: str
    feedback_url: str
    search_url: str
    sitemap_url: str


def home_view(catalogue: Catalogue, base: str) -> HomeView:
    statuses = list(catalogue.statuses.values())
    totals = catalogue.totals
    rate = totals.completion_rate
    headline: tuple[Fact, ...] = (
        Fact("巡察轮次", f"{len(catalogue.rounds)}轮", join_url(base, ROUNDS)),
        Fact("被巡察单位", f"{sum(1 for entry in catalogue.units.values() if entry.memberships)}个"),
        Fact("已公开通报", f"{len(catalogue.notices)}篇"),
        Fact("尚未公开（未到期限）", f"{sum(len(s.pending) for s in statuses)}个单位"),
        Fact("逾期未公开", f"{sum(len(s.overdue) for s in statuses)}个单位"),
    )
    if totals.counted:
        headline += (
            Fact("反馈问题已完成整改", f"{totals.completed}/{totals.problems}个"),
            Fact("完成率", "—" if rate is None else f"{rate:g}%"),  # a tile of its own, as on the round cards
        )
    return HomeView(
        latest=tuple(notice_item(catalogue, n, base) for n in catalogue.notices[:LATEST_ON_HOME]),
        rounds=tuple(round_summary(catalogue.statuses[r.id], base) for r in catalogue.rounds_newest_first),
        headline=headline,
        coverage=totals.coverage,
        office=office_card(catalogue.settings.office),
        rounds_url=join_url(base, ROUNDS),
        feedback_url=join_url(base, FEEDBACK),
        search_url=join_url(base, SEARCH),
        sitemap_url=join_url(base, SITEMAP),
    )
