"""Rules that need the whole corpus: references, duplicates, date order and counts against statuses."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from .diagnostics import Diagnostics
from .model import Corpus, Counts, Notice, Round, Status, unit_key

_DATE_LABELS = {
    "inspection_start": "巡察开始日期",
    "inspection_end": "巡察结束日期",
    "feedback_date": "反馈日期",
    "notice_date": "落款日期",
    "published": "发布时间",
}


def validate(corpus: Corpus, diags: Diagnostics, *, build_time: datetime | None = None) -> None:
    """Append every cross-record problem in ``corpus`` to ``diags`` (``build_time``: the date corrections may not pass)."""
    for round_ in corpus.rounds.values():
        _check_round_dates(round_, diags)
    owners = _check_unit_slugs(corpus, diags)
    for notice in corpus.notices:
        _check_dates(notice, diags)
        listed = corpus.rounds.get(notice.round_id)
        if listed is not None:
            _check_membership(notice, listed, diags)
        _check_problems(notice, diags)
        _check_counts(notice, diags)
        _check_corrections(notice, build_time, diags)
        _check_notice_slug(notice, listed, owners, diags)
    _check_duplicates(corpus, diags)


@dataclass
class _SlugOwner:
    """The unit that a slug (its unit page's address) belongs to, and every name it goes by."""

    name: str
    keys: set[str]
    path: str
    line: int
    written: bool


def _check_unit_slugs(corpus: Corpus, diags: Diagnostics) -> dict[str, _SlugOwner]:
    """Two units with one slug would be merged into one unit page (titled with one of the names): an error, unless
    both round files write the slug, which is how a renamed unit keeps its page across rounds."""
    owners: dict[str, _SlugOwner] = {}
    for round_ in sorted(corpus.rounds.values(), key=lambda r: r.id):
        for unit in round_.units:
            keys = {unit_key(unit.name), *(unit_key(alias) for alias in unit.aliases)}
            owner = owners.get(unit.slug)
            if owner is None:
                owners[unit.slug] = _SlugOwner(unit.name, keys, round_.path, unit.line, unit.slug_written)
                continue
            same_round = owner.path == round_.path
            if owner.keys & keys or (owner.written and unit.slug_written and not same_round):
                owner.keys |= keys
                continue
            where = f"第 {owner.line} 行" if same_round else f"{owner.path} 第 {owner.line} 行"
            diags.error(
                round_.path,
                unit.line or 1,
                f"单位“{unit.name}”与{where}的“{owner.name}”网址名都是“{unit.slug}”，两个单位会合并成一个单位页面："
                "请为其中一个写不同的 slug（如确是同一单位改了名称，请在两个轮次文件中都写明这个 slug）",
            )
    return owners


def _check_notice_slug(notice: Notice, listed: Round | None, owners: dict[str, _SlugOwner], diags: Diagnostics) -> None:
    key = unit_key(notice.unit)
    owner = owners.get(notice.unit_slug)
    if owner is None:
        line = notice.lines.get("unit", 1)
        owners[notice.unit_slug] = _SlugOwner(notice.unit, {key}, notice.path, line, written=False)
        return
    unit = listed.find_unit(notice.unit) if listed is not None else None
    if key in owner.keys or (unit is not None and unit.slug == notice.unit_slug):
        return
    diags.error(
        notice.path,
        notice.lines.get("unit", 1),
        f"单位“{notice.unit}”与 {owner.path} 中的“{owner.name}”网址名都是“{notice.unit_slug}”："
        "请在轮次文件中列出这个单位并为它写 slug",
    )


def _check_corrections(notice: Notice, build_time: datetime | None, diags: Diagnostics) -> None:
    """A correction comes after the notice was published, and not after the build (it would date the sitemap and the
    feeds in the future)."""
    published = notice.published.date()
    today = build_time.astimezone(notice.published.tzinfo).date() if build_time is not None else None
    for correction in notice.corrections:
        line = correction.line or notice.lines.get("corrections", 1)
        if correction.date < published:
            diags.error(notice.path, line, f"更正日期 {correction.date} 早于通报的发布时间 {published}")
        elif today is not None and correction.date > today:
            diags.error(notice.path, line, f"更正日期 {correction.date} 晚于今天（构建日期 {today}）")


def _check_round_dates(round_: Round, diags: Diagnostics) -> None:
    start, end, feedback = round_.inspection_start, round_.inspection_end, round_.feedback_date
    if start and end and start > end:
        diags.error(round_.path, round_.lines.get("inspection_end", 1), f"巡察结束日期 {end} 早于开始日期 {start}")
    if end and feedback and feedback <= end:
        diags.error(round_.path, round_.lines.get("feedback_date", 1), f"反馈日期 {feedback} 应晚于巡察结束日期 {end}")
    for group in round_.groups:
        for unit in group.units:
            if unit.feedback_date and end and unit.feedback_date <= end:
                diags.error(
                    round_.path,
                    round_.lines.get("groups", 1),
                    f"“{unit.name}”的反馈日期 {unit.feedback_date} 应晚于巡察结束日期 {end}",
                )


def _check_dates(notice: Notice, diags: Diagnostics) -> None:
    """inspection start ≤ end < feedback ≤ notice date ≤ publication."""
    sequence: list[tuple[str, date | None]] = [
        ("inspection_start", notice.inspection_start),
        ("inspection_end", notice.inspection_end),
        ("feedback_date", notice.feedback_date),
        ("notice_date", notice.notice_date),
        ("published", notice.published.date()),
    ]
    known = [(key, value) for key, value in sequence if value is not None]
    for (key_a, a), (key_b, b) in pairwise(known):
        assert a is not None and b is not None
        strict = key_a == "inspection_end" and key_b == "feedback_date"
        if a > b or (strict and a == b):
            relation = "晚于" if strict else "不早于"
            diags.error(
                notice.path,
                notice.lines.get(key_b, notice.lines.get(key_a, 1)),
                f"日期顺序不对：{_DATE_LABELS[key_b]} {b} 应{relation}{_DATE_LABELS[key_a]} {a}",
            )


def _check_membership(notice: Notice, round_: Round, diags: Diagnostics) -> None:
    unit = round_.find_unit(notice.unit)
    line = notice.lines.get("unit", 1)
    if unit is None:
        names = [u.name for u in round_.units]
        close = difflib.get_close_matches(notice.unit, names, n=1, cutoff=0.0)
        hint = f"最接近的是“{close[0]}”" if close else "该轮没有列出任何单位"
        diags.warning(
            notice.path,
            line,
            f"轮次“{round_.name}”没有列出被巡察单位“{notice.unit}”（{hint}）；如确为同一单位，请在轮次文件中加别名 aliases",
        )
    groups = [group.name for group in round_.groups]
    if notice.group and notice.group not in groups:
        close = difflib.get_close_matches(notice.group, groups, n=1, cutoff=0.0)
        hint = f"最接近的是“{close[0]}”" if close else "该轮没有列出巡察组"
        diags.warning(
            notice.path, notice.lines.get("group", line), f"轮次“{round_.name}”没有“{notice.group}”（{hint}）"
        )
    elif unit is not None and notice.group and notice.group != unit.group:
        diags.warning(
            notice.path,
            notice.lines.get("group", line),
            f"轮次文件中“{unit.name}”属于{unit.group}，通报写的是{notice.group}",
        )
    if not notice.group:
        diags.error(notice.path, line, "缺少巡察组 group：轮次文件中也找不到该单位所属的巡察组")


def _check_problems(notice: Notice, diags: Diagnostics) -> None:
    body_line = notice.lines.get("body", 1)
    if not notice.parts:
        diags.error(notice.path, body_line, "正文没有分部分：请用二级标题（## 一、…、## 二、…）写出各部分")
    if not notice.problems:
        diags.error(
            notice.path,
            body_line,
            "正文没有整改问题：问题部分（如“## 二、巡察反馈问题整改情况”）下的每个问题应写成 ### 标题",
        )


_STATUS_COUNTS = ("completed", "basically_completed", "in_progress", "long_term", "not_completed")
_COUNT_WORDS = {
    "completed": "已完成",
    "basically_completed": "基本完成",
    "in_progress": "正在整改",
    "long_term": "长期坚持",
    "not_completed": "未完成",
}


def _check_counts(notice: Notice, diags: Diagnostics) -> None:
    stated, derived = notice.counts, notice.derived_counts
    line = notice.lines.get("counts", 1)
    total = stated.specific_problems if stated.specific_problems is not None else stated.problems
    parts = [getattr(stated, name) for name in _STATUS_COUNTS if getattr(stated, name) is not None]
    if total is not None and sum(parts) > total:
        diags.error(notice.path, line, f"写明的完成情况合计 {sum(parts)} 个，超过了问题总数 {total} 个")
    if stated.completion_rate is not None and total and stated.completed is not None:
        rate = 100 * stated.completed / total
        if abs(rate - stated.completion_rate) >= 1:
            diags.error(
                notice.path,
                line,
                f"完成率 {stated.completion_rate:g}% 与已完成 {stated.completed}/{total}（{rate:.1f}%）不符",
            )
    if derived.completed is not None and _all_leaves_have_status(notice):
        for name in _STATUS_COUNTS:
            said, shown = getattr(stated, name), getattr(derived, name)
            if said is not None and said != shown:
                diags.error(
                    notice.path,
                    line,
                    f"通报写明{_COUNT_WORDS[name]} {said} 个，但正文中标为“{_COUNT_WORDS[name]}”的问题有 {shown} 个",
                )
    _compare_totals(notice, stated, derived, line, diags)


def _compare_totals(notice: Notice, stated: Counts, derived: Counts, line: int, diags: Diagnostics) -> None:
    if stated.specific_problems is not None and derived.specific_problems is not None:
        if stated.specific_problems != derived.specific_problems:
            diags.warning(
                notice.path,
                line,
                f"写明具体问题 {stated.specific_problems} 个，正文列出 {derived.specific_problems} 个",
            )
    elif stated.problems is not None and derived.problems is not None:
        leaves = derived.specific_problems if derived.specific_problems is not None else derived.problems
        if stated.problems not in (derived.problems, leaves):
            diags.warning(notice.path, line, f"写明问题 {stated.problems} 个，正文列出 {derived.problems} 个")


def _all_leaves_have_status(notice: Notice) -> bool:
    return all(leaf.status is not Status.UNKNOWN for p in notice.problems for leaf in p.leaves())


def _check_duplicates(corpus: Corpus, diags: Diagnostics) -> None:
    seen: dict[tuple[str, str, str, date], Notice] = {}
    by_title: dict[str, list[Notice]] = defaultdict(list)
    for notice in corpus.notices:
        key = (notice.round_id, unit_key(notice.unit), notice.stage, notice.notice_date)
        if key in seen:
            diags.error(
                notice.path,
                notice.lines.get("unit", 1),
                f"重复的通报：{seen[key].path} 已是同一轮次、同一单位、同一阶段、同一落款日期的通报",
            )
        else:
            seen[key] = notice
        by_title[notice.title].append(notice)
    for title, notices in by_title.items():
        if len(notices) > 1 and len({n.notice_date for n in notices}) < len(notices):
            for notice in notices[1:]:
                diags.warning(notice.path, notice.lines.get("title", 1), f"标题“{title}”与 {notices[0].path} 相同")
