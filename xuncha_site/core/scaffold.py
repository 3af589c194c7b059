"""Scaffolds for `xuncha new`: a round file or a draft notice with Chinese placeholders.

A placeholder is text in full-width brackets that starts with one of :data:`PLACEHOLDER_MARKS` — （请填写…）. A record
that still holds one cannot go live: `xuncha check` reports the field (core/validate.py), as an error, or as a warning
in a draft notice, which is never published anyway.

Names come from the command line and may hold anything (`` #`` would start a comment, a leading ``*`` an alias, ``: ``
a mapping): each is written as a YAML scalar that reads back as written, and as escaped Markdown in the body.
"""

from __future__ import annotations

from datetime import date

from xuncha_site.core.loader import slugify
from xuncha_site.core.model import Round, unit_key
from xuncha_site.core.record_text import paragraph, yaml_scalar

PLACEHOLDER_MARKS: tuple[str, ...] = ("（请填写", "（请替换", "（请按原文")
PLACEHOLDER_ROUND_NAME = "（请填写轮次名称，如 十一届市委第九轮巡察）"


def placeholder_in(text: str) -> str | None:
    """The first scaffold placeholder in ``text`` (its bracketed words), if any."""
    for mark in PLACEHOLDER_MARKS:
        start = text.find(mark)
        if start >= 0:
            end = text.find("）", start)
            return text[start : end + 1] if end > start else text[start : start + 30]
    return None


ROUND_TEMPLATE = """\
# 巡察轮次文件。字段说明见 docs/记录格式.md。以 # 开头的行是注释，可以删去。
name: {name}
committee: {committee}        # 派出巡察组的党委（来自 --committee）
# term: 十一届                 # 届次
# number: 1                    # 第几轮
year: {year}                   # 年度（来自 --year）
type: 常规                     # 常规 | 专项 | 机动 | 回头看 | 提级
# topic: 乡村振兴领域          # 专项巡察的主题
# inspection_start: {today}    # 巡察开始日期
# inspection_end: {today}      # 巡察结束日期
# feedback_date: {today}       # 反馈日期（之后 deadline_days 天内应公开整改进展）
groups:
  - name: 市委第一巡察组
    units:
      - name: （请填写被巡察单位，如 市某某局党组）
        # slug: mouju           # 单位网址名（可选，默认取拼音）
"""

NOTICE_TEMPLATE = """\
---
# 新建通报（草稿）：draft: true 时不会出现在网站的任何地方。
# 填好后删去 draft 一行，并核对 published（网站发布时间）。字段说明见 docs/记录格式.md。
round: {round_id}
unit: {unit}
issuer: {issuer}          # 落款单位，请按原文核对
group: {group}
notice_date: {notice_date}          # 落款日期
published: {notice_date} 09:00      # 网站发布时间；晚于构建时间的通报到时才发布
stage: {stage}                      # 进展 | 阶段性进展 | 集中整改 | 完成 | 回头看
draft: true
# counts:                           # 通报中写明的数字，只写原文有的
#   problems: 0                     # 反馈问题数
#   completed: 0                    # 已完成
# contact:
#   phones: ["0123-6000000"]
#   emails: [name@example.gov.cn]
#   mailbox: （邮政信箱）
#   postcode: "100000"
#   text: 欢迎广大干部群众对巡察整改落实情况进行监督……（联系方式段落原文）
---

{preamble}……现将巡察整改进展情况予以公布。（请替换为通报开头语原文）

## 一、组织整改落实情况

（请填写：整改工作的组织情况。）

## 二、巡察反馈问题整改进展情况

### （一）（请填写问题类别）

#### 1.（请填写具体问题）

整改情况：（请填写整改措施和进展。）

完成情况：正在整改

## 三、下一步工作打算

（请填写。）
"""


def round_record(round_id: str, *, name: str, committee: str, year: int, today: date) -> str:
    """A round file; ``year`` and ``committee`` are the editor's (command arguments), never guessed."""
    return ROUND_TEMPLATE.format(
        name=yaml_scalar(name), committee=yaml_scalar(committee), year=year, today=today.isoformat()
    )


def notice_record(round_: Round, *, unit: str, stage: str, today: date) -> str:
    """A draft notice for ``unit`` in ``round_``; dates chosen so that the record is valid as it stands."""
    ref = round_.find_unit(unit)
    name = ref.name if ref else unit
    feedback = (ref.feedback_date if ref else None) or round_.feedback_date
    notice_date = max(today, feedback) if feedback else today
    issuer = name if name.startswith("中共") else f"中共{name}"
    committee = round_.committee.removeprefix("中共") or "（请填写派出巡察组的党委）"
    group = ref.group if ref else (round_.groups[0].name if round_.groups else "（请填写巡察组）")
    return NOTICE_TEMPLATE.format(
        round_id=round_.id,
        unit=yaml_scalar(name),
        issuer=yaml_scalar(issuer),
        group=yaml_scalar(group),
        notice_date=notice_date.isoformat(),
        stage=stage,
        preamble=paragraph(f"根据{committee}统一部署，{group}对{name}进行了巡察。"),
    )


def notice_slug(round_: Round, unit: str, taken: set[str]) -> str:
    """The unit's slug in its round, made unique among ``taken`` with -2, -3 …"""
    ref = round_.find_unit(unit)
    base = ref.slug if ref else slugify(unit)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def is_listed(round_: Round, unit: str) -> bool:
    return any(unit_key(u.name) == unit_key(unit) for u in round_.units) or round_.find_unit(unit) is not None
