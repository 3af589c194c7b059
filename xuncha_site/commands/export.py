"""``xuncha export``: open data to standard output, without building the site."""

from __future__ import annotations

import argparse
import sys

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, report
from xuncha_site.commands.site import load_site


def cmd_export(args: argparse.Namespace) -> int:
    from xuncha_site.outputs.open_data import export_text

    site = load_site(args.config_file)
    if site is None:
        return EXIT_USAGE
    project = site.project
    if site.config is None or project.diagnostics.has_errors():
        report(project.diagnostics)
        print(f"无法导出：{project.diagnostics.summary()}，请先修正错误", file=sys.stderr)
        return EXIT_CONTENT
    base_url = args.base_url if args.base_url is not None else site.config.site_url or "/"
    # The same builder as the site's /data/ files, so both give the same bytes.
    text = export_text(project, args.format, base_url)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK
