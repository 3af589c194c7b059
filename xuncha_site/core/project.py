"""One call that loads a site: its settings (read by the adapter from MkDocs' configuration), content, validation."""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from xuncha_site.core.catalogue import Catalogue, build_catalogue
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.loader import NoticeCache, build_time, load_corpus, zone
from xuncha_site.core.model import Corpus, Notice, Settings
from xuncha_site.core.review import Reviewer, review_corpus
from xuncha_site.core.themes import THEMES_FILE, check_marks, load_themes
from xuncha_site.core.tracking import check_tracking
from xuncha_site.core.validate import validate

# The program's caches, below the project's root (where mkdocs.yml is): what it can make again (compiled templates,
# member sites' last good copies), kept out of git by the .gitignore it holds and safe to delete at any time.
CACHE_DIR = ".xuncha-cache"


def cache_folder(root: Path, *parts: str) -> Path:
    """``<root>/.xuncha-cache/<parts…>``, made, with the .gitignore that keeps the whole cache out of git (the one way
    a cache folder is made); OSError when it cannot be (a read-only checkout)."""
    folder = root.joinpath(CACHE_DIR, *parts)
    folder.mkdir(parents=True, exist_ok=True)
    ignore = root / CACHE_DIR / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# xuncha 的缓存，可随时删除\n*\n", encoding="utf-8")
    return folder


@dataclass
class Project:
    """A loaded site: where it lives, its settings, its corpus and every diagnostic found."""

    config_file: Path
    settings: Settings
    corpus: Corpus
    diagnostics: Diagnostics
    build_time: datetime
    # The catalogue of an earlier load of the same site (``xuncha serve``), from which the catalogue keeps what is
    # unchanged; dropped once the catalogue is made.
    previous: Catalogue | None = dataclasses.field(default=None, repr=False, compare=False)
    incremental: bool = dataclasses.field(default=False, repr=False, compare=False)  # loaded again and again (serve)

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def content_dir(self) -> Path:
        return self.root / self.settings.content_dir

    @functools.cached_property
    def catalogue(self) -> Catalogue:
        """Every derived fact that pages, open data, feeds and search share, computed once."""
        catalogue = build_catalogue(self.corpus, self.build_time, self.previous, incremental=self.incremental)
        self.previous = None
        return catalogue

    def public_notices(self) -> tuple[Notice, ...]:
        return self.corpus.public_notices(self.build_time)

    def failed(self) -> bool:
        return self.diagnostics.has_errors(strict=self.settings.strict)


def load_project(
    config_file: str | os.PathLike[str] = "mkdocs.yml",
    *,
    settings: Settings | None,
    diagnostics: Diagnostics | None = None,
    cache: NoticeCache | None = None,
) -> Project:
    """Load and validate the site configured by ``config_file`` with ``settings``; never raises on bad content.

    ``settings`` come from :func:`xuncha_site.core.settings.read_settings` (the plugin's options as MkDocs read
    them); None when they could not be read, which ``diagnostics`` (the settings' own, continued here) then say why.
    Diagnostics name files relative to the site root (the folder of ``config_file``). ``cache`` keeps notices read
    by an earlier call (``xuncha serve``).
    """
    path = Path(config_file).resolve()
    diags = Diagnostics() if diagnostics is None else diagnostics
    if settings is None:
        empty = Settings()
        return Project(path, empty, Corpus(empty, {}, ()), diags, build_time(zone(empty), diags))
    moment = build_time(zone(settings), diags)
    reviewer = Reviewer(path.parent, settings.content_dir)
    corpus = load_corpus(settings, path.parent, diags, cache=cache, reader=reviewer.read)
    content = path.parent / settings.content_dir
    themes = load_themes(content, os.path.relpath(content / THEMES_FILE, path.parent), diags)
    corpus = dataclasses.replace(corpus, themes=themes)
    check_marks(corpus.notices, themes, diags, memo=cache.marks if cache is not None else None)
    check_tracking(corpus.notices, diags)
    validate(corpus, diags, build_time=moment, memo=cache.checks if cache is not None else None)
    review_corpus(corpus, path.parent, diags, cache=cache.reviews if cache is not None else None, reviewer=reviewer)
    return Project(path, settings, corpus, diags, moment, incremental=cache is not None)
