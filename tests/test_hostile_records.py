"""Hostile input to the loader and validator: whatever the bytes, a clean Chinese diagnostic or a valid result.

The normal suite runs a fast subset; `pytest -m long` runs the same properties with many more cases
(XUNCHA_HYPOTHESIS_EXAMPLES, default 10,000 per property in the long run).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from recordkit import RecordSite, notice_text

from xuncha_site.core.project import Project

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(
    max_examples=int(os.environ.get("XUNCHA_HYPOTHESIS_EXAMPLES", "10000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
LINE = re.compile(r"^[^\n]+:\d+: (错误|警告): \S.*$")
PER_CASE_SECONDS = 5.0


@pytest.fixture(scope="module")
def site() -> Iterator[RecordSite]:
    root = Path(tempfile.mkdtemp(prefix="xuncha-hostile-"))
    try:
        yield RecordSite(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def load_bytes(site: RecordSite, raw: bytes) -> Project:
    path = site.root / "content/notices/2024-r1/tongji.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    started = time.monotonic()
    project = site.load()
    assert time.monotonic() - started < PER_CASE_SECONDS
    return project


def assert_clean(project: Project) -> None:
    """Every diagnostic is one well-formed Chinese line with a line number ≥ 1; no exception escaped."""
    for diag in project.diagnostics.sorted():
        assert diag.line >= 1
        assert LINE.match(diag.format()), diag.format()
    for notice in project.corpus.notices:
        assert notice.id == "2024-r1/tongji"


VALID = notice_text().encode("utf-8")

mutation = st.tuples(
    st.integers(min_value=0, max_value=len(VALID)),
    st.integers(min_value=0, max_value=40),
    st.binary(max_size=12)
    | st.sampled_from(
        [
            b"\n",
            b":",
            b"---\n",
            b"- ",
            b"&a ",
            b"*a",
            b"!!python/object ",
            b"\t",
            b"\xef\xbb\xbf",
            b"\r\n",
            b"#",
            b"{",
            b"[",
        ]
    ),
)


def mutate(original: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    data = bytearray(original)
    for position, deleted, inserted in edits:
        position = min(position, len(data))
        data[position : position + deleted] = inserted
    return bytes(data)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
known_keys = st.sampled_from(
    [
        "round",
        "unit",
        "issuer",
        "group",
        "notice_date",
        "published",
        "stage",
        "draft",
        "counts",
        "contact",
        "title",
        "source",
        "attachments",
        "corrections",
    ]
)


def check_mutated(site: RecordSite, edits: list[tuple[int, int, bytes]]) -> None:
    assert_clean(load_bytes(site, mutate(VALID, edits)))


def check_structure(site: RecordSite, front: dict) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n## 二、问题\n\n### 1.问题\n"
    assert_clean(load_bytes(site, text.encode("utf-8")))


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_give_diagnostics_not_tracebacks(site: RecordSite, raw: bytes) -> None:
    assert_clean(load_bytes(site, raw))


@FAST
@given(st.lists(mutation, min_size=1, max_size=6))
def test_mutated_valid_notice_gives_diagnostics_not_tracebacks(site: RecordSite, edits: list) -> None:
    check_mutated(site, edits)


@FAST
@given(st.dictionaries(known_keys | st.text(max_size=8), yaml_values, max_size=10))
def test_random_front_matter_structures_are_diagnosed(site: RecordSite, front: dict) -> None:
    check_structure(site, front)


@FAST
@given(st.text(max_size=3000))
def test_random_markdown_bodies_are_accepted_or_diagnosed(site: RecordSite, body: str) -> None:
    raw = notice_text(body=body).encode("utf-8", errors="surrogatepass")
    assert_clean(load_bytes(site, raw))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xef\xbb\xbf" + VALID,
        VALID.replace(b"\n", b"\r\n"),
        VALID.replace(b"\n", b"\r"),
        "\ufeff".encode("utf-16") + notice_text().encode("utf-16-le"),
        b"---\n" + b"a: [" * 5000 + b"\n---\n",
        b"---\n" + b"- " * 5000 + b"x\n---\n",
        b"---\n" + (b"k: v\n" * 200000)[:1_900_000] + b"---\n",
        b"---\n" + b"x" * 3_000_000 + b"\n---\n",
        b"---\nround: !!python/name:os.system\n---\n",
        b"---\n!!python/object/new:os.system [echo hi]\n---\n",
        b"---\nround: &a [*a]\n---\n",
        b"---\n? [a, b]\n: c\n---\n",
        b"---\n" + "标题: 值\n".encode() * 3 + b"---\n",
        b"---\nround: 2024-r1\n---\n" + ("\n" + "#" * 3 + " 问题\n").encode() * 2000,
        ("---\nround: 2024-r1\n---\n## 二、问题\n\n### 1." + " " * 100_000 + "（已完成）\n").encode(),
        ("---\nround: 2024-r1\n---\n## 二、问题\n\n### 1.\n\n完成情况：已完成" + " " * 30_000 + "x\n").encode(),
    ],
    ids=[
        "empty",
        "bom",
        "crlf",
        "cr",
        "utf16",
        "deep-flow",
        "deep-block",
        "many-keys",
        "huge",
        "python-name",
        "python-object",
        "recursive-alias",
        "complex-key",
        "duplicate-chinese-keys",
        "many-headings",
        "spaces-in-a-heading",
        "spaces-after-a-status",
    ],
)
def test_known_hostile_files(site: RecordSite, raw: bytes) -> None:
    assert_clean(load_bytes(site, raw))


def test_bom_and_crlf_records_load_like_plain_ones(site: RecordSite) -> None:
    plain = load_bytes(site, VALID).corpus.notices
    for variant in (b"\xef\xbb\xbf" + VALID, VALID.replace(b"\n", b"\r\n")):
        project = load_bytes(site, variant)
        assert project.diagnostics.sorted() == []
        assert project.corpus.notices == plain


# --- each limit of the loader, by what it promises (a test per guard: with the guard removed, its test fails) ---------


def only_error(project: Project) -> str:
    """The one diagnostic of a refused record, formatted; the record is not loaded."""
    assert project.corpus.notices == ()
    [diag] = project.diagnostics.sorted()
    return diag.format()


def test_a_record_over_two_megabytes_is_refused_as_too_large(site: RecordSite) -> None:
    raw = VALID + "整改情况：一是修订审核细则。二是开展交叉审核。\n\n".encode() * 40_000  # ≈ 2.7 MB of body
    assert only_error(load_bytes(site, raw)).startswith("content/notices/2024-r1/tongji.md:1: 错误: 文件过大")


def test_a_nul_byte_in_the_body_is_refused_at_its_line(site: RecordSite) -> None:
    raw = VALID.replace("持续巩固整改成果。".encode(), "持续巩固\x00整改成果。".encode())
    line = raw[: raw.index(b"\x00")].count(b"\n") + 1
    assert (
        only_error(load_bytes(site, raw))
        == f"content/notices/2024-r1/tongji.md:{line}: 错误: 文件含有空字符（NUL），不是文本文件"
    )


def test_a_megabyte_of_front_matter_is_refused_before_it_is_parsed(site: RecordSite) -> None:
    # Its YAML breaks at the very end: parsed, it would cost the pure-Python parser many seconds to say so, in English.
    raw = b"---\n" + b"k: v\n" * 200_000 + "bad: [\n---\n\n正文\n".encode()
    started = time.monotonic()
    error = only_error(load_bytes(site, raw))
    assert time.monotonic() - started < 2
    assert (
        error == "content/notices/2024-r1/tongji.md:2: 错误: 前置元数据过长（超过 64 KB），请检查是否把正文写进了元数据"
    )


def test_yaml_nested_too_deep_is_refused_at_the_line_where_it_goes_too_deep(site: RecordSite) -> None:
    raw = "---\nround: 2024-r1\nunit: 市统计局党组\nx: ".encode() + b"[" * 5000 + b"\n---\n"
    errors = [d.format() for d in load_bytes(site, raw).diagnostics.errors]
    assert "content/notices/2024-r1/tongji.md:4: 错误: YAML 嵌套超过 40 层" in errors


@pytest.mark.long
@LONG
@given(st.lists(mutation, min_size=1, max_size=8))
def test_long_run_mutations(site: RecordSite, edits: list) -> None:
    check_mutated(site, edits)


@pytest.mark.long
@LONG
@given(st.dictionaries(known_keys | st.text(max_size=8), yaml_values, max_size=12))
def test_long_run_structures(site: RecordSite, front: dict) -> None:
    check_structure(site, front)
