"""Every page type of the example site, what every page shares (lang, header, nav, footer, reading aids), the
feedback page and the promise that no page makes a request to another host."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from xuncha_site.core.contact import tel_href
from xuncha_site.core.stats import latest_by_unit

SITE_HOST = "xuncha.example"  # site_url of the example's mkdocs.yml
PAGE_TYPES = {
    "": "home",
    "rounds": "rounds",
    "rounds/2024-r1": "round",
    "notices/2024-r1/fagaiwei": "notice",
    "units": "units",
    "units/fagaiwei": "unit",
    "feedback": "feedback",
    "search": "search",
    "sitemap": "sitemap",
    "about": "about",
    "404.html": "404",
}
NAV = ["首页", "巡察轮次", "被巡察单位", "共性问题", "监督举报", "搜索", "网站地图", "关于本站"]


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.parametrize("url", list(PAGE_TYPES))
def test_every_page_type_is_built_with_its_heading(example_site, read_page, url):
    soup = read_page(example_site, url)
    assert soup.select_one("#xc-main h1") is not None


def test_every_page_declares_lang_zh_cn(example_site):
    pages = html_pages(example_site)
    assert len(pages) > 40
    for path in pages:
        root = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").html
        assert root["lang"] == "zh-CN", path


def test_every_page_has_the_short_fixed_navigation_and_no_notice_in_it(example_site):
    for path in html_pages(example_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        nav = soup.select_one("nav.xc-nav")
        assert [a.get_text(strip=True) for a in nav.select("a")] == NAV, path
        assert not soup.select(".md-nav, .md-sidebar"), path  # MkDocs' nav is not rendered at all
        assert not any("notices/" in a["href"] for a in soup.select("header a[href]")), path


def test_header_search_form_works_without_javascript(example_site, read_page):
    soup = read_page(example_site, "notices/2024-r1/fagaiwei")
    form = soup.select_one("header form[role=search]")
    assert form["method"] == "get" and form["action"] == "../../../search/"
    assert form.select_one("input[name=q]") is not None and form.select_one("button[type=submit]") is not None


def test_search_page_includes_the_search_ui_in_the_main_content(example_site, read_page):
    main = read_page(example_site, "search").select_one("#xc-main")
    assert main.select_one("h1").get_text() == "搜索"
    assert main.select_one("form input[name=q]") is not None  # from partials/xuncha-search.html
    assert main.select_one("noscript a[href$='rounds/']") is not None


def test_footer_shows_owner_contact_and_registration_numbers(example_site, example_project, read_page):
    settings = example_project.settings
    for url in ("", "notices/2024-r1/fagaiwei", "404.html"):
        footer = read_page(example_site, url).select_one("footer.xc-footer")
        text = footer.get_text()
        assert settings.owner in text and settings.icp in text and settings.police_beian in text
        assert f"网站标识码：{settings.site_code}" in text
        hrefs = {a["href"] for a in footer.select("a")}
        assert tel_href(settings.office.hotline) in hrefs
        assert any(href.endswith("sitemap/") for href in hrefs) and any(href.endswith("about/") for href in hrefs)


def test_not_found_page_links_from_the_site_root(example_site, read_page):
    soup = read_page(example_site, "404.html")
    assert soup.select_one("header form")["action"] == "/search/"
    assert all(a["href"].startswith("/") for a in soup.select("nav.xc-nav a"))


def test_every_page_has_reading_aids_and_a_skip_link(example_site):
    for path in html_pages(example_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        assert soup.select_one("a.xc-skip")["href"] == "#xc-main"
        assert soup.select_one("#xc-main") is not None
        assert len(soup.select(".xc-tools [data-xc-font]")) >= 3
        assert soup.select_one(".xc-tools [data-xc-care]") is not None
        assert soup.select_one("script[src$='assets/xuncha/xuncha.js']") is not None


def test_reading_aids_persist_and_print_styles_exist(example_site):
    script = (example_site / "assets" / "xuncha" / "xuncha.js").read_text(encoding="utf-8")
    assert "localStorage" in script and "xuncha.font" in script and "xuncha.care" in script
    page = (example_site / "index.html").read_text(encoding="utf-8")
    assert 'getItem("xuncha.font")' in page  # restored in <head>, before the first paint
    css = (example_site / "assets" / "xuncha" / "xuncha.css").read_text(encoding="utf-8")
    print_css = css[css.index("@media print") :]
    assert "size: A4" in print_css
    for chrome in (".xc-header", ".xc-footer", ".xc-tools", ".xc-crumbs"):
        assert chrome in print_css.split("display: none")[0]
    for size in ("s", "m", "l"):
        assert f'html[data-font="{size}"]' in css
    assert 'html[data-care="on"]' in css


def test_home_page_has_latest_notices_rounds_figures_search_and_report_entry(example_site, example_project, read_page):
    soup = read_page(example_site, "")
    latest = [a.get_text(strip=True) for a in soup.select("#xc-latest ~ .xc-notices .xc-notices__title")]
    assert latest == [notice.title for notice in example_project.public_notices()[:10]]
    assert len(soup.select(".xc-rounds__item")) == len(example_project.corpus.rounds)
    assert soup.select_one(".xc-figures--headline") is not None
    assert soup.select_one("#xc-main form[role=search] input[name=q]") is not None
    report = soup.select_one(".xc-report")
    assert report.select_one("a[href='tel:12388']") is not None
    assert report.select_one("a[href$='feedback/']") is not None


def test_feedback_page_lists_the_office_channels_first(example_site, example_project, read_page):
    office = example_project.settings.office
    card = read_page(example_site, "feedback").select_one("#xc-main .xc-card")
    assert card.select_one(".xc-card__title").get_text(strip=True) == office.name
    hrefs = {a["href"] for a in card.select("a")}
    assert {tel_href(office.hotline), *map(tel_href, office.phones), *(f"mailto:{e}" for e in office.emails)} <= hrefs


def test_feedback_page_links_every_units_phones_from_its_latest_notice(example_site, example_project, read_page):
    soup = read_page(example_site, "feedback")
    hrefs = {a["href"] for a in soup.select("#xc-feedback-list a[href^='tel:']")}
    expected = set()
    for round_id in example_project.corpus.rounds:
        notices = [n for n in example_project.public_notices() if n.round_id == round_id]
        for notice in latest_by_unit(notices).values():
            expected |= {tel_href(phone) for phone in notice.contact.phones}
    assert expected and expected <= hrefs


def test_feedback_entries_are_grouped_by_round_and_filterable(example_site, read_page):
    soup = read_page(example_site, "feedback")
    groups = soup.select("#xc-feedback-list [data-xc-filter-group]")
    assert len(groups) >= 3
    entries = soup.select("[data-xc-filter-text]")
    assert all(entry.get("hidden") is None for entry in entries)  # without JavaScript, everything shows
    box = soup.select_one("input[data-xc-filter]")
    assert box["data-xc-filter"] == "xc-feedback-list" and "xc-needs-js" in box.find_parent("div")["class"]


def test_sitemap_page_links_every_column_round_and_unit(example_site, example_project, read_page):
    hrefs = {a["href"] for a in read_page(example_site, "sitemap").select("#xc-main a")}
    assert {"../", "../rounds/", "../feedback/", "../search/", "../about/", "../units/"} <= hrefs
    assert {f"../rounds/{round_id}/" for round_id in example_project.corpus.rounds} <= hrefs
    assert {f"../units/{notice.unit_slug}/" for notice in example_project.public_notices()} <= hrefs


def test_material_javascript_is_neither_shipped_nor_referenced(example_site):
    assert not (example_site / "assets" / "javascripts").exists()
    assert not list(example_site.rglob("*.map"))
    for path in html_pages(example_site):
        assert "bundle." not in path.read_text(encoding="utf-8"), path


# --- no request to another host ---------------------------------------------------------------------------------

URL_ATTRIBUTES = ("src", "href", "srcset", "action", "formaction", "data", "poster", "xlink:href", "background")
TEXT_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?[^\s"'`)<>]*""")
NAMESPACES = ("http://www.w3.org/",)  # XML namespace names are identifiers, not requests


def foreign(url: str) -> bool:
    url = url.strip()
    if url.startswith(("data:", "#", "mailto:", "tel:")) or url.startswith(NAMESPACES):
        return False
    host = urlsplit(url).hostname
    return host is not None and host != SITE_HOST


def foreign_in_text(text: str) -> list[str]:
    return [url for url in TEXT_URL.findall(text) if foreign(url)]


def strip_css_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_no_page_refers_to_another_host(example_site):
    found = []
    for path in html_pages(example_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for element in soup.find_all(True):
            for name in URL_ATTRIBUTES:
                value = element.get(name)
                if not value:
                    continue
                urls = [part.split()[0] for part in value.split(",")] if name == "srcset" else [value]
                for url in urls:
                    # A link the reader may choose to follow (an original source, the ICP register) is no request.
                    if element.name in ("a", "area") and name == "href":
                        continue
                    if foreign(url):
                        found.append((path, element.name, url))
            if element.get("style"):
                found += [(path, "style", url) for url in foreign_in_text(element["style"])]
        for block in soup.select("script, style"):
            found += [(path, block.name, url) for url in foreign_in_text(block.get_text())]
    assert not found


def test_no_stylesheet_or_script_refers_to_another_host(example_site):
    found = []
    for path in [*example_site.rglob("*.css"), *example_site.rglob("*.js")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".css":
            text = re.sub(r"url\(\s*['\"]?data:[^)]*\)", "", strip_css_comments(text))
        else:
            # Pagefind parses relative result URLs against a dummy base (new URL(`https://example.com${path}`));
            # nothing is ever requested from it, as the browser tests that intercept every request show.
            text = text.replace("new URL(`https://example.com${", "new URL(`${")
        found += [(path, url) for url in foreign_in_text(text)]
    assert not found


def test_fonts_come_from_the_reader_not_from_google(example_site):
    for path in html_pages(example_site):
        assert "fonts.googleapis" not in path.read_text(encoding="utf-8")
