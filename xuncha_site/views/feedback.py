"""The feedback page: the office's channels, then each unit's."""

from __future__ import annotations

from dataclasses import dataclass

from xuncha_site.core.catalogue import Catalogue, name_order
from xuncha_site.core.routes import (
    round_url,
    unit_url,
)
from xuncha_site.core.stats import latest_by_unit
from xuncha_site.views.widgets import (
    ContactCard,
    Link,
    NoticeItem,
    contact_card,
    crumbs,
    notice_item,
    office_card,
)


@dataclass(frozen=True)
class FeedbackUnit:
    unit: str
    unit_url: str
    notice: NoticeItem
    card: ContactCard
    filter_text: str  # what the filter box matches against


@dataclass(frozen=True)
class FeedbackRound:
    name: str
    url: str
    units: tuple[FeedbackUnit, ...]


@dataclass(frozen=True)
class FeedbackView:
    crumbs: tuple[Link, ...]
    office: ContactCard
    rounds: tuple[FeedbackRound, ...]


def feedback_view(catalogue: Catalogue, base: str) -> FeedbackView:
    """The office's channels first, then each unit's, from its latest public notice in each round."""
    rounds = []
    for round_ in catalogue.rounds_newest_first:
        latest = latest_by_unit(catalogue.in_round.get(round_.id, ()))
        units = []
        for notice in sorted(latest.values(), key=lambda n: name_order(n.unit)):
            if notice.contact.is_empty():
                continue
            card = contact_card(notice.contact, notice.unit)
            words = [notice.unit, round_.name, *notice.contact.phones, *notice.contact.emails, notice.contact.address]
            units.append(
                FeedbackUnit(
                    unit=notice.unit,
                    unit_url=unit_url(notice.unit_slug, base),
                    notice=notice_item(catalogue, notice, base),
                    card=card,
                    filter_text=" ".join(word for word in words if word),
                )
            )
        if units:
            rounds.append(FeedbackRound(round_.name, round_url(round_.id, base), tuple(units)))
    return FeedbackView(
        crumbs=crumbs(base, ("监督举报", "")),
        office=office_card(catalogue.settings.office),
        rounds=tuple(rounds),
    )
