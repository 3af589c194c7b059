"""What a citizen sees first, in Chromium on the example site: on a 360 × 740 phone every page type shows its heading
and the start of its content on the first screen at every font size; the phone header folds its search box and
navigation behind 搜索 and 菜单; there is one font-size switch; search boxes show their whole hint; the pager reads
left to right on a phone; 朗读 reads a notice aloud with the browser's own Chinese voice (a stand-in for the Web
Speech API records what it is asked to say)."""

from __future__ import annotations

import json

import pytest
from browser_fixtures import visit

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
FONTS = ["s", "m", "l", "xl"]

# What each page type must show on the first screen besides its h1: the start of its own content.
LEADS = {
    "home": ["#xc-home-q", "#xc-headline"],  # the search box and 总体情况 (the home page's h1 is for screen readers)
    "notice": [".xc-meta + *"],  # title, source and date, then the start of the notice
    "round": ["#xc-main h1 + .xc-facts"],
    "rounds": [".xc-rounds__item"],
    "unit": [".xc-unit"],
    "units": [".xc-unit-index > li"],
    "feedback": ["#xc-main h1 + p", ".xc-card"],
    "search": [".xs-result"],  # the first result
    "sitemap": [".xc-map-pages li"],
    "404": ["#xc-404-q"],
}

# Where the page's h1 (the home page: its first visible heading) and the first of each lead element are. The first
# screen must show the heading within its top third, and the first 96 px (two lines) of each lead element.
FIRST_SCREEN = """(leads) => {
    const shown = e => e.getClientRects().length > 0 && e.getBoundingClientRect().width > 1;
    const heading = [...document.querySelectorAll("#xc-main h1, #xc-main h2")].find(shown);
    const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
    return {
        heading: {text: heading.textContent.trim(), ...box(heading)},
        leads: leads.map(selector => {
            const e = [...document.querySelectorAll(selector)].find(shown);
            if (!e) return {selector, missing: true};
            const r = e.getBoundingClientRect();
            return {selector, top: r.top, needed: r.top + Math.min(r.height, 96)};
        }),
        height: innerHeight,
    };
}"""


@pytest.fixture(scope="module")
def phone(chromium, example_url):
    """phone(font, care=False) → a 360 × 740 page whose reader chose that font size (and 关怀 mode) earlier."""
    contexts = {}

    def open_page(font: str, care: bool = False):
        if (font, care) not in contexts:
            context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            context.add_init_script(f"localStorage.setItem('xuncha.font', '{font}')")
            if care:
                context.add_init_script("localStorage.setItem('xuncha.care', 'on')")
            contexts[font, care] = context
        return contexts[font, care].new_page()

    yield open_page
    for context in contexts.values():
        context.close()


FIRST_SCREENS = [pytest.param(name, font, False, id=f"{name}-{font}") for name in LEADS for font in FONTS]
FIRST_SCREENS += [pytest.param(name, "m", True, id=f"{name}-care") for name in LEADS]


@pytest.mark.parametrize(("name", "font", "care"), FIRST_SCREENS)
def test_phone_first_screen_shows_the_heading_and_the_start_of_the_content(phone, example_url, name, font, care):
    page = phone(font, care)
    visit(page, example_url, name)
    seen = page.evaluate(FIRST_SCREEN, LEADS[name])
    page.close()
    heading = seen["heading"]
    assert 0 <= heading["top"] <= seen["height"] / 3 and heading["bottom"] <= seen["height"], heading
    for lead in seen["leads"]:
        assert not lead.get("missing"), lead
        assert lead["needed"] <= seen["height"], lead


# --- the phone header --------------------------------------------------------------------------------------------


def test_phone_header_folds_the_navigation_behind_its_menu_button(phone, example_url):
    page = phone("m")
    visit(page, example_url, "round")
    menu = page.get_by_role("button", name="菜单")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.locator("#xc-nav").is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    links = page.locator("#xc-nav a")
    assert links.count() == 8 and all(links.nth(i).is_visible() for i in range(8))
    assert page.locator("#xc-nav a[aria-current=page]").inner_text() == "巡察轮次"
    page.keyboard.press("Tab")  # into the menu, then Escape: closed, and focus back on the button
    page.keyboard.press("Escape")
    assert not page.locator("#xc-nav").is_visible()
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "xc-nav"
    page.close()


def test_phone_header_search_button_opens_the_search_box_and_focuses_it(phone, example_url):
    page = phone("m")
    visit(page, example_url, "notice")
    assert not page.locator("#xc-q").is_visible()
    page.get_by_role("button", name="搜索").click()
    assert page.evaluate("document.activeElement.id") == "xc-q"
    page.keyboard.type("交通运输局")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-xuncha-search][data-state=done]")
    assert page.locator(".xs-result").count() > 0
    page.close()


def test_phone_header_without_javascript_shows_the_search_box_and_the_navigation(chromium, example_url):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    visit(page, example_url, "round")
    assert page.locator("#xc-q").is_visible() and page.locator("#xc-nav").is_visible()
    assert not page.locator("[data-xc-toggle]").first.is_visible()  # the buttons would do nothing
    context.close()


def test_desktop_header_shows_the_search_box_and_navigation_without_buttons(reader, example_url):
    page, _ = reader(width=1280)
    visit(page, example_url, "round")
    assert page.locator("#xc-q").is_visible() and page.locator("#xc-nav").is_visible()
    assert page.locator("[data-xc-toggle]:visible").count() == 0
    nav = page.locator("#xc-nav")
    assert nav.bounding_box()["height"] < 60  # one row


# --- one font-size switch ----------------------------------------------------------------------------------------

FONT_BUTTONS = "() => [...document.querySelectorAll('[data-xc-font]')].filter(b => b.getClientRects().length)"


@pytest.mark.parametrize("name", ["home", "notice", "round", "search"])
@pytest.mark.parametrize("width", [360, 1280])
def test_one_font_size_switch_smallest_first_and_on_the_first_screen(reader, example_url, name, width):
    page, _ = reader(width=width)
    visit(page, example_url, name)
    buttons = page.evaluate(f"""() => ({FONT_BUTTONS})().map(b => [b.textContent.trim(), b.dataset.xcFont,
        b.getBoundingClientRect().bottom])""")
    assert [(text, size) for text, size, _ in buttons] == [("小", "s"), ("中", "m"), ("大", "l"), ("特大", "xl")]
    assert all(bottom <= 740 for _, _, bottom in buttons)


def test_notice_print_button_is_in_the_line_under_the_title(reader, example_url):
    page, _ = reader(width=360)
    visit(page, example_url, "notice")
    printing = page.locator(".xc-meta button[data-xc-print]")
    assert printing.inner_text() == "打印" and printing.is_visible()
    calls = page.evaluate("""() => { window.__printed = 0; window.print = () => { window.__printed += 1; };
        document.querySelector("[data-xc-print]").click(); return window.__printed; }""")
    assert calls == 1


# --- search boxes ------------------------------------------------------------------------------------------------

# Every visible search box with a hint: the hint's width in the box's font against the room the box gives it.
HINTS = """() => {
    const canvas = document.createElement("canvas").getContext("2d");
    return [...document.querySelectorAll("input[placeholder]")].filter(i => i.getClientRects().length).map(input => {
        const s = getComputedStyle(input);
        canvas.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
        const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        return {id: input.id, hint: input.placeholder, width: canvas.measureText(input.placeholder).width, room};
    });
}"""


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("name", ["home", "404", "search", "feedback"])
def test_search_box_hints_are_not_cut_on_a_phone(phone, example_url, name, font):
    page = phone(font)
    visit(page, example_url, name)
    page.evaluate("document.querySelector('[data-xc-toggle=xc-header-search]').click()")  # the header's box too
    hints = page.evaluate(HINTS)
    page.close()
    assert len(hints) >= 2
    assert [hint for hint in hints if hint["width"] > hint["room"]] == []


# --- the pager ---------------------------------------------------------------------------------------------------

# The left edge of each line of a pager link's title.
LINE_STARTS = """(selector) => {
    const link = document.querySelector(selector);
    const title = [...link.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const range = document.createRange();
    range.selectNodeContents(title);
    const lines = new Map();
    for (const r of range.getClientRects()) lines.set(Math.round(r.top), Math.min(lines.get(Math.round(r.top)) ?? 1e9, r.left));
    const style = getComputedStyle(link);
    const left = link.getBoundingClientRect().left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
    return {lines: [...lines.values()], left};
}"""


@pytest.mark.parametrize("font", ["m", "xl"])
def test_next_notice_title_reads_from_the_left_on_a_phone(phone, example_url, font):
    page = phone(font)
    visit(page, example_url, "notice")
    for selector in (".xc-pager__prev", ".xc-pager__next"):
        if not page.locator(selector).count():
            continue
        seen = page.evaluate(LINE_STARTS, selector)
        assert len(seen["lines"]) >= 2  # a title that wraps: where a right-aligned one would start anywhere
        assert all(abs(left - seen["left"]) < 2 for left in seen["lines"]), (selector, seen)
    assert page.locator(".xc-pager__next").count()  # the example notice has a next one
    page.close()


# --- 朗读 ----------------------------------------------------------------------------------------------------------

# A stand-in for the Web Speech API that records what it is asked to say; __tts.finish() ends the utterance being
# spoken, as the engine does when it has said it.
SPEECH_STUB = """(voices) => {
    const queue = [];
    const listeners = [];
    const tts = {said: [], paused: 0, resumed: 0, cancelled: 0};
    tts.finish = () => { const u = queue.shift(); if (u && u.onend) u.onend({}); return Boolean(u); };
    tts.addVoices = (more) => { voices.push(...more); listeners.forEach(fn => fn({})); };
    const synth = {
        getVoices: () => voices.slice(),
        speak: (u) => { tts.said.push({text: u.text, lang: u.lang, voice: u.voice ? u.voice.name : null}); queue.push(u); },
        cancel: () => { tts.cancelled += 1; queue.splice(0).forEach(u => u.onerror && u.onerror({error: "canceled"})); },
        pause: () => { tts.paused += 1; },
        resume: () => { tts.resumed += 1; },
        addEventListener: (type, fn) => { if (type === "voiceschanged") listeners.push(fn); },
        removeEventListener: () => {},
    };
    class Utterance { constructor(text) { this.text = text; this.lang = ""; this.voice = null; } }
    Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
    Object.defineProperty(window, "SpeechSynthesisUtterance", {value: Utterance, configurable: true});
    window.__tts = tts;
}"""
MANDARIN = {"name": "普通话（测试）", "lang": "zh-CN", "voiceURI": "test-zh", "localService": True, "default": False}
ENGLISH = {"name": "English (test)", "lang": "en-US", "voiceURI": "test-en", "localService": True, "default": True}
ONLINE = {"name": "普通话（网络）", "lang": "zh-CN", "voiceURI": "test-online", "localService": False, "default": False}

# The text of what 朗读 reads — the title, corrections and the notice's own text, not the site's summary of its
# figures nor the contents of its problems — with the whitespace taken out.
READ_TEXT = """() => {
    const text = e => e.innerText.replace(/\\s+/g, "");
    // The site's own words inside the notice (its figure summary, 共性问题 links, contents) are left out of the reading.
    const skipped = [...document.querySelectorAll(".xc-doc__body [data-xc-noread], .xc-counts, .xc-toc")].map(text);
    let read = [...document.querySelectorAll(".xc-doc__title, .xc-corrections, .xc-doc__body")].map(text).join("");
    for (const part of skipped) read = read.replace(part, "");
    return read;
}"""


@pytest.fixture
def speaking(chromium, example_url):
    """speaking(voices) → a notice page (at 1280 px) whose browser offers those voices, its speech recorded."""
    contexts = []

    def open_page(voices: list[dict] | None, name: str = "notice"):
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        if voices is not None:
            context.add_init_script(f"({SPEECH_STUB})({json.dumps(voices)})")
        else:
            context.add_init_script("delete window.speechSynthesis; delete Window.prototype.speechSynthesis;")
        page = context.new_page()
        visit(page, example_url, name)
        return page

    yield open_page
    for context in contexts:
        context.close()


def said(page) -> list[dict]:
    return page.evaluate("window.__tts.said")


def test_read_aloud_reads_the_whole_notice_in_document_order_in_a_chinese_voice(speaking):
    page = speaking([ENGLISH, MANDARIN])
    button = page.locator("[data-xc-read-main]")
    assert button.is_visible() and button.inner_text() == "朗读"
    button.click()
    first = said(page)
    assert first[0]["text"] == page.inner_text("h1").strip()
    for _ in range(2000):
        if not page.evaluate("window.__tts.finish()"):
            break
    spoken = said(page)
    assert len(spoken) > 20
    assert {(item["lang"], item["voice"]) for item in spoken} == {("zh-CN", "普通话（测试）")}
    assert "".join(item["text"] for item in spoken).replace(" ", "") == page.evaluate(READ_TEXT)
    assert not any(item["text"] in ("整改数字摘要", "本部分目录") for item in spoken)
    assert button.inner_text() == "朗读"  # done: back to the start
    assert page.locator(".xc-reading").count() == 0


def test_read_aloud_marks_the_block_being_read(speaking):
    page = speaking([MANDARIN])
    page.click("[data-xc-read-main]")
    for _ in range(3):
        page.evaluate("window.__tts.finish()")
    current = said(page)[-1]["text"]
    marked = page.locator(".xc-reading")
    assert marked.count() == 1
    assert current.replace(" ", "") in marked.inner_text().replace("\n", "").replace(" ", "")
    assert marked.evaluate("e => Boolean(e.closest('.xc-doc__body, .xc-corrections, .xc-doc__title'))")


def test_read_aloud_pauses_resumes_and_stops(speaking):
    page = speaking([MANDARIN])
    main, stop = page.locator("[data-xc-read-main]"), page.locator("[data-xc-read-stop]")
    assert not stop.is_visible()
    main.click()
    assert main.inner_text() == "暂停" and stop.is_visible()
    main.click()
    assert page.evaluate("window.__tts.paused") == 1 and main.inner_text() == "继续"
    main.click()
    assert page.evaluate("window.__tts.resumed") == 1 and main.inner_text() == "暂停"
    spoken = len(said(page))
    stop.click()
    assert page.evaluate("window.__tts.cancelled") >= 1
    assert main.inner_text() == "朗读" and not stop.is_visible()
    page.evaluate("window.__tts.finish()")
    assert len(said(page)) == spoken  # nothing more is said after 停止
    assert page.locator(".xc-reading").count() == 0


def test_read_aloud_is_hidden_without_a_chinese_voice(speaking):
    page = speaking([ENGLISH])
    assert not page.locator("[data-xc-read-main]").is_visible()
    assert page.locator("[data-xc-print]").is_visible()


def test_read_aloud_never_uses_a_network_voice_that_would_send_the_text_elsewhere(speaking):
    page = speaking([ONLINE, ENGLISH])
    assert not page.locator("[data-xc-read-main]").is_visible()
    page = speaking([ONLINE, MANDARIN])
    page.click("[data-xc-read-main]")
    assert {item["voice"] for item in said(page)} == {"普通话（测试）"}


def test_read_aloud_is_hidden_where_the_browser_has_no_speech_synthesis(speaking):
    page = speaking(None)
    assert page.evaluate("typeof window.speechSynthesis") == "undefined"
    assert not page.locator("[data-xc-read-main]").is_visible()


def test_read_aloud_appears_when_the_browser_loads_a_chinese_voice_later(speaking):
    page = speaking([])
    assert not page.locator("[data-xc-read-main]").is_visible()
    page.evaluate("voice => window.__tts.addVoices([voice])", MANDARIN)
    assert page.locator("[data-xc-read-main]").is_visible()


def test_read_aloud_is_offered_on_notice_pages_only(speaking):
    page = speaking([MANDARIN], name="round")
    assert page.locator("[data-xc-read-main]").count() == 0


# --- the feedback page -------------------------------------------------------------------------------------------

# Each row of each contact card: where its label and its value start.
CARD_ROWS = """() => [...document.querySelectorAll(".xc-card__list > div")].filter(d => d.getClientRects().length)
    .map(row => {
        const dt = row.querySelector("dt").getBoundingClientRect(), dd = row.querySelector("dd").getBoundingClientRect();
        const cards = [...document.querySelectorAll(".xc-card")];
        return {card: cards.indexOf(row.closest(".xc-card")), label: row.querySelector("dt").textContent,
                dtTop: dt.top, ddTop: dd.top, ddLeft: dd.left};
    })"""


@pytest.mark.parametrize(("width", "font"), [(360, "m"), (360, "xl"), (1280, "m")])
def test_contact_values_stand_beside_their_labels_long_or_short(reader, example_url, width, font):
    page, _ = reader(width=width, font=font)
    visit(page, example_url, "feedback")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    rows = page.evaluate(CARD_ROWS)
    assert len(rows) > 40
    assert [row for row in rows if abs(row["ddTop"] - row["dtTop"]) > 3] == []
    for card in {row["card"] for row in rows}:
        lefts = {round(row["ddLeft"]) for row in rows if row["card"] == card}
        assert max(lefts) - min(lefts) <= 1, card


def test_feedback_page_on_a_phone_folds_every_round_but_the_newest(phone, example_url):
    page = phone("m")
    visit(page, example_url, "feedback")
    folds = page.eval_on_selector_all("#xc-feedback-list details", "ds => ds.map(d => d.open)")
    assert len(folds) >= 4 and folds[0] and not any(folds[1:])
    assert page.evaluate("document.documentElement.scrollHeight") < 4 * PHONE["height"]
    page.close()


def test_feedback_filter_opens_the_rounds_it_finds_and_folds_them_back_when_emptied(phone, example_url):
    page = phone("m")
    visit(page, example_url, "feedback")
    folded = page.locator("#xc-feedback-list details:not([open]) [data-xc-filter-text]").first.element_handle()
    unit = folded.query_selector(".xc-card__title").text_content().strip()
    assert unit
    assert not folded.is_visible()
    page.fill("#xc-filter-input", unit)
    assert folded.is_visible()
    visible = page.locator("[data-xc-filter-text]:visible")
    assert visible.count() >= 1 and all(unit in text for text in visible.all_inner_texts())
    page.fill("#xc-filter-input", "")
    folds = page.eval_on_selector_all("#xc-feedback-list details", "ds => ds.map(d => d.open)")
    assert folds[0] and not any(folds[1:]) and not folded.is_visible()
    page.close()


# --- figures -----------------------------------------------------------------------------------------------------

# Each figure of the figure tiles: how many lines it takes and whether it stays inside its tile.
FIGURES = """() => [...document.querySelectorAll(".xc-figures > div")].map(tile => {
    const dd = tile.querySelector("dd"), range = document.createRange();
    range.selectNodeContents(dd);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    const box = tile.getBoundingClientRect(), text = range.getBoundingClientRect();
    return {label: tile.querySelector("dt").textContent, value: dd.textContent, lines: tops.size,
            inside: text.left >= box.left - 0.5 && text.right <= box.right + 0.5};
})"""


@pytest.mark.parametrize(("width", "font"), [(360, "m"), (360, "xl"), (1280, "m"), (1280, "xl")])
@pytest.mark.parametrize("name", ["home", "rounds", "round"])
def test_figures_stay_on_one_line_inside_their_tiles(reader, example_url, name, width, font):
    page, _ = reader(width=width, font=font)
    visit(page, example_url, name)
    figures = page.evaluate(FIGURES)
    assert len(figures) >= 6
    assert [f for f in figures if f["lines"] != 1 or not f["inside"]] == []


def test_overdue_units_of_a_round_have_a_tile_of_their_own(reader, example_url):
    page, _ = reader(width=360)
    visit(page, example_url, "rounds")
    tiles = page.evaluate(FIGURES)
    # The truth rule's disclosure categories, each its own tile: 已公开 / 尚未公开（未到期限）/ 逾期 (they add up).
    assert ("逾期", "1个") in [(tile["label"], tile["value"]) for tile in tiles]
    assert not [tile for tile in tiles if tile["label"].startswith("尚未公开") and "逾期" in tile["value"]]


# --- 关怀 mode ---------------------------------------------------------------------------------------------------

# The notice's first paragraph of running text: its size, line height, letter spacing and the space after it; and the
# height of the 打印 button.
LOOK = """() => {
    const p = document.querySelector(".xc-doc__body p"), s = getComputedStyle(p);
    return {font: parseFloat(s.fontSize), line: parseFloat(s.lineHeight), letters: parseFloat(s.letterSpacing) || 0,
            after: parseFloat(s.marginBottom), button: document.querySelector("[data-xc-print]").offsetHeight};
}"""


@pytest.mark.parametrize("font", FONTS)
def test_care_mode_enlarges_the_text_and_the_space_around_it_at_every_size(reader, example_url, font):
    looks = {}
    for care in (False, True):
        page, _ = reader(width=360, care=care, font=font)
        visit(page, example_url, "notice")
        looks[care] = page.evaluate(LOOK)
    normal, care = looks[False], looks[True]
    assert care["font"] >= 20 and care["font"] >= normal["font"] * 1.1, looks
    assert care["line"] >= normal["line"] * 1.2, looks
    assert care["after"] >= normal["after"] * 1.25, looks
    assert care["letters"] > 0 == normal["letters"], looks
    assert care["button"] >= 48, looks


def test_care_mode_sizes_still_follow_the_font_switch(reader, example_url):
    sizes = []
    for font in FONTS:
        page, _ = reader(width=1280, care=True, font=font)
        visit(page, example_url, "notice")
        sizes.append(page.evaluate(LOOK)["font"])
    assert sizes == sorted(sizes) and len(set(sizes)) == 4


# Each visible status badge: its word, its status, and what it looks like besides its colours.
BADGES = """() => [...document.querySelectorAll(".xc-badge")].filter(b => b.getClientRects().length).map(b => {
    const s = getComputedStyle(b), sign = getComputedStyle(b, "::before").content;
    return {word: b.textContent.trim(), tone: [...b.classList].find(c => c.startsWith("xc-badge--")),
            look: [sign, s.borderTopStyle, s.borderTopLeftRadius].join(" | ")};
})"""


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("name", ["round", "notice", "units"])
def test_status_badges_differ_by_sign_and_outline_as_well_as_by_word(reader, example_url, name, care):
    page, _ = reader(width=360, care=care)
    visit(page, example_url, name)
    badges = page.evaluate(BADGES)
    looks = {}
    for badge in badges:
        assert badge["look"].split(" | ")[0] not in ("none", "normal", '""'), badge
        looks.setdefault(badge["tone"], set()).add(badge["look"])
    assert len(looks) >= 2
    assert all(len(seen) == 1 for seen in looks.values()), looks  # one look per status
    signatures = [next(iter(seen)) for seen in looks.values()]
    assert len(set(signatures)) == len(signatures), looks  # and a different one for each


def test_overdue_and_disclosed_badges_differ_in_care_mode_without_colour(reader, example_url):
    page, _ = reader(width=360, care=True)
    visit(page, example_url, "round")
    looks = {badge["word"]: badge["look"] for badge in page.evaluate(BADGES)}
    assert looks["逾期"] != looks["已公开"]


# --- a long notice's table of contents ---------------------------------------------------------------------------


def test_table_of_contents_opens_and_takes_the_reader_to_a_problem_on_a_phone(phone, example_url):
    page = phone("l")
    page.goto(f"{example_url}/notices/2024-r1/qinglan-xian/")
    toc = page.locator(".xc-toc")
    assert toc.locator("summary").inner_text() == "本部分目录"
    assert not toc.locator("a").first.is_visible()  # folded: one line on the way through the notice
    toc.locator("summary").click()
    last = toc.locator(":scope > details > ol > li > a").last
    target = last.get_attribute("href")
    last.click()
    heading = page.locator(f"{target} > :is(h3, h4)")
    box = heading.bounding_box()
    assert page.evaluate("location.hash") == target
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    page.close()


# --- the search page's filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "address", "folded"),
    [
        (360, "search/?q=整改", True),  # a phone: the results first
        (360, "search/?q=整改&stage=进展", False),  # a filter chosen in the address is shown
        (1280, "search/?q=整改", False),  # a desktop has room
    ],
)
def test_search_filters_fold_on_a_phone_unless_one_is_chosen(reader, example_url, width, address, folded):
    page, _ = reader(width=width)
    page.goto(f"{example_url}/{address}")
    page.wait_for_selector("[data-xuncha-search][data-state=done]")
    assert page.locator("select[name=stage]").is_visible() is not folded
    page.locator("[data-search-filters] > summary").click()
    assert page.locator("select[name=stage]").is_visible() is folded
