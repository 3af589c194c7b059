"""``xuncha serve``: live preview that survives broken records.

MkDocs' own server rebuilds the site when a file changes and reloads the browser. A rebuild whose records fail the
check does not stop it: the plugin then publishes an *error site* instead — every page the site had (and the 404)
shows the ``path:line: 错误: …`` lines, the same that the terminal shows — and the watcher keeps running, so that
saving the fixed file brings the site back.

Search is indexed in the background and never delays a reload; the preview's search results may lag a few seconds
behind an edit.

"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, MISSING_CONFIG, report
from xuncha_site.commands.engine import describe_error, mkdocs_logging
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.settings import config_file_problems

log = logging.getLogger("mkdocs.plugins.xuncha_site")


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview with live reload at ``-a HOST:PORT``; content errors are shown in the browser, not fatal."""
    from jinja2 import TemplateError
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(MISSING_CONFIG.format(path=config_file), file=sys.stderr)
        return EXIT_USAGE
    # Stopped by a supervisor (SIGTERM) as by Ctrl-C: MkDocs then shuts down and removes its temporary files.
    signal.signal(signal.SIGTERM, _interrupt)
    with mkdocs_logging(show_info=True):
        try:
            serve(config_file=str(config_file), dev_addr=args.dev_addr, livereload=True)
        except (MkDocsException, TemplateError, OSError) as exc:
            # mkdocs.yml that MkDocs could not read: the same path:line message as `xuncha check`.
            diags = Diagnostics()
            if isinstance(exc, MkDocsException) and config_file_problems(
                config_file.resolve(), diags, shown=config_file.name
            ):
                report(diags)
            print(f"预览失败：{describe_error(exc)}", file=sys.stderr)
            return EXIT_CONTENT
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
