"""Notices saved from static-site mirrors and Markdown exports: YAML front matter, ``<!--more-->``, ``**一、…**``.

A mirror stores the notice as Markdown: a front matter with the page's title and date (``title: 南开大学->…的通报 |
site``), a ``<!--more-->`` summary mark, headings in bold or as ``##``, characters escaped (``1\\.``, ``\\*``) and
links (``[转入文章首发地址](http…)``). Read as plain text, the real title would be missed, bold headings would be
written back as literal ``\\*\\*一、…\\*\\*`` and no part would be found. This module turns such a text into the plain
lines of the notice; the front matter's facts are kept and the rest of it is listed in the report.

Hand-written rather than run through a Markdown parser: the parser would give HTML, and what is needed is the
opposite — the notice's lines as its author typed them, with the markup taken off line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import yaml

from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.records import compose_yaml
from xuncha_site.importer.metadata import Dropped, WebFacts

MAX_FRONT_MATTER_LINES = 60
_FRONT_END = re.compile(r"^(?:---|\.\.\.)\s*$")
_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]{0,40}\s*:")
_COMMENT = re.compile(r"^<!--.{0,200}?-->$")
_HEADING = re.compile(r"^#{1,6}[ \t]+")
_RULE = re.compile(r"^(?:[-*_][ \t]*){3,}$")
_BOLD = re.compile(r"\*\*(?=\S)(.{1,2000}?)(?<=\S)\*\*|__(?=\S)(.{1,2000}?)(?<=\S)__")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_IMAGE = re.compile(r"!\[[^\]]{0,200}\]\([^)\s]{0,500}\)")
_LINK = re.compile(r"\[(?P<text>[^\]]{0,300})\]\((?P<url>[^)\s]{0,500})(?:\s+\"[^\"]{0,200}\")?\)")
_AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]{1,500})>")
_TAG = re.compile(r"</?(?:span|font|strong|b|em|i|u|p|div|section|center|a)(?:\s[^<>]{0,300})?>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_QUOTE = re.compile(r"^(?:>[ \t]?)+")
_LIST = re.compile(r"^[-*+][ \t]+")
_TITLE_SPLIT = re.compile(
    r"\s*[|｜]\s*|\s*->\s*|\s*>>\s*|\s*_\s*|\s*--\s*|\s+-\s+|\s+—+\s+|(?<=[\u4e00-\u9fff）)])-(?=[\u4e00-\u9fff])"
)
_TITLE_WORDS = re.compile(r"(?:通报|报告|公告|公示|情况|通告)[)）]?$")
_DATE_KEYS = ("date", "published", "pubdate", "publishdate", "publish_date", "created", "time")
_URL_KEYS = ("url", "link", "permalink", "source_url", "original", "original_url", "origin", "canonical", "source")
_NAME_KEYS = ("source", "from", "publisher")


@dataclass(frozen=True)
class MarkdownText:
    lines: tuple[str, ...]  # the notice's lines, markup taken off
    tables: frozenset[int]  # indexes of lines that are Markdown table rows (kept as they are)
    facts: WebFacts
    dropped: tuple[Dropped, ...]
    notes: tuple[str, ...]


def looks_like_markdown(text: str) -> bool:
    """Whether a text file is a Markdown export: front matter, a summary mark, bold or ``#`` headings, escapes."""
    lines = [line.strip() for line in text.split("\n", 400)[:400]]
    if _front_matter_end(lines) is not None:
        return True
    if any(_COMMENT.match(line) and "more" in line.lower() for line in lines):
        return True
    bold = sum(1 for line in lines if re.fullmatch(r"\*\*.+\*\*", line))
    headings = sum(1 for line in lines if _HEADING.match(line))
    escaped = sum(1 for line in lines if re.search(r"\\[*_\[\].#]", line))
    return bold >= 1 or headings >= 2 or escaped >= 2


def read_markdown(text: str) -> MarkdownText:
    """The notice's lines in a Markdown text, the facts of its front matter, and what was left out."""
    written = text.split("\n")
    raw = [line.strip() for line in written]
    dropped: list[Dropped] = []
    notes: list[str] = []
    facts = WebFacts()
    end = _front_matter_end(raw)
    if end is not None:
        facts, front_dropped, front_notes = _front_matter([line.rstrip() for line in written[1:end]])
        dropped += [Dropped(raw[0], "前置信息的分隔线"), *front_dropped, Dropped(raw[end], "前置信息的分隔线")]
        notes += front_notes
        raw = raw[end + 1 :]
    lines: list[str] = []
    tables: set[int] = set()
    fence = False
    for line in raw:
        if not line:
            continue
        if line.startswith(("```", "~~~")):
            fence = not fence
            dropped.append(Dropped(line, "代码块标记"))
            continue
        if fence:
            lines.append(line)
            continue
        if _COMMENT.match(line):
            dropped.append(Dropped(line, "摘要分隔标记" if "more" in line.lower() else "网页注释"))
            continue
        if _RULE.match(line):
            dropped.append(Dropped(line, "分隔线"))
            continue
        if line.startswith("|") and line.endswith("|"):
            tables.add(len(lines))
            lines.append(line)
            continue
        for piece in _BREAK.split(line):
            plain, gone = _plain(piece)
            dropped += gone
            if plain:
                lines.append(plain)
    return MarkdownText(tuple(lines), frozenset(tables), facts, tuple(dropped), tuple(notes))


def _plain(line: str) -> tuple[str, list[Dropped]]:
    """One Markdown line as the text a reader sees; links keep their text, their addresses are reported."""
    dropped: list[Dropped] = []
    line = _QUOTE.sub("", line.strip())
    line = _HEADING.sub("", line).rstrip("#").strip() if _HEADING.match(line) else line
    line = _LIST.sub("", line)
    for image in _IMAGE.finditer(line):
        dropped.append(Dropped(image[0], "图片"))
    line = _IMAGE.sub("", line)
    line = _TAG.sub("", line)
    whole = _LINK.fullmatch(_ESCAPE.sub(r"\1", line))
    if whole and re.match(r"^https?://", whole["url"]):
        return f"[{whole['text']}]({whole['url']})", dropped  # a link on its own line: the chrome reader decides
    for link in _LINK.finditer(line):
        if link["url"]:
            label = _ESCAPE.sub(r"\1", link["text"])
            dropped.append(Dropped(link["url"], f"正文中链接“{label}”的网址（文字已保留）"))
    line = _LINK.sub(lambda m: m["text"], line)
    line = _AUTOLINK.sub(lambda m: m["url"], line)
    line = _BOLD.sub(lambda m: m[1] if m[1] is not None else m[2], line)
    line = _ESCAPE.sub(r"\1", line)
    line = line.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return line.strip(), dropped


def _front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes a YAML front matter at the top, or None."""
    if not lines or lines[0] != "---":
        return None
    for index in range(1, min(len(lines), MAX_FRONT_MATTER_LINES + 1)):
        if _FRONT_END.match(lines[index]):
            inner = [line for line in lines[1:index] if line]
            return index if inner and _KEY_LINE.match(inner[0]) else None
    return None


def _front_matter(lines: list[str]) -> tuple[WebFacts, list[Dropped], list[str]]:
    """The facts of a mirror's front matter (title, date, original URL); every other line is reported."""
    text = "\n".join(lines)
    values = None
    # The guarded composer first (no aliases, no tags, bounded depth and size): a received file is not trusted, and
    # an alias bomb in its front matter would expand to gigabytes in safe_load. What it accepts loads in linear time.
    if compose_yaml(text, "前置信息", Diagnostics()) is not None:
        try:
            values = yaml.safe_load(text)
        except yaml.YAMLError:
            values = None
    if not isinstance(values, dict):
        kept = [Dropped(line.strip(), "前置信息") for line in lines if line.strip()]
        return WebFacts(), kept, ["文件开头的前置信息（--- 之间）无法读取，已略去"]
    facts: dict[str, str] = {}
    dropped: list[Dropped] = []
    notes: list[str] = []
    used: set[str] = set()
    lowered = {str(key).lower(): key for key in values}
    title = values.get(lowered.get("title", ""))
    if isinstance(title, str) and title.strip():
        facts["title"], gone = clean_title(title.strip())
        used.add("title")
        if gone:
            dropped.append(Dropped(gone, "标题中的网站名称"))
            notes.append(f"标题取自前置信息 title，已去掉网站名称等：“{facts['title']}”")
    for key in _DATE_KEYS:
        value = values.get(lowered.get(key, ""))
        if isinstance(value, (date, datetime)) or (isinstance(value, str) and re.match(r"^\d{4}", value)):
            facts["published"] = _as_written(lines, lowered[key]) or _written_time(value)
            used.add(key)
            break
    for key in _URL_KEYS:
        value = values.get(lowered.get(key, ""))
        if isinstance(value, str) and re.match(r"^https?://\S+$", value.strip()):
            facts["url"] = value.strip()
            used.add(key)
            break
    for key in _NAME_KEYS:
        value = values.get(lowered.get(key, ""))
        if key not in used and isinstance(value, str) and 0 < len(value.strip()) <= 40 and "://" not in value:
            facts["name"] = value.strip()
            used.add(key)
            break
    for line in lines:
        key = line.split(":", 1)[0].strip().lower() if _KEY_LINE.match(line) else ""
        if line.strip() and key not in used:
            dropped.append(Dropped(line.strip(), "前置信息"))
    return WebFacts(**facts), dropped, notes


def _as_written(lines: list[str], key: object) -> str:
    """The value of ``key: value`` as the front matter writes it (2025-03-12T09:30:00+08:00, not a parsed time)."""
    for line in lines:
        name, sep, value = line.partition(":")
        if sep and name.strip() == str(key):
            return value.strip().strip("'\"")
    return ""


def _written_time(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    match = re.match(r"^(\d{4}-\d{1,2}-\d{1,2})[T ](\d{1,2}:\d{2})", text)
    return f"{match[1]} {match[2]}" if match else text


def clean_title(title: str) -> tuple[str, str]:
    """A page title without the site's name and column around it: ``南开大学->…的通报 | 某站`` → ``…的通报``.

    Returns the title and what was taken off (joined), for the report.
    """
    pieces = [piece for piece in _TITLE_SPLIT.split(title) if piece and piece.strip()]
    if len(pieces) < 2:
        return title, ""
    best = next((p for p in reversed(pieces) if _TITLE_WORDS.search(p.strip()) and len(p.strip()) >= 8), None)
    if best is None:
        best = max(pieces, key=len)
    return best.strip(), " / ".join(piece.strip() for piece in pieces if piece is not best)
