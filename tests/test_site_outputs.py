"""A real build carries the open data, feeds, sitemap and search index that the core modules produce."""

from __future__ import annotations

import gzip
from pathlib import Path

from bs4 import BeautifulSoup

from xuncha_site.commands.site import load_site
from xuncha_site.outputs.files import content_outputs
from xuncha_site.search.pagefind.index import read_fragment

ROOT = Path(__file__).resolve().parents[1]


def test_build_contains_every_content_output_byte_for_byte(example_site: Path) -> None:
    project = load_site(ROOT / "mkdocs.yml").project
    expected = content_outputs(
        project, "https://xuncha.example/", site_name="青岚市纪委监委 · 巡察整改公开", site_description=_description()
    )
    assert "data/notices.json" in expected and "feed.xml" in expected
    for path, data in expected.items():
        assert (example_site / path).read_bytes() == data, path


def _description() -> str:
    for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("site_description:"):
            return line.split(":", 1)[1].strip()
    return ""


def test_sitemap_lists_pages_with_notice_dates_not_the_build_date(example_site: Path) -> None:
    text = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://xuncha.example/notices/" in text
    assert "2026-11-20" not in text  # the build date (SOURCE_DATE_EPOCH) is never a lastmod


def test_search_index_is_built_with_every_public_notice_and_no_hidden_one(example_site: Path) -> None:
    project = load_site(ROOT / "mkdocs.yml").project
    fragments = sorted((example_site / "pagefind").rglob("*.pf_fragment"))
    urls = {read_fragment(path)["meta"]["url"] for path in fragments}
    assert urls == {f"/notices/{n.round_id}/{n.slug}/" for n in project.public_notices()}
    for path in (example_site / "pagefind").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            assert "草稿标记XQ7".encode() not in data and "保密标记ZK4".encode() not in data, path


def test_every_page_head_links_the_feeds(example_site: Path) -> None:
    for page in ("index.html", "rounds/2024-r1/index.html", "notices/2024-r1/fagaiwei/index.html", "404.html"):
        soup = BeautifulSoup((example_site / page).read_text(encoding="utf-8"), "lxml")
        types = {link["type"] for link in soup.select('head link[rel="alternate"]')}
        assert {"application/rss+xml", "application/atom+xml", "application/feed+json"} <= types, page


def test_round_page_links_its_own_feed(example_site: Path) -> None:
    soup = BeautifulSoup((example_site / "rounds/2024-r1/index.html").read_text(encoding="utf-8"), "lxml")
    hrefs = [link["href"] for link in soup.select('head link[rel="alternate"]')]
    assert "https://xuncha.example/rounds/2024-r1/feed.xml" in hrefs


def test_footer_and_site_map_link_the_open_data_page(example_site: Path) -> None:
    for page in ("index.html", "sitemap/index.html"):
        soup = BeautifulSoup((example_site / page).read_text(encoding="utf-8"), "lxml")
        assert any(a["href"].rstrip("/").endswith("open-data") for a in soup.find_all("a", href=True)), page
    assert (example_site / "open-data/index.html").is_file()
