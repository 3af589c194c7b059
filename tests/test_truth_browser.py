"""A printed notice holds only the notice's own words within its body (issue 15; docs/记录格式.md).

Each public notice of the example site and of tests/fixtures/site_truth is printed (print media in Chromium); the text
the body prints — every visible text node and every generated ``::before``/``::after`` — is cut into runs of
characters between punctuation and spaces, and each run must occur in the record: its Markdown body, its issuer, its
contact paragraph, its attachments' titles, its date as the signature writes it (2026年8月1日), or 附件.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from site_fixtures import EXAMPLE_SITE, TRUTH_SITE

from xuncha_site.core.text import cn_date

pytestmark = pytest.mark.browser

PRINTED_TEXT = """(root) => {
  const out = [];
  const generated = (el, which) => {
    const content = getComputedStyle(el, which).content;
    const quoted = content && content.match(/^"(.*)"$/);
    if (quoted) out.push(" " + quoted[1] + " ");
  };
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const style = getComputedStyle(node);
    if (style.display === "none" || style.visibility === "hidden") return;
    generated(node, "::before");
    node.childNodes.forEach(walk);
    generated(node, "::after");
    out.push(" ");
  };
  walk(root);
  return out.join("");
}"""

# Runs of text between punctuation and spaces (ASCII and full-width punctuation, quotes, brackets, Markdown marks).
_SEPARATORS = re.compile(r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2010-\u206f!-/:-@\[-`{-~]+")


def runs(text: str) -> list[str]:
    return [run for run in _SEPARATORS.split(text) if run]


def own_words(record: Path) -> str:
    """Everything the notice itself wrote, as the record keeps it, with separators taken out."""
    text = record.read_text(encoding="utf-8")
    _, front_text, body = text.split("---\n", 2)
    front = yaml.safe_load(front_text)
    day = front["notice_date"]
    words = [body, front["issuer"], cn_date(day if isinstance(day, date) else date.fromisoformat(str(day))), "附件"]
    words.append((front.get("contact") or {}).get("text") or "")
    words += [item["title"] for item in front.get("attachments") or []]
    return "".join(runs("\n".join(words)))


@pytest.fixture(params=["example", "truth"])
def printed_site(request: pytest.FixtureRequest, serve_dir) -> tuple[Path, Path, str]:
    """(content root, built site, served base URL)."""
    if request.param == "example":
        site = request.getfixturevalue("example_site")
        return EXAMPLE_SITE, site, request.getfixturevalue("example_url")
    site = request.getfixturevalue("truth_site")
    return TRUTH_SITE, site, serve_dir(site)


def test_printed_notice_body_holds_no_word_outside_the_notices_own_text(chromium, printed_site) -> None:
    root, site, base = printed_site
    context = chromium.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.emulate_media(media="print")
    checked = 0
    try:
        for index in sorted((site / "notices").glob("*/*/index.html")):
            notice_id = "/".join(index.parent.parts[-2:])
            record = root / "content" / "notices" / f"{notice_id}.md"
            allowed = own_words(record)
            page.goto(f"{base.rstrip('/')}/notices/{notice_id}/")
            printed = page.eval_on_selector(".xc-doc__body", PRINTED_TEXT)
            foreign = [run for run in runs(printed) if run not in allowed]
            assert foreign == [], (notice_id, foreign[:10])
            checked += 1
    finally:
        context.close()
    assert checked >= 5


def test_printed_statuses_are_the_notices_own_status_words(chromium, truth_site, serve_dir) -> None:
    """A 完成情况 paragraph prints as written; a status from a category heading is not repeated under each item."""
    base = serve_dir(truth_site)
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(f"{base.rstrip('/')}/notices/2026-z1/yiju/")
        printed = page.eval_on_selector(".xc-doc__body", PRINTED_TEXT)
        assert printed.count("已整改完成") == 1 and printed.count("正在推进整改") == 1  # the headings only
        assert "完成情况：立行立改" in printed
        assert page.locator(".xc-problem__summary").first.is_hidden()
        page.emulate_media(media="screen")
        assert page.locator(".xc-badge--from-category").first.is_visible()
        assert page.locator(".xc-problem__status").first.is_hidden()
    finally:
        context.close()
