"""Reading a received file of any supported kind (.txt, .docx, .html) into a :class:`SourceDocument`."""

from __future__ import annotations

from pathlib import Path

from xuncha_site.core.input_files import InputFileError, read_regular
from xuncha_site.importer.sources import (
    MAX_SOURCE_BYTES,
    PAGE_SUFFIXES,
    TEXT_SUFFIXES,
    WORD_SUFFIXES,
    SourceDocument,
    SourceError,
    decode_text,
    text_blocks,
)
from xuncha_site.importer.webpage import read_page
from xuncha_site.importer.word import read_word


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
        return read_word(raw, shown)
    if suffix in PAGE_SUFFIXES:
        return read_page(raw, shown)
    text, encoding = decode_text(raw, shown)
    return SourceDocument(shown, f"{encoding} 文本", text_blocks(text))
