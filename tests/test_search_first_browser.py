"""The first-search bundle: on a site with more than FIRST_SEARCH public notices, a first search reads only the bundle
of the newest ones, and a button searches all of them.

tests/fixtures/site_search is built with FIRST_SEARCH = 2: its four public notices are caizheng and jiaoyu (2021) and
shuiwu and tongji (2023), so the first bundle holds shuiwu and tongji; “三重一大” is only in the two of 2021, 察 in all
four; wenlv (a draft) and weijian (embargoed) are in neither bundle.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from site_fixtures import BUILD_EPOCH, build_mkdocs_site

from xuncha_site.core.routes import SEARCH_DIR
from xuncha_site.search import job
from xuncha_site.search.pagefind.index import read_fragment

pytestmark = pytest.mark.browser

CONFIG = Path(__file__).parent / "fixtures" / "site_search" / "mkdocs.yml"


@pytest.fixture(scope="module")
def first_site(tmp_path_factory, serve_dir):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        patch.setattr(job, "FIRST_SEARCH", 2)
        site_dir = build_mkdocs_site(CONFIG, tmp_path_factory.mktemp("first-search-site"))
    return {"dir": site_dir, "url": serve_dir(site_dir)}


def fragment_slugs(folder: Path) -> set[str]:
    return {read_fragment(path)["url"].strip("/").split("/")[-1] for path in folder.glob("fragment/*.pf_fragment")}


def test_first_bundle_holds_the_newest_public_notices_only(first_site):
    bundle = first_site["dir"] / SEARCH_DIR
    manifest = (bundle / job.MANIFEST).read_text(encoding="utf-8")
    assert '"first":{"path":"first/","documents":2}' in manifest
    assert '"documents":4' in manifest
    assert fragment_slugs(bundle / job.FIRST_DIR) == {"shuiwu", "tongji"}
    every = fragment_slugs(bundle) | fragment_slugs(bundle / job.SHARDS_DIR / "001")
    assert every == {"caizheng", "jiaoyu", "shuiwu", "tongji"}
    assert (bundle / job.FIRST_DIR / "pagefind.js").is_file()


def test_a_site_within_the_threshold_has_one_bundle(search_site):
    bundle = search_site["dir"] / SEARCH_DIR
    assert not (bundle / job.FIRST_DIR).exists()
    assert '"first"' not in (bundle / job.MANIFEST).read_text(encoding="utf-8")
    assert not search_site["dir"].joinpath("search/index.html").read_text(encoding="utf-8").count("在全部 ")


def slugs(page) -> list[str]:
    hrefs = page.eval_on_selector_all(".xs-result a", "links => links.map(a => a.getAttribute('href'))")
    return [href.strip("/").split("/")[-1] for href in hrefs]


def search_paths(requests: list[str]) -> list[str]:
    return [urlsplit(url).path for url in requests if f"/{SEARCH_DIR}/" in urlsplit(url).path]


@pytest.mark.parametrize(
    ("query", "first", "everything"), [("三重一大", [], {"caizheng", "jiaoyu"}), ("察", None, None)]
)
def test_first_search_reads_the_small_bundle_and_the_button_searches_all(
    chromium, first_site, query, first, everything
):
    context = chromium.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        page.goto(f"{first_site['url']}/search/?q={quote(query)}")
        page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=15000)
        found_first = slugs(page)
        if first is not None:
            assert found_first == first
        assert set(found_first) <= {"shuiwu", "tongji"}
        paths = search_paths(requests)
        # Only the manifest and the first bundle: no shard, no top-level runtime or index.
        assert f"/{SEARCH_DIR}/{job.MANIFEST}" in paths
        assert any(path.startswith(f"/{SEARCH_DIR}/{job.FIRST_DIR}/pagefind.js") for path in paths)
        outside = [
            p for p in paths if not p.startswith(f"/{SEARCH_DIR}/{job.FIRST_DIR}/") and not p.endswith(job.MANIFEST)
        ]
        assert outside == []
        status = page.text_content("[data-search-status]")
        assert "最新的 2 篇通报中" in status
        button = page.get_by_role("button", name="在全部 4 篇通报中搜索")
        assert button.is_visible()
        # By keyboard: the button takes focus and Enter presses it.
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('[data-search-all]').hidden"
            " && document.querySelector('[data-xuncha-search]').dataset.state === 'done'"
        )
        found_all = slugs(page)
        assert set(found_first) <= set(found_all)
        if everything is not None:
            assert set(found_all) == everything
        else:
            assert set(found_all) == {"caizheng", "jiaoyu", "shuiwu", "tongji"}
        assert page.text_content("[data-search-status]") == f"找到 {len(found_all)} 篇通报"
        after = search_paths(requests)[len(paths) :]
        assert f"/{SEARCH_DIR}/pagefind-entry.json" in after
        assert any(f"/{job.SHARDS_DIR}/" in path for path in after)
        # A draft's or an embargoed notice's words are found in neither bundle.
        for hidden in ("古镇保护专项资金", "智慧医疗平台"):
            page.fill("#xs-search-q", hidden)
            page.press("#xs-search-q", "Enter")
            page.wait_for_function(
                f"() => document.querySelector('[data-xuncha-search]').dataset.state === 'done'"
                f" && new URLSearchParams(location.search).get('q') === {hidden!r}"
            )
            assert slugs(page) == []
    finally:
        context.close()


def test_a_new_query_after_the_button_still_searches_everything(chromium, first_site):
    page = chromium.new_page()
    try:
        page.goto(f"{first_site['url']}/search/?q={quote('察')}")
        page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=15000)
        page.click("[data-search-all]")
        page.wait_for_function("() => document.querySelector('[data-search-all]').hidden")
        page.fill("#xs-search-q", "三重一大")
        page.press("#xs-search-q", "Enter")
        page.wait_for_function(
            "() => document.querySelector('[data-xuncha-search]').dataset.state === 'done'"
            " && document.querySelectorAll('.xs-result').length === 2"
        )
        assert set(slugs(page)) == {"caizheng", "jiaoyu"}
    finally:
        page.close()
