"""``xuncha review [FILE…]``: the pre-publication review sheet, one entry per notice to be published.

For each notice: its approval state, the privacy/secrecy and wording findings (the same as ``xuncha check``), its
scheduled publication time, and the five cases that the disclosure rules exempt, as a checklist for the editor to
confirm. ``--format csv`` gives the same as a table for the office's records (the checklist as empty columns).
Exit status 1 when a listed notice is not ready: a privacy or secrecy finding, or, where the site requires approval,
no valid approval.
"""

from __future__ import annotations

import argparse
import csv
import sys

from xuncha_site.commands.approve import find_notice
from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from xuncha_site.commands.site import load_site
from xuncha_site.core.approval import ApprovalState
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.model import Notice
from xuncha_site.core.project import Project
from xuncha_site.core.review import EXEMPT_CASES, REVIEW_FILE, NoticeReview, load_review_list, review_notice

CSV_COLUMNS = (
    "文件", "标题", "被巡察单位", "发布时间", "发布状态", "批准状态", "批准人", "批准日期", "批准后的改动",
    "隐私与保密", "规范表述", *(f"不予公开情形：{case}" for case in EXEMPT_CASES),
)  # fmt: skip


def cmd_review(args: argparse.Namespace) -> int:
    site = load_site(args.config_file)
    if site is None:
        return EXIT_USAGE
    project = site.project
    notices: list[Notice] = []
    status = EXIT_OK
    for file in args.files:
        notice = find_notice(project, file)
        if notice is None:
            print(f"xuncha：{file} 不是本站的通报记录（content/notices/<轮次编号>/<网址名>.md）", file=sys.stderr)
            status = EXIT_USAGE
        else:
            notices.append(notice)
    if status == EXIT_USAGE:
        return status
    if not args.files:
        notices = sorted((n for n in project.corpus.notices if not n.draft), key=lambda n: (n.published, n.id))
    settings = project.settings
    review = load_review_list(project.content_dir, f"{settings.content_dir}/{REVIEW_FILE}", Diagnostics())
    results = [r for r in (review_notice(n, project.root, review) for n in notices) if r is not None]
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for result in results:
            writer.writerow(_row(project, result))
    else:
        for result in results:
            print(_sheet(project, result))
    print(f"审核单：{len(results)} 篇通报", file=sys.stderr)
    ready = all(_ready(project, result) for result in results)
    return EXIT_OK if ready else EXIT_CONTENT


def _ready(project: Project, result: NoticeReview) -> bool:
    if result.notice.draft:
        return True
    approved = result.state is ApprovalState.VALID or not project.settings.require_approval
    return approved and not result.privacy_hits


def _publication(project: Project, notice: Notice) -> str:
    if notice.draft:
        return "草稿（不发布）"
    return "已发布" if notice.published <= project.build_time else "定时发布（尚未到时间）"


def _approval(result: NoticeReview) -> str:
    approval = result.notice.approval
    if result.state is ApprovalState.NONE or approval is None:
        return ApprovalState.NONE.value
    return f"{result.state.value}（{approval.by}，{approval.date}）"


def _sheet(project: Project, result: NoticeReview) -> str:
    notice = result.notice
    lines = [
        f"== {notice.path}",
        f"标题：{notice.title}",
        f"被巡察单位：{notice.unit}",
        f"发布时间：{notice.published:%Y-%m-%d %H:%M}（{_publication(project, notice)}）",
        f"批准：{_approval(result)}",
    ]
    lines += [f"  {change}" for change in result.changes]
    for title, hits in (("隐私与保密", result.privacy_hits), ("规范表述", result.wording_hits)):
        lines.append(f"{title}：{f'{len(hits)} 处' if hits else '无'}")
        lines += [f"  第 {hit.line} 行：{hit.message}" for hit in hits]
    lines.append("不予公开的情形（逐项核对，确认不涉及后打 √）：")
    lines += [f"  [ ] {case}" for case in EXEMPT_CASES]
    return "\n".join(lines) + "\n"


def _row(project: Project, result: NoticeReview) -> list[str]:
    notice, approval = result.notice, result.notice.approval
    return [
        notice.path,
        notice.title,
        notice.unit,
        f"{notice.published:%Y-%m-%d %H:%M}",
        _publication(project, notice),
        result.state.value,
        approval.by if approval else "",
        approval.date.isoformat() if approval else "",
        "；".join(result.changes),
        "；".join(f"第 {hit.line} 行：{hit.message}" for hit in result.privacy_hits),
        "；".join(f"第 {hit.line} 行：{hit.message}" for hit in result.wording_hits),
        *("" for _ in EXEMPT_CASES),
    ]
