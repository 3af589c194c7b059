"""MkDocs adapter: validates content on every build. Page generation lands with the site issue."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .project import Project, load_project

log = logging.getLogger("mkdocs.plugins.xuncha_site")


class XunchaConfig(base.Config):
    # The settings are read and checked (in Chinese, with line numbers) by xuncha_site.settings;
    # they are declared here so that MkDocs accepts them.
    content_dir = c.Type(str, default="content")
    owner = c.Type(str, default="")
    office = c.Type(dict, default={})
    icp = c.Type(str, default="")
    police_beian = c.Type(str, default="")
    site_code = c.Type(str, default="")
    deadline_days = c.Type(int, default=60)
    grace_days = c.Type(int, default=0)
    timezone = c.Type(str, default="Asia/Shanghai")
    feed_size = c.Type(int, default=20)
    strict = c.Type(bool, default=False)


class XunchaPlugin(BasePlugin[XunchaConfig]):
    def __init__(self) -> None:
        self.project: Project | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = load_project(Path(config.config_file_path))
        for diag in project.diagnostics.sorted():
            (log.error if diag.level.name == "ERROR" else log.warning)(diag.format())
        if project.failed():
            raise PluginError(f"xuncha：内容检查未通过（{project.diagnostics.summary()}），站点未构建")
        self.project = project
        return config
