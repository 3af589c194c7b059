"""One call that loads a site: settings from mkdocs.yml, then content, then validation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .diagnostics import Diagnostics
from .loader import NoticeCache, build_time, load_corpus, zone
from .model import Corpus, Notice, Settings
from .settings import load_settings
from .validate import validate


@dataclass
class Project:
    """A loaded site: where it lives, its settings, its corpus and every diagnostic found."""

    config_file: Path
    settings: Settings
    corpus: Corpus
    diagnostics: Diagnostics
    build_time: datetime

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def content_dir(self) -> Path:
        return self.root / self.settings.content_dir

    def public_notices(self) -> tuple[Notice, ...]:
        return self.corpus.public_notices(self.build_time)

    def failed(self) -> bool:
        return self.diagnostics.has_errors(strict=self.settings.strict)


def load_project(
    config_file: str | os.PathLike[str] = "mkdocs.yml",
    *,
    settings: Settings | None = None,
    cache: NoticeCache | None = None,
) -> Project:
    """Load and validate the site configured by ``config_file``; never raises on bad content.

    Diagnostics name files relative to the site root (the folder of ``config_file``). ``cache`` keeps notices read
    by an earlier call (``xuncha serve``).
    """
    path = Path(config_file).resolve()
    diags = Diagnostics()
    shown = path.name
    if settings is None:
        settings = load_settings(path, diags, shown=shown)
    if settings is None:
        empty = Settings()
        return Project(path, empty, Corpus(empty, {}, ()), diags, build_time(zone(empty), diags))
    moment = build_time(zone(settings), diags)
    corpus = load_corpus(settings, path.parent, diags, cache=cache)
    validate(corpus, diags, build_time=moment)
    return Project(path, settings, corpus, diags, moment)
