"""`xuncha build` never leaves a half-built site: whatever stops a build — a content error, an exception in MkDocs, a
template or a plugin, Ctrl-C, a kill — the previous site stays byte for byte; the swap itself is one step where the OS
allows it and is undone where it fails; what a killed build leaves behind is cleared by the next build.

(tests/test_site_build.py has the basic cases on a hand-made old site; here the previous site is a real build and
the whole tree — files, folders, bytes — is hashed.)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from site_fixtures import SITE_FIXTURES

import xuncha_site.commands.build as builder
import xuncha_site.views.notice as pages
from xuncha_site.commands.cli import main

SMALL = SITE_FIXTURES / "site_small" / "mkdocs.yml"
INVALID = SITE_FIXTURES / "site_invalid" / "mkdocs.yml"
RUNNER = SITE_FIXTURES / "build_runner.py"
THEME = Path(__file__).resolve().parent.parent / "theme"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def tree_digest(folder: Path) -> str:
    """One hash of a whole tree: every path, whether it is a folder or a file, and every file's bytes."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        data = b"" if path.is_dir() else path.read_bytes()
        kind = "d" if path.is_dir() else "f"
        digest.update(f"{kind} {path.relative_to(folder).as_posix()} {len(data)}\n".encode() + data)
    return digest.hexdigest()


@pytest.fixture
def previous(small_site: Path, tmp_path: Path) -> Path:
    """A real built site at tmp/out/public, alone in its folder."""
    site = tmp_path / "out" / "public"
    shutil.copytree(small_site, site)
    return site


def beside(site: Path) -> list[str]:
    return sorted(path.name for path in site.parent.iterdir())


def copied_site(tmp_path: Path) -> Path:
    """A copy of site_small with its own copy of the theme, to be broken by a test; returns its mkdocs.yml."""
    root = tmp_path / "src"
    shutil.copytree(SMALL.parent, root)
    shutil.copytree(THEME, root / "theme")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../theme", "theme"), encoding="utf-8")
    return config


def run_faulty(mode: str, tmp_path: Path, site: Path) -> subprocess.Popen[str]:
    marker = tmp_path / "paused"
    return subprocess.Popen(
        [sys.executable, str(RUNNER), mode, str(marker), "build", "-f", str(SMALL), "-d", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def paused_build(tmp_path: Path, site: Path) -> subprocess.Popen[str]:
    """A build stopped in its middle: some pages written into the staging folder, others not yet."""
    process = run_faulty("pause", tmp_path, site)
    deadline = time.monotonic() + 120
    while not (tmp_path / "paused").exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    staging = site.parent / f".{site.name}.building-{process.pid}"
    assert (staging / "notices" / "2026-t1" / "jiaju" / "index.html").is_file()  # really in the middle:
    assert not (staging / "feedback" / "index.html").exists()  # a page still to come
    return process


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --- every way a build fails ------------------------------------------------------------------------------------------


def test_build_failing_validation_leaves_the_previous_site_byte_identical(previous, capsys):
    before = tree_digest(previous)
    assert main(["build", "-f", str(INVALID), "-d", str(previous)]) == 1
    assert "站点未构建" in capsys.readouterr().err
    assert tree_digest(previous) == before
    assert beside(previous) == ["public"]


def test_build_failing_inside_mkdocs_leaves_the_previous_site_byte_identical(previous, tmp_path, capsys):
    config = copied_site(tmp_path)
    (config.parent / "pages" / "about.md").write_text("# 关于本站\n\n[失效链接](missing.md)\n", encoding="utf-8")
    before = tree_digest(previous)
    assert main(["build", "-f", str(config), "-d", str(previous), "--strict"]) == 1
    assert "构建失败" in capsys.readouterr().err
    assert tree_digest(previous) == before
    assert beside(previous) == ["public"]


def test_build_failing_in_a_template_leaves_the_previous_site_byte_identical(previous, tmp_path, capsys):
    config = copied_site(tmp_path)
    with (config.parent / "theme" / "notice.html").open("a", encoding="utf-8") as template:
        template.write("{% if %}")
    before = tree_digest(previous)
    assert main(["build", "-f", str(config), "-d", str(previous)]) == 1
    err = capsys.readouterr().err
    assert "构建失败" in err and f"原有站点 {previous} 未改动" in err
    assert tree_digest(previous) == before
    assert beside(previous) == ["public"]


def test_build_failing_in_a_plugin_leaves_the_previous_site_byte_identical(previous, tmp_path):
    before = tree_digest(previous)
    process = run_faulty("raise", tmp_path, previous)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 1
    assert "构建失败：内部错误（RuntimeError：注入的错误）" in err and "Traceback" not in err
    assert tree_digest(previous) == before
    assert beside(previous) == ["public"]


def test_ctrl_c_in_the_middle_of_a_build_leaves_the_previous_site_byte_identical(previous, tmp_path):
    before = tree_digest(previous)
    process = paused_build(tmp_path, previous)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "已中断" in err and "Traceback" not in err
    assert tree_digest(previous) == before
    assert beside(previous) == ["public"]  # the staging folder was removed on the way out


def test_kill_in_the_middle_of_a_build_leaves_the_previous_site_byte_identical(previous, tmp_path):
    before = tree_digest(previous)
    process = paused_build(tmp_path, previous)
    process.kill()
    process.wait(timeout=60)
    assert tree_digest(previous) == before
    assert beside(previous) == sorted(["public", f".public.building-{process.pid}"])


def test_next_build_clears_what_a_killed_build_left(previous, tmp_path, capsys):
    process = paused_build(tmp_path, previous)
    process.kill()
    process.wait(timeout=60)
    assert main(["build", "-f", str(SMALL), "-d", str(previous)]) == 0
    assert f"已清除上次中断的构建留下的临时目录 .public.building-{process.pid}" in capsys.readouterr().err
    assert beside(previous) == ["public"]


def test_next_build_leaves_the_staging_folder_of_a_build_still_running(previous, capsys):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = previous.parent / f".public.building-{sleeper.pid}"
        gone = previous.parent / f".public.building-{dead_pid()}"
        for folder in (running, gone):
            (folder / "notices").mkdir(parents=True)
        assert main(["build", "-f", str(SMALL), "-d", str(previous)]) == 0
        assert running.is_dir() and not gone.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


# --- the swap -------------------------------------------------------------------------------------------------------


def fail_replace(monkeypatch: pytest.MonkeyPatch, should_fail) -> list[tuple[str, str]]:
    """Make os.replace raise for the renames ``should_fail(source, target)`` picks; returns every rename tried."""
    real = os.replace
    calls: list[tuple[str, str]] = []

    def replace(source, target, *args, **kwargs):
        calls.append((Path(source).name, Path(target).name))
        if should_fail(Path(source).name, Path(target).name):
            raise PermissionError(13, "拒绝访问（测试注入）", str(target))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(builder.os, "replace", replace)
    return calls


def test_the_swap_is_one_step_on_linux(previous, monkeypatch, capsys):
    # With renameat2(RENAME_EXCHANGE) there is no moment without a site: no rename of the old site aside.
    calls = fail_replace(monkeypatch, lambda source, target: True)
    assert main(["build", "-f", str(SMALL), "-d", str(previous)]) == 0
    assert calls == []
    assert beside(previous) == ["public"]


def test_the_two_rename_swap_replaces_the_site_where_one_step_is_impossible(previous, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(builder, "_exchange", lambda first, second: False)
    (previous / "stale.html").write_text("上一次的页面", encoding="utf-8")
    calls = fail_replace(monkeypatch, lambda source, target: False)
    assert main(["build", "-f", str(SMALL), "-d", str(previous)]) == 0
    assert [target for _, target in calls] == [f".public.old-{os.getpid()}", "public"]
    assert not (previous / "stale.html").exists() and (previous / "index.html").is_file()
    assert beside(previous) == ["public"]


def test_a_failed_rename_into_place_puts_the_previous_site_back(previous, monkeypatch, capsys):
    monkeypatch.setattr(builder, "_exchange", lambda first, second: False)
    before = tree_digest(previous)
    fail_replace(monkeypatch, lambda source, target: source.startswith(".public.building-") and target == "public")
    assert main(["build", "-f", str(SMALL), "-d", str(previous)]) == 1
    assert "构建失败：新站点无法替换" in capsys.readouterr().err
    assert tree_digest(previous) == before
    assert beside(previous) == ["public"]


def test_a_site_that_cannot_be_moved_aside_is_left_as_it_was(previous, monkeypatch, capsys):
    monkeypatch.setattr(builder, "_exchange", lambda first, second: False)
    before = tree_digest(previous)
    fail_replace(monkeypatch, lambda source, target: source == "public")
    assert main(["build", "-f", str(SMALL), "-d", str(previous)]) == 1
    assert tree_digest(previous) == before
    assert beside(previous) == ["public"]


def test_a_site_left_aside_by_a_swap_that_was_killed_is_put_back_by_the_next_build(previous, tmp_path, capsys):
    before = tree_digest(previous)
    aside = previous.parent / f".public.old-{dead_pid()}"
    previous.rename(aside)  # as if killed between the two renames of a swap
    config = copied_site(tmp_path)
    (config.parent / "pages" / "about.md").write_text("# 关于本站\n\n[失效链接](missing.md)\n", encoding="utf-8")
    assert main(["build", "-f", str(config), "-d", str(previous), "--strict"]) == 1  # and this build fails too
    assert "已恢复上次中断的构建移开的站点" in capsys.readouterr().err
    assert tree_digest(previous) == before
    assert beside(previous) == ["public"]


def test_unexpected_errors_are_reported_in_chinese_without_a_traceback(previous, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise ValueError("坏数据")

    monkeypatch.setattr(pages, "notice_view", broken)
    assert main(["build", "-f", str(SMALL), "-d", str(previous)]) == 1
    err = capsys.readouterr().err
    assert "构建失败：内部错误（ValueError：坏数据），请报告此问题" in err and "Traceback" not in err
