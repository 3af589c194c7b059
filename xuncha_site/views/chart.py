"""Static SVG bar charts drawn at build time: readable without JavaScript, labelled in text, not by colour alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

# Geometry in SVG user units. The chart is drawn as wide as its column: on a 360 px phone about 330 px, so a view box
# 320 wide draws 16-unit text at 16 px or more (the site's smallest text), and on a desktop CSS caps the width. Each
# row is two lines: its label and figures above, its bar below across the whole width, so that nothing overflows.
WIDTH = 320
FONT_SIZE = 16
LINE = 22  # the label line: text of FONT_SIZE with room for descenders
BAR_HEIGHT = 14
ROW_HEIGHT = LINE + BAR_HEIGHT + 14
TOP = 2

# Fill colours chosen to stay distinguishable in greyscale print; the theme may override them by class.
TONES = {
    "completed": "#1b6e3a",
    "basically": "#5b9a3c",
    "progress": "#b8860b",
    "long": "#3b6ea8",
    "not": "#a3291f",
    "unknown": "#8a8a8a",
    "disclosed": "#1b6e3a",
    "missing": "#b8860b",
    "overdue": "#a3291f",
    "on_time": "#1b6e3a",
    "late": "#b8860b",
    "pending": "#3b6ea8",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    tone: str  # a key of TONES; also the CSS modifier class


def bar_chart(
    title: str, bars: Sequence[Bar], *, total: int | None = None, unit: str = "个", shares: bool = True
) -> Markup:
    """A horizontal bar per item with its label, count and share of ``total`` (default: the sum) written beside it.

    ``shares=False`` (a series over time, whose sum means nothing): no percentages, bars relative to the largest.
    """
    total = sum(bar.value for bar in bars) if total is None else total
    scale = max((bar.value for bar in bars), default=0) if not shares else total
    height = TOP + ROW_HEIGHT * len(bars)
    summary = "；".join(f"{bar.label}{bar.value}{unit}" for bar in bars)
    rows = []
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        share = bar.value / scale if scale else 0.0
        percent = f" {share * 100:.1f}%" if total and shares else ""
        rows.append(
            Markup(
                '<g class="xc-chart__row xc-chart__row--{tone}">'
                '<text x="0" y="{ty}">{label}</text>'
                '<text x="{vx}" y="{ty}" text-anchor="end">{value}{unit}{percent}</text>'
                '<rect x="0" y="{by}" width="{w}" height="{h}" fill="{fill}"></rect></g>'
            ).format(
                tone=bar.tone,
                ty=y + FONT_SIZE,
                label=bar.label,
                vx=WIDTH,
                value=bar.value,
                unit=unit,
                percent=percent,
                by=y + LINE,
                w=max(round(WIDTH * share, 1), 1.0) if bar.value else 0,
                h=BAR_HEIGHT,
                fill=TONES.get(bar.tone, TONES["unknown"]),
            )
        )
    return Markup(
        '<svg class="xc-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{label}" font-size="{fs}"><title>{title}</title><desc>{desc}</desc>{rows}</svg>'
    ).format(
        w=WIDTH,
        h=height,
        label=f"{title}：{summary}",
        fs=FONT_SIZE,
        title=title,
        desc=summary,
        rows=Markup("").join(rows),
    )
