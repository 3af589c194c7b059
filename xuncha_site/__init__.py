"""xuncha-site: publish 巡察整改进展情况通报 as a static site (MkDocs plugin, core library and CLI)."""

from __future__ import annotations

__version__ = "0.1.0"
