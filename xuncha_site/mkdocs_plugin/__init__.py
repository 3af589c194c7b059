"""The MkDocs adapter (also run by ProperDocs): the `xuncha` plugin."""

from xuncha_site.mkdocs_plugin.plugin import XunchaPlugin

__all__ = ["XunchaPlugin"]
