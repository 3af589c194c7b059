"""Every file the site publishes besides its pages: open data and schemas, feeds, sitemap, robots.txt.

One entry point, :func:`extra_outputs`, so that the MkDocs plugin only writes what it gets back; it is the union of
:func:`content_outputs` (known before any page is rendered) and :func:`sitemap_outputs` (needs the list of pages), for a
plugin that registers the former as generated files and writes the latter after the build. The bytes depend on the
content, the settings, ``site_url`` and the build date (``SOURCE_DATE_EPOCH``) only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from xuncha_site.core.model import Notice
from xuncha_site.core.routes import DATA_FILES, ROBOTS_FILE, SCHEMA_FILES, SITEMAP_FILE
from xuncha_site.outputs.feeds import Channel, Feed, feed_entry, render, round_feed, site_feed
from xuncha_site.outputs.open_data import open_data_parts, schema_bytes
from xuncha_site.outputs.sitemap import gzip_bytes, render_robots, render_sitemap

if TYPE_CHECKING:
    from xuncha_site.core.project import Project


def extra_outputs(
    project: Project,
    site_url: str,
    page_urls: Iterable[tuple[str, date | None]],
    *,
    site_name: str = "",
    site_description: str = "",
) -> dict[str, bytes]:
    """All extra files by site-relative path (``data/notices.json``, ``feed.xml``, ``sitemap.xml``, …), sorted.

    ``page_urls`` are the generated pages (URL as MkDocs gives it, and a date or None); ``site_name`` and
    ``site_description`` title the feeds (MkDocs' ``site_name`` / ``site_description``).
    """
    files = content_outputs(project, site_url, site_name=site_name, site_description=site_description)
    files.update(sitemap_outputs(project, site_url, page_urls))
    return dict(sorted(files.items()))


def sitemap_outputs(project: Project, site_url: str, page_urls: Iterable[tuple[str, date | None]]) -> dict[str, bytes]:
    """``sitemap.xml`` and ``sitemap.xml.gz``: the part of :func:`extra_outputs` that needs the list of pages.

    They replace the files MkDocs writes itself, whose ``lastmod`` is the build date.
    """
    sitemap = render_sitemap(page_urls, project.public_notices(), site_url or "/").encode("utf-8")
    return {SITEMAP_FILE: sitemap, SITEMAP_FILE + ".gz": gzip_bytes(sitemap)}


def content_outputs(
    project: Project, site_url: str, *, site_name: str = "", site_description: str = ""
) -> dict[str, bytes]:
    """The extra files that do not depend on the list of pages: open data, schemas, feeds and robots.txt.

    The plugin can register these as generated files before the pages are rendered, so that links to them
    (``data/notices.json`` in a page's Markdown) resolve and validate like links to any other file.
    """
    outputs = content_output_files(project, site_url, site_name=site_name, site_description=site_description)
    return dict(sorted((path, b"".join(parts)) for path, parts in outputs))


def content_output_files(
    project: Project, site_url: str, *, site_name: str = "", site_description: str = ""
) -> Iterator[tuple[str, Iterator[bytes]]]:
    """:func:`content_outputs` one file at a time (path, its bytes in pieces), in no set order; each file's pieces
    are to be read before the next file is asked for. A caller that writes each piece as it comes never holds a
    whole file, let alone all of them (the open-data files of a large site are tens of MB, their documents several
    times that, and a text joined or encoded whole is held twice)."""
    site_url = site_url or "/"
    for fmt, parts in open_data_parts(project, site_url):
        yield DATA_FILES[fmt], (part.encode("utf-8") for part in parts)
    for name, path in SCHEMA_FILES.items():
        yield path, iter((schema_bytes(name),))
    for feed in feeds(project, site_url, site_name=site_name or project.settings.owner, description=site_description):
        for path, text in render(feed).items():
            yield path, iter((text.encode("utf-8"),))
    yield ROBOTS_FILE, iter((render_robots(site_url).encode("utf-8"),))


def feeds(project: Project, site_url: str, *, site_name: str, description: str = "") -> list[Feed]:
    """The site feed and one feed per round (rounds by id), each of the newest ``feed_size`` public notices."""
    size = project.settings.feed_size
    rounds = project.corpus.rounds
    newest: dict[str | None, list[Notice]] = defaultdict(list)  # None: the whole site
    for notice in project.public_notices():  # newest first
        for key in (None, notice.round_id):
            if len(newest[key]) < size:
                newest[key].append(notice)
    # A notice is in the site feed and in its round's: make its entry (and summary) once.
    entries = {n.id: feed_entry(n, rounds, site_url) for chosen in newest.values() for n in chosen}
    channel = Channel(site_url, site_name, project.settings.owner, project.build_time)
    result = [site_feed(channel, tuple(entries[n.id] for n in newest[None]), description)]
    for round_id in sorted(rounds):
        chosen = tuple(entries[n.id] for n in newest.get(round_id, ()))
        result.append(round_feed(channel, rounds[round_id], chosen))
    return result
