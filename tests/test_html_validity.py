"""Every page of the example site is valid HTML: the Nu HTML Checker (the W3C validator, run with the machine's Java)
reports no error and no warning on any of them — neither in our templates nor in the page skeleton, which is our own
(theme/base.html) rather than Material's, whose hidden drawer and search checkboxes the checker rejects."""

from __future__ import annotations

import pytest

# The pages are checked as files: the checker then counts the site's own stylesheets and scripts as another origin
# than the page's, against its 'self' policy. On a web server they are the same origin (test_reliability_csp.py).
FILE_ORIGIN = "Resource violates Content Security Policy"


@pytest.fixture(scope="module")
def messages(example_site, validate_html) -> list[dict]:
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 30  # every page type: notices, rounds, units, home, feedback, search, site map, 404, about
    return validate_html(pages)


def readable(found: list[dict]) -> list[str]:
    return [f"{m['file']}: {m['message']}\n    {m['extract'].strip()[:120]}" for m in found]


def test_no_page_has_an_html_error(messages):
    assert readable([m for m in messages if m["type"] not in ("info", "warning")]) == []


def test_no_page_has_an_html_warning(messages):
    warnings = [m for m in messages if m["type"] == "warning" and not m["message"].startswith(FILE_ORIGIN)]
    assert readable(warnings) == []
