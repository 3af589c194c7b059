"""What every command shares: exit codes and the printing of diagnostics."""

from __future__ import annotations

import sys
from typing import TextIO

from xuncha_site.core.diagnostics import Diagnostics

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130

MISSING_CONFIG = "xuncha：找不到配置文件 {path}：请在站点目录（含 mkdocs.yml）中运行，或用 -f 指定"


def report(diags: Diagnostics, *, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for diag in diags.sorted():
        print(diag.format(), file=stream)
