"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1, site-wide and per round, read back with feedparser and lxml."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import feedparser
from lxml import etree
from site_fixtures import OPENDATA_URL

from xuncha_site.core.project import Project
from xuncha_site.outputs.feeds import feed_entry, feed_links, summary_text

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_FEEDS = ("feed.xml", "atom.xml", "feed.json")
# feed_size is 2 in the fixture site: of the three public notices, the two newest.
NEWEST = [OPENDATA_URL + "notices/r1/jia-wancheng/", OPENDATA_URL + "notices/r1/yi/"]


def _parsed(outputs: dict[str, bytes], path: str) -> Any:
    parsed = feedparser.parse(outputs[path])
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _xml(outputs: dict[str, bytes], path: str) -> etree._Element:
    return etree.fromstring(outputs[path])


def _json_feed(outputs: dict[str, bytes], path: str = "feed.json") -> dict[str, Any]:
    return json.loads(outputs[path].decode("utf-8"))


def test_feeds_parse_without_errors(opendata_outputs: dict[str, bytes]) -> None:
    for path in (*SITE_FEEDS[:2], "rounds/r1/feed.xml", "rounds/r1/atom.xml", "rounds/r2/atom.xml"):
        assert _parsed(opendata_outputs, path).version in ("rss20", "atom10")


def test_rss_channel_has_title_link_and_description(opendata_outputs: dict[str, bytes]) -> None:
    channel = _xml(opendata_outputs, "feed.xml").find("channel")
    assert channel is not None
    assert channel.findtext("title") == "测试站点 · 最新通报"
    assert channel.findtext("link") == OPENDATA_URL
    assert channel.findtext("description")
    assert channel.findtext("language") == "zh-CN"


def test_rss_items_have_title_link_guid_and_pubdate(opendata_outputs: dict[str, bytes]) -> None:
    items = _xml(opendata_outputs, "feed.xml").findall("channel/item")
    assert [item.findtext("link") for item in items] == NEWEST
    for item in items:
        assert item.findtext("title")
        guid = item.find("guid")
        assert guid is not None and guid.text == item.findtext("link") and guid.get("isPermaLink") == "true"
        assert item.findtext("pubDate")


def test_rss_dates_are_rfc_822_and_match_the_notices(opendata_outputs: dict[str, bytes]) -> None:
    entries = _parsed(opendata_outputs, "feed.xml").entries
    assert entries[0].published == "Sat, 01 Aug 2026 10:00:00 +0800"
    assert entries[1].published == "Mon, 01 Jun 2026 15:30:00 +0800"


def test_rss_last_build_date_is_the_newest_notice_not_the_build(opendata_outputs: dict[str, bytes]) -> None:
    channel = _parsed(opendata_outputs, "feed.xml").feed
    assert channel.updated == "Sat, 01 Aug 2026 10:00:00 +0800"


def test_atom_feed_has_id_title_updated_and_self_link(opendata_outputs: dict[str, bytes]) -> None:
    feed = _xml(opendata_outputs, "atom.xml")
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == OPENDATA_URL + "atom.xml"
    assert feed.findtext(f"{ATOM}title") == "测试站点 · 最新通报"
    assert feed.findtext(f"{ATOM}updated") == "2026-08-01T10:00:00+08:00"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": OPENDATA_URL + "atom.xml", "alternate": OPENDATA_URL}
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "中共测试市纪律检查委员会"


def test_atom_entries_have_id_title_updated_and_link(opendata_outputs: dict[str, bytes]) -> None:
    entries = _xml(opendata_outputs, "atom.xml").findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}id") for entry in entries] == NEWEST
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href") == entry.findtext(f"{ATOM}id")
        assert entry.findtext(f"{ATOM}author/{ATOM}name")


def test_feed_entry_is_updated_by_a_later_correction(opendata_project: Project) -> None:
    jia = next(n for n in opendata_project.corpus.notices if n.id == "r1/jia")
    entry = feed_entry(jia, opendata_project.corpus.rounds, OPENDATA_URL)
    assert entry.published.isoformat() == "2026-05-10T09:00:00+08:00"
    assert entry.updated.isoformat() == "2026-05-20T00:00:00+08:00"


def test_round_feed_holds_at_most_feed_size_newest_notices(opendata_outputs: dict[str, bytes]) -> None:
    # Round r1 has three public notices; feed_size is 2.
    entries = _parsed(opendata_outputs, "rounds/r1/atom.xml").entries
    assert [entry.link for entry in entries] == NEWEST


def test_json_feed_follows_version_1_1(opendata_outputs: dict[str, bytes]) -> None:
    feed = _json_feed(opendata_outputs)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "测试站点 · 最新通报"
    assert feed["home_page_url"] == OPENDATA_URL
    assert feed["feed_url"] == OPENDATA_URL + "feed.json"
    assert feed["language"] == "zh-CN"
    assert [item["url"] for item in feed["items"]] == NEWEST
    for item in feed["items"]:
        assert item["id"] == item["url"]
        assert item["title"]
        assert item["content_text"] or item["summary"]
        datetime.fromisoformat(item["date_published"])


def test_every_format_carries_the_same_entries(opendata_outputs: dict[str, bytes]) -> None:
    rss = [(e.link, e.title) for e in _parsed(opendata_outputs, "feed.xml").entries]
    atom = [(e.link, e.title) for e in _parsed(opendata_outputs, "atom.xml").entries]
    jsonfeed = [(i["url"], i["title"]) for i in _json_feed(opendata_outputs)["items"]]
    assert rss == atom == jsonfeed


def test_feed_entry_titles_are_the_chinese_notice_titles(
    opendata_project: Project, opendata_outputs: dict[str, bytes]
) -> None:
    titles = [item["title"] for item in _json_feed(opendata_outputs)["items"]]
    assert titles == [notice.title for notice in opendata_project.public_notices()[:2]]
    assert all("关于" in title and title.endswith("的通报") for title in titles)


def test_summary_is_the_preamble_as_plain_text(opendata_project: Project, opendata_outputs: dict[str, bytes]) -> None:
    items = {item["id"]: item for item in _json_feed(opendata_outputs, "rounds/r1/feed.json")["items"]}
    assert len(items) == 2
    # The 甲局 progress notice is not among the two newest; check the plain-text rule on its preamble directly.
    jia = next(n for n in opendata_project.corpus.notices if n.id == "r1/jia")
    text = summary_text(jia)
    assert text.startswith("根据市委统一部署，2026年1月5日至2月10日，市委第一巡察组对测试市甲局党组进行了巡察。")
    assert not any(mark in text for mark in ("**", "[", "](", "<"))
    yi = items[OPENDATA_URL + "notices/r1/yi/"]
    assert yi["summary"] == "根据市委统一部署，市委第一巡察组对测试市乙局党组进行了巡察，现将巡察整改进展情况予以公布。"


def test_round_feed_lists_only_that_rounds_notices(opendata_outputs: dict[str, bytes]) -> None:
    r1 = _parsed(opendata_outputs, "rounds/r1/feed.xml")
    assert all("/notices/r1/" in entry.link for entry in r1.entries)
    assert r1.feed.title == "测试市委第一轮巡察整改通报 · 测试站点"
    assert r1.feed.link == OPENDATA_URL + "rounds/r1/"


def test_round_without_public_notices_has_an_empty_feed_dated_by_its_feedback(
    opendata_outputs: dict[str, bytes],
) -> None:
    r2 = _parsed(opendata_outputs, "rounds/r2/atom.xml")
    assert r2.entries == []
    assert r2.feed.updated == "2026-10-30T00:00:00+08:00"
    assert _json_feed(opendata_outputs, "rounds/r2/feed.json")["items"] == []


def test_all_feed_urls_are_absolute_under_site_url(opendata_outputs: dict[str, bytes]) -> None:
    for path in ("feed.xml", "atom.xml", "rounds/r1/feed.xml"):
        parsed = _parsed(opendata_outputs, path)
        for entry in parsed.entries:
            assert entry.link.startswith(OPENDATA_URL)
        for link in parsed.feed.links:
            assert link.href.startswith(OPENDATA_URL)


def test_feed_links_name_every_site_feed_with_its_media_type() -> None:
    links = feed_links("https://x.example/")
    assert [(link["type"], link["href"]) for link in links] == [
        ("application/rss+xml", "https://x.example/feed.xml"),
        ("application/atom+xml", "https://x.example/atom.xml"),
        ("application/feed+json", "https://x.example/feed.json"),
    ]
    assert all(link["title"].startswith("最新通报") for link in links)


def test_feed_links_of_a_round_page_add_the_round_feeds(opendata_project: Project) -> None:
    links = feed_links(OPENDATA_URL, opendata_project.corpus.rounds["r1"])
    assert [link["href"] for link in links[3:]] == [
        OPENDATA_URL + "rounds/r1/feed.xml",
        OPENDATA_URL + "rounds/r1/atom.xml",
        OPENDATA_URL + "rounds/r1/feed.json",
    ]
    assert links[3]["title"] == "测试市委第一轮巡察通报（RSS）"
