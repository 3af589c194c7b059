"""Theme matcher bench: pyahocorasick (what xuncha_site.core.themes uses) against one compiled regular expression.

    python bench/themes.py [--titles 200000] [--scale 1]

Titles: the hand-labelled fixture titles (tests/fixtures/themes/labelled-titles.tsv) repeated with fictional unit
names in front, about as many as 5,000 notices of 40 problems each. ``--scale N`` adds N-1 copies of every theme word
with a suffix, to see how each matcher grows with a longer list. For each matcher: the time to build it, the time to
give every title its themes, and whether the answers agree with the automaton's.

The regular expression is one alternation of every word, longest first, inside a lookahead so that overlapping words
are found (``(?=(意识形态阵地|意识形态|…))``); a lookahead finds one word per starting position, so words that start at
the same place (意识形态阵地 and 意识形态) need the longest-first order and a check of the shorter ones there.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xuncha_site.core.diagnostics import Diagnostics  # noqa: E402
from xuncha_site.core.model import Theme  # noqa: E402
from xuncha_site.core.themes import ThemeMatcher, load_themes, normalise  # noqa: E402

UNITS = ("市统计局", "县档案馆", "区水务集团", "市第二中学", "县文旅局", "市机关事务中心", "区卫健委", "市住建局")


class RegexMatcher:
    """The same rule as ThemeMatcher.match, with one compiled pattern instead of an automaton."""

    def __init__(self, themes: tuple[Theme, ...]) -> None:
        self.targets: dict[str, list[tuple[int, bool]]] = defaultdict(list)
        for index, theme in enumerate(themes):
            for word in theme.words:
                self.targets[normalise(word)].append((index, False))
            for word in theme.exclude:
                self.targets[normalise(word)].append((index, True))
        words = sorted(self.targets, key=len, reverse=True)
        self.pattern = re.compile("(?=(" + "|".join(map(re.escape, words)) + "))")
        # Words that are a prefix of a longer word: the lookahead reports only the longest at a position.
        self.prefixes: dict[str, list[str]] = {
            word: [other for other in words if other != word and word.startswith(other)] for word in words
        }

    def match(self, text: str) -> tuple[int, ...]:
        norm = normalise(text)
        marks: dict[int, list[tuple[int, int]]] = defaultdict(list)
        excluded: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for found in self.pattern.finditer(norm):
            start = found.start()
            for word in (found[1], *self.prefixes[found[1]]):
                for index, excluding in self.targets[word]:
                    (excluded if excluding else marks)[index].append((start, start + len(word)))
        return tuple(
            sorted(
                index
                for index, spans in marks.items()
                if any(all(end <= a or start >= b for a, b in excluded.get(index, ())) for start, end in spans)
            )
        )


def scaled(themes: tuple[Theme, ...], scale: int) -> tuple[Theme, ...]:
    if scale <= 1:
        return themes
    suffixes = [f"甲{n}" for n in range(1, scale)]
    return tuple(
        Theme(
            slug=t.slug,
            name=t.name,
            words=t.words + tuple(w + s for w in t.words for s in suffixes),
            exclude=t.exclude,
        )
        for t in themes
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--titles", type=int, default=200_000)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    diags = Diagnostics()
    themes = scaled(load_themes(ROOT / "content", "content/themes.yml", diags), args.scale)
    base = [
        line.split("\t")[0]
        for line in (ROOT / "tests/fixtures/themes/labelled-titles.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    rng = random.Random(19)
    titles = [f"{n % 9 + 1}.{rng.choice(UNITS)}{rng.choice(base)}" for n in range(args.titles)]
    words = sum(len(t.words) + len(t.exclude) for t in themes)
    print(
        f"{len(themes)} 个主题，{words} 个词；{len(titles)} 个标题（平均 {sum(map(len, titles)) / len(titles):.0f} 字）"
    )
    answers = {}
    for name, make in (("pyahocorasick", ThemeMatcher), ("regex", RegexMatcher)):
        started = time.perf_counter()
        matcher = make(themes)
        built = time.perf_counter() - started
        started = time.perf_counter()
        answers[name] = [matcher.match(title) for title in titles]
        took = time.perf_counter() - started
        print(
            f"{name:>14}: 建立 {built * 1000:7.1f} ms，匹配 {took:6.2f} s（每个标题 {took / len(titles) * 1e6:5.1f} µs）"
        )
    agree = sum(a == b for a, b in zip(answers["pyahocorasick"], answers["regex"], strict=True))
    print(f"两种结果一致的标题：{agree}/{len(titles)}")


if __name__ == "__main__":
    main()
