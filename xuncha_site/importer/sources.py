"""Reading a notice as received: a text file, a Word document or a saved web page → blocks of text in order.

Each reader returns a :class:`SourceDocument`; a file that cannot be read raises :class:`SourceError` with a Chinese
message, caught by the command, which then writes nothing for that file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from xuncha_site.core.input_files import InputFileError, read_regular
from xuncha_site.importer.blocks import Block, SourceDocument, SourceError, normalise_newlines
from xuncha_site.importer.mirror import looks_like_markdown, read_markdown
from xuncha_site.importer.webpage import read_page
from xuncha_site.importer.word import read_word

MAX_SOURCE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
MARKDOWN_SUFFIXES = (".md", ".markdown")
WORD_SUFFIXES = (".docx",)
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


def read_source(path: Path) -> SourceDocument:
    """Read any supported file; raises :class:`SourceError` when it cannot."""
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise SourceError(f"{shown}：不支持旧版 Word（.doc）文件，请在 Word 中“另存为” .docx 后再导入")
    if suffix not in TEXT_SUFFIXES + WORD_SUFFIXES + PAGE_SUFFIXES:
        raise SourceError(f"{shown}：不支持的文件类型“{path.suffix or '无扩展名'}”，只能导入 .txt、.md、.docx 或 .html")
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
    text, encoding, notes = _decode_any(raw, shown)
    text = normalise_newlines(text)
    kind = f"{encoding} 文本"
    if suffix in MARKDOWN_SUFFIXES or looks_like_markdown(text):
        return _markdown_document(shown, text, kind, notes)
    return SourceDocument(shown, kind, text_blocks(text), notes=tuple(notes))


def _markdown_document(shown: str, text: str, kind: str, notes: list[str]) -> SourceDocument:
    found = read_markdown(text)
    blocks = [Block(line, table=index in found.tables) for index, line in enumerate(found.lines)]
    blocks = _joined_tables(blocks)
    if found.facts.title and not (blocks and _same_text(blocks[0].text, found.facts.title)):
        blocks.insert(0, Block(found.facts.title))
    return SourceDocument(
        shown, f"{kind}（Markdown）", tuple(blocks), found.facts, found.dropped, tuple(notes) + found.notes
    )


def _joined_tables(blocks: list[Block]) -> list[Block]:
    """Consecutive Markdown table rows as one table block."""
    out: list[Block] = []
    for block in blocks:
        if block.table and out and out[-1].table:
            out[-1] = Block(out[-1].text + "\n" + block.text, table=True)
        else:
            out.append(block)
    return out


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def text_blocks(text: str) -> tuple[Block, ...]:
    """Non-empty lines, stripped of the indentation (全角空格) that notices use for paragraphs."""
    return tuple(Block(line.strip()) for line in normalise_newlines(text).split("\n") if line.strip())


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def decode_text(raw: bytes, shown: str) -> tuple[str, str]:
    """Text and the name of its encoding: UTF-8 (± BOM), UTF-16 (± BOM), else GB18030 (which covers GBK/GB2312)
    or Big5, whichever reads as common Chinese."""
    text, name, _notes = _decode_any(raw, shown)
    return text, name


def _decode_any(raw: bytes, shown: str) -> tuple[str, str, list[str]]:
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            return _decode(raw, codec, name, shown), name, []
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return _decode(raw, utf16, "UTF-16", shown), "UTF-16", []
    if b"\x00" in raw:
        raise SourceError(f"{shown}：不是文本文件（含有空字符）；Word 文件请用 .docx 扩展名")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            return text, "UTF-8", []
    found = _chinese_legacy(raw)
    if found is not None:
        return found
    raise SourceError(
        f"{shown}：无法识别文件编码（试过 UTF-8、UTF-16、GB18030/GBK、Big5），请用记事本“另存为” UTF-8 后再导入"
    )


def _chinese_legacy(raw: bytes) -> tuple[str, str, list[str]] | None:
    """GB18030 or Big5: the decoding whose Chinese characters are the commonly used ones of its own character set.

    Big5 bytes mostly decode as valid GB18030 too (into kana, symbols and rare characters), so trying GB18030 first
    is not enough. Measured on the real notices (and their first 20 and 60 characters): GB text decoded as GB18030
    has ≥ 0.8 of its characters among GB2312's level-1 characters and punctuation, as Big5 ≤ 0.6 among Big5's
    common characters; Big5 text the other way round (0.31–0.35 against 0.99–1.0). charset-normalizer takes short GB
    texts for Big5 (3 of 48 such openings), hence this check instead.
    """
    decoded: dict[str, str] = {}
    for codec in ("gb18030", "big5"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            decoded[codec] = text
    if not decoded:
        return None
    scores = {codec: _common_share(text, codec) for codec, text in decoded.items()}
    best = max(scores, key=lambda codec: (scores[codec], codec == "gb18030"))
    other = max((score for codec, score in scores.items() if codec != best), default=0.0)
    name = "GB18030/GBK" if best == "gb18030" else "Big5（繁体中文）"
    notes = []
    if best == "big5":
        notes.append("文件是 Big5 编码（繁体中文），已按 Big5 读取")
    if scores[best] < 0.8 or scores[best] - other < 0.2:
        notes.append(f"文件编码不确定：按 {name} 读取，如有乱码，请把文件另存为 UTF-8 后再导入")
        name += "（编码不确定）"
    return decoded[best], name, notes


def _common_share(text: str, codec: str) -> float:
    """The share of non-ASCII characters of ``text`` that are common ones of ``codec``'s character set."""
    wide = [ch for ch in text if ord(ch) > 0x7F][:20_000]
    if not wide:
        return 1.0
    common = _common_gb if codec == "gb18030" else _common_big5
    return sum(1 for ch in wide if common(ch)) / len(wide)


def _common_gb(ch: str) -> bool:
    """GB2312 punctuation (rows A1–A3) or level-1 characters (rows B0–D7)."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and (0xA1 <= code[0] <= 0xA3 or 0xB0 <= code[0] <= 0xD7)


def _common_big5(ch: str) -> bool:
    """Big5 punctuation (A140–A3BF) or frequently used characters (A440–C67E)."""
    try:
        code = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    value = code[0] << 8 | code[1] if len(code) == 2 else 0
    return 0xA140 <= value <= 0xA3BF or 0xA440 <= value <= 0xC67E


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
