"""Values that used to crash a later command (or publish silently) fail `xuncha check` at their line instead.

Lone surrogates, NUL and ESC written as YAML escapes, direction overrides, UTC offsets of 24 hours or more, dates near
year 9999, huge deadlines, slugs too long for a file name or ending in a newline, `draft:` without a value,
SOURCE_DATE_EPOCH that is not a plain number; then identity (two units with one slug, invisible characters in names,
names in another Unicode form) and corrections dated before publication or after the build.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from recordkit import NOTICE_BODY, NOTICE_FRONT, ROUND_YML, RecordSite, messages, notice_text

from xuncha_site.commands.cli import main
from xuncha_site.core.fields import SLUG_MAX
from xuncha_site.core.loader import slugify

NOTICE = "content/notices/2024-r1/tongji.md"
ROUND = "content/rounds/2024-r1.yml"


@pytest.fixture
def site(tmp_path: Path) -> RecordSite:
    return RecordSite(tmp_path / "site")


def front_line(key: str, front: str = NOTICE_FRONT) -> int:
    """The file line of ``key`` in a notice written with ``front`` (line 1 is the opening ---)."""
    return next(n for n, line in enumerate(front.splitlines(), start=2) if line.startswith(f"{key}:"))


def with_value(site: RecordSite, key: str, value: str) -> list[str]:
    """Load the notice with ``key: value`` in place of its own line; every error, formatted."""
    lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in NOTICE_FRONT.splitlines()]
    site.notice(text=notice_text(front="\n".join(lines) + "\n"))
    return messages(site.load(), "错误")


ESCAPES = {
    "lone-surrogate": ('"市统计局\\ud800党组"', "不成对的代理字符 U+D800（不是有效的 Unicode 文字）"),
    "nul": ('"市统计局\\0党组"', "空字符（NUL）"),
    "escape": ('"市统计局\\e[31m党组"', "控制字符 U+001B"),
    "escape-x": ('"市统计局\\x1b党组"', "控制字符 U+001B"),
    "direction-override": ('"市统计局\\u202e组党"', "改变文字显示方向的控制字符 U+202E"),
}


@pytest.mark.parametrize("case", list(ESCAPES))
def test_characters_no_record_may_hold_are_refused_even_as_yaml_escapes(site, case) -> None:
    value, what = ESCAPES[case]
    assert f"{NOTICE}:{front_line('unit')}: 错误: 值中含有{what}，请删去" in with_value(site, "unit", value)


def test_a_raw_escape_or_direction_override_in_the_body_is_refused_at_its_line(site) -> None:
    for char, what in (("\x1b", "控制字符 U+001B"), ("\u2066", "改变文字显示方向的控制字符 U+2066")):
        text = notice_text(body=NOTICE_BODY.replace("持续巩固整改成果。", f"持续巩固{char}整改成果。"))
        site.notice(text=text)
        line = text[: text.index(char)].count("\n") + 1
        assert messages(site.load(), "错误") == [f"{NOTICE}:{line}: 错误: 文件含有{what}，请删去"]


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("published", "2024-09-05T10:00:00+24:00", "时区偏移应在 -23:59 至 +23:59 之间"),
        ("published", "2024-09-05T10:00:00+00:99", "时区偏移应在 -23:59 至 +23:59 之间"),
        ("published", "9999-12-31 23:00 -08:00", "年份应在 1949 至 2999 年之间"),
        ("notice_date", "9999-12-31", "年份应在 1949 至 2999 年之间"),
        ("feedback_date", "0001-01-01", "年份应在 1949 至 2999 年之间"),
    ],
)
def test_offsets_of_a_day_or_more_and_years_far_off_are_refused_at_their_line(site, key, value, hint) -> None:
    errors = with_value(site, key, value) if key != "feedback_date" else None
    if errors is None:
        site.notice(text=notice_text(front=NOTICE_FRONT + f"{key}: {value}\n"))
        errors = messages(site.load(), "错误")
        line = NOTICE_FRONT.count("\n") + 2
    else:
        line = front_line(key)
    assert any(error.startswith(f"{NOTICE}:{line}: 错误: “{key}”") and hint in error for error in errors), errors


def test_a_round_dated_near_year_9999_is_refused_and_every_command_still_runs(site, capsys) -> None:
    site.write(
        ROUND,
        ROUND_YML.replace("feedback_date: 2024-06-10", "feedback_date: 9999-12-31").replace(
            "year: 2024", "year: 999999"
        ),
    )
    site.notice()
    assert main(["check", "-f", str(site.root / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert (
        f"{ROUND}:9: 错误: “feedback_date”（反馈日期）不是有效日期：“9999-12-31”（年份应在 1949 至 2999 年之间）" in err
    )
    assert f"{ROUND}:5: 错误: “year”（年度）不能大于 2999" in err
    assert main(["export", "-f", str(site.root / "mkdocs.yml")]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_a_deadline_of_a_billion_days_is_refused(site) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("deadline_days: 60", "deadline_days: 999999999"))
    site.notice()
    assert messages(site.load(), "错误") == [
        "mkdocs.yml:13: 错误: xuncha 插件设置：“deadline_days”（反馈后应公开的天数）不能大于 3650"
    ]


def test_a_unit_slug_too_long_for_a_file_name_is_refused_and_long_names_get_short_slugs(site) -> None:
    site.write(ROUND, ROUND_YML.replace("slug: tongji", f"slug: {'t' * (SLUG_MAX + 1)}"))
    site.notice()
    errors = messages(site.load(), "错误")
    assert any(
        f"单位网址名“{'t' * (SLUG_MAX + 1)}”无效：" in error and f"最多 {SLUG_MAX} 个字符" in error for error in errors
    )
    long_name = "青岚市" + "人民政府国有资产监督管理委员会" * 20 + "党委"
    slug = slugify(long_name)
    assert 50 < len(slug) <= SLUG_MAX and not slug.endswith("-")


def test_a_record_or_round_file_named_with_a_trailing_newline_is_refused(site, capsys) -> None:
    site.notice(slug="tongji\n")
    errors = messages(site.load(), "错误")
    assert any(error.startswith("content/notices/2024-r1/tongji\\n.md:1: 错误: 通报文件名") for error in errors), errors
    (site.root / "content/notices/2024-r1/tongji\n.md").unlink()
    site.write("content/rounds/2024-r2\n.yml", ROUND_YML)
    errors = messages(site.load(), "错误")
    assert any(error.startswith("content/rounds/2024-r2\\n.yml:1: 错误: 轮次文件名") for error in errors), errors
    assert (
        main(
            [
                "new",
                "round",
                "2027-r1\n",
                "--year",
                "2027",
                "--committee",
                "中共青岚市委",
                "-f",
                str(site.root / "mkdocs.yml"),
            ]
        )
        == 2
    )
    assert not (site.root / "content/rounds/2027-r1\n.yml").exists()


@pytest.mark.parametrize("value", ["", "~", "null"])
def test_draft_written_without_a_value_is_an_error_not_a_publication(site, value) -> None:
    site.notice(text=notice_text(front=NOTICE_FRONT + f"draft: {value}\n"))
    line = NOTICE_FRONT.count("\n") + 2
    assert messages(site.load(), "错误") == [f"{NOTICE}:{line}: 错误: “draft”（草稿）没有写值：应为 true 或 false"]


@pytest.mark.parametrize("epoch", ["1e9", "-5", "99999999999999", "12 34", "yesterday", "1700000000.5"])
def test_a_source_date_epoch_that_is_not_a_plain_number_is_an_error(site, monkeypatch, capsys, epoch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    site.notice()
    assert main(["check", "-f", str(site.root / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert f"环境变量 SOURCE_DATE_EPOCH:1: 错误: 值“{epoch}”无效：应为 1970 年以来的整秒数" in err
    assert "Traceback" not in err


def test_a_source_date_epoch_left_empty_means_now(site, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    site.notice()
    assert site.diagnostics() == []


# --- identity ------------------------------------------------------------------------------------------------------

TWO_ROUNDS = """\
name: 十一届市委第二轮巡察
committee: 中共测试市委
year: 2025
inspection_start: 2025-03-01
inspection_end: 2025-04-30
feedback_date: 2025-06-10
groups:
  - name: 市委第一巡察组
    units:
      - {unit}
"""


def test_two_units_of_a_round_with_one_slug_are_an_error(site) -> None:
    site.write(ROUND, ROUND_YML.replace("      - 市档案馆党组", "      - name: 市档案馆党组\n        slug: tongji"))
    site.notice()
    assert any(
        error.startswith(f"{ROUND}:15: 错误: 单位“市档案馆党组”与第 13 行的“市统计局党组”网址名都是“tongji”")
        for error in messages(site.load(), "错误")
    )


def test_units_of_two_rounds_whose_names_give_one_slug_are_an_error(site) -> None:
    site.write(ROUND, ROUND_YML.replace("      - 市档案馆党组", "      - 市水利局党组"))
    site.write("content/rounds/2025-r2.yml", TWO_ROUNDS.format(unit="市水力局党组"))
    site.notice()
    errors = messages(site.load(), "错误")
    assert any(
        error.startswith("content/rounds/2025-r2.yml:10: 错误: 单位“市水力局党组”与")
        and "“市水利局党组”网址名都是“shi-shui-li-ju-dang-zu”" in error
        for error in errors
    ), errors


def test_a_renamed_unit_keeps_its_slug_when_both_round_files_write_it(site) -> None:
    site.write(
        "content/rounds/2025-r2.yml", TWO_ROUNDS.format(unit="name: 市统计局（市调查队）党组\n        slug: tongji")
    )
    site.notice()
    assert messages(site.load(), "错误") == []


def test_a_notice_of_an_unlisted_unit_whose_slug_is_a_listed_units_is_an_error(site) -> None:
    site.write(ROUND, ROUND_YML.replace("      - 市档案馆党组", "      - 市水利局党组"))
    front = NOTICE_FRONT.replace("unit: 市统计局党组", "unit: 市水力局党组").replace("group: 市委第一巡察组\n", "")
    site.notice(text=notice_text(front=front + "group: 市委第一巡察组\n"))
    assert any(
        error.startswith(f"{NOTICE}:3: 错误: 单位“市水力局党组”与 {ROUND} 中的“市水利局党组”网址名都是")
        for error in messages(site.load(), "错误")
    )


@pytest.mark.parametrize("char", ["\u200b", "\u200d", "\ufeff", "\u00ad", "\u3164", "\u2060"])
def test_invisible_characters_in_names_are_refused(site, char) -> None:
    site.write(ROUND, ROUND_YML.replace("      - 市档案馆党组", f"      - 市档案{char}馆党组"))
    front = NOTICE_FRONT.replace("issuer: 中共测试市统计局党组", f"issuer: 中共测试市统计局{char}党组")
    site.notice(text=notice_text(front=front))
    errors = messages(site.load(), "错误")
    code = f"U+{ord(char):04X}"
    assert any(e.startswith(f"{ROUND}:15: 错误: 被巡察单位名称中有不可见字符 {code}") for e in errors), errors
    assert any(e.startswith(f"{NOTICE}:{front_line('issuer')}: 错误: “issuer”") and code in e for e in errors), errors


def test_names_in_another_unicode_form_are_the_same_name(site) -> None:
    decomposed = unicodedata.normalize("NFD", "市统计局党组（é）")
    site.write(ROUND, ROUND_YML.replace("- name: 市统计局党组", "- name: 市统计局党组（é）"))
    front = NOTICE_FRONT.replace("unit: 市统计局党组", f"unit: {decomposed}")
    site.notice(text=notice_text(front=front))
    project = site.load()
    assert messages(project) == []
    [notice] = project.corpus.notices
    assert notice.unit == "市统计局党组（é）" and notice.unit_slug == "tongji"


def test_names_that_differ_in_full_width_letters_are_the_same_unit(site) -> None:
    site.write(ROUND, ROUND_YML.replace("- name: 市统计局党组", "- name: 市ABC统计局党组"))
    front = NOTICE_FRONT.replace("unit: 市统计局党组", "unit: 市ＡＢＣ统计局党组")
    site.notice(text=notice_text(front=front))
    project = site.load()
    assert messages(project) == []
    assert project.corpus.notices[0].unit_slug == "tongji"


# --- corrections ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "error"),
    [
        ("2024-09-04", "更正日期 2024-09-04 早于通报的发布时间 2024-09-05"),
        ("2026-11-21", "更正日期 2026-11-21 晚于今天（构建日期 2026-11-20）"),
        ("2024-09-05", None),
        ("2026-11-20", None),
    ],
)
def test_corrections_dated_before_publication_or_after_the_build_are_refused(site, day, error) -> None:
    front = NOTICE_FRONT + f"corrections:\n  - date: {day}\n    text: 第二部分中“2022年”更正为“2023年”。\n"
    site.notice(text=notice_text(front=front))
    line = NOTICE_FRONT.count("\n") + 3
    assert messages(site.load(), "错误") == ([f"{NOTICE}:{line}: 错误: {error}"] if error else [])


def test_no_command_shows_a_traceback_for_any_of_these_values(site) -> None:
    site.notice(
        text=notice_text(front=NOTICE_FRONT.replace("published: 2024-09-05 10:00", "published: 2024-09-05T10:00+24:00"))
    )
    for command in (["check"], ["export"], ["build", "-d", str(site.root / "out")]):
        result = subprocess.run(
            [sys.executable, "-m", "xuncha_site", *command, "-f", str(site.root / "mkdocs.yml")],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            timeout=300,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr)
