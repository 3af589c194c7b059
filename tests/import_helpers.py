"""Helpers for the import tests: a tiny site with the fixture rounds, running ``xuncha import``, reading records back,
and the “nothing is lost” comparison between an input's paragraphs and the record written from it."""

from __future__ import annotations

import html
import importlib.util
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from bs4 import BeautifulSoup
from recordkit import MKDOCS_YML

from xuncha_site.commands.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"
# ../shared beside the clone (as CI has it); XUNCHA_SHARED names another place (a worktree's ../shared is elsewhere).
SHARED = Path(os.environ.get("XUNCHA_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
THEME = Path(__file__).resolve().parents[1] / "theme"

TEXT_FIXTURES = ("categories.txt", "aspects.txt", "flat.txt", "wenti.txt", "yishi.txt", "newyear.txt", "huitoukan.txt")
WORD_FIXTURES = ("numbered.docx", "typed.docx")
PAGE_FIXTURES = ("cms-page.html", "portal-gbk.html")
# The article element of each page fixture: what a reader sees as the notice.
PAGE_ARTICLES = {"cms-page.html": "#zoom", "portal-gbk.html": "#content", "inline-chrome.html": "#content"}


def make_site(root: Path) -> Path:
    """A site with the fixture rounds and no notices; returns its mkdocs.yml."""
    (root / "content" / "notices").mkdir(parents=True)
    (root / "pages").mkdir()
    shutil.copytree(FIXTURES / "rounds", root / "content" / "rounds")
    config = root / "mkdocs.yml"
    config.write_text(MKDOCS_YML.format(theme=THEME), encoding="utf-8")
    return config


def make_docx_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_docx", FIXTURES / "make_docx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fixture_file(name: str, folder: Path) -> Path:
    """The fixture's path; .docx fixtures are built into ``folder`` by make_docx.py."""
    if name.endswith(".docx"):
        builder = make_docx_module()
        makers = {"numbered.docx": builder.numbered_docx, "typed.docx": builder.typed_docx, "pasted.docx": builder.pasted_docx}
        return makers[name](folder / name)
    return FIXTURES / name


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run_import(config: Path, *args: str | Path, capsys: Any) -> Run:
    """``xuncha import -f CONFIG ARGS…``; returns its exit status and output."""
    capsys.readouterr()
    code = main(["import", "-f", str(config), *(str(a) for a in args)])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@dataclass(frozen=True)
class Record:
    path: Path
    text: str
    meta: dict[str, Any]
    body: str


def read_record(path: Path) -> Record:
    return parse_record(path.read_text(encoding="utf-8"), path)


def parse_record(text: str, path: Path = Path("-")) -> Record:
    assert text.startswith("---\n"), text[:80]
    front, body = text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front) or {}
    return Record(path, text, meta, body)


def only_record(config: Path) -> Record:
    records = sorted((config.parent / "content" / "notices").rglob("*.md"))
    assert len(records) == 1, records
    return read_record(records[0])


# --- nothing is lost -------------------------------------------------------------------------------------------------

_PUNCTUATION = str.maketrans(
    {
        "。": ".",
        "、": ",",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "【": "[",
        "】": "]",
        "—": "-",
        "–": "-",
        "～": "~",
        "《": "<",
        "》": ">",
    }
)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_META_LABEL = re.compile(r"(来源|编辑|责任编辑|本文链接|发布日期|发布时间|信息索引号|索引号)\s*[:：]")


def fold(text: str, *, markdown: bool = False) -> str:
    """Text compared without white space, punctuation width or date spelling (and, for ``markdown``, escapes)."""
    if markdown:
        text = html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text))
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    text = _DATE.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)
    return re.sub(r"\s+", "", text)


def _values(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _values(item)]
    if isinstance(value, list):
        return [text for item in value for text in _values(item)]
    if isinstance(value, datetime):
        return [value.strftime("%Y-%m-%d %H:%M"), value.strftime("%Y-%m-%d %H:%M:%S")]
    if isinstance(value, date):
        return [value.isoformat()]
    return [] if value is None else [str(value)]


_LABELS = (
    "信息索引号|索引号|文件名称|发布机构|成文日期|公开方式|信息来源|来源|责任编辑|编辑|本文链接|发布日期|发布时间|发表时间|"
    "日期|时间|浏览量|浏览次数|浏览|阅读次数|访问量|字号|字体大小|字体|保护视力色|分享|页面|对比度"
)
# Where a line of page chrome splits into what went to different places (a field, the report): at each label, at
# white space and at the separators of a page title; a front-matter key goes with its value.
_PIECES = re.compile(rf"(?:{_LABELS})\s*[:：]|^[A-Za-z_]+:\s*|\s+|[|｜]|->|•|\]\(|^\[|\)$")


def reported_dropped(report: str) -> list[str]:
    """The lines the import report lists as page chrome (网页信息：已略去“…”（what it is）)."""
    return re.findall(r"网页信息：已略去“(.*)”（", report)


def missing_paragraphs(paragraphs: list[str], record: Record, report: str = "") -> list[str]:
    """Input paragraphs that are neither in a front-matter value, nor in the body (in order) of ``record``, nor listed
    in ``report`` as page chrome. A line is looked for whole, else piece by piece (see ``_PIECES``)."""
    body = fold(re.sub(r"^#{1,6}\s+", "", record.body, flags=re.M).replace("|", "").replace("<br>", ""), markdown=True)
    dropped = [fold(text) for text in reported_dropped(report)]
    elsewhere = [fold(value) for value in _values(record.meta)] + dropped + ["".join(dropped)]
    missing: list[str] = []
    position = 0
    for paragraph in paragraphs:
        needle = fold(paragraph)
        found = body.find(needle, position) if needle else -1
        if not needle or found >= 0:
            position = found + len(needle) if needle else position
            continue
        if any(needle in text for text in elsewhere):
            continue
        pieces = [p for p in _PIECES.split(paragraph) if p and fold(p).strip(".,:：;；-\"'[]()（）")]
        for piece in pieces:
            needle = fold(piece)
            if any(needle in text for text in elsewhere):
                continue
            found = body.find(needle, position)
            if found < 0:
                missing.append(piece)
            else:
                position = found + len(needle)
    return missing


# Encodings of the text fixtures that a reader would have to be told (README.md); the others are UTF-8/16 or GB.
TEXT_ENCODINGS = {"big5.txt": "big5"}
_MARKDOWN = (
    (re.compile(r"^#{1,6}\s+|\*\*|^>\s*"), ""),
    (re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1"),
    (re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)\)"), r"\1 \2 "),
)


def source_paragraphs(path: Path) -> list[str]:
    """The paragraphs a reader of the input sees, read independently of the importer."""
    if path.suffix in (".txt", ".md"):
        raw = path.read_bytes()
        text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        for codec in (TEXT_ENCODINGS.get(path.name, "utf-8-sig"), "gb18030"):
            if text:
                break
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if path.suffix == ".md":  # what a reader of the rendered page sees
            for pattern, replacement in _MARKDOWN:
                lines = [pattern.sub(replacement, line).strip() for line in lines]
        return [line for line in lines if line]
    if path.suffix == ".docx":
        import docx

        lines = []
        for item in docx.Document(str(path)).iter_inner_content():
            if isinstance(item, docx.table.Table):
                lines += [cell.text.strip() for row in item.rows for cell in row.cells if cell.text.strip()]
            else:
                lines += [line.strip() for line in item.text.split("\n") if line.strip()]
        return lines
    soup = BeautifulSoup(path.read_bytes(), "lxml")
    article = soup.select_one(PAGE_ARTICLES[path.name])
    assert article is not None
    heading = soup.find("h1")
    title = [heading.get_text(strip=True)] if heading else []
    return title + [line.strip() for line in article.get_text("\n").splitlines() if line.strip()]
