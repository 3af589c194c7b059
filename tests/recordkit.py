"""Small, readable record sites for tests: one round, a few notices, each test changes one thing."""

from __future__ import annotations

import textwrap
from pathlib import Path

from xuncha_site.commands.site import load_site
from xuncha_site.core.diagnostics import Diagnostic
from xuncha_site.core.project import Project

MKDOCS_YML = """\
site_name: 测试站点
site_url: https://test.example/
docs_dir: pages
theme:
  name: material
  custom_dir: {theme}
  language: zh
  font: false
plugins:
  - xuncha:
      content_dir: content
      owner: 测试市纪委监委
      deadline_days: 60
      grace_days: 5
"""

ROUND_YML = """\
name: 十一届市委第一轮巡察
committee: 中共测试市委
term: 十一届
number: 1
year: 2024
type: 常规
inspection_start: 2024-03-01
inspection_end: 2024-04-30
feedback_date: 2024-06-10
groups:
  - name: 市委第一巡察组
    units:
      - name: 市统计局党组
        slug: tongji
      - 市档案馆党组
  - name: 市委第二巡察组
    units:
      - 市水务局党组
"""

NOTICE_FRONT = """\
round: 2024-r1
unit: 市统计局党组
issuer: 中共测试市统计局党组
group: 市委第一巡察组
notice_date: 2024-09-01
published: 2024-09-05 10:00
stage: 进展
counts:
  problems: 2
  specific_problems: 3
  completed: 2
  in_progress: 1
contact:
  phones: ["0123-6000001"]
  emails: [tjj@test.example]
  postcode: "100001"
"""

NOTICE_BODY = """\
根据市委统一部署，2024年3月1日至4月30日，市委第一巡察组对市统计局党组进行了巡察。6月10日反馈了巡察意见。现将巡察整改进展情况予以公布。

## 一、组织整改落实情况

反馈的2个问题3个具体问题，已完成整改2个，正在整改1个。

## 二、巡察反馈问题整改进展情况

### （一）统计数据质量管理不严的问题

#### 1.数据审核把关不严

整改情况：一是修订审核细则。二是开展交叉审核。

完成情况：已完成

#### 2.基层统计人员培训不足

整改情况：举办业务培训班2期。

完成情况：正在整改

### （二）财务管理不规范的问题

整改情况：清理往来款项。

完成情况：已完成

## 三、下一步打算

持续巩固整改成果。
"""


def notice_text(front: str = NOTICE_FRONT, body: str = NOTICE_BODY) -> str:
    return f"---\n{front}---\n\n{body}"


class RecordSite:
    """A throw-away site in a temp folder; paths in diagnostics are relative to it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "pages").mkdir(parents=True, exist_ok=True)
        (root / "theme").mkdir(exist_ok=True)
        (root / "content" / "rounds").mkdir(parents=True, exist_ok=True)
        (root / "content" / "notices").mkdir(exist_ok=True)
        self.write("mkdocs.yml", MKDOCS_YML.format(theme="theme"))
        self.write("content/rounds/2024-r1.yml", ROUND_YML)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def notice(self, slug: str = "tongji", text: str | None = None, round_id: str = "2024-r1") -> Path:
        return self.write(f"content/notices/{round_id}/{slug}.md", notice_text() if text is None else text)

    def load(self) -> Project:
        return load_site(self.root / "mkdocs.yml").project

    def diagnostics(self) -> list[Diagnostic]:
        return self.load().diagnostics.sorted()


def messages(project: Project, level: str | None = None) -> list[str]:
    """Formatted diagnostics, paths relative to the site root."""
    lines = []
    for diag in project.diagnostics.sorted():
        if level and diag.level.value != level:
            continue
        lines.append(diag.format())
    return lines


def find(project: Project, fragment: str) -> Diagnostic:
    """The one diagnostic whose message contains ``fragment``; fails the test with the full list otherwise."""
    found = [d for d in project.diagnostics.sorted() if fragment in d.message]
    assert found, f"no diagnostic contains {fragment!r}; got: {[d.format() for d in project.diagnostics.sorted()]}"
    return found[0]
