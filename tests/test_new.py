"""`xuncha new`: scaffolds with Chinese placeholders that cannot go live until an editor fills them in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from recordkit import RecordSite


def xuncha(site: RecordSite, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuncha_site", *args], cwd=site.root, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def site(tmp_path: Path) -> RecordSite:
    return RecordSite(tmp_path)


def test_new_notice_is_a_draft_whose_placeholders_are_warned_about(site: RecordSite) -> None:
    result = xuncha(site, "new", "notice", "--round", "2024-r1", "--unit", "市统计局党组")
    assert result.returncode == 0, result.stderr
    assert "已新建通报草稿：content/notices/2024-r1/tongji.md" in result.stderr
    project = site.load()
    assert project.diagnostics.errors == []  # a draft is never published: its placeholders are warnings
    warnings = [d.message for d in project.diagnostics.sorted()]
    assert any(m.startswith("正文仍是新建时的占位文字“（请替换为通报开头语原文）”") for m in warnings), warnings
    (notice,) = project.corpus.notices
    assert notice.draft and notice.unit == "市统计局党组" and notice.group == "市委第一巡察组"
    assert notice.issuer == "中共市统计局党组"
    assert project.public_notices() == ()
    assert "请填写" in (site.root / "content/notices/2024-r1/tongji.md").read_text(encoding="utf-8")


def test_an_untouched_notice_scaffold_cannot_go_live(site: RecordSite) -> None:
    xuncha(site, "new", "notice", "--round", "2024-r1", "--unit", "市统计局党组")
    path = site.root / "content/notices/2024-r1/tongji.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    errors = site.load().diagnostics.errors
    assert any("正文仍是新建时的占位文字" in d.message and "再发布" in d.message for d in errors), errors
    check = xuncha(site, "check")
    assert check.returncode == 1 and "占位文字" in check.stderr


def test_new_notice_never_overwrites_without_force(site: RecordSite) -> None:
    path = site.notice("tongji")
    before = path.read_bytes()
    result = xuncha(site, "new", "notice", "--round", "2024-r1", "--unit", "市统计局党组", "--stage", "完成")
    assert result.returncode == 0
    assert path.read_bytes() == before
    assert (site.root / "content/notices/2024-r1/tongji-2.md").is_file()
    assert site.load().diagnostics.errors == []


def test_new_round_takes_year_and_committee_from_its_arguments_and_refuses_to_overwrite(site: RecordSite) -> None:
    result = xuncha(
        site, "new", "round", "2025-r1", "--name", "十一届市委第二轮巡察", "--year", "2025", "--committee", "中共测试市委"
    )
    assert result.returncode == 0, result.stderr
    round_ = site.load().corpus.rounds["2025-r1"]
    assert (round_.name, round_.year, round_.committee) == ("十一届市委第二轮巡察", 2025, "中共测试市委")
    again = xuncha(site, "new", "round", "2025-r1", "--year", "2025", "--committee", "中共测试市委")
    assert again.returncode == 1 and "已存在" in again.stderr


def test_new_round_without_year_or_committee_is_refused(site: RecordSite) -> None:
    result = xuncha(site, "new", "round", "2025-r1", "--name", "十一届市委第二轮巡察")
    assert result.returncode == 2 and "--year" in result.stderr
    assert not (site.root / "content/rounds/2025-r1.yml").exists()


def test_an_untouched_round_scaffold_fails_check_naming_the_field(site: RecordSite) -> None:
    xuncha(site, "new", "round", "2025-r1", "--year", "2025", "--committee", "中共测试市委")
    errors = [d.message for d in site.load().diagnostics.errors]
    assert any(m.startswith("轮次名称 name 仍是新建时的占位文字") for m in errors), errors
    assert any("第1个被巡察单位 groups → units → name 仍是新建时的占位文字“（请填写被巡察单位" in m for m in errors)
    check = xuncha(site, "check")
    assert check.returncode == 1
    build = xuncha(site, "build")
    assert build.returncode != 0 and not (site.root / "site" / "units").exists()


def test_new_notice_for_an_unknown_round_names_the_known_ones(site: RecordSite) -> None:
    result = xuncha(site, "new", "notice", "--round", "2099-r9", "--unit", "某局")
    assert result.returncode == 1
    assert "未知的巡察轮次“2099-r9”" in result.stderr and "2024-r1" in result.stderr
    assert not (site.root / "content/notices/2099-r9").exists()


def test_new_round_rejects_a_non_ascii_id(site: RecordSite) -> None:
    result = xuncha(site, "new", "round", "第二轮", "--year", "2025", "--committee", "中共测试市委")
    assert result.returncode == 2 and "只能用小写字母" in result.stderr
