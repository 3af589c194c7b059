"""Bounds on a record's Markdown, so that rendering it takes bounded time and bounded stack.

Python-Markdown is quadratic on some inputs, always in the length of one *block* (a run of non-blank lines):

* each ``[`` or ``![`` makes its link processor scan, in Python, to the matching ``]`` — to the end of the block when
  there is none — and each ``(`` after a ``]`` likewise; each ``<`` is tried by the HTML patterns, and each rule,
  setext or heading line splits the block and puts the rest back. Measured: 8,000 ``[`` take 7 s; 80 KB of them did
  not finish in 300 s, and a 2 MB record could take hours;
* each inline match (a link, an emphasis, an escape, an entity …) rebuilds the paragraph's text around a placeholder:
  64,000 short links in one paragraph take 28 s, while the same links one per table row or list item take 4 s;
* nesting recurses: 400 levels of indented lists exhaust Python's stack (a RecursionError without a line), and deep
  block quotes are quadratic too.

So the loader checks each notice body before anything renders it: the characters those scans may cover (from each
``[`` and ``(`` to its match or the block's end, the whole block for each ``<`` and each such line) stay within
:data:`SCAN_BUDGET`, the characters those rebuilds may copy (the block's length for each character where an inline
pattern may match) within :data:`COPY_BUDGET`, summed over the blocks, and no line is indented or quoted deeper than
:data:`MAX_DEPTH` levels. bench/markdown_limits.py measures the worst bodies within the budgets: about 1.5 s of CPU
for the page and as much for the search text; the example notices use a ten-thousandth of either budget.

The checks are a few string counts per block and one pass over its brackets: linear in the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xuncha_site.core.diagnostics import Diagnostics

SCAN_BUDGET = 6_000_000  # characters scanned in Python (≈ 0.2 µs each)
COPY_BUDGET = 4_000_000_000  # characters copied by C string operations (≈ 0.3 ns each)
MAX_DEPTH = 16  # levels of list indentation (4 columns each) or of block quotes; real notices use two or three

_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
# Lines that a block processor splits off, putting the rest of the block back: rules, setext underlines, headings.
_MARKER_LINE = re.compile(r"^[ \t]*(?:([-*_])[ \t]*(?:\1[ \t]*){2,}|=+[ \t]*|#{1,6}(?:[ \t].*)?)$", re.M)
_QUOTES = re.compile(r"^(?:[ \t]{0,3}>)+", re.M)
_INDENT = re.compile(r"^[ \t]+", re.M)


@dataclass(frozen=True)
class Block:
    line: int  # its first line in the record
    length: int
    scanned: int  # characters that Python loops may scan in it, at most
    copied: int  # characters that string operations may copy, at most
    marks: int  # the "[", "(", "<" and rule, underline and heading lines that start such scans


_BRACKETS = re.compile(r"[\[\]()]")
# Where an inline pattern may match: each match rebuilds the paragraph's text around a placeholder.
_INLINE_START = re.compile(r"[*_`\\&<\[!~]")
_CLOSING = {"]": "[", ")": "("}


def _bracket_scans(chunk: str) -> tuple[int, int]:
    """Characters scanned from each "[" and "(" (to its match, or to the end of the block), and how many there are."""
    if "[" not in chunk and "(" not in chunk:
        return 0, 0  # closing brackets alone start no scan
    open_at: dict[str, list[int]] = {"[": [], "(": []}
    scanned = count = 0
    for match in _BRACKETS.finditer(chunk):
        char, at = match.group(), match.start()
        if char in open_at:
            open_at[char].append(at)
            count += 1
        elif open_at[_CLOSING[char]]:
            scanned += at - open_at[_CLOSING[char]].pop()
    scanned += sum(len(chunk) - at for opened in open_at.values() for at in opened)
    return scanned, count


def blocks(text: str, first_line: int) -> list[Block]:
    """The blocks of ``text`` (runs of non-blank lines) with what rendering each may cost."""
    found, line, start = [], first_line, 0
    for separator in [*_BLANK_LINES.finditer(text), None]:
        end = separator.start() if separator else len(text)
        chunk = text[start:end]
        if chunk.strip():
            found.append(Block(line, len(chunk), *_costs(chunk)))
        if separator is None:
            break
        line += text.count("\n", start, separator.end())
        start = separator.end()
    return found


_MARKER_CHARS = "-*_=#"  # every marker line holds one of them


def _costs(chunk: str) -> tuple[int, int, int]:
    """What rendering one block may cost: characters scanned, characters copied, and the marks that start scans."""
    scanned, brackets = _bracket_scans(chunk)
    # Each "<" and each marker line may cost a scan of the whole block.
    others = chunk.count("<")
    if any(char in chunk for char in _MARKER_CHARS):
        others += len(_MARKER_LINE.findall(chunk))
    copied = len(_INLINE_START.findall(chunk)) * len(chunk)
    return scanned + others * len(chunk), copied, brackets + others


def _totals(text: str) -> tuple[int, int]:
    """The characters scanned and copied, summed over the blocks of ``text`` (as :func:`blocks` counts them)."""
    scanned = copied = start = 0
    for separator in [*_BLANK_LINES.finditer(text), None]:
        chunk = text[start : separator.start()] if separator else text[start:]
        if chunk and not chunk.isspace():
            cost = _costs(chunk)
            scanned += cost[0]
            copied += cost[1]
        if separator is None:
            break
        start = separator.end()
    return scanned, copied


def _may_be_indented(text: str) -> bool:
    """Whether some line of ``text`` starts with a space or a tab (where _INDENT, a ``^`` pattern, can match)."""
    return text[:1] in (" ", "\t") or "\n " in text or "\n\t" in text


def check_markdown(text: str, path: str, first_line: int, diags: Diagnostics) -> bool:
    """Report Markdown that would take too long or too deep to render; True when ``text`` is within the bounds."""
    ok = True
    # Each search only where it can match (a ">"; a line that starts with a space or a tab): most bodies have neither.
    for match in _QUOTES.finditer(text) if ">" in text else ():
        if match.group().count(">") > MAX_DEPTH:
            diags.error(path, first_line + text.count("\n", 0, match.start()), f"引用（>）嵌套超过 {MAX_DEPTH} 层")
            ok = False
            break
    for match in _INDENT.finditer(text) if _may_be_indented(text) else ():
        if len(match.group().expandtabs(4)) >= 4 * MAX_DEPTH:
            line = first_line + text.count("\n", 0, match.start())
            diags.error(path, line, f"缩进过深（超过 {MAX_DEPTH} 层列表的缩进），请减少行首的空格")
            ok = False
            break
    scanned, copied = _totals(text)
    if scanned > SCAN_BUDGET or copied > COPY_BUDGET:
        worst = max(
            blocks(text, first_line), key=lambda block: block.scanned / SCAN_BUDGET + block.copied / COPY_BUDGET
        )
        diags.error(
            path,
            worst.line,
            f"正文过于复杂，生成网页会非常慢：从这一行开始的一段有 {worst.length} 个字符，其中“[”“(”“<”"
            f"或分隔线、标题等标记共 {worst.marks} 个（其中可能有未配对的括号）。请删去多余的符号，或用空行把长段落分成几段",
        )
        ok = False
    return ok
