"""Pre-publication review of every notice record: privacy and secrecy, wording, and the approval of its text.

``xuncha check`` and every build run it (:func:`review_corpus`, called by :func:`xuncha_site.core.project.load_project`);
``xuncha review`` and ``xuncha approve`` read the same findings (:func:`review_notice`).

Privacy: 18-digit resident ID numbers whose check digit is right (GB 11643, ISO 7064 MOD 11-2), bank card numbers of
16–19 digits that pass the Luhn check, mobile numbers, e-mail addresses and vehicle plates, anywhere in a record
except its contact block (``contact:``, the channels a notice publishes on purpose) and its approval. Secrecy: the
site's own list of terms that must not be published (``content/review.yml``). Each hit is a warning, an error with
``require_approval``; the matched text is masked in the message, which goes to logs. Wording: misspelt or outdated
formulations with their right form, a warning.

The detectors are regular expressions plus the numbers' own check rules, hand-written: no maintained library checks
Chinese ID numbers and plates, and the rules are short and fixed by standard.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from xuncha_site.core.approval import (
    ApprovalState,
    PublicText,
    approval_state,
    approved_text,
    changes,
    public_text,
)
from xuncha_site.core.contact import EMAIL_PATTERN
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.fields import REVIEW, REVIEW_TERM, REVIEW_WORDING
from xuncha_site.core.input_files import InputFileError, read_regular
from xuncha_site.core.model import Corpus, Notice
from xuncha_site.core.records import (
    MAX_RECORD_BYTES,
    Fields,
    FrontMatter,
    compose_yaml,
    line_of,
    read_text,
    split_front_matter,
)

REVIEW_FILE = "review.yml"  # in the content folder
MAX_REVIEW_BYTES = 256 * 1024
EXEMPT_CASES = ("党和国家秘密", "正在初核或未公布的案件", "可能引起炒作", "可能引发群体性事件", "重大敏感事项")
# Parts of a record that publish contact channels on purpose, or are not public text.
UNSCANNED_FIELDS = frozenset({"contact", "approval"})


@dataclass(frozen=True)
class Term:
    term: str
    note: str = ""
    line: int = 0  # in review.yml


@dataclass(frozen=True)
class Wording:
    wrong: str
    right: str
    note: str = ""


# A starting point for the office's own list: only forms whose right spelling is the official one (the name of the
# Party regulation, the organisations' names after the 2018 reform, the standard abbreviation). docs/编辑指南.md.
DEFAULT_WORDING: tuple[Wording, ...] = (
    Wording("中国共产党巡察工作条例", "中国共产党巡视工作条例", "巡察工作的依据是《中国共产党巡视工作条例》"),
    Wording("中国共产党党纪处分条例", "中国共产党纪律处分条例", "党内法规的名称"),
    Wording("中纪委", "中央纪委", "中央纪律检查委员会的规范简称"),
    Wording("中央纪委监察部", "中央纪委国家监委", "2018年起监察部并入国家监察委员会，写历史时可不改"),
    Wording("国家卫计委", "国家卫生健康委", "2018年起国家卫生和计划生育委员会改为国家卫生健康委员会"),
    Wording("国家卫生和计划生育委员会", "国家卫生健康委员会", "2018年机构改革后的名称"),
    Wording("国家工商总局", "国家市场监督管理总局", "2018年起国家工商行政管理总局的职责划入国家市场监督管理总局"),
    Wording("国家工商行政管理总局", "国家市场监督管理总局", "2018年机构改革后的名称"),
    Wording("一岗两责", "一岗双责", "党内法规中的写法，如《党委（党组）落实全面从严治党主体责任规定》"),
)


@dataclass(frozen=True)
class ReviewList:
    """The site-owned review list (``content/review.yml``, never published)."""

    path: str = f"content/{REVIEW_FILE}"
    terms: tuple[Term, ...] = ()
    allow: frozenset[str] = frozenset()
    wording: tuple[Wording, ...] = DEFAULT_WORDING

    @functools.cached_property
    def terms_by_key(self) -> dict[str, Term]:
        return {_fold(term.term).lower(): term for term in reversed(self.terms)}

    @functools.cached_property
    def terms_pattern(self) -> re.Pattern[str] | None:
        keys = sorted(self.terms_by_key, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, keys)), re.I) if keys else None

    @functools.cached_property
    def wording_by_wrong(self) -> dict[str, Wording]:
        return {wording.wrong: wording for wording in reversed(self.wording)}

    @functools.cached_property
    def wording_pattern(self) -> re.Pattern[str] | None:
        wrongs = sorted(self.wording_by_wrong, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, wrongs))) if wrongs else None


@dataclass(frozen=True)
class Hit:
    kind: str  # 身份证号 | 银行卡号 | 手机号码 | 电子邮箱 | 车牌号 | 不得公开的词语 | 规范表述
    line: int
    message: str

    @property
    def privacy(self) -> bool:
        return self.kind != "规范表述"


@dataclass(frozen=True)
class NoticeReview:
    notice: Notice
    hits: tuple[Hit, ...]
    # None when the record has no readable front matter, and when it was reviewed from the loader's reading
    # (Reviewer: only its fingerprint is kept there)
    public: PublicText | None
    state: ApprovalState
    changes: tuple[str, ...] = field(default=())  # what changed since the approval (stale approvals only)
    change_line: int = 0

    @property
    def privacy_hits(self) -> tuple[Hit, ...]:
        return tuple(hit for hit in self.hits if hit.privacy)

    @property
    def wording_hits(self) -> tuple[Hit, ...]:
        return tuple(hit for hit in self.hits if not hit.privacy)


# --- the review list -------------------------------------------------------------------------------------------------


def load_review_list(content_dir: Path, shown: str, diags: Diagnostics) -> ReviewList:
    """``content/review.yml`` (absent: no terms, the default wording list); problems go to ``diags``."""
    path = content_dir / REVIEW_FILE
    if not path.exists():
        return ReviewList(path=shown)
    try:
        raw = read_regular(path, MAX_REVIEW_BYTES, what="审查清单")
    except InputFileError as exc:
        diags.error(shown, 1, exc.message)
        return ReviewList(path=shown)
    text = read_text(raw, shown, diags)
    node = compose_yaml(text, shown, diags) if text is not None else None
    fields = Fields.of(node, shown, diags, where="审查清单") if node is not None else None
    if fields is None:
        return ReviewList(path=shown)
    terms = tuple(_terms(fields, shown, diags))
    allow = frozenset(_key(text) for text in fields.texts(REVIEW["allow"]))
    wording = []
    for item in fields.items(REVIEW["wording"]):
        entry = Fields.of(item, shown, diags, where="规范表述")
        if entry is None:
            continue
        wrong, right = entry.get(REVIEW_WORDING["wrong"]), entry.get(REVIEW_WORDING["right"])
        note = entry.get(REVIEW_WORDING["note"]) or ""
        entry.finish(REVIEW_WORDING)
        if wrong and right:
            if wrong == right:
                diags.error(shown, line_of(item), f"规范表述“{wrong}”的误写与规范写法相同")
                continue
            wording.append(Wording(wrong, right, note))
    defaults = fields.get(REVIEW["defaults"])
    fields.finish(REVIEW)
    base = DEFAULT_WORDING if defaults is None or defaults else ()
    return ReviewList(shown, terms, allow, (*wording, *base))


def _terms(fields: Fields, shown: str, diags: Diagnostics) -> list[Term]:
    terms = []
    for item in fields.items(REVIEW["terms"]):
        if isinstance(item, ScalarNode):
            word = "" if item.tag == "tag:yaml.org,2002:null" else str(item.value).strip()
            note = ""
        else:
            entry = Fields.of(item, shown, diags, where="不得公开的词语")
            if entry is None:
                continue
            word = entry.get(REVIEW_TERM["term"]) or ""
            note = entry.get(REVIEW_TERM["note"]) or ""
            entry.finish(REVIEW_TERM)
        if len(word) < 2:
            diags.error(shown, line_of(item), "不得公开的词语至少要两个字（一个字会到处命中）")
            continue
        terms.append(Term(word, note, line_of(item)))
    return terms


# --- detectors -------------------------------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s\"'<>）)，。；]+", re.I)
_WWW = re.compile(r"[wW]{3}\.")  # what _URL's www\. matches (re.I folds no other character to w)
_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-8][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
    r"(?![0-9A-Za-z])"
)
_CARD = re.compile(r"(?<![0-9A-Za-z])[3-69][0-9]{3}(?:[ -]?[0-9]){12,15}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9A-Za-z])")
_EMAIL = re.compile(f"(?<![A-Za-z0-9._%+-]){EMAIL_PATTERN}")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# The tail's two digits are counted after the match: a look-ahead for them would scan a long run of letters again at
# every start.
_PLATE = re.compile(f"(?<![A-Za-z0-9])[{_PROVINCES}][A-HJ-NP-Z][·・. ]?[A-HJ-NP-Z0-9]{{5,6}}(?![A-Za-z0-9])")
# How every plate begins. A pattern that opens with a look-behind is tried at every position of the text; this one,
# opening with a character class, is searched quickly: a text without it has no plate (most have none).
_PLATE_START = re.compile(f"[{_PROVINCES}][A-HJ-NP-Z]")
_DIGITS = re.compile("[0-9]{3}[ -]?[0-9]{4}")
_NEWLINE = re.compile("\n")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit_ok(number: str) -> bool:
    """GB 11643: the 18th character is the ISO 7064 MOD 11-2 check of the first 17 digits."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


# Full-width digits, letters and the characters of e-mail addresses (０-９, Ａ-Ｚ, ＠ …) folded one character for one, so that positions
# (and lines) stay those of the text; NFKC would also fold the Chinese punctuation of every line, slowly.
_FOLDED = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ＠．－＿＋"
_FOLD = {ord(char): ord(char) - 0xFEE0 for char in _FOLDED}
_FULL_WIDTH = re.compile(f"[{re.escape(_FOLDED)}]")


def _fold(text: str) -> str:
    return text.translate(_FOLD) if _FULL_WIDTH.search(text) else text


def _key(text: str) -> str:
    """A value as it is compared with the allow list: NFKC, without white space and dashes."""
    return re.sub(r"[\s\-·・.]", "", unicodedata.normalize("NFKC", text)).lower()


def mask(text: str) -> str:
    """The matched text as messages show it: enough to find it in the file, not enough to use it."""
    if "@" in text:
        local, _, domain = text.partition("@")
        return f"{local[:1]}***@{domain}"
    chars = list(text)
    keep = (3, 2) if len(chars) >= 8 else (1, 1) if len(chars) > 2 else (1, 0)
    return "".join(chars[: keep[0]]) + "*" * (len(chars) - sum(keep)) + "".join(chars[len(chars) - keep[1] :])


_ALLOW_HINT = "；确认可以公开的，写入 content/review.yml 的 allow"


def scan_line(text: str, line: int, review: ReviewList) -> list[Hit]:
    """The hits in one line of a record (outside the contact block)."""
    return [Hit(hit.kind, hit.line + line - 1, hit.message) for hit in scan_text(text, review)]


def scan_text(text: str, review: ReviewList) -> list[Hit]:
    """The hits in ``text``, by line (1 = its first line). Each detector runs once over the whole text."""
    hits: list[Hit] = []
    normal = _fold(text)
    if _may_hold_url(normal):  # else _URL finds nothing: scanning a text for it takes longer than these looks
        normal = _URL.sub(lambda m: " " * len(m[0]), normal)
    ends = [match.start() for match in _NEWLINE.finditer(normal)]

    def line_at(position: int) -> int:
        return bisect.bisect_left(ends, position) + 1

    ids: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str], message: str) -> None:
        if _key(match[0]) not in review.allow:
            hits.append(Hit(kind, line_at(match.start()), message + _ALLOW_HINT))

    numbers = _DIGITS.search(normal) is not None  # every ID, card and mobile number has seven digits in a row
    for match in _ID.finditer(normal) if numbers else ():
        if id_check_digit_ok(match[0]):
            ids.append(match.span())
            add("身份证号", match, f"隐私审查：疑似身份证号“{mask(match[0])}”（校验位正确），个人信息不得公开")
    for match in _CARD.finditer(normal) if numbers else ():
        digits = re.sub("[^0-9]", "", match[0])
        inside_id = any(a <= match.start() < b for a, b in ids)
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and not inside_id:
            add("银行卡号", match, f"隐私审查：疑似银行卡号“{mask(digits)}”（符合 Luhn 校验），不得公开")
    for match in _MOBILE.finditer(normal) if numbers else ():
        add("手机号码", match, f"隐私审查：联系方式以外出现手机号码“{mask(re.sub('[^0-9]', '', match[0]))}”")
    if "@" in normal:
        for match in _EMAIL.finditer(normal):
            add("电子邮箱", match, f"隐私审查：联系方式以外出现电子邮箱“{mask(match[0])}”")
    for match in _PLATE.finditer(normal) if _PLATE_START.search(normal) else ():
        if sum(char.isdigit() for char in match[0]) < 2:
            continue
        add("车牌号", match, f"隐私审查：疑似车牌号“{mask(match[0])}”")
    if review.terms_pattern is not None:
        for match in review.terms_pattern.finditer(normal):
            term = review.terms_by_key[match[0].lower()]
            note = f"：{term.note}" if term.note else ""
            where = f"（{review.path} 第 {term.line} 行{note}）"
            hits.append(
                Hit("不得公开的词语", line_at(match.start()), f"保密审查：出现不得公开的词语“{mask(term.term)}”{where}")
            )
    if review.wording_pattern is not None:
        seen: set[tuple[int, str]] = set()
        for match in review.wording_pattern.finditer(text):
            wording = review.wording_by_wrong[match[0]]
            line = text.count("\n", 0, match.start()) + 1
            if (line, wording.wrong) in seen or _inside_right_form(text, match, wording.right):
                continue
            seen.add((line, wording.wrong))
            note = f"（{wording.note}）" if wording.note else ""
            hits.append(Hit("规范表述", line, f"规范表述：“{wording.wrong}”应为“{wording.right}”{note}"))
    return sorted(hits, key=lambda hit: hit.line)


def _may_hold_url(text: str) -> bool:
    """Whether ``text`` may hold what _URL matches: every match holds ``://`` or www. (in any case)."""
    return "://" in text or (("w" in text or "W" in text) and _WWW.search(text) is not None)


def _inside_right_form(text: str, match: re.Match[str], right: str) -> bool:
    """Whether a wrong form found is part of the right form written out (the wrong form may be inside the right)."""
    start = right.find(match[0])
    while start >= 0:
        begin = match.start() - start
        if begin >= 0 and text[begin : begin + len(right)] == right:
            return True
        start = right.find(match[0], start + 1)
    return False


def _unscanned_lines(node: Node | None) -> set[int]:
    """Lines of the front matter's contact block and approval (1-based)."""
    lines: set[int] = set()
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if str(key.value) in UNSCANNED_FIELDS:
                end = value.end_mark.line + (1 if value.end_mark.column else 0)
                lines.update(range(key.start_mark.line + 1, max(end, key.start_mark.line + 1) + 1))
    return lines


def scan_record(text: str, review: ReviewList) -> tuple[list[Hit], PublicText | None]:
    """Every hit in a record's text, and its public text (None when it has no readable front matter)."""
    scratch = Diagnostics()
    front = split_front_matter(text, "", scratch)
    if front is None or scratch.errors:
        return [], None
    return scan_reading(text, front, review), public_text(front)


def scan_reading(text: str, front: FrontMatter, review: ReviewList) -> list[Hit]:
    """Every hit in a record's text, given the front matter read from it without an error."""
    skip = _unscanned_lines(front.node)
    body_start = front.body_line
    kept = []
    for number, line in enumerate(text.split("\n"), 1):
        in_front = number < body_start
        unscanned = number == 1 or number in skip or number == body_start - 1
        # A YAML comment is not published.
        kept.append("" if unscanned or (in_front and line.lstrip().startswith("#")) else line)
    return scan_text("\n".join(kept), review)


# --- notices ---------------------------------------------------------------------------------------------------------


def review_notice(notice: Notice, root: Path, review: ReviewList, *, diff: bool = True) -> NoticeReview | None:
    """The review of one notice: its hits and its approval's state (None when its file cannot be read again)."""
    path = root / notice.path
    try:
        raw = read_regular(path, MAX_RECORD_BYTES, what="记录文件")
    except InputFileError:
        return None  # the loader has said why
    text = read_text(raw, notice.path, Diagnostics())
    if text is None:
        return None
    hits, public = scan_record(text, review)
    if public is None:
        return NoticeReview(notice, tuple(hits), None, ApprovalState.NONE)
    state = approval_state(notice, public)
    found: tuple[str, ...] = ()
    line = notice.lines.get("approval", 1)
    if state is ApprovalState.STALE and diff and notice.approval is not None:
        old = approved_text(path, notice.approval.fingerprint)
        if old is not None:
            listed = changes(old, public)
            found = tuple(change.description for change in listed)
            line = listed[0].line if listed else line
    return NoticeReview(notice, tuple(hits), public, state, found, line)


# A process's reviews so far (``xuncha serve``), by notice file: (the notice read, the review list, its review).
ReviewCache = dict[str, tuple[Notice, ReviewList, NoticeReview | None]]


class Reviewer:
    """The review list, read before the notices, and the review of each record as the loader reads it.

    The loader hands each record it makes a notice of (:meth:`read`): its text is scanned and its public text
    fingerprinted there, from the loader's own reading, so that :func:`review_corpus` does not read and parse every
    file a second time. Only the hits and the fingerprint are kept, not the file's text or its YAML nodes. The
    review list's problems are held back and reported where :func:`review_corpus` reads it, in the same order.
    """

    def __init__(self, root: Path, content_dir: str) -> None:
        self.problems = Diagnostics()
        self.problems.PER_FILE_LIMIT = sys.maxsize  # the limit is applied when they are reported
        self.review = load_review_list(root / content_dir, f"{content_dir}/{REVIEW_FILE}", self.problems)
        self._found: dict[str, tuple[tuple[Hit, ...], str]] = {}

    def read(self, path: str, text: str, front: FrontMatter) -> None:
        """The record at ``path`` (as diagnostics name it), read without a front-matter error."""
        self._found[path] = (tuple(scan_reading(text, front, self.review)), public_text(front).fingerprint)

    def take(self, notice: Notice, root: Path) -> NoticeReview | None:
        """The review of ``notice`` from its record as the loader read it (None when the loader did not hand it)."""
        found = self._found.pop(notice.path, None)
        if found is None:
            return None
        hits, fingerprint = found
        if notice.approval is None:
            return NoticeReview(notice, hits, None, ApprovalState.NONE)
        if notice.approval.fingerprint == fingerprint:
            return NoticeReview(notice, hits, None, ApprovalState.VALID)
        return review_notice(notice, root, self.review)  # stale: what changed is read with the whole public text


def review_corpus(
    corpus: Corpus,
    root: Path,
    diags: Diagnostics,
    cache: ReviewCache | None = None,
    reviewer: Reviewer | None = None,
) -> None:
    """Append every review finding of ``corpus`` (files under ``root``) to ``diags``.

    With ``cache``, a notice read from the same unchanged file (the same object: see ``loader.NoticeCache``) under the
    same review list is not reviewed again, unless its approval is stale (its changes are read from git's history).
    With ``reviewer`` (handed to the loader that read ``corpus``), the records it was handed are not read again.
    """
    settings = corpus.settings
    if reviewer is None:
        review = load_review_list(root / settings.content_dir, f"{settings.content_dir}/{REVIEW_FILE}", diags)
    else:
        review = reviewer.review
        diags.extend(reviewer.problems.items)
    for notice in corpus.notices:
        kept = cache.get(notice.path) if cache is not None else None
        if kept is not None and kept[0] is notice and kept[1] == review:
            result = kept[2]
        else:
            result = reviewer.take(notice, root) if reviewer is not None else None
            if result is None:
                result = review_notice(notice, root, review)
            if cache is not None and (result is None or result.state is not ApprovalState.STALE):
                cache[notice.path] = (notice, review, result)
        if result is None:
            continue
        strict = settings.require_approval and not notice.draft
        for hit in result.hits:
            report = diags.error if strict and hit.privacy else diags.warning
            report(notice.path, hit.line, hit.message)
        report_approval(result, diags, required=strict)


APPROVE_HINT = "xuncha approve {path} --by 姓名或职务"
# The beginnings of the approval messages: `xuncha approve` sets right what they say, so it does not stop on them.
UNAPPROVED = "未经批准："
CHANGED = "通报文字与批准时不一致"


def is_approval_message(message: str) -> bool:
    return message.startswith((UNAPPROVED, CHANGED))


def report_approval(result: NoticeReview, diags: Diagnostics, *, required: bool) -> None:
    notice = result.notice
    command = APPROVE_HINT.format(path=notice.path)
    if result.state is ApprovalState.NONE and required:
        diags.error(notice.path, 1, f"{UNAPPROVED}站点要求发布前批准公开文本（require_approval）；审定后运行 {command}")
    elif result.state is ApprovalState.STALE and notice.approval is not None:
        approval = notice.approval
        what = (
            "；".join(result.changes) if result.changes else "批准时的文本不在 git 历史中，无法列出改动（批准后请提交）"
        )
        message = (
            f"{CHANGED}（{approval.by}于 {approval.date} 批准）：{what}。"
            f"已发布的通报改动须在 corrections 中写明更正说明，再重新批准：{command}"
        )
        (diags.error if required else diags.warning)(notice.path, result.change_line, message)
