"""What every reader of a received file hands on: the file's paragraphs as blocks, and the reader's own error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xuncha_site.importer.metadata import Dropped, WebFacts


class SourceError(Exception):
    """A file that cannot be imported; the message is for the editor."""


@dataclass(frozen=True)
class Block:
    """One paragraph of the input, or a table already written as Markdown (kept whole)."""

    text: str
    table: bool = False


@dataclass(frozen=True)
class SourceDocument:
    path: str
    kind: str  # shown to the editor: “UTF-8 文本”, “Word 文档”, “网页”
    blocks: tuple[Block, ...]
    facts: WebFacts = field(default_factory=WebFacts)  # facts found outside the text itself (page info bar, <meta>)
    dropped: tuple[Dropped, ...] = ()  # page chrome left out, for the report
    notes: tuple[str, ...] = ()  # what the reader was unsure of (the encoding, a title cleaned of the site's name)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def collapse_spaces(text: str) -> str:
    """White space as a browser shows it, without the spaces that line breaks leave between Chinese characters."""
    text = re.sub(r"[ \t\r\n\f\v\xa0]+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)
