"""Reading files as received: text in every encoding and line ending, Word documents, saved web pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import FIXTURES, make_docx_module

from xuncha_site.importer.metadata import read_meta_line
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
