"""Problem identity across a unit's notices (core/tracking.py): the matcher on the labelled fixture, the editor's pins,
and what `xuncha check` says about uncertain matches."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from site_fixtures import SITE_FIXTURES, load_clean

from xuncha_site.commands.site import load_site
from xuncha_site.core.approval import public_text_of_file
from xuncha_site.core.model import Notice
from xuncha_site.core.project import Project
from xuncha_site.core.tracking import (
    MATCH,
    normalise_title,
    problem_ref,
    similarity,
    track,
    tracking_notes,
    unit_trackers,
)

TRACKING_SITE = SITE_FIXTURES / "site_tracking"
LABELS = TRACKING_SITE / "labels.yml"
PRECISION_MIN, RECALL_MIN = 0.95, 0.9




def labelled_pairs(labels: Path = LABELS) -> set[frozenset[str]]:
    """Every pair of problems of two different notices that the labels say are one problem."""
    groups = yaml.safe_load(labels.read_text(encoding="utf-8"))["groups"]
    pairs = set()
    for group in groups:
        for a, b in itertools.combinations(group, 2):
            if a.split("#")[0] != b.split("#")[0]:
                pairs.add(frozenset((a, b)))
    return pairs


def matched_pairs(project: Project) -> set[frozenset[str]]:
    pairs = set()
    for tracker in unit_trackers(project.public_notices()).values():
        for row in tracker.rows:
            refs = [problem_ref(a.notice, a.problem) for a in row.appearances]
            pairs |= {frozenset(pair) for pair in itertools.combinations(refs, 2)}
    return pairs


def all_refs(project: Project) -> set[str]:
    return {problem_ref(notice, leaf) for notice in project.public_notices() for leaf in _leaves(notice)}


def _leaves(notice: Notice):
    for problem in notice.problems:
        yield from problem.leaves()


def test_labels_name_real_problems() -> None:
    project = load_clean(TRACKING_SITE / "mkdocs.yml")
    refs = all_refs(project)
    named = {ref for pair in labelled_pairs() for ref in pair}
    assert named <= refs, sorted(named - refs)


def test_precision_and_recall_on_the_labelled_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    project = load_clean(TRACKING_SITE / "mkdocs.yml")
    wanted, found = labelled_pairs(), matched_pairs(project)
    assert len(wanted) >= 30
    true_pos = len(found & wanted)
    precision = true_pos / len(found)
    recall = true_pos / len(wanted)
    misses = sorted(" ↔ ".join(sorted(pair)) for pair in wanted - found)
    wrong = sorted(" ↔ ".join(sorted(pair)) for pair in found - wanted)
    with capsys.disabled():
        print(f"\n问题追踪：{len(wanted)} 对，查准率 {precision:.3f}，查全率 {recall:.3f}")
        print("\n".join(f"  漏：{m}" for m in misses))
        print("\n".join(f"  错：{w}" for w in wrong))
    assert precision >= PRECISION_MIN
    assert recall >= RECALL_MIN
    assert misses, "the fixture keeps a merge and a split the one-to-one rule cannot follow"


def assert_every_miss_is_a_check_warning(project: Project, labels: Path) -> None:
    notes = tracking_notes(project.corpus.notices)
    texts = [note.format() for note in notes]
    by_ref = {problem_ref(n, leaf): (n, leaf) for n in project.public_notices() for leaf in _leaves(n)}
    for pair in labelled_pairs(labels) - matched_pairs(project):
        (_n1, p1), (n2, p2) = sorted((by_ref[ref] for ref in pair), key=lambda item: item[0].notice_date)
        hits = [t for t in texts if t.startswith(f"{n2.path}:{p2.line}: 警告: ") and p1.title in t and p2.title in t]
        assert hits, f"no warning for {p1.title} ↔ {p2.title}: {texts}"


def test_every_miss_is_a_check_warning_with_both_titles() -> None:
    assert_every_miss_is_a_check_warning(load_clean(TRACKING_SITE / "mkdocs.yml"), LABELS)


@pytest.mark.parametrize(
    ("name", "recall_measured"),
    [
        # Written after the thresholds were set on site_tracking: recall 0.733 then; its misses led to the position
        # rule (0.933), so it became a development set.
        ("site_tracking_heldout", 14 / 15),
        # Written after the position rule, run once: recall 0.750 (four misses: two rewordings that keep two
        # characters of four, a reordered title, the 回头看 one that follows them); its two unseen misses led to
        # PLACE_HINT, so it became a development set too.
        ("site_tracking_heldout2", 12 / 16),
        # Written after the last change of the rules, labels first, run once: precision 1.000, recall 0.909.
        ("site_tracking_heldout3", 30 / 33),
    ],
)
def test_on_the_later_sets_no_match_is_wrong_and_every_miss_is_a_check_warning(
    name: str, recall_measured: float, capsys: pytest.CaptureFixture[str]
) -> None:
    site = SITE_FIXTURES / name
    labels = site / "labels.yml"
    project = load_clean(site / "mkdocs.yml")
    assert labelled_pairs(labels) <= {frozenset(p) for p in itertools.combinations(all_refs(project), 2)}
    wanted, found = labelled_pairs(labels), matched_pairs(project)
    true_pos = len(found & wanted)
    with capsys.disabled():
        print(f"\n问题追踪（{name}）：{len(wanted)} 对，查准率 {true_pos / len(found):.3f}，查全率 {true_pos / len(wanted):.3f}")
    assert true_pos / len(found) >= PRECISION_MIN
    assert true_pos / len(wanted) >= recall_measured - 1e-9, "the matcher finds fewer pairs than when the set was made"
    assert_every_miss_is_a_check_warning(project, labels)


def test_check_prints_the_doubts(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xuncha_site", "check", "-f", str(TRACKING_SITE / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "警告: 问题“3.政府采购管理不规范”与" in result.stderr
    assert "“3.政府采购和合同管理不规范”相似度" in result.stderr
    assert "处跨通报问题匹配待确认（警告，不影响检查结果）" in result.stderr


def test_normalised_titles_and_similarity() -> None:
    assert normalise_title("（一）关于报销手续不全的问题") == "报销手续不全"
    assert normalise_title("1.公务用车管理不规范") == "公务用车管理不规范"
    assert similarity("2.关于重点项目推进缓慢的问题", "重点项目推进缓慢") == 100
    assert similarity("档案管理不规范", "党费收缴不规范") < MATCH


def test_a_unit_with_one_notice_has_no_tracker() -> None:
    project = load_clean(TRACKING_SITE / "mkdocs.yml")
    trackers = unit_trackers(project.public_notices())
    assert set(trackers) == {"jia", "yi", "bing"}
    assert [n.slug for n in trackers["bing"].notices] == ["bing-jinzhan", "bing-jieduan", "bing-wancheng"]


def _copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(TRACKING_SITE, site)
    config = site / "mkdocs.yml"
    theme = Path(__file__).parent.parent / "theme"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../theme", str(theme)), encoding="utf-8")
    return site


def _add_tracking(site: Path, notice: str, block: str) -> Path:
    path = site / "content" / "notices" / notice
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("stage:", block.strip() + "\nstage:", 1), encoding="utf-8")
    return path


def test_same_as_pins_and_new_breaks(tmp_path: Path) -> None:
    site = _copy(tmp_path)
    _add_tracking(
        site,
        "2024-a/yi-wancheng.md",
        """
tracking:
  - problem: 3.政府采购管理不规范
    same_as: 2024-a/yi-jinzhan#3.政府采购和合同管理不规范
  - problem: 5.信访积案化解不及时
    new: true
""",
    )
    project = load_clean(site / "mkdocs.yml")
    tracker = unit_trackers(project.public_notices())["yi"]
    rows = {tuple(a.problem.title for a in row.appearances) for row in tracker.rows}
    assert ("3.政府采购和合同管理不规范", "3.政府采购管理不规范") in rows
    assert ("4.信访问题化解不及时",) in rows and ("5.信访积案化解不及时",) in rows
    # the pinned problem is no doubt any more; the other half of the split is
    notes = " ".join(note.message for note in tracking_notes(project.corpus.notices))
    assert "“3.政府采购管理不规范”与" not in notes
    assert "“4.合同管理不规范”与" in notes


def _heldout_copy(tmp_path: Path, name: str) -> Path:
    site = tmp_path / name
    shutil.copytree(SITE_FIXTURES / name, site)
    config = site / "mkdocs.yml"
    theme = Path(__file__).parent.parent / "theme"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../theme", str(theme)), encoding="utf-8")
    return site


def _rows_of(project: Project, unit: str) -> set[tuple[str, ...]]:
    tracker = unit_trackers(project.public_notices())[unit]
    return {tuple(a.problem.title for a in row.appearances) for row in tracker.rows}


def test_a_grey_pair_in_the_same_place_is_one_problem_and_still_a_warning(tmp_path: Path) -> None:
    # 公务用车管理不规范 / 公务车辆使用管理不规范: similarity 77, below MATCH; both number 4 and nothing else fits.
    assert 66 <= similarity("4.公务用车管理不规范", "4.公务车辆使用管理不规范") < MATCH
    project = load_clean(SITE_FIXTURES / "site_tracking_heldout2" / "mkdocs.yml")
    assert ("4.公务用车管理不规范", "4.公务车辆使用管理不规范") in _rows_of(project, "ren")
    tracker = unit_trackers(project.public_notices())["ren"]
    row = next(r for r in tracker.rows if r.appearances[0].problem.title == "4.公务用车管理不规范")
    assert row.appearances[1].via == "position"
    notes = [n.message for n in tracking_notes(project.corpus.notices)]
    assert any("“4.公务车辆使用管理不规范”" in n and "在通报中位置相同，已当作同一问题" in n for n in notes), notes
    # a reordered title in the grey zone (5 → 3) is not matched by place: a warning that it was not
    assert ("5.落实中央八项规定精神有差距",) in _rows_of(project, "ren")
    assert any("“3.落实中央八项规定精神不到位”" in n and "未当作同一问题" in n for n in notes), notes


def test_a_same_place_pair_below_the_grey_zone_is_a_warning_only() -> None:
    # 重大事项请示报告不及时 / 请示报告制度执行不严格: similarity below DOUBT, same number 2
    assert similarity("2.重大事项请示报告不及时", "2.请示报告制度执行不严格") < 66
    project = load_clean(SITE_FIXTURES / "site_tracking_heldout2" / "mkdocs.yml")
    rows = _rows_of(project, "gui")
    assert ("2.重大事项请示报告不及时",) in rows and ("2.请示报告制度执行不严格",) in rows
    notes = [n.message for n in tracking_notes(project.corpus.notices)]
    assert any("“2.请示报告制度执行不严格”" in n and "“2.重大事项请示报告不及时”" in n for n in notes), notes


def test_new_breaks_a_match_by_place(tmp_path: Path) -> None:
    site = _heldout_copy(tmp_path, "site_tracking_heldout2")
    path = site / "content" / "notices" / "2025-c" / "ren-wancheng.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("stage:", "tracking:\n  - problem: 4.公务车辆使用管理不规范\n    new: true\nstage:", 1), encoding="utf-8")
    project = load_clean(site / "mkdocs.yml")
    rows = _rows_of(project, "ren")
    assert ("4.公务用车管理不规范",) in rows and ("4.公务车辆使用管理不规范",) in rows
    notes = " ".join(n.message for n in tracking_notes(project.corpus.notices))
    assert "“4.公务车辆使用管理不规范”" not in notes


def test_pins_that_name_nothing_are_errors_with_their_line(tmp_path: Path) -> None:
    site = _copy(tmp_path)
    path = _add_tracking(
        site,
        "2024-a/yi-wancheng.md",
        """
tracking:
  - problem: 9.没有这个问题
    new: true
  - problem: 3.政府采购管理不规范
    same_as: 2024-a/jia-jinzhan#3.报销手续不全
  - problem: 4.合同管理不规范
    same_as: 2024-a/yi-jinzhan#1.意识形态工作责任制落实不到位
    new: true
""",
    )
    project = load_site(site / "mkdocs.yml").project
    errors = [d for d in project.diagnostics.errors if "问题追踪" in d.message]
    shown = "content/notices/2024-a/yi-wancheng.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert {(d.path, lines[d.line - 1].strip()) for d in errors} == {
        (shown, "- problem: 9.没有这个问题"),
        (shown, "- problem: 3.政府采购管理不规范"),
        (shown, "- problem: 4.合同管理不规范"),
    }, [d.format() for d in errors]
    assert any("不是本单位较早通报中的问题" in d.message for d in errors)


def test_tracking_is_not_part_of_the_approved_text() -> None:
    text = (TRACKING_SITE / "content" / "notices" / "2024-a" / "yi-wancheng.md").read_text(encoding="utf-8")
    pinned = text.replace("stage:", "tracking:\n  - problem: 4.合同管理不规范\n    new: true\nstage:", 1)
    before, after = public_text_of_file(text), public_text_of_file(pinned)
    assert before is not None and after is not None
    assert before.fingerprint == after.fingerprint
    changed = text.replace("stage: 完成", "stage: 进展")
    assert public_text_of_file(changed).fingerprint != before.fingerprint  # type: ignore[union-attr]


def test_tracking_ignores_order_given() -> None:
    project = load_clean(TRACKING_SITE / "mkdocs.yml")
    jia = [n for n in project.public_notices() if n.unit_slug == "jia"]
    assert [r.title for r in track(jia).rows] == [r.title for r in track(reversed(jia)).rows]
