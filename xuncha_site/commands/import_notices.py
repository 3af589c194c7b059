"""``xuncha import FILE… [--round ID] [--force] [--dry-run]``: notices as received → records under content/notices/.

For each file it prints, in Chinese, what it found and what it was unsure of; then writes the record (never over an
existing one without --force) or, with --dry-run, prints it. A file that cannot be read writes nothing; the other
files are still imported. Exit status: 0 all imported, 1 some file failed, 2 usage or setup errors.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, report as report_diagnostics
from xuncha_site.commands.site import load_site
from xuncha_site.core.body import parse_body
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.fields import parse_date
from xuncha_site.core.input_files import InputFileError, read_regular
from xuncha_site.core.loader import SLUG, compose_title
from xuncha_site.core.model import Contact, Counts
from xuncha_site.core.progress import MANY_FILES, Progress
from xuncha_site.core.project import Project, load_project
from xuncha_site.core.records import MAX_RECORD_BYTES, Fields, read_text, split_front_matter
from xuncha_site.importer.announcement import round_announcement, round_description
from xuncha_site.importer.audit import MAX_LINES, account
from xuncha_site.importer.counts import CountsFound, find_counts
from xuncha_site.importer.dates import find_dates, resolve
from xuncha_site.importer.parse import Node, ParsedNotice, parse_notice
from xuncha_site.importer.placement import Placement, place
from xuncha_site.importer.sources import SourceError, read_source
from xuncha_site.importer.traditional import simplified_text
from xuncha_site.importer.writer import FrontMatter, render_record

_COUNT_WORDS = {
    "problems": "问题",
    "specific_problems": "具体问题",
    "suggestions": "意见建议",
    "measures": "整改措施",
    "rules": "制度",
    "completed": "已完成",
    "basically_completed": "基本完成",
    "in_progress": "正在整改",
    "long_term": "长期坚持",
    "not_completed": "未完成",
}


@dataclass(frozen=True)
class Imported:
    """One file turned into a record (not yet written)."""

    source: str
    kind: str
    notice: ParsedNotice
    placement: Placement
    meta: FrontMatter
    text: str
    notes: tuple[str, ...]
    announcement: str = ""  # why this is a summary of a whole round, not one unit's notice ("" when it is a notice)


def cmd_import(args: argparse.Namespace) -> int:
    """Entry point of ``xuncha import`` (wired in :mod:`xuncha_site.cli`)."""
    if args.round is not None and not SLUG.match(args.round):
        print(f"xuncha：轮次编号“{args.round}”无效：只能用小写字母、数字和连字符，如 2023-r1", file=sys.stderr)
        return EXIT_USAGE
    site = load_site(args.config_file)
    if site is None:
        return EXIT_USAGE
    if site.config is None:  # mkdocs.yml cannot be read: where records go is unknown
        report_diagnostics(site.project.diagnostics)
        return EXIT_CONTENT
    project = site.project
    status = EXIT_OK
    written: list[Path] = []
    with Progress("导入", len(args.files), minimum=MANY_FILES) as progress:
        for name in args.files:
            code, path = import_one(Path(name), project, round_id=args.round, force=args.force, dry_run=args.dry_run)
            status = max(status, code)
            if path is not None:
                written.append(path)
            progress.advance()
    if written:
        _check_written(project, written)
    return status


def import_one(
    path: Path, project: Project, *, round_id: str | None, force: bool, dry_run: bool, out: TextIO | None = None
) -> tuple[int, Path | None]:
    """Import one file; returns the exit status for it and the record written, if any."""
    err = sys.stderr
    print(f"导入 {path}", file=err)
    try:
        document = read_source(path)
    except SourceError as exc:
        print(f"  错误：{exc}；未写入任何文件", file=err)
        return EXIT_CONTENT, None
    imported = build_record(
        document_path=str(path),
        kind=document.kind,
        notice=parse_notice(document),
        project=project,
        round_id=round_id,
        lines=tuple(block.text for block in document.blocks),
    )
    report(imported, err)
    if imported.announcement:
        print(
            f"  未写入：这是一轮巡察的整体整改情况（{imported.announcement}），不是某一个被巡察单位的整改通报。"
            "网站为每个被巡察单位的通报各建一条记录，请分别导入各单位的通报。",
            file=err,
        )
        if dry_run:
            (out or sys.stdout).write(round_description(imported.notice))
            print(
                "  上面输出的 description 可粘贴进轮次文件（content/rounds/<轮次编号>.yml），显示在轮次页面上", file=err
            )
        else:
            print(
                "  如要在轮次页面介绍本轮整体情况：加 --dry-run 再运行，把输出的 description 粘贴进轮次文件", file=err
            )
        return EXIT_CONTENT, None
    if len(imported.text.encode("utf-8")) > MAX_RECORD_BYTES:
        limit = MAX_RECORD_BYTES // 1024 // 1024
        print(
            f"  错误：生成的记录超过 {limit} MB，网站无法读取（通报不会这么长，请确认文件选对了）；未写入任何文件",
            file=err,
        )
        return EXIT_CONTENT, None
    if dry_run:
        (out or sys.stdout).write(imported.text)
        return (EXIT_OK if imported.placement.round_id else EXIT_CONTENT), None
    if not imported.placement.round_id:
        print("  未写入：不知道放在哪个轮次目录下（notices/<轮次编号>/）", file=err)
        return EXIT_CONTENT, None
    target = _target(project, imported, force)
    if target is None:
        return EXIT_CONTENT, None
    _write(target, imported.text)
    print(f"  已写入 {_shown(target)}", file=err)
    return EXIT_OK, target


def build_record(
    *,
    document_path: str,
    kind: str,
    notice: ParsedNotice,
    project: Project,
    round_id: str | None,
    lines: tuple[str, ...] = (),
) -> Imported:
    """Place the notice and render its record; ``notes`` collects everything the editor should look at.

    ``lines`` are the source's lines, for telling a round's summary from a unit's notice.
    """
    announcement = round_announcement(notice, lines)
    placement = place(notice, project.corpus.rounds, round_id)
    notes = list(notice.notes) + list(placement.notes)
    if announcement:
        # Not a record: only what was found in the text is worth the editor's attention, not the fields to fill in.
        text = ""
        meta = FrontMatter(round=placement.round_id, unit="", issuer=notice.issuer, counts=notice.counts)
        return Imported(document_path, kind, notice, placement, meta, text, tuple(notice.notes), announcement)
    if notice.contact:
        notes += notice.contact.notes
    comments: dict[str, str] = {}
    issuer = notice.issuer
    if not issuer:
        comments["issuer"] = "原文没有落款：请填写发布单位"
        notes.append("原文没有落款：请在 issuer 填写发布单位")
    if not placement.unit:
        comments["unit"] = "未识别被巡察单位：请填写"
        notes.append("未识别被巡察单位：请在 unit 填写")
    if not placement.round_id:
        comments["round"] = "请填写轮次编号（rounds/ 下的文件名）"
    if notice.notice_date is None and notice.undated:
        comments["notice_date"] = f"原文落款日期为“{notice.undated}”，没有写年份：请填写"
        notes.append(f"原文落款日期“{notice.undated}”没有写年份，也无法从反馈日期推定：请在 notice_date 填写")
    elif notice.notice_date is None:
        comments["notice_date"] = "原文没有落款日期：请填写"
        notes.append("原文没有落款日期：请在 notice_date 填写")
    published = _published(notice)
    if notice.web.published and published:
        comments["published"] = "取自网页的发布时间"
        notes.append(f"网站发布时间按原网页的发布时间填写为 {published}")
    elif published:
        comments["published"] = "暂按落款日期填写，请改为实际发布时间"
        notes.append(f"网站发布时间暂按落款日期填写为 {published}，请改为实际发布时间")
    else:
        comments["published"] = "请填写网站发布时间，如 2024-03-18 09:30"
        notes.append("没有落款日期和网页发布时间：请在 published 填写网站发布时间")
    if not notice.stage_sure:
        comments["stage"] = "按原文推断，请核对"
        notes.append(f"整改阶段按原文推断为“{notice.stage}”，请核对 stage")
    if not notice.title:
        composed = compose_title(issuer or placement.unit, placement.round, notice.stage)
        comments["title"] = "原文没有标题：网站按发布单位、轮次和阶段自动生成"
        notes.append(f"未找到标题，已按发布单位、轮次和阶段自动生成：{composed}")
    group = notice.facts.group
    if placement.unit_ref and simplified_text(group) == placement.unit_ref.group:
        group = placement.unit_ref.group
    if placement.unit_ref and group != placement.unit_ref.group:
        if group:
            notes.append(f"原文的巡察组是“{group}”，轮次文件中该单位属于“{placement.unit_ref.group}”，已按轮次文件")
        group = ""
    meta = FrontMatter(
        round=placement.round_id,
        unit=placement.unit,
        issuer=issuer,
        group=group,
        inspection_start=notice.facts.inspection_start,
        inspection_end=notice.facts.inspection_end,
        feedback_date=notice.facts.feedback_date,
        notice_date=notice.notice_date,
        published=published,
        stage=notice.stage,
        title=notice.title,
        counts=notice.counts,
        count_sources=find_counts(list(notice.counts_sentences)).sources,
        contact=notice.contact.contact if notice.contact else Contact(),
        source=notice.web,
        comments=comments,
    )
    text = render_record(meta, notice)
    notes += _verify(text, notice)
    notes += _lost(lines, meta, text, notice)
    return Imported(document_path, kind, notice, placement, meta, text, tuple(notes), announcement)


def _published(notice: ParsedNotice) -> str:
    """The web page's publication time (2020-12-07 10:23), else the notice date, as the record writes it."""
    written = notice.web.published
    mention = next(find_dates(written), None) if written else None
    day = resolve(mention, None) if mention else None
    if day is not None:
        clock = re.search(r"(\d{1,2}):(\d{2})", written[mention.end :]) if mention else None
        return day.isoformat() + (f" {int(clock[1]):02d}:{clock[2]}" if clock else "")
    return notice.notice_date.isoformat() if notice.notice_date else ""


def _verify(text: str, notice: ParsedNotice) -> list[str]:
    """Read the record back the way the site will, and say so if its problem tree came out different."""
    diags = Diagnostics()
    front = split_front_matter(text, "记录", diags)
    if front is None:
        return ["内部错误：生成的记录无法读回，请报告此问题"]
    body = parse_body(front.body, "记录", front.body_line, diags)
    expected = sum(_count(node) for node in notice.problems)
    found = sum(1 for problem in (body.problems_part.problems if body.problems_part else ()) for _ in problem.walk())
    notes = [f"正文检查：{d.message}" for d in diags.items]
    if expected != found:
        notes.append(f"内部错误：识别出 {expected} 个问题节点，写出的记录中却有 {found} 个，请报告此问题")
    return notes


def _lost(lines: tuple[str, ...], meta: FrontMatter, text: str, notice: ParsedNotice) -> list[str]:
    """Lines of the source that are neither in the record nor in the report's page chrome (there should be none)."""
    if not lines or len(lines) > MAX_LINES:
        return []
    values = [meta.title, meta.unit, meta.issuer, meta.group, meta.published, meta.stage, notice.title, notice.issuer]
    values += [day.isoformat() for day in (meta.inspection_start, meta.inspection_end, meta.feedback_date) if day]
    values += [meta.notice_date.isoformat()] if meta.notice_date else []
    values += [str(value) for value in vars(meta.source).values()]
    values += [meta.contact.text, meta.contact.mailbox, meta.contact.address, meta.contact.postcode]
    values += notice.signature if meta.issuer or meta.notice_date or notice.undated else ()
    body = text.split("\n---\n", 1)[-1]
    found = account(lines, values, body, [item.text for item in notice.dropped])
    return [
        f"内部错误：原文中的“{_short(piece, 30)}”既没有写入记录，也没有列为网页信息，请报告此问题"
        for piece in found.lost
    ]


def _count(node: Node) -> int:
    return 1 + sum(_count(child) for child in node.children)


def report(imported: Imported, stream: TextIO) -> None:
    """What was found and what the editor should check, in Chinese."""
    notice, meta, placement = imported.notice, imported.meta, imported.placement

    def line(label: str, value: str) -> None:
        print(f"  {label}：{value or '（未识别）'}", file=stream)

    print(f"  格式：{imported.kind}", file=stream)
    line("标题", notice.title or "（原文没有标题）")
    if imported.announcement:
        line("发布单位", notice.issuer)
        line("轮次", notice.round_name.text if notice.round_name else "")
        line("数字", _counts_text(notice.counts) or "（原文没有写明）")
        _report_dropped_and_notes(imported, stream)
        return
    line("被巡察单位", meta.unit)
    line("发布单位", meta.issuer)
    line("巡察组", notice.facts.group)
    named = f"（原文：{notice.round_name.text}）" if notice.round_name else ""
    round_text = f"{placement.round_id}（{placement.round.name}）" if placement.round else placement.round_id
    line("巡察轮次", (round_text + named) if round_text else "")
    kind = notice.facts.kind + (f"：{notice.facts.topic}" if notice.facts.topic else "")
    if kind:
        line("巡察类型", kind)
    period = " 至 ".join(d.isoformat() for d in (notice.facts.inspection_start, notice.facts.inspection_end) if d)
    line("巡察时间", period)
    line("反馈日期", _iso(notice.facts.feedback_date))
    line("落款日期", _iso(notice.notice_date))
    line("网站发布时间", meta.published)
    line("整改阶段", meta.stage)
    found = find_counts(list(notice.counts_sentences))
    line("数字", _counts_text(notice.counts) or "（原文没有写明）")
    for name, sentence in _by_sentence(found):
        print(f"    - {name}：出自“{sentence}”", file=stream)
    for note in found.notes:
        print(f"    - 未写入：{note}", file=stream)
    line("问题", _tree_text(notice.problems))
    line("联系方式", _contact_text(meta))
    source = "；".join(
        f"{label} {value}"
        for label, value in (
            ("来源", meta.source.name),
            ("编辑", meta.source.editor),
            ("原文链接", meta.source.url),
            ("索引号", meta.source.index_no),
            ("原网页发布时间", meta.source.published),
        )
        if value
    )
    if source:
        line("来源信息", source)
    _report_dropped_and_notes(imported, stream)


def _report_dropped_and_notes(imported: Imported, stream: TextIO) -> None:
    for item in imported.notice.dropped:
        # Every piece of the source that is not in the record is listed: nothing is lost without the editor seeing it.
        print(f"  网页信息：已略去“{item.text}”（{item.what}）", file=stream)
    if imported.notes:
        print("  请注意：", file=stream)
        for note in dict.fromkeys(imported.notes):
            print(f"    - {note}", file=stream)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _counts_text(counts: Counts) -> str:
    parts = [
        f"{_COUNT_WORDS[name]} {value}"
        for name, value in counts.as_dict().items()
        if value is not None and name in _COUNT_WORDS
    ]
    if counts.completion_rate is not None:
        parts.append(f"完成率 {counts.completion_rate:g}%")
    return "，".join(parts)


def _by_sentence(found: CountsFound) -> list[tuple[str, str]]:
    """Each written figure's words (已完成 5) grouped by the sentence they came from, in the record's order."""
    grouped: dict[str, list[str]] = {}
    for name, value in found.counts.as_dict().items():
        if value is None or name not in found.sources:
            continue
        words = f"完成率 {value:g}%" if name == "completion_rate" else f"{_COUNT_WORDS[name]} {value:g}"
        grouped.setdefault(found.sources[name], []).append(words)
    return [("，".join(words), sentence) for sentence, words in grouped.items()]


def _tree_text(nodes: tuple[Node, ...]) -> str:
    if not nodes:
        return "（未识别出问题）"
    leaves = sum(node.leaves() for node in nodes)
    depth = max(_depth(node) for node in nodes)
    return f"{len(nodes)} 个一级节点" + (f"，{leaves} 个末级问题" if depth > 1 else "") + f"（共 {depth} 级）"


def _depth(node: Node) -> int:
    return 1 + max((_depth(child) for child in node.children), default=0)


def _contact_text(meta: FrontMatter) -> str:
    contact = meta.contact
    parts = []
    if contact.phones:
        parts.append("电话 " + "、".join(contact.phones))
    if contact.emails:
        parts.append("邮箱 " + "、".join(contact.emails))
    for label, value in (("邮政信箱", contact.mailbox), ("地址", contact.address), ("邮编", contact.postcode)):
        if value:
            parts.append(f"{label} {value}")
    return "；".join(parts)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _target(project: Project, imported: Imported, force: bool) -> Path | None:
    """The record's path; an existing record of *another* notice of the unit moves this one to <slug>-2, -3…"""
    folder = project.content_dir / "notices" / imported.placement.round_id
    slug = imported.placement.slug
    for attempt in range(1, 100):
        candidate = folder / (f"{slug}.md" if attempt == 1 else f"{slug}-{attempt}.md")
        if not candidate.exists():
            if attempt > 1:
                print(
                    f"  {_shown(folder / (slug + '.md'))} 是本单位的另一篇通报，本篇写为 {candidate.name}",
                    file=sys.stderr,
                )
            return candidate
        if _same_notice(candidate, imported.meta):
            if force:
                print(f"  已有记录 {_shown(candidate)}，按 --force 覆盖", file=sys.stderr)
                return candidate
            print(f"  错误：已有记录 {_shown(candidate)}，未覆盖；确需覆盖请加 --force", file=sys.stderr)
            return None
    print("  错误：同名记录过多，未写入", file=sys.stderr)
    return None


def _same_notice(path: Path, meta: FrontMatter) -> bool:
    """Whether the record at ``path`` is this notice (same unit, stage and notice date); unreadable counts as same.

    The record is read as ``xuncha check`` reads it (through the guarded reader: no alias, no tag, bounded size).
    """
    shown, diags = str(path), Diagnostics()
    try:
        text = read_text(read_regular(path, MAX_RECORD_BYTES), shown, diags)
    except InputFileError:
        return True
    front = split_front_matter(text, shown, diags) if text is not None else None
    fields = Fields.of(front.node, shown, diags) if front is not None else None
    if fields is None:
        return True
    unit, stage = fields.text("unit", "unit"), fields.text("stage", "stage")
    day = parse_date(fields.text("notice_date", "notice_date"))
    return unit == meta.unit and stage == meta.stage and day == meta.notice_date


def _write(target: Path, text: str) -> None:
    """Write via a temporary file and rename, so that an interrupted import never leaves half a record."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, target)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _check_written(before: Project, written: list[Path]) -> None:
    """Run the site's checks and show what they say about the records just written (the settings as read before)."""
    project = load_project(before.config_file, settings=before.settings)
    mine = {os.path.realpath(path) for path in written}
    # Diagnostics name files relative to the site root.
    items = [d for d in project.diagnostics.sorted() if os.path.realpath(project.root / d.path) in mine]
    if not items:
        print("检查：新写入的记录没有发现问题", file=sys.stderr)
        return
    print("检查（xuncha check）对新记录的意见：", file=sys.stderr)
    for diag in items:
        print(f"  {diag.format()}", file=sys.stderr)
