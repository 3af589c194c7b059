"""Shared pytest fixtures. Sections are owned by different parts of the suite; append, keep them separate."""

from __future__ import annotations

import pytest

BUILD_EPOCH = "1795132800"  # 2026-11-20T00:00:00Z: a fixed build date for every date-dependent test


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same build date unless it sets SOURCE_DATE_EPOCH itself."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)


# --- open data fixtures ---
# A small site of our own (tests/fixtures/site_opendata) so that the open-data, feed and sitemap tests do not depend
# on the example's numbers; the example site itself is used for the leak and reproducibility checks.
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from xuncha_site.outputs import extra_outputs  # noqa: E402
from xuncha_site.project import Project, load_project  # noqa: E402

OPENDATA_SITE = Path(__file__).parent / "fixtures" / "site_opendata"
OPENDATA_URL = "https://opendata.example/xuncha/"
EXAMPLE_SITE = Path(__file__).parent.parent


def opendata_pages(project: Project) -> list[tuple[str, date | None]]:
    """The page URLs a build of ``project`` has, as MkDocs gives them, without dates (as the plugin may pass them)."""
    public = project.public_notices()
    urls = ["", "rounds/", "units/", "feedback/", "about/", "404.html"]
    urls += [f"rounds/{round_id}/" for round_id in sorted(project.corpus.rounds)]
    urls += sorted({f"units/{notice.unit_slug}/" for notice in public})
    urls += [f"notices/{notice.round_id}/{notice.slug}/" for notice in public]
    return [(url, None) for url in urls]


def load_clean(config: Path) -> Project:
    project = load_project(config)
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
