"""Index words: runs of Han characters as overlapping bigrams, digits and Latin words, as integer keys."""

from __future__ import annotations

import operator
import re
import unicodedata

import numpy as np

INDEX_LANGUAGE = "und"  # "undetermined": Pagefind then splits on spaces only and stems nothing
# Tokenizer. theme/assets/search/search.js implements the same rules for queries: change both together.
# Han ideographs: 〇, Extension A, the basic block, compatibility ideographs, Extensions B to F.
_HAN_RANGES = ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))
_HAN = "".join(chr(low) if low == high else f"{chr(low)}-{chr(high)}" for low, high in _HAN_RANGES)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\ufe63"
_DIGITS = f"[0-9]+(?:[{_DASHES}][0-9]+)+"  # a number written in groups
_WORD = "[0-9a-z]+"
_TOKEN = re.compile(f"(?P<han>[{_HAN}]+)|(?P<digits>{_DIGITS})|(?P<word>{_WORD})")
_DIGIT_GROUP = re.compile("[0-9]+")


def search_tokens(text: str) -> list[str]:
    """The index tokens of ``text``: Han runs as bigrams plus their last character, Latin/digit runs whole.

    A number written in groups (0744-6223478) also yields the groups joined (07446223478), so that it is found
    whichever way a reader types it.
    """
    return _scan(text, [])


# A noncharacter, never in published text: put after each sentence, it marks where the sentence's tokens end.
SENTENCE_MARK = "\uffff"
_TOKEN_OR_MARK = re.compile(f"{_TOKEN.pattern}|(?P<mark>{SENTENCE_MARK})")


def _scan(text: str, ends: list[int]) -> list[str]:
    """The tokens of ``text``; the number of tokens before each sentence mark is appended to ``ends``."""
    tokens: list[str] = []
    # The hot loop of indexing (every character of every notice): findall's tuples and map() keep it in C.
    for han, digits, word, _mark in _TOKEN_OR_MARK.findall(_nfkc(text).lower()):
        if han:
            tokens.extend(map(operator.add, han, han[1:]))  # overlapping bigrams
            tokens.append(han[-1])
        elif digits:
            groups = _DIGIT_GROUP.findall(digits)
            tokens.extend(groups)
            tokens.append("".join(groups))
        elif word:
            tokens.append(word)
        else:
            ends.append(len(tokens))
    return tokens


# Only runs of characters that NFKC may turn into token characters, or compose with the character before them, are
# normalised: Han ideographs, ASCII, the common Chinese punctuation (which NFKC maps to ASCII punctuation at most)
# and the sentence mark are left as they are, which is several times faster on Chinese prose than normalising every
# run between ideographs.
_NFKC_STABLE = "\uffff\x00-\x7f\u3000-\u3006\u3008-\u3011\u2014\u2018-\u201d\u2026\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\u4e00-\u9fff"
_NFKC_RUN = re.compile(f".?[^{_NFKC_STABLE}]+", re.DOTALL)


_NFKC_ANY = re.compile(f"[^{_NFKC_STABLE}]")


def _nfkc(text: str) -> str:
    if _NFKC_ANY.search(text) is None:  # most notices: one quick scan instead of the substitution's slower one
        return text
    return _NFKC_RUN.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)


_OTHER = re.compile(f"(?P<digits>{_DIGITS})|(?P<word>{_WORD})")
_FOLLOWING = 21  # bits of a key's second character
OTHER_KEYS = 1 << 42  # keys from here on are numbers in a lexicon's table of other words


class Lexicon:
    """Index words as integer keys, for indexing at the speed of arrays: :func:`search_tokens`' rules, vectorised.

    A Han character and the character after it in its run (none at the end of a run) are ``first << 21 | second``:
    keys of one first character sort as its words do (the character alone first). Digit groups and Latin words, a
    few a notice, are numbered in the lexicon's table from ``OTHER_KEYS`` on.
    """

    def __init__(self) -> None:
        self._others: dict[str, int] = {}
        self._names: list[str] = []

    def keys(self, text: str) -> tuple[np.ndarray, list[int]]:
        """The keys of ``text``'s tokens in order, and the number of tokens before each sentence mark."""
        text = _nfkc(text).lower()
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        han = np.zeros(len(points), dtype=bool)
        for low, high in _HAN_RANGES:
            han |= (points >= low) & (points <= high)
        at = np.flatnonzero(han)
        following = np.zeros(len(points), dtype=np.int64)
        following[:-1] = np.where(han[1:], points[1:], 0)
        keys = (points[at].astype(np.int64) << _FOLLOWING) | following[at]
        starts, others = self._others_of(text)
        if others:  # in the order of the characters they start at; a number's groups and their join in order
            every = np.concatenate([at, np.array(starts, dtype=np.int64)])
            order = np.argsort(every, kind="stable")
            at, keys = every[order], np.concatenate([keys, np.array(others, dtype=np.int64)])[order]
        marks = np.flatnonzero(points == ord(SENTENCE_MARK))
        return keys, np.searchsorted(at, marks).tolist()

    def _others_of(self, text: str) -> tuple[list[int], list[int]]:
        starts: list[int] = []
        keys: list[int] = []
        known = self._others.get
        for found in _OTHER.finditer(text):  # a hundred a notice (numbers, mostly): the loop is kept lean
            digits, word = found.groups()
            for each in (word,) if word else (*(groups := _DIGIT_GROUP.findall(digits)), "".join(groups)):
                starts.append(found.start())
                keys.append(known(each) or self.key_of(each))
        return starts, keys

    def key_of(self, word: str) -> int:
        """The key of a word that is not a Han bigram or character (numbered in this lexicon's table)."""
        key = self._others.get(word)
        if key is None:
            key = self._others[word] = OTHER_KEYS + len(self._names)
            self._names.append(word)
        return key

    def spell(self, key: int) -> str:
        """The word of a key."""
        if key >= OTHER_KEYS:
            return self._names[key - OTHER_KEYS]
        second = key & ((1 << _FOLLOWING) - 1)
        return chr(key >> _FOLLOWING) + (chr(second) if second else "")
