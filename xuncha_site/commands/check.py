"""``xuncha check``: every record checked, every problem listed as ``path:line: 错误|警告: …``."""

from __future__ import annotations

import argparse
import sys

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, report
from xuncha_site.commands.site import load_site


def cmd_check(args: argparse.Namespace) -> int:
    site = load_site(args.config_file)
    if site is None:
        return EXIT_USAGE
    project = site.project
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
