"""Federation search in Chromium (issue 23): an aggregator over two member sites built by the plugin (tests/fixtures
site_search, read from its built copy, and site_small, given by its URL only and served on another loopback port)
copies their search bundles and its search page finds notices of both, says which member each result is from,
filters by member, and asks no host but its own."""

from __future__ import annotations

import json
import shutil
from urllib.parse import quote, urlsplit

import pytest
from site_fixtures import BUILD_EPOCH, build_mkdocs_site
from test_federation import (
    aggregator,
    member_files as member_files,  # a fixture, used by name
    write_site,
)

pytestmark = pytest.mark.browser

SEARCH_MEMBER, SMALL_MEMBER = "检索县纪委监委", "小站点纪委监委"


@pytest.fixture(scope="module")
def small_member(tmp_path_factory, small_site, serve_dir) -> str:
    """site_small's address as a host serves it: its built site under /xuncha/ (its site_url's path)."""
    host = tmp_path_factory.mktemp("small-host")
    shutil.copytree(small_site, host / "xuncha")
    return serve_dir(host) + "/xuncha/"


@pytest.fixture(scope="module")
def federated(tmp_path_factory, search_site, small_member, serve_dir) -> str:
    folder = tmp_path_factory.mktemp("federated")
    config = aggregator(
        folder / "city",
        f"        - name: {SEARCH_MEMBER}\n          url: https://search.example/\n          path: {search_site['dir']}\n"
        f"        - name: {SMALL_MEMBER}\n          url: {small_member}\n",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        site = build_mkdocs_site(config, folder / "site")
    listed = json.loads((site / "members" / "search.json").read_text(encoding="utf-8"))["members"]
    assert [member["name"] for member in listed] == [SEARCH_MEMBER, SMALL_MEMBER]
    assert all((site / "members" / member["bundle"] / "xuncha-search.json").is_file() for member in listed)
    return serve_dir(site)


def found(chromium, base: str, query: str, **filters: str) -> tuple[list[dict[str, str]], list[str]]:
    context = chromium.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        params = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **filters}.items() if v)
        page.goto(f"{base}/search/?{params}")
        page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=20000)
        items = page.eval_on_selector_all(
            ".xs-result",
            """items => items.map(item => ({
                href: item.querySelector("a").href,
                meta: item.querySelector(".xs-result__meta").textContent,
            }))""",
        )
        options = page.eval_on_selector_all("select[name=member] option", "os => os.map(o => o.textContent)")
    finally:
        context.close()
    assert options == ["全部成员站点", SEARCH_MEMBER, SMALL_MEMBER]
    foreign = [url for url in requests if urlsplit(url).netloc != urlsplit(base).netloc]
    assert not foreign, foreign
    return items, requests


def test_search_finds_notices_of_every_member_and_names_the_member(chromium, federated, small_member) -> None:
    items, _ = found(chromium, federated, "整改")
    by_member = {name: [i for i in items if name in i["meta"]] for name in (SEARCH_MEMBER, SMALL_MEMBER)}
    assert all(by_member.values()), items
    assert all(i["href"].startswith("https://search.example/notices/") for i in by_member[SEARCH_MEMBER])
    assert all(i["href"].startswith(small_member + "notices/") for i in by_member[SMALL_MEMBER])


def test_the_member_filter_keeps_one_member(chromium, federated) -> None:
    items, _ = found(chromium, federated, "整改", member=SMALL_MEMBER)
    assert items and all(SMALL_MEMBER in i["meta"] and SEARCH_MEMBER not in i["meta"] for i in items)


def test_draft_and_embargoed_notices_of_members_are_not_found(chromium, federated) -> None:
    for word in ("古镇保护专项资金", "智慧医疗平台"):  # site_search's draft and embargoed notice
        items, _ = found(chromium, federated, word)
        assert items == []


@pytest.mark.parametrize("path", ["members/", "members/{small}/", "search/?q=%E6%95%B4%E6%94%B9"])
def test_the_members_pages_and_the_merged_search_pass_axe(chromium, federated, small_member, run_axe, path) -> None:
    from xuncha_site.core.model import Member

    path = path.format(small=Member(SMALL_MEMBER, small_member).id)
    context = chromium.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{federated}/{path}")
        if path.startswith("search/"):
            page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=20000)
        assert page.locator("h1").count() == 1
        if path.startswith("members/"):  # the disclosure tables the members publish are on the pages checked
            assert page.locator("#disclosure table.xc-timeliness tbody tr").count() > 0
        violations = run_axe(page)["violations"]
    finally:
        context.close()
    assert violations == [], violations


# --- members with a first-search bundle ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def federated_first(tmp_path_factory, member_files, serve_dir) -> dict[str, str]:
    """An aggregator over two members given by URL only whose bundles have a first-search bundle (test_federation's
    member: shards of two notices, its newest notice in first/), each served on a loopback port of its own."""
    folder = tmp_path_factory.mktemp("federated-first")
    urls = [
        serve_dir(write_site(folder / name, files)) + "/"
        for name, files in (("a", member_files), ("b", hostile_fragments(member_files)))
    ]
    config = aggregator(
        folder / "city",
        "".join(
            f"        - name: {name}\n          url: {url}\n" for name, url in zip(FIRST_MEMBERS, urls, strict=True)
        ),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        site = build_mkdocs_site(config, folder / "site")
    return {"base": serve_dir(site), **dict(zip(FIRST_MEMBERS, urls, strict=True))}


FIRST_MEMBERS = ("甲县纪委监委", "乙县纪委监委")
PAYLOAD = '<img src=x onerror="alert(1)">'


def hostile_fragments(files: dict[str, bytes]) -> dict[str, bytes]:
    """The member's bundle with markup in every result's title and text (the fragments): shown as text only."""
    import gzip

    changed = {}
    for path, body in files.items():
        if path.endswith(".pf_fragment"):
            data = json.loads(gzip.decompress(body)[12:])
            data["meta"]["title"] = PAYLOAD + data["meta"]["title"]
            for block in data["blocks"]:
                block["text"] = PAYLOAD + block["text"]
            changed[path] = gzip.compress(b"pagefind_dcd" + json.dumps(data, ensure_ascii=False).encode())
    return {**files, **changed}


def test_an_aggregators_first_search_reads_each_members_first_bundle_then_all(chromium, federated_first) -> None:
    base = federated_first["base"]
    manifest = json.loads(member_files_manifest(federated_first))
    context = chromium.new_context()
    requests: list[str] = []
    dialogs: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{base}/search/?q={quote('整改')}")
        page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=20000)
        status = page.locator("[data-search-status]").text_content()
        first = page.locator(".xs-result").count()
        bundles = [urlsplit(url).path for url in requests if "/members/" in url and "/pagefind/" in url]
        read = {path.split("/pagefind/", 1)[1].split("/", 1)[0] for path in bundles}
        assert read <= {"first", "xuncha-search.json"}, bundles  # no member's whole index on a first search
        assert status == f"在各成员站点最新的通报（共 {2 * manifest['first']['documents']} 篇）中找到 {first} 篇"
        button = page.locator("[data-search-all]")
        assert button.text_content() == f"在全部 {2 * manifest['documents']} 篇通报中搜索"
        button.click()
        page.wait_for_function(
            "() => document.querySelector('[data-search-status]').textContent.startsWith('找到')", timeout=20000
        )
        page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=20000)
        while page.locator("[data-search-more]").is_visible():
            page.locator("[data-search-more]").click()
            page.wait_for_timeout(200)
        metas = page.eval_on_selector_all(".xs-result__meta", "ms => ms.map(m => m.textContent)")
        titles = page.eval_on_selector_all(".xs-result__title", "ts => ts.map(t => t.textContent)")
        images = page.locator("[data-search-results] img").count()
    finally:
        context.close()
    assert 0 < first < len(metas)
    assert all(any(name in meta for meta in metas) for name in FIRST_MEMBERS)
    assert any(title.startswith(PAYLOAD) for title in titles) and images == 0 and dialogs == []  # text, not markup
    foreign = [url for url in requests if urlsplit(url).netloc != urlsplit(base).netloc]
    assert not foreign, foreign


def member_files_manifest(federated_first: dict[str, str]) -> bytes:
    import urllib.request

    with urllib.request.urlopen(federated_first[FIRST_MEMBERS[0]] + "pagefind/xuncha-search.json") as response:
        return response.read()


def test_the_member_filter_alone_finds_every_notice_of_a_sharded_member(chromium, federated) -> None:
    """A member's newest notices are at the top of its bundle, the older in its shards: all of them are merged."""
    manifest = json.loads(urlopen_bytes(f"{federated}/members/search.example/pagefind/xuncha-search.json"))
    assert manifest["shards"]  # site_search: shards of two notices
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(f"{federated}/search/?member={quote(SEARCH_MEMBER)}")
        page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=20000)
        status = page.locator("[data-search-status]").text_content()
    finally:
        context.close()
    assert status == f"找到 {manifest['documents']} 篇通报"


def urlopen_bytes(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url) as response:
        return response.read()
