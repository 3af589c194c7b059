"""Notices in traditional characters (a Big5 file, a page from a traditional-script site): read, not rewritten.

The parser's words are simplified (巡察组, 党组, 整改情况). A traditional text is parsed through a simplified view of it,
character for character (OpenCC's ``t2s``), and everything found is then taken back from the text as written, at the
same position: the record keeps 中共青嵐市水務局黨組, never a converted 青岚市水务局党组.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from xuncha_site.importer.sources import Block, SourceDocument

T = TypeVar("T")
_HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_CHANGED = 3  # traditional characters that must differ from their simplified form: a stray one is not a script
# Traditional forms that notices cannot do without (黨 組 關 於 報 會 …): a text with none of them is not looked at.
_HINT = re.compile("[黨組關於報會對進題係務區縣員導們這個與為經發現實際時間]")


# Values of a fixed vocabulary (stage 进展, kind 专项) and what is only matched against the round files stay simplified;
# the report's notes are the importer's own words.
_KEPT = frozenset({"notes", "stage", "stage_sure", "kind", "round_name"})


def might_be_traditional(document: SourceDocument) -> bool:
    return any(_HINT.search(block.text) for block in document.blocks[:200])


def simplified_text(text: str) -> str:
    """``text`` in simplified characters when it has traditional ones (for matching names against round files)."""
    return _simplified(text) if _HINT.search(text) else text


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    """``text`` in simplified characters, of the same length (so that positions map back)."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return str(converted)
    return "".join(ch if len(c := str(_converter().convert(ch))) != 1 else c for ch in text)


def simplified_view(document: SourceDocument) -> tuple[SourceDocument, Callable[[Any], Any]] | None:
    """A simplified view of a traditional-script document and the function that takes results back to the text as
    written; None when the document is not in traditional characters."""
    texts = [block.text for block in document.blocks]
    sample = "".join(texts)[:20_000]
    if not _HAN.search(sample):
        return None
    changed = sum(1 for a, b in zip(sample, _simplified(sample), strict=True) if a != b)
    if changed < MIN_CHANGED:
        return None
    folded = [_simplified(text) for text in texts]
    view = dataclasses.replace(
        document, blocks=tuple(Block(text, block.table) for text, block in zip(folded, document.blocks, strict=True))
    )
    written = "\n".join(texts)
    seen = "\n".join(folded)
    flat_written, flat_seen = written.replace("\n", ""), seen.replace("\n", "")

    def restore_text(text: str) -> str:
        if not text or text.isascii():
            return text
        for haystack, source in ((seen, written), (flat_seen, flat_written)):
            found = haystack.find(text)
            if found >= 0:
                return source[found : found + len(text)]
        return text

    def restore(value: Any) -> Any:
        if isinstance(value, str):
            return restore_text(value)
        if isinstance(value, tuple):
            return tuple(restore(item) for item in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {
                f.name: restore(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if f.name not in _KEPT
                and (isinstance(getattr(value, f.name), (str, tuple)) or _is_instance(value, f.name))
            }
            return dataclasses.replace(value, **changes)
        return value

    return view, restore


def _is_instance(value: Any, name: str) -> bool:
    inner = getattr(value, name)
    return dataclasses.is_dataclass(inner) and not isinstance(inner, type)
