"""Approval of the public text: `xuncha approve` writes it, `require_approval` makes a missing or stale one an error in
check and build (with what changed), a published notice is re-approved only with a correction; `xuncha review` sheets."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort
from recordkit import MKDOCS_YML, RecordSite
from site_fixtures import build_mkdocs_site

from xuncha_site.commands.cli import main
from xuncha_site.core.approval import public_text_of_file
from xuncha_site.core.review import EXEMPT_CASES

THEME = Path(__file__).resolve().parents[1] / "theme"
RECORD = "content/notices/2024-r1/tongji.md"
REQUIRE = "      require_approval: true\n"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@test.example", *args], cwd=root, check=True,
                   capture_output=True)  # fmt: skip


@pytest.fixture
def site(tmp_path: Path) -> RecordSite:
    """A one-notice site that requires approval, in a git repository."""
    site = RecordSite(tmp_path / "site")
    site.write("mkdocs.yml", MKDOCS_YML.format(theme=THEME) + REQUIRE)
    site.notice()
    git(site.root, "init", "-q")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-qm", "通报")
    return site


def run(site: RecordSite, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([args[0], "-f", str(site.root / "mkdocs.yml"), *args[1:]])
    out = capsys.readouterr()
    return code, out.out, out.err


def approve(site: RecordSite, capsys, *more: str) -> tuple[int, str]:
    code, _, err = run(site, capsys, "approve", str(site.root / RECORD), "--by", "市委巡察办主任", *more)
    return code, err


def edit(site: RecordSite, old: str, new: str) -> None:
    path = site.root / RECORD
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def front(site: RecordSite) -> dict:
    return yaml.safe_load((site.root / RECORD).read_text(encoding="utf-8").split("---\n")[1])


def test_unapproved_notice_fails_check_and_build_when_approval_is_required(site, capsys, tmp_path):
    code, _, err = run(site, capsys, "check")
    assert code == 1
    assert f"{RECORD}:1: 错误: 未经批准" in err and f"xuncha approve {RECORD} --by" in err
    out = tmp_path / "out"
    assert run(site, capsys, "build", "-d", str(out))[0] == 1
    assert not out.exists()


def test_without_the_setting_nothing_is_required(tmp_path, capsys):
    site = RecordSite(tmp_path / "plain")
    site.write("mkdocs.yml", MKDOCS_YML.format(theme=THEME))
    site.notice()
    code, _, err = run(site, capsys, "check")
    assert code == 0 and "批准" not in err


def test_approve_writes_approver_date_and_fingerprint_and_check_passes(site, capsys, tmp_path):
    before = (site.root / RECORD).read_text(encoding="utf-8")
    code, err = approve(site, capsys, "--date", "2024-09-04")
    assert code == 0, err
    after = (site.root / RECORD).read_text(encoding="utf-8")
    approval = front(site)["approval"]
    assert approval["by"] == "市委巡察办主任" and str(approval["date"]) == "2024-09-04"
    text = public_text_of_file(after)
    assert text is not None and approval["fingerprint"] == text.fingerprint
    # Only the approval was added: every other line is as it was.
    assert [line for line in after.split("\n") if line not in before.split("\n")] == [
        "approval:",
        '  by: "市委巡察办主任"',
        "  date: 2024-09-04",
        f"  fingerprint: {text.fingerprint}",
    ]
    assert run(site, capsys, "check")[0] == 0
    out = tmp_path / "out"
    assert run(site, capsys, "build", "-d", str(out))[0] == 0
    assert "举办业务培训班2期" in (out / "notices/2024-r1/tongji/index.html").read_text(encoding="utf-8")


def test_an_approved_notice_edited_by_one_character_fails_with_what_changed(site, capsys, tmp_path):
    approve(site, capsys)
    git(site.root, "commit", "-qam", "批准")
    edit(site, "举办业务培训班2期", "举办业务培训班3期")
    code, _, err = run(site, capsys, "check")
    assert code == 1
    line = next(n for n, text in enumerate((site.root / RECORD).read_text().split("\n"), 1) if "培训班3期" in text)
    [message] = [m for m in err.splitlines() if "不一致" in m]
    assert message.startswith(f"{RECORD}:{line}: 错误: 通报文字与批准时不一致（市委巡察办主任于")
    assert "“…：举办业务培训班2期。”改为“…：举办业务培训班3期。”" in message
    out = tmp_path / "out"
    assert run(site, capsys, "build", "-d", str(out))[0] == 1 and not out.exists()


def test_white_space_key_order_quoting_and_publication_time_do_not_change_the_fingerprint(site, capsys):
    approve(site, capsys)
    edit(site, "round: 2024-r1\nunit: 市统计局党组\n", "unit: 市统计局党组\nround: '2024-r1'\n")
    edit(site, "持续巩固整改成果。", "持续巩固整改成果。   \n\n\n")
    edit(site, "published: 2024-09-05 10:00", "published: 2024-09-05 11:30")
    assert run(site, capsys, "check")[0] == 0


def test_a_change_to_a_public_field_is_named_in_the_message(site, capsys):
    approve(site, capsys)
    git(site.root, "commit", "-qam", "批准")
    edit(site, 'postcode: "100001"', 'postcode: "100002"')
    err = run(site, capsys, "check")[2]
    assert "（contact.postcode）“100001”改为“100002”" in err


def test_the_text_as_committed_before_the_approval_serves_to_list_changes(site, capsys):
    approve(site, capsys)  # the approval itself is not committed; the committed text is the approved one
    edit(site, "举办业务培训班2期", "举办业务培训班3期")
    assert "“…：举办业务培训班2期。”改为" in run(site, capsys, "check")[2]


def test_stale_approval_outside_git_says_the_changes_cannot_be_listed(site, capsys):
    edit(site, "举办业务培训班2期", "举办业务培训班3期")
    approve(site, capsys)  # not committed: the approved text is in no revision
    edit(site, "举办业务培训班3期", "举办业务培训班4期")
    err = run(site, capsys, "check")[2]
    assert "不一致" in err and "不在 git 历史中" in err


def test_published_notice_is_re_approved_only_with_a_correction(site, capsys, tmp_path):
    approve(site, capsys, "--date", "2024-09-04")
    git(site.root, "commit", "-qam", "批准")
    edit(site, "举办业务培训班2期", "举办业务培训班3期")
    code, err = approve(site, capsys)
    assert code == 1 and "corrections" in err and "更正说明" in err
    assert front(site)["approval"]["date"].isoformat() == "2024-09-04"  # the file was not touched
    edit(site, "postcode: \"100001\"\n", 'postcode: "100001"\ncorrections:\n  - date: 2024-10-08\n'
         "    text: 第二部分第2项中“2期”更正为“3期”。\n")  # fmt: skip
    code, err = approve(site, capsys, "--date", "2024-10-08")
    assert code == 0, err
    assert run(site, capsys, "check")[0] == 0
    out = tmp_path / "out"
    assert run(site, capsys, "build", "-d", str(out))[0] == 0
    page = (out / "notices/2024-r1/tongji/index.html").read_text(encoding="utf-8")
    assert "举办业务培训班3期" in page and "第二部分第2项中“2期”更正为“3期”。" in page


def test_approve_refuses_a_record_with_a_privacy_finding(site, capsys):
    edit(site, "举办业务培训班2期。", "举办业务培训班2期，联系人手机13912345678。")
    code, err = approve(site, capsys)
    assert code == 1 and "手机号码" in err and "13912345678" not in err
    assert "approval" not in front(site)


def test_approve_refuses_a_file_that_is_not_a_notice(site, capsys):
    code, _, err = run(site, capsys, "approve", str(site.root / "mkdocs.yml"), "--by", "某人")
    assert code == 2 and "不是本站的通报记录" in err


def test_review_sheet_lists_state_hits_time_and_the_five_cases(site, capsys):
    edit(site, "举办业务培训班2期。", "举办业务培训班2期，经中纪委督办。")
    code, out, _ = run(site, capsys, "review")
    assert code == 1  # not approved
    assert f"== {RECORD}" in out and "批准：未批准" in out
    assert "发布时间：2024-09-05 10:00（已发布）" in out
    assert "规范表述：1 处" in out and "“中纪委”应为“中央纪委”" in out
    for case in EXEMPT_CASES:
        assert f"[ ] {case}" in out
    approve(site, capsys)
    code, out, _ = run(site, capsys, "review", str(site.root / RECORD))
    assert code == 0 and "批准：已批准（市委巡察办主任，2026-11-20）" in out


def test_review_csv_has_one_row_per_notice_with_the_checklist_columns(site, capsys):
    approve(site, capsys)
    git(site.root, "commit", "-qam", "批准")
    edit(site, "举办业务培训班2期", "举办业务培训班3期")
    code, out, _ = run(site, capsys, "review", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 1 and len(rows) == 1
    row = rows[0]
    assert row["文件"] == RECORD and row["批准状态"] == "批准后有改动" and row["批准人"] == "市委巡察办主任"
    assert "培训班3期" in row["批准后的改动"] and row["发布时间"] == "2024-09-05 10:00"
    assert all(row[f"不予公开情形：{case}"] == "" for case in EXEMPT_CASES)


def test_review_lists_scheduled_notices_and_leaves_out_drafts(site, capsys):
    scheduled = (site.root / RECORD).read_text(encoding="utf-8").replace("2024-09-05 10:00", "2027-01-05 09:00")
    site.notice("dangan", scheduled.replace("市统计局党组", "市档案馆党组").replace("tongji", "dangan"))
    draft = scheduled.replace("stage: 进展", "stage: 进展\ndraft: true").replace("市统计局党组", "市水务局党组")
    site.notice("shuiwu", draft.replace("市委第一巡察组", "市委第二巡察组"))
    out = run(site, capsys, "review")[1]
    assert "dangan.md" in out and "定时发布（尚未到时间）" in out and "shuiwu.md" not in out


def test_plain_mkdocs_build_also_refuses_an_unapproved_notice_and_builds_an_approved_one(
    site, capsys, caplog, tmp_path
):
    with pytest.raises(Abort):
        build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "refused")
    assert f"{RECORD}:1: 错误: 未经批准" in caplog.text
    assert not (tmp_path / "refused").exists()
    approve(site, capsys)
    build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "built")
    assert (tmp_path / "built" / "notices/2024-r1/tongji/index.html").is_file()


def test_a_draft_approved_then_published_keeps_its_approval(site, capsys):
    edit(site, "stage: 进展\n", "stage: 进展\ndraft: true\n")
    assert run(site, capsys, "check")[0] == 0  # a draft needs no approval
    assert approve(site, capsys)[0] == 0
    edit(site, "draft: true\n", "")
    assert run(site, capsys, "check")[0] == 0
