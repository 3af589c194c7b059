"""Reading a notice as received: a text file, a Word document or a saved web page → blocks of text in order.

Each reader returns a :class:`SourceDocument`; a file that cannot be read raises :class:`SourceError` with a Chinese
message, caught by the command, which then writes nothing for that file.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..input_files import InputFileError, read_regular
from .metadata import WebFacts

MAX_SOURCE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".text")
WORD_SUFFIXES = (".docx",)
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


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
    dropped: tuple[str, ...] = ()  # page chrome left out, for the report


def read_source(path: Path) -> SourceDocument:
    """Read any supported file; raises :class:`SourceError` when it cannot."""
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise SourceError(f"{shown}：不支持旧版 Word（.doc）文件，请在 Word 中“另存为” .docx 后再导入")
    if suffix not in TEXT_SUFFIXES + WORD_SUFFIXES + PAGE_SUFFIXES:
        raise SourceError(f"{shown}：不支持的文件类型“{path.suffix or '无扩展名'}”，只能导入 .txt、.docx 或 .html")
    try:
        raw = read_regular(path, MAX_SOURCE_BYTES, what="通报文件")
    except InputFileError as exc:
        raise SourceError(f"{shown}：{exc.message}") from None
    if not raw.strip():
        raise SourceError(f"{shown}：文件是空的")
    if suffix in WORD_SUFFIXES:
        from .word import read_word

        return read_word(raw, shown)
    if suffix in PAGE_SUFFIXES:
        from .webpage import read_page

        return read_page(raw, shown)
    text, encoding = decode_text(raw, shown)
    return SourceDocument(shown, f"{encoding} 文本", text_blocks(text))


def text_blocks(text: str) -> tuple[Block, ...]:
    """Non-empty lines, stripped of the indentation (全角空格) that notices use for paragraphs."""
    return tuple(Block(line.strip()) for line in normalise_newlines(text).split("\n") if line.strip())


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def decode_text(raw: bytes, shown: str) -> tuple[str, str]:
    """Text and the name of its encoding: UTF-8 (± BOM), UTF-16 (± BOM), else GB18030 (which covers GBK/GB2312)."""
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            return _decode(raw, codec, name, shown), name
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return _decode(raw, utf16, "UTF-16", shown), "UTF-16"
    if b"\x00" in raw:
        raise SourceError(f"{shown}：不是文本文件（含有空字符）；Word 文件请用 .docx 扩展名")
    for codec, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030/GBK")):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, name
    raise SourceError(
        f"{shown}：无法识别文件编码（试过 UTF-8、UTF-16、GB18030/GBK），请用记事本“另存为” UTF-8 后再导入"
    )


def _decode(raw: bytes, codec: str, name: str, shown: str) -> str:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(f"{shown}：文件标明是 {name} 编码，但第 {exc.start} 字节处无法解码；文件可能已损坏") from None
    if not _looks_like_text(text):
        raise SourceError(f"{shown}：不是文本文件（含有大量控制字符）")
    return text.lstrip("\ufeff")


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 without a BOM (it holds NUL bytes): the byte order whose decoding reads as Chinese text."""
    if len(raw) < 4 or len(raw) % 2 or b"\x00" not in raw:
        return None
    scores = {}
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        scores[codec] = sum(1 for ch in text if _is_common(ch)) / len(text)
    best = max(scores, key=lambda codec: scores[codec], default=None)
    return best if best is not None and scores[best] > 0.9 else None


def _is_common(ch: str) -> bool:
    """ASCII, CJK ideographs, CJK and full-width punctuation: what a notice is made of."""
    code = ord(ch)
    return (
        32 <= code < 127
        or ch in "\t\r\n"
        or 0x4E00 <= code <= 0x9FFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2010 <= code <= 0x206F
    )


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls <= max(2, len(text) // 1000) and "\x00" not in text


def collapse_spaces(text: str) -> str:
    """White space as a browser shows it, without the spaces that line breaks leave between Chinese characters."""
    text = re.sub(r"[ \t\r\n\f\v\xa0]+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)
