"""The search index's error, apart from the modules that make the index (numpy, cbor2): the build process that starts
indexing in a child (:mod:`xuncha_site.search.job`) and reports its failure imports neither."""

from __future__ import annotations


class SearchIndexError(RuntimeError):
    """Pagefind is missing, failed, or writes a format this module does not know; the message is in Chinese."""
