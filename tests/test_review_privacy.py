"""Privacy and secrecy review in `xuncha check` and `xuncha build`: ID numbers (check digit), bank cards (Luhn),
mobile numbers and e-mails outside the contact block, vehicle plates, the site's own terms; masked, with path:line."""

from __future__ import annotations

import re
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings, strategies as st
from recordkit import MKDOCS_YML, NOTICE_BODY, NOTICE_FRONT, RecordSite, notice_text

from xuncha_site.commands.cli import main
from xuncha_site.commands.site import load_site
from xuncha_site.core import review
from xuncha_site.core.diagnostics import Level
from xuncha_site.core.review import id_check_digit_ok, luhn_ok

THEME = Path(__file__).resolve().parents[1] / "theme"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """A made-up ID number with its right check digit (GB 11643)."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def card_number(first: str) -> str:
    """A made-up card number completed with its Luhn digit."""
    for last in "0123456789":
        if luhn_ok(first + last):
            return first + last
    raise AssertionError


VALID_ID = id_number("11010519800101123")
WRONG_ID = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
VALID_CARD = card_number("622202123456789012")
WRONG_CARD = VALID_CARD[:-1] + str((int(VALID_CARD[-1]) + 1) % 10)
PARAGRAPH = "反馈的2个问题3个具体问题，已完成整改2个，正在整改1个。"


def site_with(tmp_path: Path, sentence: str, *, front: str = NOTICE_FRONT, settings: str = "") -> RecordSite:
    site = RecordSite(tmp_path / "site")
    if settings:
        site.write("mkdocs.yml", MKDOCS_YML.format(theme=THEME) + settings)
    else:
        site.write("mkdocs.yml", MKDOCS_YML.format(theme=THEME))
    site.notice(text=notice_text(front, NOTICE_BODY.replace(PARAGRAPH, PARAGRAPH + sentence)))
    return site


def sentence_line(site: RecordSite, fragment: str) -> int:
    lines = (site.root / "content/notices/2024-r1/tongji.md").read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if fragment in line)


def review_diags(site: RecordSite) -> list:
    return [d for d in site.diagnostics() if "审查" in d.message]


def test_check_digits_are_the_standard_ones():
    assert id_check_digit_ok("11010519491231002X")  # the standard's own example
    assert not id_check_digit_ok("110105194912310021")
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


def test_id_number_with_right_check_digit_is_warned_masked_at_its_line(tmp_path):
    site = site_with(tmp_path, f"涉及人员身份证号{VALID_ID}已核实。")
    [diag] = review_diags(site)
    assert diag.level is Level.WARNING
    assert diag.path == "content/notices/2024-r1/tongji.md"
    assert diag.line == sentence_line(site, VALID_ID)
    assert "身份证号" in diag.message
    assert VALID_ID not in diag.message and VALID_ID[:3] in diag.message and "*" in diag.message


def test_id_number_with_wrong_check_digit_is_not_reported(tmp_path):
    assert review_diags(site_with(tmp_path, f"编号{WRONG_ID}。")) == []


def test_bank_card_passing_luhn_is_warned_and_one_failing_is_not(tmp_path):
    [diag] = review_diags(site_with(tmp_path / "a", f"退款转入卡号{VALID_CARD}。"))
    assert "银行卡号" in diag.message and VALID_CARD not in diag.message
    grouped = " ".join(VALID_CARD[i : i + 4] for i in range(0, len(VALID_CARD), 4))
    assert len(review_diags(site_with(tmp_path / "b", f"卡号{grouped}。"))) == 1
    assert review_diags(site_with(tmp_path / "c", f"卡号{WRONG_CARD}。")) == []


def test_mobile_number_in_the_contact_block_is_fine_in_the_body_is_warned(tmp_path):
    front = NOTICE_FRONT.replace('phones: ["0123-6000001"]', 'phones: ["0123-6000001", "13912345678"]')
    front += "  text: 联系电话：0123-6000001，13912345678；电子邮箱：tjj@test.example。\n"
    assert review_diags(site_with(tmp_path / "a", "", front=front)) == []
    site = site_with(tmp_path / "b", "联系人张某，手机139 1234 5678。", front=front)
    [diag] = review_diags(site)
    assert "手机号码" in diag.message and "13912345678" not in diag.message
    assert diag.line == sentence_line(site, "联系人张某")


def test_email_outside_the_contact_block_is_warned(tmp_path):
    [diag] = review_diags(site_with(tmp_path, "举报材料请发送至 zhang.san@mail.example。"))
    assert "电子邮箱" in diag.message and "zhang.san" not in diag.message


def test_vehicle_plate_is_warned_and_document_numbers_are_not(tmp_path):
    assert review_diags(site_with(tmp_path / "a", "公车澜A·12345违规停放。")) == []  # 澜: not a province
    assert review_diags(site_with(tmp_path / "b", "依据测政发〔2024〕12号文件。")) == []
    [plate] = review_diags(site_with(tmp_path / "c", "公车京A·D1234违规停放。"))
    assert "车牌号" in plate.message and "D1234" not in plate.message


def test_site_terms_are_reported_masked_with_their_list_line(tmp_path):
    site = site_with(tmp_path, "相关线索已移交青岚二号专案组。")
    site.write("content/review.yml", "terms:\n  - 测试词语\n  - term: 青岚二号专案\n    note: 未公布的案件\n")
    [diag] = review_diags(site)
    assert (
        "保密审查" in diag.message and "content/review.yml 第 3 行" in diag.message and "未公布的案件" in diag.message
    )
    assert "青岚二号专案" not in diag.message


def test_allow_list_silences_a_checked_number(tmp_path):
    site = site_with(tmp_path, "服务手机13912345678。")
    site.write("content/review.yml", 'allow: ["139-1234-5678"]\n')
    assert review_diags(site) == []


def test_bad_review_list_is_an_error_with_its_line(tmp_path):
    site = site_with(tmp_path, "")
    site.write("content/review.yml", "terms:\n  - 词\nwordings: []\n")
    found = [d.format() for d in site.diagnostics() if d.path == "content/review.yml"]
    assert any(":2: 错误: " in line and "两个字" in line for line in found)
    assert any(":3: 错误: " in line and "wordings" in line for line in found)


def test_require_approval_makes_hits_errors_and_the_build_stops(tmp_path, capsys):
    site = site_with(tmp_path, f"身份证号{VALID_ID}。", settings="      require_approval: true\n")
    [diag] = review_diags(site)
    assert diag.level is Level.ERROR
    out = tmp_path / "out"
    assert main(["build", "-f", str(site.root / "mkdocs.yml"), "-d", str(out)]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "隐私审查" in err and VALID_ID not in err


def test_check_prints_the_hit_as_path_line_warning(tmp_path, capsys):
    site = site_with(tmp_path, f"卡号{VALID_CARD}。")
    assert main(["check", "-f", str(site.root / "mkdocs.yml")]) == 0
    err = capsys.readouterr().err
    line = sentence_line(site, VALID_CARD)
    assert f"content/notices/2024-r1/tongji.md:{line}: 警告: 隐私审查：疑似银行卡号" in err
    assert VALID_CARD not in err


@pytest.mark.parametrize(
    "text", ["2021 2022 2023 2024年", "价款12345678901234567元", "https://x.example/a/6222021234567890123"]
)
def test_numbers_that_are_not_personal_data_are_not_reported(tmp_path, text):
    assert review_diags(site_with(tmp_path, text)) == []


# --- wording -----------------------------------------------------------------------------------------------------


def test_default_wording_list_suggests_the_right_form(tmp_path):
    site = site_with(tmp_path, "依据《中国共产党巡察工作条例》开展巡察。")
    [diag] = [d for d in site.diagnostics() if d.message.startswith("规范表述")]
    assert diag.level is Level.WARNING and diag.line == sentence_line(site, "巡察工作条例")
    assert "“中国共产党巡察工作条例”应为“中国共产党巡视工作条例”" in diag.message


def test_wording_of_the_site_list_and_a_wrong_form_inside_the_right_one(tmp_path):
    site = site_with(tmp_path, "市委巡察办督导，县巡察办配合。")
    site.write("content/review.yml", "wording:\n  - wrong: 巡察办\n    right: 市委巡察办\n    note: 本市写法\n")
    [diag] = [d for d in site.diagnostics() if d.message.startswith("规范表述")]
    assert diag.message == "规范表述：“巡察办”应为“市委巡察办”（本市写法）"
    site.write("content/review.yml", "wording:\n  - wrong: 巡察办\n    right: 市委巡察办\n")
    edit = site.root / "content/notices/2024-r1/tongji.md"
    edit.write_text(edit.read_text(encoding="utf-8").replace("县巡察办", "市委巡察办"), encoding="utf-8")
    assert [d for d in site.diagnostics() if d.message.startswith("规范表述")] == []


def test_defaults_false_turns_the_built_in_list_off(tmp_path):
    site = site_with(tmp_path, "经中纪委督办。")
    assert len([d for d in site.diagnostics() if d.message.startswith("规范表述")]) == 1
    site.write("content/review.yml", "defaults: false\n")
    assert [d for d in site.diagnostics() if d.message.startswith("规范表述")] == []


# --- the example site --------------------------------------------------------------------------------------------


EXAMPLE = Path(__file__).resolve().parents[1]


def test_example_site_has_no_review_finding_and_its_fictional_list_is_read():
    from xuncha_site.core.diagnostics import Diagnostics
    from xuncha_site.core.review import DEFAULT_WORDING, load_review_list

    project = load_site(EXAMPLE / "mkdocs.yml").project
    found = [d.format() for d in project.diagnostics.items if "审查" in d.message or d.message.startswith("规范表述")]
    assert found == []
    diags = Diagnostics()
    listed = load_review_list(EXAMPLE / "content", "content/review.yml", diags)
    assert not diags.items
    assert [term.term for term in listed.terms] == ["青岚一号专案", "澜江内参"]
    assert listed.wording[0].wrong == "青岚市发改委" and listed.wording[1:] == DEFAULT_WORDING


def test_a_term_of_the_example_list_in_a_notice_is_found(tmp_path):
    import shutil

    root = tmp_path / "example"
    shutil.copytree(EXAMPLE / "content", root / "content")
    shutil.copy(EXAMPLE / "mkdocs.yml", root / "mkdocs.yml")
    (root / "pages").mkdir()
    (root / "theme").symlink_to(EXAMPLE / "theme")
    record = root / "content/notices/2025-r1/minzheng.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n有关情况见澜江内参。\n", encoding="utf-8")
    [diag] = [d for d in load_site(root / "mkdocs.yml").project.diagnostics.items if "审查" in d.message]
    assert diag.path == "content/notices/2025-r1/minzheng.md" and "澜江内参" not in diag.message
    assert "content/review.yml 第 6 行：内部资料名称" in diag.message


def test_the_editors_guide_lists_every_built_in_wording():
    from xuncha_site.core.review import DEFAULT_WORDING

    guide = (EXAMPLE / "docs" / "编辑指南.md").read_text(encoding="utf-8")
    table = guide[guide.index("| 误写或过时写法 |") :].split("\n\n")[0]
    rows = table.split("\n")[2:]
    for wording in DEFAULT_WORDING:
        assert any(wording.wrong in row.split("|")[1] and wording.right in row.split("|")[2] for row in rows), wording
    assert len(rows) <= len(DEFAULT_WORDING)


def test_full_width_digits_are_read_as_digits(tmp_path):
    wide = "".join(chr(ord(char) + 0xFEE0) for char in "13912345678")
    [diag] = review_diags(site_with(tmp_path, f"联系人手机{wide}。"))
    assert "手机号码“139******78”" in diag.message


def test_the_example_review_list_fits_its_editor_schema_which_refuses_unknown_keys():
    import json

    import jsonschema
    import yaml

    schema = json.loads((EXAMPLE / "xuncha_site/outputs/schemas/review.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load((EXAMPLE / "content/review.yml").read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"wordings": []}, schema)


# Texts with what the detectors look for: web addresses in any case (also ſ, which _URL's re.I reads as s), plates,
# numbers, e-mail addresses, among Chinese prose and ASCII.
SCANNED = list("京沪粤澜ABDHIOXZabhpstwWſ·・. :/-@_%+0123456789ｗＷ１２整改完成（）“”，。；\n")


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(st.sampled_from(SCANNED), max_size=20),
            st.sampled_from(["http://", "HTTPS://", "httpſ://", "www.", "WwW.", "京A·D1234", "粤B12345", "a@b.cn"]),
        ),
        max_size=12,
    ).map("".join)
)
def test_the_quick_looks_before_a_detector_change_no_hit(text: str) -> None:
    """scan_text looks for ``://``/www. and a plate's first two characters before it runs _URL and _PLATE over the
    text: it finds what it finds when it runs them over every text."""
    assert review._may_hold_url(text) or review._URL.search(text) is None
    assert review._PLATE_START.search(text) or review._PLATE.search(text) is None
    empty = review.ReviewList()
    quick = review.scan_text(text, empty)
    with patch.object(review, "_may_hold_url", lambda text: True), patch.object(review, "_PLATE_START", re.compile("")):
        assert review.scan_text(text, empty) == quick
