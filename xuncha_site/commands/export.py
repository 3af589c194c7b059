"""``xuncha export``: open data to standard output, without building the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xuncha_site.commands.check import load
from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, report
from xuncha_site.core.diagnostics import Diagnostics


def cmd_export(args: argparse.Namespace) -> int:
    from xuncha_site.outputs.open_data import export_text

    project = load(args)
    if project is None:
        return EXIT_USAGE
    if project.diagnostics.has_errors():
        report(project.diagnostics)
        print(f"无法导出：{project.diagnostics.summary()}，请先修正错误", file=sys.stderr)
        return EXIT_CONTENT
    base_url = args.base_url if args.base_url is not None else _site_url(project.config_file)
    # The same builder as the site's /data/ files, so both give the same bytes.
    text = export_text(project, args.format, base_url)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK


def _site_url(config_file: Path) -> str:
    from yaml.nodes import MappingNode

    from xuncha_site.core.records import compose_yaml

    diags = Diagnostics()
    try:
        root = compose_yaml(config_file.read_text(encoding="utf-8-sig"), str(config_file), diags, allow_tags=True)
    except OSError:
        return "/"
    if isinstance(root, MappingNode):
        for key, value in root.value:
            if getattr(key, "value", None) == "site_url" and getattr(value, "value", None):
                return str(value.value)
    return "/"
