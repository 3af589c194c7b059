"""Structured notice → record text: YAML front matter + Markdown body, as docs/记录格式.md describes.

Fields the text does not give are written empty with a comment saying what to fill in, so that ``xuncha check`` names
exactly what the editor must supply (缺少必填字段 “issuer” …).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from xuncha_site.core.characters import without_forbidden
from xuncha_site.core.fields import NOTICE, SOURCE
from xuncha_site.core.model import COUNT_FIELDS, Contact, Counts
from xuncha_site.core.record_text import inline, paragraph, yaml_scalar
from xuncha_site.importer.metadata import WebFacts
from xuncha_site.importer.parse import Node, ParsedNotice, Section
from xuncha_site.importer.sources import Block


@dataclass(frozen=True)
class FrontMatter:
    """The metadata of one record, in the order it is written; ``None``/"" means “not known”."""

    round: str
    unit: str
    issuer: str
    group: str = ""
    inspection_start: date | None = None
    inspection_end: date | None = None
    feedback_date: date | None = None
    notice_date: date | None = None
    published: str = ""
    stage: str = ""
    title: str = ""
    counts: Counts = field(default_factory=Counts)
    count_sources: dict[str, str] = field(default_factory=dict)  # count → the sentence it came from
    contact: Contact = field(default_factory=Contact)
    source: WebFacts = field(default_factory=WebFacts)  # published as the page wrote it
    # Comments for fields left empty or worth a second look: key → Chinese hint.
    comments: dict[str, str] = field(default_factory=dict)


_REQUIRED = NOTICE.required
# The one-value fields, in the record format's order (draft is the editor's to set).
_SCALAR_KEYS = tuple(
    key
    for key in NOTICE.names
    if key in {f.name for f in fields(FrontMatter)} and key not in ("counts", "contact", "source")
)


def render_record(meta: FrontMatter, notice: ParsedNotice) -> str:
    """The complete record file: front matter, then the body in document order."""
    return "---\n" + render_front_matter(meta) + "---\n\n" + render_body(notice)


def _one_line(text: str) -> str:
    """Text as a YAML comment may hold it: one line, printable characters only (YAML refuses control characters even
    in a comment)."""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


def _source_comment(meta: FrontMatter, name: str) -> str:
    """``  # 原文：“…”``: the sentence a count came from, kept in the record beside it (docs/记录格式.md)."""
    sentence = _one_line(meta.count_sources.get(name, ""))
    return f"  # 原文：“{sentence}”" if sentence else ""


def render_front_matter(meta: FrontMatter) -> str:
    lines: list[str] = []
    for key in _SCALAR_KEYS:
        value = getattr(meta, key)
        text = value.isoformat() if isinstance(value, date) else str(value or "")
        comment = _one_line(meta.comments.get(key, ""))
        if text:
            lines.append(f"{key}: {yaml_scalar(text)}" + (f"  # {comment}" if comment else ""))
        elif key not in _REQUIRED and comment:
            lines.append(f"# {key}: {comment}")
        elif key in _REQUIRED:
            lines.append(f"{key}:" + (f"  # {comment}" if comment else ""))
    counts = [
        (name, value) for name, value in meta.counts.as_dict().items() if value is not None and name in COUNT_FIELDS
    ]
    if counts:
        lines.append("counts:")
        lines += [f"  {name}: {_number(value)}{_source_comment(meta, name)}" for name, value in counts]
    lines += _contact_lines(meta.contact)
    source = [(key, getattr(meta.source, key)) for key in SOURCE.names if getattr(meta.source, key, "")]
    if source:
        lines.append("source:")
        lines += [f"  {key}: {yaml_scalar(value)}" for key, value in source]
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _contact_lines(contact: Contact) -> list[str]:
    if contact.is_empty():
        return []
    lines = ["contact:"]
    if contact.phones:
        lines.append("  phones: [" + ", ".join(yaml_scalar(p, quote=True) for p in contact.phones) + "]")
    if contact.emails:
        lines.append("  emails: [" + ", ".join(yaml_scalar(e) for e in contact.emails) + "]")
    for key in ("mailbox", "address"):
        if getattr(contact, key):
            lines.append(f"  {key}: {yaml_scalar(getattr(contact, key))}")
    if contact.postcode:
        lines.append(f"  postcode: {yaml_scalar(contact.postcode, quote=True)}")
    if contact.text:
        lines += _text_lines("text", contact.text, indent="  ")
    return lines


def _text_lines(key: str, text: str, *, indent: str) -> list[str]:
    """A long value, as a literal block when it spans lines (readable and diff-friendly in git)."""
    text = without_forbidden(text)
    if "\n" not in text or not _block_safe(text):
        return [f"{indent}{key}: {yaml_scalar(text)}"]
    return [f"{indent}{key}: |-", *(f"{indent}  {line}" if line else "" for line in text.split("\n"))]


def _block_safe(text: str) -> bool:
    return all(line == line.strip() for line in text.split("\n")) and all(ch.isprintable() or ch == "\n" for ch in text)


def render_body(notice: ParsedNotice) -> str:
    """Markdown in document order: preamble, ``##`` parts, ``###``–``#####`` problem nodes (without the characters
    that no record may hold)."""
    chunks: list[str] = [_block(b) for b in notice.preamble]
    for section in notice.sections:
        chunks += _section(section)
    return without_forbidden("\n\n".join(chunk for chunk in chunks if chunk) + "\n")


def _section(section: Section) -> list[str]:
    chunks = ["## " + inline(section.title)]
    chunks += [_block(b) for b in section.blocks]
    for node in section.nodes:
        chunks += _node(node)
    return chunks


def _node(node: Node) -> list[str]:
    chunks = ["#" * (node.level + 2) + " " + inline(node.title)]
    chunks += [_block(b) for b in node.blocks]
    for child in node.children:
        chunks += _node(child)
    return chunks


def _block(block: Block) -> str:
    return block.text if block.table else paragraph(block.text)
