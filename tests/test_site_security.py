"""Records are untrusted: scripts, event handlers and javascript: links in any field are published inert."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from xuncha_site.core.markdown import Renderer

OUR_SCRIPTS = ("__md_scope", "xuncha.font", "location.hash")  # the theme's own inline scripts


def pages(site):
    return [(path, BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")) for path in sorted(site.rglob("*.html"))]


def test_no_record_script_runs_on_any_page(hostile_site):
    for path, soup in pages(hostile_site):
        for script in soup.select("script"):
            if script.get("src"):
                assert "/assets/" in "/" + script["src"].lstrip("./") and "//" not in script["src"], path
                continue
            assert "alert" not in script.get_text(), path
            assert any(mark in script.get_text() for mark in OUR_SCRIPTS), path


def test_no_event_handler_attribute_on_any_element(hostile_site):
    for path, soup in pages(hostile_site):
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert not handlers, (path, element.name, handlers)


def test_no_javascript_url_iframe_form_or_style_from_a_record(hostile_site):
    for path, soup in pages(hostile_site):
        for element in soup.find_all(True):
            for name in ("href", "src", "action"):
                assert not str(element.get(name, "")).strip().lower().startswith("javascript:"), path
        assert not soup.select("iframe, object, embed, main form[action*='evil']"), path
        assert "display:none" not in "".join(style.get_text() for style in soup.select("style")), path


def test_record_markup_in_metadata_is_shown_as_text(hostile_site, read_page):
    soup = read_page(hostile_site, "notices/2026-x/dingju")
    assert soup.select_one("h1").get_text() == "关于巡察整改进展情况的通报<script>alert('title')</script>"
    assert soup.select_one("title").get_text().startswith("关于巡察整改进展情况的通报<script>")
    assert '来源网站"><img src=x onerror="alert(\'source\')">' in soup.select_one(".xc-meta").get_text()
    assert "<script>alert('issuer')</script>" in soup.select_one(".xc-signature__issuer").get_text()
    assert "onerror" in soup.select_one(".xc-doc__contact").get_text()  # the text survives, as text


def test_record_markup_in_a_problem_title_is_shown_as_text(hostile_site, read_page):
    # The problem tree is written by the view (views.notice.problem_tree), not by a template: escaped all the same.
    problem = read_page(hostile_site, "notices/2026-x/dingju").select_one(".xc-problem")
    title = problem.select_one(".xc-problem__title")
    assert title.get_text().startswith("（一）问题<img src=x onerror=\"alert('problem')\">")
    assert not title.select("img") and title.select_one(".xc-badge").get_text() == "已完成"
    assert not problem.select("form, input")


def test_record_body_keeps_its_text_but_loses_its_markup(hostile_site, read_page):
    body = read_page(hostile_site, "notices/2026-x/dingju").select_one(".xc-doc__body")
    # Tags whose removal would take text with them (script, style, svg, …) are shown as written, inert.
    assert "开头语" in body.get_text() and "正文<svg><script>alert('svg')</script></svg>段落" in body.get_text()
    assert not body.select("script, svg, iframe, form, input, style")
    assert all(not img.get("src", "").startswith(("http", "//")) for img in body.select("img"))


def test_names_from_the_round_file_are_escaped_on_every_page(hostile_site):
    for path, soup in pages(hostile_site):
        assert not soup.select("b[onmouseover]"), path
        for svg in soup.select("svg.xc-chart"):
            assert not svg.select("script")


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>文字", "<script"),
        ('<img src="a.png" onerror="alert(1)">', "onerror"),
        ("[链接](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript"),
        ("![图](https://evil.example/p.gif)", "evil.example"),
        ('<img src="//evil.example/p.gif">', "evil.example"),
        ('<p style="background:url(https://evil.example/x)">x</p>', "evil.example"),
        ("<iframe src='https://evil.example/'></iframe>", "iframe"),
        # Browsers read "\\" as "/" and drop tabs and line breaks: these are addresses on another host too.
        ('<img src="\\\\evil.example/x.png">', "evil.example"),
        ("![](/\\evil.example/u.png)", "evil.example"),
        ('<img src="&#92;&#92;evil.example/x.png">', "evil.example"),
        ('<img src="/&#9;/evil.example/x.png">', "evil.example"),
        ('<img src=" &#10;//evil.example/x.png">', "evil.example"),
    ],
)
def test_renderer_removes_live_markup(markdown, forbidden):
    assert forbidden not in Renderer().markdown(markdown).lower()


def test_renderer_keeps_tables_lists_links_and_local_images():
    html = Renderer().markdown(
        "| 项目 | 数量 |\n|---|---|\n| 问题 | 3 |\n\n- 一是\n- 二是\n\n[原文](https://a.example/) ![图](files/a.png)"
    )
    soup = BeautifulSoup(html, "lxml")
    assert [td.get_text() for td in soup.select("td")] == ["问题", "3"]
    assert len(soup.select("li")) == 2
    assert soup.select_one("a")["href"] == "https://a.example/" and soup.select_one("img")["src"] == "files/a.png"


def test_plain_text_fields_become_escaped_paragraphs():
    assert str(Renderer().plain("第一行<b>\n\n第二行")) == "<p>第一行&lt;b&gt;</p><p>第二行</p>"
