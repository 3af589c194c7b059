"""Nothing lost: every line of the source is in the record (its body or a front-matter field) or in the report's list
of page chrome.

The importer checks each record it writes this way (a line in neither place is an internal error the editor is told
about), and ``bench/import_archive.py`` counts with it over a whole archive. Lines are compared without white space,
punctuation width and date spelling (the body's text as the writer escaped it); a line of chrome whose pieces went to different places (来源 to
a field, 浏览量 to the report) is looked for piece by piece.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from xuncha_site.core.characters import without_forbidden
from xuncha_site.core.record_text import inline, paragraph

MAX_LINES = 5_000  # a notice has a few hundred lines; beyond this the check is skipped rather than slow
SHORT = 12

_PUNCTUATION = str.maketrans({"。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "【": "[", "】": "]",
                              "—": "-", "–": "-", "～": "~", "《": "<", "》": ">"})  # fmt: skip
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_LABELS = (
    "信息索引号|索引号|文件名称|发布机构|成文日期|生成日期|公开方式|信息来源|文章来源|来源|责任编辑|编辑|作者|本文链接|原文链接|"
    "发布日期|发布时间|发表时间|日期|时间|浏览量|浏览次数|浏览|阅读次数|访问量|点击量|字号|字体大小|字体|保护视力色|分享|页面|对比度"
)
_PIECES = re.compile(rf"(?:{_LABELS})\s*[:：]|^[A-Za-z_]+:\s*|\s+|<br>|[|｜]|[【】]|->|•|\]\(|^\[|\)$")
_JUNK = ".,:：;；-\"'[]()（）!！?？/"


@dataclass(frozen=True)
class Accounting:
    kept: int  # lines found in the record
    chrome: int  # lines found only among the page chrome the report lists
    lost: tuple[str, ...]  # lines (or pieces of lines) found nowhere


def fold(text: str) -> str:
    """Text as compared: no white space; full-width forms, punctuation width and dates folded; without the characters
    that no record may hold (the writer leaves them out: :func:`xuncha_site.core.characters.without_forbidden`)."""
    text = unicodedata.normalize("NFKC", without_forbidden(text)).translate(_PUNCTUATION)
    text = _DATE.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)
    return re.sub(r"\s+", "", text)


def _in_body(line: str) -> tuple[str, ...]:
    """A line as the record's body may hold it: as written (a table), or escaped as the writer escapes text."""
    return tuple(dict.fromkeys(fold(form) for form in (inline(line), paragraph(line), line)))


def account(lines: Sequence[str], fields: Sequence[str], body: str, dropped: Sequence[str]) -> Accounting:
    """Where each of ``lines`` went: the record's front-matter ``fields`` (their values), its ``body`` (searched in
    order), or ``dropped``."""
    folded_body = fold(re.sub(r"^#{1,6}[ \t]+", "", body, flags=re.M).replace("|", "").replace("<br>", ""))
    values = {fold(value) for value in fields if value}
    folded_front = "\n".join(values)
    chrome_list = {fold(text) for text in dropped}
    chrome_all = "".join(fold(text) for text in dropped)
    kept = chrome = 0
    lost: list[str] = []
    position = 0
    for line in lines:
        needle = fold(line)
        if not needle.strip(_JUNK):
            continue
        if needle in chrome_list or (len(needle) <= SHORT and needle in chrome_all):
            chrome += 1  # a short line (a link of a nav bar) would otherwise be found anywhere in the body
            continue
        if needle in values:
            kept += 1  # the title: found in the body, it would be found at the start of a paragraph that begins so
            continue
        found, length = _find(folded_body, _in_body(line), position)
        if found >= 0:
            kept, position = kept + 1, found + length
            continue
        if needle in folded_front:
            kept += 1
            continue
        if needle in chrome_all:
            chrome += 1
            continue
        in_record = in_chrome = False
        missing = []
        # Pieces are mostly chrome and facts: looked for there first, so that a short piece (大, 中) found far down
        # the body does not move the place where the next lines are looked for; without the brackets and punctuation
        # around them (a widget "[关闭]" whose "[" a broken tag before it took is listed as "关闭").
        for piece in (p for p in _PIECES.split(line) if p and fold(p).strip(_JUNK)):
            part = fold(piece).strip(_JUNK)
            if part in chrome_all:
                in_chrome = True
            elif part in folded_front:
                in_record = True
            else:
                at, length = _find(folded_body, _in_body(piece), position)
                if at >= 0:
                    in_record, position = True, at + length
                else:
                    missing.append(piece)
        if missing:
            lost += missing
        elif in_record:
            kept += 1
        elif in_chrome:
            chrome += 1
    return Accounting(kept, chrome, tuple(lost))


def _find(body: str, forms: tuple[str, ...], position: int) -> tuple[int, int]:
    """Where the first of ``forms`` found in ``body`` from ``position`` starts, and its length; (-1, 0) if none."""
    for form in forms:
        found = body.find(form, position)
        if found >= 0:
            return found, len(form)
    return -1, 0
