"""``xuncha check``: every record checked, every problem listed as ``path:line: 错误|警告: …``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, MISSING_CONFIG, report
from xuncha_site.core.project import Project, load_project


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
    strict = args.strict or project.settings.strict
    notices = len(project.corpus.notices)
    rounds = len(project.corpus.rounds)
    if diags.has_errors(strict=strict):
        print(f"检查未通过：{diags.summary()}（{rounds} 个轮次，{notices} 篇通报）", file=sys.stderr)
        return EXIT_CONTENT
    print(f"检查通过：{rounds} 个轮次，{notices} 篇通报，{diags.summary()}", file=sys.stderr)
    return EXIT_OK
