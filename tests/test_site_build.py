"""Building: `mkdocs build` and `xuncha build` stop on content errors with path:line messages, a failed build leaves
the previous site byte for byte, a good one replaces it; `xuncha serve` previews the site."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from site_fixtures import SITE_FIXTURES, build_mkdocs_site

from xuncha_site.commands.cli import main
from xuncha_site.core.site_dir import STAMP

INVALID = SITE_FIXTURES / "site_invalid" / "mkdocs.yml"
SMALL = SITE_FIXTURES / "site_small" / "mkdocs.yml"
THEME = Path(__file__).parent.parent / "theme"
ERROR_LINE = "content/notices/2026-t1/jiaju.md:5: 错误: 日期顺序不对"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    site = tmp_path / "public"
    (site / "notices").mkdir(parents=True)
    (site / STAMP).write_text("", encoding="utf-8")  # a site that a build made: the next build may replace it
    (site / "index.html").write_text("<p>上一次构建的站点</p>", encoding="utf-8")
    (site / "notices" / "old.html").write_bytes(b"\x00old bytes\xff")
    return site


def copy_site(source: Path, target: Path, **replace: str) -> Path:
    """A copy of a fixture site that can be changed; its theme is the repository's."""
    shutil.copytree(source.parent, target)
    config = (target / "mkdocs.yml").read_text(encoding="utf-8").replace("../../../theme", str(THEME))
    for old, new in replace.items():
        config = config.replace(old, new)
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target / "mkdocs.yml"


def test_check_reports_the_fixture_errors(capsys):
    assert main(["check", "-f", str(INVALID)]) == 1
    assert ERROR_LINE in capsys.readouterr().err


def test_mkdocs_build_stops_on_content_errors_with_path_line_messages(old_site):
    before = snapshot(old_site)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(INVALID), "-d", str(old_site)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
    )
    assert result.returncode != 0
    assert ERROR_LINE in result.stderr and "站点未构建" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(old_site) == before


def test_mkdocs_build_through_the_api_aborts_with_path_line_messages(tmp_path, caplog):
    with pytest.raises(Abort):
        build_mkdocs_site(INVALID, tmp_path / "site")
    assert ERROR_LINE in caplog.text and "内容检查未通过" in caplog.text
    assert not (tmp_path / "site").exists()


def test_xuncha_build_prints_the_same_lines_as_check_and_exits_1(old_site, capsys):
    main(["check", "-f", str(INVALID)])
    check_lines = [line for line in capsys.readouterr().err.splitlines() if ": 错误: " in line]
    assert main(["build", "-f", str(INVALID), "-d", str(old_site)]) == 1
    build_lines = [line for line in capsys.readouterr().err.splitlines() if ": 错误: " in line]
    assert build_lines == check_lines and len(check_lines) == 2


def test_failed_xuncha_build_leaves_the_existing_site_byte_identical(old_site, capsys):
    before = snapshot(old_site)
    assert main(["build", "-f", str(INVALID), "-d", str(old_site)]) == 1
    assert snapshot(old_site) == before
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["public"]  # no staging directory left behind


def test_build_failing_inside_mkdocs_leaves_the_existing_site_byte_identical(tmp_path, old_site, capsys):
    config = copy_site(SMALL, tmp_path / "src")
    (config.parent / "pages" / "about.md").write_text("# 关于本站\n\n[失效链接](missing.md)\n", encoding="utf-8")
    before = snapshot(old_site)
    assert main(["build", "-f", str(config), "-d", str(old_site), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "构建失败" in err and "原有站点" in err
    assert snapshot(old_site) == before
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["public", "src"]


def test_successful_xuncha_build_replaces_the_site(old_site, capsys):
    assert main(["build", "-f", str(SMALL), "-d", str(old_site)]) == 0
    assert not (old_site / "notices" / "old.html").exists()
    assert (old_site / "notices" / "2026-t1" / "jiaju" / "index.html").is_file()
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["public"]
    assert "站点已构建到" in capsys.readouterr().err


def test_plugin_refuses_material_search_alongside_pagefind(tmp_path, caplog):
    config = copy_site(SMALL, tmp_path / "src", **{"plugins:\n": "plugins:\n  - search\n"})
    with pytest.raises(Abort):
        build_mkdocs_site(config, tmp_path / "site")
    assert "请从 mkdocs.yml 的 plugins 中删去 search" in caplog.text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_xuncha_serve_previews_the_site():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "xuncha_site", "serve", "-f", str(SMALL), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not body:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/xuncha/notices/2026-t1/jiaju/", timeout=5) as r:
                    body = r.read().decode("utf-8")
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.3)
        assert "中共小站点市甲局党组" in body
    finally:
        process.terminate()
        process.wait(timeout=30)
