"""The domain model: rounds, notices, problems, contacts and counts.

Everything here is plain, frozen data. Records are turned into these objects by ``records`` + ``loader``; pages, open
data and feeds are made from them. Nothing in this module knows about files, YAML or MkDocs.
"""

from __future__ import annotations

import enum
import functools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any


class Status(str, enum.Enum):
    """Normalised rectification status of one problem (open-data vocabulary)."""

    COMPLETED = "completed"
    BASICALLY_COMPLETED = "basically_completed"
    IN_PROGRESS = "in_progress"
    LONG_TERM = "long_term"
    NOT_COMPLETED = "not_completed"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.COMPLETED: "已完成",
    Status.BASICALLY_COMPLETED: "基本完成",
    Status.IN_PROGRESS: "正在整改",
    Status.LONG_TERM: "长期坚持",
    Status.NOT_COMPLETED: "未完成",
    Status.UNKNOWN: "",  # no status stated: nothing is shown (docs/记录格式.md, 完成情况)
}

# The notices' own status words, longest first so that 基本完成 wins over 完成.
STATUS_WORDS: tuple[tuple[str, Status], ...] = (
    ("阶段性完成", Status.IN_PROGRESS),
    ("基本完成整改", Status.BASICALLY_COMPLETED),
    ("基本完成", Status.BASICALLY_COMPLETED),
    ("基本整改到位", Status.BASICALLY_COMPLETED),
    ("已完成整改", Status.COMPLETED),
    ("已整改完成", Status.COMPLETED),
    ("已整改到位", Status.COMPLETED),
    ("整改完成", Status.COMPLETED),
    ("已完成", Status.COMPLETED),
    ("已办结", Status.COMPLETED),
    ("已整改", Status.COMPLETED),
    ("立行立改", Status.COMPLETED),
    ("正在整改", Status.IN_PROGRESS),
    ("持续整改", Status.IN_PROGRESS),
    ("整改中", Status.IN_PROGRESS),
    ("推进中", Status.IN_PROGRESS),
    ("长期坚持", Status.LONG_TERM),
    ("长期整改", Status.LONG_TERM),
    ("持续推进", Status.LONG_TERM),
    ("未完成", Status.NOT_COMPLETED),
    ("尚未完成", Status.NOT_COMPLETED),
)

STAGES: tuple[str, ...] = ("进展", "阶段性进展", "集中整改", "完成", "回头看")
ROUND_TYPES: tuple[str, ...] = ("常规", "专项", "机动", "回头看", "提级")


# STATUS_WORDS longest first (a stable sort: of two as long, the one listed first), sorted once.
_STATUS_WORDS_LONGEST_FIRST = tuple(sorted(STATUS_WORDS, key=lambda item: -len(item[0])))


def status_from_words(text: str) -> Status | None:
    """The status named at the start of ``text`` in the notices' own words, if any."""
    stripped = text.strip()
    for word, status in _STATUS_WORDS_LONGEST_FIRST:
        if stripped.startswith(word):
            return status
    return None


@dataclass(frozen=True)
class Counts:
    """Figures for a notice. Stated counts come from the record; derived ones from the problem tree.

    ``None`` means "not stated" (or not derivable), never zero.
    """

    problems: int | None = None
    specific_problems: int | None = None
    suggestions: int | None = None
    measures: int | None = None
    rules: int | None = None
    completed: int | None = None
    basically_completed: int | None = None
    in_progress: int | None = None
    long_term: int | None = None
    not_completed: int | None = None
    completion_rate: float | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def as_dict(self) -> dict[str, int | float | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


COUNT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Counts))


@dataclass(frozen=True)
class Problem:
    """One node of the problems part: a category, a problem or a sub-problem (depth 1–3)."""

    title: str
    depth: int
    line: int
    status: Status = Status.UNKNOWN
    status_text: str = ""  # the notice's own words, e.g. 已完成 or 基本完成
    # Where the status was stated: "line" (完成情况：… paragraph, kept verbatim in status_line), "title" (（已完成） at
    # the end of the heading), "category" (an ancestor's heading, e.g. （一）已整改完成的问题), or "" (none).
    status_from: str = ""
    status_line: str = ""  # the verbatim paragraph the status came from, when status_from == "line"
    body: str = ""  # Markdown of the node's own text, status line excluded
    children: tuple[Problem, ...] = ()
    # The editor's theme marks on the heading ({主题：+公务用车 -党费}), as written: "+name" adds, "-name" removes.
    theme_marks: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return f"p{self.line}"

    def walk(self) -> Iterator[Problem]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator[Problem]:
        if not self.children:
            yield self
            return
        for child in self.children:
            yield from child.leaves()


@dataclass(frozen=True)
class Part:
    """A numbered part of the body (一、二、三、): a level-2 heading with its text."""

    title: str
    line: int
    body: str  # Markdown before the first problem heading (all of it for narrative parts)
    problems: tuple[Problem, ...] = ()
    is_problems: bool = False

    @property
    def anchor(self) -> str:
        return f"part{self.line}"


@dataclass(frozen=True)
class Contact:
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    mailbox: str = ""
    address: str = ""
    postcode: str = ""
    text: str = ""  # the verbatim contact paragraph

    def is_empty(self) -> bool:
        return not (self.phones or self.emails or self.mailbox or self.address or self.postcode or self.text)


@dataclass(frozen=True)
class Source:
    name: str = ""
    url: str = ""
    editor: str = ""
    index_no: str = ""  # 信息索引号
    published: str = ""  # the original page's publication time, as the importer found it


@dataclass(frozen=True)
class Attachment:
    title: str
    href: str  # a site-relative file path or an http(s) URL


@dataclass(frozen=True)
class Correction:
    """A correction (更正) published after the notice itself."""

    date: date
    text: str
    line: int = field(default=0, compare=False)  # in the record, for diagnostics


@dataclass(frozen=True)
class Approval:
    """Who approved the notice's public text, when, and the fingerprint of that text (:mod:`xuncha_site.core.approval`)."""

    by: str
    date: date
    fingerprint: str


@dataclass(frozen=True)
class TrackingPin:
    """The editor's word on one problem's identity across the unit's notices (``tracking:``, core/tracking.py).

    ``same_as`` is ``<notice id>#<problem title>`` of an earlier notice of the same unit; ``new`` breaks any match.
    """

    problem: str  # the title of a problem (a leaf) of this notice, as its heading gives it
    same_as: str = ""
    new: bool = False
    line: int = field(default=0, compare=False)  # in the record, for diagnostics


@dataclass(frozen=True)
class UnitRef:
    """An inspected unit as its round lists it."""

    name: str
    slug: str
    group: str
    feedback_date: date | None = None
    aliases: tuple[str, ...] = ()
    slug_written: bool = False  # the round file gives the slug (else it is made from the name)
    line: int = field(default=0, compare=False)  # in the round file, for diagnostics


@dataclass(frozen=True)
class Group:
    name: str
    units: tuple[UnitRef, ...]
    leader: str = ""


@dataclass(frozen=True)
class Round:
    id: str
    name: str
    path: str
    committee: str = ""
    term: str = ""  # 届, e.g. 十四届
    number: int | None = None  # 轮次
    year: int | None = None
    type: str = "常规"
    topic: str = ""
    inspection_start: date | None = None
    inspection_end: date | None = None
    feedback_date: date | None = None
    groups: tuple[Group, ...] = ()
    description: str = ""
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def units(self) -> tuple[UnitRef, ...]:
        return tuple(unit for group in self.groups for unit in group.units)

    def find_unit(self, name: str) -> UnitRef | None:
        """The first unit of the round that goes by ``name`` (its name or an alias, as :func:`unit_key` reads)."""
        return self._unit_keys.get(unit_key(name))

    @functools.cached_property
    def _unit_keys(self) -> dict[str, UnitRef]:
        found: dict[str, UnitRef] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                found.setdefault(unit_key(name), unit)
        return found

    @property
    def sort_key(self) -> tuple[date, str]:
        return (self.feedback_date or self.inspection_start or date(self.year or 1, 1, 1), self.id)


def newest_first(rounds: Iterable[Round]) -> tuple[Round, ...]:
    """Rounds in the order every page, data file and search filter lists them: newest first."""
    return tuple(sorted(rounds, key=lambda r: r.sort_key, reverse=True))


@dataclass(frozen=True)
class Notice:
    id: str  # "<round-id>/<slug>"
    slug: str
    round_id: str
    path: str
    unit: str
    unit_slug: str
    issuer: str
    group: str
    stage: str
    notice_date: date
    published: datetime
    title: str
    inspection_start: date | None = None
    inspection_end: date | None = None
    feedback_date: date | None = None
    draft: bool = False
    title_override: bool = False
    preamble: str = ""  # Markdown before the first part
    parts: tuple[Part, ...] = ()
    counts: Counts = field(default_factory=Counts)
    contact: Contact = field(default_factory=Contact)
    source: Source = field(default_factory=Source)
    attachments: tuple[Attachment, ...] = ()
    corrections: tuple[Correction, ...] = ()
    approval: Approval | None = None
    tracking: tuple[TrackingPin, ...] = ()
    # Line of each front-matter key in the record, for diagnostics; not part of the value.
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def problems(self) -> tuple[Problem, ...]:
        for part in self.parts:
            if part.is_problems:
                return part.problems
        return ()

    def all_problems(self) -> Iterator[Problem]:
        for problem in self.problems:
            yield from problem.walk()

    @functools.cached_property
    def derivation(self) -> Derivation:
        """The figures of its problem tree (made once: pages, checks, counts and open data read them)."""
        return derive(self.problems)

    @functools.cached_property
    def derived_counts(self) -> Counts:
        return self.derivation.counts()

    def is_public(self, build_time: datetime) -> bool:
        """Published on the site: not a draft and not embargoed at ``build_time``."""
        return not self.draft and self.published <= build_time


@dataclass(frozen=True)
class Derivation:
    """What the problem tree itself shows, at the one counting level: the leaves of the problems part (末级问题).

    ``complete`` when the notice states a status (its own, or its category heading's) for every leaf; only then are
    the figures derived from statuses published (docs/记录格式.md, “据正文逐项统计”).
    """

    items: int  # leaves under the problems part
    with_status: int  # leaves with a stated status
    by_status: dict[Status, int]

    @property
    def complete(self) -> bool:
        return self.items > 0 and self.with_status == self.items

    def counts(self) -> Counts:
        """The derived figures: all ``None`` unless the derivation is complete."""
        if not self.complete:
            return Counts()
        done = self.by_status[Status.COMPLETED]
        return Counts(
            problems=self.items,  # the counting level: leaves, whether the notice calls them 问题 or 具体问题
            completed=done,
            basically_completed=self.by_status[Status.BASICALLY_COMPLETED],
            in_progress=self.by_status[Status.IN_PROGRESS],
            long_term=self.by_status[Status.LONG_TERM],
            not_completed=self.by_status[Status.NOT_COMPLETED],
            completion_rate=completion_rate(done, self.items),
        )


def completion_rate(done: int, total: int) -> float | None:
    """已完成 ÷ 总数 × 100, one decimal: the one rule for every rate the site computes."""
    return round(100 * done / total, 1) if total else None


def counted_items(problems: tuple[Problem, ...]) -> list[Problem]:
    """The counting level of every derived figure (page, check, open data, rounds): the leaves of the tree."""
    return [leaf for problem in problems for leaf in problem.leaves()]


def derive(problems: tuple[Problem, ...]) -> Derivation:
    leaves = counted_items(problems)
    by_status = {status: 0 for status in Status}
    for leaf in leaves:
        by_status[leaf.status] += 1
    return Derivation(len(leaves), len(leaves) - by_status[Status.UNKNOWN], by_status)


def derive_counts(problems: tuple[Problem, ...]) -> Counts:
    """Figures derived from the statuses of the leaves; all ``None`` unless every leaf has a stated status."""
    return derive(problems).counts()


# Cached: each notice's unit is looked up among its round's units, names and aliases (Round.find_unit).
@functools.lru_cache(maxsize=65536)
def unit_key(name: str) -> str:
    """A unit name reduced for matching: 中共某局党组 and 某局党组 are the same unit, and so are names that differ only
    in full-width letters, digits or brackets, or in how an accented letter is composed (NFKC)."""
    key = "".join(unicodedata.normalize("NFKC", name).split())
    for prefix in ("中国共产党", "中共"):
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return key


class SettingKind(str, enum.Enum):
    """How a site setting's value is written and checked (:mod:`xuncha_site.core.settings`)."""

    TEXT = "text"
    INTEGER = "integer"  # a whole number, between the declared minimum and maximum
    FLAG = "flag"  # true or false
    TIMEZONE = "timezone"  # an IANA name, such as Asia/Shanghai
    PHONE = "phone"  # one telephone number
    PHONES = "phones"  # one number or a list of them
    EMAILS = "emails"  # one address or a list of them
    POSTCODE = "postcode"  # six digits
    URL = "url"  # http:// or https://
    MEMBERS = "members"  # a list of member sites, each a mapping of name, url and optional path (Member)
    SECTION = "section"  # a group of settings of its own (a nested dataclass)


@dataclass(frozen=True)
class SettingInfo:
    """The declaration of one site setting, kept as the metadata of its dataclass field.

    From it come the checks of ``mkdocs.yml`` (:mod:`xuncha_site.core.settings`), the MkDocs config options of the
    plugin and the editor schema of the settings: a setting is declared here and nowhere else.
    """

    label: str  # Chinese, as messages and the editor schema name it
    kind: SettingKind = SettingKind.TEXT
    minimum: int | None = None  # INTEGER only
    maximum: int | None = None  # INTEGER only
    help: str = ""  # a sentence for the editor schema, when the label alone does not say enough


def _setting(default: Any, label: str, kind: SettingKind = SettingKind.TEXT, **info: Any) -> Any:
    return field(default=default, metadata={"setting": SettingInfo(label, kind, **info)})


def setting_fields(section: type) -> tuple[tuple[str, SettingInfo], ...]:
    """The declared settings of ``Settings`` or ``Office``, in their order: (key in mkdocs.yml, declaration)."""
    return tuple((f.name, f.metadata["setting"]) for f in fields(section))


# Ten years at most: a deadline is added to dates, and a huge one overflows every date after it.
MAX_DAYS = 3650


@dataclass(frozen=True)
class Office:
    """The inspection office and its 信访举报 channels (site settings, ``office:``)."""

    name: str = _setting("", "机构名称")
    hotline: str = _setting("", "举报电话（如 12388）", SettingKind.PHONE)
    phones: tuple[str, ...] = _setting((), "电话", SettingKind.PHONES, help="其他电话，可写多个")
    mailbox: str = _setting("", "邮政信箱")
    emails: tuple[str, ...] = _setting((), "电子邮箱", SettingKind.EMAILS)
    address: str = _setting("", "地址")
    postcode: str = _setting("", "邮政编码", SettingKind.POSTCODE)
    hours: str = _setting("", "接待时间")
    website: str = _setting("", "举报网站", SettingKind.URL, help="网上举报网址，以 http:// 或 https:// 开头")


@dataclass(frozen=True)
class Member:
    """One member site of an aggregating site (settings, ``members:``): read only through what it publishes."""

    name: str  # as the aggregator's pages show it
    url: str  # the member's site address (http:// or https://, ending in /)
    path: str = ""  # optional: a folder holding a built copy of the member's site, read instead of the URL

    @property
    def id(self) -> str:
        """The member's folder name in the aggregator's site and cache: its host and path, made file-safe."""
        import re

        stripped = re.sub(r"^https?://", "", self.url).strip("/").lower()
        return re.sub(r"[^a-z0-9.-]+", "-", stripped).strip("-.") or "member"


MEMBER_FIELDS = {"name": "成员站点名称", "url": "成员站点网址", "path": "成员站点的本地副本目录"}


@dataclass(frozen=True)
class Settings:
    """Site settings: the options of the ``xuncha`` plugin in ``mkdocs.yml``, declared once, here."""

    content_dir: str = _setting("content", "内容目录")
    owner: str = _setting("", "主办单位", help="显示在页脚")
    office: Office = field(
        default_factory=Office,
        metadata={
            "setting": SettingInfo("巡察机构及信访举报渠道", SettingKind.SECTION, help="显示在“监督举报”页和页脚")
        },
    )
    icp: str = _setting("", "ICP备案号")
    police_beian: str = _setting("", "公安备案号")
    site_code: str = _setting("", "网站标识码")
    deadline_days: int = _setting(
        60, "反馈后应公开的天数", SettingKind.INTEGER, minimum=1, maximum=MAX_DAYS, help="反馈后多少天内应公开整改进展"
    )
    grace_days: int = _setting(
        0,
        "公开期限宽限天数",
        SettingKind.INTEGER,
        minimum=0,
        maximum=MAX_DAYS,
        help="超过 deadline_days + grace_days 天仍未公开即标“逾期”",
    )
    timezone: str = _setting("Asia/Shanghai", "时区", SettingKind.TIMEZONE, help="发布时间所用的时区，如 Asia/Shanghai")
    feed_size: int = _setting(20, "订阅中的通报条数", SettingKind.INTEGER, minimum=1)
    search_shard_size: int = _setting(
        2000, "搜索索引每片的通报数", SettingKind.INTEGER, minimum=1, help="通报上万篇时控制构建内存，一般不用改"
    )
    strict: bool = _setting(False, "严格模式（警告也算失败）", SettingKind.FLAG)
    require_approval: bool = _setting(
        False,
        "须经批准才发布",
        SettingKind.FLAG,
        help="为真时，非草稿通报须有与正文一致的批准（xuncha approve），隐私与保密审查的提示也算错误",
    )
    members: tuple[Member, ...] = _setting(
        (),
        "成员站点",
        SettingKind.MEMBERS,
        help="联合站点汇集的各成员站点，每项写 name、url，可加 path（已构建站点的本地目录）",
    )
    member_timeout: int = _setting(
        10, "读取成员站点的超时秒数", SettingKind.INTEGER, minimum=1, maximum=300, help="每个文件的连接与读取超时"
    )
    member_size_limit: int = _setting(
        50,
        "成员站点单个文件的大小上限（MB）",
        SettingKind.INTEGER,
        minimum=1,
        maximum=2048,
        help="超过即视为该成员不可用，改用上次的副本",
    )


@dataclass(frozen=True)
class Theme:
    """One theme of the site's list of common problems (共性问题), from ``content/themes.yml``."""

    slug: str
    name: str
    description: str = ""
    words: tuple[str, ...] = ()  # marking words: a problem whose title holds one is about the theme
    exclude: tuple[str, ...] = ()  # a marking word inside one of these does not count
    path: str = ""
    line: int = 0
    # Line of each word in the theme file, for diagnostics; not part of the value.
    word_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Corpus:
    """Everything loaded from ``content/``: rounds and all notices, drafts included, and the site's theme list."""

    settings: Settings
    rounds: dict[str, Round]
    notices: tuple[Notice, ...]
    themes: tuple[Theme, ...] = ()

    def public_notices(self, build_time: datetime) -> tuple[Notice, ...]:
        """Notices that may appear in the output, newest first."""
        public = [notice for notice in self.notices if notice.is_public(build_time)]
        return tuple(sorted(public, key=lambda n: (n.published, n.id), reverse=True))
