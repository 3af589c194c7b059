"""HTML that a view writes itself, for the pieces that a page repeats many times (a notice's problem tree).

Written out in Python rather than by a Jinja macro called for every problem (a large share of a build's time), and
escaped exactly as the autoescaping templates escape (:func:`escape` gives what ``markupsafe.escape`` gives; a test
compares them): nothing a record carries becomes markup; a ``Markup`` value (sanitised Markdown) is printed as it is.
"""

from __future__ import annotations

from markupsafe import Markup

NO_HTML = Markup("")  # a piece a page does not have


def escape(value: object) -> str:
    """``value`` as the templates print ``{{ value }}``: markup as it is, anything else as escaped text."""
    if type(value) is str:
        text = value
    elif hasattr(value, "__html__"):  # Markup: sanitised already
        return str(value.__html__())
    else:
        text = str(value)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "'" in text:
        text = text.replace("'", "&#39;")
    if '"' in text:
        text = text.replace('"', "&#34;")
    return text
