"""Dates as notices write them: 2021年4月30日, 8月11日 (year from context), 二〇二一年十二月十七日, 2021-12-17."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# Bounded: an unbounded run would make every pattern that uses it take the square of a long line's length.
CN_NUMBER = "[〇○零一二两三四五六七八九十百]{1,8}"

# 2021年4月30日 / 4月30日 / 2021.4.30 / 2021-04-30 / 2021/4/30; the year part is optional only in the 年月日 form.
DATE_PATTERN = (
    r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
    r"|(?P<iy>\d{4})[-./](?P<im>\d{1,2})[-./](?P<id>\d{1,2})(?!\d)"
    r"|(?P<cy>[〇○零一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,2})月(?P<cd>[一二三四五六七八九十]{1,3})日"
)
DATE_RE = re.compile(DATE_PATTERN)


def cn_number(text: str) -> int | None:
    """``十四`` → 14, ``二十三`` → 23, ``一百零二`` → 102, ``38`` → 38; None when it is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def _cn_year(text: str) -> int:
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


@dataclass(frozen=True)
class DateMention:
    """A date in the text; ``year`` is None when the text leaves it out (8月11日)."""

    start: int
    end: int
    year: int | None
    month: int
    day: int
    text: str


def find_dates(text: str) -> Iterator[DateMention]:
    """Every date written in ``text``, in order."""
    for match in DATE_RE.finditer(text):
        if match["m"]:
            year = int(match["y"]) if match["y"] else None
            month, day = int(match["m"]), int(match["d"])
        elif match["im"]:
            year, month, day = int(match["iy"]), int(match["im"]), int(match["id"])
        else:
            year = _cn_year(match["cy"])
            month, day = cn_number(match["cm"]) or 0, cn_number(match["cd"]) or 0
        if 1 <= month <= 12 and 1 <= day <= 31:
            yield DateMention(match.start(), match.end(), year, month, day, match[0])


def resolve(mention: DateMention, context: date | None) -> date | None:
    """The full date: a missing year comes from the date before it, one year on when the month runs backwards
    (an inspection in November and December, feedback on 1月12日 of the next year)."""
    year = mention.year
    if year is None:
        if context is None:
            return None
        year = context.year
        if (mention.month, mention.day) < (context.month, context.day):
            year += 1
    try:
        return date(year, mention.month, mention.day)
    except ValueError:
        return None


def parse_full_date(text: str) -> date | None:
    """A line that is only a date (a signature date, a 发布日期 value); None otherwise."""
    stripped = re.sub(r"\s+", "", text)
    match = DATE_RE.fullmatch(stripped)
    if not match:
        return None
    mention = next(find_dates(stripped), None)
    return resolve(mention, None) if mention and mention.year else None
