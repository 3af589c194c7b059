"""Record text never becomes active markup in any output: ≥ 50 HTML/JS payloads (tests/fixtures/injection/payloads.txt)
in every text field and every place of the Markdown body are published inert — pages, search result documents,
feeds, open data, sitemap — and stay readable; the build does not fail because of them.

Assertions are on parsed documents (lxml DOM, XML, JSON, CSV), never on substrings of the raw output.
tests/test_injection_browser.py runs the same site in Chromium; tests/test_site_security.py has the small hand-written
hostile fixture.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from injectionkit import PAYLOADS, ROUND, SITE_URL, InjectionSite, injection_site

from xuncha_site.core.markdown import ALLOWED_TAGS
from xuncha_site.search.pagefind.index import read_fragment

# Elements that the theme never writes and that a record must never add.
NEVER = frozenset(
    [
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "math",
        "template",
        "xmp",
        "plaintext",
        "video",
        "audio",
        "source",
        "track",
        "marquee",
        "isindex",
        "details",
        "textarea",
        "style",
        "foreignobject",
        "animate",
        "set",
        "animatetransform",
        "animatemotion",
        "handler",
        "listener",
        "portal",
        "dialog",
    ]
)
URL_ATTRIBUTES = frozenset(
    [
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "xlink:href",
        "poster",
        "srcset",
        "background",
        "cite",
        "ping",
        "manifest",
        "codebase",
    ]
)
SAFE_SCHEMES = ("", "http", "https", "mailto", "tel")
# Attributes that may carry record text: the browser never runs them.
TEXT_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "data-xc-filter-text", "value", "content", "label"})
ALLOWED_META = frozenset({"content-security-policy", "x-ua-compatible"})
FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def inj() -> InjectionSite:
    return injection_site()


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def html_pages(site: Path) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), parse(path)


def elements(doc: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    return (el for el in doc.iter() if isinstance(el.tag, str))


def scheme(url: str) -> str:
    # Browsers drop ASCII whitespace and control characters anywhere in a URL's scheme before reading it.
    return urlsplit(re.sub(r"[\x00-\x20]", "", url)).scheme.lower()


def theme_scripts(site: Path) -> tuple[set[str], set[str]]:
    """The inline script texts and script files (site-relative) that a build of ordinary content has."""
    inline, files = set(), set()
    for name, doc in html_pages(site):
        for script in doc.iter("script"):
            if script.get("src"):
                files.add(urlsplit(urljoin("https://h/" + name, script.get("src"))).path)
            else:
                inline.add(script.text or "")
    return inline, files


# --- the build -----------------------------------------------------------------------------------------------------


def test_every_payload_is_in_the_fixture_and_there_are_at_least_fifty():
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)


def test_the_build_does_not_fail_or_complain_because_of_markup(inj):
    assert "错误" not in inj.build_output
    assert len(list((inj.site / "notices" / ROUND).glob("*/index.html"))) == len(PAYLOADS)


# --- pages ---------------------------------------------------------------------------------------------------------


def test_every_script_on_every_page_is_the_themes_own(inj, example_site):
    inline, files = theme_scripts(example_site)
    strangers = []
    for name, doc in html_pages(inj.site):
        for script in doc.iter("script"):
            src = script.get("src")
            if src is None and (script.text or "") not in inline:
                strangers.append((name, (script.text or "")[:60]))
            elif src is not None and urlsplit(urljoin("https://h/" + name, src)).path not in files:
                strangers.append((name, src))
    assert strangers == []


def test_no_element_on_any_page_has_an_event_handler(inj):
    found = [
        (name, el.tag, attr)
        for name, doc in html_pages(inj.site)
        for el in elements(doc)
        for attr in el.attrib
        if attr.lower().startswith("on")
    ]
    assert found == []


def test_no_link_or_source_on_any_page_uses_a_script_or_data_url(inj):
    found = [
        (name, el.tag, attr, value)
        for name, doc in html_pages(inj.site)
        for el in elements(doc)
        for attr, value in el.attrib.items()
        if attr.lower() in URL_ATTRIBUTES and scheme(value) not in SAFE_SCHEMES
    ]
    assert found == []


def theme_disclosure(el) -> bool:
    """The theme's own folds (feedback rounds, a long notice's contents, search filters): a record's text never
    carries a class (the sanitiser drops it), and any event handler is caught above."""
    return el.tag == "details" and "xc-disclosure" in (el.get("class") or "").split()


def test_no_frame_object_style_form_field_or_other_foreign_element_on_any_page(inj, example_site):
    theme_tags = {el.tag for _, doc in html_pages(example_site) for el in elements(doc)}
    found = [
        (name, el.tag)
        for name, doc in html_pages(inj.site)
        for el in elements(doc)
        if (el.tag.lower() in NEVER and not theme_disclosure(el)) or el.tag not in theme_tags | ALLOWED_TAGS
    ]
    assert found == []


def test_no_meta_refresh_or_base_or_foreign_stylesheet_on_any_page(inj):
    found = []
    for name, doc in html_pages(inj.site):
        for meta in doc.iter("meta"):
            if meta.get("http-equiv") and meta.get("http-equiv").lower() not in ALLOWED_META:
                found.append((name, "meta", meta.get("http-equiv")))
        for link in doc.iter("link"):
            href = urljoin(SITE_URL + name, link.get("href", ""))
            if not href.startswith(SITE_URL):
                found.append((name, "link", href))
        found += [(name, "base", "")] * len(doc.findall(".//base"))
    assert found == []


def test_record_text_reaches_pages_only_as_text(inj):
    """Payload text may sit in text and in attributes the browser never runs (title, alt, …), nowhere else."""
    found = []
    for name, doc in html_pages(inj.site):
        for el in elements(doc):
            if "xss" in (el.text or "") and el.tag in {"script", "style", "noscript", "template", "iframe"}:
                found.append((name, el.tag, el.text[:60]))
            for attr, value in el.attrib.items():
                if "xss" in value and attr not in TEXT_ATTRIBUTES | URL_ATTRIBUTES:  # URLs: checked above
                    found.append((name, el.tag, attr, value[:60]))
                if "xss" in value and attr == "content" and el.tag == "meta" and el.get("http-equiv"):
                    found.append((name, el.tag, attr, value[:60]))
    assert found == []


def test_metadata_payloads_are_shown_verbatim_on_the_notice_page(inj):
    for notice in inj.notices:
        doc = parse(inj.page(f"notices/{ROUND}/{notice.slug}"))
        assert doc.findtext(".//h1") == notice.title
        text = doc.text_content()
        missing = [field for field, value in notice.fields.items() if value not in text]
        assert missing == [], (notice.number, missing)


def swallows_by_markdown(payload: str) -> bool:
    # Python-Markdown reads a link whose address has unbalanced quotes and parentheses up to a later ")" in the
    # paragraph: the text after it becomes part of the (inert) address. Its own behaviour, not the sanitiser's.
    return payload.startswith(("[", "<http")) and '"' in payload


def test_body_text_around_payloads_survives_on_the_notice_page(inj):
    for notice in inj.notices:
        if swallows_by_markdown(notice.payload):
            continue
        body = parse(inj.page(f"notices/{ROUND}/{notice.slug}")).find_class("xc-doc__body")[0]
        text = body.text_content()
        for words in (
            "开头语",
            "列表项",
            "单元格",
            "链接文字",
            "引文",
            "段落正文",
            "问题标题",
            "整改措施段落",
            "结尾段落",
        ):
            assert words in text, (notice.number, words)
        headings = [h.text_content() for h in body.iter("h2")]
        assert f"{notice.payload}一、组织整改落实情况" in headings


def test_round_unit_and_settings_payloads_are_shown_as_text(inj):
    round_page = parse(inj.page(f"rounds/{ROUND}"))
    assert round_page.findtext(".//h1").startswith(PAYLOADS[0])
    assert all(payload in round_page.text_content() for payload in PAYLOADS)
    unit_page = parse(inj.page("units/u01"))
    assert unit_page.findtext(".//h1") == inj.notices[0].unit
    footer = parse(inj.site / "index.html").find(".//footer").text_content()
    assert all(payload in footer for payload in PAYLOADS)


def test_feedback_page_lists_every_units_channels_as_text(inj):
    text = parse(inj.page("feedback")).text_content()
    assert all(notice.fields["contact.mailbox"] in text for notice in inj.notices)


# --- search --------------------------------------------------------------------------------------------------------


def search_documents(site: Path) -> list[dict]:
    """Every result block of every notice, with the notice's fields, as the search page puts them together."""
    fragments = [read_fragment(path) for path in sorted((site / "pagefind").rglob("*.pf_fragment"))]
    return [{**fragment["meta"], **block} for fragment in fragments for block in fragment["blocks"]]


def test_search_result_documents_are_plain_strings_with_our_own_urls(inj):
    documents = search_documents(inj.site)
    assert len({d["url"] for d in documents}) == len(PAYLOADS)
    for document in documents:
        assert all(isinstance(value, str) for key, value in document.items() if key not in ("before", "after"))
        assert isinstance(document["before"], bool) and isinstance(document["after"], bool)
        assert re.fullmatch(rf"/notices/{ROUND}/n\d\d/", document["url"])
    assert {d["title"] for d in documents} == {n.title for n in inj.notices}


def test_search_filters_are_plain_strings(inj):
    manifest = json.loads((inj.site / "pagefind" / "xuncha-search.json").read_text(encoding="utf-8"))
    values = [value for values in manifest["filters"].values() for value in values]
    assert values and all(isinstance(value, str) for value in values)


# --- feeds ---------------------------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def html_children(fragment: str) -> list[str]:
    """The elements that a feed reader would create from ``fragment`` read as HTML."""
    if not fragment.strip():
        return []
    parent = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return [el.tag for el in elements(parent)][1:]


def feed_files(site: Path, name: str) -> list[Path]:
    return [site / name, *sorted((site / "rounds").glob(f"*/{name}"))]


def test_rss_descriptions_read_as_html_create_no_elements(inj):
    for path in feed_files(inj.site, "feed.xml"):
        items = ET.parse(path).getroot().iter("item")
        created = [(item.findtext("title"), html_children(item.findtext("description") or "")) for item in items]
        assert [entry for entry in created if entry[1]] == [], path


def test_rss_titles_are_the_plain_notice_titles(inj):
    titles = {item.findtext("title") for item in ET.parse(inj.site / "feed.xml").getroot().iter("item")}
    assert titles <= {n.title for n in inj.notices} and titles


def test_atom_feeds_declare_every_text_construct_as_text(inj):
    for path in feed_files(inj.site, "atom.xml"):
        for entry in ET.parse(path).getroot().iter(f"{ATOM}entry"):
            for tag in ("title", "summary"):
                assert entry.find(f"{ATOM}{tag}").get("type", "text") == "text"


def test_json_feeds_carry_text_and_no_html(inj):
    for path in feed_files(inj.site, "feed.json"):
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        assert items and all("content_html" not in item for item in items)
        assert {item["title"] for item in items} <= {n.title for n in inj.notices}


# --- open data and sitemap ------------------------------------------------------------------------------------------


def test_json_open_data_keeps_record_text_as_data(inj):
    document = json.loads((inj.site / "data" / "notices.json").read_text(encoding="utf-8"))
    assert {n["title"] for n in document["notices"]} == {n.title for n in inj.notices}
    rounds = json.loads((inj.site / "data" / "rounds.json").read_text(encoding="utf-8"))
    assert rounds["rounds"][0]["name"].startswith(PAYLOADS[0])


def csv_rows(site: Path) -> list[dict[str, str]]:
    with (site / "data" / "notices.csv").open(encoding="utf-8-sig", newline="") as data:
        return list(csv.DictReader(data))


def test_csv_open_data_has_no_cell_a_spreadsheet_would_run_as_a_formula(inj):
    cells = [(row["id"], column, value) for row in csv_rows(inj.site) for column, value in row.items()]
    assert [cell for cell in cells if cell[2].startswith(FORMULA)] == []


def test_csv_open_data_keeps_formula_text_readable_behind_a_quote(inj):
    titles = {row["id"]: row["title"] for row in csv_rows(inj.site)}
    formulas = [n for n in inj.notices if n.payload.startswith(FORMULA)]
    assert len(formulas) >= 4
    assert all(titles[f"{ROUND}/{n.slug}"] == "'" + n.title for n in formulas)


def test_sitemap_lists_only_our_own_addresses(inj):
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in ET.parse(inj.site / "sitemap.xml").getroot().iter(f"{namespace}loc")]
    assert locations and all(re.fullmatch(re.escape(SITE_URL) + r"[a-z0-9/\-.]*", loc) for loc in locations)
