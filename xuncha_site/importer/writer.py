"""Structured notice → record text: YAML front matter + Markdown body, as docs/记录格式.md describes.

Fields the text does not give are written empty with a comment saying what to fill in, so that ``xuncha check`` names
exactly what the editor must supply (缺少必填字段 “issuer” …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date

import yaml

from ..loader import NOTICE_FIELDS
from ..model import COUNT_FIELDS, Contact, Counts
from ..records import without_forbidden
from .metadata import WebFacts
from .parse import Node, ParsedNotice, Section
from .sources import Block


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
    contact: Contact = field(default_factory=Contact)
    source: WebFacts = field(default_factory=WebFacts)
    # Comments for fields left empty or worth a second look: key → Chinese hint.
    comments: dict[str, str] = field(default_factory=dict)


_REQUIRED = ("round", "unit", "issuer", "notice_date", "published", "stage")
# The one-value fields, in the record format's order (draft is the editor's to set).
_SCALAR_KEYS = tuple(
    key
    for key in NOTICE_FIELDS
    if key in {f.name for f in fields(FrontMatter)} and key not in ("counts", "contact", "source")
)


def render_record(meta: FrontMatter, notice: ParsedNotice) -> str:
    """The complete record file: front matter, then the body in document order."""
    return "---\n" + render_front_matter(meta) + "---\n\n" + render_body(notice)


def render_front_matter(meta: FrontMatter) -> str:
    lines: list[str] = []
    for key in _SCALAR_KEYS:
        value = getattr(meta, key)
        text = value.isoformat() if isinstance(value, date) else str(value or "")
        comment = meta.comments.get(key, "")
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
        lines += [f"  {name}: {_number(value)}" for name, value in counts]
    lines += _contact_lines(meta.contact)
    source = [(k, getattr(meta.source, k)) for k in ("name", "url", "editor", "index_no") if getattr(meta.source, k)]
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


def yaml_scalar(value: str, *, quote: bool = False) -> str:
    """One YAML scalar on one line that reads back as exactly ``value`` (a string, never a number or a date).

    Characters that no record may hold (controls, lone surrogates, direction overrides) are taken out first: a
    received file may carry a few, and a record with them would not pass the check.
    """
    value = without_forbidden(value)
    if not quote and _DATE_LIKE.fullmatch(value):
        # Dates stay plain on purpose: records are composed, never constructed, so they read back as this text.
        return value
    if quote or _needs_quotes(value):
        dumped = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=1_000_000)
    else:
        dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?")


def _needs_quotes(value: str) -> bool:
    """A plain scalar that YAML would read as another type, or not as exactly this text."""
    loaded = yaml.safe_load(yaml.safe_dump(value, allow_unicode=True))
    return not isinstance(loaded, str) or loaded != value or value.strip() != value


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


_INLINE = re.compile(r"([\\`*_\[\]])")
_LEADING = re.compile(r"^(#|>|[-+*](?=\s|$)|\|)")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s)")


def inline(text: str) -> str:
    """Text that Markdown shows as written: emphasis, code and link characters escaped, HTML-like tags defused."""
    text = _INLINE.sub(r"\\\1", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    # A heading's closing #s would be eaten as Markdown's optional closing sequence. (Not re.sub("#+$"): that takes
    # the square of the length of a long run of #s in the middle of a line.)
    bare = text.rstrip("#")
    return bare + "\\#" * (len(text) - len(bare))


def paragraph(text: str) -> str:
    """A body paragraph: inline escapes, and no line start that Markdown would take for a heading, list or quote."""
    text = inline(text)
    text = _LEADING.sub(r"\\\1", text)
    text = _ORDERED.sub(r"\1\\\2", text)
    if re.fullmatch(r"[-=*_\s\\]+", text):
        text = "\\" + text
    return text
