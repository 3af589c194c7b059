"""Common problems (共性问题): the theme list, the matcher, the editor's marks and what `xuncha check` says about them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from recordkit import NOTICE_BODY, RecordSite, find, notice_text

from xuncha_site.core.diagnostics import Diagnostics, Level
from xuncha_site.core.model import Problem, Theme
from xuncha_site.core.themes import ThemeMatcher, load_themes, split_theme_marks

ROOT = Path(__file__).parent.parent
LABELLED = Path(__file__).parent / "fixtures" / "themes" / "labelled-titles.tsv"
PRECISION_MIN, RECALL_MIN = 0.9, 0.85


def default_themes() -> tuple[Theme, ...]:
    diags = Diagnostics()
    themes = load_themes(ROOT / "content", "content/themes.yml", diags)
    assert not diags.items, [d.format() for d in diags.sorted()]
    return themes


def labelled() -> list[tuple[str, set[str]]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        title, labels = line.split("\t")
        rows.append((title, set(filter(None, labels.split(",")))))
    return rows


def test_default_list_precision_and_recall_on_the_labelled_titles(capsys: pytest.CaptureFixture[str]) -> None:
    themes = default_themes()
    matcher = ThemeMatcher(themes)
    slugs = {theme.slug for theme in themes}
    rows = labelled()
    assert len(rows) >= 150
    true_pos = false_pos = false_neg = 0
    misses = []
    for title, wanted in rows:
        assert wanted <= slugs, f"{title}: unknown theme in the fixture {wanted - slugs}"
        found = {themes[index].slug for index in matcher.match(title)}
        true_pos += len(found & wanted)
        false_pos += len(found - wanted)
        false_neg += len(wanted - found)
        if found != wanted:
            misses.append(f"  {title}: 漏 {sorted(wanted - found)} 多 {sorted(found - wanted)}")
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    with capsys.disabled():
        print(f"\n默认主题表：{len(rows)} 个标题，查准率 {precision:.3f}，查全率 {recall:.3f}")
        print("\n".join(misses))
    assert precision >= PRECISION_MIN
    assert recall >= RECALL_MIN
    # Every theme of the default list is exercised by the fixture.
    assert slugs == {slug for _, wanted in rows for slug in wanted}


def theme(slug: str, name: str, words: tuple[str, ...], exclude: tuple[str, ...] = ()) -> Theme:
    return Theme(slug=slug, name=name, words=words, exclude=exclude)


def test_an_excluding_word_cancels_only_the_marking_words_inside_it() -> None:
    matcher = ThemeMatcher([theme("gongcheng", "工程项目", ("工程",), ("一把手工程",))])
    assert matcher.match("“一把手工程”推进不力") == ()
    assert matcher.match("“一把手工程”推进不力，工程项目变更随意") == (0,)
    assert matcher.match("工程招投标不规范") == (0,)


def test_matching_ignores_width_case_spaces_and_quotation_marks() -> None:
    matcher = ThemeMatcher([theme("a", "甲", ("三重一大", "ppp")), theme("b", "乙", ("一把手监督",))])
    assert matcher.match("落实“三重 一大”制度不严") == (0,)
    assert matcher.match("ＰＰＰ项目管理不规范") == (0,)
    assert matcher.match("对“一把手”监督不够") == (1,)


def test_a_short_title_that_marks_nothing_is_read_with_its_own_text() -> None:
    matcher = ThemeMatcher([theme("dangfei", "党费", ("党费",)), theme("caiwu", "财务", ("报销",))])
    short = Problem("1.支部工作不规范", 2, 10, body="整改措施：规范党费收缴。")
    assert matcher.problem_themes(short) == ("dangfei",)
    long = Problem("1.支部工作不规范，多个支部长期不开展活动", 2, 10, body="整改措施：规范党费收缴。")
    assert matcher.problem_themes(long) == ()
    marked = Problem("2.报销手续不全", 2, 12, body="规范党费收缴。")
    assert matcher.problem_themes(marked) == ("caiwu",)


def test_editor_marks_add_and_remove_themes_by_slug_or_name() -> None:
    title, marks = split_theme_marks("3.公车管理混乱（已完成） {主题：+党费 -gongche、“财务”}")
    assert title == "3.公车管理混乱（已完成）"
    assert marks == ("+党费", "-gongche", "+“财务”")
    matcher = ThemeMatcher(
        [
            theme("dangfei", "党费", ("党费",)),
            theme("gongche", "公务用车", ("公车",)),
            theme("caiwu", "“财务”", ("报账",)),
        ]
    )
    problem = Problem(title, 2, 5, theme_marks=marks)
    assert matcher.problem_themes(problem) == ("dangfei", "caiwu")


THEMES_YML = """\
themes:
  - slug: dangfei
    name: 党费
    words: [党费]
  - slug: caiwu
    name: 财务与资金管理
    words: [财务, 报账]
    exclude: [从未出现的词]
"""


def test_a_notice_heading_mark_reaches_the_problem_and_unknown_marks_are_warnings(tmp_path: Path) -> None:
    site = RecordSite(tmp_path)
    site.write("content/themes.yml", THEMES_YML)
    body = NOTICE_BODY.replace("#### 1.数据审核把关不严", "#### 1.数据审核把关不严 {主题：+党费 +不存在的主题}")
    path = site.notice(text=notice_text(body=body))
    project = site.load()
    problem = next(p for n in project.corpus.notices for p in n.all_problems() if p.title == "1.数据审核把关不严")
    assert problem.theme_marks == ("+党费", "+不存在的主题")
    diag = find(project, "不存在的主题")
    assert diag.level is Level.WARNING
    assert diag.line == next(i for i, line in enumerate(path.read_text().split("\n"), 1) if "不存在的主题" in line)
    assert not project.diagnostics.errors
    catalogue = project.catalogue
    lines = catalogue.themes.problems["2024-r1/tongji"]
    assert lines[problem.line] == ("dangfei",)


@pytest.mark.parametrize(
    ("text", "fragment", "needle"),
    [
        ("themes:\n  - slug: Dang Fei\n    name: 党费\n    words: [党费]\n", "网址名“Dang Fei”无效", "slug: Dang Fei"),
        ("themes:\n  - slug: dangfei\n    words: [党费]\n", "缺少必填字段“name”", "- slug: dangfei"),
        ("themes:\n  - slug: index\n    name: 党费\n    words: [党费]\n", "网址名“index”无效", "slug: index"),
        ("themes:\n  - slug: dangfei\n    name: 党费\n", "缺少标记词", "- slug: dangfei"),
        ("themes:\n  - slug: dangfei\n    name: 党费\n    words: 党费\n", "应为列表", "words: 党费"),
        ("themes:\n  - slug: dangfei\n    name: 党费\n    words: [党费, 党费]\n", "重复", "words: [党费, 党费]"),
        (
            "themes:\n  - slug: a\n    name: 甲\n    words: [甲]\n  - slug: a\n    name: 乙\n    words: [乙]\n",
            "网址名“a”重复",
            "name: 乙",
        ),
        ("themes:\n  - slug: a\n    name: 甲\n    word: [甲]\n", "未知字段“word”", "word: [甲]"),
        ("themes:\n  - slug: a\n\tname: 甲\n", "YAML 语法错误", "\tname: 甲"),
        ("- 党费\n", "应为映射", "- 党费"),
    ],
)
def test_a_malformed_theme_file_is_an_error_with_its_line(
    tmp_path: Path, text: str, fragment: str, needle: str
) -> None:
    site = RecordSite(tmp_path)
    path = site.write("content/themes.yml", text)
    site.notice()
    project = site.load()
    diag = find(project, fragment)
    assert diag.path == "content/themes.yml"
    assert diag.level is Level.ERROR
    lines = path.read_text(encoding="utf-8").split("\n")
    expected = next(i for i, line in enumerate(lines, 1) if needle in line)
    assert diag.line in (expected, expected - 1)  # the item's line or the line of the key inside it
    assert project.failed()


def test_check_gives_information_not_warnings_about_problems_without_theme_and_unused_words(tmp_path: Path) -> None:
    site = RecordSite(tmp_path)
    site.write("content/themes.yml", THEMES_YML)
    site.notice()
    result = subprocess.run(
        [sys.executable, "-m", "xuncha_site", "check", "-f", str(tmp_path / "mkdocs.yml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    notice = "content/notices/2024-r1/tongji.md"
    # The body's 财务管理不规范 category is covered; its problems 1. and 2. of the first category are not.
    assert any(
        line.startswith(f"{notice}:") and "提示: 问题“1.数据审核把关不严”没有归入任何主题" in line for line in lines
    )
    assert not any("财务管理不规范的问题”没有归入" in line for line in lines)
    unused = [line for line in lines if "在所有问题标题中都没有出现" in line]
    assert any(line.startswith("content/themes.yml:4: 提示:") and "“党费”" in line for line in unused)
    assert any(line.startswith("content/themes.yml:8: 提示:") and "排除词“从未出现的词”" in line for line in unused)
    assert not any("“财务”在所有" in line for line in unused)
    assert not any(": 警告:" in line or ": 错误:" in line for line in lines)
    assert "0 个错误，0 个警告" in lines[-1] and "提示" in lines[-1]


def test_a_site_without_theme_file_has_no_themes_and_no_notes(tmp_path: Path) -> None:
    site = RecordSite(tmp_path)
    site.notice()
    project = site.load()
    assert project.corpus.themes == ()
    assert project.diagnostics.sorted() == []
    assert project.catalogue.themes.entries == ()
