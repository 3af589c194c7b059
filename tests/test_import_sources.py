"""Reading files as received: text in every encoding and line ending, Word documents, saved web pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import FIXTURES, make_docx_module

from xuncha_site.core.loader import slugify
from xuncha_site.importer.metadata import read_meta_line
from xuncha_site.importer.mirror import clean_title
from xuncha_site.importer.parse import parse_notice
from xuncha_site.importer.sources import SourceError, decode_text, read_source
from xuncha_site.importer.word import chinese_counting

TEXT = (FIXTURES / "categories.txt").read_text(encoding="utf-8")
ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", b"\xef\xbb\xbf"),
    ("gb18030", b""),
    ("gbk", b""),
    ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""),
    ("utf-16-be", b""),
]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize(("codec", "bom"), ENCODINGS)
def test_text_reads_the_same_in_every_encoding_and_line_ending(tmp_path: Path, codec: str, bom: bytes, newline: str):
    path = tmp_path / "notice.txt"
    path.write_bytes(bom + TEXT.replace("\n", newline).encode(codec))
    assert [b.text for b in read_source(path).blocks] == [line for line in TEXT.split("\n") if line]


def test_text_with_ascii_punctuation_reads_like_full_width(tmp_path: Path):
    ascii_text = TEXT.translate(str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"}))
    path = tmp_path / "notice.txt"
    path.write_text(ascii_text, encoding="utf-8")
    wide, narrow = parse_notice(read_source(FIXTURES / "categories.txt")), parse_notice(read_source(path))
    assert (narrow.facts, narrow.counts, narrow.issuer, narrow.notice_date) == (
        wide.facts,
        wide.counts,
        wide.issuer,
        wide.notice_date,
    )
    assert narrow.contact and wide.contact and narrow.contact.contact.phones == wide.contact.contact.phones
    assert len(narrow.problems) == len(wide.problems) == 2


def test_encoding_is_named_in_the_report_kind(tmp_path: Path):
    path = tmp_path / "notice.txt"
    path.write_bytes(TEXT.encode("gb18030"))
    assert read_source(path).kind == "GB18030/GBK 文本"


def test_binary_data_is_not_taken_for_text():
    with pytest.raises(SourceError, match=r"不是文本文件|无法识别文件编码"):
        decode_text(bytes(range(256)) * 4, "x.txt")


def test_word_numbering_labels_are_recomputed(tmp_path: Path):
    texts = [b.text for b in read_source(make_docx_module().numbered_docx(tmp_path / "n.docx")).blocks]
    assert "一、组织整改落实情况" in texts and "二、巡察反馈问题整改进展情况" in texts and "三、下一步工作打算" in texts
    assert "（一）关于审计监督作用发挥不充分的问题" in texts and "（二）关于内部管理不规范的问题" in texts
    # 1. restarts under each category, as Word shows it
    assert texts.count("1.审计发现问题整改跟踪不到位。") == 1 and "1.公务用车管理不严格。" in texts


def test_word_line_break_splits_a_paragraph(tmp_path: Path):
    texts = [b.text for b in read_source(make_docx_module().typed_docx(tmp_path / "t.docx")).blocks]
    assert texts[-2:] == ["中共青岚市统计局党组", "2023年11月10日"]


def test_word_indentation_spaces_are_dropped(tmp_path: Path):
    texts = [b.text for b in read_source(make_docx_module().typed_docx(tmp_path / "t.docx")).blocks]
    assert texts[0] == "中共青岚市统计局党组关于巡察整改进展情况的通报"


@pytest.mark.parametrize(("value", "text"), [(1, "一"), (10, "十"), (14, "十四"), (20, "二十"), (23, "二十三")])
def test_chinese_counting_matches_word(value: int, text: str):
    assert chinese_counting(value) == text


def test_page_keeps_the_article_and_drops_the_chrome():
    document = read_source(FIXTURES / "cms-page.html")
    texts = [b.text for b in document.blocks]
    assert texts[0] == "中共青岚县水利局党组关于市委专项巡察整改进展情况的通报"
    assert texts[-2:] == ["中共青岚县水利局党组", "2024年6月28日"]
    assert not any("当前位置" in t or "版权所有" in t or "分享到" in t for t in texts)
    assert any("当前位置" in d.text for d in document.dropped) and any("ICP备" in d.text for d in document.dropped)


def test_page_lines_broken_in_the_html_source_join_without_spaces():
    first = read_source(FIXTURES / "cms-page.html").blocks[1].text
    assert "专项巡察。6月5日" in first and not first.startswith(" ")


def test_page_info_bar_facts_are_kept():
    facts = read_source(FIXTURES / "cms-page.html").facts
    assert (facts.name, facts.published, facts.editor) == ("青岚廉政网", "2024-07-01 09:30", "王某")


def test_portal_page_in_gbk_with_index_number_table():
    document = read_source(FIXTURES / "portal-gbk.html")
    assert document.facts.index_no == "113700000000000000/2024-00217"
    assert document.blocks[0].text == "中共青岚市生态环境局党组关于巡察整改情况的通报"
    assert "2.生态环境执法力度不够。整改情况：开展执法专项行动，立案查处环境违法案件17起。" in [
        b.text for b in document.blocks
    ]


def test_page_without_text_is_an_error(tmp_path: Path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><div class='nav'><a>首页</a></div></body></html>", encoding="utf-8")
    with pytest.raises(SourceError, match="找不到通报正文"):
        read_source(path)


@pytest.mark.parametrize(
    ("line", "facts"),
    [
        ("来源：张家界廉政网", {"name": "张家界廉政网"}),
        ("编辑:谢航", {"editor": "谢航"}),
        ("本文链接：http://example.gov.cn/a/1.html", {"url": "http://example.gov.cn/a/1.html"}),
        (
            "来源：青岚廉政网  发布时间：2023-10-25 09:30  【字体：大 中 小】【打印】【关闭】",
            {"name": "青岚廉政网", "published": "2023-10-25 09:30"},
        ),
        ("发布日期：2020年12月07日", {"published": "2020年12月07日"}),
        ("信息索引号：000000000/2023-00123", {"index_no": "000000000/2023-00123"}),
    ],
)
def test_web_metadata_lines_are_read(line: str, facts: dict[str, str]):
    found = read_meta_line(line)
    assert found is not None
    assert {k: v for k, v in vars(found.facts).items() if v} == facts


@pytest.mark.parametrize("line", ["来源于群众来信的问题已全部办结。", "编辑部工作人员参加了学习。", "本文链接：见附件"])
def test_sentences_that_start_like_metadata_are_not_metadata(line: str):
    assert read_meta_line(line) is None


BIG5_TEXT = (
    "中共青嵐市水務局黨組關於巡察整改進展情況的通報\n根據市委統一部署，市委第二巡察組對市水務局黨組進行了巡察。\n"
)


def test_big5_text_is_read_as_big5_not_as_gb18030(tmp_path: Path):
    path = tmp_path / "notice.txt"
    path.write_bytes(BIG5_TEXT.encode("big5"))
    document = read_source(path)
    assert document.kind == "Big5（繁体中文） 文本"
    assert [b.text for b in document.blocks] == BIG5_TEXT.split()
    assert document.blocks[0].text.encode("big5") == BIG5_TEXT.split()[0].encode("big5")


@pytest.mark.parametrize("length", [20, 60, None])
def test_gb_text_is_still_read_as_gb18030(tmp_path: Path, length: int | None):
    path = tmp_path / "notice.txt"
    path.write_bytes(TEXT[:length].encode("gb18030"))
    assert read_source(path).kind == "GB18030/GBK 文本"


def test_encoding_that_cannot_be_told_is_reported_as_uncertain(tmp_path: Path):
    path = tmp_path / "notice.txt"
    path.write_bytes(bytes.fromhex("b0a1b0a2b0a3c0a1c0a2c0a3") * 4)
    document = read_source(path)
    assert "编码不确定" in document.kind
    assert any("文件编码不确定" in note for note in document.notes)


MIRROR = """---
title: "青岚大学->中共青岚大学委员会关于巡视整改进展情况的通报 | 镜像站"
date: 2024-01-05 09:00:00
source: https://www.qlu.example/info/1/2.htm
tags: [巡视]
---

根据省委统一部署，省委第一巡视组对青岚大学党委开展了常规巡视。

<!--more-->

**一、党委履行巡视整改主体责任情况**

## 二、巡视反馈问题整改落实情况

1\\. 学习不够深入。见[方案](https://www.qlu.example/f.pdf)。

| 序号 | 事项 |
| --- | --- |
| 1 | 学习 |
"""


def test_mirror_markdown_is_read_as_the_notices_lines(tmp_path: Path):
    path = tmp_path / "notice.md"
    path.write_text(MIRROR, encoding="utf-8")
    document = read_source(path)
    assert [b.text for b in document.blocks] == [
        "中共青岚大学委员会关于巡视整改进展情况的通报",
        "根据省委统一部署，省委第一巡视组对青岚大学党委开展了常规巡视。",
        "一、党委履行巡视整改主体责任情况",
        "二、巡视反馈问题整改落实情况",
        "1. 学习不够深入。见方案。",
        "| 序号 | 事项 |\n| --- | --- |\n| 1 | 学习 |",
    ]
    assert document.blocks[-1].table
    assert (document.facts.url, document.facts.published) == (
        "https://www.qlu.example/info/1/2.htm",
        "2024-01-05 09:00:00",
    )
    dropped = [d.text for d in document.dropped]
    assert "tags: [巡视]" in dropped and "<!--more-->" in dropped and "https://www.qlu.example/f.pdf" in dropped
    assert "青岚大学 / 镜像站" in dropped


def test_markdown_in_a_txt_file_is_recognised(tmp_path: Path):
    path = tmp_path / "notice.txt"
    path.write_text(MIRROR, encoding="utf-8")
    assert read_source(path).kind == "UTF-8 文本（Markdown）"


def test_plain_text_is_not_read_as_markdown(tmp_path: Path):
    path = tmp_path / "notice.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert read_source(path).kind == "UTF-8 文本"


@pytest.mark.parametrize(
    ("title", "clean"),
    [
        (
            "南开大学->中共南开大学委员会关于巡视整改进展情况的通报 | 镜像",
            "中共南开大学委员会关于巡视整改进展情况的通报",
        ),
        (
            "中共青岚县水利局党组关于巡察整改进展情况的通报_巡察整改_青岚廉政网",
            "中共青岚县水利局党组关于巡察整改进展情况的通报",
        ),
        (
            "中共青岚市水务局党组关于巡察整改进展情况的通报-青岚市水务局",
            "中共青岚市水务局党组关于巡察整改进展情况的通报",
        ),
        ("中共青岚市水务局党组关于巡察整改进展情况的通报", "中共青岚市水务局党组关于巡察整改进展情况的通报"),
    ],
)
def test_page_titles_lose_the_site_name(title: str, clean: str):
    assert clean_title(title)[0] == clean


@pytest.mark.parametrize(
    ("line", "facts", "chrome"),
    [
        ("2021-02-23 12:42:06来源:广州市某局", {"published": "2021-02-23 12:42:06", "name": "广州市某局"}, []),
        ("来源:本网   时间:2023-02-09 18:18:56   浏览:-", {"name": "本网", "published": "2023-02-09 18:18:56"}, ["浏览:-"]),
        ("发布时间: 2025-05-28   信息来源:市委巡察办   访问量:0   保护视力色:", {"published": "2025-05-28", "name": "市委巡察办"},
         ["访问量:0", "保护视力色:"]),
        ("（责任编辑：王某）", {"editor": "王某"}, []),
        ("字体大小:", {}, ["字体大小:"]),
    ],
)  # fmt: skip
def test_info_bar_lines_keep_facts_and_report_counters(line: str, facts: dict[str, str], chrome: list[str]):
    found = read_meta_line(line)
    assert found is not None
    assert {k: v for k, v in vars(found.facts).items() if v} == facts
    assert list(found.chrome) == chrome


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("通报", "tong-bao"),
        ("市12345热线办公室党支部", "shi-12345-re-xian-ban-gong-shi-dang-zhi-bu"),
        ("市气象局党组", "shi-qi-xiang-ju-dang-zu"),
    ],
)
def test_slugs_are_pinyin_words_and_keep_letters_and_digits_whole(name: str, slug: str):
    assert slugify(name) == slug


def test_a_mirror_front_matter_with_a_yaml_alias_bomb_is_not_expanded() -> None:
    """A received mirror's front matter goes through the guarded composer before it is loaded: nine levels of nine
    aliases (9**9 strings in safe_load, gigabytes) are refused at once and reported as unreadable front matter."""
    import resource
    import time

    from xuncha_site.importer.mirror import read_markdown

    levels = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = "\n".join(["---", "title: 某单位巡察整改进展情况的通报", *levels, "---", "", "一、整改工作情况", ""])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    found = read_markdown(text)
    assert time.process_time() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB: nothing was expanded
    assert "文件开头的前置信息（--- 之间）无法读取，已略去" in found.notes
    assert "一、整改工作情况" in found.lines
