"""The 16 real notice openings in ../shared/real-notices, page chrome and all: the title and the page's facts are
found, every line of chrome is listed in the report, nothing else is left out, and the body starts with the notice's
own first words.

Every expected value was read off the files by hand (../shared/real-notices/SOURCES.md says what each shows). The
files are openings, so no signature or contact is expected. Run with ``pytest -m seeds`` where ../shared is beside
the repository (or XUNCHA_SHARED names it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from import_helpers import SHARED, make_site, missing_paragraphs, parse_record, reported_dropped, run_import

pytestmark = pytest.mark.seeds

REAL = SHARED / "real-notices"

# file → title ("" when the opening has none), facts of the page (source.*), the chrome lines the report must list,
# and the first words of the body.
EXPECTED: dict[str, dict[str, Any]] = {
    "002_jinhua_wucheng_wenlvti_xuncha.txt": {
        "title": "中共金华市婺城区文化和旅游体育局党组关于巡察整改情况的通报",
        "source": {
            "name": "区文旅体局",
            "index_no": "113307020501239658/2023-46395",
            "published": "2023-05-04 08:46:31",
        },
        "dropped": [
            "• 信息索引号:",
            "• 文件名称:",
            "• 发布机构:",
            "婺城区文旅体局",
            "• 成文日期:",
            "• 公开方式:",
            "主动公开",
            "• 中共金华市婺城区文化和旅游体育局党组关于巡察整改情况的通报",
            "浏览量:",
            "分享:",
            "朗读",
        ],
        "notice_date": "2023-05-04",  # the 成文日期: the opening has no signature
        "first": "根据区委统一部署,2022年9月16日至10月18日",
    },
    "003_tianjin_binhai_hangzhoudao_street.txt": {"title": "", "first": "按照区委巡察工作统一部署"},
    "004_suqian_weijianwei_xuncha.txt": {
        "title": "市卫健委党委关于巡察整改进展情况的通报",
        "source": {"name": "市委巡察办", "published": "2025-05-28"},
        "dropped": ["当前位置: 首页 >> 本级巡察情况", "字体大小:", "访问量:0", "保护视力色:"],
        "first": "根据市委统一部署,2024717日至830日",
    },
    "005_yizhang_county_weijianju_xuncha.txt": {
        "title": "中共宜章县卫生健康局党组关于巡察整改进展情况的通报",
        "dropped": ["当前位置:"],
        "first": "根据县委统一部署,2024年9月6日至12月12日",
    },
    "006_hefei_jiaoyuju_xuncha.txt": {"title": "", "first": "根据市委统一部署,2024年11月4日至12月31日"},
    "007_guangzhou_zhujianju_xuncha_reprint.txt": {
        "title": "",
        "source": {"name": "广州市住房和城乡建设局", "published": "2021-02-23 12:42:06"},
        "first": "根据市委统一部署,2020年5月17日至8月7日",
    },
    "008_yanjin_county_nongyenongcun_report.txt": {
        "title": "中共延津县农业农村局党组关于落实县委巡察反馈意见整改情况的报告",
        "source": {"name": "延津县农业农村局", "published": "2025-02-26 16:48:14"},
        "dropped": ["浏览量:4454", "字号:"],
        "first": "根据县委统一部署,2024年8月18日至9月14日",
    },
    "009_jinhua_nongyenongcun_xuncha.txt": {
        "title": "中共金华市农业农村局委员会关于市委巡察组反馈意见整改进展情况的通报",
        "source": {"index_no": "113307000025920705/2024-00019", "published": "2024-01-18"},
        "dropped": ["金华市农业农村局", "主动公开", "朗读"],
        "first": "根据市委统一部署,2023年7月6日-9月6日",
    },
    "010_wuhan_scjg_jizhong_zhenggai.txt": {
        "title": "中共武汉市市场监督管理局党组关于十四届第五轮巡察集中整改进展情况的通报",
        "source": {"name": "武汉市纪委监委", "published": "2024-06-24 17:44"},
        "dropped": ["http://www.whdi.gov.cn", "当前位置:首页 > 巡察工作 > 巡察反馈 >"],
        "first": "根据市委统一部署,2023年7月13日至8月31日",
    },
    "011_yueyang_scjg_zhuanxiang_huitoukan.txt": {
        "title": "【巡察整改】中共岳阳市市场监督管理局党组关于优化营商环境专项巡察“回头看”整改进展情况",
        "source": {"name": "巴陵风纪网", "editor": "岳纪宣", "published": "2021-11-05 10:56"},
        "first": "根据岳阳市委统一部署,2020年12月16日至2021年2月3日",
    },
    "012_anqing_jiaotong_xuncha.txt": {"title": "", "first": "根据市委统一部署,2024年4月28日至6月14日"},
    "013_yiyang_heshan_jiaotong_xuncha.txt": {"title": "", "first": "根据区委统一部署,2024年9月6日至11月20日"},
    "014_meizhou_jiaotong_xuncha.txt": {
        "title": "中共梅州市交通运输局党组关于巡察整改情况的通报",
        # 来源：本网 — the site named in the row of names before the title
        "source": {"name": "梅州市人民政府门户网站", "published": "2023-02-09 18:18:56"},
        "dropped": [
            "页面:",
            "字体:",
            "对比度:",
            "梅州市人民政府门户网站 梅州市交通运输局 政务公告",
            "当前位置:首页 > 政务公开 > 政府机构 > 市交通运输局 > 政务公告",
            "中共梅州市交通运输局党组关于巡察整改情况的通报",
            "浏览:-",
            "字号:",
            "来源：本网",
        ],
        "first": "根据市委的统一部署,2022年3月8日至5月7日",
    },
    "015_lishui_jiaotong_xuncha.txt": {
        "title": "",
        "dropped": ["公示公告"],
        "first": "根据市委统一部署,2023年10月8日至11月10日",
    },
    "016_mot_zhongyang_xunshi_mirror.txt": {"title": "", "first": "根据中央统一部署,2022年4月6日至6月2日"},
}
# Preamble facts that the openings give (the inspected unit as written, the group, the inspection and feedback).
PREAMBLE: dict[str, tuple[str, str, str, str, str]] = {
    "002_jinhua_wucheng_wenlvti_xuncha.txt": ("区文旅体局党组", "区委第二巡察组", "2022-09-16", "2022-10-18", "2023-01-17"),
    "003_tianjin_binhai_hangzhoudao_street.txt": ("杭州道街及29个社区", "区委巡察三组", "2022-08-01", "2022-09-14",
                                                  "2022-11-03"),
    "005_yizhang_county_weijianju_xuncha.txt": ("县卫健局党组", "县委第三巡察组", "2024-09-06", "2024-12-12", "2025-01-21"),
    "006_hefei_jiaoyuju_xuncha.txt": ("市教育局党委", "市委第一巡察组", "2024-11-04", "2024-12-31", "2025-04-08"),
    "007_guangzhou_zhujianju_xuncha_reprint.txt": ("市住房城乡建设局党组", "市委第八巡察组", "2020-05-17", "2020-08-07",
                                                   "2020-10-27"),
    "009_jinhua_nongyenongcun_xuncha.txt": ("市农业农村局党委", "市委第四巡察组", "2023-07-06", "2023-09-06", "2023-10-19"),
    "010_wuhan_scjg_jizhong_zhenggai.txt": ("市市场监管局党组", "市委第五巡察组", "2023-07-13", "2023-08-31", "2023-10-20"),
    "012_anqing_jiaotong_xuncha.txt": ("安庆市交通运输局", "市委第四巡察组", "2024-04-28", "2024-06-14", "2024-09-11"),
    "013_yiyang_heshan_jiaotong_xuncha.txt": ("区交通运输局党组", "区委第三巡察组", "2024-09-06", "2024-11-20", "2025-01-07"),
    "014_meizhou_jiaotong_xuncha.txt": ("市交通运输局党组", "市委第三巡察组", "2022-03-08", "2022-05-07", "2022-08-02"),
    "015_lishui_jiaotong_xuncha.txt": ("市交通运输局党委", "市委第四巡察组", "2023-10-08", "2023-11-10", "2024-02-23"),
    "016_mot_zhongyang_xunshi_mirror.txt": ("交通运输部党组", "中央第十二巡视组", "2022-04-06", "2022-06-02", "2022-07-19"),
}  # fmt: skip


def _real(name: str) -> Path:
    if not REAL.is_dir():
        pytest.fail(f"real notices directory {REAL} is missing: run the seed tests only where ../shared is present")
    return REAL / name


# A round that lists none of the real units: each notice's unit is the one its text names.
ROUND = """\
name: 测试轮次
number: 1
year: 2099
groups:
  - name: 市委第一巡察组
    units:
      - name: 测试单位党组
        slug: ceshi
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = make_site(tmp_path_factory.mktemp("real") / "site")
    (config.parent / "content" / "rounds" / "2099-x.yml").write_text(ROUND, encoding="utf-8")
    return config


def _import(site: Path, name: str, capsys: Any):
    run = run_import(site, _real(name), "--dry-run", "--round", "2099-x", capsys=capsys)
    return run, parse_record(run.out)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_notice_title_and_page_facts(site, capsys, name):
    _run, record = _import(site, name, capsys)
    expected = EXPECTED[name]
    assert record.meta.get("title", "") == expected["title"]
    source = {key: str(value) for key, value in record.meta.get("source", {}).items()}  # YAML reads times as times
    assert source == expected.get("source", {})
    if "notice_date" in expected:
        assert str(record.meta["notice_date"]) == expected["notice_date"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_notice_chrome_is_listed_in_the_report(site, capsys, name):
    run, _record = _import(site, name, capsys)
    assert reported_dropped(run.err) == EXPECTED[name].get("dropped", [])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_notice_body_starts_with_its_first_words(site, capsys, name):
    _run, record = _import(site, name, capsys)
    assert record.body.lstrip().startswith(EXPECTED[name]["first"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_notice_loses_no_line(site, capsys, name):
    run, record = _import(site, name, capsys)
    lines = [line.strip() for line in _real(name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert missing_paragraphs(lines, record, run.err) == []


@pytest.mark.parametrize("name", sorted(PREAMBLE))
def test_real_notice_preamble_facts(site, capsys, name):
    _run, record = _import(site, name, capsys)
    unit, group, start, end, feedback = PREAMBLE[name]
    assert (record.meta.get("unit"), record.meta.get("group")) == (unit, group)
    assert [str(record.meta.get(key)) for key in ("inspection_start", "inspection_end", "feedback_date")] == [
        start,
        end,
        feedback,
    ]


def test_real_round_summary_is_recognised_as_a_round_announcement(site, capsys):
    run = run_import(site, _real("001_kunming_district_round2_summary.txt"), "--dry-run", capsys=capsys)
    assert run.code == 1
    assert "未写入：这是一轮巡察的整体整改情况" in run.err
    assert yaml.safe_load(run.out)["description"].startswith("根据区委统一安排部署,2021年11月8日至12月20日")


def test_real_central_layout_does_not_take_part_one_for_the_problems(site, capsys):
    _run, record = _import(site, "016_mot_zhongyang_xunshi_mirror.txt", capsys)
    assert "### " not in record.body  # the opening ends in part 一: its (一)(二) are measures, not problems
