"""Counts sentences → stated :class:`~xuncha_site.core.model.Counts`, each figure with the sentence it came from.

Only a sentence that states the inspection's feedback or its rectification results gives figures
(docs/记录格式.md, “导入时的数字”):

* feedback: 反馈的14个问题38个具体问题 · 指出存在11个问题 · 6个方面17大项问题69子项问题 · 提出3项意见建议;
* results: 已完成整改35个，基本完成整改3个 · 正在整改6个 · 需长期坚持1个 · 整改完成率76% · 制定整改措施31条 ·
  建立完善制度12项.

A number in any other sentence never becomes a count: 制定13条措施 (measures that are not 整改措施), “十三五”16项未完成
定量指标 (not problems), 解决群众急难愁盼问题120个 (not the inspection's feedback). Completion figures of 整改任务 or
整改措施 are not written as the completion of problems; a stated rate that disagrees with the stated counts is not
written. Both are said in :attr:`CountsFound.notes`, for the import report. The first figure stated for a field wins:
summaries come before details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xuncha_site.core.model import Counts
from xuncha_site.importer.dates import CN_NUMBER, cn_number

# Bounded (no count has more digits): an unbounded run would take the square of a long line of digits to scan.
# Not after 每/各/第…: 每一项整改措施 and 第3个问题 are no counts.
_N = rf"(?<![每各这那某任哪第])(?P<n>\d{{1,6}}|{CN_NUMBER})\s*"
_UNIT = r"(?:个|项|条|件|类|处)"
_HAS = r"(?:的)?(?:有|共|达)?\s*"
# After a status figure: the sentence goes on, or names what was completed only as 问题/整改 (never another noun:
# 已完成13个项目 is not 13 problems).
_END = r"(?=$|[，,。；;、（）()\s]|问题|整改|其中|并|均)"

# A sentence about the inspection's feedback, or about rectification results.
_FEEDBACK = re.compile(r"反馈|巡察|巡视|指出|交办|移交|提出|意见建议")
_RESULTS = re.compile(r"整改|问题|销号|办结")

# (field, pattern); specific problems come before problems so that their text is taken first.
_FEEDBACK_PATTERNS: tuple[tuple[str, str], ...] = (
    ("specific_problems", rf"{_N}{_UNIT}具体问题"),
    ("specific_problems", rf"{_N}{_UNIT}?子项(?:问题)?"),
    ("specific_problems", rf"具体问题{_HAS}{_N}{_UNIT}"),
    (
        "specific_problems",
        rf"(?:细化|分解|梳理|细化分解|细化梳理|细化为|分解为|梳理出|分解出|细化出)(?:了|出|为|成)?{_N}{_UNIT}(?:具体)?问题",
    ),
    ("problems", rf"{_N}{_UNIT}?大项(?:问题)?"),
    ("problems", rf"{_N}{_UNIT}(?:的)?问题"),
    ("problems", rf"(?:反馈|指出|发现|涉及整改|整改)(?:的)?问题{_HAS}{_N}{_UNIT}"),
    ("suggestions", rf"{_N}{_UNIT}(?:整改)?(?:意见建议|意见和建议|建议)"),
    ("suggestions", rf"意见建议{_HAS}{_N}{_UNIT}"),
)
_RESULT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("measures", rf"{_N}{_UNIT}(?:具体)?整改(?:措施|举措|任务)"),
    ("measures", rf"整改(?:措施|举措|任务){_HAS}{_N}{_UNIT}"),
    ("rules", rf"{_N}{_UNIT}(?:规章|长效)?制度"),
    (
        "rules",
        rf"(?:建立|完善|修订|制定|出台|新建|健全|修订完善|建立完善|建立健全)(?:了)?(?:各类|相关)?(?:规章)?制度(?:措施)?{_HAS}{_N}{_UNIT}",
    ),
    ("basically_completed", rf"基本(?:完成|整改到位)(?:整改)?{_HAS}{_N}{_UNIT}?{_END}"),
    ("basically_completed", rf"{_N}{_UNIT}(?:问题)?(?:已)?基本(?:完成|整改到位)"),
    (
        "completed",
        rf"(?<![基本性未])(?:已经?|均已|全部)(?:全部)?(?:完成|整改完成|完成整改|整改到位|办结|销号)(?:整改)?(?:问题)?{_HAS}{_N}{_UNIT}?{_END}",
    ),
    ("completed", rf"(?<![基本性未已])完成整改{_HAS}{_N}{_UNIT}{_END}"),
    ("completed", rf"{_N}{_UNIT}(?:问题)?(?:已经?|均已)(?:全部)?(?:完成|整改完成|完成整改|整改到位|办结|销号)"),
    (
        "in_progress",
        rf"(?:正在整改|正在推进|整改中|持续整改|正在落实|推进中|正在按计划推进)(?:中)?{_HAS}{_N}{_UNIT}{_END}",
    ),
    ("in_progress", rf"{_N}{_UNIT}(?:问题)?(?:正在整改|正在推进|整改中|持续推进中|正在落实)"),
    ("staged", rf"阶段性(?:完成|整改)(?:整改)?{_HAS}{_N}{_UNIT}{_END}"),
    ("staged", rf"{_N}{_UNIT}(?:问题)?(?:已)?(?:取得)?阶段性(?:完成|成效|进展)"),
    ("long_term", rf"(?:需要?|需)?长期(?:坚持|整改|推进)(?:的)?(?:任务|问题)?{_HAS}{_N}{_UNIT}{_END}"),
    ("long_term", rf"{_N}{_UNIT}(?:问题)?(?:需要?|需)长期(?:坚持|整改|推进)"),
    ("not_completed", rf"(?:尚未完成|未完成|尚未整改到位)(?:整改)?{_HAS}{_N}{_UNIT}{_END}"),
    ("not_completed", rf"{_N}{_UNIT}问题(?:尚)?未(?:完成|整改到位)"),
)
_FEEDBACK_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in _FEEDBACK_PATTERNS)
_RESULT_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in _RESULT_PATTERNS)
# 整改完成率 / 问题完成率 / 总体完成率 / a bare 完成率 — never 计划完成率, 资金执行完成率 and the like.
_RATE = re.compile(
    r"(?:(?<=整改)|(?<=问题)|(?<=总体)|(?<=整体)|(?<![\u4e00-\u9fff]))完成率(?:达到?|为|是)?\s*(?P<n>\d+(?:\.\d+)?)\s*[%％]"
)
_TASKS = re.compile(r"整改(?:措施|举措|任务)|任务")
_STATUS_FIELDS = ("completed", "basically_completed", "in_progress", "long_term", "not_completed", "staged")

FIELD_WORDS = {
    "problems": "问题",
    "specific_problems": "具体问题",
    "suggestions": "意见建议",
    "measures": "整改措施",
    "rules": "建立完善制度",
    "completed": "已完成",
    "basically_completed": "基本完成",
    "in_progress": "正在整改",
    "long_term": "需长期坚持",
    "not_completed": "未完成",
    "completion_rate": "完成率",
}


@dataclass(frozen=True)
class CountsFound:
    counts: Counts
    # The sentences that gave a figure or a note, in order: reading them again gives the same CountsFound.
    sentences: tuple[str, ...]
    sources: dict[str, str] = field(default_factory=dict)  # field → the sentence its figure came from
    notes: tuple[str, ...] = ()  # figures read but not written, and why


def find_counts(paragraphs: list[str]) -> CountsFound:
    """The figures stated in ``paragraphs`` (the narrative of a notice, not its problem texts)."""
    values: dict[str, int | float] = {}
    sources: dict[str, str] = {}
    sentences: list[str] = []
    notes: list[str] = []
    for paragraph in paragraphs:
        for sentence in re.split(r"(?<=[。；;！!？?])", paragraph):
            text = sentence.strip()
            noted = len(notes)
            found = _read_sentence(text, notes)
            fresh = {name: value for name, value in found.items() if name not in values}
            values.update(fresh)
            sources.update(dict.fromkeys(fresh, text))
            if (fresh or len(notes) > noted) and text not in sentences:
                sentences.append(text)
    staged = values.pop("staged", None)
    if staged is not None:
        # 阶段性完成 counts as 正在整改 in the record (docs/记录格式.md).
        values["in_progress"] = int(values.get("in_progress", 0)) + int(staged)
        staged_source = sources.pop("staged")
        earlier = sources.get("in_progress")
        sources["in_progress"] = earlier + staged_source if earlier and earlier != staged_source else staged_source
    _check_rate(values, sources, notes)
    return CountsFound(Counts(**values), tuple(sentences), sources, tuple(notes))  # type: ignore[arg-type]


def _read_sentence(sentence: str, notes: list[str]) -> dict[str, int | float]:
    """The figures one sentence states, if it is about the feedback or the rectification results."""
    values: dict[str, int | float] = {}
    feedback, results = bool(_FEEDBACK.search(sentence)), bool(_RESULTS.search(sentence))
    if not (feedback or results):
        return values
    taken: list[tuple[int, int]] = []
    compiled = (_FEEDBACK_COMPILED if feedback else ()) + (_RESULT_COMPILED if results else ())
    for name, pattern in compiled:
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
            break
    rate = _RATE.search(sentence)
    if rate and results:
        values["completion_rate"] = float(rate["n"])
    status = [name for name in _STATUS_FIELDS if name in values]
    if status and _TASKS.search(sentence) and not {"problems", "specific_problems"} & values.keys():
        # 177项整改任务，已完成174项: the completion of tasks, not of problems; the record counts problems.
        for name in [*status, "completion_rate"]:
            values.pop(name, None)
        notes.append(f"“{_short(sentence)}”中的完成情况是整改任务（措施）的，不是问题的，未写入完成情况")
    return values


def _check_rate(values: dict[str, int | float], sources: dict[str, str], notes: list[str]) -> None:
    """Drop a stated rate that disagrees with the stated counts (19 of 25 is 76%, not 80%)."""
    rate, done = values.get("completion_rate"), values.get("completed")
    total = values.get("specific_problems", values.get("problems"))
    if rate is None or done is None or not total:
        return
    computed = 100 * done / total
    if abs(computed - rate) >= 1:
        del values["completion_rate"]
        source = sources.pop("completion_rate")
        word = FIELD_WORDS["specific_problems" if "specific_problems" in values else "problems"]
        notes.append(
            f"完成率 {rate:g}%（“{_short(source)}”）与已完成 {done:g} ÷ {word} {total:g} = {computed:.1f}% 不符，"
            "未写入完成率；请核对原文"
        )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
