"""Every address of the site, in one place: page URL patterns, fixed pages, feeds, open data, search and assets.

Paths here are site-relative (``rounds/2023-r1/``; ``""`` is the home page). Functions that take ``base`` format a
path for a link: ``base`` is the page's relative path to the site root as MkDocs gives it (``..``), a site URL
(``https://xuncha.example/``) or ``/``. Views hand templates the results; templates spell no URL.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xuncha_site.core.model import Notice

# Page patterns (directory URLs: MkDocs writes ``<path>index.html``).
NOTICE_URL = "notices/{round}/{slug}/"
ROUND_URL = "rounds/{round}/"
UNIT_URL = "units/{unit}/"
THEME_URL = "themes/{theme}/"
MEMBER_URL = "members/{member}/"  # an aggregator's page of one member site (federation)
THEME_ROUND_ANCHOR = "r-{round}"  # a theme page's section of one round: the round filter that works without script
NOTICES_DIR = "notices/"  # local attachments are published below it, beside their notice's page

# Fixed pages.
HOME = ""
ROUNDS = "rounds/"
UNITS = "units/"
THEMES = "themes/"  # 共性问题
MEMBERS = "members/"  # 成员站点: an aggregator's index of its member sites (federation)
FEEDBACK = "feedback/"
SEARCH = "search/"
SITEMAP = "sitemap/"
ABOUT = "about/"
OPEN_DATA_PAGE = "open-data/"  # the page that documents the open data (pages/open-data.md)
DISCLOSURE = "disclosure/"  # 公开及时性: every listed unit's first disclosure against its deadline

# Pages that list notices of every round (the sitemap dates them by their newest notice).
LISTING_PAGES = (HOME, ROUNDS, UNITS, THEMES, FEEDBACK, SITEMAP, DISCLOSURE)

# Files.
SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"
FEED_FILES: dict[str, str] = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
# Open-data files by export format; each JSON file has its schema beside it.
DATA_FILES: dict[str, str] = {
    "json": "data/notices.json",
    "csv": "data/notices.csv",
    "rounds": "data/rounds.json",
    "themes": "data/themes.json",
    "disclosure": "data/disclosure.json",
    "disclosure-csv": "data/disclosure.csv",
    "units": "data/units.json",
}
SCHEMA_FILES: dict[str, str] = {
    "notices.schema.json": "data/notices.schema.json",
    "rounds.schema.json": "data/rounds.schema.json",
    "themes.schema.json": "data/themes.schema.json",
    "disclosure.schema.json": "data/disclosure.schema.json",
    "units.schema.json": "data/units.schema.json",
}
SEARCH_DIR = "pagefind"  # the search bundle; the search page loads <SEARCH_DIR>/pagefind.js
MEMBER_SEARCH_DIR = "members/{member}/pagefind/"  # an aggregator's copy of a member's search bundle (federation)
MEMBER_SEARCH_LIST = "members/search.json"  # the member bundles that an aggregator's search page merges
SEARCH_ASSETS = "assets/search/"  # the search page's own script and style
THEME_ASSETS = "assets/xuncha/"  # the theme's script and style

# Addresses outside the site that every page may link to (never load from).
ICP_URL = "https://beian.miit.gov.cn/"


def join_url(base: str, path: str) -> str:
    """``path`` (site-relative) under ``base``: a page's relative root, a site URL, or ``/``."""
    return (base or "/").rstrip("/") + "/" + path


def member_path(member_id: str) -> str:
    return MEMBER_URL.format(member=member_id)


def member_url(member_id: str, base: str = "/") -> str:
    return join_url(base, member_path(member_id))


def member_search_path(member_id: str) -> str:
    return MEMBER_SEARCH_DIR.format(member=member_id)


def notice_path(round_id: str, slug: str) -> str:
    return NOTICE_URL.format(round=round_id, slug=slug)


def round_path(round_id: str) -> str:
    return ROUND_URL.format(round=round_id)


def unit_path(unit_slug: str) -> str:
    return UNIT_URL.format(unit=unit_slug)


def theme_path(slug: str) -> str:
    return THEME_URL.format(theme=slug)


def theme_url(slug: str, base: str = "/", round_id: str | None = None) -> str:
    """A theme's page, or its section of one round."""
    url = join_url(base, theme_path(slug))
    return f"{url}#{theme_round_anchor(round_id)}" if round_id else url


def theme_round_anchor(round_id: str) -> str:
    return THEME_ROUND_ANCHOR.format(round=round_id)


def notice_url(notice: Notice, base: str = "/") -> str:
    return join_url(base, notice_path(notice.round_id, notice.slug))


def round_url(round_id: str, base: str = "/") -> str:
    return join_url(base, round_path(round_id))


def unit_url(unit_slug: str, base: str = "/") -> str:
    return join_url(base, unit_path(unit_slug))


TRACKER_ANCHOR = "xc-tracker"  # the tracker section of a unit page; each row's anchor is its key (core/tracking.Row)


def tracker_row_url(unit_slug: str, row_key: str, base: str = "/") -> str:
    """A problem's row in its unit's tracker (the unit page)."""
    return f"{unit_url(unit_slug, base)}#{row_key}"


def round_feed_folder(round_id: str) -> str:
    """Where a round's feeds live: beside its page."""
    return round_path(round_id)


def attachment_path(round_id: str, href: str) -> str:
    """Where a local attachment is published: beside the round's notices, as it lies beside the record."""
    return posixpath.normpath(f"{NOTICES_DIR}{round_id}/{href}")


def source_path(url_path: str) -> str:
    """The generated source path of a directory URL: ``rounds/2023-r1/`` → ``rounds/2023-r1.md``, ``""`` →
    ``index.md``, ``rounds/`` → ``rounds/index.md``."""
    if url_path in (HOME, ROUNDS, UNITS, THEMES, MEMBERS):
        return f"{url_path}index.md"
    return url_path.rstrip("/") + ".md"


def output_path(src: str) -> str:
    """The output file of a generated page: ``rounds/2023-r1.md`` → ``rounds/2023-r1/index.html``."""
    stem = src.removesuffix(".md")
    return (
        f"{stem.removesuffix('index')}index.html"
        if stem == "index" or stem.endswith("/index")
        else f"{stem}/index.html"
    )
