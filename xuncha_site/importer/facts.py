"""Facts of the preamble formula and the title: who inspected whom, when, in which round, and the notice's stage.

根据市委统一部署，2020年5月11日至6月19日，市委第七巡察组对桑植县政协党组进行了巡察。2020年7月27日，市委巡察组向
桑植县政协党组反馈了巡察意见。…现将巡察整改进展情况予以公布。
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

from xuncha_site.core.model import STAGES
from xuncha_site.importer.dates import CN_NUMBER, cn_number, find_dates, resolve

_ORDINAL = rf"(?:\d+|{CN_NUMBER})"
# A group's name never starts right after a digit: in "至6月30日省委第一巡视组" (a line break where the comma was),
# the 日 belongs to the date.
_GROUP = re.compile(
    rf"(?<![\d〇○零一二三四五六七八九十年月])(?P<group>(?![日号])[\u4e00-\u9fff]{{0,12}}?第{_ORDINAL}(?:轮)?巡[察视]组"
    rf"|(?![日号])[\u4e00-\u9fff]{{0,8}}?[省市县区州旗]委巡[察视](?:{_ORDINAL})?组)"
)
_UNIT = re.compile(
    r"(?:对|进驻)(?P<unit>[^，,。；;：:“”\s]{2,40}?)(?:及其?所属(?:党组织|单位)?|党组织)?"
    r"(?:进行了|开展了|进行|开展|实施了|实施)(?:为期[^，,。]{1,12}?的)?(?P<kind>[^，,。；;]{0,20}?)巡[察视]"
)
_COMMITTEE = re.compile(
    r"(?:根据|按照|据)(?P<committee>[^，,。；;]{1,24}?)(?:巡[察视]工作)?(?:的)?(?:统一|总体)?(?:部署|安排)"
)
_ROUND = re.compile(
    rf"(?P<name>(?:(?P<term>{CN_NUMBER}届)|(?P<year>\d{{4}})年度?)(?P<committee>[\u4e00-\u9fff]{{0,8}}?)"
    rf"第(?P<number>{_ORDINAL})轮(?:巡[察视])?)"
)
_EARLIER = re.compile(r"(?:\d{1,2}\s*月(?:\d{1,2}\s*日)?|上轮|上一轮|上次|此前|以前|曾|前轮|前次)\s*$")
_EARLIER_AFTER = re.compile(r"(?:巡[察视])?(?:时|中|期间)?(?:反馈|指出|发现|交办|移交)的")
_ALIAS = re.compile(r"[(（]\s*以下简称[^)）]{0,20}[)）]")
_ANNOUNCE = re.compile(r"现将[^。]*?(?:予以公布|公布如下|予以公开|通报如下|公开如下|报告如下)")
_PERIOD_SEP = r"\s*(?:至|到|—|–|-|－|~|～)\s*"


@dataclass(frozen=True)
class RoundName:
    """A round as the text names it: 六届市委第九轮巡察 → term 六届, number 9."""

    text: str
    term: str = ""
    year: int | None = None
    number: int | None = None


@dataclass(frozen=True)
class PreambleFacts:
    committee: str = ""  # the party committee that sent the group, as written (市委, 中共张家界市委)
    group: str = ""
    unit: str = ""
    kind: str = ""  # 专项 / 回头看 / 机动 / 提级 / 常规, or "" when the text does not say
    topic: str = ""  # the subject of a special inspection, as written
    inspection_start: date | None = None
    inspection_end: date | None = None
    feedback_date: date | None = None


def read_preamble(text: str, year_hint: date | None) -> PreambleFacts:
    """Facts of the preamble formula; dates without a year take it from the date before them (or ``year_hint``)."""
    group = _GROUP.search(text)
    unit = _UNIT.search(text)
    committee = _COMMITTEE.search(text)
    start = end = feedback = None
    context = None
    dated: list[tuple[int, int, date]] = []
    mentions = list(find_dates(text))
    if mentions and mentions[0].year is None and year_hint is not None:
        # No year before the first date: take the one that puts it before the hint (the notice date).
        first = mentions[0]
        guess = year_hint.year - (1 if (first.month, first.day) > (year_hint.month, year_hint.day) else 0)
        context = date(guess, 1, 1)
    for mention in mentions:
        resolved = resolve(mention, context)
        if resolved is not None:
            dated.append((mention.start, mention.end, resolved))
            context = resolved
    for (_s1, e1, d1), (s2, _e2, d2) in itertools.pairwise(dated):
        if re.fullmatch(_PERIOD_SEP, text[e1:s2]) and start is None:
            start, end = d1, d2
    feedback_at = _feedback_position(text)
    if feedback_at is not None:
        before = [
            d for s, _e, d in dated if s < feedback_at and (end is None or d > end) and "。" not in text[s:feedback_at]
        ]
        feedback = before[-1] if before else None
    kind, topic = _kind(unit["kind"] if unit else "", text)
    return PreambleFacts(
        committee=committee["committee"].strip() if committee else "",
        group=group["group"] if group else "",
        unit=_ALIAS.sub("", unit["unit"]).strip() if unit else "",
        kind=kind,
        topic=topic,
        inspection_start=start,
        inspection_end=end,
        feedback_date=feedback,
    )


def _feedback_position(text: str) -> int | None:
    match = re.search(r"反馈(?:了)?[^。，,；;]{0,12}?(?:意见|情况|问题)|反馈会|集中反馈|进行了反馈|作了反馈", text)
    return match.start() if match else None


def _kind(words: str, text: str) -> tuple[str, str]:
    if "回头看" in words or re.search(r"巡[察视]\s*[“\"]?回头看", text):
        return "回头看", ""
    for kind in ("专项", "机动", "提级", "常规"):
        if kind in words:
            topic = words.split(kind)[0].strip("的 ") if kind == "专项" else ""
            return kind, topic
    return "", ""


def find_round_name(*texts: str) -> RoundName | None:
    """The round the text names (十四届市委第十三轮巡察, 2023年第二轮巡察), looking in ``texts`` in order.

    An earlier round that the text refers back to (2018年11月七届市委第七轮巡察反馈的…, 上轮…) is not this one.
    """
    for text in texts:
        for match in _ROUND.finditer(text):
            if _EARLIER.search(text[max(0, match.start() - 12) : match.start()]) or _EARLIER_AFTER.match(
                text, match.end()
            ):
                continue
            return RoundName(
                text=match["name"] if match["name"].endswith(("巡察", "巡视")) else match["name"] + "巡察",
                term=match["term"] or "",
                year=int(match["year"]) if match["year"] else None,
                number=cn_number(match["number"]),
            )
    return None


def find_stage(title: str, text: str) -> tuple[str, bool]:
    """The stage (进展/阶段性进展/集中整改/完成/回头看) and whether the words said it plainly."""
    for where in (title, _announcement(text)):
        if not where:
            continue
        if "回头看" in where:
            return "回头看", True
        if "集中整改" in where:
            return "集中整改", True
        if "阶段性" in where:
            return "阶段性进展", True
        if "进展" in where:
            return "进展", True
        if re.search(r"整改(?:落实)?(?:工作)?情况", where):
            return "完成", False
    return "进展", False


def _announcement(text: str) -> str:
    match = _ANNOUNCE.search(text)
    return match[0] if match else ""


assert set(STAGES) >= {"进展", "阶段性进展", "集中整改", "完成", "回头看"}
