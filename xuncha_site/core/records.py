"""Reading record files: YAML with source positions, front matter, and typed field access.

PyYAML is used only to *compose* node trees with the safe loader: nothing is constructed from tags, so a
``!!python/...`` tag can never run code, and aliases are refused outright so that an alias bomb cannot expand.
Every problem becomes a :class:`~xuncha_site.diagnostics.Diagnostic`; nothing here raises on bad input.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from typing import Any, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from xuncha_site.core.characters import forbidden_character, invisible_character
from xuncha_site.core.contact import is_phone_spelling, is_valid_email, normalise_phone
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.fields import (
    DAY,
    MAX_INTEGER,
    POSTCODE,
    Field,
    Flag,
    Integer,
    Invalid,
    Items,
    Kind,
    Mapping,
    Moment,
    Rate,
    Record,
    Text,
    Texts,
)

T = TypeVar("T")

MAX_RECORD_BYTES = 2 * 1024 * 1024
# Real front matter is a few KB; PyYAML's pure-Python composer needs seconds for megabytes.
MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_NESTING = 40

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class RecordError(Exception):
    """Raised inside the composer to stop on unsafe YAML; caught in :func:`compose_yaml`."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Guard:
    """Composer rules shared by both parsers: refuse aliases, non-standard tags and absurd nesting."""

    allow_tags = False
    _depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            event = self.peek_event()  # type: ignore[attr-defined]
            raise RecordError(event.start_mark.line + 1, "不支持 YAML 别名（*名称）；请把内容直接写出来")
        self._depth += 1
        if self._depth > MAX_NESTING:
            event = self.peek_event()  # type: ignore[attr-defined]
            raise RecordError(event.start_mark.line + 1, f"YAML 嵌套超过 {MAX_NESTING} 层")
        try:
            node = super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1
        if node is not None and not self.allow_tags and node.tag not in _STANDARD_TAGS:
            raise RecordError(
                node.start_mark.line + 1, f"不允许的 YAML 标签 {node.tag!s}；记录中只能写普通的文字、数字和日期"
            )
        if isinstance(node, ScalarNode):
            found = forbidden_character(node.value)
            if found is not None:
                raise RecordError(node.start_mark.line + 1, f"值中含有{found[1]}，请删去")
        return node


class _Loader(_Guard, yaml.SafeLoader):
    """Pure-Python safe composer: slow, but its error messages are the ones :data:`_YAML_PHRASES` translates."""


class _ConfigLoader(_Loader):
    """For mkdocs.yml, whose tags (!ENV, !!python/name:…) are MkDocs' business: composed, never constructed."""

    allow_tags = True


_CParser = getattr(getattr(yaml, "_yaml", None), "CParser", None) if yaml.__with_libyaml__ else None

if _CParser is not None:

    class _FastLoader(_Guard, yaml.composer.Composer, yaml.resolver.Resolver, _CParser):  # type: ignore[misc,valid-type]
        """libyaml scans and parses (≈ 6× faster on front matter); the composing, and with it every guard, stays in Python.

        libyaml's own composer is not used: it would resolve aliases (an alias bomb becomes shared nodes) and recurse
        in C without a depth limit.
        """

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # type: ignore[misc]
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def get_single_node(self) -> Node | None:
            """:meth:`yaml.composer.Composer.get_single_node` with :meth:`_Guard.compose_node`'s rules, in one
            function per node: the same events taken in the same order, the same checks at the same points, so the
            same first problem stops it. (PyYAML's composer makes four method calls per event.) Any other problem is
            a :class:`yaml.YAMLError`, for which :func:`compose_yaml` reads the text again with the pure-Python
            parser."""
            self.get_event()  # the stream's start
            document = None
            if not isinstance(self.peek_event(), yaml.StreamEndEvent):
                self.get_event()  # the document's start
                document = self._node(1)
                self.get_event()  # the document's end
            if not isinstance(self.peek_event(), yaml.StreamEndEvent):
                raise yaml.composer.ComposerError("expected a single document in the stream")
            self.get_event()
            return document

        def _node(self, depth: int) -> Node:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                raise RecordError(event.start_mark.line + 1, "不支持 YAML 别名（*名称）；请把内容直接写出来")  # type: ignore[union-attr]
            if depth > MAX_NESTING:
                raise RecordError(event.start_mark.line + 1, f"YAML 嵌套超过 {MAX_NESTING} 层")
            anchor = event.anchor
            if anchor is not None and anchor in self.anchors:
                raise yaml.composer.ComposerError(f"found duplicate anchor {anchor!r}")
            node: Node
            if isinstance(event, yaml.ScalarEvent):
                self.get_event()
                tag = event.tag
                if tag is None or tag == "!":
                    tag = _scalar_tag(self, event.value, event.implicit)
                node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)  # type: ignore[arg-type]
                if anchor is not None:
                    self.anchors[anchor] = node
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self.get_event()
                mapping = isinstance(event, yaml.MappingStartEvent)
                tag = event.tag
                if tag is None or tag == "!":
                    tag = self.DEFAULT_MAPPING_TAG if mapping else self.DEFAULT_SEQUENCE_TAG
                kind = MappingNode if mapping else SequenceNode
                node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)  # type: ignore[arg-type]
                if anchor is not None:
                    self.anchors[anchor] = node
                end = yaml.MappingEndEvent if mapping else yaml.SequenceEndEvent
                value = node.value
                while not isinstance(self.peek_event(), end):
                    item = self._node(depth + 1)
                    value.append((item, self._node(depth + 1)) if mapping else item)
                node.end_mark = self.get_event().end_mark
            else:  # not an event that starts a node: PyYAML's composer fails on it too
                raise yaml.composer.ComposerError(f"unexpected event {event!r}")
            if node.tag not in _STANDARD_TAGS:
                raise RecordError(
                    node.start_mark.line + 1, f"不允许的 YAML 标签 {node.tag!s}；记录中只能写普通的文字、数字和日期"
                )
            if isinstance(node, ScalarNode):
                found = forbidden_character(node.value)
                if found is not None:
                    raise RecordError(node.start_mark.line + 1, f"值中含有{found[1]}，请删去")
            return node

    # The resolved tags of short plain scalars (field names, dates, numbers, names), which records repeat: the
    # resolver tries its regular expressions on each. A tag depends on the value and the implicit flags alone (the
    # safe loader has no path resolvers).
    _TAGS: dict[tuple[str, tuple[bool, bool]], str] = {}
    _TAGS_MAX = 50_000

    def _scalar_tag(loader: _FastLoader, value: str, implicit: tuple[bool, bool]) -> str:
        if len(value) > 64:
            return loader.resolve(ScalarNode, value, implicit)
        key = (value, implicit)
        tag = _TAGS.get(key)
        if tag is None:
            tag = loader.resolve(ScalarNode, value, implicit)
            if len(_TAGS) < _TAGS_MAX:
                _TAGS[key] = tag
        return tag


def compose_yaml(
    text: str, path: str, diags: Diagnostics, *, line_offset: int = 0, allow_tags: bool = False
) -> Node | None:
    """Compose one YAML document into a node tree, or report why it cannot be read."""
    if not allow_tags and _CParser is not None:
        try:
            return _compose(_FastLoader(text))
        except RecordError as exc:
            diags.error(path, exc.line + line_offset, exc.message)
            return None
        except (yaml.YAMLError, RecursionError):
            pass  # read it again below, for the pure-Python parser's error messages (which are translated)
    try:
        return _compose(_ConfigLoader(text) if allow_tags else _Loader(text))
    except RecordError as exc:
        diags.error(path, exc.line + line_offset, exc.message)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1) if mark else 1
        problem = exc.problem or exc.context
        diags.error(path, line + line_offset, f"YAML 语法错误：{_translate_yaml(problem) if problem else '格式错误'}")
    except yaml.YAMLError as exc:
        diags.error(path, 1 + line_offset, f"YAML 无法读取：{exc}")
    except RecursionError:
        diags.error(path, 1 + line_offset, "YAML 嵌套过深，无法读取")
    return None


def _compose(loader: _Guard) -> Node | None:
    try:
        return loader.get_single_node()  # type: ignore[attr-defined]
    finally:
        loader.dispose()  # type: ignore[attr-defined]


# PyYAML's problems in Chinese (hand-written: PyYAML has no translations). Matched by their opening words; one not
# listed is given as PyYAML says it, labelled as its original words.
_YAML_PHRASES = {
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
    "found character": "这里有不能出现在此处的字符（值以 @、` 等符号开头时请给整个值加引号）",
    "mapping values are not allowed here": "这里不能出现冒号“:”（值里有冒号时请给整个值加引号）",
    "mapping keys are not allowed here": "这里不能出现问号“?”开头的键（值里有问号时请给整个值加引号）",
    "could not find expected ':'": "缺少冒号“:”",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合？）",
    "expected <block end>, but found": "缩进不一致",
    "expected <block mapping start>": "缩进不一致",
    "expected ',' or ']'": "方括号“[ ]”里的列表没有正确闭合，或逗号缺失",
    "expected ',' or '}'": "花括号“{ }”没有正确闭合，或逗号缺失",
    "expected the node content": "这里缺少值",
    "expected a comment or a line break": "值的后面多了内容（引号后面不能再有文字）",
    "expected alphabetic or numeric character": "“&”或“*”后面应是名称（值以 & 或 * 开头时请给整个值加引号）",
    "found unknown escape character": "双引号里有无法识别的转义字符“\\”（要写反斜杠请用单引号）",
    "found undefined alias": "使用了未定义的别名",
    "found duplicate anchor": "锚点“&”重复定义",
    "found unexpected document separator": "这里不能出现“---”",
    "but found another document": "一个文件里只能有一个 YAML 文档",
    "expected a single document": "一个文件里只能有一个 YAML 文档",
    "expected '<document start>'": "这里不能再有内容（文档已经结束）",
    "found undefined tag handle": "使用了未定义的标签“!”（值以 ! 开头时请给整个值加引号）",
}


def _translate_yaml(problem: str) -> str:
    for phrase, chinese in _YAML_PHRASES.items():
        if problem.startswith(phrase) or phrase in problem:
            return chinese
    return f"无法解析（YAML 解析器原文：{problem}）"


@dataclass(frozen=True)
class FrontMatter:
    node: Node | None
    yaml_line: int  # line number (1-based) of the first YAML line
    body: str
    body_line: int  # line number (1-based) of the first body line


_FENCE = re.compile(r"^(?:---|\.\.\.)\s*$")


def split_front_matter(text: str, path: str, diags: Diagnostics) -> FrontMatter | None:
    """Split a Markdown record into its YAML front matter and body."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        diags.error(path, 1, "缺少前置元数据：通报文件必须以一行“---”开始，接着写 YAML 元数据，再以“---”结束")
        return None
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            if sum(len(line) + 1 for line in lines[1:index]) > MAX_FRONT_MATTER_CHARS:
                diags.error(
                    path, 2, f"前置元数据过长（超过 {MAX_FRONT_MATTER_CHARS // 1024} KB），请检查是否把正文写进了元数据"
                )
                return None
            # A blank first line stands in for the opening fence, so node marks are file line numbers.
            yaml_text = "\n" + "\n".join(lines[1:index])
            node = compose_yaml(yaml_text, path, diags)
            return FrontMatter(node, 2, "\n".join(lines[index + 1 :]), index + 2)
    diags.error(path, 1, "前置元数据没有结束：请在元数据之后加一行“---”")
    return None


def read_text(raw: bytes, path: str, diags: Diagnostics) -> str | None:
    """Decode a record file (UTF-8, an optional BOM), normalising line ends."""
    if len(raw) > MAX_RECORD_BYTES:
        diags.error(
            path, 1, f"文件过大（{len(raw) // 1024} KB），记录文件不能超过 {MAX_RECORD_BYTES // 1024 // 1024} MB"
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diags.error(path, line, "文件不是 UTF-8 编码：请用 UTF-8 保存（可用 xuncha import 转换 GBK/GB18030 文本）")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        # One spelling for each text: a name typed with a combining accent and the same name precomposed are equal.
        text = unicodedata.normalize("NFC", text)
    found = forbidden_character(text)
    if found is not None:
        at, what = found
        message = "文件含有空字符（NUL），不是文本文件" if what.startswith("空字符") else f"文件含有{what}，请删去"
        diags.error(path, text.count("\n", 0, at) + 1, message)
        return None
    return text


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


_NODE_KIND = {MappingNode: "映射（键: 值）", SequenceNode: "列表（- 项目）", ScalarNode: "单个值"}


def kind_of(node: Node) -> str:
    return _NODE_KIND.get(type(node), "值")


class Fields:
    """Typed, position-aware access to one YAML mapping; every misuse becomes a diagnostic.

    Call the typed getters for every key the schema knows, then :meth:`finish` to report unknown keys.
    """

    def __init__(self, node: MappingNode, path: str, diags: Diagnostics, *, where: str = "") -> None:
        self.node = node
        self.path = path
        self.diags = diags
        self.where = where
        self.lines: dict[str, int] = {}
        self._values: dict[str, Node] = {}
        self._seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                diags.error(path, line_of(key_node), f"{self._prefix()}键必须是简单的名称")
                continue
            key = str(key_node.value)
            if key in self._values:
                diags.error(path, line_of(key_node), f"{self._prefix()}字段“{key}”重复（第 {self.lines[key]} 行已有）")
                continue
            self._values[key] = value_node
            self.lines[key] = line_of(key_node)

    @classmethod
    def of(cls, node: Node | None, path: str, diags: Diagnostics, *, where: str = "", line: int = 1) -> Fields | None:
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            prefix = f"{where}：" if where else ""
            diags.error(
                path, line_of(node) if node else line, f"{prefix}应为{_NODE_KIND[MappingNode]}，实际是{kind_of(node)}"
            )
            return None
        return cls(node, path, diags, where=where)

    def _prefix(self) -> str:
        return f"{self.where}：" if self.where else ""

    def line(self, key: str) -> int:
        return self.lines.get(key, line_of(self.node))

    def has(self, key: str) -> bool:
        return key in self._values and not _is_null(self._values[key])

    def raw(self, key: str) -> Node | None:
        self._seen.add(key)
        node = self._values.get(key)
        return None if node is None or _is_null(node) else node

    def _missing(self, key: str, label: str) -> None:
        self.diags.error(self.path, line_of(self.node), f"{self._prefix()}缺少必填字段“{key}”（{label}）")

    def scalar(self, key: str, label: str, *, required: bool = False) -> tuple[str, int] | None:
        node = self.raw(key)
        if node is None:
            if required:
                self._missing(key, label)
            return None
        if not isinstance(node, ScalarNode):
            self.diags.error(
                self.path, line_of(node), f"{self._prefix()}“{key}”（{label}）应为单个值，实际是{kind_of(node)}"
            )
            return None
        return str(node.value), line_of(node)

    def get(self, field: Field[T], tz: tzinfo = timezone.utc) -> T | None:
        """The value of a single-value field, read and checked by its declaration; ``None`` when absent or invalid.

        An empty text counts as absent for text kinds (an error when the field is required).
        """
        kind = field.kind
        if isinstance(kind, (Texts, Mapping, Items)):
            raise TypeError(f"{field.name}: read lists and records with texts(), record() and items()")
        found = self.scalar(field.name, field.label, required=field.required)
        if found is None:
            if not kind.null_ok and field.name in self._values and _is_null(self._values[field.name]):
                # ``draft:`` or ``draft: ~`` is no answer: never read as the default (it published notices silently).
                self.diags.error(
                    self.path,
                    self.lines[field.name],
                    f"{self._prefix()}“{field.name}”（{field.label}）没有写值：{kind.blank_hint}",
                )
            return None
        value, line = found
        if kind.blank_ok and not value.strip():
            if field.required:
                self.diags.error(self.path, line, f"{self._prefix()}“{field.name}”（{field.label}）不能为空")
            return None
        try:
            return kind.parse(value, tz)
        except Invalid as exc:
            if exc.by_label:
                named = field.label
            elif isinstance(kind, Text) and kind.choices:
                named = f"“{field.name}”"  # “type”的值“专项巡察”无效，应为：…
            else:
                named = f"“{field.name}”（{field.label}）"
            message = f"{self._prefix()}{named}{exc.message}"
            if isinstance(kind, Text) and kind.choices:
                message += _suggest(value.strip(), kind.choices)
            self.diags.error(self.path, line, message)
            return None

    def _typed(
        self, key: str, label: str, kind: Kind[T], required: bool = False, tz: tzinfo = timezone.utc
    ) -> T | None:
        return self.get(Field(key, kind, label, required=required), tz)

    def text(self, key: str, label: str, *, required: bool = False, choices: tuple[str, ...] = ()) -> str:
        return self._typed(key, label, Text(choices), required) or ""

    def integer(
        self, key: str, label: str, *, required: bool = False, minimum: int = 0, maximum: int = MAX_INTEGER
    ) -> int | None:
        return self._typed(key, label, Integer(minimum, maximum), required)

    def number(self, key: str, label: str) -> float | None:
        return self._typed(key, label, Rate())

    def flag(self, key: str, label: str, *, default: bool = False) -> bool:
        value = self._typed(key, label, Flag())
        return default if value is None else value

    def day(self, key: str, label: str, *, required: bool = False) -> date | None:
        return self._typed(key, label, DAY, required)

    def moment(self, key: str, label: str, tz: tzinfo, *, required: bool = False) -> datetime | None:
        return self._typed(key, label, Moment(), required, tz)

    def text_list(self, key: str, label: str) -> list[tuple[str, int]]:
        """A list of strings; a single string is accepted as a list of one."""
        node = self.raw(key)
        if node is None:
            return []
        if isinstance(node, ScalarNode):
            return [(str(node.value).strip(), line_of(node))] if str(node.value).strip() else []
        if not isinstance(node, SequenceNode):
            self.diags.error(self.path, line_of(node), f"{self._prefix()}“{key}”（{label}）应为列表")
            return []
        items = []
        for item in node.value:
            if _is_null(item):
                continue  # an empty item, like an empty string, is no item
            if not isinstance(item, ScalarNode):
                self.diags.error(self.path, line_of(item), f"{self._prefix()}“{key}”（{label}）的每一项应为单个值")
                continue
            if str(item.value).strip():
                items.append((str(item.value).strip(), line_of(item)))
        return items

    def phones(self, key: str, label: str) -> list[str]:
        """Phone numbers, normalised (0744—6223478 → 0744-6223478, with a warning); malformed ones are errors."""
        phones = []
        for raw, line in self.text_list(key, label):
            phone = normalise_phone(raw)
            if not is_phone_spelling(raw):
                self.diags.error(
                    self.path,
                    line,
                    f"{self._prefix()}电话号码“{raw}”格式不对：应写成 0744-6223478、13812345678 或 12388",
                )
            elif phone != raw:
                self.diags.warning(
                    self.path, line, f"{self._prefix()}电话号码“{raw}”已按“{phone}”处理，建议直接写成这种格式"
                )
            phones.append(phone)
        return phones

    def emails(self, key: str, label: str) -> list[str]:
        emails = []
        for raw, line in self.text_list(key, label):
            if re.search(r"\s", raw):
                self.diags.error(self.path, line, f"{self._prefix()}电子邮箱“{raw}”中有空格，请删去")
            elif not is_valid_email(raw):
                self.diags.error(
                    self.path, line, f"{self._prefix()}电子邮箱“{raw}”格式不对，应形如 name@example.gov.cn"
                )
            emails.append(re.sub(r"\s+", "", raw))
        return emails

    def postcode(self, key: str, label: str) -> str:
        return self._typed(key, label, POSTCODE) or ""

    def texts(self, field: Field[Any]) -> list[str]:
        """A list field by its declaration: phone numbers (normalised), e-mail addresses or any texts."""
        kind = field.kind
        if not isinstance(kind, Texts):
            raise TypeError(f"{field.name} is not a list of values")
        if kind.item == "phone":
            return self.phones(field.name, field.label)
        if kind.item == "email":
            return self.emails(field.name, field.label)
        texts = self.text_list(field.name, field.label)
        if kind.item == "name":
            for text, line in texts:
                problem = invisible_character(text)
                if problem is not None:
                    self.diags.error(self.path, line, f"{self._prefix()}{field.label}“{text}”中有{problem}，请删去")
        return [text for text, _ in texts]

    def record(self, field: Field[Any]) -> Fields | None:
        """A mapping field by its declaration (``None`` when absent)."""
        return self.mapping(field.name, field.label, required=field.required)

    def items(self, field: Field[Any]) -> list[Node]:
        """The items of a list-of-records field by its declaration."""
        return self.seq(field.name, field.label, required=field.required)

    def mapping(self, key: str, label: str, *, required: bool = False) -> Fields | None:
        node = self.raw(key)
        if node is None:
            if required:
                self._missing(key, label)
            return None
        return Fields.of(node, self.path, self.diags, where=label)

    def seq(self, key: str, label: str, *, required: bool = False) -> list[Node]:
        node = self.raw(key)
        if node is None:
            if required:
                self._missing(key, label)
            return []
        if not isinstance(node, SequenceNode):
            self.diags.error(self.path, line_of(node), f"{self._prefix()}“{key}”（{label}）应为列表（每项以“- ”开头）")
            return []
        return list(node.value)

    def finish(self, known: tuple[str, ...] | Record | None = None) -> None:
        """Report keys that no getter asked for: they are unknown fields (typos, usually)."""
        if isinstance(known, Record):
            known = known.names
        accepted = set(known) if known is not None else self._seen
        for key, line in self.lines.items():
            if key not in accepted and key not in self._seen:
                options = tuple(sorted(accepted | self._seen))
                self.diags.error(self.path, line, f"{self._prefix()}未知字段“{key}”{_suggest(key, options)}")

    def keys(self) -> Iterator[str]:
        return iter(self._values)


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _suggest(value: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f"，是不是“{close[0]}”？" if close else ""


def closest(value: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.0)
    return close[0] if close else None
