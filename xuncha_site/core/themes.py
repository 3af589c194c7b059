"""Common problems (共性问题): the site's theme list, the matcher that gives each problem its themes, and the index
that theme pages, round pages, notice pages, open data and search read.

The list is ``content/themes.yml`` (docs/记录格式.md, 主题表). A problem is about a theme when its title holds one of the
theme's marking words and that occurrence does not lie inside one of the theme's excluding words (``一把手工程`` holds
``工程`` but is not about construction projects). When the title is short (fewer than :data:`SHORT_TITLE` characters)
and marks no theme, the problem's own text is read too. The editor adds or removes themes on a problem with a mark at
the end of its heading, ``{主题：+公务用车 -党费}`` (:func:`split_theme_marks`, called by the body parser).

Matching uses pyahocorasick's Aho–Corasick automaton: every word of every theme in one automaton, each title scanned
once whatever the number of words (bench/themes.py compares it with one compiled regular expression).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
from yaml.nodes import ScalarNode

from xuncha_site.core.diagnostics import Diagnostic, Diagnostics, Level
from xuncha_site.core.model import Notice, Problem, Round, Status, Theme
from xuncha_site.core.records import Fields, compose_yaml, line_of, read_text

THEMES_FILE = "themes.yml"  # in the content folder, beside rounds/ and notices/
MAX_THEMES_CHARS = 256 * 1024
SHORT_TITLE = 8  # titles shorter than this (in characters, numbering excluded) are read with the problem's own text
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
THEME_FIELDS = {
    "slug": "网址名",
    "name": "名称",
    "description": "说明",
    "words": "标记词",
    "exclude": "排除词",
}

# The editor's mark at the end of a problem heading: {主题：+公务用车 -党费} (a bare name adds the theme).
_MARK = re.compile(r"\{\s*主题\s*[:：]\s*(?P<marks>[^{}]*)\}\s*$")
_MARK_SPLIT = re.compile(r"[\s,，、;；]+")
# Numbering at the start of a title, not counted in its length: 1. （一） 问题3： 第一方面
_NUMBERING = re.compile(
    r"^\s*(?:问题\s*\d+\s*[:：]|第[一二三四五六七八九十]+方面|[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[一二三四五六七八九十]+、)\s*"
)


# Full-width letters and digits fold to ASCII (rare: looked for first); white space and quotation marks are dropped.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_DROP = re.compile(r"[“”‘’\"'「」『』\s]+")


def normalise(text: str) -> str:
    """Text as the matcher reads it: full-width letters and digits folded, lower case, without white space and
    quotation marks (对“一把手”监督 holds 一把手监督)."""
    text = _DROP.sub("", text)
    if _WIDE.search(text):
        text = text.translate(_FOLD)
    return text.lower()


def split_theme_marks(title: str) -> tuple[str, tuple[str, ...]]:
    """A heading without its theme mark, and the mark's entries (``+公务用车``, ``-党费``; bare names get ``+``)."""
    match = _MARK.search(title)
    if match is None:
        return title, ()
    marks = tuple(m if m[0] in "+-" else f"+{m}" for m in _MARK_SPLIT.split(match["marks"].strip()) if m.strip("+-"))
    return title[: match.start()].rstrip(), marks


# --- the theme file -------------------------------------------------------------------------------------------------


def load_themes(content: Path, shown: str, diags: Diagnostics) -> tuple[Theme, ...]:
    """The theme list of ``content/themes.yml`` (none when the file is absent); mistakes are errors with their line."""
    path = content / THEMES_FILE
    if not path.is_file():
        return ()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(shown, 1, f"无法读取主题表：{exc.strerror}")
        return ()
    text = read_text(raw, shown, diags)
    if text is None:
        return ()
    if len(text) > MAX_THEMES_CHARS:
        diags.error(shown, 1, f"主题表过长（超过 {MAX_THEMES_CHARS // 1024} KB）")
        return ()
    node = compose_yaml(text, shown, diags)
    if node is None:
        if text.strip() and not diags.errors:
            diags.error(shown, 1, "主题表为空")
        return ()
    top = Fields.of(node, shown, diags, where="主题表")
    if top is None:
        return ()
    themes: list[Theme] = []
    slugs: dict[str, int] = {}
    names: dict[str, int] = {}
    for item in top.seq("themes", "主题", required=True):
        theme = _load_theme(item, shown, diags)
        if theme is None:
            continue
        if theme.slug in slugs:
            diags.error(shown, theme.line, f"主题网址名“{theme.slug}”重复（第 {slugs[theme.slug]} 行已有）")
            continue
        if theme.name in names:
            diags.error(shown, theme.line, f"主题名称“{theme.name}”重复（第 {names[theme.name]} 行已有）")
            continue
        slugs[theme.slug], names[theme.name] = theme.line, theme.line
        themes.append(theme)
    top.finish(("themes",))
    return tuple(themes)


def _load_theme(node: Any, shown: str, diags: Diagnostics) -> Theme | None:
    fields = Fields.of(node, shown, diags, where="主题")
    if fields is None:
        return None
    line = line_of(node)
    slug = fields.text("slug", THEME_FIELDS["slug"], required=True)
    name = fields.text("name", THEME_FIELDS["name"], required=True)
    description = fields.text("description", THEME_FIELDS["description"])
    words = _word_list(fields, "words", shown, diags)
    exclude = _word_list(fields, "exclude", shown, diags)
    fields.finish(tuple(THEME_FIELDS))
    if slug and (not SLUG.match(slug) or slug == "index"):
        reason = "“index”留给共性问题首页" if slug == "index" else "只能用小写字母、数字和连字符，如 gongwu-yongche"
        diags.error(shown, fields.line("slug"), f"主题网址名“{slug}”无效：{reason}")
        return None
    if not words:
        diags.error(shown, line, f"主题“{name or slug}”缺少标记词（words）：没有标记词的主题不会有任何问题")
    if not slug or not name:
        return None
    return Theme(
        slug=slug,
        name=name,
        description=description,
        words=tuple(words),
        exclude=tuple(exclude),
        path=shown,
        line=line,
        word_lines={**exclude, **words},
    )


def _word_list(fields: Fields, key: str, shown: str, diags: Diagnostics) -> dict[str, int]:
    """Words in the order written, each with its line; repeats and words that normalise to nothing are errors."""
    words: dict[str, int] = {}
    node = fields.raw(key)
    if node is not None and isinstance(node, ScalarNode):
        diags.error(shown, line_of(node), f"主题的“{key}”（{THEME_FIELDS[key]}）应为列表，如 [公务用车, 公车]")
        return words
    for word, line in fields.text_list(key, THEME_FIELDS[key]):
        if not normalise(word):
            continue
        if word in words:
            diags.error(shown, line, f"“{word}”在本主题的{THEME_FIELDS[key]}中重复")
            continue
        words[word] = line
    return words


# --- matching -------------------------------------------------------------------------------------------------------


class ThemeMatcher:
    """Which themes a text marks: one Aho–Corasick automaton over every marking and excluding word of the list."""

    def __init__(self, themes: Iterable[Theme]) -> None:
        self.themes = tuple(themes)
        self._automaton: Any = ahocorasick.Automaton()
        entries: dict[str, list[tuple[int, bool]]] = defaultdict(list)
        for index, theme in enumerate(self.themes):
            for word in theme.words:
                entries[normalise(word)].append((index, False))
            for word in theme.exclude:
                entries[normalise(word)].append((index, True))
        for word, targets in entries.items():
            self._automaton.add_word(word, (len(word), tuple(targets)))
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()
        self._by_key = {theme.slug: theme for theme in self.themes}
        self._by_key.update({theme.name: theme for theme in self.themes})
        self._by_key.update({_bare(theme.name): theme for theme in self.themes})

    def spans(self, text: str) -> Iterator[tuple[int, int, int, bool]]:
        """Every word found in ``text`` (normalised): (theme index, start, end, excluding?)."""
        if self._empty or not text:
            return
        for end, (length, targets) in self._automaton.iter(text):
            for index, excluding in targets:
                yield index, end - length + 1, end + 1, excluding

    def match(self, text: str) -> tuple[int, ...]:
        """Indices (in list order) of the themes ``text`` marks."""
        found = list(self.spans(normalise(text)))
        if not any(excluding for *_, excluding in found):
            return tuple(sorted({index for index, *_ in found}))
        excluded: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for index, start, end, excluding in found:
            if excluding:
                excluded[index].append((start, end))
        return tuple(
            sorted(
                {
                    index
                    for index, start, end, excluding in found
                    if not excluding and all(end <= a or start >= b for a, b in excluded.get(index, ()))
                }
            )
        )

    def words_found(self, text: str) -> set[tuple[int, str]]:
        """The marking and excluding words that occur in ``text``, as (theme index, normalised word)."""
        norm = normalise(text)
        return {(index, norm[start:end]) for index, start, end, _ in self.spans(norm)}

    def resolve(self, key: str) -> Theme | None:
        """The theme a mark names: by its slug, its name, or its name without quotation marks."""
        return self._by_key.get(key) or self._by_key.get(_bare(key))

    def problem_themes(self, problem: Problem) -> tuple[str, ...]:
        """The slugs of a problem's themes in list order: matched from its title (and its own text when the title is
        short and marks nothing), then the editor's marks applied."""
        found = set(self.match(problem.title))
        if not found and len(_NUMBERING.sub("", problem.title)) < SHORT_TITLE and problem.body:
            found = set(self.match(problem.body))
        chosen = {self.themes[index].slug for index in found}
        for mark in problem.theme_marks:
            theme = self.resolve(mark[1:])
            if theme is not None:
                (chosen.add if mark[0] == "+" else chosen.discard)(theme.slug)
        return tuple(theme.slug for theme in self.themes if theme.slug in chosen)


def _bare(name: str) -> str:
    return normalise(name)


# --- the index ------------------------------------------------------------------------------------------------------


Outermost = tuple[Problem, Status, str, tuple[str, ...]]  # a node, its status and its words, its themes


@dataclass(frozen=True)
class ThemeHit:
    """A problem listed under a theme: the outermost node of its branch that is about the theme."""

    notice: Notice
    problem: Problem
    status: Status  # the notice's own status for it (or its category's), UNKNOWN when the notice states none
    status_text: str  # in the notice's words; "" when it states none


@dataclass(frozen=True)
class ThemeCount:
    problems: int = 0
    units: int = 0


@dataclass(frozen=True)
class ThemeEntry:
    theme: Theme
    hits: tuple[ThemeHit, ...]  # by round, newest first; in a round by unit
    rounds: dict[str, ThemeCount]  # round id → count, rounds with hits only
    years: dict[int, ThemeCount]  # round year → count
    total: ThemeCount


@dataclass(frozen=True)
class ThemeIndex:
    """Every theme with its problems, and each public notice's problem themes (by problem line)."""

    entries: tuple[ThemeEntry, ...] = ()  # list order
    problems: dict[str, dict[int, tuple[str, ...]]] = field(default_factory=dict)  # notice id → line → slugs
    counted: tuple[Notice, ...] = ()  # the notices counted: each unit's newest public notice in each round
    # How each counted notice's problems were listed (its outermost nodes by theme), for an index made after it
    # (``xuncha serve``): notice id → (the notice, its problems' themes, the nodes).
    listed: dict[str, tuple[Notice, dict[int, tuple[str, ...]], tuple[Outermost, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    ranks: dict[str, tuple[int, int | None]] = field(default_factory=dict, compare=False, repr=False)  # round id →
    # (its place newest first, its year), as this index used them (kept with ``listed``)

    def entry(self, slug: str) -> ThemeEntry | None:
        return next((entry for entry in self.entries if entry.theme.slug == slug), None)

    def notice_themes(self, notice_id: str) -> tuple[str, ...]:
        """The slugs of a notice's themes (of any of its problems), in list order."""
        found = {slug for slugs in self.problems.get(notice_id, {}).values() for slug in slugs}
        return tuple(entry.theme.slug for entry in self.entries if entry.theme.slug in found)

    def round_top(self, round_id: str) -> list[tuple[ThemeEntry, ThemeCount]]:
        """The themes of a round that most units were told of: by units, then problems, then list order."""
        ranked = [(entry, entry.rounds[round_id]) for entry in self.entries if round_id in entry.rounds]
        return sorted(ranked, key=lambda pair: (-pair[1].units, -pair[1].problems))


def notice_problem_themes(notice: Notice, matcher: ThemeMatcher) -> dict[int, tuple[str, ...]]:
    """Each problem node's themes by its line (nodes without a theme left out)."""
    found: dict[int, tuple[str, ...]] = {}
    for problem in notice.all_problems():
        slugs = matcher.problem_themes(problem)
        if slugs:
            found[problem.line] = slugs
    return found


def build_theme_index(
    notices: Iterable[Notice],
    rounds_newest_first: Iterable[Round],
    themes: Iterable[Theme],
    unit_order: Callable[[str], Any],
    known: Mapping[str, dict[int, tuple[str, ...]]] | None = None,
    outermost: Mapping[str, tuple[Notice, dict[int, tuple[str, ...]], tuple[Outermost, ...]]] | None = None,
    previous: ThemeIndex | None = None,
) -> ThemeIndex:
    """The index of the public ``notices``: counts and lists from each unit's newest notice in each round (a progress
    notice and the completion notice after it tell of the same problems). ``known``: problem themes of notices
    matched already with the same themes (``xuncha serve``: from the previous index, for unchanged notices), and
    ``outermost`` the previous index's :attr:`ThemeIndex.listed` (made with the same themes; ``{}`` when there is none
    yet): given, the new index keeps its own :attr:`ThemeIndex.listed` for the next. ``previous``: that index,
    whose entries of the themes that no changed notice touches are kept as they are."""
    themes = tuple(themes)
    matcher: ThemeMatcher | None = None
    notices = tuple(notices)
    known = known or {}
    problems = {}
    for notice in notices:
        found = known.get(notice.id)
        if found is None:
            matcher = matcher or ThemeMatcher(themes)
            found = notice_problem_themes(notice, matcher)
        problems[notice.id] = found
    newest: dict[tuple[str, str], Notice] = {}
    for notice in notices:
        key = (notice.round_id, notice.unit_slug)
        if key not in newest or (notice.published, notice.id) > (newest[key].published, newest[key].id):
            newest[key] = notice
    round_rank = {round_.id: (rank, round_.year) for rank, round_ in enumerate(rounds_newest_first)}
    counted = sorted(
        newest.values(),
        key=lambda n: (round_rank.get(n.round_id, (len(round_rank), None))[0], unit_order(n.unit), n.id),
    )
    now: dict[str, tuple[Notice, dict[int, tuple[str, ...]], tuple[Outermost, ...]]] = {}
    listed_nodes: list[tuple[Notice, tuple[Outermost, ...]]] = []
    for notice in counted:
        lines = problems[notice.id]
        kept = outermost.get(notice.id) if outermost is not None else None
        nodes = kept[2] if kept is not None and kept[0] is notice and kept[1] is lines else None
        if nodes is None:
            nodes = tuple(_outermost(notice.problems, lines))
        if outermost is not None:
            now[notice.id] = (notice, lines, nodes)
        listed_nodes.append((notice, nodes))
    kept_entries = _unchanged_entries(previous, counted, round_rank, now) if previous is not None else None
    if previous is not None and kept_entries is not None:
        kept_entries.update(_patched_entries(previous, counted, round_rank, now, set(kept_entries)))
    kept_entries = kept_entries or {}
    hits: dict[str, list[ThemeHit]] = defaultdict(list)
    remade = [theme for theme in themes if getattr(kept_entries.get(theme.slug), "theme", None) != theme]
    if remade:  # else every entry is kept
        for notice, nodes in listed_nodes:
            for problem, status, status_text, slugs in nodes:
                for slug in slugs:
                    if slug not in kept_entries:
                        hits[slug].append(ThemeHit(notice, problem, status, status_text))
    entries = []
    for theme in themes:
        kept_entry = kept_entries.get(theme.slug)
        if kept_entry is not None and kept_entry.theme == theme:
            entries.append(kept_entry)
            continue
        listed = tuple(hits.get(theme.slug, ()))
        by_round: dict[str, list[ThemeHit]] = defaultdict(list)
        by_year: dict[int, list[ThemeHit]] = defaultdict(list)
        for hit in listed:
            by_round[hit.notice.round_id].append(hit)
            year = round_rank.get(hit.notice.round_id, (0, None))[1]
            if year is not None:
                by_year[year].append(hit)
        entries.append(
            ThemeEntry(
                theme=theme,
                hits=listed,
                rounds={key: _count(value) for key, value in by_round.items()},
                years={key: _count(value) for key, value in sorted(by_year.items())},
                total=_count(listed),
            )
        )
    return ThemeIndex(tuple(entries), problems, tuple(counted), now, round_rank if outermost is not None else {})


def _patched_entries(
    previous: ThemeIndex,
    counted: list[Notice],
    round_rank: dict[str, tuple[int, int | None]],
    now: Mapping[str, tuple[Notice, dict[int, tuple[str, ...]], tuple[Outermost, ...]]],
    kept: set[str],
) -> dict[str, ThemeEntry]:
    """The entries of the themes that changed notices touch, made from ``previous``'s (when
    :func:`_unchanged_entries` found the same notices counted in the same order): each changed notice's hits put in
    place of its old ones, and the counts of its round and year made again. A theme whose rounds or years with hits
    would change is left out (made from scratch)."""
    changed = [
        (index, before, notice)
        for index, (before, notice) in enumerate(zip(previous.counted, counted, strict=True))
        if before is not notice
    ]
    found: dict[str, ThemeEntry] = {}
    position = {item.id: index for index, item in enumerate(counted)}
    unranked = (len(round_rank), None)
    # Hits are in the order of the notices counted, which are by round (newest first): a notice's hits, and a
    # round's, are runs that bisection finds.
    place: Callable[[ThemeHit], int] = lambda hit: position[hit.notice.id]  # noqa: E731
    rank: Callable[[ThemeHit], int] = lambda hit: round_rank.get(hit.notice.round_id, unranked)[0]  # noqa: E731
    ranks_of_year: dict[int, list[int]] = defaultdict(list)
    for number, year in round_rank.values():
        if year is not None:
            ranks_of_year[year].append(number)
    for entry in previous.entries:
        slug = entry.theme.slug
        if slug in kept:
            continue
        mine = [
            (index, before, notice)
            for index, before, notice in changed
            if any(slug in node[3] for node in previous.listed[before.id][2])
            or any(slug in node[3] for node in now[notice.id][2])
        ]
        listed: list[ThemeHit] = []
        start = 0
        for index, _, notice in mine:
            low = bisect.bisect_left(entry.hits, index, start, key=place)
            high = bisect.bisect_right(entry.hits, index, low, key=place)
            listed.extend(entry.hits[start:low])
            listed.extend(
                ThemeHit(notice, problem, status, text)
                for problem, status, text, slugs in now[notice.id][2]
                if slug in slugs
            )
            start = high
        listed.extend(entry.hits[start:])
        rounds = dict(entry.rounds)
        years = dict(entry.years)

        def run(number: int, listed: list[ThemeHit] = listed) -> list[ThemeHit]:
            """The hits of the round ranked ``number``."""
            low = bisect.bisect_left(listed, number, key=rank)
            return listed[low : bisect.bisect_right(listed, number, low, key=rank)]

        for round_id in {notice.round_id for _, _, notice in mine}:
            number, year = round_rank.get(round_id, unranked)
            in_round = run(number)
            if not in_round or round_id not in rounds or (year is not None and year not in years):
                break  # the rounds or years with hits change: made from scratch
            rounds[round_id] = _count(in_round)
            if year is not None:
                years[year] = _count(hit for other in ranks_of_year[year] for hit in run(other))
        else:
            hits = tuple(listed)
            found[slug] = ThemeEntry(entry.theme, hits, rounds, years, _count(hits))
    return found


def _unchanged_entries(
    previous: ThemeIndex,
    counted: list[Notice],
    round_rank: dict[str, tuple[int, int | None]],
    now: Mapping[str, tuple[Notice, dict[int, tuple[str, ...]], tuple[Outermost, ...]]],
) -> dict[str, ThemeEntry] | None:
    """The entries of ``previous`` (made with the same themes) that the new index would make again: those of the
    themes that no changed notice had or has, when the same notices (by id) are counted, in the same order, with the
    same rounds; None when they are not."""
    if previous.ranks != round_rank or len(previous.counted) != len(counted) or not previous.listed:
        return None
    touched: set[str] = set()
    for before, notice in zip(previous.counted, counted, strict=True):
        if before is notice:
            continue
        if before.id != notice.id or before.id not in previous.listed or notice.id not in now:
            return None
        for nodes in (previous.listed[before.id][2], now[notice.id][2]):
            for node in nodes:
                touched.update(node[3])
    return {entry.theme.slug: entry for entry in previous.entries if entry.theme.slug not in touched}


def _outermost(
    nodes: Iterable[Problem],
    lines: dict[int, tuple[str, ...]],
    status: Status = Status.UNKNOWN,
    text: str = "",
    above: frozenset[str] = frozenset(),
) -> Iterator[Outermost]:
    """Each node with the themes that no node above it has (a category and its problems count once per theme), and
    its own status, else its category's."""
    for node in nodes:
        own = (node.status, node.status_text) if node.status_text else (status, text)
        slugs = tuple(slug for slug in lines.get(node.line, ()) if slug not in above)
        if slugs:
            yield node, own[0], own[1], slugs
        yield from _outermost(node.children, lines, own[0], own[1], above | set(slugs))


def _count(hits: Iterable[ThemeHit]) -> ThemeCount:
    hits = list(hits)
    return ThemeCount(problems=len(hits), units=len({hit.notice.unit_slug for hit in hits}))


# --- checks ---------------------------------------------------------------------------------------------------------


def check_marks(
    notices: Iterable[Notice],
    themes: tuple[Theme, ...],
    diags: Diagnostics,
    memo: dict[str, Any] | None = None,
) -> None:
    """Warnings for theme marks that name no theme of the list. ``memo`` (``xuncha serve``): what the check of the
    very same notice (by file) under the same themes found last time, given again without checking."""
    matcher: ThemeMatcher | None = None
    if memo is not None and memo.get(_MEMO_THEMES, themes) != themes:
        memo.clear()
    kept_notices: dict[str, tuple[Notice, tuple[Diagnostic, ...]]] = (
        memo.setdefault(_MEMO_NOTICES, {}) if memo is not None else {}
    )
    if memo is not None:
        memo[_MEMO_THEMES] = themes
    for notice in notices:
        kept = kept_notices.get(notice.path)
        if kept is not None and kept[0] is notice:
            diags.extend(kept[1])
            continue
        before = len(diags.items)
        matcher = matcher or ThemeMatcher(themes)
        _check_notice_marks(notice, themes, matcher, diags)
        if memo is not None:
            kept_notices[notice.path] = (notice, tuple(diags.items[before:]))


_MEMO_THEMES, _MEMO_NOTICES = "themes", "notices"


def _check_notice_marks(notice: Notice, themes: tuple[Theme, ...], matcher: ThemeMatcher, diags: Diagnostics) -> None:
    for problem in notice.all_problems():
        for mark in problem.theme_marks:
            if matcher.resolve(mark[1:]) is None:
                known = "、".join(theme.slug for theme in themes[:3])
                hint = f"（可写主题的网址名或名称，如 {known}）" if themes else "（站点没有主题表 content/themes.yml）"
                diags.warning(notice.path, problem.line, f"主题标记“{mark}”不是主题表中的主题{hint}")


def theme_notes(notices: Iterable[Notice], themes: tuple[Theme, ...], shown: str) -> list[Diagnostic]:
    """Information for the editor (``xuncha check``): problems that no theme covers, and theme words that occur in
    no problem title of any notice (drafts included: they will be published). Level 提示, sorted by file and line."""
    notes: list[Diagnostic] = []
    if not themes:
        return notes
    matcher = ThemeMatcher(themes)
    seen: set[tuple[int, str]] = set()
    for notice in notices:
        for problem in notice.all_problems():
            seen |= matcher.words_found(problem.title)
        for problem in _uncovered(notice.problems, matcher):
            notes.append(_info(notice.path, problem.line, f"问题“{_short(problem.title)}”没有归入任何主题"))
    for index, theme in enumerate(themes):
        for word in (*theme.words, *theme.exclude):
            if (index, normalise(word)) not in seen:
                kind = "标记词" if word in theme.words else "排除词"
                message = f"主题“{theme.name}”的{kind}“{word}”在所有问题标题中都没有出现"
                notes.append(_info(shown, theme.word_lines.get(word, theme.line), message))
    return sorted(notes)


def _info(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, 0, Level.INFO, message)


def _uncovered(nodes: Iterable[Problem], matcher: ThemeMatcher, covered: bool = False) -> Iterator[Problem]:
    """Problems (leaves) about no theme, neither by themselves nor by their categories."""
    for node in nodes:
        here = covered or bool(matcher.problem_themes(node))
        if node.children:
            yield from _uncovered(node.children, matcher, here)
        elif not here:
            yield node


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
