"""HTML that a view writes itself, for the pieces that a page repeats many times (a notice's problem tree).

Written out in Python rather than by a Jinja macro called for every problem (a large share of a build's time), and
escaped exactly as the autoescaping templates escape (:func:`escape` gives what ``markupsafe.escape`` gives; a test
compares them): nothing a record carries becomes markup; a ``Markup`` value (sanitised Markdown) is printed as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


# --- pieces that the templates print through ``xc_html`` (a global the plugin sets in on_env) -------------------------
# Each gives what its template macro gave, character for character (the macros in theme/partials/ are now one line
# that calls it, so that the other pages print the same); the notice page, rendered once per notice, calls them
# directly. Their arguments are views (views.widgets): text is escaped, markup printed as it is.


def breadcrumbs(links: Iterable[Any]) -> Markup:
    """首页 › … › the current page (partials/xc-breadcrumbs.html)."""
    out = ['<nav class="xc-crumbs" aria-label="当前位置">\n  <ol class="xc-plain">']
    for link in links:
        if link.current:
            out.append(f'\n      <li><span aria-current="page">{escape(link.text)}</span></li>')
        else:
            out.append(f'\n      <li><a href="{escape(link.url)}">{escape(link.text)}</a></li>')
    out.append("\n  </ol>\n</nav>")
    return Markup("".join(out))


def facts(items: Iterable[Any], class_: object = "xc-facts") -> Markup:
    """Label and value pairs, a value with a URL as a link (partials/xc-lists.html ``facts``)."""
    out = [f'<dl class="{escape(class_)}">']
    for fact in items:
        value = escape(fact.value)
        if fact.url:
            value = f'<a href="{escape(fact.url)}">{value}</a>'
        out.append(f"\n    <div><dt>{escape(fact.label)}</dt><dd>{value}</dd></div>")
    out.append("\n</dl>")
    return Markup("".join(out))


def notice_list(items: Iterable[Any], show_unit: object = True, show_round: object = True) -> Markup:
    """Notices as a list: title, unit, round, stage and publication time (partials/xc-lists.html ``notice_list``)."""
    out = ['<ul class="xc-notices xc-plain">']
    for item in items:
        out.append(
            f'\n    <li class="xc-notices__item">\n      <a class="xc-notices__title" href="{escape(item.url)}">'
            f'{escape(item.title)}</a>\n      <span class="xc-notices__meta">'
        )
        if show_unit:
            out.append(f"<span>{escape(item.unit)}</span>")
        if show_round:
            out.append(f"<span>{escape(item.round_name)}</span>")
        out.append(
            f"\n        <span>{escape(item.stage)}</span>\n        <span>发布于 <time "
            f'datetime="{escape(item.published_iso)}">{escape(item.published)}</time></span>\n      </span>\n    </li>'
        )
    out.append("\n</ul>")
    return Markup("".join(out))


def contact_card(card: Any, heading: object = "h2") -> Markup:
    """A contact card: every phone a tel: link, every address a mailto: link (partials/xc-contact-card.html)."""
    level = escape(heading)
    out = [
        f'<section class="xc-card">\n  <{level} class="xc-card__title">{escape(card.title)}</{level}>\n'
        '  <dl class="xc-card__list">'
    ]
    if card.hotline:
        out.append(
            f'\n      <div><dt>举报电话</dt><dd><a class="xc-tel" href="{escape(card.hotline.url)}">'
            f"{escape(card.hotline.text)}</a></dd></div>"
        )
    if card.phones:
        phones = "、".join(f'<a class="xc-tel" href="{escape(p.url)}">{escape(p.text)}</a>' for p in card.phones)
        out.append(f"\n      <div><dt>电话</dt><dd>{phones}</dd></div>")
    if card.emails:
        emails = "、".join(f'<a href="{escape(e.url)}">{escape(e.text)}</a>' for e in card.emails)
        out.append(f"\n      <div><dt>电子邮箱</dt><dd>{emails}</dd></div>")
    if card.website:
        out.append(
            f'\n      <div><dt>网上举报</dt><dd><a href="{escape(card.website.url)}" rel="noopener noreferrer">'
            f"{escape(card.website.text)}</a></dd></div>"
        )
    for label, value in (
        ("邮政信箱", card.mailbox),
        ("地址", card.address),
        ("邮政编码", card.postcode),
        ("接待时间", card.hours),
    ):
        if value:
            out.append(f"<div><dt>{label}</dt><dd>{escape(value)}</dd></div>")
    out.append("\n  </dl>\n</section>")
    return Markup("".join(out))


def counts_table(rows: Iterable[Any]) -> Markup:
    """The figures of a notice: what it states and what its problem list shows. The site's summary, not the notice's
    text: 朗读 leaves it out (data-xc-noread). Printed by theme/notice.html."""
    out = [
        '<section class="xc-counts" aria-labelledby="xc-counts-title" data-xc-noread>\n'
        '  <h2 id="xc-counts-title" class="xc-counts__title">整改数字摘要</h2>\n'
        '  <table class="xc-counts__table">\n'
        '    <thead><tr><th scope="col">项目</th><th scope="col">通报写明</th><th scope="col">据正文逐项统计</th></tr>'
        "</thead>\n    <tbody>"
    ]
    for row in rows:
        out.append(
            f'\n        <tr><th scope="row">{escape(row.label)}</th><td>{escape(row.stated)}</td>'
            f"<td>{escape(row.derived)}</td></tr>"
        )
    out.append(
        "\n    </tbody>\n  </table>\n"
        '  <p class="xc-note">本表由本站整理。“通报写明”是通报原文中的数字；“据正文逐项统计”只在通报为每一项问题写明完成情况时给出，\n'
        "  按正文逐项列出的（末级）问题计数。“—”表示通报未写明或正文无法完整统计。</p>\n</section>"
    )
    return Markup("".join(out))
