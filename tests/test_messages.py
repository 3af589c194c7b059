"""What the terminal says, in Chinese: MkDocs' log translated, a busy port named before anything is built, ``xuncha
check`` saying how many notices a build publishes and why not the others, one error for one YAML mistake."""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from recordkit import NOTICE_FRONT, ROUND_YML, RecordSite, notice_text

from xuncha_site.commands.cli import main
from xuncha_site.commands.engine import translate_engine_message

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "content/notices/2024-r1/tongji.md"
# English words of three or more letters that may stand in a Chinese message: names (of programs, settings and the
# example's folders) and our own terms.
ALLOWED_WORDS = {
    "YAML",
    "Tab",
    "Ctrl",
    "MkDocs",
    "ProperDocs",
    "HTTP",
    "xuncha",
    "serve",
    "mkdocs",
    "yml",
    "nav",
    "true",
    "false",
    "pages",
    "content",
}


def english_words(line: str) -> list[str]:
    """Words of English in ``line`` outside paths, URLs, addresses and quoted names."""
    line = re.sub(r"“[^”]*”|'[^']*'", "", line)
    line = re.sub(r"https?://\S+|\S*[/\\]\S*|[\w.-]+\.(?:md|yml|html)\b|-a \S+|--[\w-]+", "", line)
    return [word for word in re.findall(r"[A-Za-z]{3,}", line) if word not in ALLOWED_WORDS]


# --- xuncha check: what will be published ---


def front(unit: str, issuer: str, group: str, extra: str = "", published: str = "2024-09-05 10:00") -> str:
    text = (
        NOTICE_FRONT.replace("unit: 市统计局党组", f"unit: {unit}")
        .replace("issuer: 中共测试市统计局党组", f"issuer: {issuer}")
        .replace("group: 市委第一巡察组", f"group: {group}")
        .replace("published: 2024-09-05 10:00", f"published: {published}")
    )
    return text + extra


def check(site: RecordSite, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["check", "-f", str(site.root / "mkdocs.yml")])
    return status, capsys.readouterr().err


def test_check_says_how_many_notices_will_be_published_and_why_not_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = RecordSite(tmp_path)
    site.notice()  # public
    site.notice("dangan", notice_text(front("市档案馆党组", "中共测试市档案馆党组", "市委第一巡察组", "draft: true\n")))
    future = front("市水务局党组", "中共测试市水务局党组", "市委第二巡察组", published="2027-03-01 09:30")
    site.notice("shuiwu", notice_text(future))
    status, err = check(site, capsys)
    assert status == 0, err
    assert "3 篇通报，其中草稿 1 篇、定时发布 1 篇（最早 2027-03-01 09:30 发布），现在构建将发布 1 篇" in err, err
    assert [n.id for n in site.load().public_notices()] == ["2024-r1/tongji"]  # the rule the sentence reports


def test_a_future_draft_counts_as_a_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = RecordSite(tmp_path)
    site.notice()
    draft = front(
        "市档案馆党组", "中共测试市档案馆党组", "市委第一巡察组", "draft: true\n", published="2027-03-01 09:30"
    )
    site.notice("dangan", notice_text(draft))
    status, err = check(site, capsys)
    assert status == 0, err
    assert "2 篇通报，其中草稿 1 篇，现在构建将发布 1 篇" in err, err


def test_check_of_a_site_without_drafts_says_all_will_be_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = RecordSite(tmp_path)
    site.notice()
    status, err = check(site, capsys)
    assert status == 0
    assert "检查通过：1 个轮次，1 篇通报，现在构建将全部发布；0 个错误，0 个警告" in err, err


# --- one YAML mistake, one error ---

BROKEN_FRONT = {
    "colon in a value": NOTICE_FRONT.replace("unit: 市统计局党组", "unit: 市统计局党组: 机关"),
    "unclosed list": NOTICE_FRONT.replace("stage: 进展", "stage: [进展"),
    "unclosed quote": NOTICE_FRONT.replace("unit: 市统计局党组", 'unit: "市统计局党组'),
    "tab indentation": NOTICE_FRONT.replace("  problems: 2", "\tproblems: 2"),
    "bad indentation": NOTICE_FRONT.replace("  problems: 2", "   problems: 2"),
    "value starting with @": NOTICE_FRONT.replace("unit: 市统计局党组", "unit: @市统计局党组"),
    "text after a quote": NOTICE_FRONT.replace("unit: 市统计局党组", 'unit: "市统计局" 党组'),
}


@pytest.mark.parametrize("mistake", BROKEN_FRONT)
def test_one_yaml_mistake_gives_one_error_in_chinese(tmp_path: Path, mistake: str) -> None:
    site = RecordSite(tmp_path)
    site.notice(text=notice_text(BROKEN_FRONT[mistake]))
    found = site.diagnostics()
    assert len(found) == 1, [d.format() for d in found]
    (diag,) = found
    assert diag.path == NOTICE and diag.message.startswith("YAML 语法错误："), diag.format()
    assert english_words(diag.message) == [], diag.format()


def test_a_truly_empty_front_matter_is_still_reported(tmp_path: Path) -> None:
    site = RecordSite(tmp_path)
    site.notice(text="---\n# 还没写\n---\n\n正文\n")
    assert [d.message.split("：")[0] for d in site.diagnostics()] == ["前置元数据为空"]


def test_one_yaml_mistake_in_a_round_file_gives_one_error(tmp_path: Path) -> None:
    site = RecordSite(tmp_path)
    site.notice()
    site.write("content/rounds/2024-r1.yml", ROUND_YML.replace("year: 2024", "year: [2024"))
    errors = [d for d in site.diagnostics() if d.path == "content/rounds/2024-r1.yml"]
    assert len(errors) == 1 and errors[0].message.startswith("YAML 语法错误"), [d.format() for d in errors]


# --- MkDocs' own messages ---


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Cleaning site directory", "正在清理输出目录"),
        (
            "[12:34:56] Watching paths for changes: 'pages', 'mkdocs.yml', 'content'",
            "[12:34:56] 正在监视这些文件的改动：pages、mkdocs.yml、content",
        ),
        ("Documentation built in 2.10 seconds", "站点构建完成，用时 2.10 秒"),
        (
            "[12:34:56] Serving on http://127.0.0.1:8000/",
            "[12:34:56] 预览地址：http://127.0.0.1:8000/（按 Ctrl+C 停止）",
        ),
        ("[12:34:56] Detected file changes", "[12:34:56] 检测到文件改动，正在重新构建…"),
        ('[12:34:56] "GET /nope/ HTTP/1.1" code 404', "[12:34:56] 预览中找不到 /nope/（404）"),
        (
            "Doc file 'about.md' contains a link 'nope.md', but the target is not found among documentation files.",
            "页面 about.md 中的链接“nope.md”指向的文件不存在",
        ),
        (
            "Doc file 'about.md' contains a link 'open.md', but the target is not found among documentation files."
            " Did you mean 'open-data.md'?",
            "页面 about.md 中的链接“open.md”指向的文件不存在（是否应为“open-data.md”？）",
        ),
        (
            "Config value 'use_directory_urls': Expected type: <class 'bool'> but received: <class 'str'>",
            "mkdocs.yml 的 use_directory_urls 应为真假值（true 或 false），写成了文字",
        ),
    ],
)
def test_mkdocs_messages_are_translated(english: str, chinese: str) -> None:
    assert translate_engine_message(english) == chinese


def test_an_unknown_mkdocs_message_is_labelled_in_chinese() -> None:
    text = translate_engine_message("Something new happened", level=logging.WARNING, engine="ProperDocs")
    assert text == "ProperDocs 警告（英文原文）：Something new happened"


def copy_example(target: Path) -> Path:
    target.mkdir()
    for name in ("content", "pages", "theme"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def xuncha(*args: str, cwd: Path, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuncha_site", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env},
    )


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_strict_build_with_a_broken_link_speaks_chinese(tmp_path: Path, engine: str) -> None:
    site = copy_example(tmp_path / "site")
    with (site / "pages" / "about.md").open("a", encoding="utf-8") as page:
        page.write("\n[坏链接](nope.md)\n")
    done = xuncha("build", "--strict", "--engine", engine, "-d", str(tmp_path / "out"), cwd=site)
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert "页面 about.md 中的链接“nope.md”指向的文件不存在" in lines
    assert lines[-1].startswith("构建失败：严格模式下出现警告"), lines
    assert all(english_words(line) == [] for line in lines), lines
    assert not (tmp_path / "out").exists()


def test_a_bad_mkdocs_setting_is_one_chinese_message_and_exit_2(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("use_directory_urls: true", "use_directory_urls: 是"))
    done = xuncha("build", "-d", str(tmp_path / "out"), cwd=site)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "mkdocs.yml 的 use_directory_urls 应为真假值（true 或 false），写成了文字",
        "xuncha：mkdocs.yml 设置有误（见上）",
    ]


@pytest.mark.parametrize(
    "arguments", [["serve", "--engine", "zensical"], ["bulid"], ["build", "--s"], ["new", "notice", "--round"]]
)
def test_command_line_mistakes_are_explained_in_chinese(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(arguments)
    assert stopped.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    error = lines[-1]
    assert lines[0].startswith("用法：xuncha") and "命令用法错误" in error, lines
    assert english_words(error.split("命令用法错误", 1)[1]) == [], error  # after the command's name


# --- xuncha serve ---


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_on_a_busy_port_says_so_before_building(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    temp = tmp_path / "tmp"
    temp.mkdir()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        done = xuncha("serve", "-a", f"127.0.0.1:{port}", cwd=site, timeout=60, TMPDIR=str(temp))
        elapsed = time.monotonic() - started
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"xuncha：端口 {port} 已被占用"), line
    suggested = re.search(r"xuncha serve -a 127\.0\.0\.1:(\d+)$", line)
    assert suggested and int(suggested[1]) != port, line
    assert list(temp.iterdir()) == []  # nothing was built (the preview builds into a temporary folder)
    assert elapsed < 30


@pytest.mark.parametrize("address", ["8000", "127.0.0.1:", "127.0.0.1:99999", ":8000"])
def test_serve_with_a_malformed_address_says_how_to_write_it(tmp_path: Path, address: str) -> None:
    done = xuncha("serve", "-a", address, cwd=copy_example(tmp_path / "site"), timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == f"xuncha：监听地址“{address}”无效：应写成 地址:端口，如 -a 127.0.0.1:8001"


def test_serve_speaks_chinese_from_start_to_stop(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "xuncha_site", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=site,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while "预览地址" not in log.read_text(encoding="utf-8"):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
        time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=30)
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert any(line.endswith(f"预览地址：http://127.0.0.1:{port}/（按 Ctrl+C 停止）") for line in lines), lines
    assert any("预览中找不到 /no-such-page/（404）" in line for line in lines), lines
    assert any(re.fullmatch(r"站点构建完成，用时 [\d.]+ 秒", line) for line in lines), lines
    assert lines[-1] == "正在停止预览…", lines
    assert [line for line in lines if english_words(line) or "英文原文" in line] == []
