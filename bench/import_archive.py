"""Import bench: how well ``xuncha import`` reads a folder of notices as they were received (an editor's archive).

    python bench/import_archive.py FOLDER... [-f mkdocs.yml] [--round ID]

Imports every .txt, .md, .docx and .html file under the folders the way ``xuncha import --dry-run`` does (nothing is
written) and prints, per file and in total:

* 段落：lines of the source kept in the record (body or a front-matter field) / all lines; 网页信息: lines listed in
  the report as page chrome; 丢失: lines in neither (there should be none);
* 正文残留：paragraphs of the record's body that still look like page chrome (当前位置, 版权所有, 浏览量, 【打印】 …),
  found with a list of chrome words of its own, not with the importer's rules;
* 字段：metadata fields filled / fields a complete notice gives (title, unit, issuer, group, the four dates, the web
  publication time, contact phones, e-mail, mailbox or address, postcode, source name, URL and date), and which are
  missing.

Openings of notices (no signature, no contact) cannot fill all fields; a round-level announcement is not imported and
is shown as such. With ``-f`` the site's rounds place the notices; without it, a site with no rounds is used.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xuncha_site.commands.import_notices import Imported, build_record  # noqa: E402
from xuncha_site.commands.site import load_site  # noqa: E402
from xuncha_site.core.model import Settings  # noqa: E402
from xuncha_site.core.project import Project, load_project  # noqa: E402
from xuncha_site.importer.audit import account  # noqa: E402
from xuncha_site.importer.parse import parse_notice  # noqa: E402
from xuncha_site.importer.sources import (  # noqa: E402
    PAGE_SUFFIXES,
    TEXT_SUFFIXES,
    WORD_SUFFIXES,
    SourceError,
    decode_text,
    read_source,
)

SUFFIXES = TEXT_SUFFIXES + WORD_SUFFIXES + PAGE_SUFFIXES
# Words that no paragraph of a notice's body has and every page's chrome has (independent of the importer's rules).
CHROME_WORDS = re.compile(
    r"当前位置|您的位置|您现在的位置|首页\s*[>＞»]|版权所有|ICP备|公网安备|网站标识码|网站地图|联系我们|浏览量|浏览次数|访问量|"
    r"阅读次数|点击数|字体大小|【\s*字体|【\s*打印|【\s*关闭|打印本页|关闭窗口|分享到|扫一扫|上一篇|下一篇|信息索引号|"
    r"^(?:来源|发布时间|发布日期|发布机构|成文日期|公开方式|文件名称|索引号|编辑|责任编辑)\s*[:：]|<!--|^\\?\*\\?\*|"
    r"^(?:朗读|分享|主动公开|字号|页面|对比度)\s*[:：]?$|^https?://\S+$|^\\?\[.*\\?\]\\?\(https?://"
)
FIELDS = (
    "title",
    "unit",
    "issuer",
    "group",
    "inspection_start",
    "inspection_end",
    "feedback_date",
    "notice_date",
    "published",
    "contact.phones",
    "contact.emails",
    "contact.mailbox|contact.address",
    "contact.postcode",
    "source.name",
    "source.url",
    "source.published",
)


@dataclass
class Row:
    name: str
    lines: int = 0
    kept: int = 0
    chrome: int = 0
    lost: int = 0
    left: int = 0
    filled: int = 0
    missing: tuple[str, ...] = ()
    outcome: str = ""  # "" for a record; otherwise what happened instead


def source_lines(path: Path) -> list[str]:
    """The lines of a file as a reader sees them (a page: all the text of its body; Word: body paragraphs, cells)."""
    suffix = path.suffix.lower()
    raw = path.read_bytes()
    if suffix in WORD_SUFFIXES:
        import docx

        lines: list[str] = []
        for item in docx.Document(str(path)).iter_inner_content():
            if isinstance(item, docx.table.Table):
                lines += [cell.text for row in item.rows for cell in row.cells]
            else:
                lines += item.text.split("\n")
        return [line.strip() for line in lines if line.strip()]
    if suffix in PAGE_SUFFIXES:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(raw, "lxml")
        for tag in soup.find_all(["script", "style", "noscript", "template", "head"]):
            tag.decompose()
        body = soup.body or soup
        return [line.strip() for line in body.get_text("\n").splitlines() if line.strip()]
    text, _encoding = decode_text(raw, str(path))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if suffix in (".md", ".markdown"):  # what a reader of the rendered page sees: a link's words, then its address
        plain = []
        for line in lines:
            line = _ESCAPE.sub(r"\1", _MARKUP.sub("", line))
            plain += [_LINK.sub(r"\1", line).strip(), *(m[2] for m in _LINK.finditer(line))]
        lines = plain
    return [line for line in lines if line]


_MARKUP = re.compile(r"^#{1,6}\s+|\*\*|^>\s*")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)\)")


def _values(value: Any) -> list[str]:
    """Every value of the front matter as text (times as the record writes them)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in _values(item)]
    if isinstance(value, list):
        return [text for item in value for text in _values(item)]
    if isinstance(value, datetime):
        return [value.strftime("%Y-%m-%d %H:%M"), value.strftime("%Y-%m-%d %H:%M:%S")]
    if isinstance(value, date):
        return [value.isoformat()]
    return [] if value is None else [str(value)]


def _get(meta: dict[str, Any], key: str) -> Any:
    value: Any = meta
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def measure(path: Path, project: Project, round_id: str | None) -> Row:
    row = Row(path.name)
    try:
        document = read_source(path)
    except SourceError as exc:
        row.outcome = f"无法读取：{exc}"
        return row
    lines = source_lines(path)
    notice = parse_notice(document)
    imported: Imported = build_record(
        document_path=str(path),
        kind=document.kind,
        notice=notice,
        project=project,
        round_id=round_id,
        lines=tuple(block.text for block in document.blocks),
    )
    row.lines = len(lines)
    if imported.announcement:
        row.outcome = "整轮巡察的整体情况（不导入）"
        return row
    front, body = imported.text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front) or {}
    found = account(lines, _values(meta), body, [item.text for item in notice.dropped])
    row.kept, row.chrome, row.lost = found.kept, found.chrome, len(found.lost)
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    row.left = sum(1 for p in paragraphs if CHROME_WORDS.search(re.sub(r"^#{1,6}\s+", "", p)))
    missing = [field for field in FIELDS if not any(_get(meta, key) for key in field.split("|"))]
    row.filled, row.missing = len(FIELDS) - len(missing), tuple(missing)
    return row


def _print(rows: list[Row], seconds: float) -> None:
    width = max([len(row.name) for row in rows] + [4])
    print(f"{'文件':<{width}}  段落保留/总数  网页信息  丢失  正文残留  已填字段  缺少的字段")
    for row in rows:
        if row.outcome:
            print(f"{row.name:<{width}}  {row.outcome}")
            continue
        kept = f"{row.kept}/{row.lines}"
        print(
            f"{row.name:<{width}}  {kept:>13}  {row.chrome:>8}  {row.lost:>4}  {row.left:>8}  "
            f"{row.filled:>4}/{len(FIELDS):<3}  {'、'.join(row.missing) or '—'}"
        )
    records = [row for row in rows if not row.outcome]
    total_lines = sum(row.lines for row in records)
    kept, chrome, lost = (sum(getattr(row, k) for row in records) for k in ("kept", "chrome", "lost"))
    left, filled = sum(row.left for row in records), sum(row.filled for row in records)
    counted = kept + chrome + lost
    share = f"{100 * (kept + chrome) / counted:.1f}%" if counted else "—"
    print(
        f"合计：{len(rows)} 个文件（{len(records)} 篇导入，{len(rows) - len(records)} 篇未导入）；"
        f"段落 {total_lines}（只有标点的 {total_lines - counted} 行不计），保留 {kept}，列为网页信息 {chrome}，"
        f"丢失 {lost}（有着落 {share}）；"
        f"正文残留网页元素 {left} 段；字段 {filled}/{len(FIELDS) * len(records)}；用时 {seconds:.1f} 秒"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="导入一批收到的通报（不写入），逐篇统计段落、网页残留和字段")
    parser.add_argument("folders", nargs="+", type=Path, help="通报所在的文件夹（或文件）")
    parser.add_argument("-f", "--config-file", type=Path, help="站点的 mkdocs.yml（用它的轮次文件确定轮次和单位）")
    parser.add_argument("--round", help="轮次编号（同 xuncha import --round）")
    args = parser.parse_args(argv)
    files = sorted(
        path
        for folder in args.folders
        for path in ([folder] if folder.is_file() else folder.rglob("*"))
        if path.is_file() and path.suffix.lower() in SUFFIXES
    )
    if not files:
        print("没有找到可导入的文件（.txt、.md、.docx、.html）", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as empty:
        config = Path(args.config_file or Path(empty) / "mkdocs.yml")
        site = load_site(config) if config.is_file() else None
        project = site.project if site is not None else load_project(config, settings=Settings())
        started = time.perf_counter()
        rows = [measure(path, project, args.round) for path in files]
        _print(rows, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
