"""Word (.docx) input: paragraphs in order with their automatic numbering written out, tables as Markdown tables.

Word keeps list numbers (一、 (一) 1.) out of the paragraph text: they are computed from ``numbering.xml``. A notice whose
parts and problems are numbered automatically would lose its structure without them, so this module recomputes the
labels the way Word shows them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE

from xuncha_site.importer.blocks import Block, SourceDocument, SourceError, collapse_spaces, normalise_newlines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# A .docx is a zip: what it unpacks to is checked before anything reads it (a few hundred KB can unpack to GBs).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XML_PART_BYTES = 32 * 1024 * 1024
MAX_GRID_SPAN = 63  # Word's widest table

_CN = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_GAN = "甲乙丙丁戊己庚辛壬癸"


def read_word(raw: bytes, shown: str) -> SourceDocument:
    """Blocks of a .docx file: body paragraphs (numbering included) and tables, in document order."""
    _check_package(raw, shown)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(f"{shown}：无法打开 Word 文件（{type(exc).__name__}）；请确认它是完好的 .docx 文件") from None
    except Exception as exc:  # python-docx raises assorted errors on damaged packages
        raise SourceError(f"{shown}：无法打开 Word 文件：{exc}") from None
    _check_tables(document, shown)
    blocks: list[Block] = []
    try:
        numbering = _Numbering(document)
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                label = numbering.label(item)
                lines = [collapse_spaces(line) for line in normalise_newlines(item.text).split("\n")]
                lines = [line for line in lines if line]
                if lines:
                    lines[0] = label + lines[0]
                blocks += [Block(line) for line in lines]
            elif isinstance(item, Table):
                blocks += _table_blocks(item)
    except Exception as exc:  # the same assorted errors, from a package that opened but whose content is damaged
        raise SourceError(
            f"{shown}：Word 文件内容有误，无法读取（{type(exc).__name__}）；请在 Word 中另存后再导入"
        ) from None
    if not blocks:
        raise SourceError(f"{shown}：Word 文件中没有文字")
    return SourceDocument(shown, "Word 文档", tuple(blocks))


def _check_package(raw: bytes, shown: str) -> None:
    """Refuse a package that would unpack to far more than a notice (a zip bomb) before it is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip at all: python-docx says so below
    xml = max((m.file_size for m in members if m.filename.endswith((".xml", ".rels"))), default=0)
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES or xml > MAX_XML_PART_BYTES:
        raise SourceError(f"{shown}：Word 文件解压后过大，不像一篇通报；请确认它是完好的 .docx 文件")


def _check_tables(document: object, shown: str) -> None:
    """Refuse cells said to span more columns than Word allows: python-docx would lay out every one of them."""
    body = document.element.body  # type: ignore[attr-defined]
    for span in body.iter(f"{_W}gridSpan"):
        value = span.get(f"{_W}val", "1")
        if not (value.isascii() and value.isdigit() and int(value) <= MAX_GRID_SPAN):
            raise SourceError(f"{shown}：Word 表格有误（合并单元格跨 {value} 列，Word 最多 {MAX_GRID_SPAN} 列）")


def _table_blocks(table: object) -> list[Block]:
    """A table as a Markdown table; a one-cell layout table (used to frame text) as its paragraphs."""
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans: show its text once.
            key = id(cell._tc)
            cells.append(
                "" if key in seen else "<br>".join(collapse_spaces(p.text) for p in cell.paragraphs if p.text.strip())
            )
            seen.add(key)
        rows.append(cells)
    if not rows:
        return []
    if all(len(row) == 1 for row in rows):
        return [Block(line) for row in rows for text in row for line in text.split("<br>") if line]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = [_row(rows[0]), _row(["---"] * width), *(_row(row) for row in rows[1:])]
    return [Block("\n".join(lines), table=True)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


class _Numbering:
    """Counters for Word's automatic numbering, advanced paragraph by paragraph as Word does."""

    def __init__(self, document: object) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles: dict[str, tuple[str, int]] = {}
        self.style_ids: set[str] = set()
        self.default_style: str | None = None
        try:
            root = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(f"{_W}abstractNumId"): self._read_levels(a) for a in root.iter(f"{_W}abstractNum")}
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                levels = dict(abstract.get(ref.get(f"{_W}val"), {}))
                for override in num.iter(f"{_W}lvlOverride"):
                    start = override.find(f"{_W}startOverride")
                    ilvl = _number(override.get(f"{_W}ilvl"), 0)
                    if start is not None and ilvl in levels:
                        old = levels[ilvl]
                        levels[ilvl] = _Level(old.fmt, old.text, _number(start.get(f"{_W}val"), 1))
                self.levels[num.get(f"{_W}numId", "")] = levels
        for style in document.styles:  # type: ignore[attr-defined]
            self.style_ids.add(style.style_id)
            found = _num_pr(style.element)
            if found:
                self.styles[style.style_id] = found
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)  # type: ignore[attr-defined]
        self.default_style = default.style_id if default is not None else None

    @staticmethod
    def _read_levels(abstract: object) -> dict[int, _Level]:
        levels = {}
        for lvl in abstract.iter(f"{_W}lvl"):  # type: ignore[attr-defined]
            fmt, text, start = lvl.find(f"{_W}numFmt"), lvl.find(f"{_W}lvlText"), lvl.find(f"{_W}start")
            levels[_number(lvl.get(f"{_W}ilvl"), 0)] = _Level(
                fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                text.get(f"{_W}val", "") if text is not None else "",
                _number(start.get(f"{_W}val"), 1) if start is not None else 1,
            )
        return levels

    def label(self, paragraph: object) -> str:
        """The number Word shows before ``paragraph`` (``一、``, ``（二）``, ``3.``), or ``""``."""
        found = _num_pr(paragraph._p)  # type: ignore[attr-defined]
        if found is None:
            # The paragraph's style id as written (python-docx's paragraph.style looks the default style up anew
            # for every paragraph: the square of the paragraph count); an unknown or no id means the default.
            style_id = paragraph._p.style  # type: ignore[attr-defined]
            found = self.styles.get(style_id if style_id in self.style_ids else self.default_style or "")
        if not found or found[0] not in self.levels or found[0] == "0":
            return ""
        num_id, ilvl = found
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        if levels[ilvl].fmt in ("bullet", "none"):
            return ""
        text = levels[ilvl].text
        for level in range(9):
            if f"%{level + 1}" in text:
                value = counters.get(level, levels.get(level, _Level("decimal", "", 1)).start)
                text = text.replace(f"%{level + 1}", _format(value, levels.get(level, levels[ilvl]).fmt))
        return text


def _num_pr(element: object) -> tuple[str, int] | None:
    ppr = element.find(f"{_W}pPr")  # type: ignore[attr-defined]
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num_pr is None:
        return None
    num_id, ilvl = num_pr.find(f"{_W}numId"), num_pr.find(f"{_W}ilvl")
    if num_id is None:
        return None
    return num_id.get(f"{_W}val", "0"), _number(ilvl.get(f"{_W}val"), 0) if ilvl is not None else 0


def _number(value: str | None, default: int) -> int:
    """A numbering attribute as Word reads it: a whole number within Word's range, else ``default``."""
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if 0 <= number <= 32767 else default


def _format(value: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographDigital",
        "taiwaneseCounting",
    ):
        return chinese_counting(value)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[value - 1] if 0 < value <= len(_CIRCLED) else str(value)
    if fmt in ("ideographTraditional",):
        return _GAN[(value - 1) % len(_GAN)]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(ch) + 0xFEE0) for ch in str(value))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(value)


def chinese_counting(value: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 23 → 二十三 (Word's chineseCounting)."""
    if value < 10:
        return _CN[value]
    if value < 20:
        return "十" + (_CN[value % 10] if value % 10 else "")
    if value < 100:
        return _CN[value // 10] + "十" + (_CN[value % 10] if value % 10 else "")
    return str(value)


def _roman(value: int) -> str:
    numerals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = []
    for number, letters in numerals:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)
