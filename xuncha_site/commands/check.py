"""``xuncha check``: every record checked, every problem listed as ``path:line: 错误|警告: …``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, MISSING_CONFIG, report
from xuncha_site.core.project import Project, load_project
from xuncha_site.core.themes import THEMES_FILE, theme_notes


def load(args: argparse.Namespace) -> Project | None:
    config = Path(args.config_file)
    if not config.is_file():
        print(MISSING_CONFIG.format(path=config), file=sys.stderr)
        return None
    return load_project(config)


def cmd_check(args: argparse.Namespace) -> int:
    project = load(args)
    if project is None:
        return EXIT_USAGE
    diags = project.diagnostics
    report(diags)
    # Information for the editor, never a failure: problems without a theme, theme words that match nothing.
    shown = os.path.relpath(project.content_dir / THEMES_FILE, project.root)
    notes = theme_notes(project.corpus.notices, project.corpus.themes, shown)
    for note in notes:
        print(note.format(), file=sys.stderr)
    strict = args.strict or project.settings.strict
    notices = len(project.corpus.notices)
    rounds = len(project.corpus.rounds)
    if diags.has_errors(strict=strict):
        print(f"检查未通过：{diags.summary()}（{rounds} 个轮次，{notices} 篇通报）", file=sys.stderr)
        return EXIT_CONTENT
    hints = f"，{len(notes)} 个提示（共性问题主题）" if notes else ""
    print(f"检查通过：{rounds} 个轮次，{notices} 篇通报，{diags.summary()}{hints}", file=sys.stderr)
    return EXIT_OK
