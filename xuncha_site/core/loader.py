"""Loading ``content/`` into the domain model, with a diagnostic for every problem found on the way.

The loader checks what one file can tell on its own (syntax, field names and types, formats, the body's structure);
:mod:`xuncha_site.validate` checks what needs the whole corpus (references, duplicates, date order, counts).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yaml.nodes import Node, ScalarNode

from xuncha_site.core.attachments import AttachmentError, local_source
from xuncha_site.core.body import parse_body
from xuncha_site.core.diagnostics import Diagnostic, Diagnostics
from xuncha_site.core.fields import (
    APPROVAL,
    ATTACHMENT,
    CONTACT,
    CORRECTION,
    COUNTS,
    GROUP,
    MAX_YEAR,
    NAME,
    NOTICE,
    ROUND,
    SLUG_MAX,
    SLUG_PATTERN,
    SLUG_RULE,
    SOURCE,
    TRACKING,
    UNIT,
    Invalid,
)
from xuncha_site.core.input_files import InputFileError, read_regular
from xuncha_site.core.markdown_limits import check_markdown
from xuncha_site.core.model import (
    Approval,
    Attachment,
    Contact,
    Corpus,
    Correction,
    Counts,
    Group,
    Notice,
    Round,
    Settings,
    Source,
    TrackingPin,
    UnitRef,
    unit_key,
)
from xuncha_site.core.pinyin import lazy_pinyin
from xuncha_site.core.records import (
    MAX_RECORD_BYTES,
    Fields,
    FrontMatter,
    compose_yaml,
    line_of,
    read_text,
    split_front_matter,
)

# \Z, not $: "abc\n" is no slug.
SLUG = re.compile(f"(?:{SLUG_PATTERN})\\Z")
RECORD_SUFFIXES = (".yml", ".yaml")
ATTACHMENT_DIR = "files"  # notices/<round>/files/…: attachments, see docs/记录格式.md
MAX_YAML_CHARS = 256 * 1024
# Handed each notice record read: (its path as diagnostics name it, its text, its front matter).
RecordReader = Callable[[str, str, FrontMatter], None]


EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
_MAX_EPOCH = int(datetime(MAX_YEAR, 12, 31, tzinfo=timezone.utc).timestamp())


def build_time(tz: tzinfo | None = None, diags: Diagnostics | None = None) -> datetime:
    """The build date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), otherwise now.

    A value that is not a whole number of seconds since 1970 up to the year :data:`MAX_YEAR` is an error in
    ``diags`` (the build then stops), never a silent fall-back to now.
    """
    epoch = os.environ.get(EPOCH_VARIABLE, "").strip()
    moment = datetime.now(timezone.utc)
    if epoch:
        if re.fullmatch(r"[0-9]{1,12}", epoch) and int(epoch) <= _MAX_EPOCH:
            moment = datetime.fromtimestamp(int(epoch), timezone.utc)
        elif diags is not None:
            diags.error(
                f"环境变量 {EPOCH_VARIABLE}",
                1,
                f"值“{epoch[:40]}”无效：应为 1970 年以来的整秒数（如 1700000000），不超过 {MAX_YEAR} 年；"
                "不需要固定构建时间时请删去这个环境变量",
            )
    return moment.astimezone(tz) if tz else moment


def zone(settings: Settings) -> tzinfo:
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def slugify(name: str) -> str:
    """An ASCII, stable slug for a Chinese name: pinyin syllables joined by hyphens, letters and digits kept whole."""
    syllables = lazy_pinyin(unit_key(name))  # a run of other characters is kept whole
    slug = "-".join(s.lower() for s in syllables)
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    if len(slug) > SLUG_MAX:  # a long name: whole syllables up to the limit (two units cut alike are reported)
        slug = slug[: SLUG_MAX + 1].rsplit("-", 1)[0] if "-" in slug[:SLUG_MAX] else slug[:SLUG_MAX]
    return slug or "unit"


def _rel(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path, base)
    except ValueError:
        return str(path)


FileStamps = tuple[tuple[str, int, int], ...]


class NoticeKey(NamedTuple):
    """What a notice as read depends on: a notice file read again with an equal key reads the same."""

    zone: tzinfo
    round_id: str  # the round folder it is in
    round_version: int | None  # NoticeCache.round_versions: changes when the round's record reads differently
    stamps: FileStamps  # its file's (_stamps)

    def same_file(self, other: NoticeKey) -> bool:
        """The same file read in the same time zone and folder (its round's record may have changed)."""
        return (self.zone, self.round_id, self.stamps) == (other.zone, other.round_id, other.stamps)


class LastRead(NamedTuple):
    """A notice file as the last load read it."""

    key: NoticeKey
    notice: Notice | None  # None when it gave errors
    found: tuple[Diagnostic, ...]  # its diagnostics


class NoticeCache:
    """Notices already read, by file, for a process that loads the same content again and again (``xuncha serve``):
    a file is read again only when it, its round's record or the time zone changed. Notices that gave any diagnostic
    or name a local attachment (whose file may appear later) are always read again — except in a load that the
    caller has told, with :meth:`only_changed`, which files of ``content/`` changed since the last load: then the
    folder is not listed again, no other file is looked at, and every other notice is as the last load read it (with
    its diagnostics). Round records are kept alike.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[NoticeKey, Notice]] = {}
        self._rounds: dict[str, tuple[int, Round]] = {}  # round id → (version, the round as last read)
        self.reviews: dict = {}  # core.review's reviews of these notices (review.ReviewCache)
        self.checks: dict = {}  # core.validate's checks of each notice (validate.NoticeChecks)
        self.marks: dict = {}  # core.themes' checks of each notice's theme marks (check_marks' memo)
        self.rounds: dict[Path, tuple[object, Round]] = {}  # round records read without a diagnostic, by file
        # The last load: the files of notices/ (path, as shown, relative parts) and every notice file read.
        self.listing: list[tuple[Path, str, tuple[str, ...]]] | None = None
        self.last: dict[Path, LastRead] = {}
        self.changed: set[Path] | None = None  # for the next load only (only_changed)

    def only_changed(self, paths: Iterable[Path]) -> None:
        """The next load may take every file of ``content/`` but these to be as the last load read it (none was
        added or removed, none but these changed)."""
        self.changed = {Path(path) for path in paths}

    def get(self, path: Path, key: NoticeKey) -> Notice | None:
        entry = self._entries.get(path)
        return entry[1] if entry is not None and entry[0] == key else None

    def put(self, path: Path, key: NoticeKey, notice: Notice) -> None:
        self._entries[path] = (key, notice)

    def round_versions(self, rounds: dict[str, Round]) -> dict[str, int]:
        """A number per round that changes when the round's record reads differently (a notice reads its own)."""
        versions = {}
        for round_id, round_ in rounds.items():
            version, seen = self._rounds.get(round_id, (0, None))
            if seen != round_:
                version += 1
                self._rounds[round_id] = (version, round_)
            versions[round_id] = version
        return versions


def load_corpus(
    settings: Settings,
    root: Path,
    diags: Diagnostics,
    *,
    display_base: Path | None = None,
    cache: NoticeCache | None = None,
    reader: RecordReader | None = None,
) -> Corpus:
    """Load rounds and notices from ``root / settings.content_dir``; problems go to ``diags``.

    Paths in diagnostics are relative to ``display_base`` (default: the site root, where mkdocs.yml lives). ``reader``
    is handed each notice record read (not one taken from ``cache``), with its text and front matter, once it is a
    notice: the pre-publication review's (``review.Reviewer.read``), which so reads no file again.
    """
    content = (root / settings.content_dir).resolve()
    base = display_base or root.resolve()
    changed = cache.changed if cache is not None else None  # for this load only
    if cache is not None:
        cache.changed = None
    if not content.is_dir():
        diags.error(_rel(root / "mkdocs.yml", base), 1, f"内容目录“{settings.content_dir}”不存在")
        return Corpus(settings, {}, ())
    rounds = _load_rounds(content / "rounds", base, diags, cache)
    notices = _load_notices(content, rounds, settings, base, diags, cache, reader=reader, changed=changed)
    return Corpus(settings, rounds, tuple(notices))


def _load_rounds(folder: Path, base: Path, diags: Diagnostics, cache: NoticeCache | None = None) -> dict[str, Round]:
    rounds: dict[str, Round] = {}
    if not folder.is_dir():
        diags.error(_rel(folder, base), 1, "缺少轮次目录 rounds/：每轮巡察一个 YAML 文件")
        return rounds
    for path in sorted(folder.iterdir()):
        shown = _rel(path, base)
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix not in RECORD_SUFFIXES:
            diags.warning(shown, 1, "rounds/ 目录下只应有 .yml 轮次文件，此文件被忽略")
            continue
        key = (shown, _stamps([path])) if cache is not None else None
        kept = cache.rounds.get(path) if cache is not None else None
        round_: Round | None
        if kept is not None and kept[0] == key:
            round_ = kept[1]
        else:
            before = len(diags.items)
            round_ = _load_round(path, shown, diags)
            if cache is not None and round_ is not None and len(diags.items) == before:
                cache.rounds[path] = (key, round_)
        if round_ is None:
            continue
        if round_.id in rounds:
            diags.error(shown, 1, f"轮次编号“{round_.id}”重复：{rounds[round_.id].path} 已使用")
            continue
        rounds[round_.id] = round_
    return rounds


def _read_record(path: Path, shown: str, diags: Diagnostics) -> str | None:
    try:
        raw = read_regular(path, MAX_RECORD_BYTES, what="记录文件")
    except InputFileError as exc:
        diags.error(shown, 1, exc.message)
        return None
    return read_text(raw, shown, diags)


def _read_yaml_file(path: Path, shown: str, diags: Diagnostics) -> Node | None:
    text = _read_record(path, shown, diags)
    if text is None:
        return None
    if len(text) > MAX_YAML_CHARS:
        diags.error(shown, 1, f"文件过长（超过 {MAX_YAML_CHARS // 1024} KB），轮次文件通常只有几 KB")
        return None
    reported = len(diags.items)
    node = compose_yaml(text, shown, diags)
    if node is None and text.strip() and len(diags.items) == reported:  # not already reported as a YAML error
        diags.error(shown, 1, "文件为空")
    return node


def _load_round(path: Path, shown: str, diags: Diagnostics) -> Round | None:
    round_id = path.stem
    before = len(diags.errors)
    if not SLUG.match(round_id):
        diags.error(shown, 1, f"轮次文件名“{path.name}”无效：{SLUG_RULE}，如 2024-1.yml")
    node = _read_yaml_file(path, shown, diags)
    if node is None:
        if len(diags.errors) == before:
            diags.error(shown, 1, "轮次文件为空")
        return None
    fields = Fields.of(node, shown, diags)
    if fields is None:
        return None
    name = fields.get(ROUND["name"]) or ""
    round_type = fields.get(ROUND["type"]) or "常规"
    start = fields.get(ROUND["inspection_start"])
    end = fields.get(ROUND["inspection_end"])
    feedback = fields.get(ROUND["feedback_date"])
    year = fields.get(ROUND["year"])
    groups = _load_groups(fields, shown, diags, round_feedback=feedback)
    round_ = Round(
        id=round_id,
        name=name,
        path=shown,
        committee=fields.get(ROUND["committee"]) or "",
        term=fields.get(ROUND["term"]) or "",
        number=fields.get(ROUND["number"]),
        year=year or (start.year if start else feedback.year if feedback else None),
        type=round_type,
        topic=fields.get(ROUND["topic"]) or "",
        inspection_start=start,
        inspection_end=end,
        feedback_date=feedback,
        groups=groups,
        description=fields.get(ROUND["description"]) or "",
        lines=dict(fields.lines),
    )
    fields.finish(ROUND)
    return round_


def _load_groups(fields: Fields, shown: str, diags: Diagnostics, *, round_feedback: date | None) -> tuple[Group, ...]:
    groups: list[Group] = []
    group_names: dict[str, int] = {}
    unit_names: dict[str, int] = {}
    for group_node in fields.items(ROUND["groups"]):
        group = Fields.of(group_node, shown, diags, where="巡察组")
        if group is None:
            continue
        name = group.get(GROUP["name"]) or ""
        if name in group_names:
            diags.error(shown, line_of(group_node), f"巡察组“{name}”重复（第 {group_names[name]} 行已有）")
        group_names[name] = line_of(group_node)
        units: list[UnitRef] = []
        for unit_node in group.items(GROUP["units"]):
            unit = _load_unit(unit_node, name, shown, diags, round_feedback)
            if unit is None:
                continue
            key = unit_key(unit.name)
            if key in unit_names:
                diags.error(
                    shown, line_of(unit_node), f"被巡察单位“{unit.name}”在本轮重复（第 {unit_names[key]} 行已有）"
                )
                continue
            unit_names[key] = line_of(unit_node)
            units.append(unit)
        group.finish(GROUP)
        groups.append(Group(name=name, units=tuple(units), leader=group.get(GROUP["leader"]) or ""))
    return tuple(groups)


def _load_unit(node: Node, group: str, shown: str, diags: Diagnostics, round_feedback: date | None) -> UnitRef | None:
    if isinstance(node, ScalarNode):
        name = "" if node.tag == "tag:yaml.org,2002:null" else str(node.value).strip()
        if not name:
            diags.error(shown, line_of(node), "被巡察单位名称不能为空")
            return None
        try:  # a unit written by its name alone is a name as the declaration reads one
            NAME.parse(name, timezone.utc)
        except Invalid as exc:
            diags.error(shown, line_of(node), f"被巡察单位名称{exc.message}")
        return UnitRef(name=name, slug=slugify(name), group=group, feedback_date=round_feedback, line=line_of(node))
    unit = Fields.of(node, shown, diags, where="被巡察单位")
    if unit is None:
        return None
    name = unit.get(UNIT["name"]) or ""
    slug = unit.get(UNIT["slug"]) or ""
    feedback = unit.get(UNIT["feedback_date"])
    aliases = tuple(unit.texts(UNIT["aliases"]))
    unit.finish(UNIT)
    if not name:
        return None
    return UnitRef(
        name=name,
        slug=slug or slugify(name),
        group=group,
        feedback_date=feedback or round_feedback,
        aliases=tuple(aliases),
        slug_written=bool(slug),
        line=line_of(node),
    )


def _load_notices(
    content: Path,
    rounds: dict[str, Round],
    settings: Settings,
    base: Path,
    diags: Diagnostics,
    cache: NoticeCache | None = None,
    reader: RecordReader | None = None,
    changed: set[Path] | None = None,
) -> list[Notice]:
    folder = content / "notices"
    notices: list[Notice] = []
    if not folder.is_dir():
        diags.warning(_rel(folder, base), 1, "缺少通报目录 notices/")
        return notices
    tz = zone(settings)
    versions = cache.round_versions(rounds) if cache is not None else {}
    trusted = changed is not None and cache is not None and cache.listing is not None  # see only_changed
    if trusted and cache is not None and cache.listing is not None:
        listing = cache.listing
    else:
        listing = []
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or any(part.startswith(".") for part in path.relative_to(folder).parts):
                continue
            listing.append((path, _rel(path, base), path.relative_to(folder).parts))
        if cache is not None:
            cache.listing = listing
    last = cache.last if cache is not None else {}
    for path, shown, parts in listing:
        if len(parts) > 2 and parts[1] == ATTACHMENT_DIR:
            continue  # attachments (any type, .txt and .md included) are files, not records
        if path.suffix != ".md":
            if path.suffix in RECORD_SUFFIXES or path.suffix in (".txt", ".markdown"):
                diags.warning(shown, 1, "notices/ 下只读取 .md 通报文件，此文件被忽略")
            continue
        if len(parts) != 2:
            diags.error(shown, 1, "通报文件应放在 notices/<轮次编号>/<网址名>.md")
            continue
        notice: Notice | None = None
        if cache is None:
            notice = _load_notice(path, shown, parts[0], rounds, tz, diags, reader)
        else:
            kept = last.get(path) if trusted and changed is not None and path not in changed else None
            stamps = kept.key.stamps if kept is not None else _stamps([path])
            key = NoticeKey(tz, parts[0], versions.get(parts[0]), stamps)
            if kept is not None and kept.key == key:  # unchanged since the last load, which read it so
                notice = kept.notice
                diags.extend(kept.found)
            else:
                notice = cache.get(path, key)
                if notice is None:
                    before = len(diags.items)
                    notice = _load_notice(path, shown, parts[0], rounds, tz, diags, reader)
                    found = tuple(diags.items[before:])
                    notice = _as_before(last.get(path), key, notice, found)
                    if notice is not None and not found and not _local_attachments(notice):
                        cache.put(path, key, notice)
                else:
                    found = ()
                last[path] = LastRead(key, notice, found)
        if notice is not None:
            notices.append(notice)
    return notices


def _as_before(
    last: LastRead | None, key: NoticeKey, notice: Notice | None, found: tuple[Diagnostic, ...]
) -> Notice | None:
    """The notice as the last load read it, when the same file in the same time zone read again (its round's record
    changed) gives the same notice and diagnostics: the very same object, which the checks and the catalogue take as
    unchanged (``xuncha serve``: a round renamed does not make its notices new)."""
    if last is None or last.notice is None or notice is None:
        return notice
    same = last.key.same_file(key) and last.notice == notice and last.found == found
    return last.notice if same else notice


def _stamps(paths: Iterable[Path]) -> FileStamps:
    """What tells that files changed without reading them: name, modification time and size."""
    stamps = []
    for path in sorted(paths):
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def _local_attachments(notice: Notice) -> bool:
    return any("://" not in attachment.href for attachment in notice.attachments)


def _load_notice(
    path: Path,
    shown: str,
    folder_round: str,
    rounds: dict[str, Round],
    tz: tzinfo,
    diags: Diagnostics,
    reader: RecordReader | None = None,
) -> Notice | None:
    slug = path.stem
    if not SLUG.match(slug):
        diags.error(shown, 1, f"通报文件名“{path.name}”无效：{SLUG_RULE}（网址要稳定、用 ASCII）")
    text = _read_record(path, shown, diags)
    if text is None:
        return None
    reported = len(diags.items)
    front = split_front_matter(text, shown, diags)
    if front is None:
        return None
    if front.node is None:
        if len(diags.items) == reported:  # no YAML error was reported: the front matter really is empty
            diags.error(shown, 1, "前置元数据为空：至少要写 round、unit、issuer、notice_date、published、stage")
        return None
    meta = Fields.of(front.node, shown, diags, line=front.yaml_line)
    if meta is None:
        return None

    round_id = meta.get(NOTICE["round"]) or ""
    round_ = rounds.get(round_id)
    if round_id and round_ is None:
        close = _closest(round_id, list(rounds))
        hint = f"，是不是“{close}”？" if close else "；请先在 rounds/ 下建立该轮次文件"
        diags.error(shown, meta.line("round"), f"未知的巡察轮次“{round_id}”{hint}")
    elif round_id and round_id != folder_round:
        diags.error(
            shown, meta.line("round"), f"round 是“{round_id}”，但文件在 notices/{folder_round}/ 目录下；两者应一致"
        )

    unit = meta.get(NOTICE["unit"]) or ""
    unit_ref = round_.find_unit(unit) if (round_ and unit) else None
    issuer = meta.get(NOTICE["issuer"]) or ""
    group = meta.get(NOTICE["group"]) or (unit_ref.group if unit_ref else "")
    stage = meta.get(NOTICE["stage"]) or ""
    notice_date = meta.get(NOTICE["notice_date"])
    published = meta.get(NOTICE["published"], tz)
    draft = bool(meta.get(NOTICE["draft"]))
    inspection_start = meta.get(NOTICE["inspection_start"])
    inspection_end = meta.get(NOTICE["inspection_end"])
    feedback_date = meta.get(NOTICE["feedback_date"])
    title = meta.get(NOTICE["title"]) or ""
    counts = _load_counts(meta.record(NOTICE["counts"]))
    contact = _load_contact(meta.record(NOTICE["contact"]))
    source = _load_source(meta.record(NOTICE["source"]))
    attachments = _load_attachments(meta, path, shown, diags)
    corrections = _load_corrections(meta, shown, diags)
    approval = _load_approval(meta.record(NOTICE["approval"]))
    tracking = _load_tracking(meta, shown, diags)
    meta.finish(NOTICE)

    body = parse_body(front.body, shown, front.body_line, diags)
    if not check_markdown(front.body, shown, front.body_line, diags):
        return None  # never handed on to be rendered
    if notice_date is None or published is None or not unit or not issuer or not stage or not round_id:
        return None
    if round_ is not None:
        inspection_start = inspection_start or round_.inspection_start
        inspection_end = inspection_end or round_.inspection_end
        feedback_date = feedback_date or (unit_ref.feedback_date if unit_ref else None) or round_.feedback_date
    if reader is not None:
        reader(shown, text, front)
    return Notice(
        id=f"{folder_round}/{slug}",  # the path decides the id and URL; a mismatching round is an error
        slug=slug,
        round_id=round_id,
        path=shown,
        unit=unit,
        unit_slug=unit_ref.slug if unit_ref else slugify(unit),
        issuer=issuer,
        group=group,
        stage=stage,
        notice_date=notice_date,
        published=published,
        title=title or compose_title(issuer, round_, stage),
        inspection_start=inspection_start,
        inspection_end=inspection_end,
        feedback_date=feedback_date,
        draft=draft,
        title_override=bool(title),
        preamble=body.preamble,
        parts=body.parts,
        counts=counts,
        contact=contact,
        source=source,
        attachments=attachments,
        corrections=corrections,
        approval=approval,
        tracking=tracking,
        lines={**meta.lines, "body": front.body_line},
    )


_STAGE_TITLES = {
    "进展": "巡察整改进展情况的通报",
    "阶段性进展": "巡察整改阶段性进展情况的通报",
    "集中整改": "巡察集中整改进展情况的通报",
    "完成": "巡察整改情况的通报",
    "回头看": "巡察“回头看”整改情况的通报",
}


def compose_title(issuer: str, round_: Round | None, stage: str) -> str:
    """The title when the record gives none: 中共XX党组关于十四届市委第三轮巡察整改进展情况的通报."""
    tail = _STAGE_TITLES.get(stage, "巡察整改进展情况的通报")
    if round_ is not None and round_.name:
        name = round_.name.removesuffix("巡察").removesuffix("巡视")
        return f"{issuer}关于{name}{tail}"
    return f"{issuer}关于{tail}"


def _load_counts(fields: Fields | None) -> Counts:
    if fields is None:
        return Counts()
    counts = Counts(**{field.name: fields.get(field) for field in COUNTS})
    fields.finish(COUNTS)
    return counts


def _load_contact(fields: Fields | None) -> Contact:
    if fields is None:
        return Contact()
    contact = Contact(
        phones=tuple(fields.texts(CONTACT["phones"])),
        emails=tuple(fields.texts(CONTACT["emails"])),
        mailbox=fields.get(CONTACT["mailbox"]) or "",
        address=fields.get(CONTACT["address"]) or "",
        postcode=fields.get(CONTACT["postcode"]) or "",
        text=fields.get(CONTACT["text"]) or "",
    )
    fields.finish(CONTACT)
    return contact


def _load_source(fields: Fields | None) -> Source:
    if fields is None:
        return Source()
    source = Source(**{field.name: fields.get(field) or "" for field in SOURCE})
    fields.finish(SOURCE)
    return source


def _load_attachments(meta: Fields, path: Path, shown: str, diags: Diagnostics) -> tuple[Attachment, ...]:
    attachments = []
    for node in meta.items(NOTICE["attachments"]):
        fields = Fields.of(node, shown, diags, where="附件")
        if fields is None:
            continue
        before = len(diags.errors)
        title = fields.get(ATTACHMENT["title"]) or ""
        file = fields.get(ATTACHMENT["file"]) or ""
        url = fields.get(ATTACHMENT["url"]) or ""
        fields.finish(ATTACHMENT)
        if bool(file) == bool(url):  # ATTACHMENT.one_of
            diags.error(shown, line_of(node), "附件要写 file（本地文件）或 url（网址）二者之一")
            continue
        if len(diags.errors) > before:
            continue
        if file:
            try:
                local_source(path, file, path.parents[1])  # the record is at notices/<round>/<slug>.md
            except AttachmentError as exc:
                diags.error(shown, fields.line("file"), exc.message)
                continue
        attachments.append(Attachment(title=title, href=url or file))
    return tuple(attachments)


def _load_corrections(meta: Fields, shown: str, diags: Diagnostics) -> tuple[Correction, ...]:
    corrections = []
    for node in meta.items(NOTICE["corrections"]):
        fields = Fields.of(node, shown, diags, where="更正")
        if fields is None:
            continue
        day = fields.get(CORRECTION["date"])
        text = fields.get(CORRECTION["text"]) or ""
        fields.finish(CORRECTION)
        if day and text:
            corrections.append(Correction(day, text, line=fields.line("date")))
    return tuple(corrections)


def _load_tracking(meta: Fields, shown: str, diags: Diagnostics) -> tuple[TrackingPin, ...]:
    pins = []
    for node in meta.items(NOTICE["tracking"]):
        fields = Fields.of(node, shown, diags, where="问题追踪")
        if fields is None:
            continue
        problem = fields.get(TRACKING["problem"]) or ""
        same_as = fields.get(TRACKING["same_as"]) or ""
        new = bool(fields.get(TRACKING["new"]))
        fields.finish(TRACKING)
        if bool(same_as) == new:  # TRACKING.one_of
            diags.error(shown, line_of(node), "问题追踪的每一项要写 same_as（与之相同的问题）或 new: true 二者之一")
            continue
        if problem:
            pins.append(TrackingPin(problem, same_as, new, line=line_of(node)))
    return tuple(pins)


def _load_approval(fields: Fields | None) -> Approval | None:
    if fields is None:
        return None
    by, day, fingerprint = (fields.get(APPROVAL[name]) for name in ("by", "date", "fingerprint"))
    fields.finish(APPROVAL)
    if not (isinstance(by, str) and by and isinstance(day, date) and isinstance(fingerprint, str)):
        return None
    return Approval(by, day, fingerprint)


def _closest(value: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    return close[0] if close else None
