"""No broken internal link in the built example site: every href and src of every HTML page (and every address in
the sitemap and the feeds) leads to a file of the site, and every #fragment to an element of the page it names."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest

SITE_URL = "https://xuncha.example/"  # site_url of the example (mkdocs.yml)
LINKING = ("href", "src", "action", "poster", "data-bundle")


class Site:
    """The built site as a browser sees it under SITE_URL: pages parsed once, ids per page."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ids: dict[Path, set[str]] = {}

    def pages(self) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
        for path in sorted(self.root.rglob("*.html")):
            relative = path.relative_to(self.root).as_posix()
            yield SITE_URL + relative.removesuffix("index.html"), lxml.html.fromstring(path.read_bytes())

    def file_for(self, url: str) -> Path | None:
        """The file that serves ``url`` (a directory URL: its index.html), or None when there is none."""
        path = unquote(urlsplit(url).path)[len(urlsplit(SITE_URL).path) :]
        target = self.root / path
        if path.endswith("/") or path == "":
            target = target / "index.html"
        elif target.is_dir():
            target = target / "index.html"  # a web server redirects a folder to folder/
        return target if target.is_file() else None

    def ids(self, page: Path) -> set[str]:
        if page not in self._ids:
            doc = lxml.html.fromstring(page.read_bytes())
            self._ids[page] = {el.get("id") for el in doc.iter() if el.get("id")} | {
                a.get("name") for a in doc.iter("a") if a.get("name")
            }
        return self._ids[page]

    def broken(self, source: str, link: str) -> str | None:
        """Why ``link`` (as written on the page at ``source``) is broken, or None; links to other hosts are not ours."""
        url = urljoin(source, link.strip())
        if not url.startswith(SITE_URL) and urlsplit(url).scheme in ("http", "https", "mailto", "tel"):
            return None
        if not url.startswith(SITE_URL):
            return f"地址不属于本站：{url}"
        target = self.file_for(url)
        if target is None:
            return f"没有这个文件：{url}"
        fragment = unquote(urlsplit(url).fragment)
        if fragment and target.suffix == ".html" and fragment not in self.ids(target):
            return f"页面中没有 #{fragment}：{url}"
        return None


@pytest.fixture(scope="module")
def site(example_site) -> Site:
    return Site(example_site)


def test_every_link_and_source_on_every_page_resolves(site):
    broken, checked = [], 0
    for url, doc in site.pages():
        for element in doc.iter():
            for attribute in LINKING:
                value = element.get(attribute) if isinstance(element.tag, str) else None
                if value is None or (attribute == "action" and not value):
                    continue
                if attribute == "data-bundle":
                    value += "pagefind.js"  # the search bundle's folder: search.js loads this file from it
                checked += 1
                reason = site.broken(url, value)
                if reason:
                    broken.append(f"{url} <{element.tag} {attribute}>: {reason}")
    assert broken == []
    assert checked > 1000


def test_fragment_links_are_checked_against_the_target_page(site):
    notice = SITE_URL + "notices/2024-r1/fagaiwei/"
    assert site.broken(notice, "#xc-main") is None
    assert site.broken(notice, "#no-such-place") == f"页面中没有 #no-such-place：{notice}#no-such-place"
    assert site.broken(notice, "../missing/") == f"没有这个文件：{SITE_URL}notices/2024-r1/missing/"


def test_every_address_in_the_sitemap_and_the_feeds_resolves(site):
    addresses = [loc.text for loc in ET.parse(site.root / "sitemap.xml").getroot().iter() if loc.tag.endswith("loc")]
    for feed in site.root.rglob("feed.xml"):
        addresses += [link.text for link in ET.parse(feed).getroot().iter("link")]
    assert len(addresses) > 20
    assert [address for address in addresses if site.broken(SITE_URL, address)] == []
