"""Progress of long work: plain lines when not attached to a terminal, a bar when attached; nothing for small jobs."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from xuncha_site.commands.cli import main
from xuncha_site.core.progress import MANY_FILES, Progress

ROOT = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_output_is_one_line_per_tenth_and_a_final_line() -> None:
    out = io.StringIO()
    with Progress("生成页面", 1000, stream=out) as progress:
        for _ in range(1000):
            progress.advance()
    lines = out.getvalue().splitlines()
    assert lines[:9] == [f"生成页面：{n * 100}/1000（{n * 10}%）" for n in range(1, 10)]
    assert lines[9].startswith("生成页面：1000/1000，用时 ")
    assert len(lines) == 10


def test_plain_output_of_a_task_smaller_than_ten_steps_counts_each_step() -> None:
    out = io.StringIO()
    with Progress("导入", 3, stream=out) as progress:
        for _ in range(3):
            progress.advance()
    assert out.getvalue().splitlines()[:2] == ["导入：1/3（33%）", "导入：2/3（66%）"]


def test_small_jobs_show_nothing() -> None:
    out = io.StringIO()
    with Progress("生成页面", 20, stream=out, minimum=500) as progress:
        progress.advance(20)
    assert out.getvalue() == ""


def test_a_terminal_gets_a_bar_not_plain_lines() -> None:
    out = Terminal()
    with Progress("搜索索引", 100, stream=out) as progress:
        progress.advance(100)
    text = out.getvalue()
    assert "搜索索引" in text
    assert "100/100" in text
    assert "（" not in text  # no plain "（n%）" line


def test_advancing_from_two_threads_counts_every_step() -> None:
    import threading

    out = io.StringIO()
    progress = Progress("搜索索引", 2000, stream=out)
    threads = [threading.Thread(target=lambda: [progress.advance() for _ in range(1000)]) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    progress.close()
    assert progress.done == 2000
    assert out.getvalue().splitlines()[-1].startswith("搜索索引：2000/2000")


def test_importing_many_files_prints_plain_progress(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site_opendata", site)
    files = []
    for number in range(MANY_FILES):
        source = tmp_path / f"notice-{number}.txt"
        source.write_text("不是通报\n", encoding="utf-8")
        files.append(str(source))
    main(["import", "-f", str(site / "mkdocs.yml"), "--dry-run", *files])
    err = capsys.readouterr().err
    assert f"导入：1/{MANY_FILES}（20%）" in err
    assert f"导入：{MANY_FILES}/{MANY_FILES}，用时 " in err
