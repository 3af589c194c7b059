"""`xuncha check` rules (DESIGN §3): every problem reported at once, as path:line in Chinese, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from recordkit import NOTICE_BODY, NOTICE_FRONT, RecordSite, find, notice_text

from xuncha_site.core.diagnostics import Level

NOTICE = "content/notices/2024-r1/tongji.md"


@pytest.fixture
def site(tmp_path: Path) -> RecordSite:
    return RecordSite(tmp_path)


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle``: tests state positions by content, not by number."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_clean_site_has_no_diagnostics(site: RecordSite) -> None:
    site.notice()
    project = site.load()
    assert project.diagnostics.sorted() == []
    assert [n.id for n in project.corpus.notices] == ["2024-r1/tongji"]


def test_yaml_syntax_error_names_file_and_line(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT.replace("stage: 进展", "stage: [进展")))
    diag = find(site.load(), "YAML 语法错误")
    assert diag.path == NOTICE
    assert diag.level is Level.ERROR
    assert diag.line >= line_of(path, "stage: [进展")


def test_tab_indentation_is_explained_in_chinese(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT.replace("  problems: 2", "\tproblems: 2")))
    assert "Tab" in find(site.load(), "YAML 语法错误").message


def test_missing_front_matter_is_an_error_on_line_1(site: RecordSite) -> None:
    site.notice(text=NOTICE_BODY)
    diag = find(site.load(), "缺少前置元数据")
    assert (diag.path, diag.line) == (NOTICE, 1)


def test_unterminated_front_matter_is_reported(site: RecordSite) -> None:
    site.notice(text="---\n" + NOTICE_FRONT + "\n正文")
    assert find(site.load(), "前置元数据没有结束").line == 1


def test_unknown_field_suggests_the_closest_name(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT.replace("issuer:", "isuer:")))
    project = site.load()
    diag = find(project, "未知字段“isuer”")
    assert "issuer" in diag.message
    assert diag.line == line_of(path, "isuer:")
    assert find(project, "缺少必填字段“issuer”").level is Level.ERROR


def test_wrong_type_names_the_field_and_line(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT.replace("problems: 2", "problems: 很多")))
    diag = find(site.load(), "应为整数")
    assert "problems" in diag.message and "很多" in diag.message
    assert diag.line == line_of(path, "problems: 很多")


def test_list_where_a_value_belongs_is_an_error(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT.replace("unit: 市统计局党组", "unit: [市统计局党组]")))
    diag = find(site.load(), "应为单个值")
    assert diag.line == line_of(path, "unit: [")


def test_bad_date_is_reported_with_the_expected_form(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT.replace("notice_date: 2024-09-01", "notice_date: 2024-02-30")))
    diag = find(site.load(), "不是有效日期")
    assert "2024-02-30" in diag.message
    assert diag.line == line_of(path, "notice_date:")


def test_impossible_date_order_points_at_the_later_date(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT.replace("notice_date: 2024-09-01", "notice_date: 2024-06-01")))
    diag = find(site.load(), "日期顺序不对")
    assert "落款日期" in diag.message and "反馈日期" in diag.message
    assert diag.line == line_of(path, "notice_date:")


def test_publication_before_notice_date_is_an_error(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT.replace("published: 2024-09-05 10:00", "published: 2024-08-20")))
    assert "发布时间" in find(site.load(), "日期顺序不对").message


def test_feedback_on_last_inspection_day_is_an_error(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT + "inspection_end: 2024-06-10\n"))
    assert "应晚于" in find(site.load(), "日期顺序不对").message


def test_unknown_round_suggests_an_existing_one(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT.replace("round: 2024-r1", "round: 2024-r2")))
    diag = find(site.load(), "未知的巡察轮次")
    assert "2024-r1" in diag.message
    assert diag.line == line_of(path, "round:")


def test_unit_missing_from_round_is_a_warning_naming_the_closest(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT.replace("unit: 市统计局党组", "unit: 市统计局机关党组")))
    project = site.load()
    diag = find(project, "没有列出被巡察单位")
    assert diag.level is Level.WARNING
    assert "市统计局党组" in diag.message
    assert not project.diagnostics.errors


def test_unit_name_with_zhonggong_prefix_matches_the_round(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT.replace("unit: 市统计局党组", "unit: 中共市统计局党组")))
    assert site.load().diagnostics.sorted() == []


def test_duplicate_notice_is_an_error(site: RecordSite) -> None:
    site.notice("tongji")
    site.notice("tongji-2")
    diag = find(site.load(), "重复的通报")
    both = {"content/notices/2024-r1/tongji.md", "content/notices/2024-r1/tongji-2.md"}
    assert diag.path in both
    assert (both - {diag.path}).pop() in diag.message


def test_duplicate_yaml_key_is_an_error(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT + "stage: 完成\n"))
    diag = find(site.load(), "字段“stage”重复")
    assert diag.line == line_of(path, "stage: 完成")


def test_malformed_phone_email_and_postcode_are_errors(site: RecordSite) -> None:
    front = (
        NOTICE_FRONT.replace('["0123-6000001"]', '["0123-600"]')
        .replace("[tjj@test.example]", "[tjj@test]")
        .replace('postcode: "100001"', 'postcode: "1000"')
    )
    path = site.notice(text=notice_text(front))
    project = site.load()
    assert find(project, "电话号码“0123-600”格式不对").line == line_of(path, "phones:")
    assert find(project, "电子邮箱“tjj@test”格式不对").line == line_of(path, "emails:")
    assert find(project, "邮政编码“1000”").line == line_of(path, "postcode:")


def test_email_with_a_space_is_an_error(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT.replace("[tjj@test.example]", '["tjj@ test.example"]')))
    assert find(site.load(), "中有空格").level is Level.ERROR


def test_phone_with_em_dash_is_normalised_with_a_warning(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT.replace('"0123-6000001"', '"0123—6000001"')))
    project = site.load()
    assert find(project, "已按“0123-6000001”处理").level is Level.WARNING
    assert project.corpus.notices[0].contact.phones == ("0123-6000001",)


def test_stated_counts_contradicting_statuses_are_an_error(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT.replace("completed: 2", "completed: 3")))
    diag = find(site.load(), "通报写明已完成 3 个")
    # A warning, not an error: the notice's own words are published as they are; the message quotes both figures
    # and the rule that counted the second one.
    assert diag.level is Level.WARNING
    assert "末级问题 2 个" in diag.message and "docs/记录格式.md" in diag.message
    assert diag.line == line_of(path, "counts:")


def test_status_totals_above_problem_count_are_an_error(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT.replace("in_progress: 1", "in_progress: 5")))
    assert find(site.load(), "超过了写明的具体问题总数 3 个").level is Level.ERROR


def test_completion_rate_must_agree_with_completed(site: RecordSite) -> None:
    text = notice_text(NOTICE_FRONT.replace("  in_progress: 1\n", "  in_progress: 1\n  completion_rate: 90\n"))
    site.notice(text=text)
    assert "66.7%" in find(site.load(), "完成率 90%").message


def test_stated_rate_that_contradicts_stated_counts_is_a_warning_quoting_both_and_the_rule(site: RecordSite) -> None:
    front = NOTICE_FRONT.replace(
        "counts:\n  problems: 2\n  specific_problems: 3\n  completed: 2\n  in_progress: 1\n",
        "counts:\n  problems: 25\n  completed: 19\n  completion_rate: 80\n",
    )
    site.notice(text=notice_text(front))
    diag = find(site.load(), "写明的完成率 80%")
    assert diag.level is Level.WARNING
    assert "19 个 ÷ 问题 25 个 = 76.0%" in diag.message and "完成率 = 已完成 ÷ 具体问题数" in diag.message


def test_stated_total_is_compared_with_the_leaves_only(site: RecordSite) -> None:
    """11 stated problems, 3 categories, 8 leaves: the check compares 11 with 8 (the counting level), never with 3."""
    body = "## 一、整改情况\n\n" + "".join(
        f"### （{c}）类别{c}\n\n" + "".join(f"#### {i}.问题{c}{i}\n\n整改情况：……\n\n" for i in range(1, n + 1))
        for c, n in (("一", 3), ("二", 3), ("三", 2))
    )
    front = NOTICE_FRONT.replace(
        "counts:\n  problems: 2\n  specific_problems: 3\n  completed: 2\n  in_progress: 1\n", "counts:\n  problems: 11\n"
    )
    site.notice(text=notice_text(front, body))
    project = site.load()
    diag = find(project, "通报写明问题 11 个")
    assert diag.level is Level.WARNING
    assert "末级问题 8 个" in diag.message and "只数问题部分的末级问题" in diag.message
    assert not [d for d in project.diagnostics.sorted() if " 3 个" in d.message]


def test_problems_part_without_problems_is_an_error(site: RecordSite) -> None:
    body = re.sub(r"\n#{3,5} .*", "\n", NOTICE_BODY)
    site.notice(
        text=notice_text(
            NOTICE_FRONT.replace(
                "counts:\n  problems: 2\n  specific_problems: 3\n  completed: 2\n  in_progress: 1\n", ""
            ),
            body,
        )
    )
    diag = find(site.load(), "正文没有整改问题")
    assert diag.level is Level.ERROR


def test_heading_levels_may_not_skip(site: RecordSite) -> None:
    path = site.notice(
        text=notice_text(NOTICE_FRONT, NOTICE_BODY.replace("#### 1.数据审核把关不严", "##### 1.数据审核把关不严"))
    )
    assert find(site.load(), "标题层级跳跃").line == line_of(path, "##### 1.数据审核把关不严")


def test_all_problems_are_reported_at_once(site: RecordSite) -> None:
    front = NOTICE_FRONT.replace("notice_date: 2024-09-01", "notice_date: 2024-13-01").replace(
        "stage: 进展", "stage: 中期"
    )
    site.notice(text=notice_text(front.replace("issuer:", "isuer:")))
    site.write("content/rounds/2024-r2.yml", "name: 第二轮\ngroups: 不是列表\n")
    project = site.load()
    assert len(project.diagnostics.errors) >= 5
    paths = {d.path for d in project.diagnostics.errors}
    assert paths == {NOTICE, "content/rounds/2024-r2.yml"}


def test_yaml_alias_bomb_is_refused_quickly(site: RecordSite) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 12):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        bomb.append(f"{name}: &{name} [{', '.join('*' + previous for _ in range(9))}]")
    site.notice(text="---\n" + "\n".join(bomb) + "\n---\n正文\n")
    started = time.monotonic()
    diag = find(site.load(), "不支持 YAML 别名")
    assert time.monotonic() - started < 5
    assert diag.line == 3


def test_python_tag_is_refused_and_never_executed(site: RecordSite, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = f"!!python/object/apply:os.system ['touch {marker}']"
    site.notice(text=notice_text(NOTICE_FRONT.replace("issuer: 中共测试市统计局党组", f"issuer: {payload}")))
    diag = find(site.load(), "不允许的 YAML 标签")
    assert "python/object/apply" in diag.message
    assert not marker.exists()


def test_non_utf8_record_is_reported(site: RecordSite) -> None:
    path = site.root / NOTICE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(notice_text().encode("gb18030"))
    assert find(site.load(), "不是 UTF-8 编码").path == NOTICE


def test_binary_junk_is_reported_not_raised(site: RecordSite) -> None:
    path = site.root / NOTICE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"---\n\x00\x01\x02\xff\xfe---\n")
    assert site.load().diagnostics.errors


def test_round_file_errors_name_their_lines(site: RecordSite) -> None:
    path = site.write(
        "content/rounds/2024-r1.yml",
        "name: 十一届市委第一轮巡察\ntype: 专项巡察\nfeedback_date: 2024-06-10\ngroups:\n"
        "  - name: 市委第一巡察组\n    units: [市统计局党组, 市统计局党组]\n",
    )
    project = site.load()
    assert find(project, "“type”的值“专项巡察”无效").line == line_of(path, "type:")
    assert "重复" in find(project, "在本轮重复").message


def test_bad_round_file_name_is_reported(site: RecordSite) -> None:
    site.write("content/rounds/第二轮.yml", "name: 第二轮\ngroups: []\n")
    assert find(site.load(), "轮次文件名").path == "content/rounds/第二轮.yml"


def test_notice_round_must_match_its_folder(site: RecordSite) -> None:
    site.write(
        "content/rounds/2024-r2.yml", "name: 第二轮\ngroups:\n  - name: 市委第一巡察组\n    units: [市统计局党组]\n"
    )
    site.notice(round_id="2024-r2")
    assert "notices/2024-r2/" in find(site.load(), "目录下").message


def test_settings_errors_point_into_mkdocs_yml(site: RecordSite) -> None:
    text = (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace("deadline_days: 60", "deadline_days: 六十")
    site.write("mkdocs.yml", text)
    site.notice()
    diag = find(site.load(), "deadline_days")
    assert diag.path == "mkdocs.yml"
    assert diag.line == line_of(site.root / "mkdocs.yml", "deadline_days")


def test_draft_and_embargoed_notices_are_not_public(site: RecordSite) -> None:
    site.notice("tongji")
    draft = NOTICE_FRONT.replace("unit: 市统计局党组", "unit: 市档案馆党组") + "draft: true\n"
    site.notice("danganguan", notice_text(draft))
    future = NOTICE_FRONT.replace("unit: 市统计局党组", "unit: 市水务局党组").replace(
        "市委第一巡察组", "市委第二巡察组"
    )
    site.notice("shuiwu", notice_text(future.replace("published: 2024-09-05 10:00", "published: 2026-11-20 08:01")))
    project = site.load()
    assert not project.diagnostics.errors
    assert [n.id for n in project.public_notices()] == ["2024-r1/tongji"]


def test_embargo_follows_source_date_epoch(site: RecordSite, monkeypatch: pytest.MonkeyPatch) -> None:
    future = NOTICE_FRONT.replace("published: 2024-09-05 10:00", "published: 2026-11-20 08:01")
    site.notice(text=notice_text(future))
    assert site.load().public_notices() == ()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795132860")  # 2026-11-20 00:01 UTC = 08:01 in Beijing
    assert [n.id for n in site.load().public_notices()] == ["2024-r1/tongji"]


def run_cli(site: RecordSite, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuncha_site", *args], cwd=site.root, capture_output=True, text=True, timeout=120
    )


def test_check_command_prints_path_line_messages_and_exits_1(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT.replace("notice_date: 2024-09-01", "notice_date: 2024-06-01")))
    result = run_cli(site, "check")
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(NOTICE)}:\d+: 错误: 日期顺序不对", result.stderr, re.M)
    assert "Traceback" not in result.stderr


def test_check_command_passes_a_clean_site(site: RecordSite) -> None:
    site.notice()
    result = run_cli(site, "check")
    assert result.returncode == 0, result.stderr
    assert "检查通过" in result.stderr


def test_check_command_strict_fails_on_warnings(site: RecordSite) -> None:
    site.notice(text=notice_text(NOTICE_FRONT.replace("unit: 市统计局党组", "unit: 市统计局机关党组")))
    assert run_cli(site, "check").returncode == 0
    assert run_cli(site, "check", "--strict").returncode == 1


def test_check_without_mkdocs_yml_exits_2_in_chinese(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xuncha_site", "check"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "找不到配置文件" in result.stderr


def test_config_file_option_points_elsewhere(site: RecordSite, tmp_path: Path) -> None:
    site.notice()
    result = subprocess.run(
        [sys.executable, "-m", "xuncha_site", "check", "-f", str(site.root / "mkdocs.yml")],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_stage_completed_with_problems_still_in_progress_is_warned_about(site: RecordSite) -> None:
    path = site.notice(text=notice_text(NOTICE_FRONT.replace("stage: 进展", "stage: 完成")))
    diag = find(site.load(), "整改阶段写的是“完成”")
    assert diag.level is Level.WARNING and "1 项标为正在整改或未完成" in diag.message
    assert diag.line == line_of(path, "stage:")


def test_category_heading_statuses_count_in_the_checks(site: RecordSite) -> None:
    """（二）正在推进整改的问题: its items are in progress, so stated counts that say otherwise are warned about."""
    body = (
        "## 一、整改情况\n\n### （一）已整改完成的问题\n\n#### 1.甲\n\n整改情况：……\n\n#### 2.乙\n\n整改情况：……\n\n"
        "### （二）正在推进整改的问题\n\n#### 1.丙\n\n整改情况：……\n"
    )
    site.notice(text=notice_text(NOTICE_FRONT.replace("  completed: 2\n  in_progress: 1\n", "  completed: 3\n"), body))
    diag = find(site.load(), "通报写明已完成 3 个")
    assert "末级问题 2 个" in diag.message
