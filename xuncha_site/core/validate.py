"""Rules that need the whole corpus: references, duplicates, date order and counts against statuses."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from xuncha_site.core.diagnostics import Diagnostic, Diagnostics
from xuncha_site.core.model import Corpus, Notice, Round, Status, counted_items, unit_key
from xuncha_site.core.scaffold import placeholder_in
from xuncha_site.core.stats import STATUS_FIELDS, stated_total

_DATE_LABELS = {
    "inspection_start": "巡察开始日期",
    "inspection_end": "巡察结束日期",
    "feedback_date": "反馈日期",
    "notice_date": "落款日期",
    "published": "发布时间",
}


# ``xuncha serve``: by notice file, what the checks of one notice (and its round) found when they last ran on the very
# same objects: (notice, its round, the diagnostics).
NoticeChecks = dict[str, tuple[Notice, Round | None, tuple[Diagnostic, ...]]]


def validate(
    corpus: Corpus, diags: Diagnostics, *, build_time: datetime | None = None, memo: NoticeChecks | None = None
) -> None:
    """Append every cross-record problem in ``corpus`` to ``diags`` (``build_time``: the date corrections may not pass).

    ``memo`` (``xuncha serve``) keeps what the checks of each notice alone found: a notice and round that are the
    same objects as last time are not checked again (but for its corrections' dates, against the build time), and give
    the same diagnostics in the same order."""
    for round_ in corpus.rounds.values():
        _check_round_dates(round_, diags)
        _check_round_placeholders(round_, diags)
    owners = _check_unit_slugs(corpus, diags)
    for notice in corpus.notices:
        listed = corpus.rounds.get(notice.round_id)
        kept = memo.get(notice.path) if memo is not None else None
        if kept is not None and kept[0] is notice and kept[1] is listed:
            diags.extend(kept[2])
        else:
            before = len(diags.items)
            _check_notice(notice, listed, diags)
            if memo is not None:
                memo[notice.path] = (notice, listed, tuple(diags.items[before:]))
        _check_corrections(notice, build_time, diags)  # against the build time, which differs each time
        _check_notice_slug(notice, listed, owners, diags)
    _check_duplicates(corpus, diags)


def _check_notice(notice: Notice, listed: Round | None, diags: Diagnostics) -> None:
    """The checks of one notice that need nothing but it and its round."""
    _check_dates(notice, diags)
    if listed is not None:
        _check_membership(notice, listed, diags)
    _check_problems(notice, diags)
    _check_counts(notice, diags)
    _check_notice_placeholders(notice, diags)
    _check_stage(notice, diags)


_FILL = "仍是新建时的占位文字"


def _check_round_placeholders(round_: Round, diags: Diagnostics) -> None:
    """A round still holding `xuncha new` placeholders cannot go live: its units would be listed as 尚未公开."""
    fields: list[tuple[str, str, str]] = [
        ("name", "轮次名称 name", round_.name),
        ("committee", "巡察党委 committee", round_.committee),
        ("term", "届次 term", round_.term),
        ("topic", "巡察主题 topic", round_.topic),
        ("description", "轮次说明 description", round_.description),
    ]
    for g, group in enumerate(round_.groups, 1):
        fields.append(("groups", f"第{g}个巡察组的名称 groups → name", group.name))
        fields.append(("groups", f"第{g}个巡察组的组长 groups → leader", group.leader))
        for u, unit in enumerate(group.units, 1):
            fields.append(("groups", f"{group.name}第{u}个被巡察单位 groups → units → name", unit.name))
    for key, label, value in fields:
        found = placeholder_in(value)
        if found:
            diags.error(round_.path, round_.lines.get(key, 1), f"{label} {_FILL}“{found}”：请填写后再发布")


def _check_notice_placeholders(notice: Notice, diags: Diagnostics) -> None:
    """A notice still holding placeholders: an error, or a warning while it is a draft (never published)."""
    report = diags.warning if notice.draft else diags.error
    tail = "：请按原文填写；草稿不会发布" if notice.draft else "：请按原文填写后再发布"
    fields = [
        ("unit", "被巡察单位 unit", notice.unit),
        ("issuer", "发布单位 issuer", notice.issuer),
        ("group", "巡察组 group", notice.group),
        ("title", "标题 title", notice.title if notice.title_override else ""),
        (
            "contact",
            "联系方式 contact",
            " ".join((notice.contact.text, notice.contact.mailbox, notice.contact.address)),
        ),
    ]
    for key, label, value in fields:
        found = placeholder_in(value)
        if found:
            report(notice.path, notice.lines.get(key, 1), f"{label} {_FILL}“{found}”{tail}")
    body_line = notice.lines.get("body", 1)
    texts = [(body_line, notice.preamble)]
    for part in notice.parts:
        texts.append((part.line, part.title + "\n" + part.body))
        texts += [(p.line, "\n".join((p.title, p.status_line, p.body))) for pr in part.problems for p in pr.walk()]
    for line, text in texts:
        found = placeholder_in(text)
        if found:
            report(notice.path, line, f"正文{_FILL}“{found}”{tail}")
            break


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
    feeds in the future). A notice not yet public (a draft, an embargo) may hold one prepared for its day: that one is
    checked against the build date by the build that publishes it."""
    published = notice.published.date()
    public = build_time is not None and not notice.draft and notice.published <= build_time
    today = build_time.astimezone(notice.published.tzinfo).date() if build_time is not None and public else None
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


_STATUS_COUNTS = STATUS_FIELDS
_COUNT_WORDS = {
    "completed": "已完成",
    "basically_completed": "基本完成",
    "in_progress": "正在整改",
    "long_term": "长期坚持",
    "not_completed": "未完成",
}
# Where each rule is written, quoted in the messages so that an editor can read why.
RULE_LEVEL = "据正文统计只数问题部分的末级问题（docs/记录格式.md“数字的核对”）"
RULE_RATE = "完成率 = 已完成 ÷ 具体问题数（没有写明时为问题数）（docs/记录格式.md“数字的核对”）"


def _check_counts(notice: Notice, diags: Diagnostics) -> None:
    """Stated figures against each other and against the problem tree, at the one counting level (the leaves)."""
    stated, derivation = notice.counts, notice.derivation
    line = notice.lines.get("counts", 1)
    total = stated_total(stated)
    total_word = "具体问题" if stated.specific_problems is not None else "问题"
    parts = [getattr(stated, name) for name in _STATUS_COUNTS if getattr(stated, name) is not None]
    if total is not None and sum(parts) > total:
        diags.error(
            notice.path, line, f"写明的各项完成情况合计 {sum(parts)} 个，超过了写明的{total_word}总数 {total} 个"
        )
    if stated.completion_rate is not None and total and stated.completed is not None:
        rate = 100 * stated.completed / total
        if abs(rate - stated.completion_rate) >= 1:
            diags.warning(
                notice.path,
                line,
                f"写明的完成率 {stated.completion_rate:g}% 与写明的已完成 {stated.completed} 个 ÷ {total_word} "
                f"{total} 个 = {rate:.1f}% 不符；{RULE_RATE}。请核对原文；统计时按已完成数计算，不用写明的完成率",
            )
    if derivation.items and total is not None and total != derivation.items:
        diags.warning(
            notice.path,
            line,
            f"通报写明{total_word} {total} 个，正文逐项列出的末级问题 {derivation.items} 个；{RULE_LEVEL}。"
            "若原文如此（合并或拆分了问题），可不处理",
        )
    if derivation.complete:
        derived = derivation.counts()
        for name in _STATUS_COUNTS:
            said, shown = getattr(stated, name), getattr(derived, name)
            if said is not None and said != shown:
                diags.warning(
                    notice.path,
                    line,
                    f"通报写明{_COUNT_WORDS[name]} {said} 个，正文逐项标为“{_COUNT_WORDS[name]}”的末级问题 {shown} 个；"
                    f"{RULE_LEVEL}",
                )


def _check_stage(notice: Notice, diags: Diagnostics) -> None:
    """Stage 完成 while the notice itself says that problems are still being fixed: worth a second look."""
    if notice.stage != "完成":
        return
    unfinished = [
        leaf for leaf in counted_items(notice.problems) if leaf.status in (Status.IN_PROGRESS, Status.NOT_COMPLETED)
    ]
    stated = (notice.counts.in_progress or 0) + (notice.counts.not_completed or 0)
    if unfinished or stated:
        said = f"正文有 {len(unfinished)} 项标为正在整改或未完成" if unfinished else f"写明正在整改或未完成 {stated} 个"
        diags.warning(
            notice.path,
            notice.lines.get("stage", 1),
            f"整改阶段写的是“完成”，但{said}：请按通报标题核对整改阶段（如“进展”“阶段性进展”）",
        )


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
