"""The output folder of a build: never one that holds the project, never one that holds anything but a built site.

A build replaces its output folder as a whole — ``xuncha build`` swaps a new folder in and removes the old one,
``mkdocs build`` empties it first — so whatever the folder holds is lost. MkDocs itself refuses only an output folder
that holds ``docs_dir`` or lies inside it; here the rule covers every source of the project:

* the folder is not, and does not hold, the project folder (where ``mkdocs.yml`` is), the git repository, ``docs_dir``,
  ``content_dir`` or the theme's ``custom_dir`` (so it is none of their parents either);
* it does not lie inside ``docs_dir``, ``content_dir``, the theme or ``.git`` (where a site would be read as sources);
* if it exists and is not empty, it is a site that a build made: every build leaves the small file :data:`STAMP` at
  the top of the site, and a non-empty folder without it is refused with a message that says how to proceed.

Paths are compared after symlinks are resolved, so a link named ``site`` that points at the project is refused too,
and a link to a real output folder lets the build update the folder it points at.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Written at the top of every built site; a folder that holds it may be replaced by the next build.
STAMP = ".xuncha-site"
STAMP_TEXT = "本目录是 xuncha-site 生成的站点，下次构建会整个替换它。\n"


@dataclass(frozen=True)
class Source:
    """A folder (or file) of the project that an output folder must leave alone."""

    path: Path
    label: str  # how a maintainer calls it, in the refusal message
    holds_sources: bool = True  # a site inside it would be read as sources (not true of the project folder itself)


def project_sources(
    config_file: Path, *, docs_dir: Path, content_dir: Path, theme_dir: Path | None = None
) -> list[Source]:
    """The project's sources as the guard sees them: configuration, pages, records, theme and the repository."""
    root = config_file.resolve().parent
    sources = [
        Source(root, "站点项目目录（mkdocs.yml 所在目录）", holds_sources=False),
        Source(config_file.resolve(), f"配置文件 {config_file.name}", holds_sources=False),
        Source(docs_dir, "页面目录 docs_dir"),
        Source(content_dir, "记录目录 content_dir"),
    ]
    if theme_dir is not None:
        sources.append(Source(theme_dir, "主题目录 custom_dir"))
    repository = _repository_root(root)
    if repository is not None:
        sources.append(Source(repository, "站点所在的 git 仓库", holds_sources=False))
        sources.append(Source(repository / ".git", "仓库的 .git 目录"))
    return sources


def _repository_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def output_problem(target: Path, sources: Iterable[Source]) -> str | None:
    """Why ``target`` cannot be a build's output folder (a Chinese sentence), or None when it can."""
    shown = str(target)
    real = Path(os.path.realpath(target))
    resolved = [(Path(os.path.realpath(source.path)), source) for source in sources]
    for path, source in resolved:
        if real == path:
            return f"输出目录 {shown} 就是{source.label}，构建会删除其中的文件"
    for path, source in resolved:
        if path.is_relative_to(real):
            return f"输出目录 {shown} 包含{source.label}（{path}），构建会删除其中的文件"
    for path, source in resolved:
        if source.holds_sources and real.is_relative_to(path):
            return f"输出目录 {shown} 在{source.label}（{path}）之内，生成的文件会被当作源文件"
    if real.exists() or real.is_symlink():
        if not real.is_dir():
            return f"输出目录 {shown} 已存在，但不是目录"
        if not is_built_site(real) and _has_entries(real):
            return (
                f"输出目录 {shown} 中已有文件，但它不是 xuncha-site 构建的站点（没有 {STAMP} 标记文件），"
                "为免删除这些文件，未构建。请换一个新的或空的输出目录（-d 目录，或 mkdocs.yml 的 site_dir），"
                "或者确认其中的文件都不再需要后，自己删除或清空该目录再构建"
            )
    return None


def is_built_site(folder: Path) -> bool:
    return (folder / STAMP).is_file()


def _has_entries(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is not None
    except OSError:
        return True  # unreadable: not known to be empty


def stamp(site: Path) -> None:
    """Mark ``site`` as a built site (called once the build has written it)."""
    (site / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
