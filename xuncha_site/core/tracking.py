"""Problem identity across one unit's notices: which problem of a later notice is which problem of an earlier one.

A unit publishes a 进展 notice, later a 完成 one, sometimes a 回头看 one in another round; their problems (the leaves of
the problem tree, the one counting level of the site) are matched by their titles:

- a title is normalised (NFKC; numbering such as ``（一）``/``1.``, the frame ``关于……的问题`` and the 回头看 frame
  ``……整改不彻底`` removed; punctuation, white space and the filler words of :data:`FILLER_WORDS` removed) and cut
  into character bigrams;
- the similarity of two titles is rapidfuzz's ``token_set_ratio`` on those bigrams (0–100): a title whose bigrams all
  occur in the other's scores 100, so a reworded title that keeps its words matches;
- a problem of a notice is matched to a row (a problem of the unit's earlier notices) when the similarity reaches
  :data:`MATCH`; each row takes at most one problem of a notice and the best pairs go first, the nearer tree position
  (the problem's place in its notice's list, as a share) breaking ties;
- a pair between :data:`DOUBT` and :data:`MATCH` is matched by its place: when the problem and the row's latest problem
  carry the same number in their notices (a 完成 notice answers the same list, mostly in the same order), neither
  found a match, and each is the other's most similar (no tie);
- pairs between :data:`DOUBT` and :data:`MATCH` (those matched by place included), pairs above it that the one-to-one
  rule left out (a problem merged from two), and pairs from :data:`PLACE_HINT` that stand in the same place and found
  no match are *doubts*: ``xuncha check`` lists them as warnings with both titles, so that the editor decides;
- the editor decides in the record (``tracking:``, docs/记录格式.md): ``same_as: <通报编号>#<问题标题>`` pins a problem
  to one of an earlier notice of the unit, ``new: true`` breaks every match.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from xuncha_site.core.diagnostics import Diagnostic, Diagnostics, Level
from xuncha_site.core.fields import TRACKING_SEPARATOR
from xuncha_site.core.model import Notice, Problem, TrackingPin, counted_items

MATCH = 85.0  # similarity from which two titles are the same problem
DOUBT = 66.0  # similarity from which an unmatched pair is shown to the editor
PLACE_HINT = 50.0  # ... and from which one is shown when both stand in the same place and neither found a match

_NUMBERING = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十百零〇0-9]+[)）]?[、.．,，:：\s]*|[①-⑳]\s*|[（(][一二三四五六七八九十0-9]+[)）])+"
)
_FRAME_START = ("关于", "存在")
# 回头看 notices name a problem by its earlier title and say how its rectification fell short.
_FRAME_END = ("整改不够彻底", "整改不彻底", "整改不到位", "整改不力", "的问题", "问题", "的情况", "情况")
# Words every notice uses around any problem: they tell problems apart no better than punctuation does.
FILLER_WORDS = ("问题", "工作", "方面", "存在", "较为", "不够", "仍然", "履行", "落实")
_FILLER = re.compile("|".join(FILLER_WORDS))
_NOT_WORD = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """A title reduced for matching: ``（一）关于报销手续不全的问题`` → ``报销手续不全``."""
    text = "".join(unicodedata.normalize("NFKC", title).split())
    text = _NUMBERING.sub("", text)
    for word in _FRAME_START:
        text = text.removeprefix(word)
    for word in _FRAME_END:
        if len(text) > len(word) + 1 and text.endswith(word):
            text = text[: -len(word)]
            break
    bare = _FILLER.sub("", _NOT_WORD.sub("", text))
    return bare if len(bare) >= 2 else _NOT_WORD.sub("", text)


def display_title(title: str) -> str:
    """A title without its numbering (``3.``, ``（一）``), for a row that several notices number differently."""
    bare = _NUMBERING.sub("", title.strip())
    return bare or title


@functools.lru_cache(maxsize=65536)  # a unit's titles recur in each of its notices
def bigrams(title: str) -> str:
    """The normalised title as space-separated character bigrams (the tokens ``token_set_ratio`` compares)."""
    text = normalise_title(title)
    if len(text) < 2:
        return text
    return " ".join(text[i : i + 2] for i in range(len(text) - 1))


def similarity(a: str, b: str) -> float:
    """How alike two problem titles are, 0–100 (see the module's docstring)."""
    return _score(bigrams(a), bigrams(b))


def _score(a: str, b: str, cutoff: float = DOUBT) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    return float(fuzz.token_set_ratio(a, b, processor=None, score_cutoff=cutoff))


def _similar_pairs(
    leaves: list[str], fixed: set[int], rows: list[list[str]], taken: set[int]
) -> Iterator[tuple[float, int, int]]:
    """(similarity, leaf index, row index) for each leaf not in ``fixed`` and each row (its titles as bigrams; empty
    when merged away) not in ``taken`` whose best title reaches :data:`DOUBT` with it, leaf by leaf, rows in order.

    One call of rapidfuzz's ``extract`` per leaf scores it against every different title of those rows, not a call per
    pair of leaf and row (tracking the 4,000-notice bench site: 0.59 → 0.51 s); ``cdist`` would make it one call per
    notice but needs numpy, which the build process does not import."""
    columns: list[str] = []
    owners: list[int] = []  # the row of each column
    for row_index, titles in enumerate(rows):
        if titles and row_index not in taken:
            for title in dict.fromkeys(titles):
                columns.append(title)
                owners.append(row_index)
    if not columns:
        return
    for index, leaf in enumerate(leaves):
        if index in fixed or not leaf:
            continue
        best: dict[int, float] = {}
        found = process.extract(
            leaf, columns, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=DOUBT, limit=None
        )
        for _title, score, column in found:
            row_index = owners[column]
            if score > best.get(row_index, 0.0):
                best[row_index] = score
        for row_index in sorted(best):
            yield float(best[row_index]), index, row_index


@dataclass(frozen=True)
class Appearance:
    """One problem of one notice in a row: how it came there (``first``, ``auto`` with its similarity, ``pin``)."""

    notice: Notice
    problem: Problem
    position: float  # the problem's place among its notice's problems, 0 (first) to 1 (last)
    via: str = "first"  # or "auto", "position", "pin"
    score: float | None = None
    number: int = 0  # its index among its notice's problems (0 = first)


@dataclass(frozen=True)
class Row:
    """One problem of the unit followed across its notices: its appearances, oldest first."""

    key: str  # the anchor of its row on the unit page: t1, t2, …
    appearances: tuple[Appearance, ...]

    def at(self, notice_id: str) -> Appearance | None:
        for appearance in self.appearances:
            if appearance.notice.id == notice_id:
                return appearance
        return None

    @property
    def title(self) -> str:
        """The title of its latest appearance, without its numbering."""
        return display_title(self.appearances[-1].problem.title)


@dataclass(frozen=True)
class Doubt:
    """An uncertain pair: a problem of ``notice`` and one of an earlier notice that may be the same problem."""

    notice: Notice
    problem: Problem
    other_notice: Notice
    other: Problem
    score: float
    matched: bool = False  # taken for the same problem by its place in the notice (the position rule)

    def diagnostic(self) -> Diagnostic:
        verdict = "在通报中位置相同，已当作同一问题" if self.matched else "未当作同一问题"
        message = (
            f"问题“{_short(self.problem.title)}”与《{_short(self.other_notice.title, 40)}》中的"
            f"“{_short(self.other.title)}”相似度 {self.score:.0f}，{verdict}；"
            f"如判断有误，请在 tracking 中用 same_as 指定或用 new: true 断开"
        )
        return Diagnostic(self.notice.path, self.problem.line, 0, Level.WARNING, message)


@dataclass(frozen=True)
class Tracker:
    """A unit's notices (oldest first), its problems as rows, the doubts and the mistakes in the editor's pins."""

    notices: tuple[Notice, ...]
    rows: tuple[Row, ...]
    doubts: tuple[Doubt, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    _by_problem: dict[tuple[str, int], Row] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for row in self.rows:
            for appearance in row.appearances:
                self._by_problem[(appearance.notice.id, appearance.problem.line)] = row

    def row_of(self, notice: Notice, problem: Problem) -> Row | None:
        return self._by_problem.get((notice.id, problem.line))


def notice_order(notice: Notice) -> tuple[object, ...]:
    """The order of a unit's notices in its tracker: by date of the notice, then publication, then id."""
    return (notice.notice_date, notice.published, notice.id)


def problem_ref(notice: Notice, problem: Problem) -> str:
    """How ``same_as`` names a problem: ``<notice id>#<title>``."""
    return f"{notice.id}{TRACKING_SEPARATOR}{problem.title}"


def _title_key(title: str) -> str:
    return "".join(unicodedata.normalize("NFKC", title).split())


def track(notices: Iterable[Notice]) -> Tracker:
    """The tracker of one unit's notices (any order); see the module's docstring for the rule."""
    ordered = tuple(sorted(notices, key=notice_order))
    rows: list[list[Appearance]] = []
    tokens: list[list[str]] = []  # each row's titles as bigrams
    doubts: list[Doubt] = []
    errors: list[Diagnostic] = []
    where: dict[str, int] = {}  # problem ref (title key) → row index
    for notice in ordered:
        leaves = counted_items(notice.problems)
        span = max(1, len(leaves) - 1)
        mine = [bigrams(leaf.title) for leaf in leaves]
        chosen: dict[int, int] = {}  # leaf index → row index
        fixed: set[int] = set()  # leaves the editor decided about
        for pin in notice.tracking:
            index = _pinned_leaf(pin, leaves)
            if index is None:
                errors.append(_error(notice, pin.line, f"问题追踪：本通报没有标题为“{_short(pin.problem)}”的末级问题"))
                continue
            fixed.add(index)
            if pin.new:
                continue
            target = where.get(_ref_key(pin.same_as))
            if target is None:
                message = (
                    f"问题追踪：same_as“{_short(pin.same_as, 60)}”不是本单位较早通报中的问题"
                    f"（应写 通报编号{TRACKING_SEPARATOR}问题标题）"
                )
                errors.append(_error(notice, pin.line, message))
            elif target in chosen.values():
                errors.append(_error(notice, pin.line, "问题追踪：same_as 指向的问题已与本通报的另一个问题对应"))
            else:
                chosen[index] = target
        taken = set(chosen.values())
        pairs = [
            (score, abs(index / span - rows[row_index][-1].position), index, row_index)
            for score, index, row_index in _similar_pairs(mine, fixed, tokens, taken)
        ]
        pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2], pair[3]))
        auto: dict[int, tuple[int, float]] = {}
        for score, _distance, index, row_index in pairs:
            if score >= MATCH and index not in auto and row_index not in taken:
                auto[index] = (row_index, score)
                taken.add(row_index)
        # A problem that matches two rows which never share a notice rejoins them: an earlier notice worded it so
        # differently that it was taken for a new problem (安全生产隐患排查不彻底 / 安全隐患排查整治不彻底).
        for score, _distance, index, row_index in pairs:
            if score < MATCH or index not in auto or row_index in taken or not rows[row_index]:
                continue
            keep = auto[index][0]
            if {a.notice.id for a in rows[keep]} & {a.notice.id for a in rows[row_index]}:
                continue
            rows[keep] = sorted(rows[keep] + rows[row_index], key=lambda a: notice_order(a.notice))
            tokens[keep] += tokens[row_index]
            rows[row_index], tokens[row_index] = [], []
            where.update({ref: keep for ref, target in where.items() if target == row_index})
            taken.add(row_index)
        placed = _placed(pairs, auto, taken, rows)
        taken |= {row_index for row_index, _ in placed.values()}
        for index, (row_index, score) in placed.items():
            other = rows[row_index][-1]
            doubts.append(Doubt(notice, leaves[index], other.notice, other.problem, score, matched=True))
        auto.update(placed)
        matched_rows = {row_index for row_index, _ in auto.values()} | set(chosen.values())
        for score, _distance, index, row_index in pairs:
            if auto.get(index, (None, 0.0))[0] == row_index or not rows[row_index]:
                continue
            if index in auto and row_index in matched_rows:
                continue  # both found their match elsewhere
            other = rows[row_index][-1]
            doubts.append(Doubt(notice, leaves[index], other.notice, other.problem, score))
        in_pairs = {(index, row_index) for _score_, _distance, index, row_index in pairs}
        for index, leaf_tokens in enumerate(mine):
            if index in fixed or index in auto:
                continue
            for row_index, row in enumerate(rows):
                if row and row_index not in taken and row[-1].number == index and (index, row_index) not in in_pairs:
                    score = max(_score(leaf_tokens, other, PLACE_HINT) for other in tokens[row_index])
                    if score >= PLACE_HINT:
                        doubts.append(Doubt(notice, leaves[index], row[-1].notice, row[-1].problem, score))
        for index, leaf in enumerate(leaves):
            appearance = Appearance(notice, leaf, index / span, number=index)
            if index in chosen:
                row_index = chosen[index]
                appearance = Appearance(notice, leaf, index / span, "pin", number=index)
            elif index in auto:
                row_index, score = auto[index]
                how = "position" if index in placed else "auto"
                appearance = Appearance(notice, leaf, index / span, how, score, index)
            else:
                row_index = len(rows)
                rows.append([])
                tokens.append([])
            rows[row_index].append(appearance)
            tokens[row_index].append(mine[index])
            where.setdefault(_ref_key(problem_ref(notice, leaf)), row_index)
    alive = sorted((row for row in rows if row), key=lambda row: (notice_order(row[0].notice), row[0].position))
    built = tuple(Row(f"t{number}", tuple(row)) for number, row in enumerate(alive, start=1))
    row_of = {(a.notice.id, a.problem.line): row.key for row in built for a in row.appearances}
    open_doubts = tuple(
        doubt
        for doubt in doubts
        if doubt.matched
        or row_of[(doubt.notice.id, doubt.problem.line)] != row_of[(doubt.other_notice.id, doubt.other.line)]
    )  # a later problem may have rejoined the two
    return Tracker(ordered, built, open_doubts, tuple(errors))


def _placed(
    pairs: list[tuple[float, float, int, int]],
    auto: Mapping[int, tuple[int, float]],
    taken: set[int],
    rows: list[list[Appearance]],
) -> dict[int, tuple[int, float]]:
    """Grey-zone pairs taken for one problem because they stand in the same place (see the module's docstring)."""
    open_pairs = [
        (score, index, row_index)
        for score, _distance, index, row_index in pairs
        if score < MATCH and index not in auto and row_index not in taken and rows[row_index]
    ]
    best_of_leaf: dict[int, tuple[float, int]] = {}
    best_of_row: dict[int, tuple[float, int]] = {}
    for score, index, row_index in open_pairs:
        if score > best_of_leaf.get(index, (-1.0, -1))[0]:
            best_of_leaf[index] = (score, row_index)
        if score > best_of_row.get(row_index, (-1.0, -1))[0]:
            best_of_row[row_index] = (score, index)
    tied = {(index, row_index) for score, index, row_index in open_pairs if score == best_of_leaf[index][0]}
    tied |= {(index, row_index) for score, index, row_index in open_pairs if score == best_of_row[row_index][0]}
    placed = {}
    for score, index, row_index in open_pairs:
        mutual = best_of_leaf[index] == (score, row_index) and best_of_row[row_index] == (score, index)
        alone = sum(1 for pair in tied if pair[0] == index or pair[1] == row_index) == 1
        if mutual and alone and rows[row_index][-1].number == index:
            placed[index] = (row_index, score)
    return placed


def _ref_key(ref: str) -> str:
    notice_id, _, title = ref.partition(TRACKING_SEPARATOR)
    return f"{notice_id.strip()}{TRACKING_SEPARATOR}{_title_key(title)}"


def _pinned_leaf(pin: TrackingPin, leaves: list[Problem]) -> int | None:
    wanted = _title_key(pin.problem)
    for index, leaf in enumerate(leaves):
        if _title_key(leaf.title) == wanted:
            return index
    return None


def _error(notice: Notice, line: int, message: str) -> Diagnostic:
    return Diagnostic(notice.path, line or notice.lines.get("tracking", 1), 0, Level.ERROR, message)


def unit_trackers(notices: Iterable[Notice], previous: Mapping[str, Tracker] | None = None) -> dict[str, Tracker]:
    """The tracker of every unit (by its slug) with more than one of ``notices``; a tracker of ``previous`` is kept
    for a unit whose notices are the very same objects (``xuncha serve``: records read from its cache)."""
    by_unit: dict[str, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_unit[notice.unit_slug].append(notice)
    trackers = {}
    for slug, group in sorted(by_unit.items()):
        if len(group) > 1:
            kept = previous.get(slug) if previous is not None else None
            same = kept is not None and {id(n) for n in kept.notices} == {id(n) for n in group}
            trackers[slug] = kept if same and kept is not None and len(kept.notices) == len(group) else track(group)
    return trackers


def check_tracking(notices: tuple[Notice, ...], diags: Diagnostics) -> None:
    """The editor's pins that name no problem: errors (every notice but drafts, as they will be published)."""
    by_unit: dict[str, list[Notice]] = defaultdict(list)
    for notice in notices:
        if not notice.draft:
            by_unit[notice.unit_slug].append(notice)
    for group in by_unit.values():
        if any(notice.tracking for notice in group):
            diags.extend(track(group).errors)


def tracking_notes(notices: Iterable[Notice]) -> list[Diagnostic]:
    """The doubts of every unit's tracker, as warnings for ``xuncha check`` (drafts left out), sorted."""
    public = [notice for notice in notices if not notice.draft]
    return sorted(doubt.diagnostic() for tracker in unit_trackers(public).values() for doubt in tracker.doubts)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
