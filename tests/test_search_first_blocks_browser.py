"""The first-search bundle shows its results from files of one block each, in Chromium.

tests/fixtures/site_search plus one long notice (fictional, the newest) whose only mention of 青石板桥维修 is near its
end, built with FIRST_SEARCH = 2: the first bundle holds it and tongji. A first search shows the phrase highlighted
from the one block file that holds it (no fragment fetched); the button's full search shows the same result from the
notice's fragment.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

import pytest
import test_search_blocks_browser as blocks_browser

from xuncha_site.core.routes import SEARCH_DIR
from xuncha_site.search import job
from xuncha_site.search.pagefind.index import read_fragment

pytestmark = pytest.mark.browser

# The long notice of the fragment-block tests, a few days later (the newest notice: it is in the first bundle).
LONG_NOTICE = blocks_browser.LONG_NOTICE.replace(
    "notice_date: 2023-09-01\npublished: 2023-09-05", "notice_date: 2023-09-10\npublished: 2023-09-12"
)
assert LONG_NOTICE != blocks_browser.LONG_NOTICE
PHRASE = "青石板桥维修"


@pytest.fixture(scope="module")
def first_long_site(tmp_path_factory, serve_dir):
    root = tmp_path_factory.mktemp("search-first-blocks")
    site_dir = blocks_browser.build_long_site(root, LONG_NOTICE, lambda patch: patch.setattr(job, "FIRST_SEARCH", 2))
    return site_dir, serve_dir(site_dir)


def test_every_block_of_the_first_bundle_has_a_file_with_the_result_fields(first_long_site):
    site_dir, _ = first_long_site
    bundle = site_dir / SEARCH_DIR
    manifest = json.loads((bundle / job.MANIFEST).read_text("utf-8"))
    blocks = manifest["first_blocks"]
    assert blocks == {"path": f"{job.FIRST_DIR}/{job.FIRST_BLOCKS_DIR}/", "block": job.FIRST_BLOCK_TOKENS}
    fragments = {path.stem: read_fragment(path) for path in (bundle / job.FIRST_DIR / "fragment").glob("*")}
    assert {fragment["url"].strip("/").split("/")[-1] for fragment in fragments.values()} == {"jiaotong", "tongji"}
    files = sorted((bundle / blocks["path"]).glob("*.json"))
    for page_id, fragment in fragments.items():
        own = sorted(
            (path for path in files if path.stem.rsplit("-", 1)[0] == page_id),
            key=lambda p: int(p.stem.rsplit("-", 1)[1]),
        )
        shown = [json.loads(path.read_text("utf-8")) for path in own]
        assert [int(path.stem.rsplit("-", 1)[1]) for path in own] == list(range(len(own)))
        for block in shown:
            assert {key: block[key] for key in fragment["meta"]} == fragment["meta"]
        # The same text as the fragment's, in smaller pieces: every sentence is in one of them.
        text = "".join(block["text"] for block in fragment["blocks"])
        assert all(block["text"] in text for block in shown)
        assert not shown[0]["before"] and not shown[-1]["after"]
    jiaotong = [path for path in files if PHRASE in path.read_text("utf-8")]
    assert len(files) > 10 and jiaotong and all(not path.stem.endswith("-0") for path in jiaotong)


def shown_results(page):
    return page.eval_on_selector_all(
        ".xs-result",
        """items => items.map(item => ({
            href: item.querySelector("a").getAttribute("href"),
            meta: item.querySelector(".xs-result__meta").textContent,
            excerpt: item.querySelector(".xs-result__excerpt").textContent,
            marks: [...item.querySelectorAll(".xs-result__excerpt mark")].map(m => m.textContent),
        }))""",
    )


def test_a_first_search_shows_the_match_from_its_block_file_and_the_full_search_the_same_result(
    chromium, first_long_site
):
    site_dir, base = first_long_site
    context = chromium.new_context()
    fetched: list[str] = []  # paths, as requested (a request is made before its result shows)
    context.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page = context.new_page()
    try:
        page.goto(f"{base}/search/?q={quote(PHRASE)}")
        page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=15000)
        (first,) = shown_results(page)
        assert first["href"].rstrip("/").endswith("jiaotong")
        assert PHRASE in first["marks"] and first["excerpt"].startswith("…")
        blocks = [path for path in fetched if f"/{job.FIRST_DIR}/{job.FIRST_BLOCKS_DIR}/" in path]
        assert len(blocks) == 1 and not blocks[0].endswith("-0.json")
        assert not [path for path in fetched if path.endswith(".pf_fragment")]
        # One block: a fraction of the notice's whole text, which the fragment holds.
        (fragment,) = [
            path
            for path in (site_dir / SEARCH_DIR / job.FIRST_DIR / "fragment").glob("*.pf_fragment")
            if read_fragment(path)["url"].rstrip("/").endswith("jiaotong")
        ]
        block = site_dir / blocks[0].lstrip("/")
        assert 4 * block.stat().st_size < len(json.dumps(read_fragment(fragment), ensure_ascii=False).encode())

        page.click("[data-search-all]")
        page.wait_for_function(
            "() => document.querySelector('[data-search-all]').hidden"
            " && document.querySelector('[data-xuncha-search]').dataset.state === 'done'"
        )
        (everything,) = shown_results(page)
        assert {key: everything[key] for key in ("href", "meta")} == {key: first[key] for key in ("href", "meta")}
        assert PHRASE in everything["marks"]
        assert any(path.endswith(".pf_fragment") for path in fetched)
    finally:
        context.close()
