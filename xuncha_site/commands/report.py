"""``xuncha report disclosure``: the disclosure-timeliness table of the /disclosure/ page, in the terminal or as CSV."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence

from xuncha_site.commands.console import EXIT_OK
from xuncha_site.commands.site import load_clean_site

HEADERS = ("轮次", "巡察组", "单位", "反馈日期", "公开期限", "首篇通报发布", "用时（天）", "及时性")


def cmd_report(args: argparse.Namespace) -> int:
    from xuncha_site.core.disclosure import disclosure
    from xuncha_site.outputs.open_data import disclosure_csv, disclosure_document
    from xuncha_site.views.disclosure import totals_text

    site = load_clean_site(args.config_file, "无法生成报表")
    if isinstance(site, int):
        return site
    project = site.project
    assert site.config is not None
    result = disclosure(project.catalogue)
    if args.format == "csv":
        base_url = args.base_url if args.base_url is not None else site.config.site_url or "/"
        text = disclosure_csv(disclosure_document(result, base_url))  # the bytes of data/disclosure.csv
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return EXIT_OK
    rows = [
        (
            r.round.name,
            row.group,
            row.unit.name,
            row.feedback_date.isoformat() if row.feedback_date else "—",
            row.due_date.isoformat() if row.due_date else "—",
            row.first_published.isoformat() if row.first_published else "—",
            str(row.days_taken) if row.days_taken is not None else "—",
            row.verdict,
        )
        for r in result.rounds
        for row in r.rows
    ]
    lines = [f"公开及时性（统计截至 {result.today.isoformat()}）", *table(HEADERS, rows), ""]
    lines += [f"{r.round.name}：{totals_text(r.totals)}" for r in result.rounds]
    lines.append(f"全部轮次：{totals_text(result.totals)}")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Columns aligned for a terminal (Chinese characters are two columns wide)."""
    widths = [max(_width(cell) for cell in column) for column in zip(headers, *rows, strict=False)]
    out = ["  ".join(_pad(cell, w) for cell, w in zip(headers, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return out
