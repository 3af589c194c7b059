"""Every field of the record files, declared once: name, kind, required or not, Chinese label, accepted spellings, help.

From these declarations come the loader's checks (:meth:`xuncha_site.core.records.Fields.get` reads a field by its
declaration), the editor JSON Schemas (:mod:`xuncha_site.outputs.editor_schema`), the field tables in
``docs/记录格式.md`` and the count labels of the notice page.

A kind accepts a spelling by one regular expression that serves both sides: the loader matches the whole text of the
YAML scalar against it, the editor schema uses it as ``pattern``. The expressions are written in the common subset of
Python's and ECMAScript's syntax (``[0-9]``, never ``\\d``, which in Python also takes other scripts' digits).

What an editor (YAML 1.2) reads as a number or a boolean, the loader reads as that number's or word's text; the schema
of each kind therefore lists the JSON types whose text the loader would accept, with bounds where the text has them
(``minimum`` for counts, integer ranges for phone numbers). The one difference JSON cannot express: JSON does not
tell ``14`` from ``14.0``, which the loader refuses as an integer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, ClassVar, Generic, TypeVar

from xuncha_site.core.characters import INVISIBLE_CLASS, invisible_character
from xuncha_site.core.contact import EMAIL_PATTERN, PHONE_INTEGER_RANGES, PHONE_PATTERN, POSTCODE_PATTERN
from xuncha_site.core.model import ROUND_TYPES, STAGES

T = TypeVar("T")
JSON = dict[str, Any]

MAX_INTEGER = 999_999_999  # nine digits: a count, a year, a number of days


class Invalid(ValueError):
    """A value the kind does not accept; ``message`` follows “key”（label） in the diagnostic, or with ``by_label``
    the label alone (邮政编码“1000”应为 6 位数字).
    """

    def __init__(self, message: str, *, by_label: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.by_label = by_label


def _padded(body: str) -> str:
    """The pattern as the schema writes it: the loader strips white space around every value first."""
    return f"^\\s*(?:{body})\\s*$"


def _matches(body: str, text: str) -> bool:
    return re.fullmatch(f"\\s*(?:{body})\\s*", text) is not None


def _case_free(word: str) -> str:
    """``on`` → ``[Oo][Nn]``: ECMAScript patterns in a schema have no flags."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.upper() != c.lower() else re.escape(c) for c in word)


def _alternatives(words: tuple[str, ...]) -> str:
    for word in words:
        if re.search(r"[\\^$.|?*+()\[\]{}/-]", word):
            raise ValueError(f"choice {word!r} needs escaping in a schema pattern")
    return "|".join(words)


# --- dates -----------------------------------------------------------------------------------------------------------

# Dates outside these years are mistakes, and near year 9999 they overflow the date arithmetic of every command.
MIN_YEAR, MAX_YEAR = 1949, 2999
_YEAR = "[0-9]{4}"
# MIN_YEAR to MAX_YEAR, ahead of any date form (tests/test_field_declarations.py checks both bounds against them)
_YEAR_RANGE = "(?=(?:1949|19[5-9][0-9]|2[0-9]{3})[^0-9])"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_MONTHS = (
    ("0?[13578]|1[02]", "0?[1-9]|[12][0-9]|3[01]"),
    ("0?[469]|11", "0?[1-9]|[12][0-9]|30"),
    ("0?2", "0?[1-9]|1[0-9]|2[0-8]"),
)
DATE_SEPARATORS: tuple[tuple[str, str, str], ...] = (
    ("-", "-", ""),
    ("/", "/", ""),
    (".", ".", ""),
    ("年", "月", "日?"),
)


def _date_pattern() -> str:
    forms = []
    for first, second, end in DATE_SEPARATORS:
        a, b = re.escape(first), re.escape(second)
        months = "|".join(f"(?:{m}){b}(?:{d})" for m, d in _MONTHS)
        forms.append(f"(?:{_YEAR}{a}(?:{months})|{_LEAP_YEAR}{a}0?2{b}29){end}")
    # The calendar is checked by the pattern, leap years included; the years by _YEAR_RANGE.
    return _YEAR_RANGE + "(?:" + "|".join(forms) + ")"


DATE_PATTERN = _date_pattern()
TIME_PATTERN = "(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
ZONE_PATTERN = "Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9]"
MOMENT_PATTERN = f"(?:{DATE_PATTERN})(?:[T ](?:{TIME_PATTERN}))?\\s*(?:{ZONE_PATTERN})?"


def _date_hint(value: str) -> str:
    """Why a value that looks like a date is not one, when it is the year or the offset (else empty)."""
    year = re.match(r"\s*([0-9]{4})[-/.年]", value)
    if year and not MIN_YEAR <= int(year[1]) <= MAX_YEAR:
        return f"（年份应在 {MIN_YEAR} 至 {MAX_YEAR} 年之间）"
    offset = re.search(r"[0-9]\s*[+-]([0-9]{2}):?([0-9]{2})\s*$", value)
    if offset and (int(offset[1]) > 23 or int(offset[2]) > 59):
        return "（时区偏移应在 -23:59 至 +23:59 之间）"
    return ""


def _day(text: str) -> date:
    year, month, day = (int(n) for n in re.findall("[0-9]+", text)[:3])
    return date(year, month, day)


def parse_date(value: str) -> date | None:
    """A date in one of the accepted spellings (:data:`DATE_SEPARATORS`), or ``None``."""
    return _day(value.strip()) if _matches(DATE_PATTERN, value) else None


def parse_datetime(value: str, tz: tzinfo) -> datetime | None:
    """A publication time: a date (midnight), a date and time, or either with an offset (``Z``, ``+08:00``)."""
    if not _matches(MOMENT_PATTERN, value):
        return None
    text = value.strip()
    zone: tzinfo = tz
    offset = re.search(f"(?:{ZONE_PATTERN})$", text)
    if offset:
        text = text[: offset.start()].rstrip()
        sign = offset[0][0]
        if sign == "Z":
            zone = timezone.utc
        else:
            digits = offset[0][1:].replace(":", "")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            zone = timezone(delta if sign == "+" else -delta)
    numbers = [int(n) for n in re.findall("[0-9]+", text)]
    hour, minute, second = [*numbers[3:6], 0, 0, 0][:3]
    clock = time(hour, minute, second)
    return datetime.combine(date(*numbers[:3]), clock, zone)


# --- kinds -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind(Generic[T]):
    """How a field's value is written and read. ``blank`` is what an empty text means (``None``: an error)."""

    kind_name: ClassVar[str] = "文字"
    blank_ok: ClassVar[bool] = False  # an empty text counts as “not given” (an error only when the field is required)
    null_ok: ClassVar[bool] = True  # a key written without a value (``key:``, ``key: ~``) counts as “not given”
    blank_hint: ClassVar[str] = ""  # what to write instead, when a key without a value is an error

    def parse(self, text: str, tz: tzinfo) -> T:
        raise NotImplementedError

    def schema(self, required: bool) -> JSON:
        """The JSON Schema of a given (non-null) value."""
        raise NotImplementedError

    def spellings(self) -> str:
        """How to write it, for the docs table."""
        return ""

    def type_name(self) -> str:
        return self.kind_name


@dataclass(frozen=True)
class Text(Kind[str]):
    """Any single value, as text; with ``choices``, one of them."""

    choices: tuple[str, ...] = ()
    kind_name: ClassVar[str] = "文字"
    blank_ok: ClassVar[bool] = True

    def parse(self, text: str, tz: tzinfo) -> str:
        value = text.strip()
        if self.choices and value not in self.choices:
            raise Invalid(f"的值“{value}”无效，应为：{'、'.join(self.choices)}")
        return value

    def schema(self, required: bool) -> JSON:
        if self.choices:
            words = _alternatives(self.choices)
            return {
                "type": "string",
                "pattern": _padded(words if required else f"(?:{words})?"),
                "examples": list(self.choices),
            }
        # YAML reads 2024 or true as a number or a boolean; the loader takes their text.
        return {"type": ["string", "number", "boolean"], **({"pattern": "\\S"} if required else {})}

    def spellings(self) -> str:
        return f"取值：{'、'.join(self.choices)}" if self.choices else ""


VISIBLE = f"(?![\\s\\S]*{INVISIBLE_CLASS})"  # a schema pattern's start: no invisible character anywhere


@dataclass(frozen=True)
class Name(Text):
    """A name (of a unit, an issuer, a group, a round): text without invisible characters (:mod:`.characters`)."""

    def parse(self, text: str, tz: tzinfo) -> str:
        value = super().parse(text, tz)
        problem = invisible_character(value)
        if problem is not None:
            raise Invalid(f"中有{problem}，请删去")
        return value

    def schema(self, required: bool) -> JSON:
        given = "[\\s\\S]*\\S" if required else ""
        return {"type": ["string", "number", "boolean"], "pattern": f"^{VISIBLE}{given}"}


@dataclass(frozen=True)
class Pattern(Kind[str]):
    """Text of a fixed form (a slug, a web address, a postcode)."""

    body: str = ""
    expected: str = ""  # e.g. 应以 http:// 或 https:// 开头
    example: str = ""
    type_label: str = "文字"
    # What YAML 1.2 reads as a number or a boolean but whose text is still of the form: (minimum, maximum or None).
    integers: tuple[int, int | None] | None = None
    booleans: bool = False
    blank_ok: ClassVar[bool] = True

    def parse(self, text: str, tz: tzinfo) -> str:
        if not _matches(self.body, text):
            raise Invalid(f"“{text.strip()}”{self.expected}", by_label=True)
        return text.strip()

    def schema(self, required: bool) -> JSON:
        types = ["string", *(["integer"] if self.integers else []), *(["boolean"] if self.booleans else [])]
        schema: JSON = {"type": types[0] if len(types) == 1 else types}
        if self.integers:
            schema["minimum"] = self.integers[0]
            if self.integers[1] is not None:
                schema["maximum"] = self.integers[1]
        schema["pattern"] = _padded(self.body if required else f"(?:{self.body})?")
        return schema

    def type_name(self) -> str:
        return self.type_label

    def spellings(self) -> str:
        return f"如 {self.example}"


@dataclass(frozen=True)
class Integer(Kind[int]):
    minimum: int = 0
    maximum: int = MAX_INTEGER
    kind_name: ClassVar[str] = "整数"

    def parse(self, text: str, tz: tzinfo) -> int:
        if not _matches("[+-]?[0-9]{1,9}", text):
            raise Invalid(f"应为整数，实际是“{text}”")
        number = int(text.strip())
        if number < self.minimum:
            raise Invalid(f"不能小于 {self.minimum}")
        if number > self.maximum:
            raise Invalid(f"不能大于 {self.maximum}")
        return number

    def schema(self, required: bool) -> JSON:
        pattern = f"^\\s*(?=[+-]?[0-9]{{1,9}}\\s*$)(?:{_at_least(self.minimum)})\\s*$"
        if self.maximum != MAX_INTEGER:
            pattern = f"^(?!\\s*(?:{_at_least(self.maximum + 1)})\\s*$)" + pattern[1:]
        return {"type": ["integer", "string"], "minimum": self.minimum, "maximum": self.maximum, "pattern": pattern}

    def spellings(self) -> str:
        if self.maximum != MAX_INTEGER:
            return f"{self.minimum} 至 {self.maximum}"
        return f"不小于 {self.minimum}"


def _at_least(n: int) -> str:
    """A pattern for the decimal integers ``>= n`` (n >= 0), with sign and leading zeros as ``int()`` reads them."""
    if n == 0:
        return "\\+?[0-9]+|-0+"
    s = str(n)
    ranges = [f"[1-9][0-9]{{{len(s)},}}"]  # more digits
    for i, digit in enumerate(s):
        if digit != "9":
            low = str(int(digit) + 1)
            ranges.append(f"{s[:i]}[{low}-9][0-9]{{{len(s) - i - 1}}}")
    ranges.append(s)
    return "\\+?0*(?:" + "|".join(ranges) + ")"


RATE_PATTERN = "\\+?0*(?:100(?:\\.0*)?|[0-9]{1,2}(?:\\.[0-9]*)?|\\.[0-9]+)\\s*[%％]?"


@dataclass(frozen=True)
class Rate(Kind[float]):
    """A percentage from 0 to 100, with or without the sign: ``92.1``, ``92.1%``."""

    kind_name: ClassVar[str] = "数（0–100）"

    def parse(self, text: str, tz: tzinfo) -> float:
        if not _matches(RATE_PATTERN, text):
            raise Invalid(f"应为 0 到 100 之间的数，实际是“{text}”")
        return float(text.strip().rstrip("%％").strip())

    def schema(self, required: bool) -> JSON:
        return {"type": ["number", "string"], "minimum": 0, "maximum": 100, "pattern": _padded(RATE_PATTERN)}

    def spellings(self) -> str:
        return "写法：92.1 或 92.1%"


TRUE_WORDS = ("true", "yes", "on", "是")
FALSE_WORDS = ("false", "no", "off", "否")


@dataclass(frozen=True)
class Flag(Kind[bool]):
    kind_name: ClassVar[str] = "是/否"
    null_ok: ClassVar[bool] = False  # ``draft:`` left empty must not publish a notice as “not a draft”
    blank_hint: ClassVar[str] = "应为 true 或 false"

    def parse(self, text: str, tz: tzinfo) -> bool:
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise Invalid(f"应为 true 或 false（也可写 是/否、yes/no、on/off），实际是“{text}”")

    def schema(self, required: bool) -> JSON:
        words = "|".join(_case_free(word) for word in TRUE_WORDS + FALSE_WORDS)
        return {"type": ["boolean", "string"], "pattern": _padded(words)}

    def spellings(self) -> str:
        return "写法：true/false、是/否、yes/no、on/off"


@dataclass(frozen=True)
class Day(Kind[date]):
    kind_name: ClassVar[str] = "日期"

    def parse(self, text: str, tz: tzinfo) -> date:
        parsed = parse_date(text)
        if parsed is None:
            raise Invalid(f"不是有效日期：“{text}”{_date_hint(text)}，应写成 2024-03-18")
        return parsed

    def schema(self, required: bool) -> JSON:
        return {"type": "string", "pattern": _padded(DATE_PATTERN)}

    def spellings(self) -> str:
        return f"写法：2024-03-18、2024/3/18、2024.3.18 或 2024年3月18日（{MIN_YEAR}–{MAX_YEAR} 年）"


@dataclass(frozen=True)
class Moment(Kind[datetime]):
    kind_name: ClassVar[str] = "时间"

    def parse(self, text: str, tz: tzinfo) -> datetime:
        parsed = parse_datetime(text, tz)
        if parsed is None:
            raise Invalid(f"不是有效时间：“{text}”{_date_hint(text)}，应写成 2024-03-18 或 2024-03-18 09:30")
        return parsed

    def schema(self, required: bool) -> JSON:
        return {"type": "string", "pattern": _padded(MOMENT_PATTERN)}

    def spellings(self) -> str:
        return "写法：日期（各种写法）加时刻 09:30 或 09:30:00，可再加时区 Z 或 +08:00，如 2024-03-18T09:30:00+08:00"


@dataclass(frozen=True)
class Texts(Kind[str]):
    """A list of single values; one value alone counts as a list of one. ``item`` checks each (phones, e-mails)."""

    item: str = ""  # "phone" | "email" | "name" (no invisible characters) | "" (any text)
    kind_name: ClassVar[str] = "列表"

    def schema(self, required: bool) -> JSON:
        item: JSON
        if self.item == "phone":
            item = {
                "type": ["string", "integer", "null"],
                "pattern": _padded(f"(?:{PHONE_PATTERN})?"),
                "anyOf": [{"minimum": low, "maximum": high} for low, high in PHONE_INTEGER_RANGES],
            }
        elif self.item == "email":
            item = {"type": ["string", "null"], "pattern": _padded(f"(?:{EMAIL_PATTERN})?")}
        elif self.item == "name":
            item = {"type": ["string", "number", "boolean", "null"], "pattern": f"^{VISIBLE}"}
        else:
            item = {"type": ["string", "number", "boolean", "null"]}
        one = {key: value for key, value in item.items() if key != "type"}
        types = [t for t in item["type"] if t != "null"]
        return {"type": [*types, "array"], **one, "items": item}

    def type_name(self) -> str:
        return {"phone": "电话（可多个）", "email": "电子邮箱（可多个）"}.get(self.item, "文字（可多个）")

    def spellings(self) -> str:
        if self.item == "phone":
            return "如 0123-6012388、(0123)6012388、13800000000、12388、400-123-4567"
        if self.item == "email":
            return "如 name@example.gov.cn"
        return ""


@dataclass(frozen=True)
class Mapping(Kind[None]):
    record: Record | None = None
    kind_name: ClassVar[str] = "映射"

    def schema(self, required: bool) -> JSON:
        assert self.record is not None
        return self.record.schema()


@dataclass(frozen=True)
class Items(Kind[None]):
    """A list of records; with ``scalar``, an item may also be a single value standing for that field (a unit name)."""

    record: Record | None = None
    scalar: str = ""
    kind_name: ClassVar[str] = "列表"

    def schema(self, required: bool) -> JSON:
        assert self.record is not None
        item = self.record.schema()
        if self.scalar:
            item = {"anyOf": [{"type": ["string", "number", "boolean"], "pattern": "\\S"}, item]}
        return {"type": "array", "items": item}


# --- fields and records ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field(Generic[T]):
    name: str
    kind: Kind[T]
    label: str
    required: bool = False
    help: str = ""
    measure: str = ""  # counts: the measure word the notice page prints after the figure (个、条、项、%)

    def schema(self) -> JSON:
        schema = dict(self.kind.schema(self.required))
        if not self.required and self.kind.null_ok:  # null (an empty value) means “not given”
            kinds = schema.get("type")
            if kinds is None:
                schema = {"anyOf": [schema, {"type": "null"}]}
            else:
                schema["type"] = [*([kinds] if isinstance(kinds, str) else kinds), "null"]
        description = self.label + (f"。{self.help}" if self.help else "")
        return {**schema, "description": description}

    @property
    def record(self) -> Record:
        kind = self.kind
        if not isinstance(kind, (Mapping, Items)) or kind.record is None:
            raise TypeError(f"{self.name} is not a record")
        return kind.record


@dataclass(frozen=True)
class Record:
    """The fields of one YAML mapping. ``one_of``: exactly one of these fields must be given (attachments)."""

    key: str  # the docs table's marker
    title: str
    fields: tuple[Field[Any], ...]
    one_of: tuple[str, ...] = ()
    _by_name: dict[str, Field[Any]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update((f.name, f) for f in self.fields)

    def __getitem__(self, name: str) -> Field[Any]:
        return self._by_name[name]

    def __iter__(self) -> Iterator[Field[Any]]:
        return iter(self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def schema(self) -> JSON:
        schema: JSON = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.name: f.schema() for f in self.fields},
        }
        if self.required:
            schema["required"] = list(self.required)
        if self.one_of:
            given = {"anyOf": [{"type": ["number", "boolean"]}, {"type": "string", "pattern": "\\S"}]}
            schema["oneOf"] = [{"required": [name], "properties": {name: given}} for name in self.one_of]
        return schema


SLUG_MAX = 100  # a slug is a file and folder name: short enough for every file system
SLUG_PATTERN = f"[a-z0-9][a-z0-9-]{{0,{SLUG_MAX - 1}}}"
SLUG_RULE = f"只能用小写字母、数字和连字符，最多 {SLUG_MAX} 个字符"
# A slug's text may be what YAML reads as a number (2024) or a boolean (true); a postcode's, a number (100123).
SLUG = Pattern(
    SLUG_PATTERN,
    f"无效：{SLUG_RULE}",
    "2024-r1、tongji",
    "网址名",
    (0, None),
    True,
)
URL = Pattern("https?://\\S+", "应以 http:// 或 https:// 开头", "https://example.gov.cn/a.html", "网址")
POSTCODE = Pattern(POSTCODE_PATTERN, "应为 6 位数字", '"100123"（加引号）', "6 位数字", (100_000, 999_999))
TEXT = Text()
NAME = Name()
DAY = Day()


COUNTS = Record(
    "counts",
    "counts：通报中写明的数字",
    (
        Field("problems", Integer(), "反馈问题", measure="个"),
        Field("specific_problems", Integer(), "具体问题", measure="个"),
        Field("suggestions", Integer(), "意见建议", measure="条"),
        Field("measures", Integer(), "整改措施", measure="条"),
        Field("rules", Integer(), "建立完善制度", measure="项"),
        Field("completed", Integer(), "已完成整改", measure="个"),
        Field("basically_completed", Integer(), "基本完成整改", measure="个"),
        Field("in_progress", Integer(), "正在整改", help="含阶段性完成", measure="个"),
        Field("long_term", Integer(), "需长期坚持", measure="个"),
        Field("not_completed", Integer(), "未完成", measure="个"),
        Field("completion_rate", Rate(), "完成率", help="百分数", measure="%"),
    ),
)

CONTACT = Record(
    "contact",
    "contact：联系方式",
    (
        Field("phones", Texts("phone"), "电话", help="可多个"),
        Field("emails", Texts("email"), "电子邮箱", help="可多个"),
        Field("mailbox", TEXT, "邮政信箱"),
        Field("address", TEXT, "地址"),
        Field("postcode", POSTCODE, "邮政编码"),
        Field("text", TEXT, "联系方式原文", help="通报中联系方式段落的原文，显示在正文之后"),
    ),
)

SOURCE = Record(
    "source",
    "source：来源",
    (
        Field("name", TEXT, "来源名称"),
        Field("url", URL, "原文链接"),
        Field("editor", TEXT, "编辑"),
        Field("index_no", TEXT, "信息索引号"),
        Field("published", TEXT, "原网页发布时间", help="原网页写的发布日期，照原样保存（导入时自动填写）"),
    ),
)

ATTACHMENT = Record(
    "attachment",
    "attachments 的每一项：附件",
    (
        Field("title", TEXT, "附件名称", required=True),
        Field("file", TEXT, "附件文件（相对于本通报文件）", help="与 url 二者写一个"),
        Field("url", URL, "附件网址", help="与 file 二者写一个"),
    ),
    one_of=("file", "url"),
)

CORRECTION = Record(
    "correction",
    "corrections 的每一项：更正",
    (
        Field("date", DAY, "更正日期", required=True),
        Field("text", TEXT, "更正内容", required=True),
    ),
)

FINGERPRINT_PATTERN = "sha256:[0-9a-f]{64}"
APPROVAL = Record(
    "approval",
    "approval：公开文本的批准（由 xuncha approve 写入）",
    (
        Field("by", TEXT, "批准人", required=True, help="姓名或职务"),
        Field("date", DAY, "批准日期", required=True),
        Field(
            "fingerprint",
            Pattern(
                FINGERPRINT_PATTERN, "应为 sha256: 加 64 位十六进制数（由 xuncha approve 计算）", "sha256:3f…", "指纹"
            ),
            "批准文本的指纹",
            required=True,
            help="正文和公开字段规范化后的 SHA-256，不要手改",
        ),
    ),
)

TRACKING_SEPARATOR = "#"  # same_as: <notice id>#<problem title>
TRACKING = Record(
    "tracking",
    "tracking 的每一项：跨通报追踪同一问题（指定或断开自动匹配）",
    (
        Field("problem", TEXT, "本通报中的问题标题", required=True, help="末级问题的标题，照标题原样（不含完成情况）"),
        Field(
            "same_as",
            TEXT,
            "与之相同的问题",
            help=f"同一单位较早一篇通报中的问题：通报编号{TRACKING_SEPARATOR}问题标题，如 2024-r1/shuiwu{TRACKING_SEPARATOR}报销手续不全；与 new 二者写一个",
        ),
        Field("new", Flag(), "新问题", help="为真时不与任何较早的问题匹配；与 same_as 二者写一个"),
    ),
    one_of=("same_as", "new"),
)

NOTICE = Record(
    "notice",
    "通报的元数据",
    (
        Field("round", SLUG, "巡察轮次", required=True, help="轮次编号，须与所在目录一致"),
        Field("unit", NAME, "被巡察单位", required=True, help="应与轮次文件所列一致"),
        Field("issuer", NAME, "发布单位（落款）", required=True),
        Field("group", NAME, "巡察组", help="不写则取轮次文件中该单位所属的组"),
        Field("inspection_start", DAY, "巡察开始日期", help="不写则取轮次的"),
        Field("inspection_end", DAY, "巡察结束日期", help="不写则取轮次的"),
        Field("feedback_date", DAY, "反馈日期", help="不写则取轮次文件中该单位或轮次的"),
        Field("notice_date", DAY, "落款日期", required=True),
        Field("published", Moment(), "网站发布时间", required=True, help="晚于构建时间的通报不出现在网站上"),
        Field("stage", Text(STAGES), "整改阶段", required=True),
        Field("draft", Flag(), "草稿", help="为真时不出现在网站的任何地方"),
        Field("title", NAME, "标题", help="不写则按发布单位、轮次和阶段生成"),
        Field("counts", Mapping(COUNTS), "通报中写明的数字", help="只写通报里有的"),
        Field("contact", Mapping(CONTACT), "联系方式"),
        Field("source", Mapping(SOURCE), "来源", help="从其他网站转载时"),
        Field("attachments", Items(ATTACHMENT), "附件"),
        Field("corrections", Items(CORRECTION), "更正说明", help="发布后更正时填写"),
        Field(
            "approval", Mapping(APPROVAL), "批准", help="由 xuncha approve 写入；站点设置 require_approval 为真时必须有"
        ),
        Field(
            "tracking",
            Items(TRACKING),
            "问题追踪",
            help="自动匹配有误时指定或断开；不属于批准的公开文本（docs/记录格式.md，问题追踪）",
        ),
    ),
)

UNIT = Record(
    "unit",
    "units 的每一项：被巡察单位（也可只写名称）",
    (
        Field("name", NAME, "单位名称", required=True, help="与通报的 unit 一致"),
        Field("slug", SLUG, "单位网址名", help="不写则取拼音"),
        Field("feedback_date", DAY, "本单位的反馈日期", help="不写则取轮次的反馈日期"),
        Field("aliases", Texts("name"), "别名", help="通报里可能出现的其他写法"),
    ),
)

GROUP = Record(
    "group",
    "groups 的每一项：巡察组",
    (
        Field("name", NAME, "巡察组名称", required=True),
        Field("leader", TEXT, "组长"),
        Field("units", Items(UNIT, scalar="name"), "被巡察单位", required=True),
    ),
)

ROUND = Record(
    "round",
    "巡察轮次文件",
    (
        Field("name", NAME, "轮次名称", required=True),
        Field("committee", NAME, "派出巡察组的党委"),
        Field("term", TEXT, "届次"),
        Field("number", Integer(minimum=1), "轮次", help="第几轮"),
        Field("year", Integer(minimum=MIN_YEAR, maximum=MAX_YEAR), "年度", help="不写则取巡察开始日期的年份"),
        Field("type", Text(ROUND_TYPES), "巡察类型", help="不写则为 常规"),
        Field("topic", TEXT, "专项巡察主题"),
        Field("inspection_start", DAY, "巡察开始日期"),
        Field("inspection_end", DAY, "巡察结束日期"),
        Field("feedback_date", DAY, "反馈日期", help="各单位不同时在单位下另写"),
        Field("groups", Items(GROUP), "巡察组及被巡察单位", required=True),
        Field("description", TEXT, "说明"),
    ),
)

REVIEW_TERM = Record(
    "review_term",
    "terms 的每一项：不得公开的词语（也可只写词语）",
    (
        Field("term", TEXT, "词语", required=True),
        Field("note", TEXT, "说明", help="为什么不得公开，只在提示中显示"),
    ),
)

REVIEW_WORDING = Record(
    "review_wording",
    "wording 的每一项：规范表述",
    (
        Field("wrong", TEXT, "误写或过时的写法", required=True),
        Field("right", TEXT, "规范写法", required=True),
        Field("note", TEXT, "说明", help="依据或适用范围"),
    ),
)

REVIEW = Record(
    "review",
    "审查清单 content/review.yml（不公开）",
    (
        Field("terms", Items(REVIEW_TERM, scalar="term"), "不得公开的词语"),
        Field("allow", Texts(), "经核实可以公开的文字", help="如公开的服务手机号，不再提示"),
        Field("wording", Items(REVIEW_WORDING), "规范表述"),
        Field("defaults", Flag(), "同时使用内置的规范表述清单", help="不写则为 true"),
    ),
)

RECORDS: tuple[Record, ...] = (
    NOTICE,
    COUNTS,
    CONTACT,
    SOURCE,
    ATTACHMENT,
    CORRECTION,
    APPROVAL,
    TRACKING,
    ROUND,
    GROUP,
    UNIT,
    REVIEW,
    REVIEW_TERM,
    REVIEW_WORDING,
)
