"""Notices as editors really receive them — copied from a website, saved by a mirror, pasted into Word — import with
every field right, no page chrome in the body, and every line of the source in the record or listed in the report.

The fixtures (tests/fixtures/import/README.md) are fictional notices in the shapes of ../shared/real-notices.
"""

from __future__ import annotations

import contextlib
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from import_helpers import (
    FIXTURES,
    Record,
    Run,
    fixture_file,
    make_site,
    missing_paragraphs,
    only_record,
    reported_dropped,
    run_import,
    source_paragraphs,
)

from xuncha_site.commands.cli import main
from xuncha_site.commands.site import load_site
from xuncha_site.core.body import parse_body
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.model import Status

RECEIVED = ("web-copy.txt", "mirror.md", "hospital.txt", "big5.txt", "pasted.docx", "inline-chrome.html")

EXPECTED: dict[str, dict[str, Any]] = {
    "web-copy.txt": {
        "path": "2024-r6/zhengfu-jiguan.md",
        "title": "中共青岚市人民政府机关党组关于十一届市委第六轮巡察整改进展情况的通报",
        "unit": "市人民政府机关党组",
        "issuer": "中共青岚市人民政府机关党组",
        "group": "市委第一巡察组",
        "inspection_start": date(2024, 9, 2),
        "inspection_end": date(2024, 10, 31),
        "feedback_date": date(2024, 12, 10),
        "notice_date": date(2025, 3, 5),
        "published": "2025-03-06 10:15",
        "stage": "进展",
        "contact": {
            "phones": ["0123-6018000"],
            "emails": ["szfjg@qinglan.example"],
            "mailbox": "青岚市政务大道1号市政府办公室秘书科",
            "postcode": "100130",
        },
        "source": {
            "name": "青岚市人民政府办公室",
            "url": "https://www.qinglan.example/zwgk/art/2025/3/6/art_88_1024.html",
            "index_no": "11000000000000000X/2025-00321",
            "published": "2025-03-06 10:15",
        },
    },
    "mirror.md": {
        "path": "2024-r6/zhiye.md",
        "title": "中共青岚职业技术学院委员会关于十一届市委第六轮巡察整改进展情况的通报",
        "unit": "青岚职业技术学院党委",
        "issuer": "中共青岚职业技术学院委员会",
        "group": "市委第三巡察组",
        "inspection_start": date(2024, 9, 2),
        "inspection_end": date(2024, 10, 31),
        "feedback_date": date(2024, 12, 10),
        "notice_date": date(2025, 3, 10),
        "published": "2025-03-12 09:30",
        "stage": "进展",
        "contact": {
            "phones": ["0123-6035000"],
            "emails": ["dwbgs@qlvtc.example"],
            "mailbox": "青岚市大学城路8号青岚职业技术学院党委办公室",
        },
        "source": {"url": "https://www.qlvtc.example/info/1021/5566.htm", "published": "2025-03-12T09:30:00+08:00"},
    },
    "hospital.txt": {
        "path": "2024-r6/yiyuan.md",
        "title": "中共青岚市第一人民医院委员会关于巡察整改进展情况的通报",
        "unit": "市第一人民医院党委",
        "issuer": "中共青岚市第一人民医院委员会",  # written over two lines
        "group": "市委第二巡察组",  # not “日市委第二巡察组”: the line broke after the date
        "inspection_start": date(2024, 9, 2),
        "inspection_end": date(2024, 10, 31),
        "feedback_date": date(2024, 12, 10),
        "notice_date": date(2025, 3, 15),
        "published": date(2025, 3, 15),
        "stage": "进展",
        "contact": {
            "phones": ["0123-6040000"],
            "mailbox": "青岚市人民南路66号青岚市第一人民医院党委办公室",  # the recipient on the next line
            "postcode": "100140",
        },
    },
    "big5.txt": {
        "path": "2024-r6/shuiwu.md",
        "title": "中共青嵐市水務局黨組關於巡察整改進展情況的通報",  # as written, not converted
        "unit": "市水务局党组",  # as the round file lists it
        "issuer": "中共青嵐市水務局黨組",
        "group": "市委第二巡察组",
        "inspection_start": date(2024, 9, 2),
        "inspection_end": date(2024, 10, 31),
        "feedback_date": date(2024, 12, 10),
        "notice_date": date(2025, 3, 18),
        "published": date(2025, 3, 18),
        "stage": "进展",
        "contact": {"phones": ["0123-6050000"]},
    },
    "pasted.docx": {
        "path": "2024-r6/zhujian.md",
        "title": "中共青岚市住房和城乡建设局党组关于巡察整改进展情况的通报",
        "unit": "市住房和城乡建设局党组",
        "issuer": "中共青岚市住房和城乡建设局党组",
        "group": "市委第一巡察组",
        "inspection_start": date(2024, 9, 2),
        "inspection_end": date(2024, 10, 31),
        "feedback_date": date(2024, 12, 10),
        "notice_date": date(2025, 3, 3),
        "published": "2025-03-04 15:20",
        "stage": "进展",
        "contact": {"phones": ["0123-6019900"], "emails": ["zjjzg@qinglan.example"]},
        "source": {"name": "青岚市住房和城乡建设局", "published": "2025-03-04 15:20"},
    },
    "inline-chrome.html": {
        "path": "2024-r6/shuiwu.md",
        "title": "中共青岚市水务局党组关于巡察整改进展情况的通报",
        "unit": "市水务局党组",
        "issuer": "中共青岚市水务局党组",
        "group": "市委第二巡察组",
        "inspection_start": date(2024, 9, 2),
        "inspection_end": date(2024, 10, 31),
        "feedback_date": date(2024, 12, 10),
        "notice_date": date(2025, 3, 20),
        "published": "2025-03-21 16:00",
        "stage": "进展",
        "contact": {
            "phones": ["0123-6050000"],
            "mailbox": "青岚市滨江路9号市水务局办公室",
            "postcode": "100150",
        },
        "source": {"name": "青岚市水务局", "published": "2025-03-21 16:00"},
    },
}
# Children per first-level node (0 = a leaf); statuses of the leaves as the text gives them.
TREES: dict[str, list[int]] = {
    "web-copy.txt": [2, 3],
    "mirror.md": [2, 1, 2],  # part 二's categories, not part 一's three numbered measures
    "hospital.txt": [0, 0, 0],
    "big5.txt": [0, 0],
    "pasted.docx": [0, 0],
    "inline-chrome.html": [0, 0, 0],
}
STATUSES: dict[str, list[Status]] = {
    "web-copy.txt": [Status.COMPLETED] * 4 + [Status.IN_PROGRESS],
    "mirror.md": [Status.UNKNOWN] * 5,  # the central layout states no status per problem
    "hospital.txt": [Status.COMPLETED, Status.COMPLETED, Status.IN_PROGRESS],
    "pasted.docx": [Status.COMPLETED, Status.IN_PROGRESS],
    "inline-chrome.html": [Status.COMPLETED] * 3,
}
# Words of page chrome in each fixture: none of them may reach the record.
CHROME = {
    "web-copy.txt": ("青岚纪检监察网", "当前位置", "字体大小", "打印", "朗读", "分享", "扫一扫", "首发地址", "网站地图",
                     "主办单位", "ICP备", "版权所有", "审查调查", "0123-6000000"),
    "mirror.md": ("青岚资讯镜像", "<!--more-->", "**", "\\*\\*", "categories", "tags", "转入文章", "->"),
    "hospital.txt": (),
    "big5.txt": (),
    "pasted.docx": ("当前位置", "浏览次数", "字体", "打印", "关闭", "上一篇", "下一篇", "版权所有", "ICP备"),
    "inline-chrome.html": ("首页", "阅读次数", "字体", "打印", "关闭", "扫一扫", "上一篇", "网站地图", "ICP备", "无障碍"),
}  # fmt: skip


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, Run]]:
    """Each fixture imported into its own site: name → (mkdocs.yml, input file, what the command printed)."""
    sites = {}
    for name in RECEIVED:
        root = tmp_path_factory.mktemp(name.replace(".", "-"))
        config = make_site(root / "site")
        source = fixture_file(name, root)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["import", "-f", str(config), str(source)])
        assert code == 0, err.getvalue()
        sites[name] = (config, source, Run(code, out.getvalue(), err.getvalue()))
    return sites


def _record(imported: dict[str, tuple[Path, Path, Run]], name: str) -> Record:
    return only_record(imported[name][0])


@pytest.mark.parametrize("name", RECEIVED)
def test_received_notice_is_written_under_its_round_with_the_unit_slug(imported, name):
    assert _record(imported, name).path.as_posix().endswith("content/notices/" + EXPECTED[name]["path"])


@pytest.mark.parametrize("name", RECEIVED)
def test_received_notice_has_every_preamble_and_signature_field_right(imported, name):
    meta = _record(imported, name).meta
    for key, value in EXPECTED[name].items():
        if key not in ("path", "contact", "source"):
            assert meta.get(key) == value, key


@pytest.mark.parametrize("name", RECEIVED)
def test_received_notice_has_every_contact_field_right(imported, name):
    contact = dict(_record(imported, name).meta["contact"])
    assert contact.pop("text").startswith(("欢迎", "歡迎"))
    assert contact == EXPECTED[name]["contact"]


@pytest.mark.parametrize("name", RECEIVED)
def test_received_notice_keeps_source_date_and_url_of_the_page(imported, name):
    assert _record(imported, name).meta.get("source") == EXPECTED[name].get("source")


@pytest.mark.parametrize("name", RECEIVED)
def test_received_notice_record_passes_check(imported, name):
    project = load_site(imported[name][0]).project
    assert [d.format() for d in project.diagnostics.items if d.level.name == "ERROR"] == []
    assert len(project.corpus.notices) == 1


@pytest.mark.parametrize("name", RECEIVED)
def test_received_notice_problem_tree_has_the_notices_shape(imported, name):
    notice = load_site(imported[name][0]).project.corpus.notices[0]
    assert [len(problem.children) for problem in notice.problems] == TREES[name]


# Not big5.txt: the site reads status lines in simplified characters only (完成情况, not 完成情況).
@pytest.mark.parametrize("name", sorted(STATUSES))
def test_received_notice_problems_have_the_statuses_the_text_gives(imported, name):
    notice = load_site(imported[name][0]).project.corpus.notices[0]
    assert [leaf.status for problem in notice.problems for leaf in problem.leaves()] == STATUSES[name]


@pytest.mark.parametrize("name", RECEIVED)
def test_received_notice_loses_no_line(imported, name):
    """Every line is in the body, in a front-matter field, or listed in the report as page chrome."""
    _config, source, run = imported[name]
    assert missing_paragraphs(source_paragraphs(source), _record(imported, name), run.err) == []


@pytest.mark.parametrize("name", RECEIVED)
def test_received_notice_has_no_page_chrome_in_the_record(imported, name):
    record = _record(imported, name)
    for word in CHROME[name]:
        assert word not in record.text, word


@pytest.mark.parametrize("name", RECEIVED)
def test_received_notice_body_starts_with_the_preamble(imported, name):
    body = _record(imported, name).body.lstrip()
    assert body.startswith(("根据市委统一部署", "根據市委統一部署")), body[:60]


def test_chrome_is_listed_line_by_line_in_the_report(imported):
    dropped = reported_dropped(imported["web-copy.txt"][2].err)
    assert dropped[:3] == [
        "青岚纪检监察网",
        "首页 要闻动态 巡视巡察 审查调查 信访举报",
        "当前位置：首页 > 巡视巡察 > 巡察整改",
    ]
    assert "联系地址：青岚市建设路1号　邮编：100100　电话：0123-6000000　澜ICP备00000000号" in dropped
    assert dropped[-1] == "首页 要闻动态 巡视巡察 审查调查 信访举报"


def test_footer_after_the_signature_does_not_hide_the_signature(imported):
    body = _record(imported, "web-copy.txt").body
    assert "欢迎广大干部群众" not in body and "中共青岚市人民政府机关党组\n" not in body and "2025年3月5日" not in body


def test_mirror_front_matter_title_is_the_title_without_the_site(imported):
    run = imported["mirror.md"][2]
    assert "标题取自前置信息 title，已去掉网站名称等" in run.err
    assert "青岚职业技术学院 / 青岚资讯镜像" in reported_dropped(run.err)


def test_mirror_bold_headings_become_parts(imported):
    body = _record(imported, "mirror.md").body
    assert "## 一、学院党委履行巡察整改主体责任情况" in body and "## 三、下一步工作打算" in body
    assert "### （一）关于落实立德树人根本任务不够有力的问题" in body


def test_mirror_link_keeps_its_words_and_reports_its_address(imported):
    record, run = _record(imported, "mirror.md"), imported["mirror.md"][2]
    assert "详见整改工作方案。" in record.body
    assert "https://www.qlvtc.example/info/1021/5560.htm" in reported_dropped(run.err)


def test_problems_part_is_part_two_in_the_central_layout(imported):
    body = parse_body(_record(imported, "mirror.md").body, "-", 1, Diagnostics())
    assert body.problems_part is not None and body.problems_part.title == "二、巡察反馈问题整改落实情况"
    assert "1\\. 提高政治站位，压实整改责任。" in body.parts[0].body and not body.parts[0].problems


def test_round_quoted_from_an_earlier_inspection_is_not_the_notices_round(imported):
    run = imported["hospital.txt"][2]
    assert "巡察轮次：2024-r6（十一届市委第六轮巡察）\n" in run.err
    assert "十届市委第五轮" not in run.err


def test_big5_is_detected_and_kept_as_written(imported):
    run, record = imported["big5.txt"][2], _record(imported, "big5.txt")
    assert "格式：Big5（繁体中文） 文本" in run.err
    assert "原文是繁体字" in run.err
    assert "局黨組召開專題會議研究整改工作，成立整改工作領導小組。" in record.body


def test_word_header_is_not_the_notice(imported):
    assert "青岚市住房和城乡建设局\n" not in _record(imported, "pasted.docx").body


# --- round-level announcements -------------------------------------------------------------------------------------

ROUND_SUMMARY = FIXTURES / "round-summary.txt"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


def test_round_announcement_is_not_imported_as_a_unit_notice(site, capsys):
    run = run_import(site, ROUND_SUMMARY, capsys=capsys)
    assert run.code == 1
    assert not list((site.parent / "content" / "notices").rglob("*.md"))
    assert "未写入：这是一轮巡察的整体整改情况" in run.err and "不是某一个被巡察单位的整改通报" in run.err
    assert "开头语列出多个被巡察单位" in run.err
    assert "被巡察单位：" not in run.err


def test_round_announcement_dry_run_gives_a_description_for_the_round_file(site, capsys):
    run = run_import(site, ROUND_SUMMARY, "--dry-run", capsys=capsys)
    assert run.code == 1
    description = yaml.safe_load(run.out)["description"]
    assert description.startswith("根据市委统一部署，2024年9月2日至10月31日，市委派出3个巡察组")
    assert "市委第三巡察组：青岚职业技术学院党委" in description
    assert "粘贴进轮次文件" in run.err


# --- the report --------------------------------------------------------------------------------------------------------


def _report(err: str) -> str:
    """The report without the lines that only a real import prints (written, the check of the written record)."""
    return "\n".join(line for line in err.splitlines() if not re.match(r"^\s*(?:已写入|检查)", line))


@pytest.mark.parametrize("name", ["web-copy.txt", "mirror.md", "inline-chrome.html"])
def test_dry_run_shows_the_same_report(site, capsys, tmp_path, name):
    source = fixture_file(name, tmp_path)
    dry = run_import(site, source, "--dry-run", capsys=capsys)
    real = run_import(site, source, capsys=capsys)
    assert _report(dry.err) == _report(real.err)
    assert "网页信息：已略去" in dry.err


def test_report_lists_guessed_chrome_as_an_uncertain_decision(site, capsys, tmp_path):
    copied = tmp_path / "copied.txt"
    text = (FIXTURES / "hospital.txt").read_text(encoding="utf-8")
    copied.write_text("公示公告\n青岚市第一人民医院\n" + text, encoding="utf-8")
    run = run_import(site, copied, "--dry-run", capsys=capsys)
    assert "网页信息：已略去“公示公告”（网页栏目名称）" in run.err
    assert "正文之前的“青岚市第一人民医院”看作网页上的文字，已略去；如是通报原文，请补回正文" in run.err


def test_source_this_site_takes_the_sites_name_and_says_so(site, capsys, tmp_path):
    copied = tmp_path / "copied.txt"
    lines = (FIXTURES / "web-copy.txt").read_text(encoding="utf-8").splitlines()
    lines[4] = "来源：本网　　发布日期：2025-03-06 10:15"
    copied.write_text("\n".join(lines), encoding="utf-8")
    run = run_import(site, copied, capsys=capsys)
    assert only_record(site).meta["source"]["name"] == "青岚纪检监察网"
    assert "网页的来源写作“本网”：已按网站名称填写为“青岚纪检监察网”，请核对" in run.err


def test_uncertain_encoding_is_reported(site, capsys, tmp_path):
    # Byte pairs that are common characters in both GB2312 and Big5: no way to tell.
    ambiguous = tmp_path / "ambiguous.txt"
    ambiguous.write_bytes(bytes.fromhex("b0a1b0a2b0a3c0a1c0a2c0a3") * 4 + b"\n")
    run = run_import(site, ambiguous, "--dry-run", capsys=capsys)
    assert "编码不确定" in run.err


def test_unit_missing_from_the_round_gets_a_pinyin_slug(site, capsys, tmp_path):
    stray = tmp_path / "stray.txt"
    stray.write_text(
        (FIXTURES / "hospital.txt").read_text(encoding="utf-8").replace("第一人民医院", "气象局"), encoding="utf-8"
    )
    assert run_import(site, stray, "--round", "2024-r6", capsys=capsys).code == 0
    assert only_record(site).path.name == "shi-qi-xiang-ju-dang-wei.md"
