"""``xuncha approve FILE… --by 姓名或职务``: record that the notice's public text, as it is now, is approved.

Writes ``approval:`` (approver, date, fingerprint of the public text: :mod:`xuncha_site.core.approval`) into the
record's front matter, touching no other line. Refuses a record with errors (privacy hits included, when the site
requires approval), and a notice already published whose text changed since its approval unless a correction entry
(``corrections``, 更正说明) dated on or after that approval says what changed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from xuncha_site.commands.site import load_site
from xuncha_site.core.approval import ApprovalState, public_text_of_file
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.fields import parse_date
from xuncha_site.core.model import Notice
from xuncha_site.core.project import Project
from xuncha_site.core.review import REVIEW_FILE, is_approval_message, load_review_list, review_notice

_FENCE = re.compile(r"^(?:---|\.\.\.)\s*$")
_APPROVAL_KEY = re.compile(r"^approval\s*:")


def cmd_approve(args: argparse.Namespace) -> int:
    by = " ".join(str(args.by).split())
    if not by:
        print("xuncha：--by 不能为空：请写批准人的姓名或职务", file=sys.stderr)
        return EXIT_USAGE
    day = parse_date(args.date) if args.date else None
    if args.date and day is None:
        print(f"xuncha：批准日期“{args.date}”无效，应写成 2024-03-18", file=sys.stderr)
        return EXIT_USAGE
    site = load_site(args.config_file)
    if site is None:
        return EXIT_USAGE
    project = site.project
    day = day or project.build_time.date()
    status = EXIT_OK
    for file in args.files:
        notice = find_notice(project, file)
        if notice is None:
            print(f"xuncha：{file} 不是本站的通报记录（content/notices/<轮次编号>/<网址名>.md）", file=sys.stderr)
            status = max(status, EXIT_USAGE)
            continue
        status = max(status, _approve(project, notice, by, day))
    return status


def find_notice(project: Project, file: str | os.PathLike[str]) -> Notice | None:
    """The notice whose record is ``file`` (a path from the current folder), if the site has one."""
    wanted = Path(file).resolve()
    for notice in project.corpus.notices:
        if (project.root / notice.path).resolve() == wanted:
            return notice
    return None


def _approve(project: Project, notice: Notice, by: str, day: date) -> int:
    errors = [d for d in project.diagnostics.errors if d.path == notice.path and not is_approval_message(d.message)]
    for diag in sorted(d for d in project.diagnostics.items if d.path == notice.path):
        if not is_approval_message(diag.message):
            print(diag.format(), file=sys.stderr)
    if errors:
        print(f"未批准 {notice.path}：记录有 {len(errors)} 个错误，请先改正", file=sys.stderr)
        return EXIT_CONTENT
    settings = project.settings
    review = load_review_list(project.content_dir, f"{settings.content_dir}/{REVIEW_FILE}", Diagnostics())
    result = review_notice(notice, project.root, review, diff=False)
    if result is None or result.public is None:
        print(f"未批准 {notice.path}：无法读取记录", file=sys.stderr)
        return EXIT_CONTENT
    previous = notice.approval
    if result.state is ApprovalState.VALID and previous is not None:
        print(f"{notice.path} 已于 {previous.date} 由{previous.by}批准，批准后没有改动", file=sys.stderr)
        return EXIT_OK
    published = previous is not None and notice.is_public(project.build_time)
    if result.state is ApprovalState.STALE and previous is not None and published and not _corrected(notice):
        print(
            f"未批准 {notice.path}：通报已发布，{previous.date} 批准后又有改动；"
            f"请先在 corrections 中加一条更正说明（date 不早于 {previous.date}，text 写明改了什么），再批准",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    fingerprint = result.public.fingerprint
    path = project.root / notice.path
    try:
        _write_approval(path, by, day, fingerprint)
    except OSError as exc:
        print(f"未批准 {notice.path}：无法写入文件（{exc.strerror or exc}）", file=sys.stderr)
        return EXIT_CONTENT
    print(
        f"已批准 {notice.path}（{by}，{day}，{fingerprint[:15]}…）；请提交：git commit {notice.path}", file=sys.stderr
    )
    return EXIT_OK


def _corrected(notice: Notice) -> bool:
    """A correction entry dated on or after the approval it replaces says what changed."""
    previous = notice.approval
    return previous is not None and any(correction.date >= previous.date for correction in notice.corrections)


def approval_block(by: str, day: date, fingerprint: str) -> list[str]:
    # JSON's quoted string is a YAML double-quoted scalar: any name is written safely.
    return ["approval:", f"  by: {json.dumps(by, ensure_ascii=False)}", f"  date: {day.isoformat()}",
            f"  fingerprint: {fingerprint}"]  # fmt: skip


def with_approval(text: str, block: list[str]) -> str:
    """``text`` (a record, ``\\n`` line ends) with its front matter's ``approval:`` replaced by ``block`` or added."""
    lines = text.split("\n")
    end = next(index for index in range(1, len(lines)) if _FENCE.match(lines[index]))
    start = next((index for index in range(1, end) if _APPROVAL_KEY.match(lines[index])), None)
    if start is None:
        return "\n".join([*lines[:end], *block, *lines[end:]])
    stop = start + 1
    while stop < end and (not lines[stop].strip() or lines[stop][:1] in (" ", "\t")):
        stop += 1
    return "\n".join([*lines[:start], *block, *lines[stop:]])


def _write_approval(path: Path, by: str, day: date, fingerprint: str) -> None:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    crlf = "\r\n" in text
    updated = with_approval(text.replace("\r\n", "\n"), approval_block(by, day, fingerprint))
    check = public_text_of_file(updated)
    if check is None or check.fingerprint != fingerprint:
        raise OSError(0, "写入批准后记录的公开文本变了，未写入")
    data = (("\ufeff" if bom else "") + (updated.replace("\n", "\r\n") if crlf else updated)).encode("utf-8")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".approve", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
