"""Drafts and notices published after the build date appear in no file of the output: no page, index, unit page,
prev/next link, search index or result document, feed, data file, sitemap, 404 page or attachment.

tests/fixtures/site_embargo has a draft and a notice whose embargo ends one minute after the build date, with a marker
word in every field, in the body and in the attachment's name and bytes. The whole output tree is searched, file names
included, gzip files (Pagefind's chunks, sitemap.xml.gz) decompressed. A control build in which neither is hidden any
more finds the markers in every kind of output, so the search cannot miss them.
"""

from __future__ import annotations

import gzip
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from site_fixtures import BUILD_EPOCH, SITE_FIXTURES

from xuncha_site.commands.cli import main

EMBARGO = SITE_FIXTURES / "site_embargo"
THEME = Path(__file__).resolve().parent.parent / "theme"
MARKERS = ("zqxdraft", "zqxembargo")
LATER = "1798761600"  # 2027-01-01T00:00Z: the embargo is over
EVERY_KIND = {"page", "search index", "search document", "feed", "open data", "sitemap", "attachment"}


def kind_of(path: str) -> str:
    if path.startswith("pagefind/") and "/fragment/" in path:
        return "search document"
    if path.startswith("pagefind/"):
        return "search index"
    if path.rsplit("/", 1)[-1] in ("feed.xml", "atom.xml", "feed.json"):
        return "feed"
    if path.startswith("data/"):
        return "open data"
    if path.startswith("sitemap.xml"):
        return "sitemap"
    return "page" if path.endswith(".html") else "attachment"


def readable_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data += gzip.decompress(data)
    return data


def leaks(site: Path, marker: str) -> dict[str, list[str]]:
    """Where ``marker`` is in the output, by kind of output: in a file's name or in its (decompressed) bytes."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if marker in name or (path.is_file() and marker.encode() in readable_bytes(path)):
            found[kind_of(name)].append(name)
    return dict(found)


def build(config: Path, site: Path, epoch: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert main(["build", "-f", str(config), "-d", str(site)]) == 0
    return site


@pytest.fixture(scope="module")
def hidden_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        return build(EMBARGO / "mkdocs.yml", tmp_path_factory.mktemp("embargo") / "site", BUILD_EPOCH, patch)


@pytest.fixture(scope="module")
def control_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same content with the draft flag removed, built after the embargo."""
    root = tmp_path_factory.mktemp("embargo-control")
    shutil.copytree(EMBARGO, root / "src")
    config = root / "src" / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../theme", str(THEME)), encoding="utf-8")
    draft = root / "src" / "content" / "notices" / "2026-e1" / "zqxdraft.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        return build(config, root / "site", LATER, patch)


@pytest.mark.parametrize("marker", MARKERS)
def test_hidden_notices_leave_no_trace_in_any_file(hidden_site, marker):
    assert leaks(hidden_site, marker) == {}


@pytest.mark.parametrize("marker", MARKERS)
def test_the_search_finds_the_markers_in_every_kind_of_output_once_published(control_site, marker):
    assert set(leaks(control_site, marker)) == EVERY_KIND


def test_public_notices_of_the_fixture_are_published(hidden_site):
    for slug in ("jiaju", "yiju"):
        assert (hidden_site / "notices" / "2026-e1" / slug / "index.html").is_file()


def test_the_public_notices_link_to_each_other_and_to_nothing_hidden(hidden_site, read_page):
    jiaju = read_page(hidden_site, "notices/2026-e1/jiaju")
    assert jiaju.select_one("a[rel=next]")["href"].rstrip("/").endswith("yiju")
    assert "暂无" in jiaju.select_one(".xc-related").get_text()  # the draft of the same unit is not listed
