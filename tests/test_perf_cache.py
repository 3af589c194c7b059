"""``xuncha serve`` reuses the notices it has read: only changed records are read again, with the same result."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from xuncha_site.commands.site import load_site
from xuncha_site.core.loader import NoticeCache

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "content/notices/2025-r1/shuiwu.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for name in ("content", "pages"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "theme").symlink_to(ROOT / "theme")  # MkDocs, which reads mkdocs.yml, wants its custom_dir
    return tmp_path


def by_path(project) -> dict:
    return {notice.path: notice for notice in project.corpus.notices}


def touch(path: Path, text: str) -> None:
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_unchanged_notices_are_not_read_again(site: Path) -> None:
    cache = NoticeCache()
    first = by_path(load_site(site / "mkdocs.yml", cache=cache).project)
    second = by_path(load_site(site / "mkdocs.yml", cache=cache).project)
    with_files = {path for path, notice in first.items() if any("://" not in a.href for a in notice.attachments)}
    assert with_files == {NOTICE}  # a local attachment may appear later: such notices are always read again
    assert all(second[path] is first[path] for path in first if path not in with_files)


def test_a_changed_notice_is_read_again(site: Path) -> None:
    cache = NoticeCache()
    first = by_path(load_site(site / "mkdocs.yml", cache=cache).project)
    record = site / NOTICE
    touch(record, record.read_text(encoding="utf-8").replace("stage: 进展", "stage: 完成"))
    second = by_path(load_site(site / "mkdocs.yml", cache=cache).project)
    assert second[NOTICE].stage == "完成"
    assert second["content/notices/2025-r1/minzheng.md"] is first["content/notices/2025-r1/minzheng.md"]


def test_a_changed_round_file_reads_its_notices_again(site: Path) -> None:
    cache = NoticeCache()
    first = by_path(load_site(site / "mkdocs.yml", cache=cache).project)
    round_file = site / "content/rounds/2025-r1.yml"
    touch(
        round_file, round_file.read_text(encoding="utf-8").replace("十二届市委第六轮巡察", "十二届市委第六轮巡察（改）")
    )
    second = by_path(load_site(site / "mkdocs.yml", cache=cache).project)
    assert "第六轮巡察（改）" in second["content/notices/2025-r1/minzheng.md"].title
    # The other rounds' notices are not read again (a notice reads only its own round).
    others = [path for path in first if not path.startswith("content/notices/2025-r1/")]
    assert others and all(second[path] is first[path] for path in others)


def test_a_round_file_saved_unchanged_reads_no_notice_again(site: Path) -> None:
    cache = NoticeCache()
    first = by_path(load_site(site / "mkdocs.yml", cache=cache).project)
    round_file = site / "content/rounds/2025-r1.yml"
    touch(round_file, round_file.read_text(encoding="utf-8"))
    second = by_path(load_site(site / "mkdocs.yml", cache=cache).project)
    assert second["content/notices/2025-r1/minzheng.md"] is first["content/notices/2025-r1/minzheng.md"]


def test_diagnostics_of_a_cached_site_are_those_of_a_fresh_load(site: Path) -> None:
    record = site / NOTICE
    record.write_text(record.read_text(encoding="utf-8").replace("stage: 进展", "stage: 中期"), encoding="utf-8")
    cache = NoticeCache()
    load_site(site / "mkdocs.yml", cache=cache)
    again = load_site(site / "mkdocs.yml", cache=cache).project
    assert again.diagnostics.sorted() == load_site(site / "mkdocs.yml").project.diagnostics.sorted()
    assert any(diag.path == NOTICE for diag in again.diagnostics.errors)
