"""A site as every command opens it: ``mkdocs.yml`` read once, by MkDocs' own loader, and the project it configures.

MkDocs resolves ``!ENV [XC_OWNER, 默认]``, ``INHERIT`` and the ``-f`` file; the plugin's options, as MkDocs passed
them, are checked by the core (Chinese messages, lines in ``mkdocs.yml``). ``xuncha build`` hands the same loaded
configuration on to the build, so the file is read once per command.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_USAGE, MISSING_CONFIG, report
from xuncha_site.commands.engine import describe_error, load_mkdocs_config, mkdocs_logging
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.input_files import special_file
from xuncha_site.core.loader import NoticeCache
from xuncha_site.core.project import Project, load_project
from xuncha_site.core.settings import config_file_problems
from xuncha_site.mkdocs_plugin.config import project_from_config


@dataclass(frozen=True)
class Site:
    """A loaded site: MkDocs' configuration (None when ``mkdocs.yml`` cannot be read: the project says why)."""

    config: MkDocsConfig | None
    project: Project


def load_site(
    config_file: str | os.PathLike[str], *, strict: bool = False, cache: NoticeCache | None = None
) -> Site | None:
    """The site configured by ``config_file``, or None after printing why there is none (exit status 2).

    Bad YAML, a top level or plugin options that are not a mapping, a missing plugin: a project whose diagnostics
    say so with ``path:line`` (exit status 1, as for any content error). A configuration that MkDocs refuses for a
    reason of its own (an unknown theme, say): its message, labelled, and None.
    """
    path = Path(config_file)
    if not path.exists():  # a FIFO or a device is reported by the loader, at its path
        print(MISSING_CONFIG.format(path=path), file=sys.stderr)
        return None
    problem = special_file(path)  # the engine would block on a FIFO, or read /dev/zero until memory runs out
    if problem is not None:
        print(f"{path}:1: 错误: {problem}", file=sys.stderr)
        return None
    try:
        with mkdocs_logging(show_info=False):
            config = load_mkdocs_config(str(path), strict=strict)
    except (MkDocsException, RecursionError) as exc:  # absurdly nested YAML stops PyYAML by RecursionError
        diags = Diagnostics()
        if config_file_problems(path.resolve(), diags, shown=path.name):
            return Site(None, load_project(path, settings=None, diagnostics=diags))
        reason = describe_error(exc)
        print(f"xuncha：{reason if 'mkdocs.yml' in reason else f'mkdocs.yml 配置有误：{reason}'}", file=sys.stderr)
        return None
    return Site(config, project_from_config(config, cache=cache))


def load_clean_site(config_file: str | os.PathLike[str], refused: str) -> Site | int:
    """The site configured by ``config_file`` with no content error, else the exit status after printing why
    (the content's diagnostics, then "``refused``：…，请先修正错误")."""
    site = load_site(config_file)
    if site is None:
        return EXIT_USAGE
    if site.config is None or site.project.diagnostics.has_errors():
        report(site.project.diagnostics)
        print(f"{refused}：{site.project.diagnostics.summary()}，请先修正错误", file=sys.stderr)
        return EXIT_CONTENT
    return site
