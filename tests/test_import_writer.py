"""Writing records: front matter that reads back exactly, Markdown that shows the text as written."""

from __future__ import annotations

import markdown
from hypothesis import given, settings, strategies as st
from import_helpers import missing_paragraphs, parse_record
from yaml.nodes import MappingNode

from xuncha_site.core.characters import forbidden_character
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.model import Contact
from xuncha_site.core.records import compose_yaml
from xuncha_site.importer.audit import account
from xuncha_site.importer.parse import parse_notice
from xuncha_site.importer.sources import Block, SourceDocument
from xuncha_site.importer.writer import FrontMatter, inline, paragraph, render_front_matter, render_record, yaml_scalar

# What a record may hold: no controls but tab, no lone surrogate, no direction override (xuncha_site.core.characters).
_RECORD_CHARACTERS = st.characters(blacklist_categories=("Cs",)).filter(lambda ch: forbidden_character(ch) is None)
_TEXT = st.text(_RECORD_CHARACTERS, min_size=1, max_size=40)


def _read_scalar(text: str) -> str:
    node = compose_yaml(f"key: {text}\n", "t", Diagnostics())
    assert isinstance(node, MappingNode)
    return str(node.value[0][1].value)


@settings(max_examples=300, deadline=None)
@given(_TEXT.filter(lambda s: "\n" not in s and "\r" not in s))
def test_any_one_line_value_reads_back_as_the_same_text(value: str):
    assert _read_scalar(yaml_scalar(value)) == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s))
def test_a_value_with_characters_no_record_may_hold_is_written_without_them(value: str):
    written = _read_scalar(yaml_scalar(value))
    assert forbidden_character(written) is None
    assert written.replace(" ", "") == "".join(ch for ch in value if forbidden_character(ch) is None).replace(" ", "")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(_TEXT.map(lambda s: s.replace("\r", "").replace("\n", "").strip()).filter(bool), min_size=1, max_size=4)
)
def test_contact_text_over_several_lines_reads_back_as_written(lines: list[str]):
    text = "\n".join(lines)
    front = render_front_matter(FrontMatter(round="r", unit="u", issuer="i", contact=Contact(text=text)))
    node = compose_yaml(front, "t", Diagnostics())
    assert isinstance(node, MappingNode)
    contact = dict((k.value, v) for k, v in node.value)["contact"]
    assert dict((k.value, v.value) for k, v in contact.value)["text"] == text


def test_postcode_and_phones_are_quoted_so_they_stay_text():
    front = render_front_matter(
        FrontMatter(round="r", unit="u", issuer="i", contact=Contact(phones=("12388",), postcode="010020"))
    )
    assert 'phones: ["12388"]' in front and 'postcode: "010020"' in front


def test_missing_required_fields_are_written_empty_with_a_hint():
    front = render_front_matter(
        FrontMatter(
            round="2023-r3", unit="市财政局党组", issuer="", comments={"issuer": "原文没有落款：请填写发布单位"}
        )
    )
    assert "issuer:  # 原文没有落款：请填写发布单位\nnotice_date:\npublished:\nstage:\n" in front


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"])


def test_paragraph_that_looks_like_markdown_shows_as_written():
    for text in (
        "# 不是标题",
        "> 不是引用",
        "- 不是列表",
        "1. 不是编号列表",
        "*重点*与_强调_",
        "`代码`",
        "[链接](x)",
        "<b>粗体</b>",
        "---",
    ):
        rendered = _html(paragraph(text))
        assert (
            "<h1" not in rendered and "<blockquote" not in rendered and "<li" not in rendered and "<em" not in rendered
        )
        assert "<code" not in rendered and "<a " not in rendered and "<b>" not in rendered and "<hr" not in rendered


def test_heading_ending_with_a_hash_keeps_it():
    assert _html("### " + inline("问题#")).startswith("<h3>问题#</h3>")


def test_record_body_has_parts_problems_and_status_lines_in_order():
    notice = parse_notice(
        SourceDocument(
            "t.txt",
            "文本",
            tuple(
                Block(t)
                for t in (
                    "根据市委统一部署，……予以公布。",
                    "一、整改情况",
                    "已完成。",
                    "二、巡察反馈问题整改情况",
                    "（一）类别",
                    "1.问题。",
                    "完成情况：已完成",
                    "三、下一步打算",
                    "持续整改。",
                )
            ),
        )
    )
    body = parse_record(render_record(FrontMatter(round="r", unit="u", issuer="i"), notice)).body
    assert (
        body
        == "\n根据市委统一部署，……予以公布。\n\n## 一、整改情况\n\n已完成。\n\n## 二、巡察反馈问题整改情况\n\n### （一）类别\n\n#### 1.问题。\n\n完成情况：已完成\n\n## 三、下一步打算\n\n持续整改。\n"
    )


def test_lossless_check_notices_a_dropped_paragraph():
    record = parse_record("---\nunit: 甲\n---\n\n第一段。\n\n第三段。\n")
    assert missing_paragraphs(["第一段。", "第二段。", "第三段。"], record) == ["第二段。"]


def test_lossless_check_notices_paragraphs_out_of_order():
    record = parse_record("---\nunit: 甲\n---\n\n第二段。\n\n第一段。\n")
    assert missing_paragraphs(["第一段。", "第二段。"], record) == ["第二段。"]


def test_audit_finds_a_line_in_neither_the_record_nor_the_report():
    found = account(
        ["标题行", "第一段。", "来源：青岚网 浏览量：12", "第二段。"], ["标题行"], "第一段。\n", ["浏览量：12"]
    )
    assert (found.kept, found.chrome, found.lost) == (2, 0, ("青岚网", "第二段。"))


def test_audit_counts_a_line_of_chrome_whose_facts_went_to_fields():
    found = account(["来源：青岚网　浏览量：12", "第一段。"], ["青岚网"], "第一段。\n", ["浏览量：12"])
    assert (found.kept, found.chrome, found.lost) == (2, 0, ())


def test_audit_does_not_let_a_short_chrome_line_move_the_place_searched():
    found = account(["巡察整改", "根据市委统一部署，现将巡察整改进展情况予以公布。"], [], "根据市委统一部署，现将巡察整改进展情况予以公布。\n",
                    ["当前位置：首页>巡察整改"])  # fmt: skip
    assert (found.kept, found.chrome, found.lost) == (1, 1, ())


def test_audit_takes_a_line_equal_to_a_field_for_that_field():
    # The title, then a paragraph that starts with it: found in the body, the title would hide the paragraph.
    found = account(["标题", "标题_网站名"], ["标题"], "标题\\_网站名\n", [])
    assert (found.kept, found.lost) == (2, ())
