"""Toneless pinyin of unit names, as ``pypinyin.lazy_pinyin`` gives it, from a table a tenth of its memory.

Unit slugs (core/loader.py) and the order of unit names (core/catalogue.py) are the syllables that
``pypinyin.lazy_pinyin(name)`` gives: runs of Chinese characters cut into the longest words of its phrase list (its
strict forward maximum matching), each word read as the list gives it, each other character by its first reading,
every other run of characters kept as it is. Importing pypinyin loads its whole phrase and character lists with tones
and every prefix of every phrase: 55 MB, held by the build to its end (at 4,000 notices a seventh of its peak). The
table (``pinyin.txt``, written by :func:`write_table` from pypinyin itself) holds only what that gives for each phrase
and character, without tones: about 6 MB once read. ``tests/test_pinyin.py`` checks that :func:`lazy_pinyin` gives
what pypinyin gives for every phrase, every character and mixed names; after upgrading pypinyin, write the table
again (``python -m xuncha_site.core.pinyin``).
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from importlib import resources
from pathlib import Path

TABLE = "pinyin.txt"  # beside this module
_HEADER = "# xuncha pinyin table/1"


@functools.cache
def _table() -> tuple[re.Pattern[str], tuple[str, ...], dict[str, str], dict[str, str]]:
    """The pattern of Chinese characters, every phrase (sorted), each Chinese phrase's syllables (space-separated)
    and each character's, from :data:`TABLE`."""
    lines = (resources.files("xuncha_site.core") / TABLE).read_text(encoding="utf-8").split("\n")
    if lines[0] != _HEADER:
        raise RuntimeError(f"拼音表 {TABLE} 的格式不对（首行应为“{_HEADER}”）")
    hans = re.compile(lines[1])
    intern = sys.intern
    phrases: dict[str, str] = {}
    characters: dict[str, str] = {}
    keys: list[str] = []
    for line in lines[2:]:
        if not line:
            continue
        kind = line[0]
        text, _, reading = line[1:].partition("\t")
        if kind == "p":  # a phrase with its syllables
            phrases[text] = reading
            keys.append(text)
        elif kind == "k":  # a phrase that no run of Chinese characters can be (only its prefixes count)
            keys.append(text)
        else:  # "c": a character
            characters[text] = intern(reading)
    keys.sort()
    return hans, tuple(keys), phrases, characters


def lazy_pinyin(text: str) -> list[str]:
    """``pypinyin.lazy_pinyin(text)`` (toneless syllables; a character without one and any other run kept)."""
    hans, keys, phrases, characters = _table()
    result: list[str] = []
    for run in _runs(text, hans):
        if not hans.match(run):
            result.append(run)
            continue
        for word in _cut(run, keys, phrases):
            reading = phrases.get(word)
            if reading is None:  # one character (a word of several is a phrase)
                reading = characters.get(word, word)
            result.extend(reading.split(" "))
    return result


def _runs(text: str, hans: re.Pattern[str]) -> list[str]:
    """``text`` cut where it changes between Chinese characters and others (pypinyin's simple_seg); "" gives none."""
    runs: list[str] = []
    current, chinese = "", None
    for char in text:
        is_chinese = hans.match(char) is not None
        if current and is_chinese != chinese:
            runs.append(current)
            current = ""
        current += char
        chinese = is_chinese
    if current:
        runs.append(current)
    return runs


def _is_prefix(word: str, keys: tuple[str, ...]) -> bool:
    """Whether some phrase starts with ``word``."""
    at = bisect.bisect_left(keys, word)
    return at < len(keys) and keys[at].startswith(word)


def _cut(text: str, keys: tuple[str, ...], phrases: dict[str, str]) -> list[str]:
    """pypinyin's strict forward maximum matching (``mmseg.seg``, ``no_non_phrases=True``) of a run of Chinese
    characters: the longest phrase that starts the rest, found while every longer start is still some phrase's
    prefix; else one character."""
    words: list[str] = []
    remain = text
    while remain:
        last_valid_word, last_valid_index = "", 0
        for index in range(len(remain)):
            word = remain[: index + 1]
            if _is_prefix(word, keys):
                if word in phrases:
                    last_valid_word, last_valid_index = word, index + 1
            else:
                if last_valid_word:
                    words.append(last_valid_word)
                    remain = remain[last_valid_index:]
                else:
                    words.append(remain[0])
                    remain = remain[1:]
                break
        else:  # the whole rest starts some phrase
            if last_valid_word:
                words.append(last_valid_word)
                remain = remain[last_valid_index:]
            else:
                words.extend(remain)
                break
    return words


def write_table(path: Path) -> None:
    """Write :data:`TABLE` from the installed pypinyin: its pattern of Chinese characters, then for every phrase its
    toneless syllables ("p") or, when it is not all Chinese characters, the phrase alone ("k"), and for every
    character the syllable of its first reading ("c")."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS, Style
    from pypinyin.converter import UltimateConverter

    converter = UltimateConverter()

    def syllables(word: str) -> str:
        readings = [item for items in converter.convert(word, Style.NORMAL, False, "default", True) for item in items]
        if not readings or any(not r or " " in r or "\t" in r or "\n" in r for r in readings):
            raise ValueError(f"{word!r}: {readings!r}")
        return " ".join(readings)

    lines = [_HEADER, RE_HANS.pattern]
    for phrase in sorted(PHRASES_DICT):
        if "\t" in phrase or "\n" in phrase:
            raise ValueError(repr(phrase))
        lines.append(f"p{phrase}\t{syllables(phrase)}" if RE_HANS.match(phrase) else f"k{phrase}")
    for code in sorted(PINYIN_DICT):
        char = chr(code)
        if RE_HANS.match(char) and char not in PHRASES_DICT:
            lines.append(f"c{char}\t{syllables(char)}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_table(Path(__file__).with_name(TABLE))
