"""JSON Schemas of the record files, for editors (VS Code YAML extension and the like) to see mistakes as they type.

They are generated from the loader's own field tables, so the editor schema and `xuncha check` cannot drift apart.
Run ``python -m xuncha_site.editor_schema`` to rewrite the files under ``xuncha_site/schemas/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xuncha_site.core.loader import CONTACT_FIELDS, COUNT_LABELS, NOTICE_FIELDS, ROUND_FIELDS, SOURCE_FIELDS
from xuncha_site.core.model import ROUND_TYPES, STAGES, Office, SettingInfo, SettingKind, Settings, setting_fields

SCHEMA_DIR = Path(__file__).parent / "schemas"
DATE = {"type": "string", "pattern": r"^\d{4}-\d{1,2}-\d{1,2}$"}
DATETIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2})?)?\s*(Z|[+-]\d{2}:?\d{2})?$",
}
SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
TEXT = {"type": "string"}
TEXTS = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


def _object(labels: dict[str, str], types: dict[str, dict[str, Any]], required: tuple[str, ...] = ()) -> dict[str, Any]:
    properties = {key: {**types.get(key, TEXT), "description": label} for key, label in labels.items()}
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def notice_schema() -> dict[str, Any]:
    counts = _object(
        COUNT_LABELS,
        {key: {"type": "integer", "minimum": 0} for key in COUNT_LABELS}
        | {"completion_rate": {"type": "number", "minimum": 0, "maximum": 100}},
    )
    attachment = {
        "type": "object",
        "additionalProperties": False,
        "required": ["title"],
        "properties": {
            "title": {"type": "string", "description": "附件名称"},
            "file": {"type": "string", "description": "附件文件（相对于本通报文件）"},
            "url": {"type": "string", "pattern": "^https?://", "description": "附件网址"},
        },
    }
    correction = {
        "type": "object",
        "additionalProperties": False,
        "required": ["date", "text"],
        "properties": {
            "date": {**DATE, "description": "更正日期"},
            "text": {"type": "string", "description": "更正内容"},
        },
    }
    types: dict[str, dict[str, Any]] = {
        "round": SLUG,
        "inspection_start": DATE,
        "inspection_end": DATE,
        "feedback_date": DATE,
        "notice_date": DATE,
        "published": DATETIME,
        "stage": {"enum": list(STAGES)},
        "draft": {"type": "boolean"},
        "counts": counts,
        "contact": _object(
            CONTACT_FIELDS, {"phones": TEXTS, "emails": TEXTS, "postcode": {"type": "string", "pattern": r"^\d{6}$"}}
        ),
        "source": _object(SOURCE_FIELDS, {"url": {"type": "string", "pattern": "^https?://"}}),
        "attachments": {"type": "array", "items": attachment},
        "corrections": {"type": "array", "items": correction},
    }
    schema = _object(NOTICE_FIELDS, types, ("round", "unit", "issuer", "notice_date", "published", "stage"))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "巡察整改通报的前置元数据", **schema}


def round_schema() -> dict[str, Any]:
    unit = {
        "oneOf": [
            {"type": "string"},
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": "单位名称"},
                    "slug": {**SLUG, "description": "单位网址名"},
                    "feedback_date": {**DATE, "description": "本单位的反馈日期"},
                    "aliases": {**TEXTS, "description": "别名"},
                },
            },
        ]
    }
    group = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "units"],
        "properties": {
            "name": {"type": "string", "description": "巡察组名称"},
            "leader": {"type": "string", "description": "组长"},
            "units": {"type": "array", "items": unit, "description": "被巡察单位"},
        },
    }
    types: dict[str, dict[str, Any]] = {
        "number": {"type": "integer", "minimum": 1},
        "year": {"type": "integer", "minimum": 1949},
        "type": {"enum": list(ROUND_TYPES)},
        "inspection_start": DATE,
        "inspection_end": DATE,
        "feedback_date": DATE,
        "groups": {"type": "array", "items": group},
    }
    schema = _object(ROUND_FIELDS, types, ("name", "groups"))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "巡察轮次文件", **schema}


def _setting_schema(info: SettingInfo, section: tuple[tuple[str, SettingInfo], ...] = ()) -> dict[str, Any]:
    kinds: dict[SettingKind, dict[str, Any]] = {
        SettingKind.INTEGER: {"type": "integer", "minimum": info.minimum or 0},
        SettingKind.FLAG: {"type": "boolean"},
        SettingKind.PHONES: TEXTS,
        SettingKind.EMAILS: TEXTS,
        SettingKind.POSTCODE: {"type": "string", "pattern": r"^\d{6}$"},
        SettingKind.URL: {"type": "string", "pattern": "^https?://"},
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
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "xuncha 插件设置",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


EDITOR_SCHEMAS = {
    "notice-front-matter.schema.json": notice_schema,
    "round.schema.json": round_schema,
    "settings.schema.json": settings_schema,
}


def render(name: str) -> str:
    return json.dumps(EDITOR_SCHEMAS[name](), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name in EDITOR_SCHEMAS:
        (SCHEMA_DIR / name).write_text(render(name), encoding="utf-8")
        print(f"已写入 {SCHEMA_DIR / name}")


if __name__ == "__main__":
    main()
