"""Round-level announcements: a 巡察办's summary of a whole round, which is not one unit's notice.

区委组建4个巡察组对区民政局、区农业农村局等4家单位开展常规巡察 … 向40家被巡察单位党组织全面反馈 … 巡察反馈的697个问题，
完成整改688个 … — such a text reports on every unit of a round at once, often with the groups and their units listed
after the signature. Imported as a notice it would become a wrong unit notice (unit = the issuer); the importer says
what it is instead and writes nothing.
"""

from __future__ import annotations

import re

from xuncha_site.importer.dates import CN_NUMBER, cn_number
from xuncha_site.importer.parse import Node, ParsedNotice
from xuncha_site.importer.writer import paragraph

# 等4家单位, 向40家被巡察单位党组织: several units. Not 杭州道街及29个社区: a unit with the organisations under it.
_MANY_UNITS = re.compile(
    rf"(?:(?:等|共)\s*(?P<n>\d{{1,4}}|{CN_NUMBER})\s*(?:家|个)(?:被巡[察视])?(?:单位|党组织|部门|乡镇|街道|企业|学校)"
    rf"|(?P<m>\d{{1,4}}|{CN_NUMBER})\s*(?:家|个)被巡[察视](?:单位|党组织))"
)
_MANY_GROUPS = re.compile(rf"(?:组建|派出|成立|抽调)(?:了)?\s*(?P<n>\d{{1,3}}|{CN_NUMBER})\s*个巡[察视]组")
_OFFICE = re.compile(r"巡[察视](?:工作)?(?:领导小组)?办(?:公室)?$|巡[察视]工作领导小组$")
_GROUP_LINE = re.compile(r"^[\u4e00-\u9fff]{0,10}第[一二三四五六七八九十\d]{1,3}巡[察视]组\s*[:：（(]")
_ROUND_TITLE = re.compile(
    r"^(?:中共)?[\u4e00-\u9fff]{0,16}?关于[\u4e00-\u9fff\d]{0,16}第[一二三四五六七八九十\d]{1,3}轮巡[察视]"
)


def round_announcement(notice: ParsedNotice, lines: tuple[str, ...]) -> str:
    """Why ``notice`` is a summary of a whole round rather than one unit's notice (in Chinese), or ``""``.

    ``lines`` are all the lines of the source, the ones after the signature included (a round's groups and units are
    often listed there).
    """
    reasons: list[str] = []
    text = "".join(block.text for block in notice.preamble) or (
        notice.sections[0].blocks[0].text if notice.sections and notice.sections[0].blocks else ""
    )
    units = notice.facts.unit
    many = [m for m in _MANY_UNITS.finditer(text) if (cn_number(m["n"] or m["m"]) or 0) >= 2]
    if units and (units.count("、") >= 1 or _MANY_UNITS.search(units)):
        reasons.append(f"开头语列出多个被巡察单位（“{_short(units)}”）")
    elif many:
        reasons.append(f"开头语说的是“{many[0][0].strip()}”")
    groups = _MANY_GROUPS.search(text)
    if groups and (cn_number(groups["n"]) or 0) >= 2:
        reasons.append(f"写明“{groups[0]}”")
    group_lines = [line for line in lines if _GROUP_LINE.match(line.strip())]
    if len(group_lines) >= 2:
        reasons.append(f"文中逐一列出 {len(group_lines)} 个巡察组及其单位")
    office = notice.issuer or ""
    if _OFFICE.search(office) and (not units or units.startswith(("我", "本"))):
        reasons.append(f"发布单位是“{office}”，没有写明哪一个单位被巡察")
    title = re.sub(r"^【[^】]*】", "", notice.title)
    if title and _ROUND_TITLE.match(title) and (_OFFICE.search(title.split("关于")[0]) or reasons):
        reasons.append(f"标题是整轮巡察的情况（“{_short(title, 40)}”）")
    strong = len(reasons) >= 2 or any(r.startswith(("开头语列出", "写明“")) for r in reasons)
    return "；".join(reasons[:2]) if strong else ""


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def round_description(notice: ParsedNotice) -> str:
    """The announcement as a round file's ``description`` (Markdown), for the editor to paste: its own words only."""
    paragraphs = [block.text for block in notice.preamble if not block.table]
    for section in notice.sections:
        paragraphs += [section.title, *(block.text for block in section.blocks if not block.table)]
        paragraphs += [text for node in section.nodes for text in _node_texts(node)]
    lines = ["description: |"]
    for index, text in enumerate(paragraphs):
        lines += [""] if index else []
        lines.append("  " + paragraph(text))
    return "\n".join(lines) + "\n"


def _node_texts(node: Node) -> list[str]:
    texts = [node.title, *(block.text for block in node.blocks if not block.table)]
    return texts + [text for child in node.children for text in _node_texts(child)]
