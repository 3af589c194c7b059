"""Approval of a notice's public text: its fingerprint, whether an approval still holds, and what changed since.

The fingerprint is a SHA-256 of the notice's *public text*, normalised so that what does not change the published
notice does not change it either:

- every front-matter field except ``approval`` (the approval itself), ``draft`` and ``published`` (when it goes live
  is the editor's scheduling, not the notice's text) and ``tracking`` (the editor's pins of problems across notices), flattened to ``key.sub[0]: text`` entries, mapping keys sorted
  (their order in the file does not matter), values as their text (``2024-09-05`` quoted or not), Unicode NFC,
  white space at both ends removed, empty values left out;
- the body in blocks (paragraphs, headings, list items as written, separated by blank lines), each line's trailing
  white space removed, Unicode NFC; the number of blank lines between blocks does not matter.

The entries are hashed as compact JSON. What the approver saw is not stored in the record; when an approval no longer
holds, the text it was given for is looked up in the file's git history (the approval is committed with the text,
docs/编辑指南.md), to say what changed.
"""

from __future__ import annotations

import difflib
import enum
import hashlib
import json
import subprocess
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.model import Notice
from xuncha_site.core.records import FrontMatter, read_text, split_front_matter

# Front-matter fields that are not part of the approved text.
# ``tracking`` pins problems across notices (core/tracking.py): it changes the unit's tracker, not the notice's text.
UNAPPROVED_FIELDS = frozenset({"approval", "draft", "published", "tracking"})
BODY = "正文"
GIT_SECONDS = 10.0  # for the whole look-up of one approved text
GIT_REVISIONS = 20  # how far back it is looked for


@dataclass(frozen=True)
class Entry:
    """One piece of the public text: a field's value or a block of the body, with its line in the file."""

    key: str
    text: str
    line: int


@dataclass(frozen=True)
class PublicText:
    entries: tuple[Entry, ...]

    @property
    def fingerprint(self) -> str:
        data = json.dumps([[e.key, e.text] for e in self.entries], ensure_ascii=False, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


class ApprovalState(str, enum.Enum):
    NONE = "未批准"
    VALID = "已批准"
    STALE = "批准后有改动"


def public_text(front: FrontMatter) -> PublicText:
    """The public text of a record, from its front matter and body (see the module's docstring)."""
    entries: list[Entry] = []
    if isinstance(front.node, MappingNode):
        for key, value in sorted(front.node.value, key=lambda pair: str(pair[0].value)):
            if str(key.value) not in UNAPPROVED_FIELDS:
                _flatten(str(key.value), value, entries)
    entries += _body_blocks(front.body, front.body_line)
    return PublicText(tuple(entries))


def public_text_of_file(text: str) -> PublicText | None:
    """The public text of a record's full text (None when it has no readable front matter)."""
    scratch = Diagnostics()
    front = split_front_matter(text, "", scratch)
    return None if front is None or scratch.errors else public_text(front)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _flatten(key: str, node: Node, entries: list[Entry]) -> None:
    if isinstance(node, MappingNode):
        for sub, value in sorted(node.value, key=lambda pair: str(pair[0].value)):
            _flatten(f"{key}.{sub.value}", value, entries)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _flatten(f"{key}[{index}]", item, entries)
    elif isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        text = _normal(str(node.value))
        if text:
            entries.append(Entry(key, text, node.start_mark.line + 1))


def _body_blocks(body: str, first_line: int) -> list[Entry]:
    blocks: list[Entry] = []
    lines: list[str] = []
    start = first_line
    for offset, raw in enumerate([*body.split("\n"), ""]):
        line = raw.rstrip()
        line = line if unicodedata.is_normalized("NFC", line) else unicodedata.normalize("NFC", line)
        if line.strip():
            if not lines:
                start = first_line + offset
            lines.append(line)
        elif lines:
            blocks.append(Entry(BODY, "\n".join(lines), start))
            lines = []
    return blocks


def approval_state(notice: Notice, current: PublicText) -> ApprovalState:
    if notice.approval is None:
        return ApprovalState.NONE
    return ApprovalState.VALID if notice.approval.fingerprint == current.fingerprint else ApprovalState.STALE


# --- what changed ----------------------------------------------------------------------------------------------------


def approved_text(file: Path, fingerprint: str) -> PublicText | None:
    """The public text the approval was given for, from the newest revision in git whose text has that fingerprint."""
    deadline = time.monotonic() + GIT_SECONDS
    log = _git(["log", f"-n{GIT_REVISIONS}", "--format=%H", "--", file.name], file.parent, deadline)
    if log is None:
        return None
    for commit in log.decode("ascii", "replace").split():
        raw = _git(["show", f"{commit}:./{file.name}"], file.parent, deadline)
        if raw is None:
            continue
        text = read_text(raw, "", Diagnostics())
        old = public_text_of_file(text) if text is not None else None
        if old is not None and old.fingerprint == fingerprint:
            return old
    return None


def _git(args: list[str], cwd: Path, deadline: float) -> bytes | None:
    left = deadline - time.monotonic()
    if left <= 0:
        return None
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=left, check=False, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True)
class Change:
    line: int  # in the current file
    description: str


def changes(old: PublicText, new: PublicText, *, limit: int = 3) -> list[Change]:
    """What differs between the approved and the current public text, as short Chinese descriptions."""
    a = [(e.key, e.text) for e in old.entries]
    b = [(e.key, e.text) for e in new.entries]
    found: list[Change] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old.entries[i1:i2], new.entries[j1:j2]
        line = news[0].line if news else (new.entries[j1 - 1].line if j1 > 0 else 1)
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else None
            after = news[index] if index < len(news) else None
            at = after.line if after else line
            if before and after:
                was, now = _changed_span(before.text, after.text)
                where = _where(after)
                found.append(Change(at, f"{where}“{was}”改为“{now}”"))
            elif after:
                found.append(Change(at, f"新增{_where(after)}“{_clip(after.text)}”"))
            elif before:
                found.append(Change(at, f"删去{_where(before)}“{_clip(before.text)}”"))
    return found[:limit] + ([Change(found[limit].line, f"等共 {len(found)} 处")] if len(found) > limit else [])


def _where(entry: Entry) -> str:
    return f"第 {entry.line} 行{'' if entry.key == BODY else f'（{entry.key}）'}"


def _clip(text: str, size: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size] + "…"


def _changed_span(was: str, now: str, context: int = 8) -> tuple[str, str]:
    """The differing middle of two texts with a few characters around it: “…整改[情况]…” → “…整改[进展]…”."""
    prefix = 0
    while prefix < min(len(was), len(now)) and was[prefix] == now[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(was), len(now)) - prefix and was[-1 - suffix] == now[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - context)

    def piece(text: str) -> str:
        end = len(text) - suffix
        middle = text[start : min(len(text), end + context)]
        return ("…" if start else "") + _clip(middle, 40) + ("…" if end + context < len(text) else "")

    return piece(was), piece(now)
