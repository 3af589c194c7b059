"""Sites built for the tests: the example site and the purpose-made sites of tests/fixtures/site_*/, built through
MkDocs' own API (the same path as `mkdocs build`) into temporary folders, once per session; the loaded projects and
their extra outputs; and the fixed build date every test sees.

Registered for the whole suite by ``pytest_plugins`` in conftest.py; tests import its constants and helpers from here.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from xuncha_site.commands.site import load_site
from xuncha_site.core.project import Project
from xuncha_site.outputs.files import extra_outputs

BUILD_EPOCH = "1795132800"  # 2026-11-20T00:00:00Z: a fixed build date for every date-dependent test
SITE_FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_SITE = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same build date unless it sets SOURCE_DATE_EPOCH itself."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)


def build_mkdocs_site(config_file: Path, site_dir: Path) -> Path:
    """Build the site configured by ``config_file`` into ``site_dir`` with the plugin, as `mkdocs build` does."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


def build_dated_site(config_file: Path, site_dir: Path) -> Path:
    """:func:`build_mkdocs_site` on the suite's fixed build date (for session and module fixtures, which the
    per-test date fixture does not reach)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        return build_mkdocs_site(config_file, site_dir)


def shared_site(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]) -> Path:
    """The folder into which ``build(folder)`` built a session's site, built once for the whole run: the processes of
    pytest-xdist share it (the first to take the lock on <run>/shared/<name>.lock builds into <run>/shared/<name>,
    the others wait and read that copy; nobody writes to a session site). Run in one process: a folder of its own."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent / "shared"
    shared.mkdir(exist_ok=True)
    folder, built = shared / name, shared / f"{name}.built"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.is_file():
            if folder.exists():  # what a build of this run that failed in another process left
                shutil.rmtree(folder)
            folder.mkdir()
            build(folder)
            built.touch()
    return folder


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content (content/ + mkdocs.yml at the repository root), built once."""
    return shared_site(
        tmp_path_factory, "example-site", lambda folder: build_dated_site(EXAMPLE_SITE / "mkdocs.yml", folder)
    )


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/site_small: a disclosed, a missing and an overdue unit, an attachment, a draft, an embargo."""
    return shared_site(
        tmp_path_factory,
        "small-site",
        lambda folder: build_dated_site(SITE_FIXTURES / "site_small" / "mkdocs.yml", folder),
    )


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/site_hostile: records full of scripts and event handlers."""
    return shared_site(
        tmp_path_factory,
        "hostile",
        lambda folder: build_dated_site(SITE_FIXTURES / "site_hostile" / "mkdocs.yml", folder),
    )


@pytest.fixture(scope="session")
def read_page():
    """read_page(site_dir, url) → the page at a directory URL (``notices/r/s/``, ``""`` for home) parsed by bs4."""
    from bs4 import BeautifulSoup

    def read(site_dir: Path, url: str) -> BeautifulSoup:
        path = site_dir / url / "index.html" if not url.endswith(".html") else site_dir / url
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    return read


# --- open data ---
# A small site of our own (tests/fixtures/site_opendata) so that the open-data, feed and sitemap tests do not depend
# on the example's numbers; the example site itself is used for the leak and reproducibility checks.
OPENDATA_SITE = Path(__file__).parent / "fixtures" / "site_opendata"
OPENDATA_URL = "https://opendata.example/xuncha/"


def opendata_pages(project: Project) -> list[tuple[str, date | None]]:
    """The page URLs a build of ``project`` has, as MkDocs gives them, without dates (as the plugin may pass them)."""
    public = project.public_notices()
    urls = ["", "rounds/", "units/", "feedback/", "about/", "404.html"]
    urls += [f"rounds/{round_id}/" for round_id in sorted(project.corpus.rounds)]
    urls += sorted({f"units/{notice.unit_slug}/" for notice in public})
    urls += [f"notices/{notice.round_id}/{notice.slug}/" for notice in public]
    return [(url, None) for url in urls]


def load_clean(config: Path) -> Project:
    project = load_site(config).project
    assert not project.diagnostics.has_errors(), [d.format() for d in project.diagnostics.sorted()]
    return project


@pytest.fixture
def opendata_project() -> Project:
    return load_clean(OPENDATA_SITE / "mkdocs.yml")


@pytest.fixture
def opendata_outputs(opendata_project: Project) -> dict[str, bytes]:
    pages = opendata_pages(opendata_project)
    return extra_outputs(opendata_project, OPENDATA_URL, pages, site_name="测试站点")


@pytest.fixture
def example_project() -> Project:
    return load_clean(EXAMPLE_SITE / "mkdocs.yml")


@pytest.fixture
def example_outputs(example_project: Project) -> dict[str, bytes]:
    return extra_outputs(example_project, "https://xuncha.example/", opendata_pages(example_project))


# --- truth rule ---
# tests/fixtures/site_truth: the notice shapes of issue 15 (no statuses, statuses on category headings only, mixed, a
# stated rate that contradicts its counts, unrelated numbers), built once per session.
TRUTH_SITE = SITE_FIXTURES / "site_truth"


@pytest.fixture(scope="session")
def truth_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_site(
        tmp_path_factory, "truth-site", lambda folder: build_dated_site(TRUTH_SITE / "mkdocs.yml", folder)
    )


def npm_package(name: str, version: str) -> Path:
    """The folder of npm package ``name`` at ``version``, installed once into .cache/<name> from the npm registry
    (never a CDN; node and npm are test dependencies, see scripts/test.sh). The suite runs in several processes
    (pytest-xdist): an exclusive lock on .cache/<name>.lock lets one install while the others wait for it."""
    import fcntl
    import json
    import shutil
    import subprocess

    folder = EXAMPLE_SITE / ".cache" / name.split("-")[0]
    package = folder / "node_modules" / name
    manifest = package / "package.json"
    folder.parent.mkdir(exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not manifest.is_file() or json.loads(manifest.read_text(encoding="utf-8"))["version"] != version:
            npm = shutil.which("npm")
            assert npm, f"需要 npm 来安装 {name}（见 scripts/test.sh）"
            command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(folder)]
            result = subprocess.run([*command, f"{name}@{version}"], capture_output=True, text=True)
            assert result.returncode == 0, f"npm 安装 {name} 失败：\n{result.stderr}"
    return package


# --- problem tracker ---
# tests/fixtures/site_tracking: units with two or three notices (issue 18), the labels of the right matches.
TRACKING_SITE = SITE_FIXTURES / "site_tracking"


@pytest.fixture(scope="session")
def tracking_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_site(
        tmp_path_factory, "tracking-site", lambda folder: build_dated_site(TRACKING_SITE / "mkdocs.yml", folder)
    )
