"""共性问题: the themes index, one page per theme, and the pieces round and notice pages show of them."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.routes import THEMES, join_url, notice_url, round_url, theme_round_anchor, theme_url, unit_url
from xuncha_site.core.themes import ThemeCount, ThemeEntry
from xuncha_site.views.chart import Bar, bar_chart
from xuncha_site.views.html import NO_HTML, escape
from xuncha_site.views.widgets import STATUS_TONES, Badge, Link, crumbs

ROUND_TOP = 10  # a round page lists this many of its themes

COUNTING_NOTE = (
    "按问题标题中的词语归类（主题表由本站编写，一个问题可归入几个主题）；"
    "同一单位在同一轮次有几篇通报的，按最新一篇统计；只统计已公开的通报。"
)


@dataclass(frozen=True)
class CountRow:
    """One round or year of a theme: how many units were told of it, in how many problems."""

    label: str
    url: str
    units: int
    problems: int


@dataclass(frozen=True)
class ThemeSummary:
    slug: str
    name: str
    url: str
    description: str
    units: int
    problems: int
    rounds: tuple[CountRow, ...]  # newest round first, rounds with problems only
    years: tuple[CountRow, ...]  # newest year first


@dataclass(frozen=True)
class ThemesView:
    crumbs: tuple[Link, ...]
    note: str
    themes: tuple[ThemeSummary, ...]
    counted_notices: int


@dataclass(frozen=True)
class HitView:
    title: str
    url: str  # the problem in its notice
    unit: Link
    notice: Link
    badge: Badge | None  # the notice's own status words; None when it states none


@dataclass(frozen=True)
class RoundHits:
    anchor: str
    name: str
    url: str  # the round's page
    units: int
    hits: tuple[HitView, ...]
    hits_html: Markup = NO_HTML  # the hits as the page lists them (hit_items)


@dataclass(frozen=True)
class ThemeView:
    crumbs: tuple[Link, ...]
    name: str
    description: str
    note: str
    units: int
    problems: int
    filters: tuple[Link, ...]  # one anchor per round (works without JavaScript)
    rounds: tuple[RoundHits, ...]
    years: tuple[CountRow, ...]  # oldest first, as the chart
    chart: Markup | None
    index_url: str


@dataclass(frozen=True)
class RoundTheme:
    name: str
    url: str  # the theme page's section of the round
    units: int
    problems: int


def _round_rows(catalogue: Catalogue, entry: ThemeEntry, base: str) -> tuple[CountRow, ...]:
    rows = []
    for round_ in catalogue.rounds_newest_first:
        count = entry.rounds.get(round_.id)
        if count is not None:
            rows.append(
                CountRow(round_.name, theme_url(entry.theme.slug, base, round_.id), count.units, count.problems)
            )
    return tuple(rows)


def _year_rows(entry: ThemeEntry) -> tuple[CountRow, ...]:
    return tuple(CountRow(f"{year}年", "", count.units, count.problems) for year, count in entry.years.items())


def theme_summary(catalogue: Catalogue, entry: ThemeEntry, base: str) -> ThemeSummary:
    theme = entry.theme
    return ThemeSummary(
        slug=theme.slug,
        name=theme.name,
        url=theme_url(theme.slug, base),
        description=theme.description,
        units=entry.total.units,
        problems=entry.total.problems,
        rounds=_round_rows(catalogue, entry, base),
        years=tuple(reversed(_year_rows(entry))),
    )


def themes_view(catalogue: Catalogue, base: str) -> ThemesView:
    index = catalogue.themes
    return ThemesView(
        crumbs=crumbs(base, ("共性问题", "")),
        note=COUNTING_NOTE,
        themes=tuple(theme_summary(catalogue, entry, base) for entry in index.entries),
        counted_notices=len(index.counted),
    )


def theme_view(catalogue: Catalogue, entry: ThemeEntry, base: str) -> ThemeView:
    theme = entry.theme
    grouped: dict[str, list[HitView]] = {}
    for hit in entry.hits:
        notice = hit.notice
        url = notice_url(notice, base)
        badge = Badge(hit.status_text, STATUS_TONES[hit.status]) if hit.status_text else None
        grouped.setdefault(notice.round_id, []).append(
            HitView(
                title=hit.problem.title,
                url=f"{url}#{hit.problem.anchor}",
                unit=Link(notice.unit, unit_url(notice.unit_slug, base)),
                notice=Link(notice.title, url),
                badge=badge,
            )
        )
    rounds = []
    for round_ in catalogue.rounds_newest_first:
        if round_.id in grouped:
            count = entry.rounds[round_.id]
            hits = tuple(grouped[round_.id])
            rounds.append(
                RoundHits(
                    theme_round_anchor(round_.id),
                    round_.name,
                    round_url(round_.id, base),
                    count.units,
                    hits,
                    hit_items(hits),
                )
            )
    years = _year_rows(entry)
    chart = (
        bar_chart(
            f"{theme.name}：各年度被指出此类问题的单位数",
            tuple(Bar(row.label, row.units, "progress") for row in years),
            unit="个单位",
            shares=False,
        )
        if years
        else None
    )
    index_url = join_url(base, THEMES)
    return ThemeView(
        crumbs=crumbs(base, ("共性问题", index_url), (theme.name, "")),
        name=theme.name,
        description=theme.description,
        note=COUNTING_NOTE,
        units=entry.total.units,
        problems=entry.total.problems,
        filters=tuple(Link(f"{r.name}（{len(r.hits)}个问题）", f"#{r.anchor}") for r in rounds),
        rounds=tuple(rounds),
        years=years,
        chart=chart,
        index_url=index_url,
    )


def hit_items(hits: tuple[HitView, ...]) -> Markup:
    """The list items of a round's hits on a theme page (theme/theme.html prints them in its ``ul.xc-hits``): each
    problem with its status in the notice's words, its unit and notice. Written here rather than by the template: a
    theme of a large site lists thousands (:mod:`xuncha_site.views.html`)."""
    out = []
    for h in hits:
        badge = h.badge
        status = f' <span class="xc-badge xc-badge--{escape(badge.tone)}">{escape(badge.text)}</span>' if badge else ""
        out.append(
            f'\n      <li class="xc-hit">\n        <p class="xc-hit__title"><a href="{escape(h.url)}">{escape(h.title)}</a>'
            f'{status}</p>\n        <p class="xc-hit__meta"><a href="{escape(h.unit.url)}">{escape(h.unit.text)}</a> · '
            f'<a href="{escape(h.notice.url)}">{escape(h.notice.text)}</a></p>\n      </li>'
        )
    return Markup("".join(out))


def round_themes(catalogue: Catalogue, round_id: str, base: str) -> tuple[RoundTheme, ...]:
    """本轮共性问题: the themes most of the round's units were told of, with their counts."""
    top: list[tuple[ThemeEntry, ThemeCount]] = catalogue.themes.round_top(round_id)[:ROUND_TOP]
    return tuple(
        RoundTheme(entry.theme.name, theme_url(entry.theme.slug, base, round_id), count.units, count.problems)
        for entry, count in top
    )


def problem_theme_links(catalogue: Catalogue, notice_id: str, base: str) -> dict[int, tuple[Link, ...]]:
    """Each problem's themes as links, by the problem's line."""
    problems = catalogue.themes.problems.get(notice_id)
    if not problems:
        return {}
    names = {entry.theme.slug: entry.theme.name for entry in catalogue.themes.entries}
    links: dict[str, Link] = {}  # each theme's link once: a notice names few themes, most of them many times
    for slugs in problems.values():
        for slug in slugs:
            if slug not in links:
                links[slug] = Link(names[slug], theme_url(slug, base))
    return {line: tuple(links[slug] for slug in slugs) for line, slugs in problems.items()}
