"""A search result shows the block of a notice's text that holds the match, from one compressed file, in Chromium.

tests/fixtures/site_search plus one long notice (fictional) whose only mention of 青石板桥维修 is near its end: the
result shows that phrase highlighted, from a later block of the notice's fragment, fetched once and compressed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from site_fixtures import BUILD_EPOCH, SITE_FIXTURES, build_mkdocs_site

from xuncha_site.search.pagefind.index import read_fragment

pytestmark = pytest.mark.browser

FILLER = "市交通运输局党组对照巡察反馈意见，逐项制定整改措施，明确责任领导和完成时限，定期调度推进。"
LONG_NOTICE = f"""---
round: 2023-r2
unit: 市交通运输局党组
group: 市委第二巡察组
issuer: 中共青禾市交通运输局党组
notice_date: 2023-09-01
published: 2023-09-05 09:00
stage: 进展
---

根据市委统一部署，市委第二巡察组对市交通运输局党组进行了巡察。现将巡察整改进展情况予以公布。

## 一、组织整改落实情况

{FILLER * 150}

## 二、巡察反馈问题整改进展情况

### （一）农村公路养护不到位

{FILLER * 60}完成城西青石板桥维修，恢复通行。

完成情况：已完成
"""


def build_long_site(root: Path, notice: str, patch_more=lambda patch: None) -> Path:
    """tests/fixtures/site_search with ``notice`` as 2023-r2/jiaotong.md, built into root/out (``patch_more`` may
    patch the build further); returns the site folder."""
    shutil.copytree(SITE_FIXTURES / "site_search", root / "site")
    (root / "site" / "content" / "notices" / "2023-r2" / "jiaotong.md").write_text(notice, encoding="utf-8")
    config = root / "site" / "mkdocs.yml"
    theme = SITE_FIXTURES.parent.parent / "theme"
    config.write_text(config.read_text("utf-8").replace("../../../theme", str(theme)), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        patch_more(patch)
        return build_mkdocs_site(config, root / "out")


@pytest.fixture(scope="module")
def long_site(tmp_path_factory, serve_dir):
    site_dir = build_long_site(tmp_path_factory.mktemp("search-blocks"), LONG_NOTICE)
    return site_dir, serve_dir(site_dir)


def search(chromium, base, query):
    """(results shown, (url, bytes) of every result fragment fetched) for ``query`` in a fresh context."""
    context = chromium.new_context()
    fetched: list[tuple[str, int]] = []

    def record(request):
        if request.url.endswith(".pf_fragment"):
            response = request.response()
            fetched.append((request.url, len(response.body()) if response else 0))

    context.on("requestfinished", record)
    page = context.new_page()
    page.goto(f"{base}/search/?q={quote(query)}")
    page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=15000)
    shown = page.eval_on_selector_all(
        ".xs-result",
        """items => items.map(item => ({
            slug: item.querySelector("a").getAttribute("href").split("/").filter(Boolean).pop(),
            excerpt: item.querySelector(".xs-result__excerpt").textContent,
            marks: [...item.querySelectorAll(".xs-result__excerpt mark")].map(m => m.textContent),
        }))""",
    )
    context.close()
    return shown, fetched


def test_the_excerpt_of_a_match_deep_in_a_long_notice_shows_it_highlighted(chromium, long_site):
    site_dir, base = long_site
    shown, fetched = search(chromium, base, "青石板桥维修")
    assert [item["slug"] for item in shown] == ["jiaotong"]
    assert "青石板桥维修" in shown[0]["marks"]
    assert shown[0]["excerpt"].startswith("…")  # the text goes on before the block shown
    (url, size), *more = fetched
    assert not more  # the one notice's fragment, once
    path = site_dir / "pagefind" / url.split("/pagefind/", 1)[1]
    fragment = read_fragment(path)
    assert fragment["meta"]["url"].endswith("/jiaotong/") and len(fragment["blocks"]) > 3
    assert "青石板桥维修" not in fragment["blocks"][0]["text"]
    text = "".join(block["text"] for block in fragment["blocks"])
    assert size == path.stat().st_size < len(text.encode()) / 4  # compressed: a few KB for the whole notice


def test_a_match_in_the_title_only_shows_the_start_of_the_notice(chromium, long_site):
    _, base = long_site
    shown, _ = search(chromium, base, "市交通运输局")
    (item,) = [item for item in shown if item["slug"] == "jiaotong"]
    assert item["excerpt"].startswith("根据市委统一部署")  # the first block, from the start of the text


def test_the_long_notice_fragment_carries_its_fields_and_every_block(long_site):
    site_dir, _ = long_site
    fragments = [read_fragment(path) for path in (site_dir / "pagefind").rglob("*.pf_fragment")]
    (fragment,) = [f for f in fragments if f["url"].endswith("/jiaotong/")]
    assert {"url", "title", "round", "unit", "stage", "date"} <= set(fragment["meta"])
    for block in fragment["blocks"]:
        assert set(block) == {"text", "before", "after"}
    assert not fragment["blocks"][0]["before"] and not fragment["blocks"][-1]["after"]
