"""The plugin's MkDocs config options, made from the settings' one declaration, and the project a configuration gives.

Every option accepts any value and passes it on as MkDocs read it (``!ENV`` resolved, ``INHERIT`` merged): the core
checks it (:func:`xuncha_site.core.settings.read_settings`), in Chinese and with the line in ``mkdocs.yml``, so
that MkDocs' English type errors never stand in for those messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.loader import NoticeCache
from xuncha_site.core.project import Project, load_project
from xuncha_site.core.settings import SETTINGS_FIELDS, check_site_url, option_defaults, read_settings


class Setting(base.BaseConfigOption[Any]):
    """A setting as written: checked by the core, not by MkDocs."""

    def __init__(self, default: Any) -> None:
        super().__init__()
        self.default = default


class _Options(base.Config):
    """A config class whose options are the declared settings, added when it is defined."""

    def __init_subclass__(cls) -> None:
        for key, default in option_defaults().items():
            option = Setting(default)
            option.__set_name__(cls, key)
            setattr(cls, key, option)
        super().__init_subclass__()

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        failed, warnings = super().validate()
        # An unknown option is the core's to report (in Chinese, with its line and the closest known name).
        return failed, [(key, warning) for key, warning in warnings if key in SETTINGS_FIELDS]


class XunchaConfig(_Options):
    """The plugin's options in mkdocs.yml: one per setting declared in :class:`xuncha_site.core.model.Settings`."""


def xuncha_plugin(config: MkDocsConfig) -> BasePlugin[Any] | None:
    """The xuncha plugin's instance in a loaded configuration, if it is listed."""
    for plugin in config.plugins.values():
        if isinstance(plugin.config, XunchaConfig):
            return plugin
    return None


def project_from_config(config: MkDocsConfig, *, cache: NoticeCache | None = None) -> Project:
    """The site that a loaded MkDocs configuration describes: the plugin's options checked, then the content."""
    path = Path(config.config_file_path)
    plugin = xuncha_plugin(config)
    diags = Diagnostics()
    settings = read_settings(None if plugin is None else plugin.config, path, diags)
    check_site_url(config.site_url, path, diags)
    return load_project(path, settings=settings, diagnostics=diags, cache=cache)
