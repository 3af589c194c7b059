"""Hostile input to ``xuncha import``: whatever the file (random or mutated text, HTML junk, broken Word files, wrong
encodings, BOMs, CRLF, huge, deeply nested), the result is a clean Chinese error or a record that the site can read —
never a traceback — in bounded time and memory.

The normal suite runs a fast subset; `pytest -m long` runs the same properties with many more cases
(XUNCHA_HYPOTHESIS_EXAMPLES, default 10,000 per property in the long run). tests/test_hostile_records.py does the same
for the loader and validator.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from import_helpers import FIXTURES, PAGE_FIXTURES, TEXT_FIXTURES, fixture_file, make_site

from xuncha_site.commands.import_notices import import_one
from xuncha_site.commands.site import load_site
from xuncha_site.core.body import parse_body
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.project import Project
from xuncha_site.core.records import MAX_RECORD_BYTES, split_front_matter

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(
    max_examples=int(os.environ.get("XUNCHA_HYPOTHESIS_EXAMPLES", "10000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PER_CASE_SECONDS = 10.0
HUGE_CASE_SECONDS = 60.0
MEMORY_LIMIT = 2 * 1024**3  # address space of the process that imports one huge file
HAN = re.compile("[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Importer:
    root: Path
    project: Project


@pytest.fixture(scope="module")
def importer() -> Iterator[Importer]:
    root = Path(tempfile.mkdtemp(prefix="xuncha-import-hostile-"))
    try:
        yield Importer(root, load_site(make_site(root / "site")).project)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@dataclass(frozen=True)
class Outcome:
    code: int
    report: str  # what the command printed for the editor
    record: str  # the record it would write ("" when it refused the file)
    seconds: float
    cpu_seconds: float  # this process's CPU time: what a busy machine changes least


def run_import(importer: Importer, raw: bytes, suffix: str) -> Outcome:
    path = importer.root / f"received{suffix}"
    path.write_bytes(raw)
    report, record = io.StringIO(), io.StringIO()
    started, cpu = time.monotonic(), time.process_time()
    with contextlib.redirect_stderr(report):
        code, written = import_one(path, importer.project, round_id=None, force=False, dry_run=True, out=record)
    assert written is None  # a dry run writes nothing
    seconds, cpu_seconds = time.monotonic() - started, time.process_time() - cpu
    return Outcome(code, report.getvalue(), record.getvalue(), seconds, cpu_seconds)


def assert_clean(outcome: Outcome, limit: float = PER_CASE_SECONDS) -> None:
    """A Chinese error and no record, or a record the site reads back with the importer's problem tree."""
    assert outcome.seconds < limit
    assert outcome.code in (0, 1)
    assert "Traceback" not in outcome.report and "内部错误" not in outcome.report, outcome.report
    if not outcome.record:
        assert outcome.code == 1
        errors = [line for line in outcome.report.splitlines() if line.strip().startswith("错误：")]
        assert errors and all(HAN.search(line) for line in errors), outcome.report
        return
    assert len(outcome.record.encode("utf-8")) <= MAX_RECORD_BYTES  # the loader reads no bigger record
    diags = Diagnostics()
    front = split_front_matter(outcome.record, "记录", diags)
    assert front is not None and front.node is not None, [d.format() for d in diags.items]
    parse_body(front.body, "记录", front.body_line, diags)
    assert [d.format() for d in diags.items if d.level.name == "ERROR"] == []


def check(importer: Importer, raw: bytes, suffix: str) -> None:
    assert_clean(run_import(importer, raw, suffix))


# --- inputs -----------------------------------------------------------------------------------------------------------

NOTICE_WORDS = [
    "一、", "二、", "（一）", "（二）", "1.", "2.", "(1)", "问题", "整改", "完成情况：", "已完成", "正在整改", "基本完成",
    "整改措施：", "一是", "二是", "反馈", "巡察", "市委第一巡察组", "党组", "中共", "通报", "现将", "予以公布。",
    "2024年3月1日", "6月10日", "联系电话：0123-6000001", "电子邮箱：a@b.example", "邮政编码：100001", "来源：",
    "发布时间：", "。", "，", "；", "：", "\n", "\n\n", "\t", "\u3000", " ", "#", "---", "|", "*", "<", ">", "&",
]  # fmt: skip
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "utf-32"]
NEWLINES = ["\n", "\r\n", "\r"]

notice_like_text = st.lists(st.sampled_from(NOTICE_WORDS) | st.text(max_size=12), max_size=300).map("".join)
encoded_text = st.builds(
    lambda text, encoding, newline: text.replace("\n", newline).encode(encoding, errors="replace"),
    notice_like_text | st.text(max_size=3000),
    st.sampled_from(ENCODINGS),
    st.sampled_from(NEWLINES),
)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


mutation = st.tuples(
    st.integers(min_value=0, max_value=200_000),
    st.integers(min_value=0, max_value=200),
    st.binary(max_size=16)
    | st.sampled_from(
        [b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"<", b">", b"</div>", b"<table>", b"<!--"]
    ),
)


def mutate(original: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    data = bytearray(original)
    for position, deleted, inserted in edits:
        position = position % (len(data) + 1)
        data[position : position + deleted] = inserted
    return bytes(data)


TAGS = ["div", "p", "span", "font", "table", "tr", "td", "th", "h1", "h2", "h3", "ul", "li", "br", "a", "b", "center",
        "script", "style", "nav", "footer", "header", "iframe", "form", "svg", "math", "template", "x-custom", "o:p"]  # fmt: skip
CLASSES = ["content", "TRS_Editor", "zoom", "article-content", "nav", "footer", "share", "print", "title", "position",
           "main", "text", "con", "detail"]  # fmt: skip


@st.composite
def html_junk(draw: st.DrawFn, depth: int = 0) -> str:
    """Random, often broken HTML of the kinds CMS pages are made of."""
    parts = []
    for _ in range(draw(st.integers(min_value=0, max_value=6 if depth < 6 else 0))):
        kind = draw(st.sampled_from(["text", "element", "element", "broken"]))
        if kind == "text":
            parts.append(draw(notice_like_text))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = ""
            if draw(st.booleans()):
                attrs += f' class="{draw(st.sampled_from(CLASSES))}"'
            if draw(st.booleans()):
                attrs += f' colspan="{draw(st.integers(min_value=-5, max_value=50))}"'
            inner = draw(html_junk(depth + 1)) if depth < 6 else ""
            closing = f"</{tag}>" if kind == "element" else draw(st.sampled_from(["", f"</{tag}", "<", f"</{tag}>>"]))
            parts.append(f"<{tag}{attrs}>{inner}{closing}")
    return "".join(parts)


html_page = st.builds(
    lambda head, body, encoding: (
        f'<html><head><meta charset="{encoding}"><title>{head}</title></head><body>{body}</body></html>'
    ).encode(encoding, errors="replace"),
    notice_like_text,
    html_junk(),
    st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)


def docx_bytes(paragraphs: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


VALID_DOCX = docx_bytes(["中共某局党组关于巡察整改进展情况的通报", "一、组织整改情况", "二、问题整改情况", "1.问题一"])
# Only what XML 1.0 allows: python-docx cannot write anything else into a document.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
clean_paragraphs = notice_like_text.map(lambda text: [NOT_XML.sub("", text)])


# --- properties: the fast subset -------------------------------------------------------------------------------------


@FAST
@given(encoded_text)
# A signature date without a year that nothing dates ("6月10日" alone): it is kept in the comment of notice_date.
@example(raw="6月10日".encode())
def test_random_text_in_any_encoding_gives_a_record_or_a_chinese_error(importer, raw):
    check(importer, raw, ".txt")


@FAST
@given(st.sampled_from(TEXT_FIXTURES), st.lists(mutation, min_size=1, max_size=8))
def test_mutated_notices_give_a_record_or_a_chinese_error(importer, name, edits):
    check(importer, mutate(fixture_bytes(name), edits), ".txt")


@FAST
@given(html_page)
def test_html_junk_gives_a_record_or_a_chinese_error(importer, raw):
    check(importer, raw, ".html")


@FAST
@given(st.sampled_from(PAGE_FIXTURES), st.lists(mutation, min_size=1, max_size=8))
# A cell left open (`<tr><td` and the rest of the page): the rest is one table cell whose lines the writer joins
# with <br>; the accounting once looked for them with the <br> inside and called them lost.
@example(name="cms-page.html", edits=[(2525, 49, b"")])
# A tag left open (`<br\t[打印]</a>`) takes the next widget's "[" with it: "关闭]" is the widget 关闭 the report lists.
@example(name="portal-gbk.html", edits=[(1563, 114, b"\t")])
def test_mutated_web_pages_give_a_record_or_a_chinese_error(importer, name, edits):
    check(importer, mutate(fixture_bytes(name), edits), ".html")


@FAST
@given(st.lists(mutation, min_size=1, max_size=4))
def test_damaged_word_files_give_a_record_or_a_chinese_error(importer, edits):
    check(importer, mutate(VALID_DOCX, edits), ".docx")


@FAST
@given(st.binary(max_size=4000), st.sampled_from([".txt", ".html", ".docx"]))
def test_random_bytes_give_a_record_or_a_chinese_error(importer, raw, suffix):
    check(importer, raw, suffix)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clean_paragraphs)
def test_word_files_with_random_text_give_a_record_or_a_chinese_error(importer, paragraphs):
    check(importer, docx_bytes(paragraphs), ".docx")


# --- known hostile files ---------------------------------------------------------------------------------------------


def zip_with(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_with_body(body_xml: str) -> bytes:
    """VALID_DOCX with its document body replaced."""
    with zipfile.ZipFile(io.BytesIO(VALID_DOCX)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    document = members["word/document.xml"].decode("utf-8")
    start, end = document.index("<w:body>") + len("<w:body>"), document.index("</w:body>")
    members["word/document.xml"] = (document[:start] + body_xml + document[end:]).encode("utf-8")
    return zip_with(members)


def docx_bomb() -> bytes:
    """VALID_DOCX whose document unpacks to 300 MB of empty paragraphs (it is about 300 KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID_DOCX)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info.filename, source.read(info))
        with bomb.open("word/document.xml", "w", force_zip64=True) as document:
            document.write(
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            )
            chunk = b"<w:p/>" * 1_000_000
            for _ in range(50):
                document.write(chunk)
            document.write(b"</w:body></w:document>")
    return buffer.getvalue()


NOTICE = fixture_bytes("categories.txt")
PARAGRAPH = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
NUMBERING = '<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>一</w:t></w:r></w:p>'
# Each case is made when its test runs: some are large.
KNOWN = {
    "empty": lambda: (b"", ".txt"),
    "blank": lambda: (b" \n\r\n\t\xe3\x80\x80\n", ".txt"),
    "bom-only": lambda: (b"\xef\xbb\xbf", ".txt"),
    "utf8-bom-crlf": lambda: (b"\xef\xbb\xbf" + NOTICE.replace(b"\n", b"\r\n"), ".txt"),
    "cr-only": lambda: (NOTICE.replace(b"\n", b"\r"), ".txt"),
    "utf16-no-bom": lambda: (NOTICE.decode("utf-8").encode("utf-16-le"), ".txt"),
    "gbk": lambda: (NOTICE.decode("utf-8").encode("gb18030"), ".txt"),
    "nul-bytes": lambda: (NOTICE[:200] + b"\x00" * 50 + NOTICE[200:], ".txt"),
    "bad-utf16-bom": lambda: (b"\xff\xfe" + b"\x00\xd8" * 10, ".txt"),
    "many-blank-lines": lambda: (b"\n" * 1_000_000 + NOTICE, ".txt"),
    "control-characters": lambda: (bytes(range(1, 32)) * 100, ".txt"),
    "html-empty": lambda: (b"<html></html>", ".html"),
    "html-scripts-only": lambda: (b"<script>" + NOTICE + b"</script><style>x</style>", ".html"),
    "html-deep-nesting": lambda: (b"<html><body>" + b"<div>" * 100_000 + NOTICE + b"</div>" * 100_000, ".html"),
    "html-deep-unclosed": lambda: (b"<body>" + b"<font><span>" * 20_000 + NOTICE, ".html"),
    "html-nested-just-under-the-limit": lambda: (b"<body>" + b"<div><span>" * 120 + NOTICE, ".html"),
    "html-deep-content": lambda: (b'<div class="content">' * 3_000 + NOTICE, ".html"),
    "html-many-elements": lambda: (b"<p>" + b"<b>x</b>" * 400_000, ".html"),
    "html-huge-colspan": lambda: (
        b'<div class="content"><p>' + NOTICE + b"</p><table><tr><td colspan=99999999999999999999>a</td>"
        b"<td colspan=900000000>b</td><td colspan=\xc2\xb2>c</td></tr></table></div>",
        ".html",
    ),
    "html-bad-charset": lambda: (b'<meta charset="gb\x002312"><p>' + NOTICE, ".html"),
    "html-wrong-charset": lambda: (b'<meta charset="utf-16">' + NOTICE, ".html"),
    "html-entities": lambda: (b"<p>" + b"&#x0;&#xD800;&#99999999;&nbsp;&amp;" * 1000 + b"</p>", ".html"),
    "docx-not-a-zip": lambda: (NOTICE, ".docx"),
    "docx-empty-zip": lambda: (zip_with({}), ".docx"),
    "docx-no-document": lambda: (zip_with({"[Content_Types].xml": b"<Types/>"}), ".docx"),
    "docx-zip-bomb": lambda: (docx_bomb(), ".docx"),
    "docx-huge-text-node": lambda: (docx_with_body(PARAGRAPH.format("字" * 12_000_000)), ".docx"),
    "docx-billion-laughs": lambda: (
        docx_with_body("").replace(
            b"<?xml",
            b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><?xml',
            1,
        ),
        ".docx",
    ),
    "docx-huge-grid-span": lambda: (
        docx_with_body(
            '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="100000000"/></w:tcPr>'
            + PARAGRAPH.format("格")
            + "</w:tc></w:tr></w:tbl>"
        ),
        ".docx",
    ),
    "docx-bad-grid-span": lambda: (
        docx_with_body('<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="x"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>'),
        ".docx",
    ),
    "docx-deep-tables": lambda: (
        docx_with_body("<w:tbl><w:tr><w:tc>" * 3_000 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 3_000),
        ".docx",
    ),
    "docx-bad-numbering": lambda: (
        docx_with_body(NUMBERING.format(ilvl="99999", num="-1") + NUMBERING.format(ilvl="x", num="1")),
        ".docx",
    ),
}


# Large inputs that must be read in time proportional to their size: (make(n), n for the default suite, n at full size).
# The default suite reads each at n and at 4n and requires the larger read to take at most LINEAR_RATIO times as much
# CPU time, plus LINEAR_ALLOWANCE (CPU time, because on a busy machine the wall-clock time of a linear read once went
# from 0.54 to 7.22 s): a reader gone quadratic takes 16 times as long. `pytest -m long` reads them at full size (tens
# of seconds each) within HUGE_CASE_SECONDS.
SCALED = {
    "one-long-line": (lambda n: ("现将整改情况予以公布。".encode() * n, ".txt"), 5_000, 200_000),
    "many-headings": (lambda n: ("一、问题\n（一）问题\n1.问题\n".encode() * n, ".txt"), 1_000, 20_000),
    "html-many-elements-under-the-limit": (
        lambda n: (b'<div class="content"><p>' + b"<b>x</b>" * n + NOTICE, ".html"),
        2_500,
        45_000,
    ),
    "docx-many-paragraphs": (lambda n: (docx_with_body(PARAGRAPH.format("一、问题") * n), ".docx"), 1_000, 100_000),
}
LINEAR_RATIO = 6.0
LINEAR_ALLOWANCE = 1.0  # seconds


def grows_linearly(small_seconds: float, large_seconds: float) -> bool:
    """Whether reading four times the input took no more than linear time allows (see SCALED)."""
    return large_seconds <= LINEAR_RATIO * small_seconds + LINEAR_ALLOWANCE


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail once ``seconds`` have passed, even inside one long regular-expression search (which checks for signals),
    so that a pattern gone quadratic fails the test instead of hanging the suite."""

    def expired(signum: int, frame: object) -> None:
        pytest.fail(f"导入超过 {seconds} 秒仍未结束")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_hostile_files(importer, name):
    raw, suffix = KNOWN[name]()
    with time_limit(HUGE_CASE_SECONDS):
        outcome = run_import(importer, raw, suffix)
    assert_clean(outcome, limit=HUGE_CASE_SECONDS)


@pytest.mark.parametrize("name", sorted(SCALED))
def test_large_inputs_are_read_in_time_proportional_to_their_size(importer, name):
    make, small, _ = SCALED[name]
    seconds = []
    for size in (small, 4 * small):
        raw, suffix = make(size)
        with time_limit(HUGE_CASE_SECONDS):
            outcome = run_import(importer, raw, suffix)
        assert_clean(outcome, limit=HUGE_CASE_SECONDS)
        seconds.append(outcome.cpu_seconds)
    assert grows_linearly(*seconds), f"输入大 4 倍，CPU 用时从 {seconds[0]:.2f} 秒增到 {seconds[1]:.2f} 秒"


def test_the_linear_time_check_tells_linear_from_quadratic():
    # Measured on a loaded 2-core machine (docx-many-paragraphs at 2,500 and 10,000: 1.41 and 5.72 s): linear passes,
    # and a large read 16 times the small one fails once the small read takes 0.3 s or more (the sizes in SCALED take
    # 0.5-1.5 s), and a linear one still passes when the large read alone is slowed half as much again (8.6 s).
    assert grows_linearly(1.41, 5.72) and grows_linearly(1.41, 1.5 * 5.72)
    assert not grows_linearly(1.41, 16 * 1.41) and not grows_linearly(0.3, 16 * 0.3)


def test_a_page_nested_near_the_limit_is_read_from_deep_in_a_caller_stack():
    """The page reader walks up from each text to the article by identity: comparing tags (``in .parents``) recursed
    through the whole nested page and ran out of stack when the caller was a few hundred frames deep (it failed
    under pytest-xdist's worker, whose frames come first)."""
    from xuncha_site.importer.webpage import read_page

    raw = "<body><p>网站导航</p>".encode() + b"<div><span>" * 120 + NOTICE

    def deep(levels: int):
        return deep(levels - 1) if levels else read_page(raw, "nested.html")

    document = deep(sys.getrecursionlimit() - 300)
    assert any("整改" in block.text for block in document.blocks)


# Long runs of one kind of character in a line: every pattern that reads them must take time in proportion to their
# length, not to its square (these took minutes to hours before their patterns were bounded).
LONG_RUNS = {
    "latin": "联系电话：" + "x" * 100_000,
    "digits": "联系电话：反馈的" + "1" * 20_000,
    "hashes": "#" * 100_000 + "x",
    "chinese-numerals": "十二届" + "一" * 100_000,
    "spaces-in-a-heading": "一、问题" + " " * 100_000 + "（已完成）",
    "font-size-widget": "字体" + " " * 100_000,
}


@pytest.mark.parametrize("name", sorted(LONG_RUNS))
def test_long_runs_in_a_line_are_read_in_linear_time(importer, name):
    with time_limit(15):
        outcome = run_import(importer, LONG_RUNS[name].encode("utf-8"), ".txt")
    assert_clean(outcome, limit=15)


def test_a_file_over_the_size_limit_is_refused_in_chinese(importer):
    outcome = run_import(importer, b"x" * (20 * 1024 * 1024 + 1), ".txt")
    assert outcome.code == 1 and "文件过大" in outcome.report and not outcome.record


# A guard that refuses a file up front must be the one that answers: without it the reader above would still end in a
# clean error or a record within HUGE_CASE_SECONDS, but only after seconds of work and gigabytes of memory.


def test_a_word_zip_bomb_is_refused_before_it_is_unpacked(importer):
    outcome = run_import(importer, docx_bomb(), ".docx")
    assert outcome.code == 1 and "Word 文件解压后过大" in outcome.report and not outcome.record
    assert outcome.seconds < 2  # unpacked, it takes >10 s and >6 GB


def test_a_web_page_with_too_many_tags_is_refused_before_it_is_parsed(importer):
    outcome = run_import(importer, b"<p>" + b"<b>x</b>" * 400_000, ".html")
    assert outcome.code == 1 and "网页的标签过多" in outcome.report and not outcome.record
    assert outcome.seconds < 2  # parsed, it takes >10 s


def test_a_huge_file_just_under_the_limit_imports_in_bounded_memory(tmp_path):
    # In a process of its own whose address space is capped: exceeding it would end in MemoryError, not in a record.
    big = tmp_path / "big.txt"
    big.write_bytes((NOTICE + b"\n") * ((19 * 1024 * 1024) // (len(NOTICE) + 1)))
    config = make_site(tmp_path / "site")
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
        "from xuncha_site.commands.cli import main\n"
        f"sys.exit(main(['import', '--dry-run', '-f', {str(config)!r}, {str(big)!r}]))\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert time.monotonic() - started < 120
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "MemoryError" not in done.stderr


def test_the_memory_cap_of_the_huge_file_test_can_be_hit():
    # The cap is real: the same process cannot allocate more than MEMORY_LIMIT.
    code = (
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
        f"x = bytearray({MEMORY_LIMIT})\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "MemoryError" in done.stderr


def test_every_fixture_still_imports_cleanly(importer, tmp_path):
    for name in (*TEXT_FIXTURES, *PAGE_FIXTURES, "numbered.docx", "typed.docx"):
        path = fixture_file(name, tmp_path)
        outcome = run_import(importer, path.read_bytes(), path.suffix)
        assert_clean(outcome)
        assert outcome.record, name


# --- the long run ----------------------------------------------------------------------------------------------------


@pytest.mark.long
@LONG
@given(encoded_text)
def test_long_run_random_text(importer, raw):
    check(importer, raw, ".txt")


@pytest.mark.long
@LONG
@given(st.sampled_from(TEXT_FIXTURES), st.lists(mutation, min_size=1, max_size=10))
def test_long_run_mutated_notices(importer, name, edits):
    check(importer, mutate(fixture_bytes(name), edits), ".txt")


@pytest.mark.long
@LONG
@given(html_page)
def test_long_run_html_junk(importer, raw):
    check(importer, raw, ".html")


@pytest.mark.long
@LONG
@given(st.sampled_from(PAGE_FIXTURES), st.lists(mutation, min_size=1, max_size=10))
def test_long_run_mutated_web_pages(importer, name, edits):
    check(importer, mutate(fixture_bytes(name), edits), ".html")


@pytest.mark.long
@LONG
@given(st.lists(mutation, min_size=1, max_size=6))
def test_long_run_damaged_word_files(importer, edits):
    check(importer, mutate(VALID_DOCX, edits), ".docx")


@pytest.mark.long
@pytest.mark.parametrize("name", sorted(SCALED))
def test_long_large_inputs_at_full_size(importer, name):
    make, _, full = SCALED[name]
    raw, suffix = make(full)
    with time_limit(HUGE_CASE_SECONDS):
        outcome = run_import(importer, raw, suffix)
    assert_clean(outcome, limit=HUGE_CASE_SECONDS)
