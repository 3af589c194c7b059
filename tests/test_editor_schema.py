"""Editor schemas and the record-format reference stay true to what the loader really accepts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from xuncha_site.outputs.editor_schema import (
    EDITOR_SCHEMAS,
    GUIDE_TABLES,
    RECORD_GUIDE,
    SCHEMA_DIR,
    render,
    render_guide,
)

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "记录格式.md"


def stringify(value: Any) -> Any:
    """YAML dates as the strings an editor typed (editor tooling sees YAML 1.2: no timestamp type)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: stringify(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stringify(item) for item in value]
    return value


def guide_block(heading: str) -> dict[str, Any]:
    """The first ```yaml block after ``heading`` in the record-format reference, parsed."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, heading
    return stringify(yaml.safe_load(block[1].replace("---\n", "")))


def keys(schema: dict[str, Any], value: Any, prefix: str = "") -> tuple[set[str], set[str]]:
    """(documented keys, schema keys) walked together, dotted."""
    documented, known = set(), set()
    props = schema.get("properties", {})
    known |= {prefix + k for k in props}
    if isinstance(value, dict):
        for key, item in value.items():
            documented.add(prefix + key)
            sub = props.get(key, {})
            if isinstance(item, dict) and "properties" in sub:
                d, k = keys(sub, item, f"{prefix}{key}.")
                documented |= d
                known |= k
    return documented, known


@pytest.mark.parametrize("name", sorted(EDITOR_SCHEMAS))
def test_committed_schema_files_are_up_to_date(name: str) -> None:
    assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == render(name), (
        "运行 python -m xuncha_site.outputs.editor_schema"
    )


def test_field_tables_in_the_reference_are_up_to_date() -> None:
    assert RECORD_GUIDE == GUIDE
    text = GUIDE.read_text(encoding="utf-8")
    for name, records in GUIDE_TABLES.items():
        assert f"<!-- 字段表 {name}：" in text and f"<!-- 字段表 {name} 结束 -->" in text
        for record in records:
            assert f"**{record.title}**" in text
    assert render_guide(text) == text, "运行 python -m xuncha_site.outputs.editor_schema"


def test_stale_field_tables_are_rewritten() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    stale = text.replace("| `stage` | 整改阶段 |", "| `stage` | 阶段 |")
    assert stale != text
    assert render_guide(stale) == text


def test_guide_documents_exactly_the_notice_fields() -> None:
    example = guide_block("### 元数据")
    schema = EDITOR_SCHEMAS["notice-front-matter.schema.json"]()
    documented, known = keys(schema, example)
    assert documented == known
    jsonschema.validate(example, schema)


def test_guide_documents_exactly_the_round_fields() -> None:
    example = guide_block("## 巡察轮次")
    schema = EDITOR_SCHEMAS["round.schema.json"]()
    documented, known = keys(schema, example)
    assert documented == known
    jsonschema.validate(example, schema)


def test_guide_documents_exactly_the_settings() -> None:
    example = guide_block("## 站点设置")["plugins"][0]["xuncha"]
    schema = EDITOR_SCHEMAS["settings.schema.json"]()
    documented, known = keys(schema, example)
    assert documented == known
    jsonschema.validate(example, schema)


def test_every_example_record_validates_against_the_editor_schemas() -> None:
    notice_schema = EDITOR_SCHEMAS["notice-front-matter.schema.json"]()
    round_schema = EDITOR_SCHEMAS["round.schema.json"]()
    notices = sorted((ROOT / "content" / "notices").glob("*/*.md"))
    rounds = sorted((ROOT / "content" / "rounds").glob("*.yml"))
    assert notices and rounds
    for path in notices:
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        jsonschema.validate(stringify(yaml.safe_load(front)), notice_schema)
    for path in rounds:
        jsonschema.validate(stringify(yaml.safe_load(path.read_text(encoding="utf-8"))), round_schema)


def test_editor_schema_rejects_what_check_rejects() -> None:
    schema = EDITOR_SCHEMAS["notice-front-matter.schema.json"]()
    bad = {
        "round": "2024-r1",
        "unit": "甲",
        "issuer": "乙",
        "notice_date": "2024-01-01",
        "published": "2024-01-02",
        "stage": "中期",
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**bad, "stage": "进展", "isuer": "x"}, schema)
