"""Pieces that several page views share: links, facts, badges, contact cards, notice items, header and footer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.contact import tel_href
from xuncha_site.core.model import Contact, Notice, Office, Problem, Status
from xuncha_site.core.routes import (
    ABOUT,
    DISCLOSURE,
    FEED_FILES,
    FEEDBACK,
    HOME,
    ICP_URL,
    MEMBER_SEARCH_LIST,
    MEMBERS,
    OPEN_DATA_PAGE,
    ROUNDS,
    SEARCH,
    SEARCH_ASSETS,
    SEARCH_DIR,
    SITEMAP,
    THEME_ASSETS,
    THEMES,
    UNITS,
    join_url,
    notice_url,
)
from xuncha_site.core.text import cn_date, cn_datetime

NAV: tuple[tuple[str, str], ...] = (
    ("首页", HOME),
    ("巡察轮次", ROUNDS),
    ("被巡察单位", UNITS),
    ("成员站点", MEMBERS),
    ("共性问题", THEMES),
    ("监督举报", FEEDBACK),
    ("搜索", SEARCH),
    ("网站地图", SITEMAP),
    ("关于本站", ABOUT),
)

STATUS_TONES: dict[Status, str] = {
    Status.COMPLETED: "completed",
    Status.BASICALLY_COMPLETED: "basically",
    Status.IN_PROGRESS: "progress",
    Status.LONG_TERM: "long",
    Status.NOT_COMPLETED: "not",
    Status.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str
    source: str = ""  # for a status: where the notice states it (line, title, category); see core.model.Problem
    note: str = ""  # the site's note on where the word comes from (title attribute)


@dataclass(frozen=True)
class ContactCard:
    """Ways to reach someone, each ready as a link where one exists (``tel:``, ``mailto:``)."""

    title: str
    phones: tuple[Link, ...] = ()
    emails: tuple[Link, ...] = ()
    hotline: Link | None = None
    mailbox: str = ""
    address: str = ""
    postcode: str = ""
    hours: str = ""
    website: Link | None = None

    def is_empty(self) -> bool:
        return not (self.phones or self.emails or self.hotline or self.mailbox or self.address or self.website)


@dataclass(frozen=True)
class NoticeItem:
    """A notice in a list: enough to recognise it and follow the link."""

    title: str
    url: str
    unit: str
    round_name: str
    stage: str
    date: str  # 落款日期
    published: str
    published_iso: str


@dataclass(frozen=True)
class SiteView:
    """What the header and footer of every page show."""

    name: str
    owner: str
    nav: tuple[Link, ...]
    home_url: str
    search_url: str
    rounds_url: str
    sitemap_url: str
    about_url: str
    feedback_url: str
    open_data_url: str
    disclosure_url: str
    feed_url: str
    style_url: str  # the theme's own style sheet and script
    script_url: str
    search_bundle_url: str  # the search page's Pagefind bundle, script and style
    search_script_url: str
    search_style_url: str
    members_search_url: str  # an aggregator's list of member search bundles; empty on other sites
    office: ContactCard
    icp: str
    icp_url: str
    police_beian: str
    site_code: str


def phone_links(phones: Iterable[str]) -> tuple[Link, ...]:
    return tuple(Link(phone, tel_href(phone)) for phone in phones)


def email_links(emails: Iterable[str]) -> tuple[Link, ...]:
    return tuple(Link(email, f"mailto:{email}") for email in emails)


def contact_card(contact: Contact, title: str) -> ContactCard:
    return ContactCard(
        title=title,
        phones=phone_links(contact.phones),
        emails=email_links(contact.emails),
        mailbox=contact.mailbox,
        address=contact.address,
        postcode=contact.postcode,
    )


def office_card(office: Office) -> ContactCard:
    return ContactCard(
        title=office.name or "信访举报",
        phones=phone_links(office.phones),
        emails=email_links(office.emails),
        hotline=Link(office.hotline, tel_href(office.hotline)) if office.hotline else None,
        mailbox=office.mailbox,
        address=office.address,
        postcode=office.postcode,
        hours=office.hours,
        website=Link(office.website, office.website) if office.website else None,
    )


def status_badge(problem: Problem, category: str = "") -> Badge | None:
    """The status in the notice's own words (立行立改, 阶段性完成); ``None`` when the notice states none.

    ``category`` is the heading a status of source "category" comes from, for the site's note beside the badge.
    """
    if problem.status is Status.UNKNOWN:
        return None
    note = f"完成情况见所属类别标题“{category}”" if problem.status_from == "category" and category else ""
    text = problem.status_text or problem.status.label
    return Badge(text, STATUS_TONES[problem.status], problem.status_from, note)


def nav_entries(catalogue: Catalogue) -> tuple[tuple[str, str], ...]:
    """The navigation of this site: NAV without 共性问题 when the site has no theme list (and so no theme pages), and
    without 成员站点 unless it aggregates member sites (settings ``members``)."""
    return tuple(
        (text, path)
        for text, path in NAV
        if (path != THEMES or catalogue.themes.entries) and (path != MEMBERS or catalogue.settings.members)
    )


def site_view(catalogue: Catalogue, site_name: str, base: str, current: str | None = None) -> SiteView:
    settings = catalogue.settings
    return SiteView(
        name=site_name,
        owner=settings.owner,
        nav=tuple(Link(text, join_url(base, path), path == current) for text, path in nav_entries(catalogue)),
        home_url=join_url(base, HOME),
        search_url=join_url(base, SEARCH),
        rounds_url=join_url(base, ROUNDS),
        sitemap_url=join_url(base, SITEMAP),
        about_url=join_url(base, ABOUT),
        feedback_url=join_url(base, FEEDBACK),
        open_data_url=join_url(base, OPEN_DATA_PAGE),
        disclosure_url=join_url(base, DISCLOSURE),
        feed_url=join_url(base, FEED_FILES["rss"]),
        style_url=join_url(base, f"{THEME_ASSETS}xuncha.css"),
        script_url=join_url(base, f"{THEME_ASSETS}xuncha.js"),
        search_bundle_url=join_url(base, f"{SEARCH_DIR}/"),
        search_script_url=join_url(base, f"{SEARCH_ASSETS}search.js"),
        members_search_url=join_url(base, MEMBER_SEARCH_LIST) if settings.members else "",
        search_style_url=join_url(base, f"{SEARCH_ASSETS}search.css"),
        office=office_card(settings.office),
        icp=settings.icp,
        icp_url=ICP_URL,
        police_beian=settings.police_beian,
        site_code=settings.site_code,
    )


def notice_item(catalogue: Catalogue, notice: Notice, base: str) -> NoticeItem:
    round_ = catalogue.rounds.get(notice.round_id)
    return NoticeItem(
        title=notice.title,
        url=notice_url(notice, base),
        unit=notice.unit,
        round_name=round_.name if round_ else notice.round_id,
        stage=notice.stage,
        date=cn_date(notice.notice_date),
        published=cn_datetime(notice.published),
        published_iso=notice.published.isoformat(),
    )


def crumbs(base: str, *trail: tuple[str, str]) -> tuple[Link, ...]:
    """首页 › … ; the last crumb is the current page (no URL)."""
    links = [Link("首页", join_url(base, HOME))]
    links += [Link(text, url) for text, url in trail[:-1]]
    if trail:
        links.append(Link(trail[-1][0], "", current=True))
    return tuple(links)
