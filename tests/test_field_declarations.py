"""The loader and the editor JSON Schemas give the same verdict on every value, because both come from one declaration.

Values are JSON values: what an editor working with YAML 1.2 sees (``14``, ``true``, ``"是"``), written into the record
as JSON (which is YAML) for the loader, which reads each scalar's text.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings, strategies as st
from recordkit import NOTICE_BODY, NOTICE_FRONT, RecordSite, notice_text

from xuncha_site.core.contact import is_phone_spelling, is_valid_phone, normalise_phone
from xuncha_site.core.diagnostics import Diagnostics, Level
from xuncha_site.core.fields import (
    ATTACHMENT,
    CONTACT,
    CORRECTION,
    COUNTS,
    MAX_YEAR,
    MIN_YEAR,
    NOTICE,
    RECORDS,
    ROUND,
    SOURCE,
    UNIT,
    Field,
    Items,
    Mapping,
    Record,
    Texts,
    parse_date,
    parse_datetime,
)
from xuncha_site.core.model import COUNT_FIELDS, ROUND_TYPES, STAGES, Counts
from xuncha_site.core.records import Fields, compose_yaml
from xuncha_site.outputs.editor_schema import notice_schema, round_schema

UTC8 = timezone(timedelta(hours=8))


def loader_accepts(record: Record, name: str, value: Any) -> bool:
    """Whether the loader reads ``name: value`` of ``record`` without an error (warnings are fine)."""
    diags = Diagnostics()
    node = compose_yaml(f"{name}: {json.dumps(value, ensure_ascii=False)}\n", "x.yml", diags)
    fields = Fields.of(node, "x.yml", diags)
    assert fields is not None and not diags.errors, diags.errors
    field = record[name]
    assert not isinstance(field.kind, (Mapping, Items)), "records are read by the loader: see THROUGH_FILES"
    if isinstance(field.kind, Texts):
        fields.texts(field)
    else:
        fields.get(field, UTC8)
    fields.finish(record)
    return not diags.errors


def schema_accepts(field: Field[Any], value: Any) -> bool:
    schema = {"type": "object", "properties": {field.name: field.schema()}}
    return jsonschema.Draft202012Validator(schema).is_valid({field.name: value})


DATES_OK = [
    "2024-03-18",
    "1949-10-01",
    "2999-12-31",
    "2024-3-8",
    "2024/3/18",
    "2024/03/18",
    "2024.3.18",
    "2024年3月18日",
    "2024年3月18",
    " 2024-03-18 ",
    "2024-02-29",
    "2000-02-29",
    "2023-12-31",
    "2023-04-30",
]
DATES_BAD = [
    "2023-02-29",
    "1948-12-31",  # before MIN_YEAR
    "3000-01-01",  # after MAX_YEAR: near 9999 date arithmetic overflows
    "9999-12-31",
    "1900-02-29",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "2024-1-32",
    "0000-01-01",
    "2024-3/18",
    "2024年3-18日",
    "24-03-18",
    "2024-003-18",
    "2024年3月18号",
    "２０２４-03-18",
    "18.3.2024",
    "2024-03-18 09:30",
    "",
    20240318,
    True,
    [],
    {},
]
MOMENTS_OK = [
    "2024-03-18",
    "2024-03-18 09:30",
    "2024-03-18T09:30",
    "2024-03-18 9:05",
    "2024-03-18 23:59:59",
    "2024-03-18T09:30:00+08:00",
    "2024-03-18T09:30:00+0800",
    "2024-03-18T09:30:00-05:30",
    "2024-03-18T01:30:00Z",
    "2024-03-18 09:30 +08:00",
    "2024/3/18 09:30",
    "2024.3.18 09:30",
    "2024年3月18日 09:30",
    "2024-03-18+08:00",
]
MOMENTS_BAD = [
    "2024-03-18 24:00",
    "9999-12-31 23:59",
    "2024-03-18T09:30+24:00",
    "2024-03-18T09:30+00:99",
    "2024-03-18 09:60",
    "2024-03-18 09:30:60",
    "2024-03-18T09:30:00+24:00",
    "2024-03-18T09:30:00+08:60",
    "2024-03-18T09:30:00+8:00",
    "2024-03-18T09:30:00 CST",
    "2024-03-18  09:30",
    "2024-03-18T",
    "2024-02-30 09:30",
    "09:30",
    "",
    1710725400,
]
FLAGS_OK = [True, False, "true", "True", "TRUE", "yes", "Yes", "on", "ON", "no", "off", "false", "是", "否", " 是 "]
FLAGS_BAD = ["", "y", "n", "1", "0", 1, 0, "真", "是的", "none", "开"]
INTEGERS_OK = [0, 14, 999_999_999, "14", " 14 ", "+14", "007", "-0"]
INTEGERS_BAD = [-1, "-1", 1_000_000_000, "1000000000", 14.5, "14.5", "1e3", "1_000", "十四", "", True, "０１４", [], {}]
RATES_OK = [0, 100, 92.1, "92.1", "92.1%", "92.1 %", "92.1％", "100%", "100.0", "0.5", ".5", "5.", "+5", "007"]
RATES_BAD = [-1, 100.5, "100.5", "101", "-0.1", "abc", "", "92.1%%", "1e1", "nan", "inf", True, "九十"]


def cases() -> list[tuple[Record, str, Any, bool]]:
    table: list[tuple[Record, str, Any, bool]] = []

    def add(record: Record, name: str, good: list[Any], bad: list[Any]) -> None:
        table.extend((record, name, value, True) for value in good)
        table.extend((record, name, value, False) for value in bad)

    for record, name in (
        (NOTICE, "notice_date"),
        (NOTICE, "feedback_date"),
        (ROUND, "inspection_start"),
        (UNIT, "feedback_date"),
        (CORRECTION, "date"),
    ):
        add(record, name, DATES_OK, DATES_BAD)
    add(NOTICE, "feedback_date", [None], [])  # an optional field left empty
    add(CORRECTION, "date", [], [None])  # a required one left empty
    add(NOTICE, "published", MOMENTS_OK, [*MOMENTS_BAD, None])
    add(NOTICE, "draft", FLAGS_OK, [*FLAGS_BAD, None])  # draft: left empty published notices silently
    for name in COUNT_FIELDS[:-1]:
        add(COUNTS, name, INTEGERS_OK if name == "problems" else INTEGERS_OK[:2], INTEGERS_BAD)
    add(COUNTS, "completion_rate", RATES_OK, RATES_BAD)
    add(ROUND, "number", [1, "1", 99, "+01"], [0, "0", "-0", -3, "x"])
    add(ROUND, "year", [1949, 2024, "2024", "01949", 2999], [1948, "1948", 0, "-2024", "2024年", 99, 3000, "9999"])
    add(NOTICE, "stage", [*STAGES, " 进展 "], ["中期", "进展中", "", None, 1, True])
    add(ROUND, "type", [*ROUND_TYPES, "", None], ["普通", "常规巡察", 2])
    add(NOTICE, "round", ["2024-r1", "r1", "2024", 2024, True], ["2024_r1", "2024-R1", "-r1", "第一轮", "", None, 1.5])
    add(UNIT, "slug", ["tongji", "shui-wu-2", "", None, 7, "a" * 100], ["TongJi", "tong ji", "统计", "-tongji", -7, "a" * 101])
    add(NOTICE, "unit", ["市统计局党组", 123, True], ["", "  ", None, [], {}, "市统计\u200b局党组", "\ufeff市统计局党组"])
    add(UNIT, "aliases", ["统计局", ["统计局", "市统计局"]], ["统\u200d计局", ["统计局", "\u2060统计局"]])
    add(NOTICE, "title", ["标题", "", None, 3.5], [["a"], {"a": 1}, "标\u00ad题"])
    add(
        CONTACT,
        "phones",
        [
            "0123-6012388",
            "0744—6223478",
            "0744－6223478",
            "(0744)6223478",
            "（0744）6223478",
            "07446223478",
            "0744 622 3478",
            "０７４４-６２２３４７８",
            "0744-6223478-123",
            "13800000000",
            "12388",
            "400-123-4567",
            "4001234567",
            "6223478",
            12388,
            13800000000,
            4001234567,
            6223478,
            ["0123-6012388", "12388", 13800000000],
            [],
            "",
            [None, ""],
            None,
        ],
        [
            "0123-600",
            "400-1234567",
            "138-1234-5678",
            "+86 13800000000",
            "0744— —6223478",
            "1234",
            "123456789",
            "12000000000",
            "电话",
            123,
            120000000000,
            True,
            ["0123-6012388", "0123-600"],
            [["12388"]],
            {"a": 1},
        ],
    )
    add(
        CONTACT,
        "emails",
        ["a@b.cn", "name.x+1@example.gov.cn", " a@b.cn ", ["a@b.cn", "c@d.org"], "", [], None],
        ["a@b", "a b@c.cn", "a@b.c", "@b.cn", "a@@b.cn", "邮箱@b.cn", 1, [1], ["a@b.cn", "x"]],
    )
    add(CONTACT, "postcode", ["100123", " 100123 ", 100123, "", None], ["1000", "1001234", "10012a", 12345, True])
    add(SOURCE, "url", ["https://a.example/x", "http://a.example", "", None], ["ftp://a", "a.example", "https://", 1])
    add(ATTACHMENT, "url", ["https://a.example/a.pdf"], ["www.a.example/a.pdf", "https:// a"])
    add(UNIT, "aliases", ["别名", ["甲", "乙"], 12, [None, ""], None], [[["甲"]], [{"a": 1}], {"a": 1}])
    return table


CASES = cases()


def _id(case: tuple[Record, str, Any, bool]) -> str:
    record, name, value, accepted = case
    return f"{record.key}.{name}={json.dumps(value, ensure_ascii=False)}:{'ok' if accepted else 'bad'}"


@pytest.mark.parametrize("case", CASES, ids=[_id(case) for case in CASES])
def test_loader_and_editor_schema_agree(case: tuple[Record, str, Any, bool]) -> None:
    record, name, value, accepted = case
    assert loader_accepts(record, name, value) is accepted
    assert schema_accepts(record[name], value) is accepted


def test_the_tables_cover_every_declared_field_kind() -> None:
    kinds = {type(field.kind).__name__ for record in RECORDS for field in record}
    covered = {type(record[name].kind).__name__ for record, name, _, _ in CASES}
    covered |= {type(NOTICE[name].kind).__name__ for name, _, _ in THROUGH_FILES}
    covered |= {type(ROUND[name].kind).__name__ for name, _, _ in ROUND_FILES}
    assert kinds == covered


def test_the_spellings_mean_the_dates_they_say() -> None:
    assert {parse_date(text) for text in ("2024-03-08", "2024/3/8", "2024.3.8", "2024年3月8日")} == {date(2024, 3, 8)}
    assert parse_datetime("2024-03-18", UTC8) == datetime(2024, 3, 18, tzinfo=UTC8)
    assert parse_datetime("2024年3月18日 9:05:07", UTC8) == datetime(2024, 3, 18, 9, 5, 7, tzinfo=UTC8)
    assert parse_datetime("2024-03-18T01:30Z", UTC8) == datetime(2024, 3, 18, 1, 30, tzinfo=timezone.utc)
    minus = parse_datetime("2024-03-18T09:30-0530", UTC8)
    assert minus is not None and minus.utcoffset() == -timedelta(hours=5, minutes=30)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 9999), st.integers(0, 13), st.integers(0, 32), st.sampled_from(["-", "/", ".", "年"]))
def test_date_pattern_is_the_calendar(year: int, month: int, day: int, separator: str) -> None:
    """The schema's date pattern holds exactly the days Python's calendar has, leap years included, in the years
    MIN_YEAR to MAX_YEAR."""
    second, end = ("月", "日") if separator == "年" else (separator, "")
    text = f"{year:04d}{separator}{month}{second}{day}{end}"
    try:
        real = date(year, month, day) if MIN_YEAR <= year <= MAX_YEAR else None
    except ValueError:
        real = None
    assert parse_date(text) == real
    assert schema_accepts(NOTICE["notice_date"], text) is (real is not None)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0１2345678９-—－ ()（）", min_size=4, max_size=16))
def test_phone_spelling_is_what_normalising_makes_valid(text: str) -> None:
    """Over the characters phone numbers are written with, the declared spelling is exactly what normalises to a
    valid number, and the schema says the same."""
    assert is_phone_spelling(text) is is_valid_phone(normalise_phone(text))
    assert loader_accepts(CONTACT, "phones", text) is schema_accepts(CONTACT["phones"], text) or not text.strip()


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**12), 10**12))
def test_integer_phones_and_counts_agree(number: int) -> None:
    """What YAML reads as a number: the schema's integer ranges and minimums say what the loader says of its text."""
    assert loader_accepts(CONTACT, "phones", number) is schema_accepts(CONTACT["phones"], number)
    assert loader_accepts(ROUND, "year", number) is schema_accepts(ROUND["year"], number)
    assert loader_accepts(ROUND, "year", str(number)) is schema_accepts(ROUND["year"], str(number))
    assert loader_accepts(ROUND, "number", f"+{number:03d}") is schema_accepts(ROUND["number"], f"+{number:03d}")


def test_counts_declare_every_count_of_the_model() -> None:
    assert COUNTS.names == COUNT_FIELDS
    assert all(field.measure for field in COUNTS)
    assert set(Counts().as_dict()) == set(COUNTS.names)


def test_schema_documents_are_the_declarations() -> None:
    notice, round_ = notice_schema(), round_schema()
    assert list(notice["properties"]) == list(NOTICE.names)
    assert notice["required"] == list(NOTICE.required)
    assert list(round_["properties"]) == list(ROUND.names)
    assert notice["properties"]["stage"]["description"] == "整改阶段"


# --- the same verdicts through real record files -----------------------------------------------------------------

BASE = {**yaml.safe_load(NOTICE_FRONT), "notice_date": "2024-09-01", "published": "2024-09-05 10:00"}
THROUGH_FILES = [
    ("notice_date", "2024年9月1日", True),
    ("notice_date", "2024/9/1", True),
    ("notice_date", "2024.9.1", True),
    ("notice_date", "2024-02-30", False),
    ("notice_date", "2024-9/1", False),
    ("published", "2024年9月5日 10:00", True),
    ("published", "2024-09-05T10:00:00+08:00", True),
    ("published", "2024-09-05T10:00:00+24:00", False),
    ("published", "2024-09-05 25:00", False),
    ("draft", "否", True),
    ("draft", "off", True),
    ("draft", "No", True),
    ("draft", "不", False),
    ("stage", "阶段性进展", True),
    ("stage", "中期", False),
    ("round", "2024_r1", False),
    ("counts", {}, True),
    ("counts", {"problems": 2, "completion_rate": "66.7%"}, True),
    ("counts", None, True),
    ("counts", "3", False),
    ("counts", [3], False),
    ("counts", {"problem": 2}, False),
    ("counts", {"problems": "两"}, False),
    ("contact", {"phones": "12388", "postcode": 100001}, True),
    ("contact", {"phone": "12388"}, False),
    ("contact", "12388", False),
    ("attachments", [{"title": "清单", "url": "https://a.example/a.pdf"}], True),
    ("attachments", [], True),
    ("attachments", None, True),
    ("attachments", [{"title": "清单"}], False),
    ("attachments", [{"title": "清单", "url": "https://a.example/a.pdf", "file": "files/a.pdf"}], False),
    ("attachments", [{"url": "https://a.example/a.pdf"}], False),
    ("attachments", [{"title": "清单", "url": ""}], False),
    ("attachments", [{"title": "清单", "url": "www.a.example/a.pdf"}], False),
    ("attachments", ["清单"], False),
    ("attachments", {"title": "清单"}, False),
    ("corrections", [{"date": "2024年9月6日", "text": "更正"}], True),
    ("corrections", [{"date": "2024-09-06"}], False),
    ("corrections", [{"text": "更正"}], False),
    ("corrections", [{"date": "2024-09-31", "text": "更正"}], False),
    ("tracking", [{"problem": "1.数据审核把关不严", "new": True}], True),
    ("tracking", [], True),
    ("tracking", [{"problem": "1.数据审核把关不严"}], False),
    ("tracking", [{"new": True}], False),
    ("tracking", [{"problem": "1.数据审核把关不严", "new": True, "same_as": "2024-r1/a#1.数据审核把关不严"}], False),
    ("tracking", {"problem": "1.数据审核把关不严", "new": True}, False),
]


def _front(values: dict[str, Any]) -> str:
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items())


@pytest.mark.parametrize(("name", "value", "accepted"), THROUGH_FILES)
def test_record_files_get_the_schemas_verdict(tmp_path: Path, name: str, value: Any, accepted: bool) -> None:
    values = {**BASE, name: value}
    site = RecordSite(tmp_path)
    site.notice(text=notice_text(_front(values), NOTICE_BODY))
    errors = [d.format() for d in site.diagnostics() if d.level is Level.ERROR]
    assert (not errors) is accepted, errors
    assert jsonschema.Draft202012Validator(notice_schema()).is_valid(values) is accepted


ROUND_BASE = {
    "name": "十一届市委第一轮巡察",
    "year": 2024,
    "feedback_date": "2024-06-10",
    "groups": [{"name": "市委第一巡察组", "units": [{"name": "市统计局党组", "slug": "tongji"}]}],
}
UNITS_OK = [["市统计局党组"], ["市统计局党组", 12, {"name": "乙", "slug": "yi", "aliases": "乙单位"}], []]
UNITS_BAD = [["", "市统计局党组"], [None], [{"slug": "yi"}], [{"name": "乙", "slug": "Yi"}], [["乙"]], "市统计局党组"]
ROUND_FILES = [
    ("groups", [], True),
    *(("groups", [{"name": "市委第一巡察组", "units": units}], True) for units in UNITS_OK),
    *(("groups", [{"name": "市委第一巡察组", "units": units}], False) for units in UNITS_BAD),
    ("groups", [{"name": "市委第一巡察组"}], False),
    ("groups", [{"name": "市委第一巡察组", "units": None}], False),
    ("groups", [{"name": "市委第一巡察组", "leader": "张某", "units": ["甲"], "members": 3}], False),
    ("groups", None, False),
    ("groups", {"name": "市委第一巡察组"}, False),
    ("type", "专项", True),
    ("type", "专项巡察", False),
    ("year", "2024", True),
    ("year", 1948, False),
]


@pytest.mark.parametrize(("name", "value", "accepted"), ROUND_FILES)
def test_round_files_get_the_schemas_verdict(tmp_path: Path, name: str, value: Any, accepted: bool) -> None:
    values = {**ROUND_BASE, name: value}
    site = RecordSite(tmp_path)
    site.write("content/rounds/2024-r1.yml", json.dumps(values, ensure_ascii=False, indent=1))
    errors = [d.format() for d in site.diagnostics() if d.level is Level.ERROR]
    assert (not errors) is accepted, errors
    assert jsonschema.Draft202012Validator(round_schema()).is_valid(values) is accepted
