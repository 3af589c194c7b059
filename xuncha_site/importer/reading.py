"""Reading a received file of any supported kind (.txt, .docx, .html) into a :class:`SourceDocument`."""

from __future__ import annotations

from pathlib import Path

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
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{shown}：文件不存在") from None
    except IsADirectoryError:
        raise SourceError(f"{shown}：这是一个目录，不是文件") from None
    except OSError as exc:
        raise SourceError(f"{shown}：无法读取文件（{exc.strerror}）") from None
    if not raw.strip():
        raise SourceError(f"{shown}：文件是空的")
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceError(f"{shown}：文件过大（{len(raw) // 1024 // 1024} MB），通报文件不应超过 20 MB")
    if suffix in WORD_SUFFIXES:
        return read_word(raw, shown)
    if suffix in PAGE_SUFFIXES:
        return read_page(raw, shown)
    text, encoding = decode_text(raw, shown)
    return SourceDocument(shown, f"{encoding} 文本", text_blocks(text))
