"""The domain model: rounds, notices, problems, contacts and counts.

Everything here is plain, frozen data. Records are turned into these objects by ``records`` + ``loader``; pages, open
data and feeds are made from them. Nothing in this module knows about files, YAML or MkDocs.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime


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
    Status.UNKNOWN: "未标明",
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


def status_from_words(text: str) -> Status | None:
    """The status named at the start of ``text`` in the notices' own words, if any."""
    stripped = text.strip()
    for word, status in sorted(STATUS_WORDS, key=lambda item: -len(item[0])):
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
    body: str = ""  # Markdown of the node's own text, status line excluded
    children: tuple[Problem, ...] = ()

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
        key = unit_key(name)
        for unit in self.units:
            if unit_key(unit.name) == key or key in (unit_key(alias) for alias in unit.aliases):
                return unit
        return None

    @property
    def sort_key(self) -> tuple[date, str]:
        return (self.feedback_date or self.inspection_start or date(self.year or 1, 1, 1), self.id)


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

    @property
    def derived_counts(self) -> Counts:
        return derive_counts(self.problems)

    def is_public(self, build_time: datetime) -> bool:
        """Published on the site: not a draft and not embargoed at ``build_time``."""
        return not self.draft and self.published <= build_time


def derive_counts(problems: tuple[Problem, ...]) -> Counts:
    """Counts that the problem tree itself shows (leaves are the specific problems)."""
    if not problems:
        return Counts()
    leaves = [leaf for problem in problems for leaf in problem.leaves()]
    by_status = {status: 0 for status in Status}
    for leaf in leaves:
        by_status[leaf.status] += 1
    has_status = by_status[Status.UNKNOWN] < len(leaves)
    depth = max(max(p.depth for p in problem.walk()) for problem in problems)

    def status_count(status: Status) -> int | None:
        return by_status[status] if has_status else None

    done = by_status[Status.COMPLETED]
    return Counts(
        problems=len(problems),
        specific_problems=len(leaves) if depth > 1 else None,
        completed=status_count(Status.COMPLETED),
        basically_completed=status_count(Status.BASICALLY_COMPLETED),
        in_progress=status_count(Status.IN_PROGRESS),
        long_term=status_count(Status.LONG_TERM),
        not_completed=status_count(Status.NOT_COMPLETED),
        completion_rate=round(100 * done / len(leaves), 1) if has_status else None,
    )


def unit_key(name: str) -> str:
    """A unit name reduced for matching: 中共某局党组 and 某局党组 are the same unit, and so are names that differ only
    in full-width letters, digits or brackets, or in how an accented letter is composed (NFKC)."""
    key = "".join(unicodedata.normalize("NFKC", name).split())
    for prefix in ("中国共产党", "中共"):
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return key


@dataclass(frozen=True)
class Office:
    """The inspection office and its 信访举报 channels (site settings)."""

    name: str = ""
    hotline: str = ""  # e.g. 12388
    phones: tuple[str, ...] = ()
    mailbox: str = ""
    emails: tuple[str, ...] = ()
    address: str = ""
    postcode: str = ""
    hours: str = ""
    website: str = ""


@dataclass(frozen=True)
class Settings:
    """Site settings from the plugin's entry in ``mkdocs.yml``."""

    content_dir: str = "content"
    owner: str = ""  # 主办单位
    office: Office = field(default_factory=Office)
    icp: str = ""
    police_beian: str = ""
    site_code: str = ""  # 网站标识码
    deadline_days: int = 60
    grace_days: int = 0
    timezone: str = "Asia/Shanghai"
    feed_size: int = 20
    search_shard_size: int = 2000
    strict: bool = False


@dataclass(frozen=True)
class Corpus:
    """Everything loaded from ``content/``: rounds and all notices, drafts included."""

    settings: Settings
    rounds: dict[str, Round]
    notices: tuple[Notice, ...]

    def public_notices(self, build_time: datetime) -> tuple[Notice, ...]:
        """Notices that may appear in the output, newest first."""
        public = [notice for notice in self.notices if notice.is_public(build_time)]
        return tuple(sorted(public, key=lambda n: (n.published, n.id), reverse=True))
