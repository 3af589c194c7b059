"""Facts that web copies of a notice carry around it: 来源, 发布时间/发布日期, 编辑, 本文链接, 信息索引号, 成文日期.

They come as lines of a .txt copied from a web page (``来源：张家界廉政网``), or as the info bar of a saved page
(``来源：青岚廉政网  发布时间：2023-10-25 09:30  【字体：大 中 小】【打印】【关闭】``). The page widgets in such a line
(字体大小, 打印, 分享, 关闭, 浏览次数) are chrome, not content: they are left out and listed in the import report, so
that every piece of the source ends up in the record or in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from xuncha_site.importer.dates import find_dates

# label → field; "" for labels whose value is page chrome (a hit counter, a widget). Longest labels are tried first
# so that 信息索引号 wins over 索引号 and 发布时间 over 时间.
_LABELS: dict[str, str] = {
    "信息索引号": "index_no",
    "索引号": "index_no",
    "文章来源": "name",
    "信息来源": "name",
    "稿件来源": "name",
    "稿源": "name",
    "来源": "name",
    "出处": "name",
    "责任编辑": "editor",
    "编辑": "editor",
    "作者": "editor",
    "本文链接": "url",
    "原文链接": "url",
    "文章链接": "url",
    "原文地址": "url",
    "首发地址": "url",
    "发布时间": "published",
    "发布日期": "published",
    "发表时间": "published",
    "发表日期": "published",
    "发文日期": "published",
    "日期": "published",
    "时间": "published",
    "成文日期": "written",  # the date the notice was signed: its 落款日期 when the copy lost the signature
    "生成日期": "written",
    "文件名称": "title",
    "标题": "title",
    "发布机构": "",
    "发文机关": "",
    "主题分类": "",
    "发文字号": "",
    "文号": "",
    "所属机构": "",
    "公开方式": "",
    "公开范围": "",
    "有效性": "",
    "浏览次数": "",
    "浏览量": "",
    "浏览": "",
    "点击数": "",
    "点击量": "",
    "点击": "",
    "阅读次数": "",
    "阅读量": "",
    "阅读": "",
    "访问量": "",
    "字体大小": "",
    "字号": "",
    "字体": "",
    "保护视力色": "",
    "视力保护色": "",
    "分享": "",
    "分享到": "",
    "页面": "",
    "对比度": "",
}
_LABEL_ALT = "|".join(sorted(_LABELS, key=len, reverse=True))
_PAIR = re.compile(rf"(?P<label>{_LABEL_ALT})\s*[:：]\s*")
_CHROME = re.compile(
    r"【?\s{0,4}(?:字体大小|字体|字号)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小\s*[】\]]?\s*】?"
    r"|【\s*(?:打印(?:本页|文章|此页)?|关闭(?:窗口|本页)?|收藏|返回顶部|返回|保存)\s*】"
    r"|(?:分享到|分享)\s*[:：]?(?:\s*(?:微信|微博|QQ空间|QQ|朋友圈|新浪微博|腾讯微博))*"
    r"|(?<![\u4e00-\u9fff])(?:打印本页|关闭窗口|打印|关闭|收藏本页|返回顶部|朗读|语音播报)(?![\u4e00-\u9fff])"
    r"|\[\s*(?:打印|关闭|返回)\s*\]"
)
# A date (and time) written before the first label: 2021-02-23 12:42:06来源：广州市住房和城乡建设局.
_LEADING_TIME = re.compile(r"^\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_BRACKETS = (("（", "）"), ("(", ")"), ("【", "】"), ("[", "]"))


@dataclass(frozen=True)
class WebFacts:
    """What a web copy says about the notice; empty strings when not stated."""

    name: str = ""
    url: str = ""
    editor: str = ""
    index_no: str = ""
    published: str = ""  # as written: 2020-12-07 10:23 or 2020年12月07日
    title: str = ""  # a 文件名称 or a mirror's title: the notice's title when its text has none
    written: str = ""  # 成文日期 of a 信息公开 page, as written
    site: str = ""  # the website's name (东莞纪检监察网), from a site-name line

    def merged(self, other: WebFacts) -> WebFacts:
        """These facts, with gaps filled from ``other``."""
        return replace(self, **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Dropped:
    """A piece of the source left out of the record as page chrome, and what it is (in Chinese, for the report)."""

    text: str
    what: str


@dataclass(frozen=True)
class MetaLine:
    facts: WebFacts
    chrome: tuple[str, ...]  # widget texts and hit counters found in the line, left out


def read_meta_line(line: str) -> MetaLine | None:
    """The facts in a line made only of ``label：value`` pairs and page widgets; None for any other line."""
    text = line.strip()
    for opening, closing in _BRACKETS:  # （责任编辑：王某）
        if text.startswith(opening) and text.endswith(closing) and text.count(opening) == 1:
            text = text[1:-1].strip()
    chrome = [m[0].strip() for m in _CHROME.finditer(text) if m[0].strip()]
    rest = _CHROME.sub(" ", text).strip()
    pairs = list(_PAIR.finditer(rest))
    if not pairs:
        return MetaLine(WebFacts(), tuple(chrome)) if chrome and not rest.strip(" |｜/:：") else None
    values: dict[str, str] = {}
    before = rest[: pairs[0].start()].strip(" |｜/\u3000\t")
    if before:
        leading = _LEADING_TIME.fullmatch(before)
        if not leading:
            return None
        values["published"] = before
    for index, pair in enumerate(pairs):
        end = pairs[index + 1].start() if index + 1 < len(pairs) else len(rest)
        value = rest[pair.end() : end].strip(" |｜/\u3000\t【[")
        field = _LABELS[pair["label"]]
        if not field:
            chrome.append(rest[pair.start() : end].strip())
            continue
        if not value:
            return None
        if field == "url" and not re.match(r"^https?://\S+$", value):
            return None
        if field in ("published", "written") and not next(find_dates(value), None):
            return None
        if field == "name" and len(value) > 40:
            return None  # a sentence that happens to start with 来源, not a byline
        if field == "title" and len(value) > 120:
            return None
        if not values.get(field):
            values[field] = value
    return MetaLine(WebFacts(**values), tuple(chrome))


def is_chrome_only(line: str) -> bool:
    """A line that holds nothing but page widgets (【打印】【关闭】, 分享到…)."""
    meta = read_meta_line(line)
    return meta is not None and meta.facts.is_empty() and bool(meta.chrome)
