"""Counts sentences in all their phrasings → stated :class:`~xuncha_site.model.Counts`.

反馈的14个问题38个具体问题，已完成整改35个，基本完成整改3个 · 25个问题，已完成19个、正在整改6个，完成率76% ·
提出3项意见建议 · 确定了23条整改措施 · 建立完善16项制度 · 根据巡察反馈的6个问题细化分解了9个问题 …
The first figure stated for a field wins: summaries come before details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xuncha_site.core.model import Counts
from xuncha_site.importer.dates import CN_NUMBER, cn_number

# Bounded (no count has more digits): an unbounded run would take the square of a long line of digits to scan.
_N = rf"(?P<n>\d{{1,6}}|{CN_NUMBER})\s*"
_UNIT = r"(?:个|项|条|件|类|处)"
_HAS = r"(?:的)?(?:有|共|达)?\s*"

# (field, pattern); specific problems come before problems so that their text is taken first.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("specific_problems", rf"{_N}{_UNIT}具体问题"),
    ("specific_problems", rf"具体问题{_HAS}{_N}{_UNIT}"),
    (
        "specific_problems",
        rf"(?:细化|分解|梳理|细化分解|细化梳理|细化为|分解为|梳理出|分解出|细化出)(?:了|出|为|成)?{_N}{_UNIT}(?:具体)?问题",
    ),
    ("problems", rf"{_N}{_UNIT}(?:方面)?(?:的)?问题"),
    ("problems", rf"(?:反馈|指出|发现)(?:的)?问题{_HAS}{_N}{_UNIT}"),
    ("suggestions", rf"{_N}{_UNIT}(?:整改)?(?:意见建议|意见和建议|建议)"),
    ("suggestions", rf"意见建议{_HAS}{_N}{_UNIT}"),
    ("measures", rf"{_N}{_UNIT}(?:具体)?(?:整改)?(?:措施|举措)"),
    ("measures", rf"整改(?:措施|举措){_HAS}{_N}{_UNIT}"),
    ("rules", rf"{_N}{_UNIT}(?:规章|长效)?(?:制度|机制)"),
    (
        "rules",
        rf"(?:建立|完善|修订|制定|出台|新建|健全|修订完善|建立完善|建立健全)(?:了)?(?:各类|相关)?(?:规章)?制度(?:措施)?{_HAS}{_N}{_UNIT}",
    ),
    ("basically_completed", rf"基本(?:完成|整改到位)(?:整改)?{_HAS}{_N}{_UNIT}?"),
    ("basically_completed", rf"{_N}{_UNIT}(?:问题)?(?:已)?基本(?:完成|整改到位)"),
    (
        "completed",
        rf"(?<![基本性未])(?:已经?|均已|全部)(?:全部)?(?:完成|整改完成|完成整改|整改到位|办结|销号)(?:整改)?{_HAS}{_N}{_UNIT}?",
    ),
    ("completed", rf"(?<![基本性未已])完成整改{_HAS}{_N}{_UNIT}"),
    ("completed", rf"{_N}{_UNIT}(?:问题)?(?:已经?|均已)(?:全部)?(?:完成|整改完成|完成整改|整改到位|办结|销号)"),
    ("in_progress", rf"(?:正在整改|正在推进|整改中|持续整改|正在落实|推进中|正在按计划推进)(?:中)?{_HAS}{_N}{_UNIT}"),
    ("in_progress", rf"{_N}{_UNIT}(?:问题)?(?:正在整改|正在推进|整改中|持续推进中|正在落实)"),
    ("staged", rf"阶段性(?:完成|整改)(?:整改)?{_HAS}{_N}{_UNIT}"),
    ("staged", rf"{_N}{_UNIT}(?:问题)?(?:已)?(?:取得)?阶段性(?:完成|成效|进展)"),
    ("long_term", rf"(?:需要?|需)?长期(?:坚持|整改|推进)(?:的)?{_HAS}{_N}{_UNIT}"),
    ("long_term", rf"{_N}{_UNIT}(?:问题)?(?:需要?|需)长期(?:坚持|整改|推进)"),
    ("not_completed", rf"(?:尚未完成|未完成|尚未整改到位)(?:整改)?{_HAS}{_N}{_UNIT}"),
    ("not_completed", rf"{_N}{_UNIT}(?:问题)?(?:尚)?未(?:完成|整改到位)"),
)
_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in _PATTERNS)
_RATE = re.compile(r"完成率(?:达到?|为|是)?\s*(?P<n>\d+(?:\.\d+)?)\s*[%％]")


@dataclass(frozen=True)
class CountsFound:
    counts: Counts
    sentences: tuple[str, ...]  # the sentences the figures came from, for the report


def find_counts(paragraphs: list[str]) -> CountsFound:
    """The figures stated in ``paragraphs`` (the narrative of a notice, not its problem texts)."""
    values: dict[str, int | float] = {}
    sentences: list[str] = []
    for paragraph in paragraphs:
        for sentence in re.split(r"(?<=[。；;！!？?])", paragraph):
            if _read_sentence(sentence, values):
                sentences.append(sentence.strip())
    staged = values.pop("staged", None)
    if staged is not None:
        # 阶段性完成 counts as 正在整改 in the record (docs/记录格式.md).
        values["in_progress"] = int(values.get("in_progress", 0)) + int(staged)
    return CountsFound(Counts(**values), tuple(sentences))  # type: ignore[arg-type]


def _read_sentence(sentence: str, values: dict[str, int | float]) -> bool:
    found = False
    taken: list[tuple[int, int]] = []
    for name, pattern in _COMPILED:
        for match in pattern.finditer(sentence):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            number = cn_number(match["n"])
            if number is None:
                continue
            if name not in values:
                # Only a figure that is used masks its text (38个具体问题 is not also 38个问题).
                taken.append(match.span())
                values[name] = number
                found = True
            break
    rate = _RATE.search(sentence)
    if rate and "completion_rate" not in values:
        values["completion_rate"] = float(rate["n"])
        found = True
    return found
