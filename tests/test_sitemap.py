"""sitemap.xml (and .gz) and robots.txt: every page once, absolute URLs, lastmod from the notices' dates."""

from __future__ import annotations

import gzip
from datetime import date

from lxml import etree
from site_fixtures import OPENDATA_URL, opendata_pages

from xuncha_site.core.project import Project
from xuncha_site.outputs.files import extra_outputs
from xuncha_site.outputs.sitemap import render_robots, render_sitemap, site_relative

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _entries(sitemap: bytes) -> dict[str, str | None]:
    root = etree.fromstring(sitemap)
    assert root.tag == f"{NS}urlset"
    entries: dict[str, str | None] = {}
    for url in root.findall(f"{NS}url"):
        loc = url.findtext(f"{NS}loc")
        assert loc is not None and loc not in entries
        entries[loc] = url.findtext(f"{NS}lastmod")
    return entries


def test_sitemap_is_a_urlset_in_the_sitemap_namespace(opendata_outputs: dict[str, bytes]) -> None:
    root = etree.fromstring(opendata_outputs["sitemap.xml"])
    assert root.tag == f"{NS}urlset"
    assert opendata_outputs["sitemap.xml"].startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_sitemap_lists_every_page_given_once_with_its_absolute_url(
    opendata_project: Project, opendata_outputs: dict[str, bytes]
) -> None:
    given = {OPENDATA_URL + url for url, _ in opendata_pages(opendata_project) if url != "404.html"}
    assert set(_entries(opendata_outputs["sitemap.xml"])) == given


def test_sitemap_leaves_out_the_404_page(opendata_outputs: dict[str, bytes]) -> None:
    assert not any("404" in loc for loc in _entries(opendata_outputs["sitemap.xml"]))


def test_notice_page_lastmod_is_its_publication_day(opendata_outputs: dict[str, bytes]) -> None:
    entries = _entries(opendata_outputs["sitemap.xml"])
    assert entries[OPENDATA_URL + "notices/r1/yi/"] == "2026-06-01"
    assert entries[OPENDATA_URL + "notices/r1/jia-wancheng/"] == "2026-08-01"


def test_a_correction_moves_the_notice_lastmod(opendata_outputs: dict[str, bytes]) -> None:
    # Published 2026-05-10, corrected 2026-05-20.
    assert _entries(opendata_outputs["sitemap.xml"])[OPENDATA_URL + "notices/r1/jia/"] == "2026-05-20"


def test_listing_pages_get_the_newest_date_of_what_they_list(opendata_outputs: dict[str, bytes]) -> None:
    entries = _entries(opendata_outputs["sitemap.xml"])
    assert entries[OPENDATA_URL] == "2026-08-01"
    assert entries[OPENDATA_URL + "rounds/"] == "2026-08-01"
    assert entries[OPENDATA_URL + "rounds/r1/"] == "2026-08-01"
    assert entries[OPENDATA_URL + "units/yi/"] == "2026-06-01"
    assert entries[OPENDATA_URL + "units/jia/"] == "2026-08-01"


def test_pages_with_nothing_dated_have_no_lastmod(opendata_outputs: dict[str, bytes]) -> None:
    entries = _entries(opendata_outputs["sitemap.xml"])
    assert entries[OPENDATA_URL + "about/"] is None
    assert entries[OPENDATA_URL + "rounds/r2/"] is None  # its only notice is embargoed


def test_no_lastmod_is_the_build_date(opendata_outputs: dict[str, bytes]) -> None:
    assert "2026-11-20" not in set(_entries(opendata_outputs["sitemap.xml"]).values())


def test_a_date_given_with_the_page_wins(opendata_project: Project) -> None:
    sitemap = render_sitemap([("about/", date(2026, 1, 2))], opendata_project.public_notices(), OPENDATA_URL)
    assert _entries(sitemap.encode()) == {OPENDATA_URL + "about/": "2026-01-02"}


def test_page_urls_in_any_mkdocs_form_name_the_same_page() -> None:
    for url in ("notices/r1/yi/", "/xuncha/notices/r1/yi/", OPENDATA_URL + "notices/r1/yi/"):
        assert site_relative(url, OPENDATA_URL) == "notices/r1/yi/"
    for url in ("", "./", "/xuncha/", OPENDATA_URL):
        assert site_relative(url, OPENDATA_URL) == ""


def test_sitemap_order_does_not_depend_on_the_order_pages_are_given(opendata_project: Project) -> None:
    pages = opendata_pages(opendata_project)
    notices = opendata_project.public_notices()
    assert render_sitemap(pages, notices, OPENDATA_URL) == render_sitemap(pages[::-1], notices, OPENDATA_URL)


def test_compressed_sitemap_is_the_sitemap_with_a_fixed_header(opendata_outputs: dict[str, bytes]) -> None:
    packed = opendata_outputs["sitemap.xml.gz"]
    assert gzip.decompress(packed) == opendata_outputs["sitemap.xml"]
    assert packed[4:8] == b"\x00\x00\x00\x00"  # gzip mtime: zero, not the build time


def test_robots_txt_points_to_the_sitemap(opendata_outputs: dict[str, bytes]) -> None:
    lines = opendata_outputs["robots.txt"].decode("utf-8").splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {OPENDATA_URL}sitemap.xml" in lines


def test_robots_txt_names_no_sitemap_without_an_absolute_site_url() -> None:
    assert "Sitemap" not in render_robots("/")


def test_sitemap_without_site_url_uses_root_relative_urls(opendata_project: Project) -> None:
    outputs = extra_outputs(opendata_project, "", [("rounds/", None)])
    assert _entries(outputs["sitemap.xml"]) == {"/rounds/": "2026-08-01"}
