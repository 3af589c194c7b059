"""``xuncha check``: every record checked, every problem listed as ``path:line: 错误|警告: …``."""

from __future__ import annotations

import argparse
import os
import sys

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, report
from xuncha_site.commands.site import load_site
from xuncha_site.core.project import Project
from xuncha_site.core.themes import THEMES_FILE, theme_notes
from xuncha_site.core.tracking import tracking_notes


def cmd_check(args: argparse.Namespace) -> int:
    site = load_site(args.config_file)
    if site is None:
        return EXIT_USAGE
    project = site.project
    diags = project.diagnostics
    report(diags)
    # Information for the editor, never a failure: problems without a theme, theme words that match nothing.
    shown = os.path.relpath(project.content_dir / THEMES_FILE, project.root)
    notes = theme_notes(project.corpus.notices, project.corpus.themes, shown)
    for note in notes:
        print(note.format(), file=sys.stderr)
    # Uncertain matches of problems across a unit's notices (core/tracking.py): the editor decides, in the record.
    doubts = tracking_notes(project.corpus.notices)
    for doubt in doubts:
        print(doubt.format(), file=sys.stderr)
    strict = args.strict or project.settings.strict
    members = check_members(project) if project.settings.members else ""
    notices = len(project.corpus.notices)
    rounds = len(project.corpus.rounds)
    if diags.has_errors(strict=strict):
        print(f"检查未通过：{diags.summary()}（{rounds} 个轮次，{notices} 篇通报）", file=sys.stderr)
        return EXIT_CONTENT
    hints = f"，{len(notes)} 个提示（共性问题主题）" if notes else ""
    hints += f"，{len(doubts)} 处跨通报问题匹配待确认（警告，不影响检查结果）" if doubts else ""
    print(
        f"检查通过：{rounds} 个轮次，{publication_summary(project)}{members}；{diags.summary()}{hints}", file=sys.stderr
    )
    return EXIT_OK


def check_members(project: Project) -> str:
    """An aggregator's members read as a build reads them (their data files, and their search bundles' manifests,
    entries and meta files), nothing cached; each problem a warning at the member's line in mkdocs.yml, counted in
    the project's diagnostics. As in a build, a member that cannot be read is a warning, whether or not a last good
    copy stands in (the message says which): the check fails on them only in strict mode. Returns the clause of
    the closing line: ``，成员站点 3 个：读取正常 2 个，改用上次的副本 1 个``."""
    from xuncha_site.core.diagnostics import Diagnostics
    from xuncha_site.federation.bundle import member_bundle
    from xuncha_site.federation.gather import gather

    found = Diagnostics()
    shown = project.config_file.name
    gathered = gather(project.settings, project.root, found, shown=shown, keep=False)
    for data in gathered:
        member_bundle(data.member, project.root, project.settings, found, shown=shown, whole=False)
    report(found)
    project.diagnostics.extend(found.items)
    fresh = sum(1 for data in gathered if data.fresh)
    parts = [f"读取正常 {fresh} 个"]
    if len(gathered) > fresh:
        parts.append(f"改用上次的副本 {len(gathered) - fresh} 个")
    if len(project.settings.members) > len(gathered):
        parts.append(f"不可用 {len(project.settings.members) - len(gathered)} 个")
    return f"，成员站点 {len(project.settings.members)} 个：{'、'.join(parts)}"


def publication_summary(project: Project) -> str:
    """How many notices a build now would publish, and why the others would not.

    ``20 篇通报，其中草稿 1 篇、定时发布 1 篇（最早 2026-12-01 09:00 发布），现在构建将发布 18 篇``. A draft is
    counted as a draft whatever its date; the rule is the one the site applies (:meth:`Notice.is_public`).
    """
    notices = project.corpus.notices
    moment = project.build_time
    drafts = sum(1 for notice in notices if notice.draft)
    scheduled = sorted(notice.published for notice in notices if not notice.draft and notice.published > moment)
    withheld = []
    if drafts:
        withheld.append(f"草稿 {drafts} 篇")
    if scheduled:
        first = scheduled[0].astimezone(moment.tzinfo).strftime("%Y-%m-%d %H:%M")
        withheld.append(f"定时发布 {len(scheduled)} 篇（最早 {first} 发布）")
    public = len(notices) - drafts - len(scheduled)
    if not withheld:
        return f"{len(notices)} 篇通报，现在构建将全部发布"
    return f"{len(notices)} 篇通报，其中{'、'.join(withheld)}，现在构建将发布 {public} 篇"
