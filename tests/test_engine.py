"""ProperDocs (the maintained fork of MkDocs 1.6) builds the same site as MkDocs, and xuncha runs on either.

Both engines live in one environment: ProperDocs is its own package (``properdocs``) and, when it runs, makes
``import mkdocs…`` load its modules (``properdocs.replacement``), so Material and our plugin run on it unchanged. A
process uses one engine: each build here is a command of its own.

The one difference between the two sites: Material writes ``<meta name="generator" content="mkdocs-{{ version }}, …">``
into every page, and ProperDocs gives its version as "ProperDocs 1.6.7" (``mkdocs-ProperDocs 1.6.7``). Every other
byte of every file is the same (docs/平台.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_serve import NOTICE_URL, Preview, break_stage, fix_stage, is_error_page, is_notice_page, start_preview

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the environment's commands: mkdocs, properdocs
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')  # theme/base.html


def copy_example(target: Path) -> Path:
    target.mkdir()
    for name in ("content", "pages", "theme"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "XUNCHA_ENGINE"}
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=300, env={**environment, **env}, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def assert_same_site(first: Path, second: Path) -> tuple[str, str]:
    """The two sites have the same files with the same bytes, but for the generator line; returns the two lines."""
    one, other = tree(first), tree(second)
    assert len(one) > 50
    assert sorted(one) == sorted(other)
    differing = [path for path in one if one[path] != other[path]]
    assert all(path.endswith(".html") for path in differing), differing
    assert [p for p in differing if GENERATOR.sub(b"", one[p]) != GENERATOR.sub(b"", other[p])] == []
    page_one, page_other = GENERATOR.search(one["index.html"]), GENERATOR.search(other["index.html"])
    assert page_one and page_other
    return page_one[1].decode(), page_other[1].decode()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("engine") / "site")


def test_properdocs_build_gives_the_same_site_as_mkdocs_build(example: Path, tmp_path: Path) -> None:
    run([str(BIN / "mkdocs"), "build", "-d", str(tmp_path / "mkdocs")], example)
    run([str(BIN / "properdocs"), "build", "-f", "mkdocs.yml", "-d", str(tmp_path / "properdocs")], example)
    by_mkdocs, by_properdocs = assert_same_site(tmp_path / "mkdocs", tmp_path / "properdocs")
    assert re.fullmatch(r"mkdocs-1\.6\.\d+, xuncha-site", by_mkdocs), by_mkdocs
    assert re.fullmatch(r"mkdocs-ProperDocs 1\.6\.\d+, xuncha-site", by_properdocs), by_properdocs


def test_xuncha_build_on_either_engine_gives_the_same_site(example: Path, tmp_path: Path) -> None:
    xuncha = [sys.executable, "-m", "xuncha_site", "build", "-d"]
    default = run([*xuncha, str(tmp_path / "default")], example)
    chosen = run([*xuncha, str(tmp_path / "option"), "--engine", "properdocs"], example)
    by_variable = run([*xuncha, str(tmp_path / "variable")], example, XUNCHA_ENGINE="properdocs")
    overridden = run([*xuncha, str(tmp_path / "override"), "--engine", "mkdocs"], example, XUNCHA_ENGINE="properdocs")
    mkdocs_line, properdocs_line = assert_same_site(tmp_path / "default", tmp_path / "option")
    assert mkdocs_line.startswith("mkdocs-1.6") and "ProperDocs" in properdocs_line
    assert assert_same_site(tmp_path / "option", tmp_path / "variable") == (properdocs_line, properdocs_line)
    assert assert_same_site(tmp_path / "default", tmp_path / "override") == (mkdocs_line, mkdocs_line)
    assert re.search(r"由 ProperDocs 1\.6\.\d+ 构建）$", chosen.stderr.strip())
    assert "ProperDocs" in by_variable.stderr and "ProperDocs" not in default.stderr + overridden.stderr


def test_an_unknown_engine_is_refused_in_chinese(example: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xuncha_site", "build"],
        cwd=example,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "XUNCHA_ENGINE": "zensical"},
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "xuncha：环境变量 XUNCHA_ENGINE 的值“zensical”无效：应为 mkdocs 或 properdocs"


def article(page: BeautifulSoup) -> str:
    main = page.find(id="xc-main")
    assert main is not None
    return str(main)


@pytest.fixture(params=["properdocs serve", "xuncha serve --engine properdocs"])
def properdocs_preview(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Preview]:
    if request.param == "properdocs serve":
        command: tuple[str, ...] = (str(BIN / "properdocs"), "serve", "-f", "mkdocs.yml")
    else:
        command = (sys.executable, "-m", "xuncha_site", "serve", "--engine", "properdocs")
    yield from start_preview(tmp_path, command=command)


def test_properdocs_previews_the_site_that_mkdocs_builds(properdocs_preview: Preview, tmp_path: Path) -> None:
    served = properdocs_preview.wait_for(NOTICE_URL, is_notice_page)
    built = tmp_path / "built"
    run([str(BIN / "mkdocs"), "build", "-d", str(built)], properdocs_preview.root)
    page = BeautifulSoup((built / NOTICE_URL / "index.html").read_bytes(), "html.parser")
    assert article(served) == article(page)
    # The preview's own behaviour: a broken record turns the page into the error page, fixing it brings it back.
    properdocs_preview.edit(break_stage)
    properdocs_preview.wait_for(NOTICE_URL, is_error_page)
    properdocs_preview.edit(fix_stage)
    assert article(properdocs_preview.wait_for(NOTICE_URL, is_notice_page)) == article(page)
