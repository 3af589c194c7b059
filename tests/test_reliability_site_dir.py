"""The output folder: a build never deletes the project or anything that is not a site it built.

`xuncha build -d .` (or `-d content`, `site_dir: content` …) once swapped the project away; `mkdocs build` empties its
site_dir first. Both refuse such a folder now, and any non-empty folder without the stamp that every build leaves.
A `site/` that is a symlink keeps being the link: the folder it points at is updated.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from site_fixtures import build_mkdocs_site
from test_reliability_build import copied_site, dead_pid, tree_digest

from xuncha_site.commands.cli import main
from xuncha_site.core.site_dir import STAMP


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of site_small in a git repository of its own (tmp/repo/src/mkdocs.yml); returns its mkdocs.yml."""
    config = copied_site(tmp_path / "repo")
    (tmp_path / "repo" / ".git").mkdir()
    (tmp_path / "repo" / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return config


def everything(tmp_path: Path) -> str:
    return tree_digest(tmp_path)


REFUSED = [
    (".", "就是站点项目目录"),
    ("content", "就是记录目录 content_dir"),
    ("pages", "就是页面目录 docs_dir"),
    ("theme", "就是主题目录 custom_dir"),
    ("..", "就是站点所在的 git 仓库"),
    ("../..", "包含站点项目目录"),
    ("content/notices", "在记录目录 content_dir"),
    ("pages/site", "在页面目录 docs_dir"),
    ("../.git/site", "在仓库的 .git 目录"),
    ("mkdocs.yml", "就是配置文件 mkdocs.yml"),
]


@pytest.mark.parametrize(("output", "reason"), REFUSED, ids=[output for output, _ in REFUSED])
def test_xuncha_build_refuses_an_output_folder_that_is_or_holds_the_projects_sources(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str, reason: str
) -> None:
    before = everything(tmp_path)
    assert main(["build", "-f", str(project), "-d", str(project.parent / output)]) == 2
    err = capsys.readouterr().err
    assert f"xuncha：输出目录 {project.parent / output} {reason}" in err and "Traceback" not in err
    assert everything(tmp_path) == before


def test_a_link_named_site_that_points_at_the_project_is_refused(project: Path, tmp_path: Path, capsys) -> None:
    (project.parent / "site").symlink_to(project.parent / "content", target_is_directory=True)
    before = everything(tmp_path)
    assert main(["build", "-f", str(project)]) == 2
    assert "就是记录目录 content_dir" in capsys.readouterr().err
    assert everything(tmp_path) == before


@pytest.mark.parametrize("output", ["content", "theme"])
def test_mkdocs_build_refuses_site_dir_content(project: Path, tmp_path: Path, output: str) -> None:
    # Plain MkDocs empties site_dir before it builds; its own check covers docs_dir only.
    config = project.read_text(encoding="utf-8")
    project.write_text(f"site_dir: {output}\n{config}", encoding="utf-8")
    before = everything(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode != 0
    assert "xuncha：输出目录" in result.stderr and "Traceback" not in result.stderr
    assert everything(tmp_path) == before


def test_a_folder_that_holds_other_files_is_refused_until_it_is_emptied(project: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "documents"
    (folder / "2025").mkdir(parents=True)
    (folder / "2025" / "报告.docx").write_bytes(b"PK\x03\x04 not a site")
    (folder / "index.html").write_text("<p>别的网站</p>", encoding="utf-8")
    before = tree_digest(folder)
    assert main(["build", "-f", str(project), "-d", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"输出目录 {folder} 中已有文件，但它不是 xuncha-site 构建的站点（没有 {STAMP} 标记文件）" in err
    assert "换一个新的或空的输出目录" in err and "自己删除或清空该目录再构建" in err
    assert tree_digest(folder) == before
    shutil.rmtree(folder / "2025")
    (folder / "index.html").unlink()
    assert main(["build", "-f", str(project), "-d", str(folder)]) == 0  # empty: nothing to lose
    assert (folder / STAMP).is_file() and (folder / "notices" / "2026-t1" / "jiaju" / "index.html").is_file()
    assert main(["build", "-f", str(project), "-d", str(folder)]) == 0  # a site it built: replaced


def test_mkdocs_build_stamps_the_site_and_refuses_an_unstamped_folder(project: Path, tmp_path: Path, caplog) -> None:
    site = build_mkdocs_site(project, tmp_path / "out")
    assert (site / STAMP).is_file()
    build_mkdocs_site(project, site)  # its own site: built again
    (site / STAMP).unlink()
    with pytest.raises(Abort):
        build_mkdocs_site(project, site)
    assert "不是 xuncha-site 构建的站点" in caplog.text
    assert (site / "index.html").is_file()  # refused before MkDocs emptied it


def test_a_site_folder_that_is_a_link_keeps_its_link_and_updates_its_target(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "www" / "xuncha"
    real.parent.mkdir()
    link = project.parent / "site"
    link.symlink_to(real, target_is_directory=True)
    for _ in range(2):  # the first build makes the folder, the second replaces it
        assert main(["build", "-f", str(project)]) == 0
        assert link.is_symlink() and Path(os.readlink(link)) == real
        assert (real / "notices" / "2026-t1" / "jiaju" / "index.html").is_file()
        assert sorted(p.name for p in real.parent.iterdir()) == ["xuncha"]


def test_a_leftover_link_beside_the_site_is_removed_by_the_next_build(project: Path, tmp_path: Path, capsys) -> None:
    site = tmp_path / "public"
    assert main(["build", "-f", str(project), "-d", str(site)]) == 0
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "kept").mkdir(parents=True)
    (elsewhere / "kept" / "page.html").write_text("未改动", encoding="utf-8")
    leftovers = [f".public.building-{dead_pid()}", f".public.building-{dead_pid()}"]
    for leftover, target in zip(leftovers, [elsewhere, None], strict=True):
        # what a swap with a link once left: a link to a folder that is not ours to remove, or to nothing
        (tmp_path / leftover).symlink_to(target or tmp_path / "gone", target_is_directory=True)
    assert main(["build", "-f", str(project), "-d", str(site)]) == 0
    err = capsys.readouterr().err
    for leftover in leftovers:
        assert f"已清除上次中断的构建留下的临时目录 {leftover}" in err
        assert not (tmp_path / leftover).is_symlink() and not (tmp_path / leftover).exists()
    assert (elsewhere / "kept" / "page.html").read_text(encoding="utf-8") == "未改动"  # the link went, not its target
