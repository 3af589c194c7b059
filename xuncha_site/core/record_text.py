"""Text written into a record that reads back as written: one-line YAML scalars and escaped Markdown.

Used by the importer (records from received files) and by ``xuncha new`` (names from the command line, which may hold
anything: `` #`` would start a comment, a leading ``*`` an alias, ``: `` a mapping).
"""

from __future__ import annotations

import re

import yaml

from xuncha_site.core.characters import without_forbidden


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


_INLINE = re.compile(r"([\\`*_\[\]])")
_LEADING = re.compile(r"^(#|>|[-+*](?=\s|$)|\|)")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s)")


def inline(text: str) -> str:
    """Text that Markdown shows as written: emphasis, code and link characters escaped, HTML-like tags defused."""
    text = _INLINE.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?[A-Za-z0-9]{1,32};)", "&amp;", text)  # &amp; in the text is shown as typed, not as &
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
