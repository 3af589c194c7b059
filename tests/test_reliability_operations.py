"""Operations: killed or stopped builds leave nothing behind, a full disk is reported in Chinese, the preview survives
content/ being deleted and restored, and `xuncha new` writes any name so that it reads back as written.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from recordkit import RecordSite
from test_reliability_build import RUNNER, SMALL, beside, tree_digest
from test_serve import NOTICE, NOTICE_URL, break_stage, fix_stage, is_error_page, is_notice_page, start_preview

import xuncha_site.search.job as search
from xuncha_site.commands.cli import main

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def leftovers(temp: Path) -> list[str]:
    return sorted(path.name for path in temp.iterdir() if path.name.startswith("xuncha-"))


def paused(tmp_path: Path, site: Path, temp: Path) -> subprocess.Popen[str]:
    """A build stopped in the middle of writing its pages, with its temporary files in ``temp``."""
    marker = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, str(RUNNER), "pause", str(marker), "build", "-f", str(SMALL), "-d", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**ENV, "TMPDIR": str(temp)},
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return process


@pytest.fixture
def previous(small_site: Path, tmp_path: Path) -> Path:
    site = tmp_path / "out" / "public"
    shutil.copytree(small_site, site)
    return site


@pytest.fixture
def temp(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def test_sigterm_stops_a_build_as_ctrl_c_does_and_cleans_up(previous, tmp_path, temp) -> None:
    before = tree_digest(previous)
    process = paused(tmp_path, previous, temp)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "已中断" in err and "Traceback" not in err
    assert tree_digest(previous) == before
    assert beside(previous) == ["public"] and leftovers(temp) == []


def test_what_a_killed_build_leaves_in_the_temporary_folder_is_removed_by_the_next_build(previous, tmp_path, temp):
    for _ in range(3):
        process = paused(tmp_path, previous, temp)
        process.kill()
        process.wait(timeout=60)
        (tmp_path / "paused").unlink()
    assert leftovers(temp)  # what the kills left (the indexer's folder, in the temporary directory)
    result = subprocess.run(
        [sys.executable, "-m", "xuncha_site", "build", "-f", str(SMALL), "-d", str(previous)],
        capture_output=True,
        text=True,
        env={**ENV, "TMPDIR": str(temp)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert leftovers(temp) == [] and beside(previous) == ["public"]


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie waiting for its parent to reap it has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_a_killed_build_leaves_no_search_indexer_running(tmp_path, previous, temp) -> None:
    marker, log = tmp_path / "indexer", tmp_path / "build.log"
    with log.open("w") as err:  # not a pipe: an indexer that outlived the build would hold it open
        process = subprocess.Popen(
            [sys.executable, str(RUNNER), "pause-indexer", str(marker), "build", "-f", str(SMALL), "-d", str(previous)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**ENV, "TMPDIR": str(temp)},
        )
    deadline = time.monotonic() + 120
    while not (marker.exists() and marker.read_text()):
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    indexer = int(marker.read_text())
    assert indexer != process.pid and alive(indexer)
    process.kill()
    process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while alive(indexer) and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive(indexer):
        os.kill(indexer, signal.SIGKILL)
        pytest.fail("构建被杀后，搜索索引子进程仍在运行")


def test_a_folder_of_a_build_still_running_or_of_another_machine_is_left_alone(temp) -> None:
    from xuncha_site.core.scratch import _host, make_folder

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        alive = temp / f"xuncha-search-{sleeper.pid}@{_host()}-abcd1234"
        elsewhere = temp / "xuncha-search-1@other-machine-abcd1234"
        alive.mkdir()
        elsewhere.mkdir()
        mine = make_folder("xuncha-search", temp)
        assert alive.is_dir() and elsewhere.is_dir() and mine.is_dir()
    finally:
        sleeper.kill()
        sleeper.wait()


# --- a full disk ----------------------------------------------------------------------------------------------------


def full_disk_script(previous: Path, mount: Path, results: Path, size_kb: int) -> str:
    python = sys.executable
    return f"""
set -e
mount -t tmpfs -o size={size_kb}k xuncha-full {mount}
cp -a {previous} {mount}/public
mkdir {mount}/tmp
set +e
TMPDIR={mount}/tmp {python} -m xuncha_site build -f {SMALL} -d {mount}/public > {results}/out 2> {results}/err
echo $? > {results}/code
set -e
cd {Path(__file__).parent}
{python} -c "
import sys; from pathlib import Path
from test_reliability_build import tree_digest
Path('{results}/digest').write_text(tree_digest(Path('{mount}/public')))
Path('{results}/beside').write_text(' '.join(sorted(p.name for p in Path('{mount}').iterdir())))
"
"""


def test_a_full_disk_is_reported_in_chinese_and_the_previous_site_stays(previous, tmp_path) -> None:
    # A real full disk: a small tmpfs in a mount namespace of its own (as root, or in a user namespace).
    size = sum(path.stat().st_size for path in previous.rglob("*") if path.is_file())
    mount, results = tmp_path / "mnt", tmp_path / "results"
    mount.mkdir()
    results.mkdir()
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-r", "-m"]
    script = full_disk_script(previous, mount, results, size_kb=int(size * 1.5) // 1024 + 64)
    run = subprocess.run([*unshare, "sh", "-c", script], capture_output=True, text=True, env=ENV, timeout=600)
    assert run.returncode == 0, run.stderr
    err = (results / "err").read_text(encoding="utf-8")
    assert (results / "code").read_text().strip() == "1", err
    assert "构建失败：磁盘空间不足" in err and f"原有站点 {mount}/public 未改动" in err, err
    assert "Errno" not in err and "No space" not in err and "Traceback" not in err
    assert (results / "digest").read_text() == tree_digest(previous)
    assert (results / "beside").read_text() == "public tmp"  # no staging folder left


def test_copies_that_fail_are_reported_in_chinese_not_as_a_list_of_tuples(previous, monkeypatch, capsys) -> None:
    def move(source, target, *args, **kwargs):
        failures = [(f"{source}/a.pf_fragment", f"{target}/a.pf_fragment", "[Errno 28] No space left on device: 'a'")]
        raise shutil.Error(failures * 3)

    monkeypatch.setattr(search.shutil, "move", move)
    before = tree_digest(previous)
    assert main(["build", "-f", str(SMALL), "-d", str(previous)]) == 1
    err = capsys.readouterr().err
    assert "构建失败：磁盘空间不足：复制 " in err and "失败，另有 2 个文件也未能复制" in err, err
    assert "Errno" not in err and "[(" not in err
    assert tree_digest(previous) == before


@pytest.mark.parametrize(
    ("code", "phrase"), [(errno.EACCES, "没有权限"), (errno.EROFS, "文件系统只读")], ids=["EACCES", "EROFS"]
)
def test_other_write_errors_are_named_in_chinese(previous, monkeypatch, capsys, code, phrase) -> None:
    import mkdocs.utils

    real = mkdocs.utils.write_file

    def write_file(content: bytes, path: str) -> None:
        if path.endswith("feedback/index.html"):
            raise OSError(code, os.strerror(code), path)
        real(content, path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    assert main(["build", "-f", str(SMALL), "-d", str(previous)]) == 1
    err = capsys.readouterr().err
    assert f"构建失败：{phrase}：" in err and "feedback/index.html" in err and "Errno" not in err


# --- the preview ------------------------------------------------------------------------------------------------------


def test_serve_keeps_rebuilding_after_content_is_deleted_and_restored(tmp_path) -> None:
    previews = start_preview(tmp_path)
    preview = next(previews)
    try:
        preview.wait_for(NOTICE_URL, is_notice_page)
        backup = tmp_path / "content-backup"
        shutil.copytree(preview.root / "content", backup)
        shutil.rmtree(preview.root / "content")
        page = preview.wait_for(NOTICE_URL, is_error_page)
        assert "内容目录“content”不存在" in page.get_text()
        shutil.copytree(backup, preview.root / "content")
        preview.wait_for(NOTICE_URL, is_notice_page)
        preview.edit(break_stage)  # and it goes on watching the restored folder
        preview.wait_for(NOTICE_URL, is_error_page)
        preview.edit(fix_stage)
        preview.wait_for(NOTICE_URL, is_notice_page)
    finally:
        previews.close()
    assert NOTICE  # the record edited above


# --- xuncha new -------------------------------------------------------------------------------------------------------

NAMES = [
    "市统计局 #党组",
    "*市统计局党组",
    "市统计局: 党组",
    "&市统计局党组",
    '"市统计局"党组',
    "[市统计局]党组",
    "- 市统计局党组",
    "市统计局党组 ",
    "yes",
    "2024-01-01",
    "市统计局{党组}",
    "市统计局'党组",
    "! 市统计局",
    "%市统计局",
    "@市统计局",
    "`市统计局`",
    "市统计局|党组",
    "市统计局>党组",
]


@pytest.mark.parametrize("name", NAMES)
def test_new_notice_writes_any_unit_name_so_that_it_reads_back_as_written(tmp_path, capsys, name) -> None:
    site = RecordSite(tmp_path / "site")
    config = str(site.root / "mkdocs.yml")
    assert main(["new", "notice", "-f", config, "--round", "2024-r1", "--unit", name]) == 0
    project = site.load()
    assert [d.format() for d in project.diagnostics.errors] == []
    [notice] = project.corpus.notices
    assert notice.unit == name.strip() and notice.draft


@pytest.mark.parametrize("name", ["十一届市委第二轮巡察 #1", "*第二轮", "第二轮: 专项", "yes"])
def test_new_round_writes_any_name_so_that_it_reads_back_as_written(tmp_path, name) -> None:
    site = RecordSite(tmp_path / "site")
    assert (
        main(
            [
                "new",
                "round",
                "-f",
                str(site.root / "mkdocs.yml"),
                "2025-r1",
                "--name",
                name,
                "--year",
                "2025",
                "--committee",
                "中共青岚市委",
            ]
        )
        == 0
    )
    project = site.load()
    # The new round still holds its placeholders (its units), which must be filled in; nothing else is wrong.
    assert [d.format() for d in project.diagnostics.errors if "占位文字" not in d.message] == []
    assert project.corpus.rounds["2025-r1"].name == name
