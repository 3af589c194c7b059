"""Inputs that would hang a command or exhaust its memory get a Chinese `path:line` error in bounded time.

Markdown whose rendering is quadratic, lists nested hundreds deep, FIFOs and links to /dev/zero named like records,
and an existing record re-read by `xuncha import`: each is refused before anything expensive runs.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from recordkit import NOTICE_BODY, RecordSite, notice_text
from test_reliability_build import copied_site

from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.markdown import Renderer, markdown_text
from xuncha_site.core.markdown_limits import MAX_DEPTH, blocks, check_markdown

NOTICE = "content/notices/2024-r1/tongji.md"
SECONDS = 5.0  # a refusal is a few string counts: far below this on any machine
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
IMPORT_FIXTURE = Path(__file__).parent / "fixtures" / "import" / "categories.txt"


@contextlib.contextmanager
def cpu_limit(seconds: float) -> Iterator[None]:
    """Fail once this process has used ``seconds`` of CPU (SIGPROF), even inside a long regular-expression search:
    a bound gone wrong fails the test instead of hanging the suite, and a busy machine does not fail it."""

    def expired(signum: int, frame: object) -> None:
        pytest.fail(f"超过 {seconds} 秒 CPU 时间仍未结束")

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def body_line(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def load_with(tmp_path: Path, run: str) -> tuple[list[str], int, float]:
    """Load a notice whose last part holds ``run``: (error lines, the line where the run starts, seconds)."""
    site = RecordSite(tmp_path / "site")
    text = notice_text(body=NOTICE_BODY + "\n开始" + run + "\n")
    site.notice(text=text)
    started = time.monotonic()
    project = site.load()
    seconds = time.monotonic() - started
    errors = [d.format() for d in project.diagnostics.errors]
    assert project.corpus.notices == ()  # not handed on to be rendered
    return errors, body_line(text, "开始"), seconds


QUADRATIC = {
    "images": "![" * 40_000,
    "brackets": "[" * 80_000,
    "anchors": "<a " * 27_000,
    "links-without-end": "[a](" * 20_000,
    "rules": "\n" + "***\n" * 20_000,
    "setext": "\n" + "a\n===\n" * 14_000,
    "bold-in-one-paragraph": "**粗**说明\n" * 30_000,
}


@pytest.mark.parametrize("name", list(QUADRATIC))
def test_markdown_that_renders_in_quadratic_time_is_refused_at_its_line(tmp_path, name) -> None:
    errors, line, seconds = load_with(tmp_path, QUADRATIC[name])
    assert seconds < SECONDS
    assert any(
        error.startswith(f"{NOTICE}:{line}: 错误: 正文过于复杂，生成网页会非常慢") and "用空行把长段落分成几段" in error
        for error in errors
    ), errors


def test_lists_nested_hundreds_deep_are_refused_at_the_line_too_deep(tmp_path) -> None:
    run = "\n" + "\n".join("    " * level + "- 一是" for level in range(400))
    errors, line, seconds = load_with(tmp_path, run)
    assert seconds < SECONDS
    assert f"{NOTICE}:{line + 1 + MAX_DEPTH}: 错误: 缩进过深（超过 {MAX_DEPTH} 层列表的缩进），请减少行首的空格" in errors


def test_quotes_nested_hundreds_deep_are_refused_at_their_line(tmp_path) -> None:
    errors, line, _ = load_with(tmp_path, "\n" + ">" * 400 + " 引用")
    assert f"{NOTICE}:{line + 1}: 错误: 引用（>）嵌套超过 {MAX_DEPTH} 层" in errors


def test_a_long_table_of_links_and_deep_enough_lists_pass(tmp_path) -> None:
    site = RecordSite(tmp_path / "site")
    table = "| 序号 | 文件 |\n|---|---|\n" + "".join(f"| {n} | [制度（{n}）](files/z{n}.pdf) |\n" for n in range(500))
    lists = "\n".join("    " * level + f"{level + 1}. 第{level + 1}层" for level in range(MAX_DEPTH - 1))
    site.notice(text=notice_text(body=NOTICE_BODY + "\n" + table + "\n" + lists + "\n"))
    assert site.diagnostics() == []


def worst_within_budget(unit: str) -> str:
    low, high = 1, 100_000
    while low < high:
        middle = (low + high + 1) // 2
        if check_markdown("x" + unit * middle, "x", 1, Diagnostics()):
            low = middle
        else:
            high = middle - 1
    return "x" + unit * low


@pytest.mark.parametrize("unit", ["![", "[", "[a]("])
def test_the_worst_markdown_within_the_bounds_still_renders_in_bounded_time(unit) -> None:
    # A hang detector, not a speed target (bench/markdown_limits.py measures these: about 1.4 s of CPU each).
    text = worst_within_budget(unit)
    assert len(text) > 3000
    with cpu_limit(30):
        Renderer().markdown(text)
        markdown_text(text)


def test_the_bounds_are_linear_in_the_record() -> None:
    text = ("根据[统一部署](a)，**已完成**整改。<5 项>\n\n" * 60_000)[:2_000_000]
    with cpu_limit(SECONDS):
        found = blocks(text, 1)
    assert len(found) > 50_000


# --- files that are not regular files ------------------------------------------------------------------------------


def run_xuncha(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuncha_site", *args], capture_output=True, text=True, env=ENV, cwd=cwd, timeout=timeout
    )


SPECIAL = {
    "notice-fifo": ("content/notices/2024-r1/tongji.md", os.mkfifo, "不是普通文件，而是命名管道（FIFO），不能读取"),
    "notice-dev-zero": (
        "content/notices/2024-r1/tongji.md",
        lambda path: path.symlink_to("/dev/zero"),
        "不是普通文件，而是设备文件，不能读取",
    ),
    "round-fifo": ("content/rounds/2024-r2.yml", os.mkfifo, "不是普通文件，而是命名管道（FIFO），不能读取"),
    "round-dev-zero": (
        "content/rounds/2024-r2.yml",
        lambda path: path.symlink_to("/dev/zero"),
        "不是普通文件，而是设备文件，不能读取",
    ),
}


@pytest.mark.parametrize("case", list(SPECIAL))
def test_check_refuses_a_fifo_or_a_device_named_like_a_record(tmp_path, case) -> None:
    site = RecordSite(tmp_path / "site")
    relative, make, message = SPECIAL[case]
    path = site.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    make(path)
    result = run_xuncha("check", "-f", str(site.root / "mkdocs.yml"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{relative}:1: 错误: {message}" in result.stderr


def test_a_fifo_as_mkdocs_yml_is_refused(tmp_path) -> None:
    os.mkfifo(tmp_path / "mkdocs.yml")
    result = run_xuncha("check", "-f", str(tmp_path / "mkdocs.yml"))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "mkdocs.yml:1: 错误: 不是普通文件，而是命名管道（FIFO），不能读取" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_build_refuses_a_fifo_or_a_device_among_the_pages(tmp_path, kind) -> None:
    config = copied_site(tmp_path)
    page = config.parent / "pages" / "extra.md"
    if kind == "fifo":
        os.mkfifo(page)
    else:
        page.symlink_to("/dev/zero")
    result = run_xuncha("build", "-f", str(config), "-d", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"xuncha：{page}：不是普通文件" in result.stderr
    assert not (tmp_path / "out").exists()


# --- xuncha import reads an existing record through the guarded reader ---------------------------------------------

ALIAS_BOMB = """\
---
a: &a ["笑笑笑笑笑笑笑笑", "笑笑笑笑笑笑笑笑", "笑笑笑笑笑笑笑笑", "笑笑笑笑笑笑笑笑", "笑笑笑笑笑笑笑笑", "笑笑笑笑笑笑笑笑"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
unit: *h
stage: *h
notice_date: *h
---
"""


def limited_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))


def test_import_reads_an_existing_record_as_check_does(tmp_path) -> None:
    from import_helpers import make_site

    config = make_site(tmp_path / "site")
    existing = config.parent / "content" / "notices" / "2023-r3" / "jiaotong.md"
    existing.parent.mkdir(parents=True, exist_ok=True)
    existing.write_text(ALIAS_BOMB, encoding="utf-8")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "xuncha_site", "import", "-f", str(config), str(IMPORT_FIXTURE)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
        preexec_fn=limited_memory,
    )
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1 and "未覆盖" in result.stderr  # unreadable counts as the same notice: kept
    assert existing.read_text(encoding="utf-8") == ALIAS_BOMB
    assert time.monotonic() - started < 120
