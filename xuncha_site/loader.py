"""Loading ``content/`` into the domain model, with a diagnostic for every problem found on the way.

The loader checks what one file can tell on its own (syntax, field names and types, formats, the body's structure);
:mod:`xuncha_site.validate` checks what needs the whole corpus (references, duplicates, date order, counts).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pypinyin import lazy_pinyin
from yaml.nodes import Node, ScalarNode

from .attachments import AttachmentError, local_source
from .body import parse_body
from .diagnostics import Diagnostics
from .input_files import InputFileError, read_regular
from .markdown_limits import check_markdown
from .model import (
    COUNT_FIELDS,
    ROUND_TYPES,
    STAGES,
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
    UnitRef,
    unit_key,
)
from .records import (
    MAX_RECORD_BYTES,
    MAX_YEAR,
    MIN_YEAR,
    Fields,
    compose_yaml,
    invisible_character,
    line_of,
    read_text,
    split_front_matter,
)

# ASCII, stable, and short enough for a file name on every system; \Z, not $: "abc\n" is no slug.
SLUG_MAX = 100
SLUG = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{SLUG_MAX - 1}}}\Z")
SLUG_RULE = f"只能用小写字母、数字和连字符，最多 {SLUG_MAX} 个字符"
RECORD_SUFFIXES = (".yml", ".yaml")
ATTACHMENT_DIR = "files"  # notices/<round>/files/…: attachments, see docs/记录格式.md
MAX_YAML_CHARS = 256 * 1024

NOTICE_FIELDS: dict[str, str] = {
    "round": "巡察轮次",
    "unit": "被巡察单位",
    "issuer": "发布单位（落款）",
    "group": "巡察组",
    "inspection_start": "巡察开始日期",
    "inspection_end": "巡察结束日期",
    "feedback_date": "反馈日期",
    "notice_date": "落款日期",
    "published": "网站发布时间",
    "stage": "整改阶段",
    "draft": "草稿",
    "title": "标题",
    "counts": "通报中写明的数字",
    "contact": "联系方式",
    "source": "来源",
    "attachments": "附件",
    "corrections": "更正说明",
}

COUNT_LABELS: dict[str, str] = {
    "problems": "问题数",
    "specific_problems": "具体问题数",
    "suggestions": "意见建议数",
    "measures": "整改措施数",
    "rules": "建立完善制度数",
    "completed": "已完成数",
    "basically_completed": "基本完成数",
    "in_progress": "正在整改数",
    "long_term": "长期坚持数",
    "not_completed": "未完成数",
    "completion_rate": "完成率（%）",
}

CONTACT_FIELDS = {
    "phones": "电话",
    "emails": "电子邮箱",
    "mailbox": "邮政信箱",
    "address": "地址",
    "postcode": "邮政编码",
    "text": "联系方式原文",
}
SOURCE_FIELDS = {"name": "来源名称", "url": "原文链接", "editor": "编辑", "index_no": "信息索引号"}

ROUND_FIELDS = {
    "name": "轮次名称",
    "committee": "派出巡察组的党委",
    "term": "届次",
    "number": "轮次",
    "year": "年度",
    "type": "巡察类型",
    "topic": "专项巡察主题",
    "inspection_start": "巡察开始日期",
    "inspection_end": "巡察结束日期",
    "feedback_date": "反馈日期",
    "groups": "巡察组及被巡察单位",
    "description": "说明",
}


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
    """An ASCII, stable slug for a Chinese name: pinyin syllables joined by hyphens."""
    syllables = lazy_pinyin(unit_key(name), errors=lambda chars: " ".join(chars))
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


class NoticeCache:
    """Notices already read, by file, for a process that loads the same content again and again (``xuncha serve``):
    a file is read again only when it, a round file or the time zone changed. Notices that gave any diagnostic or
    name a local attachment (whose file may appear later) are always read again.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[object, Notice]] = {}

    def get(self, path: Path, key: object) -> Notice | None:
        entry = self._entries.get(path)
        return entry[1] if entry is not None and entry[0] == key else None

    def put(self, path: Path, key: object, notice: Notice) -> None:
        self._entries[path] = (key, notice)


def load_corpus(
    settings: Settings,
    root: Path,
    diags: Diagnostics,
    *,
    display_base: Path | None = None,
    cache: NoticeCache | None = None,
) -> Corpus:
    """Load rounds and notices from ``root / settings.content_dir``; problems go to ``diags``.

    Paths in diagnostics are relative to ``display_base`` (default: the site root, where mkdocs.yml lives).
    """
    content = (root / settings.content_dir).resolve()
    base = display_base or root.resolve()
    if not content.is_dir():
        diags.error(_rel(root / "mkdocs.yml", base), 1, f"内容目录“{settings.content_dir}”不存在")
        return Corpus(settings, {}, ())
    rounds = _load_rounds(content / "rounds", base, diags)
    notices = _load_notices(content, rounds, settings, base, diags, cache)
    return Corpus(settings, rounds, tuple(notices))


def _load_rounds(folder: Path, base: Path, diags: Diagnostics) -> dict[str, Round]:
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
        round_ = _load_round(path, shown, diags)
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
    node = compose_yaml(text, shown, diags)
    if node is None and text.strip() and not diags.errors:
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
    name = fields.name("name", ROUND_FIELDS["name"], required=True)
    round_type = fields.text("type", ROUND_FIELDS["type"], choices=ROUND_TYPES) or "常规"
    start = fields.day("inspection_start", ROUND_FIELDS["inspection_start"])
    end = fields.day("inspection_end", ROUND_FIELDS["inspection_end"])
    feedback = fields.day("feedback_date", ROUND_FIELDS["feedback_date"])
    year = fields.integer("year", ROUND_FIELDS["year"], minimum=MIN_YEAR, maximum=MAX_YEAR)
    groups = _load_groups(fields, shown, diags, round_feedback=feedback)
    round_ = Round(
        id=round_id,
        name=name,
        path=shown,
        committee=fields.name("committee", ROUND_FIELDS["committee"]),
        term=fields.text("term", ROUND_FIELDS["term"]),
        number=fields.integer("number", ROUND_FIELDS["number"], minimum=1),
        year=year or (start.year if start else feedback.year if feedback else None),
        type=round_type,
        topic=fields.text("topic", ROUND_FIELDS["topic"]),
        inspection_start=start,
        inspection_end=end,
        feedback_date=feedback,
        groups=groups,
        description=fields.text("description", ROUND_FIELDS["description"]),
        lines=dict(fields.lines),
    )
    fields.finish(tuple(ROUND_FIELDS))
    return round_


def _load_groups(fields: Fields, shown: str, diags: Diagnostics, *, round_feedback: date | None) -> tuple[Group, ...]:
    groups: list[Group] = []
    group_names: dict[str, int] = {}
    unit_names: dict[str, int] = {}
    for group_node in fields.seq("groups", ROUND_FIELDS["groups"], required=True):
        group = Fields.of(group_node, shown, diags, where="巡察组")
        if group is None:
            continue
        name = group.name("name", "巡察组名称", required=True)
        if name in group_names:
            diags.error(shown, line_of(group_node), f"巡察组“{name}”重复（第 {group_names[name]} 行已有）")
        group_names[name] = line_of(group_node)
        units: list[UnitRef] = []
        for unit_node in group.seq("units", "被巡察单位", required=True):
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
        group.finish(("name", "leader", "units"))
        groups.append(Group(name=name, units=tuple(units), leader=group.text("leader", "组长")))
    return tuple(groups)


def _load_unit(node: Node, group: str, shown: str, diags: Diagnostics, round_feedback: date | None) -> UnitRef | None:
    if isinstance(node, ScalarNode):
        name = str(node.value).strip()
        if not name:
            diags.error(shown, line_of(node), "被巡察单位名称不能为空")
            return None
        problem = invisible_character(name)
        if problem is not None:
            diags.error(shown, line_of(node), f"被巡察单位名称中有{problem}，请删去")
        return UnitRef(name=name, slug=slugify(name), group=group, feedback_date=round_feedback, line=line_of(node))
    unit = Fields.of(node, shown, diags, where="被巡察单位")
    if unit is None:
        return None
    name = unit.name("name", "单位名称", required=True)
    slug = unit.text("slug", "网址名")
    if slug and not SLUG.match(slug):
        diags.error(shown, unit.line("slug"), f"单位网址名“{slug}”无效：{SLUG_RULE}")
        slug = ""
    feedback = unit.day("feedback_date", "反馈日期")
    aliases = []
    for alias, line in unit.text_list("aliases", "别名"):
        problem = invisible_character(alias)
        if problem is not None:
            diags.error(shown, line, f"别名“{alias}”中有{problem}，请删去")
        aliases.append(alias)
    unit.finish(("name", "slug", "feedback_date", "aliases"))
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
) -> list[Notice]:
    folder = content / "notices"
    notices: list[Notice] = []
    if not folder.is_dir():
        diags.warning(_rel(folder, base), 1, "缺少通报目录 notices/")
        return notices
    tz = zone(settings)
    context = (settings.timezone, _stamps((content / "rounds").glob("*"))) if cache is not None else None
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        shown = _rel(path, base)
        relative = path.relative_to(folder)
        if len(relative.parts) > 2 and relative.parts[1] == ATTACHMENT_DIR:
            continue  # attachments (any type, .txt and .md included) are files, not records
        if path.suffix != ".md":
            if path.suffix in RECORD_SUFFIXES or path.suffix in (".txt", ".markdown"):
                diags.warning(shown, 1, "notices/ 下只读取 .md 通报文件，此文件被忽略")
            continue
        if len(relative.parts) != 2:
            diags.error(shown, 1, "通报文件应放在 notices/<轮次编号>/<网址名>.md")
            continue
        key = (context, _stamps([path])) if cache is not None else None
        notice = cache.get(path, key) if cache is not None else None
        if notice is None:
            before = len(diags.items)
            notice = _load_notice(path, shown, relative.parts[0], rounds, tz, diags)
            clean = len(diags.items) == before
            if cache is not None and notice is not None and clean and not _local_attachments(notice):
                cache.put(path, key, notice)
        if notice is not None:
            notices.append(notice)
    return notices


def _stamps(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
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
    path: Path, shown: str, folder_round: str, rounds: dict[str, Round], tz: tzinfo, diags: Diagnostics
) -> Notice | None:
    slug = path.stem
    if not SLUG.match(slug):
        diags.error(shown, 1, f"通报文件名“{path.name}”无效：{SLUG_RULE}（网址要稳定、用 ASCII）")
    text = _read_record(path, shown, diags)
    if text is None:
        return None
    before = len(diags.items)
    front = split_front_matter(text, shown, diags)
    if front is None:
        return None
    if front.node is None:
        if len(diags.items) == before:  # not refused by the YAML reader: really empty
            diags.error(shown, 1, "前置元数据为空：至少要写 round、unit、issuer、notice_date、published、stage")
        return None
    meta = Fields.of(front.node, shown, diags, line=front.yaml_line)
    if meta is None:
        return None

    round_id = meta.text("round", NOTICE_FIELDS["round"], required=True)
    round_ = rounds.get(round_id)
    if round_id and round_ is None:
        close = _closest(round_id, list(rounds))
        hint = f"，是不是“{close}”？" if close else "；请先在 rounds/ 下建立该轮次文件"
        diags.error(shown, meta.line("round"), f"未知的巡察轮次“{round_id}”{hint}")
    elif round_id and round_id != folder_round:
        diags.error(
            shown, meta.line("round"), f"round 是“{round_id}”，但文件在 notices/{folder_round}/ 目录下；两者应一致"
        )

    unit = meta.name("unit", NOTICE_FIELDS["unit"], required=True)
    unit_ref = round_.find_unit(unit) if (round_ and unit) else None
    issuer = meta.name("issuer", NOTICE_FIELDS["issuer"], required=True)
    group = meta.name("group", NOTICE_FIELDS["group"]) or (unit_ref.group if unit_ref else "")
    stage = meta.text("stage", NOTICE_FIELDS["stage"], required=True, choices=STAGES)
    notice_date = meta.day("notice_date", NOTICE_FIELDS["notice_date"], required=True)
    published = meta.moment("published", NOTICE_FIELDS["published"], tz, required=True)
    draft = meta.flag("draft", NOTICE_FIELDS["draft"])
    inspection_start = meta.day("inspection_start", NOTICE_FIELDS["inspection_start"])
    inspection_end = meta.day("inspection_end", NOTICE_FIELDS["inspection_end"])
    feedback_date = meta.day("feedback_date", NOTICE_FIELDS["feedback_date"])
    title = meta.name("title", NOTICE_FIELDS["title"])
    counts = _load_counts(meta.mapping("counts", NOTICE_FIELDS["counts"]))
    contact = _load_contact(meta.mapping("contact", NOTICE_FIELDS["contact"]), shown, diags)
    source = _load_source(meta.mapping("source", NOTICE_FIELDS["source"]), shown, diags)
    attachments = _load_attachments(meta, path, shown, diags)
    corrections = _load_corrections(meta, shown, diags)
    meta.finish(tuple(NOTICE_FIELDS))

    body = parse_body(front.body, shown, front.body_line, diags)
    if not check_markdown(front.body, shown, front.body_line, diags):
        return None  # never handed on to be rendered
    if notice_date is None or published is None or not unit or not issuer or not stage or not round_id:
        return None
    if round_ is not None:
        inspection_start = inspection_start or round_.inspection_start
        inspection_end = inspection_end or round_.inspection_end
        feedback_date = feedback_date or (unit_ref.feedback_date if unit_ref else None) or round_.feedback_date
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
    values: dict[str, int | float | None] = {}
    for name in COUNT_FIELDS:
        if name == "completion_rate":
            values[name] = fields.number(name, COUNT_LABELS[name])
        else:
            values[name] = fields.integer(name, COUNT_LABELS[name])
    fields.finish(COUNT_FIELDS)
    return Counts(**values)  # type: ignore[arg-type]


def _load_contact(fields: Fields | None, shown: str, diags: Diagnostics) -> Contact:
    if fields is None:
        return Contact()
    phones = fields.phones("phones", CONTACT_FIELDS["phones"])
    emails = fields.emails("emails", CONTACT_FIELDS["emails"])
    postcode = fields.postcode("postcode", CONTACT_FIELDS["postcode"])
    contact = Contact(
        phones=tuple(phones),
        emails=tuple(emails),
        mailbox=fields.text("mailbox", CONTACT_FIELDS["mailbox"]),
        address=fields.text("address", CONTACT_FIELDS["address"]),
        postcode=postcode,
        text=fields.text("text", CONTACT_FIELDS["text"]),
    )
    fields.finish(tuple(CONTACT_FIELDS))
    return contact


def _load_source(fields: Fields | None, shown: str, diags: Diagnostics) -> Source:
    if fields is None:
        return Source()
    url = fields.text("url", SOURCE_FIELDS["url"])
    if url and not re.match(r"^https?://\S+$", url):
        diags.error(shown, fields.line("url"), f"原文链接“{url}”应以 http:// 或 https:// 开头")
    source = Source(
        name=fields.text("name", SOURCE_FIELDS["name"]),
        url=url,
        editor=fields.text("editor", SOURCE_FIELDS["editor"]),
        index_no=fields.text("index_no", SOURCE_FIELDS["index_no"]),
    )
    fields.finish(tuple(SOURCE_FIELDS))
    return source


def _load_attachments(meta: Fields, path: Path, shown: str, diags: Diagnostics) -> tuple[Attachment, ...]:
    attachments = []
    for node in meta.seq("attachments", NOTICE_FIELDS["attachments"]):
        fields = Fields.of(node, shown, diags, where="附件")
        if fields is None:
            continue
        title = fields.text("title", "附件名称", required=True)
        file = fields.text("file", "附件文件（相对于本通报文件）")
        url = fields.text("url", "附件网址")
        fields.finish(("title", "file", "url"))
        if bool(file) == bool(url):
            diags.error(shown, line_of(node), "附件要写 file（本地文件）或 url（网址）二者之一")
            continue
        if url and not re.match(r"^https?://\S+$", url):
            diags.error(shown, fields.line("url"), f"附件网址“{url}”应以 http:// 或 https:// 开头")
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
    for node in meta.seq("corrections", NOTICE_FIELDS["corrections"]):
        fields = Fields.of(node, shown, diags, where="更正")
        if fields is None:
            continue
        day = fields.day("date", "更正日期", required=True)
        text = fields.text("text", "更正内容", required=True)
        fields.finish(("date", "text"))
        if day and text:
            corrections.append(Correction(day, text, line=fields.line("date")))
    return tuple(corrections)


def _closest(value: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    return close[0] if close else None
