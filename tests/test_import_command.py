"""``xuncha import``: what it prints, where it writes, when it refuses, and its exit status."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import (
    FIXTURES,
    make_site,
    missing_paragraphs,
    only_record,
    parse_record,
    read_record,
    run_import,
    source_paragraphs,
)

CATEGORIES = FIXTURES / "categories.txt"
YISHI = FIXTURES / "yishi.txt"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


def _notices(config: Path) -> list[Path]:
    return sorted((config.parent / "content" / "notices").rglob("*.md"))


def test_import_writes_the_record_under_notices_round_slug(site, capsys):
    run = run_import(site, CATEGORIES, capsys=capsys)
    assert run.code == 0
    assert _notices(site) == [site.parent / "content/notices/2023-r3/jiaotong.md"]
    assert "已写入 content" in run.err or "已写入 " in run.err


def test_import_prints_what_it_found_in_chinese(site, capsys):
    err = run_import(site, CATEGORIES, capsys=capsys).err
    assert "标题：中共青岚市交通运输局党组关于十一届市委第三轮巡察整改进展情况的通报" in err
    assert "被巡察单位：市交通运输局党组" in err
    assert "巡察轮次：2023-r3（十一届市委第三轮巡察）" in err
    assert "数字：问题 2，具体问题 5，意见建议 2，整改措施 18，已完成 4，基本完成 1" in err
    assert "问题：2 个一级节点，5 个末级问题（共 2 级）" in err
    assert "联系方式：电话 0123-6015678、0123-6015679" in err


def test_import_reports_the_phone_it_normalised(site, capsys):
    assert "电话“0123—6015678”已规范为“0123-6015678”" in run_import(site, CATEGORIES, capsys=capsys).err


def test_import_says_when_it_composed_the_title(site, capsys):
    err = run_import(site, YISHI, capsys=capsys).err
    assert (
        "未找到标题，已按发布单位、轮次和阶段自动生成：中共青岚市林业局党组关于十一届市委第五轮巡察整改进展情况的通报"
        in err
    )


def test_import_says_published_defaults_to_the_notice_date(site, capsys):
    run_import(site, CATEGORIES, capsys=capsys)
    record = only_record(site)
    assert str(record.meta["published"]) == "2023-10-20"
    assert "published: 2023-10-20  # 暂按落款日期填写，请改为实际发布时间" in record.text


def test_import_takes_published_from_the_web_date_when_present(site, capsys):
    err = run_import(site, YISHI, capsys=capsys).err
    assert str(only_record(site).meta["published"]) == "2024-08-16"
    assert "网站发布时间按原网页的发布时间填写为 2024-08-16" in err


def test_import_never_overwrites_an_existing_record_without_force(site, capsys):
    run_import(site, CATEGORIES, capsys=capsys)
    target = _notices(site)[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n编辑改过的文字。\n", encoding="utf-8")
    run = run_import(site, CATEGORIES, capsys=capsys)
    assert run.code == 1
    assert "未覆盖" in run.err and "--force" in run.err
    assert "编辑改过的文字。" in target.read_text(encoding="utf-8")


def test_import_with_force_overwrites_the_record(site, capsys):
    run_import(site, CATEGORIES, capsys=capsys)
    target = _notices(site)[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n编辑改过的文字。\n", encoding="utf-8")
    assert run_import(site, CATEGORIES, "--force", capsys=capsys).code == 0
    assert "编辑改过的文字。" not in target.read_text(encoding="utf-8")


def test_another_notice_of_the_same_unit_gets_its_own_slug(site, capsys, tmp_path):
    later = tmp_path / "later.txt"
    later.write_text(
        CATEGORIES.read_text(encoding="utf-8").replace("2023年10月20日", "2023年12月20日"), encoding="utf-8"
    )
    run_import(site, CATEGORIES, capsys=capsys)
    assert run_import(site, later, capsys=capsys).code == 0
    assert [p.name for p in _notices(site)] == ["jiaotong-2.md", "jiaotong.md"]


def test_dry_run_prints_the_record_and_writes_nothing(site, capsys):
    run = run_import(site, CATEGORIES, "--dry-run", capsys=capsys)
    assert run.code == 0
    assert _notices(site) == []
    assert parse_record(run.out).meta["unit"] == "市交通运输局党组"


def test_unreadable_file_gives_a_clear_error_and_writes_nothing(site, capsys, tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(bytes(range(256)) * 8)
    run = run_import(site, broken, capsys=capsys)
    assert run.code == 1
    assert "错误：" in run.err and "未写入任何文件" in run.err
    assert "Traceback" not in run.err
    assert _notices(site) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "文件不存在"),
        ("empty.txt", b"  \n", "文件是空的"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "不支持旧版 Word（.doc）"),
        ("notice.pdf", b"%PDF-1.4", "不支持的文件类型"),
        ("damaged.docx", b"PK\x03\x04 not really a zip", "无法打开 Word 文件"),
    ],
)
def test_files_that_cannot_be_imported_say_why(site, capsys, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    run = run_import(site, path, capsys=capsys)
    assert run.code == 1
    assert message in run.err


def test_several_files_continue_after_a_bad_one_and_exit_non_zero(site, capsys, tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"")
    run = run_import(site, broken, CATEGORIES, YISHI, capsys=capsys)
    assert run.code == 1
    assert [p.name for p in _notices(site)] == ["jiaotong.md", "linye.md"]


def test_unknown_round_is_reported_and_nothing_is_written(site, capsys, tmp_path):
    stray = tmp_path / "stray.txt"
    stray.write_text(
        CATEGORIES.read_text(encoding="utf-8")
        .replace("市交通运输局党组", "市气象局党组")
        .replace("十一届市委第三轮", "十二届市委第一轮"),
        encoding="utf-8",
    )
    run = run_import(site, stray, capsys=capsys)
    assert run.code == 1
    assert "未识别巡察轮次（原文提到“十二届市委第一轮巡察”），请用 --round 指定" in run.err
    assert _notices(site) == []


def test_round_option_places_a_notice_the_text_does_not_place(site, capsys, tmp_path):
    stray = tmp_path / "stray.txt"
    stray.write_text(
        CATEGORIES.read_text(encoding="utf-8")
        .replace("市交通运输局党组", "市气象局党组")
        .replace("十一届市委第三轮", ""),
        encoding="utf-8",
    )
    run = run_import(site, stray, "--round", "2023-r3", capsys=capsys)
    assert run.code == 0
    record = only_record(site)
    assert record.path.parent.name == "2023-r3" and record.meta["round"] == "2023-r3"
    assert "没有列出“市气象局党组”" in run.err


def test_invalid_round_option_is_a_usage_error(site, capsys):
    assert run_import(site, CATEGORIES, "--round", "第三轮", capsys=capsys).code == 2


def test_missing_config_is_a_usage_error(tmp_path, capsys):
    assert run_import(tmp_path / "mkdocs.yml", CATEGORIES, capsys=capsys).code == 2


def test_notice_without_signature_fails_check_only_on_what_the_editor_must_supply(site, capsys, tmp_path):
    bare = tmp_path / "bare.txt"
    lines = CATEGORIES.read_text(encoding="utf-8").splitlines()
    bare.write_text("\n".join(lines[1:-2]), encoding="utf-8")  # no title, no signature
    run = run_import(site, bare, capsys=capsys)
    assert run.code == 0
    record = only_record(site)
    assert "issuer:  # 原文没有落款：请填写发布单位" in record.text
    from xuncha_site.commands.site import load_site

    errors = [d.message for d in load_site(site).project.diagnostics.errors]
    assert errors == [
        "缺少必填字段“issuer”（发布单位（落款））",
        "缺少必填字段“notice_date”（落款日期）",
        "缺少必填字段“published”（网站发布时间）",
    ]
    assert "缺少必填字段“issuer”" in run.err  # the command shows what check says about the new record


def test_email_with_a_stray_space_is_repaired_and_reported(site, capsys, tmp_path):
    spaced = tmp_path / "spaced.txt"
    spaced.write_text(
        CATEGORIES.read_text(encoding="utf-8").replace("jtjzg@qinglan.example", "jtjzg@ qinglan.example"),
        encoding="utf-8",
    )
    run = run_import(site, spaced, capsys=capsys)
    assert "电子邮箱“jtjzg@ qinglan.example”中的空格已删除：jtjzg@qinglan.example" in run.err
    record = only_record(site)
    assert record.meta["contact"]["emails"] == ["jtjzg@qinglan.example"]
    assert "jtjzg@ qinglan.example" in record.meta["contact"]["text"]  # the paragraph stays verbatim


def test_written_record_reads_back_identically(site, capsys):
    run = run_import(site, CATEGORIES, "--dry-run", capsys=capsys)
    run_import(site, CATEGORIES, capsys=capsys)
    assert read_record(_notices(site)[0]).text == run.out


def test_each_imported_count_keeps_its_sentence_in_the_record_and_the_report(site, capsys, tmp_path):
    """Counts only from feedback/result sentences; each with its sentence; a contradicting rate is not written."""
    text = CATEGORIES.read_text(encoding="utf-8").replace(
        "截至10月20日，巡察反馈的2个问题5个具体问题，已完成整改4个，基本完成整改1个；",
        "围绕年度目标，制定13条措施，“十三五”16项未完成定量指标纳入规划。"
        "截至10月20日，巡察反馈的2个问题5个具体问题，已完成整改4个，基本完成整改1个，整改完成率100%；",
    )
    assert "制定13条措施" in text
    source = tmp_path / "numbers.txt"
    source.write_text(text, encoding="utf-8")
    run = run_import(site, source, capsys=capsys)
    assert run.code == 0, run.err
    record = only_record(site)
    counts = record.meta["counts"]
    assert counts["problems"] == 2 and counts["completed"] == 4
    assert "completion_rate" not in counts and counts.get("not_completed") is None and counts["measures"] == 18
    sentence = "截至10月20日，巡察反馈的2个问题5个具体问题，已完成整改4个，基本完成整改1个，整改完成率100%；"
    assert f"  problems: 2  # 原文：“{sentence}”" in record.text
    assert f"已完成 4，基本完成 1：出自“{sentence}”" in run.err
    assert "未写入：完成率 100%" in run.err and "80.0% 不符" in run.err
def test_archive_bench_accounts_for_every_line_of_every_fixture(site, capsys):
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "import_archive", Path(__file__).parents[1] / "bench" / "import_archive.py"
    )
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    capsys.readouterr()
    assert bench.main([str(FIXTURES), "-f", str(site)]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:-1]}
    assert rows["round-summary.txt"][1].startswith("整轮巡察")
    assert rows["web-copy.txt"][1:6] == ["31/42", "11", "0", "0", "16/16"]
    assert all(row[3] == "0" for row in rows.values() if "/" in row[1])  # nothing lost anywhere
    assert "丢失 0" in out.splitlines()[-1]


def test_lines_with_markdown_and_html_characters_are_not_reported_lost(site, capsys, tmp_path):
    odd = tmp_path / "odd.txt"
    lines = CATEGORIES.read_text(encoding="utf-8").splitlines()
    lines[2:2] = ["0\\:", "a&amp;b <b>粗</b> *星* _线_ [方括号](不是链接)", "# 不是标题", "1. 不是列表"]
    odd.write_text("\n".join(lines), encoding="utf-8")
    run = run_import(site, odd, "--dry-run", capsys=capsys)
    assert "内部错误" not in run.err
    assert missing_paragraphs(source_paragraphs(odd), parse_record(run.out), run.err) == []
