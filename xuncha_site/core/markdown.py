"""Markdown fragments of records → sanitised HTML, safe to print unescaped in a template, and the same as plain text.

One configuration for every output: a page shows :meth:`Renderer.markdown`; search, feeds and open data take
:func:`markdown_text`, the text of that same sanitised HTML, so that what a reader finds is what the page shows
(``整改~~已删除~~内容`` is struck through on the page and indexed as ``整改已删除内容``, never with ``~~``).

Records are written by editors but often pasted from Word or other websites, so every fragment is treated as
untrusted: Python-Markdown renders it, then nh3 keeps only a small set of tags and attributes. Scripts, event
handlers, ``javascript:`` links and images from other hosts never reach the page.
"""

from __future__ import annotations

import functools
import re
import threading
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3
from markupsafe import Markup, escape

EXTENSIONS = ("tables", "sane_lists", "pymdownx.tilde")

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small",
        "a", "ul", "ol", "li", "blockquote", "code", "pre", "span", "img",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Most fragments of a notice are plain paragraphs of Chinese prose. Text with none of Markdown's inline characters and
# no block marker at a line start renders to its paragraphs unchanged, so it skips Python-Markdown and nh3 (most of a
# build's rendering time); tests/test_perf_render.py checks that both paths agree.
# Searched as two patterns: any character of Markdown's or a space other than " " and the line break (one character
# class, several times faster to search than an alternation), then a block marker at a line start or a line's trailing
# space. With the controls, _OTHER_SPACES (a character class's body) holds every character that str.isspace() (and so
# re's \s) takes but " " and "\n": the search finds what `[^\S \n]` found (tests/test_perf_render.py checks each one).
_OTHER_SPACES = "\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_MARKUP = re.compile(f"[\\\\`*_\\[\\]<>&|~\\x00-\\x09\\x0b-\\x1f\\x7f{_OTHER_SPACES}]")
_MARKUP_LINE = re.compile(r"^(?:[ #=+>-]|\d+[.)])| $", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")

# A tag in a record's Markdown, as an HTML parser reads its name.
_TAG = re.compile(r"<(?=/?(?P<name>[A-Za-z][^\t\n\f\r />]*))")
# Elements whose children an HTML parser reads as SVG or MathML, which the sanitiser drops with their text.
_FOREIGN_ROOTS = frozenset({"svg", "math"})


def plain_paragraphs(text: str) -> list[str] | None:
    """The paragraphs of ``text`` if Markdown would render it as plain paragraphs and nothing else, else None.

    Such paragraphs hold no character that HTML escapes, so they can be printed as they are.
    """
    if _MARKUP.search(text) or _MARKUP_LINE.search(text):
        return None
    text = text.strip("\n")
    return _PARAGRAPH_BREAK.split(text) if "\n\n" in text else [text]


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    # An image from another host would make the reader's browser contact it: the site promises it never does.
    if name == "src" and _is_remote(value):
        return None
    return value


# What a browser drops from a URL before it parses one (the WHATWG URL standard): C0 controls and spaces at either
# end, tabs and line breaks anywhere; and it reads "\" as "/" in http(s) URLs, so "\\evil.example/x.png" and
# "/\evil.example/x.png" are addresses on another host, which urlsplit alone does not see.
_URL_EDGES = "".join(map(chr, range(0x21)))
_URL_DROPPED = re.compile(r"[\t\n\r]")


def _is_remote(url: str) -> bool:
    cleaned = _URL_DROPPED.sub("", url.strip(_URL_EDGES)).replace("\\", "/")
    parts = urlsplit(cleaned)
    return bool(parts.scheme or parts.netloc or cleaned.startswith("//"))


class Renderer:
    """Renders many small fragments; the Markdown parser and the sanitiser are built once and reused, when a fragment
    first needs them (building the parser loads its extensions: about 0.1 s, for a site of plain prose wasted)."""

    def __init__(self) -> None:
        self._keeps_text: dict[str, bool] = {}

    @functools.cached_property
    def _markdown(self) -> markdown.Markdown:
        return markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")

    @functools.cached_property
    def _cleaner(self) -> nh3.Cleaner:
        return nh3.Cleaner(
            tags=set(ALLOWED_TAGS),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            attribute_filter=_keep_attribute,
            url_schemes=set(URL_SCHEMES),
            filter_style_properties={"text-align"},
            link_rel="noopener noreferrer",
        )

    def markdown(self, text: str) -> Markup:
        """Block-level Markdown (paragraphs, lists, tables) as sanitised HTML; empty text gives empty markup."""
        if not text.strip():
            return Markup("")
        paragraphs = plain_paragraphs(text)
        if paragraphs is not None:
            return Markup("\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs))
        html = self._markdown.reset().convert(text)
        return Markup(self._cleaner.clean(_TAG.sub(self._defuse, html)))

    def _defuse(self, tag: re.Match[str]) -> str:
        """``<`` of a tag that would take text with it when removed, as text; of any other tag, as it is.

        The sanitiser removes a disallowed tag but keeps its text, except for some (script, style, template, SVG and
        MathML elements), whose text goes too: a stray or unclosed one in a record would swallow the rest of the
        passage. Those are shown as written, inert ("<script>…" on the page); whether a tag is one of them is asked
        of the sanitiser itself, once per tag name.
        """
        name = tag["name"].lower()
        keeps = self._keeps_text.get(name)
        if keeps is None:
            keeps = name not in _FOREIGN_ROOTS and "x" in self._cleaner.clean(f"<{name}>x</{name}>")
            self._keeps_text[name] = keeps
        return "<" if keeps else "&lt;"

    def plain(self, text: str) -> Markup:
        """Plain text as paragraphs (one per line), escaped: for verbatim fields such as a contact paragraph."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return Markup("".join(f"<p>{escape(line)}</p>" for line in lines))


# One renderer per thread: the build indexes in a background thread while feeds use markdown_text too.
_RENDERERS = threading.local()


def markdown_text(source: str) -> str:
    """Markdown as plain text, from the HTML a page shows: markup dropped, one line per block, whitespace inside a
    block collapsed."""
    if not source.strip():
        return ""
    paragraphs = plain_paragraphs(source)
    if paragraphs is not None:
        return "\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)
    renderer: Renderer | None = getattr(_RENDERERS, "renderer", None)
    if renderer is None:
        renderer = _RENDERERS.renderer = Renderer()
    parser = _TextParser()
    parser.feed(renderer.markdown(source))
    parser.close()
    return "\n".join(" ".join(line.split()) for line in parser.lines if line.strip())


class _TextParser(HTMLParser):
    """Text of rendered Markdown, one line per block element."""

    _BLOCKS = frozenset({"p", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "div"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.lines.append("")
        elif tag in ("td", "th"):
            self.lines[-1] += " "

    def handle_data(self, data: str) -> None:
        self.lines[-1] += data
