"""The search page."""

from __future__ import annotations

from dataclasses import dataclass

from xuncha_site.core.routes import (
    ROUNDS,
    SITEMAP,
    join_url,
)
from xuncha_site.views.widgets import (
    Link,
    crumbs,
)


@dataclass(frozen=True)
class SearchView:
    crumbs: tuple[Link, ...]
    rounds_url: str
    sitemap_url: str


def search_view(base: str) -> SearchView:
    return SearchView(crumbs(base, ("搜索", "")), join_url(base, ROUNDS), join_url(base, SITEMAP))
