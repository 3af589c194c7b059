"""``xuncha new round|notice``: scaffolds that an editor fills in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, report
from xuncha_site.commands.site import load_site
from xuncha_site.core.project import Project


def cmd_new_round(args: argparse.Namespace) -> int:
    from xuncha_site.core.loader import SLUG
    from xuncha_site.core.scaffold import PLACEHOLDER_ROUND_NAME, round_record

    project = _open(args)
    if isinstance(project, int):
        return project
    if not SLUG.match(args.id):
        print(f"xuncha：轮次编号“{args.id}”无效：只能用小写字母、数字和连字符，如 2027-r1", file=sys.stderr)
        return EXIT_USAGE
    path = project.content_dir / "rounds" / f"{args.id}.yml"
    if not 1949 <= args.year <= 9999:
        print(f"xuncha：年度“{args.year}”无效：请写四位数的年份，如 2027", file=sys.stderr)
        return EXIT_USAGE
    committee = " ".join(args.committee.split())
    if not committee:
        print("xuncha：请用 --committee 写明派出巡察组的党委，如 中共青岚市委", file=sys.stderr)
        return EXIT_USAGE
    text = round_record(
        args.id,
        name=args.name or PLACEHOLDER_ROUND_NAME,
        committee=committee,
        year=args.year,
        today=project.build_time.date(),
    )
    return _write_new(path, text, force=args.force, what="轮次")


def cmd_new_notice(args: argparse.Namespace) -> int:
    from xuncha_site.core.scaffold import is_listed, notice_record, notice_slug

    project = _open(args)
    if isinstance(project, int):
        return project
    round_ = project.corpus.rounds.get(args.round)
    if round_ is None:
        known = "、".join(sorted(project.corpus.rounds)) or "（无）"
        print(
            f"xuncha：未知的巡察轮次“{args.round}”；已有：{known}。可先运行 xuncha new round {args.round}",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    folder = project.content_dir / "notices" / round_.id
    taken = {path.stem for path in folder.glob("*.md")} if folder.is_dir() else set()
    slug = notice_slug(round_, args.unit, taken)
    if not is_listed(round_, args.unit):
        print(f"提示：轮次“{round_.name}”没有列出“{args.unit}”，请核对单位名称或在轮次文件中补充", file=sys.stderr)
    text = notice_record(round_, unit=args.unit, stage=args.stage, today=project.build_time.date())
    return _write_new(folder / f"{slug}.md", text, force=args.force, what="通报草稿")


def _open(args: argparse.Namespace) -> Project | int:
    """The site's project, or the exit status when mkdocs.yml cannot be read (where records go is then unknown)."""
    site = load_site(args.config_file)
    if site is None:
        return EXIT_USAGE
    if site.config is None:
        report(site.project.diagnostics)
        return EXIT_CONTENT
    return site.project


def _write_new(path: Path, text: str, *, force: bool, what: str) -> int:
    if path.exists() and not force:
        print(f"xuncha：{_shown(path)} 已存在，未改动；确需覆盖请加 --force", file=sys.stderr)
        return EXIT_CONTENT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"已新建{what}：{_shown(path)}", file=sys.stderr)
    return EXIT_OK


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
