"""Page chrome in a notice copied from a web page, before its title and after its signature.

Editors copy notices from a unit's website, a portal or a reprint: the copy starts with the site's name, breadcrumbs
(当前位置：首页 > …), an info bar (来源：… 发布日期：… 【字体大小】), a 信息公开 catalogue block (信息索引号 / 发布机构 /
成文日期 / 公开方式), widgets (朗读, 分享), and ends with the page footer (版权所有, ICP备案, 网站地图, a row of site
navigation, 上一篇/下一篇, 扫一扫, a link to the first publication). None of that is the notice; the facts in it (来源,
发布日期, the original URL, 信息索引号, 成文日期) are kept, the rest is listed in the import report.

:func:`read_head` finds the title and where the notice's text starts; :func:`read_tail` takes the chrome off the end.
Both only ever look at the edges of the text: in the middle of a notice nothing is taken for chrome.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from xuncha_site.importer.dates import parse_full_date
from xuncha_site.importer.metadata import Dropped, WebFacts, read_meta_line
from xuncha_site.importer.sources import Block

# The parser passes these in: it owns what a title and the notice's own text look like.
TitleTest = Callable[[list[Block], int, int], tuple[str, int]]
TextTest = Callable[[str], bool]

_BULLET = re.compile(r"^[•·●▪◆◇■□○◎►▶>\-*]\s*")
_BREADCRUMB = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|您当前的位置|您所在的位置|当前所在位置|所在位置|位置|导航)\s*[:：]"
    r"|首页\s*(?:>|&gt;|»|›|＞|→|/|-|>>|\\>)"
)
# Words only a page footer has; and words a footer has that a sentence of a notice might have too (技术支持): those
# count only in a line that is no sentence.
_FOOTER = re.compile(
    r"版权所有|版权归|Copyright|©|\(c\)\s*\d{4}|ICP备|ICP证|公网安备|网站标识码|网站识别码", re.IGNORECASE
)
_FOOTER_WORDS = re.compile(
    r"主办单位|主办\s*[:：]|承办单位|承办\s*[:：]|协办单位|技术支持|运维单位|网站地图|联系我们|网站声明|免责声明|"
    r"隐私(?:政策|声明)|建议使用.{0,20}浏览器|分辨率|政府网站找错|我要纠错|无障碍|适老化|长者模式|关怀版|返回顶部|返回首页"
)
_PAGER = re.compile(
    r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页|相关文章|相关链接|相关阅读|相关新闻|推荐阅读|热点文章|热门文章|延伸阅读)"
)
_QRCODE = re.compile(r"扫一扫|二维码|手机扫码|扫码|在手机(?:上)?打开|手机阅读|用手机看")
# Words of page widgets; a line made of nothing else (and punctuation) is a row of buttons.
_WIDGET_WORDS = re.compile(
    r"字体大小|字体|字号|页面|对比度|高对比度|护眼模式|保护视力色|视力保护色|默认|打印本页|打印|关闭窗口|关闭|收藏本页|收藏|"
    r"分享到|分享|朗读|听全文|语音播报|返回顶部|返回|纠错|扫一扫|微信|微博|朋友圈|QQ空间|QQ|复制链接|大|中|小|A\+|A-|"
    r"\+|－|【|】|\[|\]|[|｜:：·•、\s]"
)
_SITE_NAME = re.compile(
    r"^[\u4e00-\u9fff]{2,20}(?:纪检监察网|廉政网|风纪网|清风网|政府网|门户网站|政府门户|人民政府网|网站|信息网|新闻网|之窗|在线|官网|网)$"
)
_COLUMN = re.compile(
    r"^[\u4e00-\u9fff]{2,10}(?:公告|公示|动态|要闻|新闻|通知|专栏|专题|整改|巡察|巡视|公开|信息|工作|反馈|情况)$"
)
_INDEX_NO = re.compile(r"^[0-9A-Z]{6,24}\s*/\s*\d{4}\s*-\s*\d{2,10}$")
_DISCLOSURE = re.compile(r"^(?:主动公开|依申请公开|不予公开|免予公开|部分公开|公开|有效|长期有效|现行有效)$")
_ISO_TIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_LINK = re.compile(r"^!?\[(?P<text>[^\]]{0,80})\]\((?P<url>[^)\s]{1,500})\)$")
_ORIGINAL_LINK = re.compile(r"首发|原文|来源|出处|原始|阅读全文|查看原文")
_LABEL_ONLY = re.compile(
    r"^(?P<label>信息索引号|索引号|文件名称|名称|标题|发布机构|发文机关|成文日期|生成日期|发布日期|发文日期|公开方式|公开范围|"
    r"主题分类|文号|发文字号|有效性|所属机构|来源|信息来源|编辑|责任编辑|本文链接)\s*[:：]$"
)
_LABEL_FIELD = {
    "信息索引号": "index_no",
    "索引号": "index_no",
    "文件名称": "title",
    "名称": "title",
    "标题": "title",
    "成文日期": "written",
    "生成日期": "written",
    "发布日期": "published",
    "发文日期": "published",
    "来源": "name",
    "信息来源": "name",
    "编辑": "editor",
    "责任编辑": "editor",
    "本文链接": "url",
}
_SENTENCE = re.compile(r"[。；;！？!?]")
_NAV_TOKEN = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,10}$")
_CLAUSE_START = re.compile(r"^(?:根据|按照|依据|据|为|经|遵照|在|今年|近日|日前|\d{4}年)")


@dataclass
class Edge:
    """What the head or the tail of a text held besides the notice."""

    facts: WebFacts = field(default_factory=WebFacts)
    dropped: list[Dropped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def take(self, facts: WebFacts) -> None:
        self.facts = self.facts.merged(facts)

    def drop(self, text: str, what: str) -> None:
        if text.strip():
            self.dropped.append(Dropped(text.strip(), what))


@dataclass
class Head(Edge):
    title: str = ""
    start: int = 0  # the first block of the notice's own text after the title


def unbullet(text: str) -> str:
    """A line without the list bullet a copied page puts before it (• 信息索引号：)."""
    return _BULLET.sub("", text, count=1).strip() if text[:1] in "•·●▪◆◇■□○◎►▶" else text


def chrome_kind(text: str) -> str | None:
    """What page element ``text`` is, in Chinese (面包屑导航, 页脚, 页面按钮…), or None when it may be notice text."""
    line = unbullet(text.strip())
    return _strong_kind(line) or ("网站名称" if _SITE_NAME.match(line) else None)


def _strong_kind(line: str) -> str | None:
    """The page elements that no line of a notice looks like."""
    if not line:
        return None
    if _BREADCRUMB.search(line):
        return "面包屑导航"
    if _PAGER.match(line):
        return "上一篇/下一篇、相关文章链接"
    sentence = bool(_SENTENCE.search(line))
    if (_FOOTER.search(line) and (len(line) <= 200 or not sentence)) or (
        _FOOTER_WORDS.search(line) and not sentence and len(line) <= 200
    ):
        return "网页页脚"
    if _QRCODE.search(line) and len(line) <= 40 and not sentence:
        return "二维码、分享按钮"
    if not _WIDGET_WORDS.sub("", line):
        return "页面按钮（字号、打印、分享等）"
    if _LINK.match(line):
        return "链接"
    if _URL.match(line):
        return "网址"
    if _is_nav_row(line):
        return "网站导航栏"
    return None


def is_strong_chrome(text: str) -> bool:
    """A line that is page chrome wherever it stands (a breadcrumb, a footer, a row of buttons, a bare URL)."""
    return _strong_kind(unbullet(text.strip())) is not None or read_meta_line(text) is not None


def _is_nav_row(line: str) -> bool:
    tokens = [t for t in re.split(r"[\s|｜·•/丨]+", line) if t]
    return len(tokens) >= 3 and all(_NAV_TOKEN.match(t) for t in tokens) and not _SENTENCE.search(line)


def link_facts(text: str) -> tuple[WebFacts, bool] | None:
    """The original URL in a link or URL line (``[转入文章首发地址](http…)``, ``http://…/art/1.html``).

    Returns the facts and whether the URL is the article's own address (not only the site's home page); None when
    the line is not a link.
    """
    line = text.strip()
    link = _LINK.match(line)
    if link:
        url = link["url"]
        if not re.match(r"^https?://", url) or line.startswith("!"):
            return WebFacts(), False
        article = bool(_ORIGINAL_LINK.search(link["text"])) or link["text"] in ("", url)
        return (WebFacts(url=url), True) if article and _has_path(url) else (WebFacts(), False)
    if _URL.match(line) and re.match(r"^https?://", line, re.IGNORECASE):
        return (WebFacts(url=line), True) if _has_path(line) else (WebFacts(), False)
    return None


def _has_path(url: str) -> bool:
    path = re.sub(r"^https?://[^/]+", "", url)
    return path not in ("", "/") and not re.fullmatch(r"/(?:index\.\w+)?", path)


def read_head(blocks: list[Block], end: int, is_title: TitleTest, is_text: TextTest) -> Head:
    """The title and the first block of the notice's text; chrome and facts before them.

    ``is_title(blocks, i, end)`` gives the title starting at block ``i`` and how many blocks it spans (a title may be
    broken over lines); ``is_text(text)`` says whether a line is the notice's own text (its preamble, a part heading,
    a problem). Short lines before the title that are none of the known kinds are taken as chrome too, and the report
    says so; when no text follows them, nothing is taken that way.
    """
    head = _read_head(blocks, end, is_title, is_text, guess=True)
    if head.start >= end:
        head = _read_head(blocks, end, is_title, is_text, guess=False)
    return head if head.start < end else Head()


def _read_head(blocks: list[Block], end: int, is_title: TitleTest, is_text: TextTest, *, guess: bool) -> Head:
    head = Head()
    index = 0
    while index < end:
        step = _head_step(head, blocks, index, end, is_title, is_text, guess)
        if step == 0:
            break
        index += step
        head.start = index
    return head


def _head_step(
    head: Head, blocks: list[Block], index: int, end: int, is_title: TitleTest, is_text: TextTest, guess: bool
) -> int:
    """How many blocks at ``index`` are title, facts or chrome (recorded in ``head``); 0 when the text starts there."""
    block = blocks[index]
    if block.table:
        return 1 if _table_facts(head, block) else 0
    text = unbullet(block.text)
    label = _LABEL_ONLY.match(text)
    if label and index + 1 < end and not blocks[index + 1].table:
        return 1 + _labelled_value(head, label["label"], block.text, unbullet(blocks[index + 1].text))
    meta = read_meta_line(text)
    if meta is not None:
        facts = meta.facts
        if facts.title:
            if not head.title:
                head.title = facts.title
            elif not _same(facts.title, head.title):
                head.drop(facts.title, "网页信息栏（文件名称）")
            facts = WebFacts(**{**vars(facts), "title": ""})
        head.take(facts)
        for piece in meta.chrome:
            head.drop(piece, "网页信息栏")
        return 1
    title, crumbs = _title_in_breadcrumb(text, is_title)
    if title:
        site = crumbs.split()[0]
        if _SITE_NAME.match(site):
            head.take(WebFacts(site=site))
        head.drop(crumbs, "网站名称和栏目（标题前的导航）")
        count = 1
    else:
        title, count = is_title(blocks, index, end)
    if title:
        if not head.title:
            head.title = title
        elif _same(title, head.title):
            head.drop(" ".join(b.text for b in blocks[index : index + count]), "重复的标题")
        else:
            return 0
        return count
    found = link_facts(text)
    if found is not None and found[1]:
        head.take(found[0])
        if _link_text(text):
            head.drop(_link_text(text), "原文链接的文字")
        return 1
    kind = _strong_kind(text)
    if kind:
        head.drop(block.text, kind)
    elif _INDEX_NO.match(text):
        head.take(WebFacts(index_no=re.sub(r"\s+", "", text)))
    elif _DISCLOSURE.match(text):
        head.drop(block.text, "信息公开目录（公开方式）")
    elif _ISO_TIME.match(text) or parse_full_date(text):
        if head.facts.published:
            head.drop(block.text, "网页上的日期")
        else:
            head.take(WebFacts(published=text))
            head.notes.append(f"正文之前单独一行的日期“{text}”看作网页的发布日期，请核对")
    elif is_text(text):
        return 0
    elif _SITE_NAME.match(text):
        head.take(WebFacts(site=text))
        head.drop(block.text, "网站名称")
    elif _COLUMN.match(text):
        head.drop(block.text, "网页栏目名称")
    elif guess and _may_be_page_text(text):
        head.drop(block.text, "正文之前的网页文字")
        head.notes.append(f"正文之前的“{_short(text)}”看作网页上的文字，已略去；如是通报原文，请补回正文")
    else:
        return 0
    return 1


def _table_facts(edge: Edge, block: Block) -> bool:
    """An info bar laid out as a table (来源 | 发布时间 | 浏览次数): its facts taken, its widgets dropped.

    Only a table every cell of which is a ``label：value`` pair or a widget counts; any other table is the notice's.
    """
    cells = [
        cell.strip()
        for row in block.text.split("\n")
        if not re.fullmatch(r"\|(?:\s*-{3,}\s*\|)+", row.strip())
        for cell in row.strip().strip("|").split("|")
        if cell.strip()
    ]
    found = [read_meta_line(cell) for cell in cells]
    if not cells or any(meta is None for meta in found):
        return False
    for cell, meta in zip(cells, found, strict=True):
        assert meta is not None
        edge.take(meta.facts)
        for piece in meta.chrome:
            edge.drop(piece, "网页信息栏")
        if meta.facts.is_empty() and not meta.chrome:
            edge.drop(cell, "网页信息栏")
    return True


def _may_be_page_text(text: str) -> bool:
    """A short line before the title that is no sentence and no title of any script (a column name, a publisher)."""
    return (
        len(text) <= 20
        and not _SENTENCE.search(text)
        and not _CLAUSE_START.match(text)
        and not re.search(r"(?:通[报報]|[报報]告|情[况況]|公告|公示)$", text)
    )


def _labelled_value(head: Head, label: str, label_line: str, value: str) -> int:
    """A 信息公开 catalogue entry written as a label line and a value line; returns how many value lines it took."""
    key = _LABEL_FIELD.get(label, "")
    if not value or _LABEL_ONLY.match(value):
        head.drop(label_line, "信息公开目录（空项）")
        return 0
    head.drop(label_line, "信息公开目录的项目名")
    if key == "title":
        if not head.title:
            head.title = value
        elif not _same(value, head.title):
            head.drop(value, "信息公开目录（文件名称）")
        return 1
    if key in ("written", "published") and not parse_full_date(value) and not _ISO_TIME.match(value):
        head.drop(value, f"信息公开目录（{label}）")
        return 1
    if key == "url" and not re.match(r"^https?://\S+$", value):
        head.drop(value, f"信息公开目录（{label}）")
        return 1
    if key:
        head.take(WebFacts(**{key: value}))
    else:
        head.drop(value, f"信息公开目录（{label}）")
    return 1


def _title_in_breadcrumb(text: str, is_title: TitleTest) -> tuple[str, str]:
    """``梅州市人民政府门户网站 梅州市交通运输局 政务公告 中共…的通报``: the title at the end of a row of names.

    Only a whole title (an issuer before 关于) counts, so that a title written with a space is not split.
    """
    parts = text.rsplit(None, 1)
    if len(parts) != 2 or len(parts[0]) > 80 or _SENTENCE.search(parts[0]):
        return "", ""
    found = parts[1].find("关于")
    if found < 4:
        return "", ""
    title, _ = is_title([Block(parts[1])], 0, 1)
    return (title, parts[0]) if title else ("", "")


def could_be_title_line(text: str) -> bool:
    """Whether a line may be (part of) a title: not chrome, not a catalogue value, some Chinese words."""
    line = text.strip()
    return (
        len(re.findall(r"[\u4e00-\u9fff]", line)) >= 4
        and line[:1] not in "•·●▪◆◇■□○◎►▶"
        and not is_strong_chrome(line)
        and not (_INDEX_NO.match(line) or _DISCLOSURE.match(line) or _ISO_TIME.match(line) or _LABEL_ONLY.match(line))
        and not (_SITE_NAME.match(line) or _COLUMN.match(line))
    )


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def read_tail(blocks: list[Block], start: int, end: int) -> tuple[int, Edge]:
    """Where the notice's text ends (before the page footer), and the facts and chrome after it."""
    tail = Edge()
    lines: list[list[Dropped]] = []  # per line, last line first
    while end > start:
        lines.append([])
        tail.dropped = lines[-1]
        block = blocks[end - 1]
        if block.table:
            if not _table_facts(tail, block):
                break
            end -= 1
            continue
        text = block.text
        meta = read_meta_line(text)
        if meta is not None:
            tail.take(meta.facts)
            for piece in meta.chrome:
                tail.drop(piece, "网页信息栏")
            end -= 1
            continue
        found = link_facts(text)
        if found is not None and found[1] and not tail.facts.url:
            tail.take(found[0])
            tail.drop(_link_text(text), "原文链接的文字")
            end -= 1
            continue
        kind = chrome_kind(text)
        if kind is None:
            break
        tail.drop(text, kind)
        end -= 1
    tail.dropped = [item for line in reversed(lines) for item in line]
    return end, tail


def _link_text(text: str) -> str:
    link = _LINK.match(text.strip())
    return link["text"] if link else ""


def is_footer_line(text: str) -> bool:
    """A line after the signature that cannot be the notice's text: no sentence in it, or a footer's words."""
    line = text.strip()
    if chrome_kind(line) or read_meta_line(line) is not None:
        return True
    if re.match(r"^附\s*件", line) or re.search(r"巡[察视]组", line):
        return False
    return len(line) <= 120 and not _SENTENCE.search(line)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
