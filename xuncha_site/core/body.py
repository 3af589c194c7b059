"""The notice body: Markdown in document order → preamble, parts and the problem tree.

Layout of a body (see docs/记录格式.md):

* text before the first ``##`` heading is the preamble (根据…统一部署…现将…予以公布);
* each ``##`` heading starts a part (一、二、三、);
* the *problems part* is the first part that holds ``###`` headings; inside it ``###``/``####``/``#####`` are problem
  nodes of depth 1/2/3, each with its own text; a paragraph such as ``完成情况：已完成`` (or a heading ending in
  ``（已完成）``) gives the node's status in the notice's own words;
* a heading that names the status of the problems under it — ``（一）已整改完成的问题``, ``二、正在推进整改的问题``,
  ``立行立改的问题`` — gives that status to every node below it that states none of its own (status_from "category").
  Nothing else gives a status: a node without one has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.model import STATUS_WORDS, Part, Problem, Status, status_from_words
from xuncha_site.core.themes import split_theme_marks

# The closing "#"s and the spaces around them are taken off in Python (_heading_text): written in the pattern as
# "(.*?)(?:[ \t]+#+)?[ \t]*$", they take the square of the length of a heading with a long run of spaces.
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")

STATUS_LABELS = ("完成情况", "整改情况", "整改进度", "整改状态", "进展情况", "完成状态", "整改进展", "状态")
_STATUS_LINE = re.compile(
    r"^\s*(?:\*\*)?(?P<label>" + "|".join(STATUS_LABELS) + r")\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?(?P<words>[^\n]{2,40}?)"
    r"(?:\*\*)?(?:\s*[。.])?\s*$"  # not "\s*[。.]?\s*$": two runs of spaces side by side take the square of their length
)
# Searched, not matched from the start: "^(.*?)\s*(…)$" takes the square of the length of a heading full of spaces.
_TITLE_STATUS = re.compile(r"[(（](?P<words>[^()（）]{2,12})[)）]\s*$")

PROBLEM_DEPTH_MAX = 3

# A heading that names the status of the problems it groups: an optional number, the status words, 的问题 (…).
_CATEGORY_STATUS = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．]|第[一二三四五六七八九十\d]{1,3}[类部分]+[，,、：:]?)?\s*"
    r"(?:关于)?(?P<words>[\u4e00-\u9fff]{2,12}?)(?:的)?(?:问题|事项|任务)(?:清单|情况)?(?:[(（][^()（）]{0,12}[)）])?\s*[:：。]?\s*$"
)
# The status words such a heading uses, mapped in the order of STATUS_WORDS (longest phrases first).
_CATEGORY_WORDS: tuple[tuple[str, Status], ...] = (
    ("正在推进整改", Status.IN_PROGRESS),
    ("正在整改", Status.IN_PROGRESS),
    ("正在推进", Status.IN_PROGRESS),
    ("需长期坚持", Status.LONG_TERM),
    ("需要长期坚持", Status.LONG_TERM),
    ("需长期整改", Status.LONG_TERM),
    ("尚未完成整改", Status.NOT_COMPLETED),
    ("已整改到位", Status.COMPLETED),
)


@dataclass
class _Block:
    """A heading and the lines under it, before it becomes a Part or a Problem."""

    level: int
    title: str
    line: int
    lines: list[str] = field(default_factory=list)
    children: list[_Block] = field(default_factory=list)


@dataclass(frozen=True)
class Body:
    preamble: str
    parts: tuple[Part, ...]

    @property
    def problems_part(self) -> Part | None:
        return next((part for part in self.parts if part.is_problems), None)


def parse_body(text: str, path: str, first_line: int, diags: Diagnostics) -> Body:
    """Split a notice body into its preamble and parts; report structural mistakes with their lines."""
    preamble: list[str] = []
    blocks: list[_Block] = []  # one per ## part, with nested problem blocks
    stack: list[_Block] = []
    fence: str | None = None
    for offset, raw in enumerate(text.split("\n")):
        if _plain_line(raw):  # most lines: no pattern below can match them
            _append(stack, preamble, raw)
            continue
        line_no = first_line + offset
        fence_match = _FENCE.match(raw)
        if fence is not None:
            if fence_match and fence_match[1][0] == fence[0] and len(fence_match[1]) >= len(fence):
                fence = None
            _append(stack, preamble, raw)
            continue
        if fence_match:
            fence = fence_match[1]
            _append(stack, preamble, raw)
            continue
        heading = _HEADING.match(raw)
        if not heading:
            _append(stack, preamble, raw)
            continue
        level, title = len(heading[1]), _heading_text(heading[2])
        if level == 1:
            diags.warning(path, line_no, "正文不应使用一级标题（#）：标题由 title 字段或自动生成；已按普通段落显示")
            _append(stack, preamble, title)
            continue
        if not title:
            diags.error(path, line_no, "标题没有文字")
            continue
        block = _Block(level, title, line_no)
        if level == 2:
            blocks.append(block)
            stack = [block]
            continue
        if not stack:
            diags.error(
                path, line_no, f"“{title}”是{level}级标题，但前面没有二级标题（## 一、…）：问题标题必须放在某个部分之下"
            )
            preamble.append(raw)
            continue
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1]
        if level > parent.level + 1:
            diags.error(
                path,
                line_no,
                f"标题层级跳跃：“{title}”是{level}级标题，但上一级是{parent.level}级；请用{parent.level + 1}级（{'#' * (parent.level + 1)}）",
            )
        if level - 2 > PROBLEM_DEPTH_MAX:
            diags.error(path, line_no, f"问题最多分三级（###、####、#####），“{title}”太深")
        parent.children.append(block)
        stack.append(block)
    if fence is not None:
        diags.warning(path, first_line, "代码块（```）没有闭合")

    parts: list[Part] = []
    problems_seen = False
    for block in blocks:
        is_problems = bool(block.children) and not problems_seen
        if block.children and problems_seen:
            diags.warning(
                path,
                block.children[0].line,
                "只有问题部分（第一个带 ### 子标题的部分）的子标题会作为问题；这里的子标题按普通标题显示",
            )
        if is_problems:
            problems_seen = True
            problems = tuple(_problem(child, 1, path, diags) for child in block.children)
            parts.append(Part(block.title, block.line, _markdown(block.lines), problems, True))
        else:
            parts.append(Part(block.title, block.line, _markdown(block.lines + _flatten(block.children))))
    return Body(_markdown(preamble), tuple(parts))


def _plain_line(raw: str) -> bool:
    """A line that neither opens or closes a fence (``` or ~~~) nor is a heading (# at its start): parse_body only
    appends it to the current block, inside a fence or not."""
    return raw[:1] != "#" and "`" not in raw and "~" not in raw


def _append(stack: list[_Block], preamble: list[str], raw: str) -> None:
    (stack[-1].lines if stack else preamble).append(raw)


def _flatten(blocks: list[_Block]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        lines += ["", "#" * block.level + " " + block.title, "", *block.lines, *_flatten(block.children)]
    return lines


def _markdown(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def _heading_text(text: str) -> str:
    """A heading's text without the closing "#"s that Markdown allows (``## 标题 ##``) and without outer spaces."""
    text = text.rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and bare[-1:] in (" ", "\t"):
        text = bare
    return text.strip()


def _problem(
    block: _Block, depth: int, path: str, diags: Diagnostics, inherited: tuple[Status, str] | None = None
) -> Problem:
    title, marks = split_theme_marks(block.title)  # {主题：+公务用车 -党费} at the end: core/themes.py
    status, status_text, status_from, status_line = Status.UNKNOWN, "", "", ""
    title_status = _TITLE_STATUS.search(title)
    if title_status:
        found = status_from_words(title_status["words"])
        if found is not None and title_status["words"].strip() in _status_phrases():
            title, status, status_text = title[: title_status.start()].strip(), found, title_status["words"].strip()
            status_from = "title"
    body_lines: list[str] = []
    for paragraph in _paragraphs(block.lines):
        match = _STATUS_LINE.match(paragraph) if "\n" not in paragraph.strip() else None
        found = status_from_words(match["words"]) if match else None
        if match and found is not None:
            if status_text:
                diags.warning(path, block.line, f"问题“{_short(title)}”写了不止一个完成情况，以最后一个为准")
            status, status_text, status_from, status_line = found, match["words"].strip(), "line", paragraph.strip()
            continue
        body_lines += [paragraph, ""]
    passed_on = inherited
    if block.children:
        # A category's own stated status (its heading names it, or ends in （已完成）) is its items' unless they state one.
        named = category_status(title) or ((status, status_text) if status is not Status.UNKNOWN else None)
        if named is not None:
            passed_on = named
    children = tuple(_problem(child, depth + 1, path, diags, passed_on) for child in block.children)
    problem = Problem(
        title, depth, block.line, status, status_text, status_from, status_line, _markdown(body_lines), children, marks
    )
    if status is Status.UNKNOWN and inherited is not None and not block.children:
        problem = replace(problem, status=inherited[0], status_text=inherited[1], status_from="category")
    return problem


def category_status(title: str) -> tuple[Status, str] | None:
    """The status a category heading names for the problems under it, with the words it uses, if it names one.

    ``（一）已整改完成的问题`` → (completed, 已整改完成); ``（二）正在推进整改的问题`` → (in_progress, 正在推进整改).
    """
    match = _CATEGORY_STATUS.match(title)
    if not match:
        return None
    words = match["words"]
    for phrase, status in _CATEGORY_WORDS:
        if words == phrase or words == "已" + phrase:
            return status, words
    found = status_from_words(words)
    if found is None or (words not in _status_phrases() and words.removeprefix("已") not in _status_phrases()):
        return None
    return found, words


_STATUS_PHRASES = frozenset(word for word, _ in STATUS_WORDS)


def _status_phrases() -> frozenset[str]:
    return _STATUS_PHRASES


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated blocks, kept verbatim (lists and tables stay whole)."""
    text = "\n".join(lines).strip("\n")
    return [block for block in re.split(r"\n[ \t]*\n", text) if block.strip()] if text else []


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
