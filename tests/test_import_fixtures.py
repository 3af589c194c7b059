"""Every fixture shape imports with the right fields, the right problem tree, a record that passes ``xuncha check``,
and the full text: every input paragraph is in the record, in order."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from import_helpers import (
    PAGE_FIXTURES,
    TEXT_FIXTURES,
    WORD_FIXTURES,
    Record,
    fixture_file,
    make_site,
    missing_paragraphs,
    only_record,
    source_paragraphs,
)

from xuncha_site.commands.site import load_site
from xuncha_site.core.model import Status

ALL = TEXT_FIXTURES + WORD_FIXTURES + PAGE_FIXTURES

EXPECTED: dict[str, dict[str, Any]] = {
    "categories.txt": {
        "path": "2023-r3/jiaotong.md",
        "unit": "市交通运输局党组",
        "issuer": "中共青岚市交通运输局党组",
        "group": "市委第二巡察组",
        "inspection_start": date(2023, 3, 13),
        "inspection_end": date(2023, 5, 19),
        "feedback_date": date(2023, 7, 10),
        "notice_date": date(2023, 10, 20),
        "published": date(2023, 10, 20),
        "stage": "进展",
        "title": "中共青岚市交通运输局党组关于十一届市委第三轮巡察整改进展情况的通报",
        "counts": {
            "problems": 2,
            "specific_problems": 5,
            "suggestions": 2,
            "measures": 18,
            "completed": 4,
            "basically_completed": 1,
        },
        "contact": {
            "phones": ["0123-6015678", "0123-6015679"],
            "emails": ["jtjzg@qinglan.example"],
            "address": "青岚市建设路16号市交通运输局办公室",
            "postcode": "100125",
        },
    },
    "aspects.txt": {
        "path": "2023-r3/caizheng.md",
        "unit": "市财政局党组",
        "group": "市委第一巡察组",
        "feedback_date": date(2023, 7, 6),
        "notice_date": date(2023, 11, 3),
        "stage": "进展",
        # 2个方面问题 are aspects, not problems: only the 5 specific problems are a total.
        "counts": {"specific_problems": 5, "completed": 4, "in_progress": 1, "completion_rate": 80},
        "contact": {
            "phones": ["0123-6016000"],
            "emails": ["czjzg@qinglan.example"],
            "mailbox": "青岚市财政局巡察整改办公室",
            "postcode": "100126",
        },
    },
    "flat.txt": {
        "path": "2023-r3/jiaoyu.md",
        "unit": "市教育局党组",
        "group": "市委第二巡察组",
        "feedback_date": date(2023, 7, 6),
        "notice_date": date(2023, 9, 28),
        "stage": "集中整改",
        "title": "【巡察整改】中共青岚市教育局党组关于巡察集中整改进展情况的通报",
        "counts": None,
        "contact": {"phones": ["0123-6017788", "13912345678"], "emails": ["jyjzg@qinglan.example"]},
    },
    "wenti.txt": {
        "path": "2023-r3/fagaiwei.md",
        "unit": "市发展和改革委员会党组",
        "notice_date": date(2023, 10, 9),
        "stage": "完成",
        "title": "中共青岚市发展和改革委员会党组关于巡察整改情况的报告",
        "counts": {"problems": 3, "completed": 3, "completion_rate": 100},
        "contact": {"phones": ["0123-6011234"]},
    },
    "yishi.txt": {
        "path": "2024-r5/linye.md",
        "unit": "市林业局党组",
        "issuer": "中共青岚市林业局党组",
        "group": "市委第一巡察组",
        "inspection_start": date(2024, 3, 4),
        "inspection_end": date(2024, 4, 26),
        "feedback_date": date(2024, 6, 5),
        "notice_date": date(2024, 8, 15),
        "published": date(2024, 8, 16),
        "title": None,
        "counts": None,
        "contact": {"phones": ["0123-6018800"], "mailbox": "青岚市林业局办公室"},
        "source": {
            "name": "青岚市林业局",
            "editor": "林某",
            "url": "https://ly.qinglan.example/art/2024/8/16/art_1203_88.html",
            "index_no": "11000000000000000X/2024-00088",
            "published": date(2024, 8, 16),
        },
    },
    "newyear.txt": {
        "path": "2022-r2/weijian.md",
        "inspection_start": date(2022, 11, 7),
        "inspection_end": date(2022, 12, 30),
        "feedback_date": date(2023, 1, 12),
        "notice_date": date(2023, 3, 20),
        "counts": {"problems": 3, "specific_problems": 6, "completed": 5, "in_progress": 1},
        "contact": {"phones": ["0123-6019000"], "emails": ["wjwzg@qinglan.example"]},
    },
    "huitoukan.txt": {
        "path": "2025-htk/nongye.md",
        "unit": "市农业农村局党组",
        "group": "市委第四巡察组",
        "feedback_date": date(2025, 5, 20),
        "notice_date": date(2025, 8, 5),
        "stage": "回头看",
        "counts": {"problems": 4, "measures": 15, "rules": 6, "completed": 4},
        "contact": {
            "phones": ["12388", "0123-6012000"],
            "emails": ["nyjzg@qinglan.example"],
            "mailbox": "青岚市农业农村局信箱",
        },
    },
    "numbered.docx": {
        "path": "2023-r3/shenji.md",
        "unit": "市审计局党组",
        "notice_date": date(2023, 10, 31),
        "title": "中共青岚市审计局党组关于十一届市委第三轮巡察整改进展情况的通报",
        "counts": {"problems": 2, "specific_problems": 4, "completed": 3, "in_progress": 1},
        "contact": {"phones": ["0123-6013300"], "emails": ["sjjzg@qinglan.example"]},
    },
    "typed.docx": {
        "path": "2023-r3/tongji.md",
        "issuer": "中共青岚市统计局党组",
        "notice_date": date(2023, 11, 10),
        "counts": {"problems": 2, "completed": 1, "in_progress": 1},
    },
    "cms-page.html": {
        "path": "2024-r5/shuili.md",
        "unit": "青岚县水利局党组",
        "issuer": "中共青岚县水利局党组",
        "notice_date": date(2024, 6, 28),
        "published": "2024-07-01 09:30",
        "title": "中共青岚县水利局党组关于市委专项巡察整改进展情况的通报",
        "counts": {"problems": 2, "specific_problems": 4, "completed": 3, "in_progress": 1},
        "contact": {
            "phones": ["0123-6020110"],
            "emails": ["slj_zg@qinglan.example"],
            "mailbox": "青岚县城关镇滨河路5号县水利局",
        },
        "source": {"name": "青岚廉政网", "editor": "王某", "published": "2024-07-01 09:30"},
    },
    "portal-gbk.html": {
        "path": "2024-r5/shengtai.md",
        "unit": "市生态环境局党组",
        "notice_date": date(2024, 9, 10),
        "published": "2024-09-12 16:05",
        "stage": "完成",
        "title": "中共青岚市生态环境局党组关于巡察整改情况的通报",
        "counts": {"measures": 12, "rules": 5},
        "source": {
            "name": "青岚市生态环境局",
            "index_no": "113700000000000000/2024-00217",
            "published": "2024-09-12 16:05",
        },
    },
}

# Problem tree: children per first-level node (0 = a leaf), or nested lists for three levels.
TREES: dict[str, list[Any]] = {
    "categories.txt": [3, 2],
    "aspects.txt": [[2, 2], [1]],
    "flat.txt": [0, 0, 0],
    "wenti.txt": [0, 0, 0],
    "yishi.txt": [0, 0, 0],
    "newyear.txt": [2, 2, 2],
    "huitoukan.txt": [0, 0, 0, 0],
    "numbered.docx": [2, 2],
    "typed.docx": [0, 0],
    "cms-page.html": [2, 2],
    "portal-gbk.html": [0, 0, 0],
}
STATUSES: dict[str, list[Status]] = {
    "categories.txt": [
        Status.COMPLETED,
        Status.COMPLETED,
        Status.BASICALLY_COMPLETED,
        Status.COMPLETED,
        Status.COMPLETED,
    ],
    "aspects.txt": [Status.COMPLETED] * 3 + [Status.IN_PROGRESS, Status.COMPLETED],
    "flat.txt": [Status.COMPLETED, Status.COMPLETED, Status.IN_PROGRESS],
    "wenti.txt": [Status.COMPLETED] * 3,
    "huitoukan.txt": [Status.COMPLETED] * 4,
    "numbered.docx": [Status.COMPLETED] * 3 + [Status.IN_PROGRESS],
    "cms-page.html": [Status.COMPLETED] * 3 + [Status.IN_PROGRESS],
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each fixture imported into its own site: name → (mkdocs.yml, input file)."""
    from xuncha_site.commands.cli import main

    sites = {}
    for name in ALL:
        root = tmp_path_factory.mktemp(name.replace(".", "-"))
        config = make_site(root / "site")
        source = fixture_file(name, root)
        assert main(["import", "-f", str(config), str(source)]) == 0, name
        sites[name] = (config, source)
    return sites


def _record(imported: dict[str, tuple[Path, Path]], name: str) -> Record:
    return only_record(imported[name][0])


@pytest.mark.parametrize("name", ALL)
def test_fixture_is_written_under_its_round_with_the_unit_slug(imported, name):
    record = _record(imported, name)
    assert record.path.as_posix().endswith("content/notices/" + EXPECTED[name]["path"])


@pytest.mark.parametrize("name", ALL)
def test_fixture_metadata_is_recognised(imported, name):
    meta = _record(imported, name).meta
    for key, value in EXPECTED[name].items():
        if key in ("path", "counts", "contact", "source"):
            continue
        assert meta.get(key) == value, key


@pytest.mark.parametrize("name", ALL)
def test_fixture_stated_counts_are_recognised(imported, name):
    assert _record(imported, name).meta.get("counts") == EXPECTED[name].get("counts")


@pytest.mark.parametrize("name", [n for n in ALL if "contact" in EXPECTED[n]])
def test_fixture_contact_is_recognised(imported, name):
    contact = dict(_record(imported, name).meta["contact"])
    assert contact.pop("text")
    assert contact == EXPECTED[name]["contact"]


@pytest.mark.parametrize("name", [n for n in ALL if "source" in EXPECTED[n]])
def test_fixture_web_facts_become_source(imported, name):
    assert _record(imported, name).meta["source"] == EXPECTED[name]["source"]


@pytest.mark.parametrize("name", ALL)
def test_fixture_record_passes_check(imported, name):
    config = imported[name][0]
    project = load_site(config).project
    assert [d.format() for d in project.diagnostics.items] == []
    assert len(project.corpus.notices) == 1


def _shape(problems) -> list[Any]:
    return [(_shape(p.children) if any(c.children for c in p.children) else len(p.children)) for p in problems]


@pytest.mark.parametrize("name", ALL)
def test_fixture_problem_tree_has_the_notices_shape(imported, name):
    notice = load_site(imported[name][0]).project.corpus.notices[0]
    assert _shape(notice.problems) == TREES[name]


@pytest.mark.parametrize("name", sorted(STATUSES))
def test_fixture_status_lines_give_each_problem_its_status(imported, name):
    notice = load_site(imported[name][0]).project.corpus.notices[0]
    assert [leaf.status for p in notice.problems for leaf in p.leaves()] == STATUSES[name]


@pytest.mark.parametrize("name", ALL)
def test_fixture_loses_no_paragraph(imported, name):
    _config, source = imported[name]
    assert missing_paragraphs(source_paragraphs(source), _record(imported, name)) == []


@pytest.mark.parametrize("name", PAGE_FIXTURES)
def test_page_chrome_stays_out_of_the_record(imported, name):
    text = _record(imported, name).text
    for chrome in (
        "当前位置",
        "您所在的位置",
        "版权所有",
        "ICP备",
        "网站标识码",
        "分享到",
        "上一篇",
        "字体",
        "打印",
        "关闭",
        "相关文章",
        "首页",
    ):
        assert chrome not in text


def test_word_table_is_kept_as_a_markdown_table(imported):
    body = _record(imported, "numbered.docx").body
    assert (
        "| 序号 | 整改任务 | 责任科室 | 完成情况 |\n| --- | --- | --- | --- |\n| 1 | 建立审计整改台账 | 法规审理科 | 已完成 |"
        in body
    )


def test_page_table_is_kept_as_a_markdown_table(imported):
    assert (
        "| 问题类别 | 具体问题数 | 已完成 |\n| --- | --- | --- |\n| 项目建设管理 | 2 | 2 |"
        in _record(imported, "cms-page.html").body
    )


def test_word_automatic_numbering_is_written_into_the_headings(imported):
    body = _record(imported, "numbered.docx").body
    assert "## 一、组织整改落实情况" in body and "## 三、下一步工作打算" in body
    assert "### （二）关于内部管理不规范的问题" in body
    assert "#### 2.档案管理不规范。" in body


def test_contact_paragraph_and_signature_are_not_repeated_in_the_body(imported):
    body = _record(imported, "categories.txt").body
    assert "欢迎广大干部群众" not in body
    assert "2023年10月20日" not in body.split("## 三")[1]
    assert "中共青岚市交通运输局党组\n" not in body
