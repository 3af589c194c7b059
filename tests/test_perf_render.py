"""The renderer's plain-prose fast path gives exactly what Python-Markdown + nh3 give; the views that write their own
HTML (the problem tree) escape exactly as the templates do."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from unittest.mock import patch

import markupsafe
from hypothesis import given, settings, strategies as st
from jinja2 import Environment
from markupsafe import Markup

from xuncha_site.commands.site import load_site
from xuncha_site.core import markdown as render
from xuncha_site.core.markdown import Renderer
from xuncha_site.views import html
from xuncha_site.views.notice import CountRow
from xuncha_site.views.widgets import ContactCard, Fact, Link, NoticeItem

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


# The macros as they were written in Jinja (theme/partials/ before views/html.py wrote these pieces), for comparison.
MACROS = r"""
{% macro breadcrumbs(links) -%}
<nav class="xc-crumbs" aria-label="当前位置">
  <ol class="xc-plain">
    {%- for link in links %}
      <li>{% if link.current %}<span aria-current="page">{{ link.text }}</span>{% else %}<a href="{{ link.url }}">{{ link.text }}</a>{% endif %}</li>
    {%- endfor %}
  </ol>
</nav>
{%- endmacro %}
{% macro contact_card(card, heading="h2") -%}
<section class="xc-card">
  <{{ heading }} class="xc-card__title">{{ card.title }}</{{ heading }}>
  <dl class="xc-card__list">
    {%- if card.hotline %}
      <div><dt>举报电话</dt><dd><a class="xc-tel" href="{{ card.hotline.url }}">{{ card.hotline.text }}</a></dd></div>
    {%- endif %}
    {%- if card.phones %}
      <div><dt>电话</dt><dd>{% for phone in card.phones %}<a class="xc-tel" href="{{ phone.url }}">{{ phone.text }}</a>{% if not loop.last %}、{% endif %}{% endfor %}</dd></div>
    {%- endif %}
    {%- if card.emails %}
      <div><dt>电子邮箱</dt><dd>{% for email in card.emails %}<a href="{{ email.url }}">{{ email.text }}</a>{% if not loop.last %}、{% endif %}{% endfor %}</dd></div>
    {%- endif %}
    {%- if card.website %}
      <div><dt>网上举报</dt><dd><a href="{{ card.website.url }}" rel="noopener noreferrer">{{ card.website.text }}</a></dd></div>
    {%- endif %}
    {%- if card.mailbox %}<div><dt>邮政信箱</dt><dd>{{ card.mailbox }}</dd></div>{% endif %}
    {%- if card.address %}<div><dt>地址</dt><dd>{{ card.address }}</dd></div>{% endif %}
    {%- if card.postcode %}<div><dt>邮政编码</dt><dd>{{ card.postcode }}</dd></div>{% endif %}
    {%- if card.hours %}<div><dt>接待时间</dt><dd>{{ card.hours }}</dd></div>{% endif %}
  </dl>
</section>
{%- endmacro %}
{% macro counts_table(rows) -%}
<section class="xc-counts" aria-labelledby="xc-counts-title" data-xc-noread>
  <h2 id="xc-counts-title" class="xc-counts__title">整改数字摘要</h2>
  <table class="xc-counts__table">
    <thead><tr><th scope="col">项目</th><th scope="col">通报写明</th><th scope="col">据正文逐项统计</th></tr></thead>
    <tbody>
      {%- for row in rows %}
        <tr><th scope="row">{{ row.label }}</th><td>{{ row.stated }}</td><td>{{ row.derived }}</td></tr>
      {%- endfor %}
    </tbody>
  </table>
  <p class="xc-note">本表由本站整理。“通报写明”是通报原文中的数字；“据正文逐项统计”只在通报为每一项问题写明完成情况时给出，
  按正文逐项列出的（末级）问题计数。“—”表示通报未写明或正文无法完整统计。</p>
</section>
{%- endmacro %}
{% macro notice_list(items, show_unit=true, show_round=true) -%}
<ul class="xc-notices xc-plain">
  {%- for item in items %}
    <li class="xc-notices__item">
      <a class="xc-notices__title" href="{{ item.url }}">{{ item.title }}</a>
      <span class="xc-notices__meta">
        {%- if show_unit %}<span>{{ item.unit }}</span>{% endif %}
        {%- if show_round %}<span>{{ item.round_name }}</span>{% endif %}
        <span>{{ item.stage }}</span>
        <span>发布于 <time datetime="{{ item.published_iso }}">{{ item.published }}</time></span>
      </span>
    </li>
  {%- endfor %}
</ul>
{%- endmacro %}
{% macro facts(items, class="xc-facts") -%}
<dl class="{{ class }}">
  {%- for fact in items %}
    <div><dt>{{ fact.label }}</dt><dd>{% if fact.url %}<a href="{{ fact.url }}">{{ fact.value }}</a>{% else %}{{ fact.value }}{% endif %}</dd></div>
  {%- endfor %}
</dl>
{%- endmacro %}
"""

FIELD = st.one_of(
    st.text(st.sampled_from(list("整改<>&\"'ab 1、")), max_size=6), st.builds(Markup, st.sampled_from(["<b>x</b>", ""]))
)
LINKS = st.builds(Link, FIELD, FIELD, st.booleans())


@settings(max_examples=200, deadline=None)
@given(
    links=st.lists(LINKS, max_size=4),
    facts=st.lists(st.builds(Fact, FIELD, FIELD, FIELD), max_size=4),
    items=st.lists(st.builds(NoticeItem, *[FIELD] * 8), max_size=3),
    card=st.builds(
        ContactCard,
        FIELD,
        st.lists(LINKS, max_size=3).map(tuple),
        st.lists(LINKS, max_size=3).map(tuple),
        st.one_of(st.none(), LINKS),
        FIELD,
        FIELD,
        FIELD,
        FIELD,
        st.one_of(st.none(), LINKS),
    ),
    rows=st.lists(st.builds(CountRow, FIELD, FIELD, FIELD), max_size=3),
    flags=st.tuples(st.booleans(), st.booleans()),
)
def test_pieces_written_by_views_are_the_macros_output(links, facts, items, card, rows, flags) -> None:
    """views/html.py writes the crumbs, facts, notice lists, contact cards and figures exactly as the Jinja macros
    wrote them (autoescaped: text escaped, markup as it is)."""
    macros = Environment(autoescape=True).from_string(MACROS).module
    assert html.breadcrumbs(links) == macros.breadcrumbs(links)
    assert html.facts(facts) == macros.facts(facts)
    assert html.facts(facts, "a&b") == macros.facts(facts, "a&b")
    assert html.notice_list(items, *flags) == macros.notice_list(items, *flags)
    assert html.notice_list(items) == macros.notice_list(items)
    assert html.contact_card(card) == macros.contact_card(card)
    assert html.contact_card(card, "h4") == macros.contact_card(card, heading="h4")
    assert html.counts_table(rows) == macros.counts_table(rows)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list(" \t\n>-*#=[]()<整改a1")), max_size=120).map(lambda text: text * 3))
def test_markdown_bounds_skip_only_searches_that_find_nothing(text: str) -> None:
    """check_markdown searches for deep quotes only where there is a ">" and for deep indents only where a line starts
    with a space or a tab: it reports what it reported when it searched every body."""
    from xuncha_site.core import markdown_limits
    from xuncha_site.core.diagnostics import Diagnostics

    deep = text.replace(">", ">" * 20).replace("\n ", "\n" + " " * 70)
    for body in (text, deep):
        quick, full = Diagnostics(), Diagnostics()
        ok = markdown_limits.check_markdown(body, "x.md", 1, quick)
        with patch.object(markdown_limits, "_may_be_indented", lambda text: True):
            assert markdown_limits.check_markdown(body, "x.md", 1, full) == ok
        assert [d.format() for d in quick.items] == [d.format() for d in full.items]
        assert (markdown_limits._QUOTES.search(body) is None) or ">" in body
        assert (markdown_limits._INDENT.search(body) is None) or markdown_limits._may_be_indented(body)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(st.sampled_from(list(" \t#`~整改（已完成）-*1")), max_size=12),
            st.sampled_from(
                ["## 一、情况", "### 问题一（已完成）", "#### 子问题", "```", "~~~~", "   ```", "完成情况：已完成"]
            ),
        ),
        max_size=30,
    ).map("\n".join)
)
def test_notice_bodies_parse_as_when_every_line_was_matched(text: str) -> None:
    """parse_body passes over lines that no fence or heading pattern can match: the body and its diagnostics are
    those it gave when it matched both patterns against every line."""
    from xuncha_site.core import body
    from xuncha_site.core.diagnostics import Diagnostics

    quick, full = Diagnostics(), Diagnostics()
    parsed = body.parse_body(text, "x.md", 3, quick)
    with patch.object(body, "_plain_line", lambda raw: False):
        assert body.parse_body(text, "x.md", 3, full) == parsed
    assert [d.format() for d in quick.items] == [d.format() for d in full.items]
