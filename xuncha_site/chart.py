"""Static SVG bar charts drawn at build time: readable without JavaScript, labelled in text, not by colour alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

# Geometry in SVG user units. The chart scales with the page; the narrow view box keeps the labels legible on a
# 360 px phone (about 13 px text) without making them huge on a desktop, where CSS caps the width.
WIDTH = 360
LABEL_WIDTH = 76
VALUE_WIDTH = 100
ROW_HEIGHT = 34
BAR_HEIGHT = 20
TOP = 8
FONT_SIZE = 14

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
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    tone: str  # a key of TONES; also the CSS modifier class


def bar_chart(title: str, bars: Sequence[Bar], *, total: int | None = None, unit: str = "个") -> Markup:
    """A horizontal bar per item with its label, count and share of ``total`` (default: the sum) written beside it."""
    total = sum(bar.value for bar in bars) if total is None else total
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + ROW_HEIGHT * len(bars)
    summary = "；".join(f"{bar.label}{bar.value}{unit}" for bar in bars)
    rows = []
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        share = bar.value / total if total else 0.0
        width = round(bar_area * share, 1)
        text_y = y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35
        percent = f" {share * 100:.1f}%" if total else ""
        rows.append(
            Markup(
                '<g class="xc-chart__row xc-chart__row--{tone}">'
                '<text x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
                '<rect x="{bx}" y="{y}" width="{w}" height="{h}" fill="{fill}"></rect>'
                '<text x="{vx}" y="{ty}">{value}{unit}{percent}</text></g>'
            ).format(
                tone=bar.tone,
                lx=LABEL_WIDTH - 6,
                ty=text_y,
                label=bar.label,
                bx=LABEL_WIDTH,
                y=y,
                w=max(width, 1.0) if bar.value else 0,
                h=BAR_HEIGHT,
                fill=TONES.get(bar.tone, TONES["unknown"]),
                vx=LABEL_WIDTH + width + 6,
                value=bar.value,
                unit=unit,
                percent=percent,
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
