"""Facts that web copies of a notice carry around it: 来源, 发布时间/发布日期, 编辑, 本文链接, 信息索引号.

They come as lines of a .txt copied from a web page (``来源：张家界廉政网``), or as the info bar of a saved page
(``来源：青岚廉政网  发布时间：2023-10-25 09:30  【字体：大 中 小】【打印】【关闭】``). The page widgets in such a line
(字体大小, 打印, 分享, 关闭, 浏览次数) are chrome, not content: they are dropped and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from xuncha_site.importer.dates import find_dates

# label → field; longest labels first so that 信息索引号 wins over 索引号.
_LABELS: dict[str, str] = {
    "信息索引号": "index_no",
    "索引号": "index_no",
    "文章来源": "name",
    "信息来源": "name",
    "来源": "name",
    "责任编辑": "editor",
    "编辑": "editor",
    "作者": "editor",
    "本文链接": "url",
    "原文链接": "url",
    "文章链接": "url",
    "原文地址": "url",
    "发布时间": "published",
    "发布日期": "published",
    "发表时间": "published",
    "成文日期": "",  # known but not a source fact: the notice date is in the signature
    "发布机构": "",
    "主题分类": "",
    "发文字号": "",
    "文号": "",
    "所属机构": "",
    "公开方式": "",
    "有效性": "",
    "浏览次数": "",
    "点击数": "",
    "阅读次数": "",
    "访问量": "",
}
_LABEL_ALT = "|".join(sorted(_LABELS, key=len, reverse=True))
_PAIR = re.compile(rf"(?P<label>{_LABEL_ALT})\s*[:：]\s*")
_CHROME = re.compile(
    r"【?\s{0,4}(?:字体|字号)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小\s*[】\]]?\s*】?"
    r"|【\s*(?:打印(?:本页|文章|此页)?|关闭(?:窗口|本页)?|收藏|返回顶部|返回|保存)\s*】"
    r"|(?:分享到|分享)\s*[:：]?(?:\s*(?:微信|微博|QQ空间|QQ|朋友圈|新浪微博|腾讯微博))*"
    r"|(?<![\u4e00-\u9fff])(?:打印本页|关闭窗口|打印|关闭|收藏本页|返回顶部)(?![\u4e00-\u9fff])"
    r"|\[\s*(?:打印|关闭|返回)\s*\]"
)


@dataclass(frozen=True)
class WebFacts:
    """What a web copy says about the notice; empty strings when not stated."""

    name: str = ""
    url: str = ""
    editor: str = ""
    index_no: str = ""
    published: str = ""  # as written: 2020-12-07 10:23 or 2020年12月07日

    def merged(self, other: WebFacts) -> WebFacts:
        """These facts, with gaps filled from ``other``."""
        return replace(
            self,
            **{
                name: getattr(self, name) or getattr(other, name)
                for name in ("name", "url", "editor", "index_no", "published")
            },
        )

    def is_empty(self) -> bool:
        return not (self.name or self.url or self.editor or self.index_no or self.published)


@dataclass(frozen=True)
class MetaLine:
    facts: WebFacts
    chrome: tuple[str, ...]  # widget texts found in the line, dropped


def read_meta_line(line: str) -> MetaLine | None:
    """The facts in a line made only of ``label：value`` pairs and page widgets; None for any other line."""
    text = line.strip()
    chrome = tuple(m[0].strip() for m in _CHROME.finditer(text) if m[0].strip())
    rest = _CHROME.sub(" ", text).strip()
    pairs = list(_PAIR.finditer(rest))
    if not pairs:
        return MetaLine(WebFacts(), chrome) if chrome and not rest.strip(" |｜/") else None
    if rest[: pairs[0].start()].strip(" |｜/"):
        return None
    values: dict[str, str] = {}
    for index, pair in enumerate(pairs):
        end = pairs[index + 1].start() if index + 1 < len(pairs) else len(rest)
        value = rest[pair.end() : end].strip(" |｜/\u3000\t")
        field = _LABELS[pair["label"]]
        if not value and field:
            return None
        if field == "url" and not re.match(r"^https?://\S+$", value):
            return None
        if field == "published" and not next(find_dates(value), None):
            return None
        if field == "name" and len(value) > 40:
            return None  # a sentence that happens to start with 来源, not a byline
        if field and not values.get(field):
            values[field] = value
    return MetaLine(WebFacts(**values), chrome)


def is_chrome_only(line: str) -> bool:
    """A line that holds nothing but page widgets (【打印】【关闭】, 分享到…)."""
    meta = read_meta_line(line)
    return meta is not None and meta.facts.is_empty() and bool(meta.chrome)
