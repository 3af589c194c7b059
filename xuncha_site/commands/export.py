"""``xuncha export``: open data to standard output, without building the site."""

from __future__ import annotations

import argparse
import sys

from xuncha_site.commands.console import EXIT_OK
from xuncha_site.commands.site import load_clean_site


def cmd_export(args: argparse.Namespace) -> int:
    from xuncha_site.outputs.open_data import export_text

    site = load_clean_site(args.config_file, "无法导出")
    if isinstance(site, int):
        return site
    project = site.project
    assert site.config is not None
    base_url = args.base_url if args.base_url is not None else site.config.site_url or "/"
    # The same builder as the site's /data/ files, so both give the same bytes.
    text = export_text(project, args.format, base_url)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK
