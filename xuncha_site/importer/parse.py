"""Text of a notice → its structure: title, preamble, parts, the problem tree, contact paragraph and signature.

The input is the blocks of a :class:`~.sources.SourceDocument` in order. Nothing is thrown away: every block ends up in
exactly one place — the title, a web fact, the contact paragraph, the signature, or the body (preamble, a part's text,
a problem node's heading or text). Page chrome around the notice (:mod:`.chrome`: breadcrumbs, info bars, widgets,
footers) is the one exception; it is listed in ``dropped`` and the import report shows every piece of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from xuncha_site.core.model import Counts
from xuncha_site.importer.chrome import could_be_title_line, is_footer_line, read_head, read_tail, unbullet
from xuncha_site.importer.contacts import ContactFound, is_contact_continuation, is_contact_line, read_contact
from xuncha_site.importer.counts import find_counts
from xuncha_site.importer.dates import DATE_RE, cn_number, find_dates, parse_full_date, resolve
from xuncha_site.importer.facts import PreambleFacts, RoundName, find_round_name, find_stage, read_preamble
from xuncha_site.importer.metadata import Dropped, WebFacts
from xuncha_site.importer.sources import Block, SourceDocument
from xuncha_site.importer.traditional import might_be_traditional, simplified_view

MAX_DEPTH = 3

_PART = re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<rest>\S.*)$")
_TITLE_END = re.compile(r"(?:通报|报告|公告|公示|情况|通告)[)）]?$")
_TITLE_HINT = re.compile(r"关于|^【[^】]{1,12}】|巡[察视]|整改")
_SENTENCE_START = re.compile(r"^(?:根据|按照|据|为|经|\d{4}年|近日|日前)")
_LABEL = re.compile(
    r"^(?:整改(?:落实)?(?:情况|措施|举措|进展|进度|结果|成效|落实情况|工作)|具体整改措施|完成情况|落实情况|进展情况|整改方向|"
    r"主要措施|工作措施)\s*[:：]"
)
_CLOSING = re.compile(r"^特此(?:通报|公告|公示|报告)[。.]?$")
_ORG_END = re.compile(
    r"(?:党组|党委|委员会|党工委|总支部?|支部|机关|局|院|办公室|政府|中心|公司|集团|学校|医院|巡察办|小组)$"
)

# Marker styles of problem headings, in the order they are tried.
_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aspect", re.compile(r"^第(?P<n>[一二三四五六七八九十]+)(?:方面|部分|类|项)")),
    ("problem_n", re.compile(r"^问题\s*(?P<n>[一二三四五六七八九十\d]+)\s*[:：、.．]")),
    ("category", re.compile(r"^[(（]\s*(?P<n>[一二三四五六七八九十]+)\s*[)）]")),
    ("number", re.compile(r"^(?P<n>\d{1,3})\s*[.．、](?!\d)")),
    ("paren_number", re.compile(r"^[(（]\s*(?P<n>\d{1,3})\s*[)）]")),
    ("circled", re.compile(r"^(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
    ("yishi", re.compile(r"^(?P<n>[一二三四五六七八九十]+)是")),
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class Node:
    """A problem node: its heading as written and the blocks under it."""

    title: str
    level: int
    blocks: tuple[Block, ...] = ()
    children: tuple[Node, ...] = ()

    def leaves(self) -> int:
        return sum(child.leaves() for child in self.children) if self.children else 1


@dataclass(frozen=True)
class Section:
    """A part (一、二、三、): its heading, its text before the first problem node, and the nodes."""

    title: str
    blocks: tuple[Block, ...] = ()
    nodes: tuple[Node, ...] = ()
    added: bool = False  # heading added by the importer because the text has no parts


@dataclass(frozen=True)
class ParsedNotice:
    title: str  # as written; "" when the text has none
    preamble: tuple[Block, ...]
    sections: tuple[Section, ...]
    contact: ContactFound | None
    issuer: str
    notice_date: date | None
    web: WebFacts
    facts: PreambleFacts
    round_name: RoundName | None
    counts: Counts
    counts_sentences: tuple[str, ...]
    stage: str
    stage_sure: bool
    notes: tuple[str, ...]  # what the importer was unsure of, in Chinese
    dropped: tuple[Dropped, ...]  # page chrome left out, for the report
    signature: tuple[str, ...] = ()  # the signature's lines as written (issuer and date are read from them)
    undated: str = ""  # the signature's date as written when no year could be found for it ("6月10日")

    @property
    def problems(self) -> tuple[Node, ...]:
        return next((section.nodes for section in self.sections if section.nodes), ())


@dataclass
class _Builder:
    title: str
    level: int
    style: str
    blocks: list[Block] = field(default_factory=list)
    children: list[_Builder] = field(default_factory=list)
    in_measures: bool = False  # a 整改措施：/整改情况： paragraph started: deeper numbering is its text

    def freeze(self) -> Node:
        return Node(self.title, self.level, tuple(self.blocks), tuple(child.freeze() for child in self.children))


def parse_notice(document: SourceDocument) -> ParsedNotice:
    """The structure of a notice; never fails: what it cannot place stays in the body, and ``notes`` says so."""
    view = simplified_view(document) if might_be_traditional(document) else None
    if view is None:
        return _parse_notice(document)
    simplified, restore = view
    notice: ParsedNotice = restore(_parse_notice(simplified))
    note = "原文是繁体字：各项按对应的简体字识别，记录中保留原文用字"
    return replace(notice, notes=(*notice.notes, note))


def _parse_notice(document: SourceDocument) -> ParsedNotice:
    notes: list[str] = list(document.notes)
    blocks = list(document.blocks)

    # Page chrome and web facts before the title and after the signature (a .txt copied from a page carries them too).
    head = read_head(blocks, len(blocks), _title_at, _is_text)
    start, title = head.start, head.title
    end, tail = read_tail(blocks, start, len(blocks))
    signature_at, issuer, notice_date, date_text = _signature(blocks, start, end)
    footer: list[Dropped] = []
    if signature_at == end:
        after = _signature_before_footer(blocks, start, end)
        if after is not None:
            footer = [Dropped(b.text, "落款之后的网页文字") for b in blocks[after:end]]
            end = after
            signature_at, issuer, notice_date, date_text = _signature(blocks, start, end)
    dropped = [*document.dropped, *head.dropped, *footer, *tail.dropped]
    notes += head.notes + tail.notes
    web = head.facts.merged(tail.facts).merged(document.facts)
    web, source_notes, source_dropped = _source_name(web)
    notes += source_notes
    dropped += source_dropped

    body_end = signature_at
    contact_span = _contact_span(blocks, start, body_end)
    contact = read_contact([b.text for b in blocks[contact_span[0] : contact_span[1]]]) if contact_span else None
    body = [
        block
        for index, block in enumerate(blocks[start:end], start)
        if not (contact_span and contact_span[0] <= index < contact_span[1]) and not signature_at <= index
    ]
    preamble, sections = _sections(body, notes)
    preamble_text = "".join(b.text for b in preamble) or (
        sections[0].blocks[0].text if sections and sections[0].blocks else ""
    )
    hint = notice_date or _published_day(web.published) or _published_day(web.written)
    facts = read_preamble(preamble_text, hint)
    if notice_date is None and date_text:
        notice_date = _yearless(date_text, facts.feedback_date or facts.inspection_end)
    if notice_date is None and web.written:
        notice_date = _published_day(web.written)
        if notice_date:
            notes.append(f"原文没有落款日期：落款日期按网页上的成文日期填写为 {notice_date.isoformat()}，请核对")
    narrative = [b.text for b in preamble if not b.table]
    for section in sections:
        narrative += [b.text for b in section.blocks if not b.table]
    counts = find_counts(narrative)
    round_name = find_round_name(title, preamble_text)
    if round_name is None:
        round_name = find_round_name(*narrative)
        if round_name is not None:
            notes.append(f"标题和开头语没有写明轮次：按正文中的“{round_name.text}”识别，请核对")
    stage, stage_sure = find_stage(title, preamble_text)
    if not issuer and title and "关于" in title:
        issuer = re.sub(r"^【[^】]*】\s*", "", title.split("关于")[0]).strip()
        if issuer:
            notes.append(f"原文没有落款，发布单位按标题取为“{issuer}”，请核对")
    return ParsedNotice(
        title=title,
        preamble=tuple(preamble),
        sections=tuple(sections),
        contact=contact,
        issuer=issuer,
        notice_date=notice_date,
        web=web,
        facts=facts,
        round_name=round_name,
        counts=counts.counts,
        counts_sentences=counts.sentences,
        stage=stage,
        stage_sure=stage_sure,
        notes=tuple(notes),
        dropped=tuple(dropped),
        signature=tuple(b.text for b in blocks[signature_at:end]),
        undated=date_text if notice_date is None else "",
    )


def _is_text(text: str) -> bool:
    """A line of the notice's own text: its preamble, a part heading or a problem heading."""
    return bool(_SENTENCE_START.match(text) or "。" in text or _PART.match(text) or _style(text, allow_yishi=True))


def _title_at(blocks: list[Block], index: int, end: int) -> tuple[str, int]:
    title, after = _title(blocks, index, end)
    return title, after - index


def _source_name(web: WebFacts) -> tuple[WebFacts, list[str], list[Dropped]]:
    """来源：本网 means the page's own site: its name when the page gives it, else left for the editor."""
    if web.name not in ("本网", "本站", "本网站"):
        return web, [], []
    if web.site:
        note = f"网页的来源写作“{web.name}”：已按网站名称填写为“{web.site}”，请核对"
        return replace(web, name=web.site), [note], [Dropped(f"来源：{web.name}", "网页信息栏（来源指原网站自身）")]
    note = f"网页的来源写作“{web.name}”（即原网站），没有网站名称，未填写 source.name：请填写原网站名称"
    return replace(web, name=""), [note], [Dropped(f"来源：{web.name}", "网页信息栏（来源指原网站自身）")]


def _signature_before_footer(blocks: list[Block], start: int, end: int) -> int | None:
    """Where the signature ends when lines follow it that no notice has after its signature (a page footer)."""
    for index in range(end - 1, max(start, end - 16) - 1, -1):
        block = blocks[index]
        if block.table:
            return None
        if _is_signature_date(block.text) and all(is_footer_line(b.text) for b in blocks[index + 1 : end]):
            return index + 1 if index + 1 < end else None
    return None


def _is_signature_date(text: str) -> bool:
    one_line = re.fullmatch(rf"(?P<issuer>\S.{{1,38}}?)\s+(?P<date>{DATE_RE.pattern})", text.strip())
    return bool(
        parse_full_date(text)
        or DATE_RE.fullmatch(re.sub(r"\s+", "", text))
        or (one_line and _is_issuer(one_line["issuer"]) and parse_full_date(one_line["date"]))
    )


def _published_day(text: str) -> date | None:
    mention = next(find_dates(text), None) if text else None
    return resolve(mention, None) if mention else None


def _yearless(text: str, context: date | None) -> date | None:
    mention = next(find_dates(text), None)
    return resolve(mention, context) if mention else None


def _title(blocks: list[Block], start: int, end: int) -> tuple[str, int]:
    """The title at the top (one to three lines, e.g. a title broken over two lines in Word)."""
    for count in (1, 2, 3):
        lines = blocks[start : start + count]
        if len(lines) < count or start + count > end or any(b.table for b in lines):
            break
        texts = [unbullet(b.text) for b in lines]
        if any("。" in t or _SENTENCE_START.match(t) or _PART.match(t) or not could_be_title_line(t) for t in texts):
            break
        if count > 1 and _WHOLE_TITLE_START.search(texts[1]):
            break  # the next line is a title of its own (青岚市第一人民医院 / 中共…关于…的通报): this one is not part of it
        joined = "".join(texts)
        if 10 <= len(joined) <= 120 and _TITLE_END.search(joined) and _TITLE_HINT.search(joined):
            return joined, start + count
    return "", start


_WHOLE_TITLE_START = re.compile(r"^(?:中共|中国共产党|【)|^[^关]{4,40}关于")


def _signature(blocks: list[Block], start: int, end: int) -> tuple[int, str, date | None, str]:
    """Where the signature starts, the issuer, the notice date, and the date as written when it has no year."""
    index = end
    notice_date: date | None = None
    date_text = ""
    issuer_lines: list[str] = []
    if index > start and not blocks[index - 1].table:
        last = blocks[index - 1].text
        full = parse_full_date(last)
        one_line = re.fullmatch(rf"(?P<issuer>\S.{{1,38}}?)\s+(?P<date>{DATE_RE.pattern})", last)
        if full:
            notice_date, index = full, index - 1
        elif DATE_RE.fullmatch(re.sub(r"\s+", "", last)):
            date_text, index = last, index - 1
        elif one_line and _is_issuer(one_line["issuer"]) and parse_full_date(one_line["date"]):
            return index - 1, one_line["issuer"].strip(), parse_full_date(one_line["date"]), ""
    wrapped = _wrapped_issuer(blocks, start, index)
    if wrapped:
        return index - 2, wrapped, notice_date, date_text
    while (
        index > start and len(issuer_lines) < 2 and not blocks[index - 1].table and _is_issuer(blocks[index - 1].text)
    ):
        issuer_lines.insert(0, blocks[index - 1].text)
        index -= 1
    if not issuer_lines and notice_date is None and not date_text:
        return end, "", None, ""
    return index, "、".join(issuer_lines), notice_date, date_text


def _wrapped_issuer(blocks: list[Block], start: int, index: int) -> str:
    """An issuer's name broken over two lines (中共青岚市第一人民医院 / 委员会): the two lines joined, or ``""``.

    Two whole names (a joint notice: 中共甲局党组 / 中共乙局党组) stay two issuers.
    """
    if index - 2 < start or blocks[index - 1].table or blocks[index - 2].table:
        return ""
    first, second = blocks[index - 2].text.strip(), blocks[index - 1].text.strip()
    joined = first + second
    if not _is_issuer(joined) or not re.search(r"[\u4e00-\u9fff]$", first) or second.startswith(("中共", "中国共产党")):
        return ""
    return "" if _is_issuer(second) and len(second) > 6 else joined


def _is_issuer(text: str) -> bool:
    text = text.strip()
    return (
        4 <= len(text) <= 40
        and not re.search(r"[。，,；;：:！？!?]", text)
        and not _PART.match(text)
        and bool(_ORG_END.search(text))
    )


def _contact_span(blocks: list[Block], start: int, end: int) -> tuple[int, int] | None:
    """The contact paragraph(s) just before the signature (a closing 特此通报 may sit between)."""
    index = end
    while index > start and _CLOSING.match(blocks[index - 1].text):
        index -= 1
    last = index
    while index > start and not blocks[index - 1].table and not _PART.match(blocks[index - 1].text):
        text = blocks[index - 1].text
        if is_contact_line(text):
            index -= 1
        elif index - 1 > start and is_contact_continuation(text) and is_contact_line(blocks[index - 2].text):
            index -= 2  # 邮政信箱：青岚市人民南路66号 / 青岚市第一人民医院党委办公室
        else:
            break
    return (index, last) if index < last else None


def _sections(body: list[Block], notes: list[str]) -> tuple[list[Block], list[Section]]:
    """Preamble and parts; the problems part gets its tree of nodes."""
    preamble: list[Block] = []
    raw_parts: list[tuple[str, list[Block]]] = []
    last_number = 0
    for block in body:
        match = None if block.table else _PART.match(block.text)
        number = cn_number(match["num"]) if match else None
        if match and number and _is_part_heading(block.text, number, last_number):
            if number != last_number + 1:
                notes.append(f"部分编号不连续：“{_short(block.text)}”前一部分是第{last_number}部分")
            raw_parts.append((block.text, []))
            last_number = number
        elif raw_parts:
            raw_parts[-1][1].append(block)
        else:
            preamble.append(block)
    if not raw_parts:
        return _without_parts(preamble, notes)
    chosen = _problems_part(raw_parts)
    sections = []
    for index, (title, blocks) in enumerate(raw_parts):
        if index == chosen:
            intro, nodes = _tree(blocks, notes)
            sections.append(Section(title, tuple(intro), tuple(nodes)))
        else:
            sections.append(Section(title, tuple(blocks)))
    if chosen is None:
        notes.append("未识别出问题部分：请把每个问题写成 ### 标题（见 docs/记录格式.md）")
    return preamble, sections


def _is_part_heading(text: str, number: int, last: int) -> bool:
    if not (last < number <= last + 2) or (last == 0 and number != 1):
        return False
    if "。" in text[:-1] or len(text) > 60:
        return False
    return not text.endswith("。") or len(text) <= 25


def _without_parts(blocks: list[Block], notes: list[str]) -> tuple[list[Block], list[Section]]:
    """A notice with no 一、二、 parts: the problems, if any, go under a heading the importer adds."""
    first = next((i for i, b in enumerate(blocks) if not b.table and _style(b.text, allow_yishi=False)), None)
    if first is None or first == 0:
        return blocks, []
    intro, nodes = _tree(blocks[first:], notes)
    if not nodes:
        return blocks, []
    notes.append("原文没有分部分（一、二、三、），已在问题之前加上标题“巡察反馈问题整改情况”")
    return blocks[:first], [Section("巡察反馈问题整改情况", tuple(intro), tuple(nodes), added=True)]


def _problems_part(parts: list[tuple[str, list[Block]]]) -> int | None:
    """The part that lists the problems: the one whose title and headings look most like it.

    In the standard layout part 一 (…履行整改主体责任情况) has numbered *measures* too; what tells the parts apart is
    the title (问题, 反馈; not 主体责任, 组织, 下一步), headings that name shortcomings (…不到位, 关于…的问题) rather than
    actions (提高政治站位，压实整改责任), 整改情况： paragraphs under them, and a tree two levels deep.
    """
    best, best_score = None, 0
    for index, (title, blocks) in enumerate(parts):
        texts = [b.text for b in blocks if not b.table]
        styles = [_style(t, allow_yishi=False) for t in texts]
        headings = [t for t, style in zip(texts, styles, strict=True) if style]
        yishi = sum(1 for t in texts if _style(t, allow_yishi=True) == "yishi")
        if not headings and yishi < 2:
            continue
        score = 2 * ("问题" in title) + ("反馈" in title) + ("意见" in title) + ("整改" in title)
        score += bool(re.search(r"整改(?:落实|进展)情况|问题整改", title))
        score -= 6 * bool(_NOT_PROBLEMS_TITLE.search(title))
        score += 2 + min(5, sum(1 for t in texts if _LABEL.match(t)))
        score += min(5, sum(1 for t in headings if _SHORTCOMING.search(split_heading(t)[0])))
        score -= min(5, sum(1 for t in headings if _ACTION.match(_MARKER.sub("", t))))
        score += 2 * (len({style for style in styles if style}) >= 2)
        evidence = (
            re.search(r"问题|反馈|意见", title)
            or any(_LABEL.match(t) for t in texts)
            or any(_SHORTCOMING.search(split_heading(t)[0]) for t in headings)
        )
        if not evidence:
            continue  # numbered measures under a title that names no problems: not a problems part
        if score > best_score:
            best, best_score = index, score
    return best


_NOT_PROBLEMS_TITLE = re.compile(
    r"下一步|今后|打算|继续|后续|组织|主体责任|政治责任|领导|基本情况|总体情况|工作开展|思想认识|长效机制"
)
_SHORTCOMING = re.compile(
    r"问题|方面|不够|不到位|不足|不严|不力|不实|不规范|不健全|不完善|不彻底|不及时|不深入|不充分|缺失|缺位|薄弱|滞后|差距|偏差|"
    r"流于形式|落实不|执行不|存在"
)
_ACTION = re.compile(
    r"(?:提高|提升|强化|加强|坚持|压实|细化|建立|健全|完善|推动|推进|狠抓|深化|注重|突出|严格|落实|扛牢|扛起|聚焦|坚决|切实|"
    r"全面|加大|抓好|抓实|统筹|立足|着力|明确)"
)
_MARKER = re.compile(
    r"^(?:第[一二三四五六七八九十]+(?:方面|部分|类|项)|问题\s*\S{1,3}\s*[:：、.．]|[(（]\s*\S{1,3}\s*[)）]|\d{1,3}\s*[.．、]|[①-⑳])\s*"
)


def _style(text: str, *, allow_yishi: bool) -> str | None:
    for name, pattern in _STYLES:
        if name == "yishi" and not allow_yishi:
            continue
        if pattern.match(text):
            return name
    return None


def _tree(blocks: list[Block], notes: list[str]) -> tuple[list[Block], list[Node]]:
    """The problem nodes of the problems part; text before the first node is the part's own text."""
    texts = [b.text for b in blocks if not b.table]
    yishi_only = not any(_style(t, allow_yishi=False) for t in texts)
    intro: list[Block] = []
    roots: list[_Builder] = []
    stack: list[_Builder] = []
    levels: list[str] = []
    last_number: dict[str, int] = {}
    for block in blocks:
        style = None if block.table else _style(block.text, allow_yishi=yishi_only)
        level = _node_level(style, levels, stack)
        if style is None or level is None:
            target = stack[-1].blocks if stack else intro
            target.append(block)
            if stack and not block.table and _LABEL.match(block.text):
                stack[-1].in_measures = True
            continue
        _check_number(style, block.text, last_number, notes)
        heading, rest = split_heading(block.text)
        node = _Builder(heading, level, style)
        if rest:
            node.blocks.append(Block(rest))
            node.in_measures = bool(_LABEL.match(rest))
        del stack[level - 1 :]
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return intro, [node.freeze() for node in roots]


def _node_level(style: str | None, levels: list[str], stack: list[_Builder]) -> int | None:
    if style is None:
        return None
    if style in levels:
        level = levels.index(style) + 1
        if stack and stack[-1].in_measures and level > stack[-1].level:
            return None  # (1)(2) items inside 整改措施: text
        return min(level, len(stack) + 1)
    if len(levels) >= MAX_DEPTH or (stack and stack[-1].in_measures):
        return None
    levels.append(style)
    return min(len(levels), len(stack) + 1)


def _check_number(style: str, text: str, last_number: dict[str, int], notes: list[str]) -> None:
    pattern = dict(_STYLES)[style]
    match = pattern.match(text)
    raw = match["n"] if match else ""
    number = _CIRCLED.index(raw) + 1 if raw in _CIRCLED else cn_number(raw)
    if number is None:
        return
    previous = last_number.get(style)
    if previous is not None and number not in (previous + 1, 1):
        notes.append(f"编号不连续：“{_short(text)}”前面是第{previous}个，请核对原文")
    last_number[style] = number


def split_heading(text: str) -> tuple[str, str]:
    """A problem line → (heading, rest): the heading is its first sentence when more text follows.

    Sentence ends inside quotes or brackets do not count: 关于“学习不够深入。学习传达不全面”问题的整改情况 is one heading.
    """
    depth = 0
    for index, ch in enumerate(text):
        if ch in "“‘《(（[【":
            depth += 1
        elif ch in "”’》)）]】":
            depth = max(0, depth - 1)
        elif ch in "。！？!?" and depth == 0:
            rest = text[index + 1 :].strip()
            return (text[: index + 1], rest) if rest else (text, "")
    return text, ""


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
