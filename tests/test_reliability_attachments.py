"""Attachments never run script on the site: only types that cannot carry it are published, checked on the name the
file is published under and on its first bytes, with links resolved; `xuncha check` reports every refusal at the
record's `file:` line. Names are percent-encoded in links.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from recordkit import NOTICE_FRONT, RecordSite, notice_text
from site_fixtures import SITE_FIXTURES, build_mkdocs_site

from xuncha_site.commands.cli import main
from xuncha_site.commands.site import load_site
from xuncha_site.core.attachments import ALLOWED_SUFFIXES
from xuncha_site.mkdocs_plugin.plugin import XunchaPlugin

HTML = b"<!doctype html><script>alert(document.domain)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PDF = b"%PDF-1.4\n% test\n"
NOTICE = "content/notices/2024-r1/tongji.md"
FILE_LINE = NOTICE_FRONT.count("\n") + 4  # the `file:` line of the attachment added below the front matter


def with_attachment(site: RecordSite, file: str) -> None:
    front = f'{NOTICE_FRONT}attachments:\n  - title: 整改清单\n    file: "{file}"\n'
    site.notice(text=notice_text(front=front))


def files(site: RecordSite) -> Path:
    folder = site.root / "content" / "notices" / "2024-r1" / "files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check(site: RecordSite, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "-f", str(site.root / "mkdocs.yml")])
    return code, capsys.readouterr().err


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


HOSTILE = {
    "htm": ("files/x.htm", lambda f: (f / "x.htm").write_bytes(HTML), "不能发布“.htm”文件"),
    "xhtml": ("files/x.xhtml", lambda f: (f / "x.xhtml").write_bytes(HTML), "不能发布“.xhtml”文件"),
    "shtml": ("files/x.shtml", lambda f: (f / "x.shtml").write_bytes(HTML), "不能发布“.shtml”文件"),
    "xml": ("files/x.xml", lambda f: (f / "x.xml").write_bytes(HTML), "不能发布“.xml”文件"),
    "js": ("files/x.js", lambda f: (f / "x.js").write_bytes(b"alert(1)"), "不能发布“.js”文件"),
    "svg": ("files/x.svg", lambda f: (f / "x.svg").write_bytes(SVG), "SVG 图片可以含有脚本"),
    "no-suffix": ("files/x", lambda f: (f / "x").write_bytes(HTML), "不能发布没有扩展名的文件"),
    "html-link-to-txt": (
        "files/x.html",
        lambda f: ((f / "a.txt").write_bytes(HTML), (f / "x.html").symlink_to("a.txt")),
        "不能发布“.html”文件",
    ),
    "html-named-pdf": ("files/x.pdf", lambda f: (f / "x.pdf").write_bytes(HTML), "的内容不是PDF 文档"),
    "svg-named-png": ("files/x.png", lambda f: (f / "x.png").write_bytes(SVG), "的内容不是PNG 图片"),
    "html-named-txt": ("files/x.txt", lambda f: (f / "x.txt").write_bytes(b"\n  " + HTML), "的内容不是文本文件"),
    "pdf-link-to-html": (
        "files/x.pdf",
        lambda f: ((f / "page.htm").write_bytes(HTML), (f / "x.pdf").symlink_to("page.htm")),
        "的内容不是PDF 文档",
    ),
    "link-outside": (
        "files/x.pdf",
        lambda f: (
            (f.parents[4] / "outside.pdf").write_bytes(PDF),
            (f / "x.pdf").symlink_to(f.parents[4] / "outside.pdf"),
        ),
        "应放在 notices/ 目录下",
    ),
    "dotdot-outside": (
        "../../../secret.pdf",
        lambda f: (f.parents[3] / "secret.pdf").write_bytes(PDF),
        "应放在 notices/ 目录下",
    ),
    "fifo": ("files/x.pdf", lambda f: make_fifo(f / "x.pdf"), "不是普通文件，而是命名管道（FIFO）"),
    "dev-zero": ("files/x.pdf", lambda f: (f / "x.pdf").symlink_to("/dev/zero"), "应放在 notices/ 目录下"),
    "missing": ("files/x.pdf", lambda f: None, "附件文件“files/x.pdf”不存在"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_check_refuses_an_attachment_that_could_run_script_at_its_file_line(tmp_path, capsys, case) -> None:
    site = RecordSite(tmp_path / "site")
    href, make, reason = HOSTILE[case]
    with_attachment(site, href)
    make(files(site))
    code, err = check(site, capsys)
    assert code == 1
    [line] = [line for line in err.splitlines() if "附件" in line]
    assert line.startswith(f"{NOTICE}:{FILE_LINE}: 错误: ") and reason in line, err
    assert "Traceback" not in err


ALLOWED = {
    ".pdf": PDF,
    ".PDF": PDF,
    ".docx": b"PK\x03\x04\x14\x00\x06\x00",
    ".ofd": b"PK\x03\x04\x14\x00\x00\x00",
    ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
    ".png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ".jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    ".txt": "整改任务清单\n1. 修订制度 <5 项>\n".encode(),
    ".csv": "序号,任务\n1,修订制度\n".encode("gb18030"),
}


@pytest.mark.parametrize("suffix", list(ALLOWED))
def test_documents_images_and_text_of_their_own_type_pass(tmp_path, capsys, suffix) -> None:
    site = RecordSite(tmp_path / "site")
    with_attachment(site, f"files/qingdan{suffix}")
    (files(site) / f"qingdan{suffix}").write_bytes(ALLOWED[suffix])
    code, err = check(site, capsys)
    assert code == 0, err


def test_the_allowed_types_are_documented_for_maintainers() -> None:
    guide = (Path(__file__).parent.parent / "docs" / "记录格式.md").read_text(encoding="utf-8")
    assert all(suffix in guide for suffix in ALLOWED_SUFFIXES)


# --- the build: the plugin checks again, and names are percent-encoded ----------------------------------------------

SMALL = SITE_FIXTURES / "site_small"
THEME = Path(__file__).resolve().parent.parent / "theme"


def small_copy(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    shutil.copytree(SMALL, root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../theme", str(THEME)), encoding="utf-8")
    return config


def test_a_file_swapped_for_a_page_after_the_check_is_not_published(tmp_path, caplog) -> None:
    config = small_copy(tmp_path)
    project = load_site(config).project
    assert not project.failed()
    (config.parent / "content/notices/2026-t1/files/jiaju-qingdan.pdf").write_bytes(HTML)
    mkdocs_config = load_config(config_file=str(config), site_dir=str(tmp_path / "out"))
    [plugin] = [p for p in mkdocs_config.plugins.values() if isinstance(p, XunchaPlugin)]
    plugin.use_project(project)
    mkdocs_config.plugins.on_startup(command="build", dirty=False)
    try:
        with pytest.raises(Abort):
            build(mkdocs_config)
    finally:
        mkdocs_config.plugins.on_shutdown()
    assert "content/notices/2026-t1/jiaju.md：附件“files/jiaju-qingdan.pdf”的内容不是PDF 文档" in caplog.text
    assert not list((tmp_path / "out").rglob("jiaju-qingdan.pdf"))


def test_attachment_names_with_hash_question_mark_and_percent_link_to_their_file(tmp_path, read_page) -> None:
    config = small_copy(tmp_path)
    record = config.parent / "content/notices/2026-t1/jiaju.md"
    name = "清单 #1?版 100%.pdf"
    (record.parent / "files" / name).write_bytes(PDF)
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("file: files/jiaju-qingdan.pdf", f'file: "files/{name}"'), encoding="utf-8")
    site = build_mkdocs_site(config, tmp_path / "out")
    page = read_page(site, "notices/2026-t1/jiaju/")
    [link] = [a for a in page.select("a[href]") if a["href"].endswith(".pdf")]
    href = link["href"]
    assert "#" not in href and "?" not in href and " " not in href
    published = (site / "notices/2026-t1/jiaju" / unquote(href)).resolve()
    assert published.read_bytes() == PDF
