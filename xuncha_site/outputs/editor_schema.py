"""JSON Schemas of the record files, for editors (VS Code YAML extension and the like) to see mistakes as they type,
and the field tables of ``docs/记录格式.md``.

Both are generated from the field declarations (:mod:`xuncha_site.core.fields`) that the loader reads records by, so
the editor schema, the reference and `xuncha check` accept the same spellings.
Run ``python -m xuncha_site.outputs.editor_schema`` to rewrite the files under ``xuncha_site/outputs/schemas/`` and the
tables between the marker comments in ``docs/记录格式.md``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from xuncha_site.core.fields import (
    APPROVAL,
    ATTACHMENT,
    CONTACT,
    CORRECTION,
    COUNTS,
    GROUP,
    NOTICE,
    REVIEW,
    ROUND,
    SOURCE,
    TRACKING,
    UNIT,
    Field,
    Items,
    Mapping,
    Record,
    Text,
)
from xuncha_site.core.model import MEMBER_FIELDS, Office, SettingInfo, SettingKind, Settings, setting_fields

SCHEMA_DIR = Path(__file__).parent / "schemas"
RECORD_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "记录格式.md"  # in a source checkout
TEXT = {"type": "string"}
TEXTS = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _object(labels: dict[str, str], types: dict[str, dict[str, Any]], required: tuple[str, ...] = ()) -> dict[str, Any]:
    properties = {key: {**types.get(key, TEXT), "description": label} for key, label in labels.items()}
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def notice_schema() -> dict[str, Any]:
    return {"$schema": DRAFT, "title": "巡察整改通报的前置元数据", **NOTICE.schema()}


def round_schema() -> dict[str, Any]:
    return {"$schema": DRAFT, "title": "巡察轮次文件", **ROUND.schema()}


def review_schema() -> dict[str, Any]:
    return {"$schema": DRAFT, "title": "审查清单 content/review.yml", **REVIEW.schema()}


def _setting_schema(info: SettingInfo, section: tuple[tuple[str, SettingInfo], ...] = ()) -> dict[str, Any]:
    kinds: dict[SettingKind, dict[str, Any]] = {
        SettingKind.INTEGER: {
            "type": "integer",
            "minimum": info.minimum or 0,
            **({"maximum": info.maximum} if info.maximum is not None else {}),
        },
        SettingKind.FLAG: {"type": "boolean"},
        SettingKind.PHONES: TEXTS,
        SettingKind.EMAILS: TEXTS,
        SettingKind.POSTCODE: {"type": "string", "pattern": r"^\d{6}$"},
        SettingKind.URL: {"type": "string", "pattern": "^https?://"},
        SettingKind.MEMBERS: {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "url"],
                "properties": {
                    "name": {"type": "string", "description": MEMBER_FIELDS["name"]},
                    "url": {"type": "string", "pattern": "^https?://", "description": MEMBER_FIELDS["url"]},
                    "path": {"type": "string", "description": MEMBER_FIELDS["path"]},
                },
            },
        },
    }
    if info.kind is SettingKind.SECTION:
        properties = {key: _setting_schema(item) for key, item in section}
        schema = {"type": "object", "additionalProperties": False, "properties": properties}
    else:
        schema = dict(kinds.get(info.kind, TEXT))
    return {**schema, "description": f"{info.label}：{info.help}" if info.help else info.label}


def settings_schema() -> dict[str, Any]:
    """The plugin's options, from their one declaration (:class:`xuncha_site.core.model.Settings`)."""
    properties = {
        key: _setting_schema(info, setting_fields(Office) if info.kind is SettingKind.SECTION else ())
        for key, info in setting_fields(Settings)
    }
    return {
        "$schema": DRAFT,
        "title": "xuncha 插件设置",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


EDITOR_SCHEMAS = {
    "notice-front-matter.schema.json": notice_schema,
    "round.schema.json": round_schema,
    "settings.schema.json": settings_schema,
    "review.schema.json": review_schema,
}


def render(name: str) -> str:
    return json.dumps(EDITOR_SCHEMAS[name](), ensure_ascii=False, indent=2) + "\n"


# The field tables of docs/记录格式.md: marker name → the records its tables describe.
GUIDE_TABLES: dict[str, tuple[Record, ...]] = {
    "notice": (NOTICE, COUNTS, CONTACT, SOURCE, ATTACHMENT, CORRECTION, APPROVAL, TRACKING),
    "round": (ROUND, GROUP, UNIT),
}
_TABLE_BLOCK = re.compile(r"(<!-- 字段表 (\w+)：[^\n]*-->\n).*?(<!-- 字段表 \2 结束 -->)", re.S)


def field_table(record: Record) -> str:
    """One record's fields as a Markdown table: name, meaning, kind, required, how to write it."""
    rows = [f"**{record.title}**", "", "| 字段 | 含义 | 类型 | 必填 | 写法与说明 |", "| --- | --- | --- | --- | --- |"]
    for field in record.fields:
        rows.append(
            f"| `{field.name}` | {field.label} | {_type_name(field)} | {'必填' if field.required else ''} | "
            f"{_how(field)} |"
        )
    return "\n".join(rows) + "\n"


def _type_name(field: Field[Any]) -> str:
    kind = field.kind
    if isinstance(kind, Text) and kind.choices:
        return "选项"
    if isinstance(kind, Items) and kind.scalar:
        return "列表（映射或名称）"
    return kind.type_name()


def _how(field: Field[Any]) -> str:
    kind = field.kind
    notes = [field.help] if field.help else []
    if isinstance(kind, (Mapping, Items)) and kind.record is not None:
        notes.append(f"见“{kind.record.title}”表")
    if kind.spellings():
        notes.append(kind.spellings())
    return "；".join(notes).replace("|", "\\|")


def render_guide(text: str) -> str:
    """``text`` (docs/记录格式.md) with every marked table block regenerated from the declarations."""

    def block(match: re.Match[str]) -> str:
        tables = "\n".join(field_table(record) for record in GUIDE_TABLES[match[2]])
        return f"{match[1]}\n{tables}\n{match[3]}"

    return _TABLE_BLOCK.sub(block, text)


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name in EDITOR_SCHEMAS:
        (SCHEMA_DIR / name).write_text(render(name), encoding="utf-8")
        print(f"已写入 {SCHEMA_DIR / name}")
    if RECORD_GUIDE.is_file():
        RECORD_GUIDE.write_text(render_guide(RECORD_GUIDE.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"已更新 {RECORD_GUIDE} 中的字段表")


if __name__ == "__main__":
    main()
