"""The notice body: preamble, parts and the problem tree in every shape DESIGN §2 lists."""

from __future__ import annotations

from xuncha_site.core.body import parse_body
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.model import Status, derive, derive_counts


def parse(text: str) -> tuple:
    diags = Diagnostics()
    body = parse_body(text, "n.md", 1, diags)
    return body, diags


def test_preamble_is_the_text_before_the_first_part() -> None:
    body, _ = parse("根据市委统一部署……予以公布。\n\n## 一、组织整改情况\n\n正文。\n")
    assert body.preamble == "根据市委统一部署……予以公布。"
    assert [p.title for p in body.parts] == ["一、组织整改情况"]


def test_categories_then_problems_with_status_lines() -> None:
    body, diags = parse(
        "## 二、整改情况\n\n截至目前……\n\n### （一）类别甲\n\n#### 1.问题一\n\n整改措施：（1）甲。（2）乙。\n\n完成情况：已完成\n\n"
        "#### 2.问题二\n\n整改情况：正在推进。\n\n完成情况：正在整改\n\n### （二）类别乙\n\n#### 1.问题三\n\n整改情况：长期抓。\n\n整改进度：长期坚持\n"
    )
    part = body.problems_part
    assert part is not None and part.body == "截至目前……"
    assert [p.title for p in part.problems] == ["（一）类别甲", "（二）类别乙"]
    first = part.problems[0].children[0]
    assert (first.title, first.status, first.status_text) == ("1.问题一", Status.COMPLETED, "已完成")
    assert "完成情况" not in first.body and "（1）甲" in first.body
    counts = derive_counts(part.problems)
    # One counting level: the leaves (3), never the categories (2); every leaf states its status, so derived.
    assert (derive(part.problems).items, counts.completed, counts.in_progress, counts.long_term) == (3, 1, 1, 1)
    assert counts.completion_rate == 33.3
    assert not diags.items


def test_three_levels_aspect_problem_measure() -> None:
    body, _ = parse("## 二、问题整改\n\n### 第一方面问题\n\n#### （一）问题\n\n##### 1.具体问题\n\n完成情况：基本完成\n")
    leaf = body.problems_part.problems[0].children[0].children[0]
    assert (leaf.depth, leaf.title, leaf.status) == (3, "1.具体问题", Status.BASICALLY_COMPLETED)


def test_flat_list_without_statuses_derives_nothing() -> None:
    body, _ = parse("## 二、问题整改\n\n### 1.甲\n\n已整改。\n\n### 2.乙\n\n已整改。\n")
    derivation = derive(body.problems_part.problems)
    assert (derivation.items, derivation.complete) == (2, False)
    assert derive_counts(body.problems_part.problems).is_empty()


def test_category_heading_states_the_status_of_its_items() -> None:
    body, _ = parse(
        "## 二、整改情况\n\n### （一）已整改完成的问题\n\n#### 1.甲\n\n整改情况：……\n\n#### 2.乙\n\n……\n\n"
        "### （二）正在推进整改的问题\n\n#### 1.丙\n\n……\n\n#### 2.丁\n\n完成情况：阶段性完成\n"
    )
    done, going = body.problems_part.problems
    assert [(p.status, p.status_text, p.status_from) for p in done.children] == [
        (Status.COMPLETED, "已整改完成", "category")
    ] * 2
    assert (going.children[0].status, going.children[0].status_from) == (Status.IN_PROGRESS, "category")
    # An item's own stated status wins over its category's.
    assert (going.children[1].status_text, going.children[1].status_from) == ("阶段性完成", "line")
    assert (done.status, done.status_from) == (Status.UNKNOWN, "")
    counts = derive_counts(body.problems_part.problems)
    assert (counts.completed, counts.in_progress, counts.completion_rate) == (2, 2, 50.0)


def test_mixed_statuses_are_not_a_complete_derivation() -> None:
    body, _ = parse("## 二、问题整改\n\n### 1.甲\n\n完成情况：已完成\n\n### 2.乙\n\n整改情况：……\n")
    derivation = derive(body.problems_part.problems)
    assert (derivation.items, derivation.with_status, derivation.complete) == (2, 1, False)
    assert derive_counts(body.problems_part.problems).completed is None


def test_a_heading_about_a_topic_is_not_a_status() -> None:
    body, _ = parse("## 二、问题整改\n\n### （一）关于整改完成不及时的问题\n\n#### 1.甲\n\n……\n")
    assert body.problems_part.problems[0].children[0].status is Status.UNKNOWN


def test_status_in_heading_suffix() -> None:
    body, _ = parse("## 二、问题整改\n\n### 问题1：制度不健全（阶段性完成）\n\n整改情况：修订制度。\n")
    problem = body.problems_part.problems[0]
    assert (problem.title, problem.status, problem.status_text) == ("问题1：制度不健全", Status.IN_PROGRESS, "阶段性完成")


def test_parentheses_that_are_not_a_status_stay_in_the_title() -> None:
    body, _ = parse("## 二、问题整改\n\n### 1.落实《条例》（试行）不到位\n\n整改情况：……\n")
    problem = body.problems_part.problems[0]
    assert (problem.title, problem.status) == ("1.落实《条例》（试行）不到位", Status.UNKNOWN)


def test_every_status_word_of_the_notices_is_understood() -> None:
    words = {
        "已完成": Status.COMPLETED,
        "基本完成": Status.BASICALLY_COMPLETED,
        "阶段性完成": Status.IN_PROGRESS,
        "正在整改": Status.IN_PROGRESS,
        "长期坚持": Status.LONG_TERM,
        "未完成": Status.NOT_COMPLETED,
        "立行立改": Status.COMPLETED,
    }
    for word, status in words.items():
        body, _ = parse(f"## 二、问题整改\n\n### 1.问题\n\n完成情况:{word}\n")
        assert body.problems_part.problems[0].status is status, word


def test_a_long_paragraph_starting_with_a_label_is_body_text_not_a_status() -> None:
    text = "整改情况：已完成制度修订，并组织全体干部学习，下一步将持续巩固整改成果，确保问题不反弹，形成长效机制。"
    body, _ = parse(f"## 二、问题整改\n\n### 1.问题\n\n{text}\n")
    problem = body.problems_part.problems[0]
    assert problem.status is Status.UNKNOWN and problem.body == text


def test_only_the_first_part_with_subheadings_is_the_problems_part() -> None:
    body, diags = parse("## 二、问题\n\n### 1.甲\n\n## 三、打算\n\n### （一）巩固\n\n持续。\n")
    assert [p.is_problems for p in body.parts] == [True, False]
    assert "### （一）巩固" in body.parts[1].body
    assert diags.warnings


def test_headings_inside_code_fences_are_text() -> None:
    body, _ = parse("## 二、问题\n\n### 1.甲\n\n```\n## 不是标题\n```\n")
    assert len(body.parts) == 1 and "## 不是标题" in body.parts[0].problems[0].body


def test_level_one_heading_is_a_warning_and_kept_as_text() -> None:
    body, diags = parse("# 标题\n\n根据……\n")
    assert "标题" in body.preamble and diags.warnings


def test_problem_heading_before_any_part_is_an_error() -> None:
    _, diags = parse("### 1.问题\n")
    assert diags.errors and diags.errors[0].line == 1


def test_too_deep_problem_tree_is_an_error() -> None:
    _, diags = parse("## 二\n\n### a\n\n#### b\n\n##### c\n\n###### d\n")
    assert any("最多分三级" in d.message for d in diags.errors)


def test_a_category_with_its_own_stated_status_passes_it_to_items_without_one() -> None:
    body, _ = parse("## 二、问题整改\n\n### （一）关于学习的问题（已完成）\n\n#### 1.甲\n\n……\n\n#### 2.乙\n\n完成情况：正在整改\n")
    category = body.problems_part.problems[0]
    assert (category.status_text, category.status_from) == ("已完成", "title")
    assert [(p.status_text, p.status_from) for p in category.children] == [("已完成", "category"), ("正在整改", "line")]
