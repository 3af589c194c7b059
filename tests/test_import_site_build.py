"""Round trip: every fixture imported into one site, the site built, and every sentence of every input found on the
rendered notice page (white space, punctuation width and date spelling aside)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from import_helpers import PAGE_FIXTURES, TEXT_FIXTURES, WORD_FIXTURES, fixture_file, fold, make_site, source_paragraphs
from site_fixtures import BUILD_EPOCH

from xuncha_site.commands.cli import main
from xuncha_site.core.model import status_from_words

ALL = TEXT_FIXTURES + WORD_FIXTURES + PAGE_FIXTURES

# The page shows a status line (完成情况：已完成) or a heading's (已完成) as a badge with the status words only.
_STATUS_LINE = re.compile(r"^(?:完成情况|整改情况|整改进度|整改状态)\s*[:：]\s*(?P<words>[^。]{2,40}?)[。.]?$")
_TITLE_STATUS = re.compile(r"^(?P<title>.+?)[(（](?P<words>[^()（）]{2,12})[)）]$")
_META = re.compile(r"(来源|编辑|责任编辑|本文链接|发布日期|发布时间|信息索引号)\s*[:：]\s*")
# Facts the notice page does not show; they stay in the record's ``source`` (checked in test_import_fixtures).
_NOT_ON_PAGE = ("本文链接", "信息索引号")


def _needles(paragraph: str) -> list[str]:
    status = _STATUS_LINE.match(paragraph)
    if status and status_from_words(status["words"]):
        return [status["words"]]
    titled = _TITLE_STATUS.match(paragraph)
    if titled and status_from_words(titled["words"]):
        return [titled["title"], titled["words"]]
    if _META.match(paragraph):
        pieces = _META.split(paragraph)[1:]
        return [value for label, value in zip(pieces[::2], pieces[1::2], strict=True) if label not in _NOT_ON_PAGE]
    return [s for s in re.split(r"(?<=[。；！？])", paragraph) if s.strip()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """name → (input file, rendered notice page)."""
    root = tmp_path_factory.mktemp("roundtrip")
    config = make_site(root / "site")
    notices = config.parent / "content" / "notices"
    records: dict[str, Path] = {}
    for name in ALL:
        source = fixture_file(name, root)
        before = set(notices.rglob("*.md"))
        assert main(["import", "-f", str(config), str(source)]) == 0, name
        (record,) = set(notices.rglob("*.md")) - before
        records[name] = source, record.relative_to(notices).with_suffix("")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        assert main(["build", "-f", str(config), "-d", str(root / "out")]) == 0
    return {name: (source, root / "out" / "notices" / slug / "index.html") for name, (source, slug) in records.items()}


@pytest.mark.parametrize("name", ALL)
def test_every_input_sentence_is_on_the_rendered_page(built, name):
    source, page = built[name]
    article = BeautifulSoup(page.read_bytes(), "lxml").find("article")
    assert article is not None
    shown = fold(article.get_text("\n"))
    missing = [
        needle for paragraph in source_paragraphs(source) for needle in _needles(paragraph) if fold(needle) not in shown
    ]
    assert missing == []


def test_page_check_can_fail(built):
    _source, page = built["categories.txt"]
    shown = fold(BeautifulSoup(page.read_bytes(), "lxml").get_text("\n"))
    assert fold("一段不在通报里的文字。") not in shown and fold("全面梳理廉政风险点42个，制定防控措施61条。") in shown
