"""Markdown bound bench: the worst bodies that xuncha_site.markdown_limits still accepts, and what they cost to render.

    python bench/markdown_limits.py

For each construct that makes Python-Markdown quadratic (runs of ``![``, ``[``, ``<a ``, ``[a](``, rules, setext
headings, ATX headings …) and a few that are linear (long lists, quotes, tables), builds the longest run that stays
within the budgets (at most 2 MB, the record limit) and prints the CPU seconds of the page renderer
(``Renderer.markdown``) and of the search text (``markdown_text``). CPU time, not wall time: other processes on a
shared machine do not change it much.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xuncha_site import markdown_limits
from xuncha_site.core.markdown import Renderer, markdown_text

RECORD_CHARS = 2 * 1024 * 1024
RUNS = {
    "![": "![",
    "[": "[",
    "<a ": "<a ",
    "[a](": "[a](",
    "](": "](",
    "[[[…]]]": None,  # nested brackets, matched
    "***": "***\n",
    "setext": "a\n===\n",
    "# heading": "# a\n",
    "<": "<",
    "[<(": "[<(",
    "- item": "- a\n",
    "1. item": "1. a\n",
    "> quote": "> a\n",
    "| table |": "|a|b|\n",
    "[link](u) rows": "| [文件](files/a.pdf) | 说明 |\n",
    "[link](u) lines": "[文件](files/a.pdf) 说明\n",
    "**bold** lines": "**粗**说明\n",
    "\\* escapes": "\\*",
}


def cost(text: str) -> float:
    """The share of the budgets that ``text`` uses (1.0: the limit)."""
    found = markdown_limits.blocks(text, 1)
    scanned, copied = sum(b.scanned for b in found), sum(b.copied for b in found)
    return max(scanned / markdown_limits.SCAN_BUDGET, copied / markdown_limits.COPY_BUDGET)


def nested(count: int) -> str:
    return "[" * count + "]" * count


def longest(unit: str | None) -> str:
    """The longest text made of ``unit`` (after an "x") that stays within the budgets."""
    make = (lambda n: nested(n)) if unit is None else (lambda n: "x" + unit * n)
    low, high = 1, RECORD_CHARS // (len(unit) if unit else 2)
    while low < high:
        middle = (low + high + 1) // 2
        if cost(make(middle)) <= 1:
            low = middle
        else:
            high = middle - 1
    return make(low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()
    renderer = Renderer()
    print(f"scan budget {markdown_limits.SCAN_BUDGET:,}, copy budget {markdown_limits.COPY_BUDGET:,}")
    print(f"{'construct':16s} {'chars':>9s} {'budget':>7s} {'page s':>7s} {'search s':>8s}")
    for name, unit in RUNS.items():
        text = longest(unit)
        started = time.process_time()
        renderer.markdown(text)
        page = time.process_time() - started
        started = time.process_time()
        markdown_text(text)
        search = time.process_time() - started
        print(f"{name:16s} {len(text):9,d} {cost(text):7.0%} {page:7.2f} {search:8.2f}", flush=True)


if __name__ == "__main__":
    main()
