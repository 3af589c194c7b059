"""sitemap.xml and robots.txt, dated by the notices rather than by the build.

``lastmod`` of a notice page is the day it was published (or last corrected); a page that lists notices (a round, a unit,
the home page) is as new as the newest notice it lists. Pages with no such date get no ``lastmod`` at all: a build date
there would change on every build and tell search engines nothing.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date
from urllib.parse import quote, urlsplit

from xuncha_site.core.model import Notice
from xuncha_site.core.routes import LISTING_PAGES, SITEMAP_FILE, join_url, notice_path, round_path, unit_path
from xuncha_site.outputs.open_data import notice_updated

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Pages that must not be indexed even if they are handed in.
_EXCLUDED = ("404.html", "404/")


def notice_lastmod(notice: Notice) -> date:
    """The day a notice's page last changed, in the site's time zone."""
    return notice_updated(notice).date()


def listed_dates(notices: Iterable[Notice]) -> dict[str, date]:
    """``lastmod`` for every page whose date follows from the notices, by site-relative URL."""
    dates: dict[str, date] = {}

    def bump(url: str, day: date) -> None:
        if url not in dates or dates[url] < day:
            dates[url] = day

    for notice in notices:
        day = notice_lastmod(notice)
        bump(notice_path(notice.round_id, notice.slug), day)
        bump(round_path(notice.round_id), day)
        bump(unit_path(notice.unit_slug), day)
        for url in LISTING_PAGES:
            bump(url, day)
    return dates


def site_relative(url: str, site_url: str) -> str:
    """A page URL as MkDocs gives it (``notices/a/b/``, ``./`` for the home page, ``/notices/a/b/`` or absolute)
    → ``notices/a/b/`` (``""`` for the home page)."""
    base_path = urlsplit(site_url).path if site_url else "/"
    parts = urlsplit(url)
    path = parts.path if (parts.scheme or url.startswith("/")) else url
    if path.startswith(base_path):
        path = path[len(base_path) :]
    path = path.lstrip("/")
    return "" if path in (".", "./") else path.removeprefix("./")


def render_sitemap(pages: Iterable[tuple[str, date | None]], notices: Iterable[Notice], site_url: str) -> str:
    """The sitemap of ``pages`` (URL, date or None); a missing date comes from what the page lists, if anything."""
    known = listed_dates(notices)
    entries: dict[str, date | None] = {}
    for url, day in pages:
        relative = site_relative(url, site_url)
        if relative.endswith(_EXCLUDED):
            continue
        days = [d for d in (day or known.get(relative), entries.get(relative)) if d is not None]
        entries[relative] = max(days) if days else None
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for relative, lastmod in sorted(entries.items()):
        item = ET.SubElement(root, "url")
        ET.SubElement(item, "loc").text = join_url(site_url, quote(relative, safe="/:@!$&'()*+,;=-._~%"))
        if lastmod is not None:
            ET.SubElement(item, "lastmod").text = lastmod.isoformat()
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with a zero timestamp and no file name, so the same input always gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def render_robots(site_url: str) -> str:
    """robots.txt that allows everything and names the sitemap (only an absolute URL is valid there)."""
    lines = ["User-agent: *", "Disallow:"]
    if urlsplit(site_url).scheme:
        lines += ["", f"Sitemap: {join_url(site_url, SITEMAP_FILE)}"]
    return "\n".join(lines) + "\n"
