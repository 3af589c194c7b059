"""Site settings: the ``xuncha`` plugin's options, as MkDocs read them from ``mkdocs.yml``, checked in Chinese.

The settings are declared once, as the fields of :class:`~xuncha_site.core.model.Settings` and
:class:`~xuncha_site.core.model.Office` (Chinese label, kind of value, minimum). MkDocs reads ``mkdocs.yml`` (with
``!ENV``, ``INHERIT`` and ``-f``) and passes the plugin's options on unchecked; :func:`read_settings` checks them here.

The values are checked by the same position-aware :class:`~xuncha_site.core.records.Fields` as records. Each value is
turned back into a YAML node whose "line" is only a numbered placeholder; when a message is written, the placeholder
is resolved to the line of that key in ``mkdocs.yml``. The file is composed again (for positions, with the guarded
composer) only then, or to recover how an unquoted number was spelled in a text setting (``postcode: 030000``, which
YAML reads as the octal number 12288) — never on a clean site.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from xuncha_site.core.contact import is_valid_phone, normalise_phone
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.fields import MAX_INTEGER
from xuncha_site.core.input_files import InputFileError, read_regular
from xuncha_site.core.model import MEMBER_FIELDS, Member, Office, SettingInfo, SettingKind, Settings, setting_fields
from xuncha_site.core.records import MAX_NESTING, MAX_RECORD_BYTES, Fields, compose_yaml, read_text

PLUGIN_NAME = "xuncha"
NOT_LISTED = "mkdocs.yml 的 plugins 中没有 xuncha 插件：请加上“- xuncha:”及其设置"
WHERE = "xuncha 插件设置"

SETTINGS_FIELDS = dict(setting_fields(Settings))
OFFICE_FIELDS = dict(setting_fields(Office))
# Settings whose value is text even when it looks like a number (a postcode, a phone number, a site code).
_TEXT_KINDS = frozenset(kind for kind in SettingKind) - {
    SettingKind.INTEGER,
    SettingKind.FLAG,
    SettingKind.SECTION,
    SettingKind.MEMBERS,
}

KeyPath = tuple[str | int, ...]  # where a value sits under the plugin's options: ("office", "phones", 0)


def read_settings(
    options: Mapping[str, Any] | None, config_file: Path, diags: Diagnostics, *, shown: str | None = None
) -> Settings | None:
    """The settings that the plugin's ``options`` (as MkDocs passed them) give; None when they cannot be used.

    ``options`` is None when ``mkdocs.yml`` does not list the plugin. Problems are reported in ``diags`` against
    ``shown`` (the file's name as messages show it) with the line of the key in ``config_file``.
    """
    shown = shown or config_file.name
    if options is None:
        diags.error(shown, 1, NOT_LISTED)
        return None
    source = _Source(config_file)
    nodes = _Nodes(source)
    scratch = Diagnostics()
    fields = Fields.of(nodes.mapping(options, (), SETTINGS_FIELDS), shown, scratch, where=WHERE)
    settings = None if fields is None else _settings(fields, shown, scratch)
    for diag in scratch.items:
        report = diags.error if diag.level.name == "ERROR" else diags.warning
        report(diag.path, nodes.line(diag.line), diag.message)
    return settings


# What a site_url may be: an http(s) address without spaces, quotes, angle brackets or backslashes — it is printed into
# every page's <head>, the feeds and the open data, and the site is served from it.
_SITE_URL = re.compile(r"https?://[^\s\"'<>\\`{}|^]+")


def check_site_url(site_url: str | None, config_file: Path, diags: Diagnostics, *, shown: str | None = None) -> None:
    """Report a ``site_url`` (MkDocs' own setting, as MkDocs read it) that is not a plain web address."""
    if not site_url or _SITE_URL.fullmatch(site_url):
        return
    shown = shown or config_file.name
    root = _compose(config_file, Diagnostics(), shown)
    node = _child(root, "site_url", key=False)
    line = node.start_mark.line + 1 if node is not None else 1
    written = str(node.value) if isinstance(node, ScalarNode) else site_url  # MkDocs adds a final /
    diags.error(
        shown,
        line,
        f"site_url“{written[:200]}”不是有效的网址：应写成 https://xuncha.example/ 这样的完整地址，"
        "不能含有空格、引号、尖括号或反斜杠",
    )


def config_file_problems(config_file: Path, diags: Diagnostics, *, shown: str | None = None) -> bool:
    """Report, in Chinese with a line, why MkDocs could not read ``config_file``, if the reason is ours to tell.

    For a command whose configuration MkDocs refused: an unreadable file, bad YAML, a top level or plugin
    options that are not a mapping. False when none of these is the reason (MkDocs' own message then says why).
    """
    shown = shown or config_file.name
    before = len(diags.items)
    root = _compose(config_file, diags, shown)
    if root is not None:
        node, listed = plugin_node(root, shown, diags)
        if listed and node is not None and not (isinstance(node, ScalarNode) and not node.value):
            Fields.of(node, shown, diags, where=WHERE)
    return len(diags.items) > before


def plugin_node(root: Node, path: str, diags: Diagnostics) -> tuple[Node | None, bool]:
    """Find the plugin's options in a composed mkdocs.yml: (options or None, whether the plugin is listed)."""
    if not isinstance(root, MappingNode):
        diags.error(path, 1, "mkdocs.yml 的顶层应为映射")
        return None, False
    plugins = next((value for key, value in root.value if getattr(key, "value", None) == "plugins"), None)
    if isinstance(plugins, SequenceNode):
        for item in plugins.value:
            if isinstance(item, ScalarNode) and item.value == PLUGIN_NAME:
                return None, True
            if isinstance(item, MappingNode):
                for key, value in item.value:
                    if getattr(key, "value", None) == PLUGIN_NAME:
                        return value, True
    elif isinstance(plugins, MappingNode):
        for key, value in plugins.value:
            if getattr(key, "value", None) == PLUGIN_NAME:
                return value, True
    return None, False


def _compose(config_file: Path, diags: Diagnostics, shown: str) -> Node | None:
    try:  # the commands tell a missing file themselves (console.MISSING_CONFIG)
        raw = read_regular(config_file, MAX_RECORD_BYTES, what="配置文件")
    except InputFileError as exc:
        diags.error(shown, 1, exc.message)
        return None
    text = read_text(raw, shown, diags)
    return None if text is None else compose_yaml(text, shown, diags, allow_tags=True)


class _Source:
    """``mkdocs.yml`` composed for positions, on first need only (a message to place, a number to spell)."""

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self._options: Node | None = None
        self._read = False

    def options(self) -> Node | None:
        if not self._read:
            self._read = True
            diags = Diagnostics()  # MkDocs has read the file: it is readable YAML
            root = _compose(self.config_file, diags, self.config_file.name)
            self._options = None if root is None else plugin_node(root, "", diags)[0]
        return self._options

    def find(self, path: KeyPath, *, key: bool = False) -> tuple[Node | None, bool]:
        """The node at ``path`` (its key's node if ``key``), or the deepest one found on the way; whether found."""
        node = self.options()
        for depth, step in enumerate(path):
            child = _child(node, step, key=key and depth == len(path) - 1)
            if child is None:
                return node, False
            node = child
        return node, node is not None

    def line(self, path: KeyPath, *, key: bool = False) -> int:
        node, _ = self.find(path, key=key)
        return node.start_mark.line + 1 if node is not None else 1

    def spelling(self, path: KeyPath) -> str | None:
        """How a plain scalar was written in the file, if it is there (not from ``!ENV`` or an inherited file)."""
        node, found = self.find(path)
        plain = found and isinstance(node, ScalarNode) and node.tag.startswith("tag:yaml.org,2002:")
        return str(node.value) if plain and node is not None else None


def _child(node: Node | None, step: str | int, *, key: bool) -> Node | None:
    if isinstance(node, MappingNode) and isinstance(step, str):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == step:
                return key_node if key else value_node
    if isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]
    return None


class _Nodes:
    """Plain values back into YAML nodes for :class:`Fields`; each node's line is a placeholder for its path."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        self._places: list[tuple[KeyPath, bool]] = []

    def line(self, placeholder: int) -> int:
        """The line in mkdocs.yml that a placeholder stands for."""
        if 1 <= placeholder <= len(self._places):
            path, key = self._places[placeholder - 1]
            return self.source.line(path, key=key)
        return self.source.line(())

    def _mark(self, path: KeyPath, *, key: bool = False) -> Mark:
        self._places.append((path, key))
        return Mark("mkdocs.yml", 0, len(self._places) - 1, 0, None, None)  # type: ignore[arg-type]

    def mapping(self, values: Mapping[Any, Any], path: KeyPath, declared: Mapping[str, SettingInfo]) -> MappingNode:
        pairs = []
        for key, value in values.items():
            info = declared.get(str(key))
            sub = OFFICE_FIELDS if info is not None and info.kind is SettingKind.SECTION else {}
            key_node = ScalarNode("tag:yaml.org,2002:str", str(key), self._mark((*path, str(key)), key=True))
            pairs.append((key_node, self.node(value, (*path, str(key)), info, sub)))
        return MappingNode("tag:yaml.org,2002:map", pairs, self._mark(path))

    def node(
        self,
        value: Any,
        path: KeyPath,
        info: SettingInfo | None = None,
        declared: Mapping[str, SettingInfo] | None = None,
    ) -> Node:
        if len(path) > MAX_NESTING:  # deeper than any setting goes: nothing there is read
            return ScalarNode("tag:yaml.org,2002:str", "…", self._mark(path))
        if isinstance(value, Mapping):
            return self.mapping(value, path, declared or {})
        if isinstance(value, (list, tuple)):
            items = [self.node(item, (*path, index), info) for index, item in enumerate(value)]
            return SequenceNode("tag:yaml.org,2002:seq", items, self._mark(path))
        mark = self._mark(path)
        if value is None:
            return ScalarNode("tag:yaml.org,2002:null", "", mark)
        if isinstance(value, bool):
            return ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false", mark)
        if isinstance(value, (int, float)) and info is not None and info.kind in _TEXT_KINDS:
            # YAML read `030000` as the number 12288; the setting is text, so take it as it was written.
            return ScalarNode("tag:yaml.org,2002:str", self.source.spelling(path) or _plain(value), mark)
        return ScalarNode("tag:yaml.org,2002:str", _plain(value), mark)


def _plain(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _settings(options: Fields, shown: str, diags: Diagnostics) -> Settings:
    values: dict[str, Any] = {}
    for key, info in setting_fields(Settings):
        if info.kind is SettingKind.SECTION:
            values[key] = _office(options.mapping(key, info.label), shown, diags)
        else:
            values[key] = _value(options, key, info, shown, diags, getattr(Settings, key, None))
    options.finish(tuple(SETTINGS_FIELDS))
    return Settings(**{key: value for key, value in values.items() if value is not None})


def _office(fields: Fields | None, shown: str, diags: Diagnostics) -> Office:
    if fields is None:
        return Office()
    values = {key: _value(fields, key, info, shown, diags, None) for key, info in setting_fields(Office)}
    fields.finish(tuple(OFFICE_FIELDS))
    return Office(**{key: value for key, value in values.items() if value is not None})


def _value(fields: Fields, key: str, info: SettingInfo, shown: str, diags: Diagnostics, default: Any) -> Any:
    """One setting read and checked by its declared kind; None means "the declared default"."""
    label, kind = info.label, info.kind
    if kind is SettingKind.INTEGER:
        return fields.integer(key, label, minimum=info.minimum or 0, maximum=info.maximum or MAX_INTEGER)
    if kind is SettingKind.FLAG:
        return fields.flag(key, label, default=bool(default))
    if kind is SettingKind.PHONES:
        return tuple(fields.phones(key, label))
    if kind is SettingKind.EMAILS:
        return tuple(fields.emails(key, label))
    if kind is SettingKind.POSTCODE:
        return fields.postcode(key, label)
    if kind is SettingKind.MEMBERS:
        return _members(fields, key, label, shown, diags)
    text = fields.text(key, label)
    if kind is SettingKind.PHONE:
        text = normalise_phone(text)
        if text and not is_valid_phone(text):
            diags.error(shown, fields.line(key), f"{label.split('（')[0]}“{text}”格式不对")
    elif kind is SettingKind.URL:
        if text and not re.match(r"^https?://\S+$", text):
            diags.error(shown, fields.line(key), f"{label}“{text}”应以 http:// 或 https:// 开头")
    elif kind is SettingKind.TIMEZONE and text:
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            diags.error(shown, fields.line(key), f"{label}“{text}”无效，应如 Asia/Shanghai")
            return None
    return text or None


def _members(fields: Fields, key: str, label: str, shown: str, diags: Diagnostics) -> tuple[Member, ...]:
    """The member sites of an aggregator: each a mapping with a name and an http(s) URL, the URL given once."""
    members: list[Member] = []
    seen: dict[str, str] = {}
    for item in fields.seq(key, label):
        member = Fields.of(item, shown, diags, where=label)
        if member is None:
            continue
        name = member.text("name", MEMBER_FIELDS["name"], required=True)
        url = member.text("url", MEMBER_FIELDS["url"], required=True)
        path = member.text("path", MEMBER_FIELDS["path"])
        member.finish(tuple(MEMBER_FIELDS))
        line = member.line("url") if url else member.line("name")
        if url and not _SITE_URL.fullmatch(url):
            diags.error(
                shown,
                line,
                f"成员站点“{name}”的网址“{url[:200]}”不是有效的网址：应写成 https://xuncha.example/ 这样的完整地址",
            )
            continue
        if not name or not url:
            continue
        url = url if url.endswith("/") else url + "/"
        found = Member(name=name, url=url, path=path)
        if found.id in seen:
            diags.error(shown, line, f"成员站点“{name}”的网址与“{seen[found.id]}”重复")
            continue
        seen[found.id] = name
        members.append(found)
    return tuple(members)


def option_defaults() -> dict[str, Any]:
    """Each top-level setting's default as plain data (a section's is an empty mapping), for the MkDocs options."""
    default = Settings()
    return {
        key: {} if info.kind is SettingKind.SECTION else getattr(default, key) for key, info in setting_fields(Settings)
    }
