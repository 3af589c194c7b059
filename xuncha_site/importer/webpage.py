"""A saved web page of a notice: the article text without the site around it, and the facts of its info bar.

CMS pages wrap the notice in navigation, breadcrumbs (当前位置), an info bar (来源 / 发布时间 / 字体大小 / 打印 / 关闭),
share buttons, previous/next links and a footer (版权所有, ICP备案). The article is the element holding most of the
page's paragraph text; the info bar's facts are kept, every other piece of chrome is dropped and reported.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, CData, NavigableString, PageElement, Tag

from xuncha_site.importer.blocks import Block, SourceDocument, SourceError, collapse_spaces
from xuncha_site.importer.metadata import Dropped, WebFacts, read_meta_line
from xuncha_site.importer.mirror import clean_title

_REMOVE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "form",
    "button",
    "select",
    "input",
    "object",
)
_VISIBLE_REMOVED = ("form", "button", "select")  # shown on the page: what they say is reported
_CHROME_TAGS = ("nav", "header", "footer", "aside")
_CHROME_NAMES = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|position|location|weizhi|dqwz|share|bdshare|fenxiang|print|"
    r"font|fontsize|zihao|toolbar|tools?|footer|foot|copyright|banquan|header|head|top|banner|logo|search|sidebar|side|"
    r"related|xgwz|pager|prev|next|pre-next|prevnext|sxp|comment|qrcode|ewm)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_CONTENT_NAMES = re.compile(
    r"TRS_Editor|TRS_PreAppend|^zoom$|article[-_]?(?:content|body|con|text)|^content$|con[-_]?text|news[-_]?content|"
    r"detail[-_]?content|main[-_]?text|^zw$|^text$|^article$|^con$|^detail$|^conTxt$|^pages_content$",
    re.IGNORECASE,
)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "center", "pre", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "body", "html", "hr", "address",
}  # fmt: skip
_FOOTER_TEXT = re.compile(
    r"版权所有|ICP备|ICP证|公网安备|网站标识码|主办单位|承办单位|技术支持|网站地图|联系我们|Copyright|©", re.I
)
_META_NAMES = {"articletitle": "title", "pubdate": "published", "contentsource": "name", "url": "url"}
# A saved notice page has a few thousand elements, nested a few dozen deep. Pages far beyond that are refused rather
# than read for minutes (reading follows parents and children, recursively).
MAX_TAGS = 100_000
MAX_DEPTH = 256
MAX_COLSPAN = 100


def read_page(raw: bytes, shown: str) -> SourceDocument:
    """The notice in a saved HTML page; raises :class:`SourceError` when no article text is found."""
    if raw.count(b"<") > MAX_TAGS:
        raise SourceError(f"{shown}：网页的标签过多（超过 {MAX_TAGS} 个），不像一篇通报；请复制正文存为 .txt 后再导入")
    try:
        soup = BeautifulSoup(raw, "lxml")
    except (ValueError, LookupError):  # a <meta charset> that names no usable encoding
        raise SourceError(
            f"{shown}：网页声明的字符编码无效，无法读取；请在浏览器中打开后另存为 UTF-8 网页再导入"
        ) from None
    if _depth(soup) > MAX_DEPTH:
        raise SourceError(f"{shown}：网页的标签嵌套超过 {MAX_DEPTH} 层，无法读出正文；请复制正文存为 .txt 后再导入")
    meta = _meta_tags(soup)
    removed: list[Dropped] = []
    for tag in soup.find_all(_REMOVE_TAGS):
        if not tag.decomposed and tag.name in _VISIBLE_REMOVED and (text := collapse_spaces(tag.get_text(" "))):
            removed.append(Dropped(text, "网页表单、按钮"))
        tag.decompose()
    body = soup.body or soup
    root = _article_root(body)
    if root is None:
        raise SourceError(f"{shown}：网页中找不到通报正文")
    heading = _heading_title(body, root)
    written = meta.pop("title", "") or heading or (collapse_spaces(soup.title.get_text()) if soup.title else "")
    title, site = clean_title(written)
    notes = [f"标题取自网页的标题栏，已去掉“{site}”：{title}"] if site else []
    page_facts = WebFacts(**meta)
    dropped: list[Dropped] = removed
    for line in _outside_lines(body, root):
        found = read_meta_line(line)
        facts = found.facts if found is not None else _facts_in(line)
        page_facts = page_facts.merged(facts)
        if found is not None and not facts.is_empty():
            dropped += [Dropped(piece, "网页信息栏") for piece in found.chrome]  # the facts are kept
        elif line != title:
            dropped.append(Dropped(line, "正文之外的网页内容"))
    for tag in list(root.find_all(True)):
        if not tag.decomposed and _is_chrome(tag):
            dropped.append(Dropped(collapse_spaces(tag.get_text(" ")), "正文中的网页元素"))
            tag.decompose()
    blocks = _blocks(root)
    if not blocks:
        raise SourceError(f"{shown}：网页中找不到通报正文")
    if title and collapse_spaces(title) not in [block.text for block in blocks[:8]]:
        blocks.insert(0, Block(collapse_spaces(title)))
    else:
        notes = []  # the article has the title among its first lines
    kept = tuple(item for item in dropped if item.text)
    return SourceDocument(shown, "网页", tuple(blocks), page_facts, kept, tuple(notes))


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or tag.get("property") or "").lower()
        key = _META_NAMES.get(name) or {"og:title": "title", "og:url": "url"}.get(name)
        content = collapse_spaces(str(tag.get("content") or ""))
        if key and content and key not in found:
            found[key] = content
    link = soup.find("link", rel="canonical")
    if isinstance(link, Tag) and link.get("href") and "url" not in found:
        found["url"] = str(link["href"])
    if found.get("url") and not re.match(r"^https?://", found["url"]):
        del found["url"]
    return found


def _names(tag: Tag) -> str:
    classes: list[str] | str = tag.get("class") or []
    return " ".join([*(classes if isinstance(classes, list) else [str(classes)]), str(tag.get("id") or "")])


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _CHROME_TAGS:
        return True
    names = _names(tag)
    return bool(names.strip()) and bool(_CHROME_NAMES.search(names)) and not _CONTENT_NAMES.search(names)


def _text_score(tag: Tag, lengths: dict[int, int]) -> int:
    """Length of the text that ``tag`` holds itself or in its paragraph children: where the article is."""
    score = 0
    for child in tag.children:
        if isinstance(child, NavigableString):
            score += len(child.strip())
        elif isinstance(child, Tag) and child.name in ("p", "span", "font", "strong", "b", "br", "h2", "h3", "h4"):
            score += lengths[id(child)]
    return score


def _article_root(body: Tag) -> Tag | None:
    # Chrome and text lengths are worked out once for all elements: asked element by element, they would cost the
    # square of the page's size.
    tags = body.find_all(True)
    chrome = _chrome(body, tags)
    lengths = _text_lengths(tags)
    named = [tag for tag in tags if id(tag) not in chrome and _CONTENT_NAMES.search(_names(tag))]
    named = [tag for tag in named if lengths[id(tag)] > 100]
    if named:
        # The innermost named element that still holds nearly all of the named text.
        best = max(named, key=lambda tag: lengths[id(tag)])
        within = {id(tag) for tag in best.find_all(True)}
        inner = [tag for tag in named if id(tag) in within]
        total = lengths[id(best)]
        for tag in sorted(inner, key=lambda t: lengths[id(t)]):
            if lengths[id(tag)] > 0.8 * total:
                return tag
        return best
    candidates = [tag for tag in tags if id(tag) not in chrome] + [body]
    scores = {id(tag): _text_score(tag, lengths) for tag in candidates}
    best_tag = max(candidates, key=lambda tag: scores[id(tag)], default=None)
    return best_tag if best_tag is not None and scores[id(best_tag)] > 0 else None


def _chrome(body: Tag, tags: list[Tag]) -> set[int]:
    """Ids of the elements of ``tags`` (``body.find_all(True)``, parents first) that are chrome or inside chrome."""
    inside = {id(body)} if _inside_chrome(body) else set()
    for tag in tags:
        if id(tag.parent) in inside or _is_chrome(tag):
            inside.add(id(tag))
    return inside


def _text_lengths(tags: list[Tag]) -> dict[int, int]:
    """``len(tag.get_text(strip=True))`` of every element of ``tags``, children counted before their parents."""
    lengths: dict[int, int] = {}
    for tag in reversed(tags):
        total = 0
        for child in tag.children:
            if isinstance(child, Tag):
                total += lengths.get(id(child), 0)
            elif isinstance(child, NavigableString) and type(child) in (NavigableString, CData):  # not comments
                total += len(child.strip())
        lengths[id(tag)] = total
    return lengths


def _depth(soup: BeautifulSoup) -> int:
    depths = {id(soup): 0}
    for tag in soup.find_all(True):
        depths[id(tag)] = depths.get(id(tag.parent), 0) + 1
    return max(depths.values())


def _inside_chrome(tag: Tag) -> bool:
    return _is_chrome(tag) or any(_is_chrome(parent) for parent in tag.parents if isinstance(parent, Tag))


def _heading_title(body: Tag, root: Tag) -> str:
    for tag in body.find_all(["h1", "h2", "h3"]):
        if _within(tag, root) or tag is root or _inside_chrome(tag):
            continue
        text = collapse_spaces(tag.get_text(" "))
        if len(text) >= 8:
            return text
    for tag in body.find_all(class_=re.compile(r"^(?:title|article[-_]?title|news[-_]?title|tit|bt)$", re.I)):
        if not _within(tag, root) and not _inside_chrome(tag):
            text = collapse_spaces(tag.get_text(" "))
            if len(text) >= 8:
                return text
    return ""


def _within(node: PageElement, ancestor: Tag) -> bool:
    """Whether ``ancestor`` is one of ``node``'s parents, by identity: ``in node.parents`` compares tags by their
    whole content (Beautiful Soup's ``==``), which is slow, recursive and takes an equal copy elsewhere for the one."""
    return any(parent is ancestor for parent in node.parents)


def _outside_lines(body: Tag, root: Tag) -> list[str]:
    """Text of the page outside the article (info bar, chrome), one line per block; a table row is one line."""
    lines: list[str] = []
    seen: set[int] = set()
    for text in body.find_all(string=True):
        if type(text) is not NavigableString or not text.strip() or _within(text, root):
            continue
        block = next((p for p in text.parents if isinstance(p, Tag) and p.name in _LINE_TAGS), None)
        if block is not None and (block is root or _within(root, block)):
            block = None  # text beside the article in a wrapper: a line of its own
        key = id(block) if block is not None else id(text)
        if key in seen:
            continue
        seen.add(key)
        line = collapse_spaces(block.get_text(" ") if block is not None else str(text))
        if line:
            lines.append(line)
    return lines


_LINE_TAGS = _BLOCK_TAGS - {"td", "th", "tbody", "thead", "tfoot", "table"}
_FACT = re.compile(
    r"(?P<label>来源|发布时间|发布日期|责任编辑|编辑|本文链接|信息索引号|索引号)\s*[:：]\s*"
    r"(?P<value>\S+(?:\s\d{1,2}:\d{2}(?::\d{2})?)?)"
)
_FACT_FIELDS = {"来源": "name", "发布时间": "published", "发布日期": "published", "责任编辑": "editor", "编辑": "editor",
                "本文链接": "url", "信息索引号": "index_no", "索引号": "index_no"}  # fmt: skip


def _facts_in(line: str) -> WebFacts:
    """Facts in a line that also holds other things (a footer with 本文链接：…, a 信息索引号 table row)."""
    values: dict[str, str] = {}
    for match in _FACT.finditer(line):
        key = _FACT_FIELDS[match["label"]]
        if key != "url" or match["value"].startswith("http"):
            values.setdefault(key, match["value"])
    return WebFacts(**values)


def _blocks(root: Tag) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []

    def flush() -> None:
        text = collapse_spaces("".join(current))
        if text:
            blocks.append(Block(text))
        current.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment or CDATA
                    current.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "br":
                flush()
            elif child.name == "table" and not _is_layout_table(child):
                flush()
                blocks.append(Block(_markdown_table(child), table=True))
            elif child.name in _BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return blocks


def _is_layout_table(table: Tag) -> bool:
    rows = table.find_all("tr")
    return all(len(row.find_all(["td", "th"], recursive=False)) <= 1 for row in rows)


def _markdown_table(table: Tag) -> str:
    rows = []
    for row in table.find_all("tr"):
        cells = []
        for cell in row.find_all(["td", "th"], recursive=False):
            parts = [collapse_spaces(p.get_text(" ")) for p in cell.find_all(["p", "div"])] or [
                collapse_spaces(cell.get_text(" "))
            ]
            text = "<br>".join(part for part in parts if part)
            cells.append(text.replace("|", "\\|"))
            span = str(cell.get("colspan") or "1")
            cells += [""] * (
                min(int(span), MAX_COLSPAN) - 1 if span.isascii() and span.isdigit() and len(span) < 6 else 0
            )
        rows.append(cells)
    width = max((len(row) for row in rows), default=1)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(["---"] * width) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)
