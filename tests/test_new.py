"""`xuncha new`: scaffolds are drafts with Chinese placeholders that pass `xuncha check` as they are."""

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


def test_new_notice_is_a_draft_that_passes_check(site: RecordSite) -> None:
    result = xuncha(site, "new", "notice", "--round", "2024-r1", "--unit", "市统计局党组")
    assert result.returncode == 0, result.stderr
    assert "已新建通报草稿：content/notices/2024-r1/tongji.md" in result.stderr
    project = site.load()
    assert project.diagnostics.sorted() == []
    (notice,) = project.corpus.notices
    assert notice.draft and notice.unit == "市统计局党组" and notice.group == "市委第一巡察组"
    assert notice.issuer == "中共市统计局党组"
    assert project.public_notices() == ()
    assert "请填写" in (site.root / "content/notices/2024-r1/tongji.md").read_text(encoding="utf-8")


def test_new_notice_never_overwrites_without_force(site: RecordSite) -> None:
    path = site.notice("tongji")
    before = path.read_bytes()
    result = xuncha(site, "new", "notice", "--round", "2024-r1", "--unit", "市统计局党组", "--stage", "完成")
    assert result.returncode == 0
    assert path.read_bytes() == before
    assert (site.root / "content/notices/2024-r1/tongji-2.md").is_file()
    assert site.load().diagnostics.errors == []


def test_new_round_passes_check_and_refuses_to_overwrite(site: RecordSite) -> None:
    result = xuncha(site, "new", "round", "2025-r1", "--name", "十一届市委第二轮巡察")
    assert result.returncode == 0, result.stderr
    project = site.load()
    assert project.diagnostics.sorted() == []
    assert project.corpus.rounds["2025-r1"].name == "十一届市委第二轮巡察"
    again = xuncha(site, "new", "round", "2025-r1")
    assert again.returncode == 1 and "已存在" in again.stderr


def test_new_notice_for_an_unknown_round_names_the_known_ones(site: RecordSite) -> None:
    result = xuncha(site, "new", "notice", "--round", "2099-r9", "--unit", "某局")
    assert result.returncode == 1
    assert "未知的巡察轮次“2099-r9”" in result.stderr and "2024-r1" in result.stderr
    assert not (site.root / "content/notices/2099-r9").exists()


def test_new_round_rejects_a_non_ascii_id(site: RecordSite) -> None:
    result = xuncha(site, "new", "round", "第二轮")
    assert result.returncode == 2 and "只能用小写字母" in result.stderr
