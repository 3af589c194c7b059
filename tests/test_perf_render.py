"""The renderer's plain-prose fast path gives exactly what Python-Markdown + nh3 give; the views that write their own
HTML (the problem tree) escape exactly as the templates do."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from unittest.mock import patch

import markupsafe
from hypothesis import given, settings, strategies as st
from markupsafe import Markup

from xuncha_site.commands.site import load_site
from xuncha_site.core import markdown as render
from xuncha_site.core.markdown import Renderer
from xuncha_site.views import html

ROOT = Path(__file__).resolve().parent.parent
ALWAYS = re.compile("")  # matches every text: the full Markdown path

# Chinese prose, its punctuation, and the ASCII that notices contain — including Markdown's own characters.
PROSE = list("整改完成情况党委一二三（）【】“”‘’：；，。、…—《》%％.1234567890-:()/abcXYZ \"'\n")
MARKUP = list("#*_`[]<>&|~=+>!\\\t\u3000\u00a0\r")
TEXTS = st.one_of(st.text(st.sampled_from(PROSE), max_size=60), st.text(st.sampled_from(PROSE + MARKUP), max_size=60))


def both_ways(text: str) -> tuple[str, str]:
    fast = str(Renderer().markdown(text))
    with patch.object(render, "_MARKUP", ALWAYS):
        full = str(Renderer().markdown(text))
    return fast, full


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_fast_path_renders_any_text_like_markdown(text: str) -> None:
    fast, full = both_ways(text)
    assert fast == full


# What the fast path looked for as one pattern; it now searches two, faster, that must find the same.
ONE_PATTERN = re.compile(r"[\\`*_\[\]<>&|~\x00-\x09\x0b-\x1f\x7f]|[^\S \n]|^[ #=+>-]|^\d+[.)]| $", re.M)


def test_fast_path_looks_for_every_character_it_looked_for() -> None:
    for code in range(sys.maxunicode + 1):
        for text in (chr(code), f"字{chr(code)}字"):
            assert (render.plain_paragraphs(text) is None) == bool(ONE_PATTERN.search(text)), hex(code)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_fast_path_takes_the_texts_it_took(text: str) -> None:
    assert (render.plain_paragraphs(text) is None) == bool(ONE_PATTERN.search(text))


def test_fast_path_renders_plain_paragraphs_like_markdown() -> None:
    text = "\n整改措施：（1）修订《制度》，明确38项。\n第二行“引号”，2024-03-18，1.5万元\n\n\n（2）完成情况：已完成\n"
    fast, full = both_ways(text)
    assert (
        fast
        == full
        == "<p>整改措施：（1）修订《制度》，明确38项。\n第二行“引号”，2024-03-18，1.5万元</p>\n<p>（2）完成情况：已完成</p>"
    )


def test_every_fragment_of_the_example_notices_renders_as_markdown_does() -> None:
    project = load_site(ROOT / "mkdocs.yml").project
    fragments = [notice.preamble for notice in project.corpus.notices]
    for notice in project.corpus.notices:
        for part in notice.parts:
            fragments.append(part.body)
            stack = list(part.problems)
            while stack:
                problem = stack.pop()
                fragments.append(problem.body)
                stack.extend(problem.children)
    assert len(fragments) > 100
    for fragment in fragments:
        fast, full = both_ways(fragment)
        assert fast == full, fragment


@settings(max_examples=400, deadline=None)
@given(st.one_of(TEXTS, st.text(max_size=40), st.integers()))
def test_views_escape_text_as_the_templates_do(value: object) -> None:
    assert html.escape(value) == str(markupsafe.escape(value))


def test_views_print_markup_as_it_is() -> None:
    fragment = Markup("<p>整改&amp;落实</p>")
    assert html.escape(fragment) == "<p>整改&amp;落实</p>"
    assert html.escape("<b title='x'>\"&\"</b>") == "&lt;b title=&#39;x&#39;&gt;&#34;&amp;&#34;&lt;/b&gt;"
