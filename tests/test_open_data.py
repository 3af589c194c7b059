"""Open data (/data/notices.json, notices.csv, rounds.json): schemas, agreement with the model, no leaks, stable bytes."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from site_fixtures import EXAMPLE_SITE, OPENDATA_SITE, OPENDATA_URL, load_clean, opendata_pages

from xuncha_site.commands import cli
from xuncha_site.core.model import Notice, Problem
from xuncha_site.core.project import Project
from xuncha_site.outputs.files import extra_outputs
from xuncha_site.outputs.open_data import CSV_COLUMNS, DISCLOSURE_COLUMNS, schema_bytes

REPO = Path(__file__).parent.parent
DATA_FILES = (
    "data/notices.json",
    "data/notices.csv",
    "data/rounds.json",
    "data/themes.json",
    "data/disclosure.json",
    "data/disclosure.csv",
    "data/units.json",
)


def _json(outputs: dict[str, bytes], path: str) -> Any:
    return json.loads(outputs[path].decode("utf-8"))


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_bytes(name))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _csv_rows(outputs: dict[str, bytes]) -> list[dict[str, str]]:
    text = outputs["data/notices.csv"].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _texts(outputs: dict[str, bytes]) -> dict[str, str]:
    """Every output as text, gzip files opened."""
    return {
        path: (gzip.decompress(data) if path.endswith(".gz") else data).decode("utf-8")
        for path, data in outputs.items()
    }


def _by_id(project: Project) -> dict[str, Notice]:
    return {notice.id: notice for notice in project.corpus.notices}


def _tree(problem: Problem) -> dict[str, Any]:
    return {
        "title": problem.title,
        "status": problem.status.value,
        "status_text": problem.status_text or None,
        "themes": [],  # site_opendata has no theme list (content/themes.yml); tests/test_site_themes.py has one
        "children": [_tree(child) for child in problem.children],
    }


# --- schemas ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", ["opendata", "example"])
def test_notices_json_is_valid_against_its_published_schema(site: str, request: pytest.FixtureRequest) -> None:
    outputs = request.getfixturevalue(f"{site}_outputs")
    _validator("notices.schema.json").validate(_json(outputs, "data/notices.json"))


@pytest.mark.parametrize("site", ["opendata", "example"])
def test_rounds_json_is_valid_against_its_published_schema(site: str, request: pytest.FixtureRequest) -> None:
    outputs = request.getfixturevalue(f"{site}_outputs")
    _validator("rounds.schema.json").validate(_json(outputs, "data/rounds.json"))


@pytest.mark.parametrize("site", ["opendata", "example"])
def test_units_json_is_valid_against_its_published_schema(site: str, request: pytest.FixtureRequest) -> None:
    outputs = request.getfixturevalue(f"{site}_outputs")
    _validator("units.schema.json").validate(_json(outputs, "data/units.json"))


@pytest.mark.parametrize("site", ["opendata", "example"])
def test_disclosure_json_is_valid_against_its_published_schema(site: str, request: pytest.FixtureRequest) -> None:
    outputs = request.getfixturevalue(f"{site}_outputs")
    _validator("disclosure.schema.json").validate(_json(outputs, "data/disclosure.json"))


def test_schemas_are_published_beside_the_data_byte_for_byte(opendata_outputs: dict[str, bytes]) -> None:
    for name in ("notices.schema.json", "rounds.schema.json", "themes.schema.json", "disclosure.schema.json", "units.schema.json"):
        assert opendata_outputs[f"data/{name}"] == (REPO / "xuncha_site" / "outputs" / "schemas" / name).read_bytes()


def test_schema_rejects_a_notice_with_an_undocumented_field(opendata_outputs: dict[str, bytes]) -> None:
    document = _json(opendata_outputs, "data/notices.json")
    document["notices"][0]["secret"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        _validator("notices.schema.json").validate(document)


def test_notices_json_puts_each_notice_on_its_own_line(opendata_outputs: dict[str, bytes]) -> None:
    lines = opendata_outputs["data/notices.json"].decode("utf-8").splitlines()
    notice_lines = [line.rstrip(",") for line in lines if line.startswith('{"id":')]
    assert [json.loads(line)["id"] for line in notice_lines] == ["r1/jia-wancheng", "r1/yi", "r1/jia"]


# --- notices.json agrees with the model ------------------------------------------------------------------------


def test_notices_json_lists_exactly_the_public_notices_newest_first(
    opendata_project: Project, opendata_outputs: dict[str, bytes]
) -> None:
    ids = [item["id"] for item in _json(opendata_outputs, "data/notices.json")["notices"]]
    assert ids == ["r1/jia-wancheng", "r1/yi", "r1/jia"]
    assert ids == [notice.id for notice in opendata_project.public_notices()]


def test_notices_json_leaves_out_the_draft_and_the_embargoed_notice(opendata_outputs: dict[str, bytes]) -> None:
    ids = {item["id"] for item in _json(opendata_outputs, "data/notices.json")["notices"]}
    assert "r1/bing" not in ids
    assert "r2/wu" not in ids


def test_notice_counts_problems_and_contact_are_those_of_the_record(
    opendata_project: Project, opendata_outputs: dict[str, bytes]
) -> None:
    notices = _by_id(opendata_project)
    for item in _json(opendata_outputs, "data/notices.json")["notices"]:
        notice = notices[item["id"]]
        assert item["counts"] == notice.counts.as_dict()
        assert item["derived_counts"] == notice.derived_counts.as_dict()
        assert item["problems"] == [_tree(problem) for problem in notice.problems]
        assert item["contact"]["phones"] == list(notice.contact.phones)
        assert item["contact"]["emails"] == list(notice.contact.emails)
        assert item["title"] == notice.title
        assert item["published"] == notice.published.isoformat()


def test_notice_fields_follow_the_record_format(opendata_outputs: dict[str, bytes]) -> None:
    jia = next(n for n in _json(opendata_outputs, "data/notices.json")["notices"] if n["id"] == "r1/jia")
    assert jia["url"] == "https://opendata.example/xuncha/notices/r1/jia/"
    assert jia["round"] == {"id": "r1", "name": "测试市委第一轮巡察"}
    assert (jia["inspection_start"], jia["inspection_end"], jia["feedback_date"]) == (
        "2026-01-05",
        "2026-02-10",
        "2026-03-02",
    )
    assert (jia["notice_date"], jia["published"]) == ("2026-05-08", "2026-05-10T09:00:00+08:00")
    assert jia["counts"]["problems"] == 2
    assert jia["counts"]["measures"] == 12
    assert jia["counts"]["suggestions"] is None  # not stated is null, never 0
    assert jia["contact"] == {
        "phones": ["0123-6011234", "13800000001"],
        "emails": ["jiaju@test.example"],
        "mailbox": "测试市人民路1号甲局办公室",
        "address": "测试市人民路1号",
        "postcode": "100001",
        "text": "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0123—6011234。",
    }
    assert jia["source"] == {"name": "测试廉政网", "url": "https://lz.test.example/2026/05/10/1.html", "editor": "王某"}
    assert jia["corrections"] == [{"date": "2026-05-20", "text": "第二部分第1项中“2025年”更正为“2026年”。"}]


def test_problem_tree_keeps_levels_and_statuses(opendata_outputs: dict[str, bytes]) -> None:
    jia = next(n for n in _json(opendata_outputs, "data/notices.json")["notices"] if n["id"] == "r1/jia")
    first, second = jia["problems"]
    assert first["title"] == "（一）关于理论学习不深入的问题"
    assert [(c["title"], c["status"]) for c in first["children"]] == [
        ("1.中心组学习流于形式", "completed"),
        ("2.学习成果转化不够", "basically_completed"),
    ]
    assert (second["status"], second["status_text"], second["children"]) == ("completed", "已完成", [])


# --- rounds.json -----------------------------------------------------------------------------------------------


def _round(outputs: dict[str, bytes], round_id: str) -> dict[str, Any]:
    return next(r for r in _json(outputs, "data/rounds.json")["rounds"] if r["id"] == round_id)


def test_rounds_json_lists_units_still_missing_and_overdue(opendata_outputs: dict[str, bytes]) -> None:
    r1 = _round(opendata_outputs, "r1")
    # 丙局's only notice is a draft: the unit has disclosed nothing.
    assert r1["missing"] == ["测试市丙局党组", "测试市丁局党组"]
    assert r1["overdue"] == ["测试市丙局党组", "测试市丁局党组"]
    r2 = _round(opendata_outputs, "r2")
    assert r2["missing"] == ["测试市戊局党组"]  # its notice is embargoed
    assert r2["overdue"] == []  # feedback 2026-10-30, due 30 days later: not yet


def test_rounds_json_gives_each_unit_its_public_notices(opendata_outputs: dict[str, bytes]) -> None:
    units = {u["name"]: u for group in _round(opendata_outputs, "r1")["groups"] for u in group["units"]}
    assert units["测试市甲局党组"]["notices"] == ["r1/jia", "r1/jia-wancheng"]
    assert units["测试市丙局党组"]["notices"] == []
    assert units["测试市甲局党组"]["days_since_feedback"] == 263  # 2026-03-02 → 2026-11-20
    assert units["测试市甲局党组"]["due_date"] == "2026-04-01"


def test_rounds_json_links_every_listed_unit_to_its_page(opendata_outputs: dict[str, bytes]) -> None:
    units = {u["name"]: u["url"] for group in _round(opendata_outputs, "r1")["groups"] for u in group["units"]}
    assert units["测试市甲局党组"] == OPENDATA_URL + "units/jia/"
    assert units["测试市丁局党组"] == OPENDATA_URL + "units/ding/"  # the site shows "尚未公开" there


def test_rounds_json_figures_count_each_units_latest_notice(opendata_outputs: dict[str, bytes]) -> None:
    figures = _round(opendata_outputs, "r1")["figures"]
    assert figures["units"] == 4
    assert figures["units_disclosed"] == 2
    assert figures["notices"] == 3
    # 甲局's latest notice (2 problems, both done) is counted; 乙局's (1 problem, no status, no stated figures) is not,
    # and the figures say so.
    assert (figures["problems"], figures["completed"]) == (2, 2)
    assert (figures["notices_counted"], figures["notices_not_counted"]) == (1, 1)
    assert figures["completion_rate"] == 100.0


# --- CSV -------------------------------------------------------------------------------------------------------


def test_csv_starts_with_a_bom_and_has_one_row_per_public_notice(opendata_outputs: dict[str, bytes]) -> None:
    assert opendata_outputs["data/notices.csv"].startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(opendata_outputs)
    assert [row["id"] for row in rows] == ["r1/jia-wancheng", "r1/yi", "r1/jia"]


def test_csv_has_the_documented_columns_and_crlf_lines(opendata_outputs: dict[str, bytes]) -> None:
    text = opendata_outputs["data/notices.csv"].decode("utf-8-sig")
    assert text.split("\r\n")[0].split(",") == list(CSV_COLUMNS)
    assert text.count("\r\n") == 4 and "\n" not in text.replace("\r\n", "")


def test_csv_flattens_counts_and_contact(opendata_outputs: dict[str, bytes]) -> None:
    jia = next(row for row in _csv_rows(opendata_outputs) if row["id"] == "r1/jia")
    assert (jia["round_id"], jia["round_name"]) == ("r1", "测试市委第一轮巡察")
    assert (jia["counts_problems"], jia["counts_specific_problems"], jia["counts_suggestions"]) == ("2", "3", "")
    assert jia["contact_phones"] == "0123-6011234;13800000001"
    assert jia["contact_postcode"] == "100001"
    assert jia["problems_listed"] == "3"


# --- nothing unpublished anywhere ------------------------------------------------------------------------------


def test_no_output_mentions_the_draft_or_the_embargoed_notice(opendata_outputs: dict[str, bytes]) -> None:
    for path, text in _texts(opendata_outputs).items():
        for secret in ("草稿标记OD1", "保密标记OD2", "caogao-od1", "baomi-od2", "r1/bing", "r2/wu"):
            assert secret not in text, f"{secret} leaked into {path}"


@pytest.mark.parametrize("marker", ["草稿标记XQ7", "保密标记ZK4"])
def test_example_sites_unpublished_notice_is_in_no_output(
    marker: str, example_project: Project, example_outputs: dict[str, bytes]
) -> None:
    hidden = [n for n in example_project.corpus.notices if marker in (Path(EXAMPLE_SITE) / n.path).read_text("utf-8")]
    assert hidden, f"the example content should hold a notice marked {marker}"
    assert all(not n.is_public(example_project.build_time) for n in hidden)
    for path, text in _texts(example_outputs).items():
        assert marker not in text, f"{marker} leaked into {path}"
        for notice in hidden:
            assert f"notices/{notice.id}/" not in text, f"{notice.id} leaked into {path}"


# --- `xuncha export` gives the published bytes -----------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "path"), [("json", DATA_FILES[0]), ("csv", DATA_FILES[1]), ("rounds", DATA_FILES[2])])
def test_export_command_prints_exactly_the_published_file(
    fmt: str,
    path: str,
    capsysbinary: pytest.CaptureFixture[bytes],
    opendata_project: Project,
    opendata_outputs: dict[str, bytes],
) -> None:
    status = cli.main(["export", "-f", str(OPENDATA_SITE / "mkdocs.yml"), "--format", fmt])
    assert status == 0
    assert capsysbinary.readouterr().out == opendata_outputs[path]


# --- byte-for-byte reproducible --------------------------------------------------------------------------------


def test_every_output_is_identical_when_made_twice(opendata_project: Project) -> None:
    pages = opendata_pages(opendata_project)
    first = extra_outputs(opendata_project, OPENDATA_URL, pages, site_name="测试站点")
    again = extra_outputs(
        load_clean(OPENDATA_SITE / "mkdocs.yml"), OPENDATA_URL, list(reversed(pages)), site_name="测试站点"
    )
    assert first == again


def test_outputs_do_not_depend_on_the_working_directory(
    opendata_outputs: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    project = load_clean(Path(os.path.relpath(OPENDATA_SITE / "mkdocs.yml", tmp_path)))
    again = extra_outputs(project, OPENDATA_URL, opendata_pages(project), site_name="测试站点")
    assert again == opendata_outputs


def test_only_the_dated_figures_change_with_the_build_date(
    opendata_outputs: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A day later nothing new is published: feeds, sitemap and notices keep their bytes; rounds.json and
    # disclosure.json move their as_of, and an overdue unit's days past its deadline grow by one (disclosure.csv).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1795132800 + 86400))
    project = load_clean(OPENDATA_SITE / "mkdocs.yml")
    later = extra_outputs(project, OPENDATA_URL, opendata_pages(project), site_name="测试站点")
    changed = sorted(path for path in later if later[path] != opendata_outputs[path])
    assert changed == ["data/disclosure.csv", "data/disclosure.json", "data/rounds.json"]
    assert _json(later, "data/rounds.json")["as_of"] == "2026-11-21"
    assert _json(later, "data/disclosure.json")["as_of"] == "2026-11-21"


def test_extra_outputs_returns_every_documented_file(opendata_outputs: dict[str, bytes]) -> None:
    expected = {
        *DATA_FILES,
        "data/notices.schema.json",
        "data/rounds.schema.json",
        "data/themes.schema.json",
        "data/disclosure.schema.json",
        "data/units.schema.json",
        "feed.xml",
        "atom.xml",
        "feed.json",
        "sitemap.xml",
        "sitemap.xml.gz",
        "robots.txt",
    }
    for round_id in ("r1", "r2"):
        expected |= {f"rounds/{round_id}/feed.xml", f"rounds/{round_id}/atom.xml", f"rounds/{round_id}/feed.json"}
    assert set(opendata_outputs) == expected
    assert list(opendata_outputs) == sorted(opendata_outputs)


# --- the 数据说明 page ------------------------------------------------------------------------------------------


def _schema_fields(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        found |= set(node.get("properties", {}))
        for value in node.values():
            found |= _schema_fields(value)
    elif isinstance(node, list):
        for value in node:
            found |= _schema_fields(value)
    return found


def test_open_data_page_documents_every_field_and_column() -> None:
    page = (REPO / "pages" / "open-data.md").read_text("utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", page))
    fields = set(CSV_COLUMNS)
    fields |= set(DISCLOSURE_COLUMNS)
    for name in ("notices.schema.json", "rounds.schema.json", "themes.schema.json", "disclosure.schema.json", "units.schema.json"):
        fields |= _schema_fields(json.loads(schema_bytes(name)))
    assert sorted(fields - documented) == []


def test_open_data_page_links_every_data_file() -> None:
    page = (REPO / "pages" / "open-data.md").read_text("utf-8")
    links = set(re.findall(r"\]\(([^)#]+)\)", page))
    for path in (
        *DATA_FILES,
        "data/notices.schema.json",
        "data/rounds.schema.json",
        "data/themes.schema.json",
        "data/disclosure.schema.json",
        "data/units.schema.json",
        "feed.xml",
        "atom.xml",
        "feed.json",
    ):
        assert path in links
