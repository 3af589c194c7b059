"""A hostile-input run: fuzzed records made of every class of issue 17 end with no traceback, no hang past their
bound, no data loss and no script.

Each generated record mixes hostile pieces — YAML escapes of controls and surrogates, direction overrides, invisible
characters in names, dates near year 9999, offsets of a day, huge numbers, empty flags, runs of Markdown that render
in quadratic time, deep nesting, script and tricky image addresses — into a valid notice. Loading it must give
well-formed Chinese diagnostics within a CPU bound; a record that passes is rendered (page and search text) within a
bound, and its HTML holds no script, no event handler and no image from another host. Then whole sites of such
records go through `xuncha build` and `xuncha check` in a subprocess: exit 1 with `path:line: 错误:` lines, no
traceback, the previous site and the project byte for byte as they were.

The default suite runs a few dozen records; `pytest -m long` runs many more (XUNCHA_HYPOTHESIS_EXAMPLES).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings, strategies as st
from recordkit import NOTICE_BODY, NOTICE_FRONT, RecordSite
from test_reliability_build import copied_site, tree_digest
from test_reliability_inputs import cpu_limit

from xuncha_site.core.markdown import Renderer, markdown_text

FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(
    max_examples=int(os.environ.get("XUNCHA_HYPOTHESIS_EXAMPLES", "2000")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
LINE = re.compile(r"^[^\n]+:\d+: (错误|警告): \S.*$")
LOAD_SECONDS = 10  # CPU seconds to load one hostile record (a refusal takes milliseconds)
RENDER_SECONDS = 20  # CPU seconds to render what passed (bench/markdown_limits.py: 1.4 s each at worst)

VALUES = [
    '"\\ud800"',
    '"\\0"',
    '"\\e[2J"',
    '"a\\u202eb"',
    '"\\u2066x\\u2069"',
    "市统计局\u200b党组",
    "市统计局\ufeff党组",
    "市统计\u3164局",
    "9999-12-31",
    "0001-01-01",
    "2024-09-05T10:00:00+24:00",
    "2024-09-05T10:00:00-00:99",
    "9999-12-31 23:59 -12:00",
    "999999999",
    "-1",
    "",
    "~",
    "&a x",
    "*a",
    "!!python/object/apply:os.system [echo]",
    "[" * 200,
    "{a: [b, {c: d}]}",
    '"<script>alert(1)</script>"',
    "'\" onmouseover=alert(1) x=\"'",
]
KEYS = ["unit", "issuer", "group", "title", "notice_date", "published", "feedback_date", "draft", "stage", "round"]
BODY_PIECES = [
    "![" * 3000,
    "[" * 3000,
    "<a " * 3000,
    "[a](" * 2000,
    "\n" + "***\n" * 2000,
    "\n" + "a\n===\n" * 1500,
    "**粗**说明\n" * 2000,
    "\n" + "\n".join("    " * level + "- 一是" for level in range(60)),
    "\n" + ">" * 60 + " 引用",
    "<script>alert('body')</script>",
    '<img src="x" onerror="alert(1)">',
    '<img src="\\\\evil.example/x.png">',
    "![](/\\evil.example/u.png)",
    '<img src="&#92;&#92;evil.example/y.png">',
    "[链接](javascript:alert(1))",
    "<svg onload=alert(1)>",
    "\u202e反向\u202c",
    "\x1b[31m红\x1b[0m",
    "&#0;&#x202e;&#xd800;",
    "| a | b |\n|---|---|\n| [x](y) | <b>z</b> |",
]


def hostile_record(rng: random.Random) -> str:
    """A valid notice with up to four fields replaced by hostile values and one to three hostile pieces of body."""
    front = NOTICE_FRONT
    for _ in range(rng.randint(0, 4)):
        key, value = rng.choice(KEYS), rng.choice(VALUES)
        if re.search(rf"(?m)^{key}:", front):
            front = re.sub(rf"(?m)^{key}:.*$", lambda _, line=f"{key}: {value}": line, front)
        else:
            front += f"{key}: {value}\n"
    pieces = [rng.choice(BODY_PIECES) for _ in range(rng.randint(1, 3))]
    at = rng.randint(0, len(NOTICE_BODY))
    body = NOTICE_BODY[:at] + "\n\n" + "\n\n".join(pieces) + "\n\n" + NOTICE_BODY[at:]
    return f"---\n{front}---\n\n{body}"


hostile_records = st.randoms(use_true_random=False).map(hostile_record)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> RecordSite:
    return RecordSite(tmp_path_factory.mktemp("hostile-run"))


def no_script(html: str) -> None:
    soup = BeautifulSoup(html, "lxml")
    assert not soup.select("script, svg, iframe, object, embed, style"), html[:300]
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], html[:300]
        assert not str(element.get("href", "")).lower().strip().startswith("javascript:"), html[:300]
    for image in soup.select("img[src]"):
        assert "evil.example" not in image["src"], html[:300]


def check_record(site: RecordSite, text: str) -> None:
    site.notice(text=text)
    with cpu_limit(LOAD_SECONDS):
        project = site.load()
    for diag in project.diagnostics.sorted():
        assert diag.line >= 1 and LINE.match(diag.format()), diag.format()
    if project.failed():
        return
    renderer = Renderer()
    for notice in project.corpus.notices:
        fragments = [notice.preamble, *(part.body for part in notice.parts)]
        fragments += [problem.body for problem in notice.all_problems()]
        with cpu_limit(RENDER_SECONDS):
            for fragment in fragments:
                no_script(str(renderer.markdown(fragment)))
                markdown_text(fragment)


@FAST
@given(hostile_records)
def test_hostile_records_give_diagnostics_in_bounded_time_and_render_without_script(site, text) -> None:
    check_record(site, text)


@pytest.mark.long
@LONG
@given(hostile_records)
def test_long_run_of_hostile_records(site, text) -> None:
    check_record(site, text)


# --- whole sites through the commands ----------------------------------------------------------------------------

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuncha_site", *args], capture_output=True, text=True, env=ENV, timeout=600
    )


def digest(folder: Path) -> str:
    """tree_digest that never reads a FIFO or a device: links by their target, special files by their kind."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            parts.append(f"l {path.relative_to(folder)} {os.readlink(path)}")
        elif path.is_dir():
            parts.append(f"d {path.relative_to(folder)}")
        elif path.is_file():
            parts.append(f"f {path.relative_to(folder)} {hash(path.read_bytes())}")
        else:
            parts.append(f"s {path.relative_to(folder)} {stat.S_IFMT(path.lstat().st_mode)}")
    return "\n".join(parts)


def hostile_site(tmp_path: Path, records: list[str]) -> Path:
    config = copied_site(tmp_path)
    folder = config.parent / "content" / "notices" / "2026-t1"
    for number, text in enumerate(records):
        (folder / f"hostile-{number}.md").write_text(text, encoding="utf-8")
    (folder / "files").mkdir(exist_ok=True)
    (folder / "files" / "x.svg").write_text('<svg onload="alert(1)"/>', encoding="utf-8")
    os.mkfifo(folder / "fifo.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    return config


@pytest.mark.parametrize("seed", range(2))
def test_sites_of_hostile_records_fail_cleanly_and_lose_nothing(tmp_path, small_site, seed) -> None:
    rng = random.Random(seed)
    records = [hostile_record(rng) for _ in range(6)]
    records.append(f"---\n{NOTICE_FRONT}attachments:\n  - title: 图\n    file: files/x.svg\n---\n\n{NOTICE_BODY}")
    config = hostile_site(tmp_path, records)
    previous = tmp_path / "public"
    shutil.copytree(small_site, previous)
    before, project_before = tree_digest(previous), digest(config.parent)
    for command in (["check", "-f", str(config)], ["build", "-f", str(config), "-d", str(previous)]):
        result = run(*command)
        assert result.returncode == 1, (command, result.stderr[-3000:])
        assert "Traceback" not in result.stderr and "Errno" not in result.stderr, result.stderr[-3000:]
        errors = [line for line in result.stderr.splitlines() if ": 错误: " in line]
        assert errors and all(LINE.match(line) for line in errors)
        assert "fifo.md:1: 错误: 不是普通文件" in result.stderr and "zero.md:1: 错误: 不是普通文件" in result.stderr
    assert tree_digest(previous) == before
    assert digest(config.parent) == project_before
