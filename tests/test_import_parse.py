"""Finding a notice's structure and facts in its text: titles, preamble facts, dates, counts, contact, signature."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha_site.importer.contacts import read_contact
from xuncha_site.importer.counts import find_counts
from xuncha_site.importer.facts import find_round_name, find_stage, read_preamble
from xuncha_site.importer.parse import parse_notice, split_heading
from xuncha_site.importer.sources import Block, SourceDocument


def _parse(*lines: str):
    return parse_notice(SourceDocument("t.txt", "文本", tuple(Block(line) for line in lines)))


PREAMBLE = "根据市委统一部署，2023年3月13日至5月19日，市委第一巡察组对市财政局党组进行了巡察。7月6日，市委第一巡察组向市财政局党组反馈了巡察意见。现将巡察整改进展情况予以公布。"
BODY = (
    "一、整改工作情况",
    "局党组高度重视。",
    "二、巡察反馈问题整改情况",
    "1.问题甲。",
    "整改情况：已整改。",
    "三、下一步打算",
    "持续整改。",
)


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            ["中共青岚市财政局党组关于十一届市委第三轮巡察整改进展情况的通报"],
            "中共青岚市财政局党组关于十一届市委第三轮巡察整改进展情况的通报",
        ),
        (
            ["【巡察整改】中共青岚市财政局党组关于巡察整改情况的通报"],
            "【巡察整改】中共青岚市财政局党组关于巡察整改情况的通报",
        ),
        (["中共青岚市财政局党组关于巡察集中整改进展情况的报告"], "中共青岚市财政局党组关于巡察集中整改进展情况的报告"),
        (
            ["中共青岚市财政局党组关于十一届市委第三轮巡察", "整改落实进展情况的通报"],
            "中共青岚市财政局党组关于十一届市委第三轮巡察整改落实进展情况的通报",
        ),
        ([], ""),
    ],
)
def test_title_variants_are_recognised(lines, title):
    assert _parse(*lines, PREAMBLE, *BODY).title == title


def test_preamble_facts_are_recognised():
    facts = _parse(PREAMBLE, *BODY).facts
    assert (facts.committee, facts.group, facts.unit) == ("市委", "市委第一巡察组", "市财政局党组")
    assert (facts.inspection_start, facts.inspection_end, facts.feedback_date) == (
        date(2023, 3, 13),
        date(2023, 5, 19),
        date(2023, 7, 6),
    )


def test_feedback_after_new_year_takes_the_next_year():
    facts = read_preamble(
        "2022年11月7日至12月30日，区委第三巡察组对区水利局党组开展了巡察。1月12日，区委第三巡察组反馈了巡察意见。", None
    )
    assert (facts.inspection_start, facts.inspection_end, facts.feedback_date) == (
        date(2022, 11, 7),
        date(2022, 12, 30),
        date(2023, 1, 12),
    )


def test_inspection_period_over_new_year_takes_the_next_year():
    facts = read_preamble(
        "2022年12月5日至1月20日，市委第二巡察组对市林业局党组进行了巡察。3月2日反馈了巡察意见。", None
    )
    assert (facts.inspection_end, facts.feedback_date) == (date(2023, 1, 20), date(2023, 3, 2))


def test_dates_without_any_year_take_it_from_the_notice_date():
    notice = _parse(
        "根据市委统一部署，11月7日至12月30日，市委第三巡察组对市卫生健康委员会党组进行了巡察。1月12日反馈了巡察意见。",
        *BODY,
        "中共青岚市卫生健康委员会党组",
        "2023年3月20日",
    )
    assert (notice.facts.inspection_start, notice.facts.feedback_date) == (date(2022, 11, 7), date(2023, 1, 12))


def test_signature_date_without_a_year_follows_the_feedback_date():
    notice = _parse(PREAMBLE, *BODY, "中共青岚市财政局党组", "10月20日")
    assert notice.notice_date == date(2023, 10, 20)


def test_signature_date_in_chinese_numerals():
    assert _parse(PREAMBLE, *BODY, "中共青岚市财政局党组", "二〇二三年十月二十日").notice_date == date(2023, 10, 20)


def test_signature_on_one_line():
    notice = _parse(PREAMBLE, *BODY, "中共青岚市财政局党组 2023年10月20日")
    assert (notice.issuer, notice.notice_date) == ("中共青岚市财政局党组", date(2023, 10, 20))


def test_special_inspection_and_its_topic_are_recognised():
    facts = read_preamble("2024年3月4日至4月26日，市委第一巡察组对市林业局党组开展了乡村振兴领域专项巡察。", None)
    assert (facts.kind, facts.topic) == ("专项", "乡村振兴领域")


def test_look_back_inspection_is_recognised():
    assert read_preamble("市委第四巡察组对市农业农村局党组开展了巡察“回头看”。", None).kind == "回头看"


@pytest.mark.parametrize(
    ("text", "term", "year", "number"),
    [
        ("关于十四届市委第十三轮巡察整改进展情况的通报", "十四届", None, 13),
        ("印发《关于六届市委第九轮巡察市委第二巡察组巡察情况的通报》", "六届", None, 9),
        ("根据市委2023年第二轮巡察工作安排", "", 2023, 2),
    ],
)
def test_named_round_is_recognised(text, term, year, number):
    named = find_round_name(text)
    assert named is not None and (named.term, named.year, named.number) == (term, year, number)


@pytest.mark.parametrize(
    ("title", "stage"),
    [
        ("关于巡察整改进展情况的通报", "进展"),
        ("关于巡察整改阶段性进展情况的通报", "阶段性进展"),
        ("关于巡察集中整改进展情况的通报", "集中整改"),
        ("关于巡察“回头看”整改情况的通报", "回头看"),
        ("关于巡察整改情况的通报", "完成"),
    ],
)
def test_stage_from_the_title(title, stage):
    assert find_stage(title, "")[0] == stage


def test_stage_from_the_preamble_when_there_is_no_title():
    assert find_stage("", "现将巡察集中整改进展情况予以公布。") == ("集中整改", True)


COUNTS = [
    (
        "反馈的14个问题38个具体问题，已完成整改35个，基本完成整改3个。",
        {"problems": 14, "specific_problems": 38, "completed": 35, "basically_completed": 3},
    ),
    (
        "反馈的25个问题，已完成19个、正在整改6个，完成率76%。",
        {"problems": 25, "completed": 19, "in_progress": 6, "completion_rate": 76.0},
    ),
    ("指出存在11个问题，并提出3项意见建议。", {"problems": 11, "suggestions": 3}),
    ("确定了23条整改措施，建立完善16项制度。", {"measures": 23, "rules": 16}),
    (
        "根据巡察反馈的6个问题细化分解了9个问题，已完成9个并将长期坚持。",
        {"problems": 6, "specific_problems": 9, "completed": 9},
    ),
    ("反馈的十四个问题，已完成整改十二个，阶段性完成两个。", {"problems": 14, "completed": 12, "in_progress": 2}),
    ("已整改到位20项，需长期坚持的3项，尚未完成1项。", {"completed": 20, "long_term": 3, "not_completed": 1}),
    # The completion of measures is not the completion of problems: only the number of measures is a count.
    ("整改措施共45条，已完成42条，正在推进3条，整改完成率93.3%。", {"measures": 45}),
    ("截至目前，177项整改任务，已完成174项，长期整改任务3项。", {"measures": 177}),
    ("巡察组反馈了6个方面17大项问题69子项问题。", {"problems": 17, "specific_problems": 69}),
    # Numbers in sentences that are not about the feedback or the rectification results never become counts.
    ("围绕年度目标，制定13条措施。", {}),
    ("“十三五”16项未完成定量指标已全部纳入规划。", {}),
    ("为民办实事，解决群众急难愁盼问题120个。", {}),
    ("全年资金执行完成率达到98%。", {}),
    ("确保每一项整改措施均有明确的责任人负责推进。", {}),
    (
        "巡察反馈的4个方面37个问题，已整改完成34个（含立行立改问题2个），阶段性完成整改3个。",
        {"problems": 37, "completed": 34, "in_progress": 3},
    ),
    (
        "按照巡察工作部署，18个村涉及整改问题240项，目前已经完成整改问题240项，整改完成率100%。",
        {"problems": 240, "completed": 240, "completion_rate": 100.0},
    ),
    (
        "巡察反馈的300个问题，完成整改291个，未完成9个，总体完成率97%。",
        {"problems": 300, "completed": 291, "not_completed": 9, "completion_rate": 97.0},
    ),
    (
        "对反馈的4个问题制定整改措施15条。截至7月31日，4个问题均已完成整改。",
        {"problems": 4, "measures": 15, "completed": 4},
    ),
    ("共召开党组会议5次，邀请13名代表座谈。", {}),
]


@pytest.mark.parametrize(("text", "expected"), COUNTS)
def test_counts_sentences_in_their_phrasings(text, expected):
    found = find_counts([text])
    assert {k: v for k, v in found.counts.as_dict().items() if v is not None} == expected
    assert set(found.sources) == set(expected) and all(source in text for source in found.sources.values())


def test_a_rate_that_contradicts_the_counts_is_not_written_and_the_note_says_why():
    found = find_counts(["反馈的25个问题，已完成19个、正在整改6个，完成率80%。"])
    assert (found.counts.problems, found.counts.completed, found.counts.completion_rate) == (25, 19, None)
    assert any("80%" in note and "76.0%" in note and "未写入完成率" in note for note in found.notes)
    # Reading the kept sentences again gives the same figures and notes (the import report relies on it).
    assert find_counts(list(found.sentences)) == found


def test_each_count_keeps_the_sentence_it_came_from():
    found = find_counts(
        [
            "巡察组共反馈问题11个。",
            "围绕目标，制定13条措施。截至目前，已完成整改8个，阶段性完成3个。",
            "整改完成率72.7%。",
            "计划完成率100%。",
        ]
    )
    assert found.sources == {
        "problems": "巡察组共反馈问题11个。",
        "completed": "截至目前，已完成整改8个，阶段性完成3个。",
        "in_progress": "截至目前，已完成整改8个，阶段性完成3个。",
        "completion_rate": "整改完成率72.7%。",
    }
    assert found.counts.measures is None


def test_counts_in_problem_texts_are_not_taken_for_the_notices_counts():
    notice = _parse(
        PREAMBLE,
        "一、整改情况",
        "反馈的3个问题，已完成整改2个。",
        "二、巡察反馈问题整改情况",
        "1.问题甲。",
        "整改情况：整改了5个问题。",
        "2.问题乙。",
        "3.问题丙。",
    )
    assert (notice.counts.problems, notice.counts.completed) == (3, 2)


CONTACTS = [
    (
        "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0744—6223478。邮政信箱：桑植县行政中心818室；电子邮箱：296508598@qq.com。",
        {"phones": ("0744-6223478",), "emails": ("296508598@qq.com",), "mailbox": "桑植县行政中心818室"},
    ),
    (
        "联系方式：电话0546-8329831、0546-8329832，13812345678；邮政信箱：东营市人大常委会办公室；电子邮箱dyrdzgk@ dy.shandong.cn。",
        {
            "phones": ("0546-8329831", "0546-8329832", "13812345678"),
            "emails": ("dyrdzgk@dy.shandong.cn",),
            "mailbox": "东营市人大常委会办公室",
        },
    ),
    (
        "举报电话：12388；联系电话：（0123）6012000；地址：青岚市人民路8号；邮政编码：100123；电子邮箱：ＡＢＣ＠qinglan.example",
        {
            "phones": ("12388", "0123-6012000"),
            "emails": ("ABC@qinglan.example",),
            "address": "青岚市人民路8号",
            "postcode": "100123",
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), CONTACTS)
def test_contact_paragraph_fields(text, expected):
    contact = read_contact([text]).contact
    assert contact.text == text
    assert {k: v for k, v in vars(contact).items() if v and k != "text"} == expected


def test_contact_repairs_are_reported():
    notes = read_contact(["联系电话：0744—6223478；电子邮箱：a@ b.cn"]).notes
    assert notes == ("电子邮箱“a@ b.cn”中的空格已删除：a@b.cn", "电话“0744—6223478”已规范为“0744-6223478”")


def test_contact_lines_split_over_several_paragraphs_are_one_contact():
    notice = _parse(
        PREAMBLE,
        *BODY,
        "欢迎广大干部群众对巡察整改落实情况进行监督。",
        "联系电话：0123-6011234",
        "电子邮箱：a@b.cn",
        "中共青岚市财政局党组",
        "2023年10月20日",
    )
    assert notice.contact is not None
    assert (
        notice.contact.contact.text
        == "欢迎广大干部群众对巡察整改落实情况进行监督。\n联系电话：0123-6011234\n电子邮箱：a@b.cn"
    )
    assert all("联系电话" not in b.text for s in notice.sections for b in s.blocks)


def test_closing_formula_stays_in_the_body_between_contact_and_signature():
    notice = _parse(PREAMBLE, *BODY, "联系电话：0123-6011234。", "特此通报。", "中共青岚市财政局党组", "2023年10月20日")
    assert notice.contact is not None and notice.issuer == "中共青岚市财政局党组"
    assert notice.sections[-1].blocks[-1].text == "特此通报。"


def test_numbered_items_inside_measures_are_text_not_problems():
    notice = _parse(PREAMBLE, "一、整改工作情况", "局党组高度重视。", "二、巡察反馈问题整改情况", "（一）关于甲的问题", "1.问题甲。",
                    "整改措施：(1)制定方案。", "(2)建立台账。", "2.问题乙。", "整改措施：(1)开展检查。")  # fmt: skip
    (category,) = notice.problems
    assert [p.title for p in category.children] == ["1.问题甲。", "2.问题乙。"]
    assert [b.text for b in category.children[0].blocks] == ["整改措施：(1)制定方案。", "(2)建立台账。"]


def test_third_level_numbering_before_any_measures_is_a_problem_node():
    notice = _parse(
        PREAMBLE,
        "一、整改工作情况",
        "有关情况。",
        "二、巡察反馈问题整改情况",
        "（一）类别",
        "1.问题",
        "(1)具体问题甲",
        "整改情况：已整改。",
        "(2)具体问题乙",
    )
    assert [c.title for c in notice.problems[0].children[0].children] == ["(1)具体问题甲", "(2)具体问题乙"]


def test_repeated_number_is_kept_and_reported():
    notice = _parse(
        PREAMBLE,
        "一、整改工作情况",
        "有关情况。",
        "二、巡察反馈问题整改情况",
        "（一）甲",
        "1.问题",
        "（二）乙",
        "1.问题",
        "（二）丙",
        "1.问题",
    )
    assert len(notice.problems) == 3
    assert any("编号不连续：“（二）丙”" in note for note in notice.notes)


def test_notice_without_parts_gets_a_problems_heading_and_says_so():
    notice = _parse(PREAMBLE, "1.问题甲。", "整改情况：已整改。", "2.问题乙。", "整改情况：已整改。")
    assert [s.title for s in notice.sections] == ["巡察反馈问题整改情况"]
    assert len(notice.problems) == 2
    assert any("原文没有分部分" in note for note in notice.notes)


def test_problems_part_is_found_by_its_title_and_labels_not_its_position():
    notice = _parse(
        PREAMBLE,
        "一、整改工作组织情况",
        "（一）加强领导。",
        "（二）压实责任。",
        "二、巡察反馈问题整改情况",
        "（一）问题甲",
        "整改情况：已整改。",
        "三、下一步打算",
        "（一）持续整改。",
    )
    assert [s.title for s in notice.sections if s.nodes] == ["二、巡察反馈问题整改情况"]


@pytest.mark.parametrize(
    ("line", "heading", "rest"),
    [
        ("5.工作责任制不健全。党组会没有专题研究。", "5.工作责任制不健全。", "党组会没有专题研究。"),
        (
            "1.关于“学习不够深入。学习传达不全面”问题的整改情况。",
            "1.关于“学习不够深入。学习传达不全面”问题的整改情况。",
            "",
        ),
        ("2.处理和督办人大代表建议不到位问题。", "2.处理和督办人大代表建议不到位问题。", ""),
    ],
)
def test_problem_line_is_split_after_its_first_sentence_outside_quotes(line, heading, rest):
    assert split_heading(line) == (heading, rest)


def test_issuer_comes_from_the_title_when_there_is_no_signature():
    notice = _parse("中共青岚市财政局党组关于巡察整改进展情况的通报", PREAMBLE, *BODY)
    assert notice.issuer == "中共青岚市财政局党组"
    assert any("原文没有落款" in note for note in notice.notes)


# --- failure classes of notices as received (issue 16) -----------------------------------------------------------


def test_date_at_a_line_end_is_not_glued_to_the_next_lines_group():
    facts = read_preamble("根据省委统一部署，2023年4月1日至6月30日" + "省委第一巡视组对青岚大学党委进行了巡视。", None)
    assert (facts.group, facts.inspection_end) == ("省委第一巡视组", date(2023, 6, 30))


def test_unit_without_its_short_name():
    facts = read_preamble("中央第十二巡视组对青岚部党组（以下简称部党组）开展了常规巡视。", None)
    assert facts.unit == "青岚部党组"


@pytest.mark.parametrize(
    "text",
    [
        "2020年11月十届市委第五轮巡察反馈的药品耗材管理问题仍有反弹",
        "上轮十届市委第五轮巡察指出的问题整改不彻底",
        "十届市委第五轮巡察反馈的问题尚未整改到位",
    ],
)
def test_earlier_round_quoted_in_the_text_is_not_the_notices_round(text):
    assert find_round_name(text) is None


def test_round_named_only_in_a_problem_is_not_taken():
    notice = _parse(
        PREAMBLE,
        "一、整改工作情况",
        "局党组高度重视。",
        "二、巡察反馈问题整改情况",
        "1.上轮巡察反馈问题整改不彻底。十届市委第五轮巡察的问题仍有反弹。",
        "整改情况：已整改。",
    )
    assert notice.round_name is None


def test_round_named_in_part_one_is_taken_and_reported():
    notice = _parse(
        PREAMBLE, "一、整改工作情况", "印发《关于十一届市委第三轮巡察市委第一巡察组反馈意见的整改方案》。", *BODY[2:]
    )
    assert notice.round_name is not None and notice.round_name.number == 3
    assert any("按正文中的“十一届市委第三轮巡察”识别，请核对" in note for note in notice.notes)


def test_measures_of_part_one_are_not_the_problems_when_no_title_says_problems():
    notice = _parse(
        PREAMBLE,
        "一、提高政治站位，切实扛起巡察整改政治责任",
        "1.提高政治站位，压实整改责任。局党组召开专题会议。",
        "2.细化整改方案，建立工作台账。制定整改方案。",
        "二、巡察整改落实情况",
        "（一）关于落实全面从严治党责任不到位的问题",
        "1.理论学习不够深入。局党组制定学习计划。",
        "（二）关于内部管理不规范的问题",
        "1.公务接待审批不严格。局党组修订办法。",
        "三、下一步工作打算",
        "持续整改。",
    )
    assert [s.title for s in notice.sections if s.nodes] == ["二、巡察整改落实情况"]
    assert [len(node.children) for node in notice.problems] == [1, 1]


def test_mailbox_keeps_the_recipient_after_a_comma():
    contact = read_contact(["邮政信箱：青岚市人民南路66号，青岚市第一人民医院党委办公室；邮政编码：100140。"]).contact
    assert (contact.mailbox, contact.postcode) == ("青岚市人民南路66号，青岚市第一人民医院党委办公室", "100140")


def test_mailbox_keeps_the_recipient_on_the_next_line():
    notice = _parse(
        PREAMBLE,
        *BODY,
        "联系电话：0123-6040000",
        "邮政信箱：青岚市人民南路66号",
        "青岚市第一人民医院党委办公室",
        "邮政编码：100140",
        "中共青岚市第一人民医院委员会",
        "2025年3月15日",
    )
    assert notice.contact is not None
    assert notice.contact.contact.mailbox == "青岚市人民南路66号青岚市第一人民医院党委办公室"
    assert all("党委办公室" not in b.text for s in notice.sections for b in s.blocks)


def test_mailbox_stops_before_the_next_field():
    contact = read_contact(["邮政信箱：青岚市人民南路66号，电子邮箱：a@b.cn"]).contact
    assert contact.mailbox == "青岚市人民南路66号"


def test_issuer_wrapped_over_two_lines_is_one_issuer():
    notice = _parse(PREAMBLE, *BODY, "中共青岚市第一人民医院", "委员会", "2025年3月15日")
    assert notice.issuer == "中共青岚市第一人民医院委员会"


def test_two_issuers_of_a_joint_notice_stay_two():
    notice = _parse(PREAMBLE, *BODY, "中共青岚市财政局党组", "中共青岚市审计局党组", "2023年10月20日")
    assert notice.issuer == "中共青岚市财政局党组、中共青岚市审计局党组"


HEAD = (
    "青岚纪检监察网",
    "当前位置：首页 > 巡视巡察",
    "中共青岚市财政局党组关于巡察整改进展情况的通报",
    "来源：青岚市财政局　发布时间：2023-10-25 09:30　浏览量：125　【字体：大 中 小】",
)


def test_chrome_before_the_title_is_dropped_and_its_facts_kept():
    notice = _parse(*HEAD, PREAMBLE, *BODY)
    assert notice.title == "中共青岚市财政局党组关于巡察整改进展情况的通报"
    assert (notice.web.name, notice.web.published, notice.web.site) == (
        "青岚市财政局",
        "2023-10-25 09:30",
        "青岚纪检监察网",
    )
    assert [d.text for d in notice.dropped] == [
        "青岚纪检监察网",
        "当前位置：首页 > 巡视巡察",
        "【字体：大 中 小】",
        "浏览量：125",
    ]
    assert notice.preamble[0].text == PREAMBLE


def test_information_catalogue_block_before_the_title():
    notice = _parse(
        "• 信息索引号:",
        "000000000/2023-00123",
        "• 文件名称:",
        "中共青岚市财政局党组关于巡察整改情况的通报",
        "• 发布机构:",
        "青岚市财政局",
        "• 成文日期:",
        "2023-10-20",
        "• 中共青岚市财政局党组关于巡察整改情况的通报",
        PREAMBLE,
        *BODY,
    )
    assert notice.title == "中共青岚市财政局党组关于巡察整改情况的通报"
    assert notice.web.index_no == "000000000/2023-00123"
    assert notice.notice_date == date(2023, 10, 20)  # no signature: the 成文日期, and the report says so
    assert any("成文日期" in note for note in notice.notes)
    assert notice.preamble[0].text == PREAMBLE


def test_breadcrumb_row_ending_in_the_title():
    notice = _parse("青岚市人民政府门户网站 青岚市财政局 政务公告 中共青岚市财政局党组关于巡察整改情况的通报", PREAMBLE)
    assert notice.title == "中共青岚市财政局党组关于巡察整改情况的通报"
    assert notice.web.site == "青岚市人民政府门户网站"


def test_title_with_a_space_is_not_taken_for_a_breadcrumb():
    notice = _parse("中共青岚市财政局党组 关于巡察整改情况的通报", PREAMBLE)
    assert notice.title == "中共青岚市财政局党组 关于巡察整改情况的通报"
    assert notice.dropped == ()


@pytest.mark.parametrize(
    "footer",
    [
        ("【打印本页】【关闭窗口】",),
        ("扫一扫在手机打开当前页",),
        ("首页 要闻动态 巡视巡察 信访举报",),
        ("[转入文章首发地址](https://lz.qinglan.example/a/1.html)",),
        ("网站地图 | 联系我们", "联系地址：青岚市建设路1号 电话：0123-6000000 澜ICP备00000000号"),
        ("联系地址：青岚市建设路1号　邮编：100100　电话：0123-6000000",),  # no footer word: but after the signature
    ],
)
def test_footer_after_the_signature_leaves_signature_and_contact_found(footer):
    notice = _parse(PREAMBLE, *BODY, "联系电话：0123-6011234。", "中共青岚市财政局党组", "2023年10月20日", *footer)
    assert (notice.issuer, notice.notice_date) == ("中共青岚市财政局党组", date(2023, 10, 20))
    assert notice.contact is not None and notice.contact.contact.phones == ("0123-6011234",)
    body = [b.text for s in notice.sections for b in s.blocks]
    assert not any(line in body for line in footer)


def test_first_publication_link_after_the_signature_is_the_source_url():
    notice = _parse(
        PREAMBLE,
        *BODY,
        "中共青岚市财政局党组",
        "2023年10月20日",
        "[转入文章首发地址](https://lz.qinglan.example/a/1.html)",
    )
    assert notice.web.url == "https://lz.qinglan.example/a/1.html"


def test_groups_listed_after_the_signature_are_not_taken_for_a_footer():
    notice = _parse(
        PREAMBLE, *BODY, "中共青岚市委巡察办", "2023年10月20日", "市委第一巡察组：市财政局党组、市审计局党组"
    )
    assert "市委第一巡察组：市财政局党组、市审计局党组" in [b.text for s in notice.sections for b in s.blocks]


def test_this_site_as_source_takes_the_site_name():
    notice = _parse("青岚纪检监察网", "来源：本网　发布时间：2023-10-25", PREAMBLE, *BODY)
    assert notice.web.name == "青岚纪检监察网"


def test_a_first_sentence_with_a_footers_word_is_not_chrome():
    notice = _parse("市委巡察办提供技术支持，现将巡察整改进展情况予以公布。", *BODY)
    assert notice.dropped == () and notice.preamble[0].text.startswith("市委巡察办提供技术支持")
