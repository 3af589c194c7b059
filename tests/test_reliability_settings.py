"""Settings reach every page's <head>, header and footer: all of them are printed escaped, as their text.

Material's base.html printed site_description and site_author into <meta> unescaped (a hostile value added a
<meta http-equiv="refresh">; an ordinary "阳光巡察" in quotes broke the tag); every template now autoescapes, and
site_url must be a plain address.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree
from site_fixtures import SITE_FIXTURES, build_mkdocs_site

from xuncha_site.commands.cli import main
from xuncha_site.commands.site import load_site

THEME = Path(__file__).resolve().parent.parent / "theme"

HOSTILE = {
    "site_name": '小站点"><script>alert("name")</script>',
    "site_description": '"><meta http-equiv="refresh" content="0;url=https://evil.example/">“阳光巡察”与"阳光巡察"',
    "site_author": 'a" onmouseover="alert(1)',
    "copyright": "<script>alert('copyright')</script>",
}
PLUGIN_HOSTILE = {
    "owner": "<b onmouseover=alert(3)>主办</b>\"'",
    "icp": '小ICP备"><img src=x onerror=alert(4)>',
    "police_beian": "</footer><script>alert(5)</script>",
    "site_code": '"1111"><svg onload=alert(6)>',
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("settings")
    shutil.copytree(SITE_FIXTURES / "site_small", root / "src")
    config = root / "src" / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))  # the test's own fixture, not a record
    data.update(HOSTILE)
    data["theme"]["custom_dir"] = str(THEME)
    data["plugins"][0]["xuncha"].update(PLUGIN_HOSTILE)
    data["plugins"][0]["xuncha"]["office"].update({"name": "<i onclick=alert(7)>巡察办</i>", "hours": '"><b>'})
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795132800")
        return build_mkdocs_site(config, root / "site")


def pages(site: Path) -> list[tuple[Path, BeautifulSoup]]:
    return [(path, BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")) for path in sorted(site.rglob("*.html"))]


def test_every_page_prints_the_settings_in_head_as_their_text(hostile_site: Path) -> None:
    found = pages(hostile_site)
    assert len(found) > 10
    for path, soup in found:
        head = soup.head
        assert not soup.select("meta[http-equiv=refresh], meta[http-equiv=Refresh]"), path
        [description] = head.select("meta[name=description]")
        assert description["content"] == HOSTILE["site_description"], path
        # theme/base.html prints no author; should it ever, as the text written
        for author in head.select("meta[name=author]"):
            assert author["content"] == HOSTILE["site_author"] and not author.get("onmouseover"), path
        assert soup.title.get_text().endswith(HOSTILE["site_name"]), path


def test_no_setting_adds_an_element_an_event_handler_or_a_script(hostile_site: Path) -> None:
    for path, soup in pages(hostile_site):
        for element in soup.find_all(True):
            assert not [name for name in element.attrs if name.lower().startswith("on")], (path, element.name)
        assert not soup.select("svg[onload], img[src=x], b[onmouseover], i[onclick]"), path
        for script in soup.select("script:not([src])"):
            assert "alert" not in script.get_text(), path
        text = soup.get_text()
        assert PLUGIN_HOSTILE["owner"] in text and PLUGIN_HOSTILE["icp"] in text, path


def test_feeds_and_open_data_carry_the_settings_as_text(hostile_site: Path) -> None:
    for feed in ("feed.xml", "atom.xml"):
        tree = etree.fromstring((hostile_site / feed).read_bytes())
        assert HOSTILE["site_name"] in "".join(tree.itertext())
    assert json.loads((hostile_site / "feed.json").read_text(encoding="utf-8"))["title"].startswith(
        HOSTILE["site_name"]
    )


@pytest.mark.parametrize("url", ['https://small.example/"onmouseover="x', "https://small example/", "https://a\\b/"])
def test_a_site_url_that_is_not_a_plain_address_is_refused_at_its_line(tmp_path, capsys, url) -> None:
    root = tmp_path / "src"
    shutil.copytree(SITE_FIXTURES / "site_small", root)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("site_url: https://small.example/xuncha/", f"site_url: '{url}'")
    text = text.replace("custom_dir: ../../../theme", f"custom_dir: {THEME}")
    config.write_text(text, encoding="utf-8")
    site = load_site(str(config), strict=False)
    assert site is not None
    [error] = [d.format() for d in site.project.diagnostics.errors]
    assert error.startswith(f"mkdocs.yml:4: 错误: site_url“{url}”不是有效的网址")
    assert main(["check", "-f", str(config)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_a_page_printed_by_a_material_partial_shows_its_title_as_text(tmp_path: Path) -> None:
    """Material's partials/content.html (included by theme/main.html) prints the title of a page without a heading:
    autoescaping must cover Material's templates too, not only those of theme/."""
    shutil.copytree(SITE_FIXTURES / "site_small", tmp_path / "src")
    config = tmp_path / "src" / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))  # the test's own fixture, not a record
    data["theme"]["custom_dir"] = str(THEME)
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    title = '说明<script>alert("title")</script><img src=x onerror=alert(8)>'
    (tmp_path / "src" / "pages" / "guide.md").write_text(
        f"---\ntitle: '{title}'\n---\n\n本页没有一级标题。\n", encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795132800")
        site = build_mkdocs_site(config, tmp_path / "site")
    soup = BeautifulSoup((site / "guide" / "index.html").read_text(encoding="utf-8"), "lxml")
    [heading] = soup.select("article h1, main h1")
    assert heading.get_text() == title
    assert not soup.select("img[onerror]")
    assert not [script for script in soup.select("script:not([src])") if "alert" in script.get_text()]
