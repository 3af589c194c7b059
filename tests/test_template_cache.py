"""Compiled templates are kept between builds in the project's .xuncha-cache/templates/: a build that uses them
writes the same site (autoescaping included), and a damaged or missing cache never fails a build."""

from __future__ import annotations

import shutil
from pathlib import Path

from recordkit import MKDOCS_YML, RecordSite
from site_fixtures import EXAMPLE_SITE, build_mkdocs_site

HOSTILE_NAME = "测试<i>站点</i>"


def _site(root: Path, theme: Path = EXAMPLE_SITE / "theme") -> RecordSite:
    site = RecordSite(root)
    config = root / "mkdocs.yml"
    text = MKDOCS_YML.format(theme=theme).replace("测试站点", HOSTILE_NAME)
    config.write_text(text, encoding="utf-8")
    site.notice()
    return site


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_from_the_template_cache_writes_the_same_escaped_site(tmp_path: Path) -> None:
    site = _site(tmp_path / "project")
    cache = site.root / ".xuncha-cache" / "templates"
    first = _files(build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "one"))
    kept = sorted(cache.glob("*.cache"))
    assert len(kept) > 10, "the first build keeps the templates it compiled"
    assert all(path.name.startswith("autoescape-jinja") for path in kept)
    assert (site.root / ".xuncha-cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    stamps = {path: path.stat().st_mtime_ns for path in kept}
    second = _files(build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "two"))
    assert {path: path.stat().st_mtime_ns for path in kept} == stamps, "the second build read them, wrote none anew"
    assert second == first
    home = second["index.html"].decode()
    assert "测试&lt;i&gt;站点&lt;/i&gt;" in home and HOSTILE_NAME not in home


def test_a_damaged_or_removed_template_cache_is_compiled_again(tmp_path: Path) -> None:
    site = _site(tmp_path / "project")
    cache = site.root / ".xuncha-cache" / "templates"
    first = _files(build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "one"))
    for number, path in enumerate(sorted(cache.glob("*.cache"))):
        path.write_bytes(b"" if number % 2 else path.read_bytes()[:20] + b"\x80garbage")
    assert _files(build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "two")) == first
    for path in cache.iterdir():
        path.unlink()
    cache.rmdir()
    assert _files(build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "three")) == first
    assert any(cache.glob("*.cache")), "made again"


def test_a_project_whose_cache_folder_cannot_be_made_builds_without_it(tmp_path: Path) -> None:
    site = _site(tmp_path / "project")
    (site.root / ".xuncha-cache").write_text("not a folder", encoding="utf-8")
    built = _files(build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "one"))
    assert "index.html" in built
    assert (site.root / ".xuncha-cache").read_text(encoding="utf-8") == "not a folder", "left as it was"


def test_an_edited_template_is_compiled_again_not_taken_from_the_cache(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(EXAMPLE_SITE / "theme", theme)
    site = _site(tmp_path / "project", theme)
    first = build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "one")
    assert "查找巡察整改通报" in (first / "index.html").read_text(encoding="utf-8")
    home = theme / "home.html"
    home.write_text(
        home.read_text(encoding="utf-8").replace("查找巡察整改通报", "查找整改通报（改过的模板）"), encoding="utf-8"
    )
    second = (build_mkdocs_site(site.root / "mkdocs.yml", tmp_path / "two") / "index.html").read_text(encoding="utf-8")
    assert "查找整改通报（改过的模板）" in second and "查找巡察整改通报" not in second
