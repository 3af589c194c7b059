"""Search documents: a notice as search indexes it and as a result shows it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from xuncha_site.core.markdown import markdown_text
from xuncha_site.core.model import Notice, Problem, Round
from xuncha_site.core.routes import notice_url
from xuncha_site.core.text import cn_date
from xuncha_site.search.tokens import SENTENCE_MARK, Lexicon

# Index positions a result block covers: ≈ 2,400 characters with its context, ≈ 7.5 KB a result shown.
RESULT_BLOCK_TOKENS = 2000


@dataclass(frozen=True)
class SearchDocument:
    """One notice as search sees it: what is indexed, what a result shows, and how it is filtered and sorted."""

    url: str
    title: str
    round_name: str
    unit: str
    stage: str
    year: str
    published: str  # ISO 8601, the sort key
    date: str  # publication date as a reader reads it: 2023年10月25日
    text: str  # the notice as plain text, one block per line
    keywords: str  # indexed but not shown: round, unit, issuer, group
    themes: tuple[str, ...] = ()  # names of the common-problem themes of its problems (a filter, not indexed)

    def filters(self) -> dict[str, str | tuple[str, ...]]:
        found: dict[str, str | tuple[str, ...]] = {"round": self.round_name, "year": self.year, "stage": self.stage}
        if self.themes:
            found["theme"] = self.themes
        return found

    def result_data(self) -> dict[str, str]:
        """What the search page shows for a result besides its excerpt: every block carries it."""
        return {
            "url": self.url,
            "title": self.title,
            "round": self.round_name,
            "unit": self.unit,
            "stage": self.stage,
            "date": self.date,
        }


# Sentence ends: no token spans one, so the tokens of a text are the tokens of its sentences one after another.
_SENTENCE_END = re.compile(r"(?<=[\n。；！？])")


@dataclass(frozen=True)
class Tokenised:
    """A search document's index tokens, with the sentences of its text, so that a position leads back to its text."""

    document: SearchDocument
    keys: np.ndarray  # the words of the index (keys of ``lexicon``): the ``n``-th is at index position ``n``
    head: int  # tokens of the title and keywords, which come first and are not part of the shown text
    sentences: tuple[str, ...]
    ends: tuple[int, ...]  # for each sentence, the number of the text's tokens up to its end
    lexicon: Lexicon

    @property
    def tokens(self) -> list[str]:
        return [self.lexicon.spell(key) for key in self.keys.tolist()]

    @property
    def content(self) -> str:
        """The token stream as one string, as Pagefind's search runtime would see the page."""
        return " ".join(self.tokens)

    def fragment(self) -> dict[str, object]:
        """The notice as the search page gets it from Pagefind's ``result.data()``: its fields in ``meta``, its text
        in ``blocks``; ``content`` is left empty (Pagefind would cut its own excerpts from it, by the wrong words)."""
        return {
            "url": self.document.url,
            "content": "",
            "word_count": len(self.keys),
            "filters": {},
            "meta": self.document.result_data(),
            "anchors": [],
            "blocks": self.result_blocks(),
        }

    def result_blocks(self, size: int = RESULT_BLOCK_TOKENS) -> list[dict[str, object]]:
        """The result documents: block ``k`` holds the sentences at positions ``k*size`` to ``(k+1)*size - 1``,
        with one sentence of context on either side; ``before``/``after`` say whether the text goes on."""
        spans, start = [], self.head
        for end in self.ends:
            spans.append((start, max(self.head + end, start + 1)))
            start = self.head + end
        count = max(1, -(-(self.head + (self.ends[-1] if self.ends else 0)) // size))
        blocks, low = [], 0  # spans start and end in order: the sentences of a block follow those of the last
        for k in range(count):
            while low < len(spans) and spans[low][1] <= k * size:
                low += 1
            high = low
            while high < len(spans) and spans[high][0] < (k + 1) * size:
                high += 1
            inside = range(low, high) or range(min(1, len(spans)))  # title and keywords only: the text's start
            first, last = (max(inside[0] - 1, 0), min(inside[-1] + 1, len(spans) - 1)) if inside else (0, -1)
            blocks.append(
                {
                    "text": "".join(self.sentences[first : last + 1]).strip(),
                    "before": first > 0,
                    "after": 0 <= last < len(spans) - 1,
                }
            )
        return blocks


def tokenised(document: SearchDocument, lexicon: Lexicon | None = None) -> Tokenised:
    """``document`` tokenised in one pass, its text's sentences marked so that their tokens can be told apart."""
    lexicon = lexicon or Lexicon()
    # No token spans a sentence end, so the text's tokens are its sentences' tokens one after another.
    sentences = tuple(s for s in _SENTENCE_END.split(document.text.replace(SENTENCE_MARK, "")) if s)
    head, _ = lexicon.keys(f"{document.title}\n{document.keywords}".replace(SENTENCE_MARK, ""))
    keys, ends = lexicon.keys(SENTENCE_MARK.join(sentences) + SENTENCE_MARK * bool(sentences))
    return Tokenised(document, np.concatenate([head, keys]), len(head), sentences, tuple(ends), lexicon)


def search_documents(
    notices: Iterable[Notice],
    rounds: dict[str, Round],
    base_url: str = "/",
    themes: Mapping[str, tuple[str, ...]] | None = None,
) -> list[SearchDocument]:
    """The search documents of the notices that may be published: drafts are dropped here whatever the caller did.

    ``themes``: each notice's theme names by notice id (the catalogue's ThemeIndex), for the theme filter."""
    return list(each_search_document(notices, rounds, base_url, themes))


def each_search_document(
    notices: Iterable[Notice],
    rounds: dict[str, Round],
    base_url: str = "/",
    themes: Mapping[str, tuple[str, ...]] | None = None,
) -> Iterator[SearchDocument]:
    """:func:`search_documents` one at a time."""
    themes = themes or {}
    for n in notices:
        if not n.draft:
            yield search_document(n, rounds.get(n.round_id), base_url, themes.get(n.id, ()))


def search_document(
    notice: Notice, round_: Round | None, base_url: str = "/", themes: tuple[str, ...] = ()
) -> SearchDocument:
    round_name = round_.name if round_ else notice.round_id
    return SearchDocument(
        url=notice_url(notice, base_url),
        title=notice.title,
        round_name=round_name,
        unit=notice.unit,
        stage=notice.stage,
        year=str(notice.published.year),
        published=notice.published.isoformat(),
        date=cn_date(notice.published.date()),
        text=notice_text(notice),
        keywords="\n".join(filter(None, (round_name, notice.unit, notice.issuer, notice.group))),
        themes=themes,
    )


def notice_text(notice: Notice) -> str:
    """The notice as a reader sees it, as plain text in document order: no navigation, no page chrome."""
    blocks = [markdown_text(notice.preamble)]
    for part in notice.parts:
        blocks += [part.title, markdown_text(part.body)]
        blocks += [_problem_text(problem) for problem in part.problems]
    contact = notice.contact
    if contact.text:
        blocks.append(contact.text)
    else:
        blocks += [" ".join(contact.phones), " ".join(contact.emails), contact.mailbox, contact.address]
    blocks += [notice.issuer, cn_date(notice.notice_date)]
    blocks += [f"更正（{cn_date(c.date)}）：{c.text}" for c in notice.corrections]
    blocks += [attachment.title for attachment in notice.attachments]
    return "\n".join(line for block in blocks for line in block.splitlines() if line.strip())


def _problem_text(problem: Problem) -> str:
    """The node in the notice's own words: a status only where and as the notice wrote it (not its category's)."""
    title = f"{problem.title}（{problem.status_text}）" if problem.status_from == "title" else problem.title
    lines = [title, markdown_text(problem.body)]
    if problem.status_from == "line":
        lines.append(markdown_text(problem.status_line))
    lines += [_problem_text(child) for child in problem.children]
    return "\n".join(lines)
