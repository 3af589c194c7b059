"""``xuncha serve``: a broken record turns every page into an error page naming the file; fixing it restores the site.

Each test starts the real command in a subprocess, on a free port, over a copy of the example site.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "content/notices/2025-r1/shuiwu.md"
NOTICE_URL = "notices/2025-r1/shuiwu/"
BROKEN_LINE = f"{NOTICE}:8: 错误:"  # the stage line of that record
TIMEOUT = 90


@dataclass
class Preview:
    root: Path
    url: str
    process: subprocess.Popen
    log: Path
    temp: Path

    def get(self, path: str = "") -> tuple[int, BeautifulSoup]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, BeautifulSoup(response.read(), "html.parser")
        except urllib.error.HTTPError as error:
            return error.code, BeautifulSoup(error.read(), "html.parser")

    def wait_for(self, path: str, condition: Callable[[BeautifulSoup], bool]) -> BeautifulSoup:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(encoding="utf-8")
            try:
                _, page = self.get(path)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                page = None
            if page is not None and condition(page):
                return page
            time.sleep(0.3)
        raise AssertionError(f"{path} never matched; log:\n{self.log.read_text(encoding='utf-8')}")

    def edit(self, change: Callable[[str], str]) -> None:
        record = self.root / NOTICE
        record.write_text(change(record.read_text(encoding="utf-8")), encoding="utf-8")


def break_stage(text: str) -> str:
    return text.replace("stage: 进展", "stage: 中期", 1)


def fix_stage(text: str) -> str:
    return text.replace("stage: 中期", "stage: 进展", 1)


def is_error_page(page: BeautifulSoup) -> bool:
    return page.find(attrs={"data-xuncha-preview-error": True}) is not None


def is_notice_page(page: BeautifulSoup) -> bool:
    return not is_error_page(page) and "青岚水务集团" in (page.title.string if page.title else "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


XUNCHA_SERVE = (sys.executable, "-m", "xuncha_site", "serve")


def start_preview(
    tmp_path: Path, prepare: Callable[[Path], None] = lambda root: None, command: Sequence[str] = XUNCHA_SERVE
) -> Iterator[Preview]:
    """The preview of a copy of the example site, started by ``command`` (followed by ``-a 127.0.0.1:PORT``)."""
    root = tmp_path / "site"
    root.mkdir()
    for name in ("content", "pages", "theme"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    prepare(root)
    port = free_port()
    log = tmp_path / "serve.log"
    temp = tmp_path / "tmp"  # the server's temporary files, to check that it leaves none behind
    temp.mkdir()
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [*command, "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TMPDIR": str(temp)},
        )
    try:
        yield Preview(root, f"http://127.0.0.1:{port}/", process, log, temp)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    yield from start_preview(tmp_path)


@pytest.fixture
def broken_preview(tmp_path: Path) -> Iterator[Preview]:
    def prepare(root: Path) -> None:
        record = root / NOTICE
        record.write_text(break_stage(record.read_text(encoding="utf-8")), encoding="utf-8")

    yield from start_preview(tmp_path, prepare)


def test_broken_record_turns_every_page_into_an_error_page_naming_the_file(preview: Preview) -> None:
    preview.wait_for(NOTICE_URL, is_notice_page)
    preview.edit(break_stage)
    page = preview.wait_for(NOTICE_URL, is_error_page)
    assert any(item.get_text().startswith(BROKEN_LINE) for item in page.select("li.error"))
    for path in ("", "rounds/2024-r1/", "units/", "about/"):
        assert is_error_page(preview.get(path)[1]), path


def test_error_page_is_also_the_404(preview: Preview) -> None:
    preview.wait_for(NOTICE_URL, is_notice_page)
    preview.edit(break_stage)
    preview.wait_for(NOTICE_URL, is_error_page)
    status, page = preview.get("no/such/page/")
    assert status == 404
    assert BROKEN_LINE in page.get_text()


def test_terminal_shows_the_same_message(preview: Preview) -> None:
    preview.wait_for(NOTICE_URL, is_notice_page)
    preview.edit(break_stage)
    preview.wait_for(NOTICE_URL, is_error_page)
    assert BROKEN_LINE in preview.log.read_text(encoding="utf-8")


def test_fixing_the_record_restores_the_site(preview: Preview) -> None:
    preview.wait_for(NOTICE_URL, is_notice_page)
    preview.edit(break_stage)
    preview.wait_for(NOTICE_URL, is_error_page)
    preview.edit(fix_stage)
    preview.wait_for(NOTICE_URL, is_notice_page)
    assert preview.process.poll() is None


def test_preview_starts_with_a_broken_record_and_recovers(broken_preview: Preview) -> None:
    page = broken_preview.wait_for(NOTICE_URL, is_error_page)
    assert BROKEN_LINE in page.get_text()
    broken_preview.edit(fix_stage)
    broken_preview.wait_for(NOTICE_URL, is_notice_page)


def test_preview_pages_let_the_live_reload_script_run(preview: Preview) -> None:
    page = preview.wait_for(NOTICE_URL, is_notice_page)
    assert page.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is None
    assert any("livereload" in (script.string or "") for script in page.find_all("script"))


def test_stopped_preview_leaves_no_temporary_files(preview: Preview) -> None:
    preview.wait_for(NOTICE_URL, is_notice_page)
    preview.edit(lambda text: text.replace("根据市委统一部署", "根据市委的统一部署", 1))
    time.sleep(2)  # a rebuild, and with it a search indexing job, is under way
    preview.process.terminate()
    assert preview.process.wait(timeout=60) is not None
    assert list(preview.temp.iterdir()) == []


def wait_for_search(preview: Preview) -> None:
    """Until the preview serves a search index (it is made in the background once editing pauses)."""
    deadline = time.monotonic() + TIMEOUT
    while preview.get("pagefind/pagefind-entry.json")[0] != 200:
        assert time.monotonic() < deadline, preview.log.read_text(encoding="utf-8")
        time.sleep(0.5)


def test_preview_gets_its_search_index_in_the_background(preview: Preview) -> None:
    preview.wait_for(NOTICE_URL, is_notice_page)
    wait_for_search(preview)


def test_the_search_index_stays_served_across_a_rebuild(preview: Preview) -> None:
    preview.wait_for(NOTICE_URL, is_notice_page)
    wait_for_search(preview)
    status, manifest = preview.get("pagefind/xuncha-search.json")
    assert status == 200 and '"documents"' in str(manifest)
    preview.edit(lambda text: text.replace("根据市委统一部署", "根据市委的统一部署", 1))
    preview.wait_for(NOTICE_URL, lambda page: "根据市委的统一部署" in page.get_text())
    # Right after the rebuild, before any new indexing has finished, the last index is still there.
    status, again = preview.get("pagefind/xuncha-search.json")
    assert status == 200 and str(again) == str(manifest)
    assert preview.get("pagefind/pagefind-entry.json")[0] == 200
