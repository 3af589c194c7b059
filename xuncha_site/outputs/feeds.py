"""Feeds of the newest notices: RSS 2.0, Atom 1.0 and JSON Feed 1.1, site-wide and per round.

A :class:`Feed` is built from the model first and rendered to each format second, so that every format carries the same
entries. Output is deterministic: no build timestamp anywhere (a feed is as new as its newest entry), entries in a fixed
order, XML written with a fixed layout.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, time
from email.utils import format_datetime

from xuncha_site.core.markdown import markdown_text
from xuncha_site.core.model import Notice, Round
from xuncha_site.core.routes import FEED_FILES, join_url, notice_url, round_feed_folder, round_url
from xuncha_site.outputs.open_data import notice_updated

FEED_TYPES: dict[str, str] = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
FEED_NAMES: dict[str, str] = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
LANGUAGE = "zh-CN"
GENERATOR = "xuncha-site"
SUMMARY_LIMIT = 300  # characters; a preamble is rarely longer, the rest of a notice is on its page

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

# Characters that XML 1.0 forbids; a stray one in a record must not make a feed unreadable.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedEntry:
    """One notice as every feed format shows it."""

    url: str  # absolute; also the entry's permanent id
    title: str
    summary: str  # plain text
    published: datetime
    updated: datetime
    author: str  # the issuing organisation
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Feed:
    """A feed before rendering: its facts and its entries, newest first."""

    title: str
    description: str
    home_url: str  # absolute URL of the page the feed follows
    folder: str  # site-relative folder of the feed files: "" or "rounds/<id>/"
    site_url: str
    author: str
    updated: datetime
    entries: tuple[FeedEntry, ...]

    def path(self, fmt: str) -> str:
        """Site-relative path of the feed file in format ``fmt`` (rss, atom, json)."""
        return self.folder + FEED_FILES[fmt]

    def url(self, fmt: str) -> str:
        return join_url(self.site_url, self.path(fmt))


def summary_text(notice: Notice, limit: int = SUMMARY_LIMIT) -> str:
    """The notice's preamble as plain text (paragraphs on their own lines), shortened to ``limit`` characters."""
    source = notice.preamble.strip() or next((part.body for part in notice.parts if part.body.strip()), "")
    text = markdown_text(source)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or notice.title


def feed_entry(notice: Notice, rounds: dict[str, Round], site_url: str) -> FeedEntry:
    """A notice as a feed entry."""
    round_ = rounds.get(notice.round_id)
    categories = (round_.name if round_ else notice.round_id, notice.stage)
    return FeedEntry(
        url=notice_url(notice, site_url),
        title=notice.title,
        summary=summary_text(notice),
        published=notice.published,
        updated=notice_updated(notice),
        author=notice.issuer,
        categories=tuple(dict.fromkeys(c for c in categories if c)),
    )


@dataclass(frozen=True)
class Channel:
    """What every feed of a site shares."""

    site_url: str
    site_name: str
    author: str  # the site owner (主办单位)
    fallback: datetime  # dates a feed with no entries: the build time, fixed by SOURCE_DATE_EPOCH


def site_feed(channel: Channel, entries: tuple[FeedEntry, ...], description: str = "") -> Feed:
    """The site-wide feed."""
    name = channel.site_name or "巡察整改进展情况通报"
    return Feed(
        title=f"{name} · 最新通报",
        description=description or "最新发布的巡察整改进展情况通报",
        home_url=join_url(channel.site_url, ""),
        folder="",
        site_url=channel.site_url,
        author=channel.author or name,
        updated=_updated(entries, channel.fallback),
        entries=entries,
    )


def round_feed(channel: Channel, round_: Round, entries: tuple[FeedEntry, ...]) -> Feed:
    """The feed of one round; an empty one is dated by the round's feedback date when known."""
    known = round_.feedback_date or round_.inspection_end or round_.inspection_start
    fallback = channel.fallback if known is None else datetime.combine(known, time(0), channel.fallback.tzinfo)
    return Feed(
        title=f"{round_.name}整改通报" + (f" · {channel.site_name}" if channel.site_name else ""),
        description=f"{round_.committee}{round_.name}各被巡察党组织的整改进展情况通报",
        home_url=round_url(round_.id, channel.site_url),
        folder=round_feed_folder(round_.id),
        site_url=channel.site_url,
        author=channel.author or channel.site_name or round_.committee or round_.name,
        updated=_updated(entries, fallback),
        entries=entries,
    )


def _updated(entries: tuple[FeedEntry, ...], fallback: datetime) -> datetime:
    # A feed is as new as its newest entry, never as new as the build: rebuilding must not change it.
    return max((entry.updated for entry in entries), default=fallback)


def render(feed: Feed) -> dict[str, str]:
    """Every format of ``feed``, by site-relative path."""
    return {
        feed.path("rss"): render_rss(feed),
        feed.path("atom"): render_atom(feed),
        feed.path("json"): render_json(feed),
    }


def render_rss(feed: Feed) -> str:
    """RSS 2.0 (https://www.rssboard.org/rss-specification), with an atom:link to itself."""
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS, "xmlns:dc": DC_NS})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", feed.title)
    _text(channel, "link", feed.home_url)
    _text(channel, "description", feed.description)
    _text(channel, "language", LANGUAGE)
    _text(channel, "lastBuildDate", format_datetime(feed.updated))
    _text(channel, "generator", GENERATOR)
    _text(channel, "docs", "https://www.rssboard.org/rss-specification")
    ET.SubElement(channel, "atom:link", {"href": feed.url("rss"), "rel": "self", "type": FEED_TYPES["rss"]})
    for entry in feed.entries:
        item = ET.SubElement(channel, "item")
        _text(item, "title", entry.title)
        _text(item, "link", entry.url)
        _text(item, "guid", entry.url, isPermaLink="true")
        _text(item, "pubDate", format_datetime(entry.published))
        # RSS reads an item's description as HTML: the plain-text summary is escaped, so that "<" in a record
        # (entity-encoded in the record, or in a code span) is shown as "<" and never becomes a tag.
        _text(item, "description", html.escape(entry.summary, quote=False))
        _text(item, "dc:creator", entry.author)
        for category in entry.categories:
            _text(item, "category", category)
    return _xml(rss)


def render_atom(feed: Feed) -> str:
    """Atom 1.0 (RFC 4287)."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": LANGUAGE})
    _text(root, "id", feed.url("atom"))
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.description)
    _text(root, "updated", feed.updated.isoformat())
    ET.SubElement(root, "link", {"rel": "self", "type": FEED_TYPES["atom"], "href": feed.url("atom")})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": feed.home_url})
    author = ET.SubElement(root, "author")
    _text(author, "name", feed.author)
    _text(root, "generator", GENERATOR)
    for entry in feed.entries:
        item = ET.SubElement(root, "entry")
        _text(item, "id", entry.url)
        _text(item, "title", entry.title)
        _text(item, "updated", entry.updated.isoformat())
        _text(item, "published", entry.published.isoformat())
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html", "href": entry.url})
        author = ET.SubElement(item, "author")
        _text(author, "name", entry.author)
        _text(item, "summary", entry.summary, type="text")
        for category in entry.categories:
            ET.SubElement(item, "category", {"term": _clean(category)})
    return _xml(root)


def render_json(feed: Feed) -> str:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.url("json"),
        "description": feed.description,
        "language": LANGUAGE,
        "authors": [{"name": feed.author}],
        "items": [
            {
                "id": entry.url,
                "url": entry.url,
                "title": entry.title,
                "content_text": entry.summary,
                "summary": entry.summary,
                "date_published": entry.published.isoformat(),
                "date_modified": entry.updated.isoformat(),
                "authors": [{"name": entry.author}],
                "tags": list(entry.categories),
            }
            for entry in feed.entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def feed_links(site_url: str, round_: Round | None = None) -> list[dict[str, str]]:
    """``<link rel="alternate">`` data for a page head: the site feeds, and the round's when ``round_`` is given.

    Each item has ``type``, ``title`` and ``href`` (absolute when ``site_url`` is).
    """
    links = _links(site_url, "", "最新通报")
    if round_ is not None:
        links += _links(site_url, round_feed_folder(round_.id), f"{round_.name}通报")
    return links


def _links(site_url: str, folder: str, label: str) -> list[dict[str, str]]:
    return [
        {
            "type": FEED_TYPES[fmt],
            "title": f"{label}（{FEED_NAMES[fmt]}）",
            "href": join_url(site_url, folder + FEED_FILES[fmt]),
        }
        for fmt in FEED_FILES
    ]


def _clean(value: str) -> str:
    return _XML_ILLEGAL.sub("", value)


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = _clean(text)
    return element


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
