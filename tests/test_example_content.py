"""The example site in content/: it loads cleanly and shows every notice shape the record format supports.

Each shape test names the one notice that carries the shape (content/README.md lists them) and asserts the problem
tree the body parser makes of it, the statuses, and the counts the tree gives against the counts the text states.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from xuncha_site.commands.site import load_site
from xuncha_site.core.model import Notice, Problem, Status
from xuncha_site.core.project import Project
from xuncha_site.core.stats import RoundStatus, round_status

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.yml"
BUILD_EPOCH = "1795132800"  # 2026-11-20T00:00Z, i.e. 2026-11-20 08:00 in Asia/Shanghai
BUILD_DAY = date(2026, 11, 20)
DRAFT_MARKER = "草稿标记XQ7"
EMBARGO_MARKER = "保密标记ZK4"
ALL_STATUS_WORDS = {"已完成", "基本完成", "阶段性完成", "正在整改", "长期坚持", "未完成", "立行立改"}


@pytest.fixture(scope="module")
def project() -> Iterator[Project]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        yield load_site(CONFIG).project


def notice(project: Project, notice_id: str) -> Notice:
    found = [n for n in project.corpus.notices if n.id == notice_id]
    assert len(found) == 1, f"no notice {notice_id}"
    return found[0]


def full_text(item: Notice) -> str:
    """Everything a reader sees of the body: preamble, parts and problem texts."""
    texts = [item.preamble]
    for part in item.parts:
        texts += [part.title, part.body]
    texts += [f"{p.title}\n{p.body}" for p in item.all_problems()]
    return "\n".join(texts)


def leaves(item: Notice) -> list[Problem]:
    return [leaf for problem in item.problems for leaf in problem.leaves()]


def statuses(item: Notice) -> list[Status]:
    return [leaf.status for leaf in leaves(item)]


def statuses_of(project: Project, round_id: str) -> RoundStatus:
    return round_status(project.corpus.rounds[round_id], project.public_notices(), project.settings, BUILD_DAY)


# --- the example as a whole ---


def test_example_site_loads_with_no_errors_and_no_warnings(project: Project) -> None:
    assert [d.format() for d in project.diagnostics.sorted()] == []


def test_xuncha_check_passes_on_the_example_site() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xuncha_site", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "0 个错误，0 个警告" in done.stderr


def test_example_has_rounds_of_every_kind_up_to_2026(project: Project) -> None:
    rounds = project.corpus.rounds
    assert len(rounds) >= 4
    assert [r.type for r in rounds.values()].count("常规") >= 3
    assert {r.type for r in rounds.values()} >= {"常规", "专项", "回头看"}
    assert rounds["2025-zx1"].topic == "医疗卫生领域"
    assert max(r.year or 0 for r in rounds.values()) == 2026
    for round_ in rounds.values():
        assert len(round_.groups) >= 2, round_.id
        assert all(len(group.units) >= 2 for group in round_.groups), round_.id


def test_example_has_at_least_fourteen_public_notices_of_realistic_length(project: Project) -> None:
    public = project.public_notices()
    assert len(public) >= 14
    sizes = [(ROOT / n.path).stat().st_size for n in public]
    assert sum(4000 <= size <= 10_000 for size in sizes) >= len(sizes) * 0.8, sizes


def test_example_uses_every_stage(project: Project) -> None:
    assert {n.stage for n in project.public_notices()} == {"进展", "阶段性进展", "集中整改", "完成", "回头看"}


def test_every_status_word_appears_in_the_example(project: Project) -> None:
    words = {p.status_text for n in project.public_notices() for p in n.all_problems()}
    assert words >= ALL_STATUS_WORDS


def test_stated_counts_agree_with_statuses_wherever_every_leaf_has_one(project: Project) -> None:
    checked = 0
    for item in project.corpus.notices:
        if Status.UNKNOWN in statuses(item):
            continue
        derived = item.derived_counts
        for name in ("completed", "basically_completed", "in_progress", "long_term", "not_completed"):
            stated = getattr(item.counts, name)
            assert stated is None or stated == getattr(derived, name), (item.id, name)
        if item.counts.completion_rate is not None:
            assert item.counts.completion_rate == pytest.approx(derived.completion_rate, abs=0.1), item.id
        checked += 1
    assert checked >= 10


# Count sentences as the notices phrase them, and the counts their records state.
COUNT_SENTENCES = [
    (
        "2024-r1/fagaiwei",
        "反馈了3个方面8个具体问题，并提出3项意见建议",
        {"problems": 3, "specific_problems": 8, "suggestions": 3},
    ),
    ("2024-r1/fagaiwei", "把8个具体问题细化为23条整改措施", {"measures": 23}),
    ("2024-r1/fagaiwei", "已完成整改5个，其余3个正在整改", {"completed": 5, "in_progress": 3}),
    ("2024-r1/fagaiwei-wancheng", "已完成整改7个，需长期坚持1个，整改完成率87.5%", {"completed": 7, "long_term": 1}),
    ("2024-r1/fagaiwei-wancheng", "建立完善16项制度", {"rules": 16}),
    ("2024-r1/jiaotong", "巡察反馈的12个问题，已完成9个、正在整改3个，完成率75%", {"problems": 12, "completed": 9}),
    (
        "2024-r1/qinglan-xian",
        "反馈的3个方面6个问题11个具体问题，已完成整改6个，基本完成整改2个，阶段性完成2个，需长期坚持1个",
        {"problems": 6, "specific_problems": 11, "completed": 6, "basically_completed": 2, "in_progress": 2},
    ),
    ("2025-r1/minzheng", "已完成8个（其中立行立改1个）、正在整改2个，完成率80%", {"completed": 8, "in_progress": 2}),
    ("2025-r1/renshe", "制定整改措施31条，通过集中整改建立完善制度12项", {"measures": 31, "rules": 12}),
    (
        "2025-r1/shuiwu",
        "已完成整改4个，基本完成整改1个，阶段性完成1个，正在整改1个",
        {"completed": 4, "in_progress": 2},
    ),
    ("2025-zx1/weijian", "4个方面9个具体问题和3项意见建议", {"problems": 4, "specific_problems": 9, "suggestions": 3}),
    ("2025-zx1/shiyiyuan", "已完成4个，正在整改1个，需长期坚持2个，尚未完成1个，完成率50%", {"not_completed": 1}),
    ("2025-zx1/zhongyiyuan", "提出了3项意见建议", {"suggestions": 3}),
    ("2025-hk/jiguanshiwu", "反馈问题6个，已整改完成5个，基本完成1个，整改完成率83.3%", {"completed": 5}),
    ("2025-hk/qinglan-xian", "制定整改措施16条，建立完善制度5项", {"measures": 16, "rules": 5}),
    ("2026-r1/jiaoyu", "已完成3个，阶段性完成2个，正在整改2个，完成率42.9%", {"completed": 3, "in_progress": 4}),
]


@pytest.mark.parametrize(("notice_id", "sentence", "expected"), COUNT_SENTENCES)
def test_count_sentences_in_the_text_match_the_stated_counts(
    project: Project, notice_id: str, sentence: str, expected: dict[str, int]
) -> None:
    item = notice(project, notice_id)
    assert sentence in full_text(item)
    assert {name: getattr(item.counts, name) for name in expected} == expected


def test_completion_rates_in_the_text_are_the_stated_rates(project: Project) -> None:
    for item in project.corpus.notices:
        rate = item.counts.completion_rate
        if rate is not None:
            assert re.search(rf"完成率{rate:g}%", full_text(item)), item.id


# --- one notice per shape ---


def test_categories_with_numbered_problems_and_measures(project: Project) -> None:
    """Shape (a): ### （一）category → #### 1.problem, with 整改措施：（1）（2） paragraphs and no statuses."""
    item = notice(project, "2024-r1/fagaiwei")
    assert [p.title[:3] for p in item.problems] == ["（一）", "（二）", "（三）"]
    assert [len(p.children) for p in item.problems] == [3, 3, 2]
    first = item.problems[0].children[0]
    assert (first.title, first.depth, first.children) == (
        "1.学习贯彻习近平新时代中国特色社会主义思想不够深入系统",
        2,
        (),
    )
    assert first.body.startswith("整改措施：（1）") and "\n\n（2）" in first.body
    assert set(statuses(item)) == {Status.UNKNOWN}
    # No leaf states a status: nothing is derived, and the tree's 8 leaves are only counted, never published as figures.
    assert (item.derivation.items, item.derivation.complete) == (8, False)
    assert item.derived_counts.is_empty()
    stated = item.counts
    assert (stated.problems, stated.specific_problems, stated.completed, stated.in_progress) == (3, 8, 5, 3)


def test_statuses_in_heading_suffixes_are_taken_off_the_titles(project: Project) -> None:
    item = notice(project, "2024-r1/fagaiwei-wancheng")
    third = item.problems[0].children[2]
    assert (third.title, third.status, third.status_text) == (
        "3.优化营商环境改革举措落实有差距",
        Status.LONG_TERM,
        "长期坚持",
    )
    assert statuses(item).count(Status.COMPLETED) == 7
    derived = item.derived_counts
    assert (derived.completed, derived.long_term, derived.completion_rate) == (7, 1, 87.5)
    assert (item.counts.completed, item.counts.long_term, item.counts.completion_rate) == (7, 1, 87.5)


def test_three_level_tree_of_aspects_problems_and_specific_problems(project: Project) -> None:
    """Shape (b): ### 第一方面 → #### （一） → ##### 1."""
    item = notice(project, "2024-r1/qinglan-xian")
    assert [p.title[:4] for p in item.problems] == ["第一方面", "第二方面", "第三方面"]
    assert [[len(c.children) for c in p.children] for p in item.problems] == [[2, 2], [2, 1], [2, 2]]
    assert {leaf.depth for leaf in leaves(item)} == {3}
    assert leaves(item)[0].title == "1.县委理论学习中心组学习研讨质量不高"
    staged = [leaf for leaf in leaves(item) if leaf.status_text == "阶段性完成"]
    assert [leaf.status for leaf in staged] == [Status.IN_PROGRESS, Status.IN_PROGRESS]
    derived, stated = item.derived_counts, item.counts
    # One counting level: the 11 leaves, never the 6 problems or the 3 aspects above them.
    assert derived.problems == item.derivation.items == stated.specific_problems == 11 and derived.specific_problems is None
    for name in ("completed", "basically_completed", "in_progress", "long_term"):
        assert getattr(derived, name) == getattr(stated, name), name
    assert (stated.completed, stated.basically_completed, stated.in_progress, stated.long_term) == (6, 2, 2, 1)


def test_second_three_level_notice_has_a_title_override_with_the_bracket_prefix(project: Project) -> None:
    item = notice(project, "2026-r1/zhujian")
    assert item.title_override and item.title.startswith("【巡察整改】中共青岚市住房和城乡建设局党组")
    assert max(p.depth for p in item.all_problems()) == 3
    assert len(leaves(item)) == item.counts.specific_problems == 7


def test_flat_numbered_list_with_status_lines(project: Project) -> None:
    """Shape (c): ### 1. … ### 12. with 完成情况：… lines."""
    item = notice(project, "2024-r1/jiaotong")
    assert [p.title.split(".")[0] for p in item.problems] == [str(i) for i in range(1, 13)]
    assert all(p.depth == 1 and not p.children for p in item.problems)
    assert item.problems[1].status_text == "正在整改"
    assert "完成情况" not in item.problems[1].body
    derived = item.derived_counts
    assert (derived.problems, derived.specific_problems) == (12, None)  # problems: the leaves
    assert (derived.completed, derived.in_progress, derived.completion_rate) == (9, 3, 75.0)
    assert (item.counts.completed, item.counts.in_progress, item.counts.completion_rate) == (9, 3, 75)


def test_question_n_with_progress_and_status_lines(project: Project) -> None:
    """Shape (d): ### 问题N：… with 整改情况：… and 完成情况：已完成."""
    item = notice(project, "2025-r1/minzheng")
    assert [p.title.split("：")[0] for p in item.problems] == [f"问题{i}" for i in range(1, 11)]
    eighth = item.problems[7]
    assert (eighth.status, eighth.status_text) == (Status.COMPLETED, "立行立改")
    assert eighth.body.startswith("整改情况：") and "完成情况" not in eighth.body
    derived = item.derived_counts
    assert (derived.completed, derived.in_progress, derived.completion_rate) == (8, 2, 80.0)
    assert (item.counts.problems, item.counts.completed, item.counts.in_progress) == (10, 8, 2)


def test_question_n_notice_with_unfinished_and_long_term_problems(project: Project) -> None:
    item = notice(project, "2025-zx1/shiyiyuan")
    assert [p.status_text for p in item.problems] == [
        "已完成",
        "已完成",
        "已完成",
        "长期坚持",
        "长期坚持",
        "正在整改",
        "未完成",
        "已完成",
    ]
    derived = item.derived_counts
    assert (derived.completed, derived.in_progress, derived.long_term, derived.not_completed) == (4, 1, 2, 1)
    assert (item.counts.long_term, item.counts.not_completed, item.counts.completion_rate) == (2, 1, 50)


def test_bold_status_labels_are_read_as_statuses(project: Project) -> None:
    item = notice(project, "2025-hk/fagaiwei")
    assert [p.status for p in item.problems].count(Status.UNKNOWN) == 0
    assert all("完成情况" not in p.body for p in item.problems)
    assert (item.derived_counts.completed, item.counts.completed) == (3, 3)


def test_yishi_ershi_paragraphs_without_numbered_measures_or_statuses(project: Project) -> None:
    """Shape (e): problem headings whose bodies are 一是…二是… paragraphs."""
    item = notice(project, "2025-r1/renshe")
    assert len(item.problems) == 4 and all(not p.children for p in item.problems)
    assert all(p.title.startswith("（") and p.title.endswith("的问题") for p in item.problems)
    assert all("一是" in p.body and "二是" in p.body for p in item.problems)
    assert not any(re.search(r"^\s*[（(]\d[)）]", p.body, re.M) for p in item.problems)
    assert set(statuses(item)) == {Status.UNKNOWN}
    assert (item.derivation.items, item.derivation.with_status) == (4, 0)
    assert item.derived_counts.is_empty()
    assert (item.counts.problems, item.counts.measures, item.counts.rules, item.counts.completed) == (4, 31, 12, None)


def test_notice_without_stated_counts_still_derives_them_from_its_statuses(project: Project) -> None:
    """Shape (f), without counts: nothing stated, figures come from the tree."""
    item = notice(project, "2025-r1/yizhong")
    assert item.counts.is_empty()
    assert [p.status_text for p in item.problems].count("立行立改") == 2
    derived = item.derived_counts
    assert (derived.problems, derived.completed, derived.long_term) == (9, 8, 1)


def test_notice_without_counts_or_statuses(project: Project) -> None:
    item = notice(project, "2025-zx1/jikong")
    assert item.counts.is_empty()
    assert set(statuses(item)) == {Status.UNKNOWN}
    assert item.derivation.items == 7 and item.derived_counts.is_empty()


# --- drafts and embargo ---


def test_draft_and_embargoed_notices_are_not_public(project: Project) -> None:
    public = {n.id for n in project.public_notices()}
    assert "2026-r1/chengtou" not in public and "2026-r1/wenlv" not in public
    assert len(public) == len(project.corpus.notices) - 2


def test_the_draft_is_hidden_by_its_flag_alone(project: Project) -> None:
    draft = notice(project, "2026-r1/chengtou")
    assert draft.draft and draft.published <= project.build_time


def test_the_embargoed_notice_is_published_on_2027_06_30(project: Project) -> None:
    future = notice(project, "2026-r1/wenlv")
    assert not future.draft
    assert (future.published.date(), future.published.strftime("%H:%M")) == (date(2027, 6, 30), "09:00")


@pytest.mark.parametrize(
    ("marker", "notice_id"), [(DRAFT_MARKER, "2026-r1/chengtou"), (EMBARGO_MARKER, "2026-r1/wenlv")]
)
def test_each_hidden_marker_is_in_exactly_one_notice(project: Project, marker: str, notice_id: str) -> None:
    holders = [n.id for n in project.corpus.notices if marker in (ROOT / n.path).read_text(encoding="utf-8")]
    assert holders == [notice_id]
    assert marker in full_text(notice(project, notice_id))


# --- disclosure status per round ---


def test_exactly_one_unit_is_overdue(project: Project) -> None:
    overdue = [(rid, s.unit.name) for rid in project.corpus.rounds for s in statuses_of(project, rid).overdue]
    assert overdue == [("2024-r1", "市财政局党组")]
    status = next(s for s in statuses_of(project, "2024-r1").units if s.unit.slug == "caizheng")
    assert (status.feedback_date, status.due_date) == (date(2024, 7, 10), date(2024, 9, 13))


def test_unit_with_feedback_in_october_2026_is_missing_but_not_overdue(project: Project) -> None:
    status = next(s for s in statuses_of(project, "2026-r1").units if s.unit.slug == "shichangjianguan")
    assert not status.disclosed and not status.overdue
    assert (status.feedback_date, status.days_since_feedback, status.due_date) == (
        date(2026, 10, 15),
        36,
        date(2026, 12, 19),
    )


def test_units_whose_only_notice_is_a_draft_or_embargoed_count_as_missing(project: Project) -> None:
    missing = {s.unit.slug for s in statuses_of(project, "2026-r1").missing}
    assert missing == {"shichangjianguan", "chengtou", "wenlv"}


def test_every_other_listed_unit_has_a_public_notice(project: Project) -> None:
    missing = {(rid, s.unit.slug) for rid in project.corpus.rounds for s in statuses_of(project, rid).missing}
    assert missing == {
        ("2024-r1", "caizheng"),
        ("2026-r1", "shichangjianguan"),
        ("2026-r1", "chengtou"),
        ("2026-r1", "wenlv"),
    }
    assert all(not statuses_of(project, rid).extra_notices for rid in project.corpus.rounds)


def test_one_unit_has_a_progress_then_a_completion_notice_in_the_same_round(project: Project) -> None:
    status = next(s for s in statuses_of(project, "2024-r1").units if s.unit.slug == "fagaiwei")
    assert [n.stage for n in status.notices] == ["进展", "完成"]


def test_a_unit_inspected_again_in_the_look_back_round_has_notices_in_both(project: Project) -> None:
    rounds = {n.round_id for n in project.public_notices() if n.unit_slug == "fagaiwei"}
    assert rounds == {"2024-r1", "2025-hk"}
    assert project.corpus.rounds["2025-hk"].type == "回头看"
    assert notice(project, "2025-hk/fagaiwei").stage == "回头看"


# --- metadata variety ---


def test_a_notice_names_its_source(project: Project) -> None:
    source = notice(project, "2025-zx1/weijian").source
    assert source.name == "青岚廉政网" and source.url.startswith("https://") and source.editor and source.index_no


def test_a_notice_has_a_pdf_attachment_next_to_it(project: Project) -> None:
    item = notice(project, "2025-r1/shuiwu")
    [attachment] = item.attachments
    path = (ROOT / item.path).parent / attachment.href
    assert path.read_bytes().startswith(b"%PDF-") and path.stat().st_size < 20_000


def test_a_notice_carries_a_correction(project: Project) -> None:
    item = notice(project, "2025-zx1/shiyiyuan")
    [correction] = item.corrections
    assert correction.date > item.published.date()
    assert "向患者退还违规收费42.6万元" in full_text(item)


def test_a_title_override_uses_the_report_variant(project: Project) -> None:
    item = notice(project, "2025-zx1/zhongyiyuan")
    assert item.title_override and item.title.endswith("阶段性进展情况的报告")


def test_an_inspection_straddles_the_new_year(project: Project) -> None:
    item = notice(project, "2025-r1/minzheng")
    assert item.inspection_start and item.inspection_end
    assert (item.inspection_start, item.inspection_end) == (date(2024, 12, 2), date(2025, 1, 24))
    assert "2024年12月2日至2025年1月24日" in item.preamble


def test_a_contact_has_several_phones_a_mobile_mailbox_address_and_postcode(project: Project) -> None:
    contact = notice(project, "2025-zx1/jikong").contact
    assert len(contact.phones) == 3 and any(re.fullmatch(r"1\d{10}", phone) for phone in contact.phones)
    assert len(contact.emails) == 2 and contact.mailbox and contact.address and contact.postcode == "100131"
    assert all(value in contact.text for value in (*contact.phones, *contact.emails, contact.postcode))


def test_every_contact_paragraph_repeats_its_phones_and_emails(project: Project) -> None:
    for item in project.corpus.notices:
        assert item.contact.text, item.id
        assert all(value in item.contact.text for value in (*item.contact.phones, *item.contact.emails)), item.id


# --- attachment folders (a loader fix found while writing the example) ---


def test_text_files_in_an_attachment_folder_are_not_read_as_records(tmp_path: Path) -> None:
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    for name in ("pages", "theme"):  # MkDocs, which reads mkdocs.yml, wants these to exist
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    files = tmp_path / "content" / "notices" / "2025-r1" / "files"
    (files / "清单.txt").write_text("整改任务清单\n", encoding="utf-8")
    (files / "readme.md").write_text("附件说明\n", encoding="utf-8")
    loaded = load_site(tmp_path / "mkdocs.yml").project
    assert [d.format() for d in loaded.diagnostics.sorted()] == []
