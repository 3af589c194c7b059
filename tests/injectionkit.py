"""The injection site: every payload of tests/fixtures/injection/payloads.txt in every text field of a site.

Notice *n* carries payload *n* at the start of every text field of its front matter and of every kind of place in its
Markdown body; the round file and the site settings carry all payloads in every text field. The site is generated and
built once per test session (``xuncha build``, the maintainer's command) and shared by tests/test_injection_*.py.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from site_fixtures import BUILD_EPOCH

from xuncha_site.commands.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "injection"
THEME = Path(__file__).resolve().parent.parent / "theme"
SITE_URL = "https://inject.example/"
ROUND = "2026-inj"


def payloads() -> list[str]:
    lines = (FIXTURES / "payloads.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("# ")]


PAYLOADS = payloads()
ALL = "｜".join(PAYLOADS)  # every payload, in one field


@dataclass(frozen=True)
class InjectedNotice:
    number: int
    payload: str
    slug: str
    title: str
    unit: str
    issuer: str
    group: str
    fields: dict[str, str]  # every front-matter text field: name → value


@dataclass(frozen=True)
class InjectionSite:
    source: Path  # the generated site (mkdocs.yml, content/, pages/)
    site: Path  # the built site
    notices: tuple[InjectedNotice, ...]
    build_output: str

    def page(self, url: str) -> Path:
        return self.site / url / "index.html"


def group_name(index: int) -> str:
    chunk = PAYLOADS[index * 12 : (index + 1) * 12]
    return f"{' '.join(chunk)}市委第{index + 1}巡察组"


def notice_for(number: int, payload: str) -> InjectedNotice:
    unit = f"{payload}市第{number}局党组"
    fields = {
        "title": f"{payload}关于巡察整改进展情况的通报{number}",
        "unit": unit,
        "issuer": f"{payload}中共市第{number}局党组",
        "group": group_name((number - 1) // 12),
        "source.name": f"{payload}来源网站",
        "source.editor": f"{payload}编辑",
        "source.index_no": f"{payload}索引号",
        "contact.mailbox": f"{payload}邮政信箱",
        "contact.address": f"{payload}地址",
        "contact.text": f"{payload}联系段落",
        "attachments.title": f"{payload}附件",
        "attachments.file.title": f"{payload}清单",
        "corrections.text": f"{payload}更正说明",
    }
    return InjectedNotice(
        number, payload, f"n{number:02d}", fields["title"], unit, fields["issuer"], fields["group"], fields
    )


def body_for(payload: str) -> str:
    """Markdown with the payload in the preamble, headings, paragraphs, lists, tables, links, images, status lines."""
    p = payload
    return f"""\
{p}开头语。现将整改进展情况予以公布。

- {p}列表项
- 第二项

| {p}表头 | 数量 |
|---|---|
| {p}单元格 | 1 |

[{p}链接文字](https://example.org/link) ![{p}图片说明](files/qingdan.pdf) [链接]({p}) ![图]({p})

> {p}引文

## {p}一、组织整改落实情况

{p}段落正文。

## 二、巡察反馈问题整改情况

### （一）{p}问题标题

{p}整改措施段落。

完成情况：已完成

### （二）问题标题二（{p}）

整改情况：{p}

完成情况：{p}

## 三、{p}下一步工作打算

{p}结尾段落。
"""


def front_matter(notice: InjectedNotice) -> dict:
    published = datetime(2026, 9, 1, 8, 0) + timedelta(hours=notice.number)
    f = notice.fields
    return {
        "round": ROUND,
        "unit": f["unit"],
        "issuer": f["issuer"],
        "group": f["group"],
        "notice_date": "2026-08-30",
        "published": published.strftime("%Y-%m-%d %H:%M"),
        "stage": "进展",
        "title": f["title"],
        "source": {
            "name": f["source.name"],
            "url": f"https://example.org/source/{notice.number}",
            "editor": f["source.editor"],
            "index_no": f["source.index_no"],
        },
        "contact": {
            "phones": ["0123-6000001"],
            "emails": ["xc@example.org"],
            "mailbox": f["contact.mailbox"],
            "address": f["contact.address"],
            "postcode": "100001",
            "text": f["contact.text"],
        },
        "attachments": [
            {"title": f["attachments.title"], "url": "https://example.org/a.pdf"},
            {"title": f["attachments.file.title"], "file": "files/qingdan.pdf"},
        ],
        "corrections": [{"date": "2026-09-30", "text": f["corrections.text"]}],
    }


def round_file(notices: tuple[InjectedNotice, ...]) -> dict:
    groups = []
    for index in range(0, (len(notices) + 11) // 12):
        members = notices[index * 12 : (index + 1) * 12]
        units = [{"name": n.unit, "slug": f"u{n.number:02d}", "aliases": [f"{n.payload}别名"]} for n in members]
        groups.append({"name": group_name(index), "leader": f"{ALL}组长", "units": units})
    groups[-1]["units"].append({"name": f"{ALL}尚未公开的单位", "slug": "missing"})
    return {
        "name": f"{ALL}十二届市委第一轮巡察",
        "committee": f"{ALL}中共测试市委",
        "term": f"{ALL}十二届",
        "number": 1,
        "year": 2026,
        "type": "专项",
        "topic": f"{ALL}专项主题",
        "inspection_start": "2026-03-02",
        "inspection_end": "2026-04-30",
        "feedback_date": "2026-06-01",
        "description": f"{ALL}本轮说明",
        "groups": groups,
    }


def mkdocs_config() -> dict:
    return {
        "site_name": "注入测试站点",
        "site_url": SITE_URL,
        "docs_dir": "pages",
        "use_directory_urls": True,
        "theme": {"name": "material", "custom_dir": str(THEME), "language": "zh", "font": False},
        "plugins": [
            {
                "xuncha": {
                    "owner": f"{ALL}主办单位",
                    "office": {
                        "name": f"{ALL}巡察办",
                        "hotline": "12388",
                        "phones": ["0123-6000002"],
                        "mailbox": f"{ALL}信箱",
                        "emails": ["xcb@example.org"],
                        "address": f"{ALL}地址",
                        "postcode": "100002",
                        "hours": f"{ALL}工作日",
                        "website": "https://jubao.example.org/",
                    },
                    "icp": f"{ALL}ICP备00000000号",
                    "police_beian": f"{ALL}公网安备",
                    "site_code": f"{ALL}0000000000",
                }
            }
        ],
    }


def write_site(root: Path) -> tuple[InjectedNotice, ...]:
    notices = tuple(notice_for(number, payload) for number, payload in enumerate(PAYLOADS, start=1))
    folder = root / "content" / "notices" / ROUND
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "qingdan.pdf").write_bytes(b"%PDF-1.4\n% injection test attachment\n")
    (root / "content" / "rounds").mkdir(parents=True)
    (root / "pages").mkdir()
    (root / "pages" / "about.md").write_text("# 关于本站\n\n注入测试。\n", encoding="utf-8")

    def dump(data: dict) -> str:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)

    (root / "mkdocs.yml").write_text(dump(mkdocs_config()), encoding="utf-8")
    (root / "content" / "rounds" / f"{ROUND}.yml").write_text(dump(round_file(notices)), encoding="utf-8")
    for notice in notices:
        text = f"---\n{dump(front_matter(notice))}---\n\n{body_for(notice.payload)}"
        (folder / f"{notice.slug}.md").write_text(text, encoding="utf-8")
    return notices


@functools.cache
def injection_site() -> InjectionSite:
    """Generate and build the injection site (once per session); raises if the build fails."""
    import contextlib
    import io

    root = Path(tempfile.mkdtemp(prefix="xuncha-injection-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    notices = write_site(root / "src")
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            code = main(["build", "-f", str(root / "src" / "mkdocs.yml"), "-d", str(root / "site")])
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    assert code == 0, err.getvalue()
    return InjectionSite(root / "src", root / "site", notices, err.getvalue())
