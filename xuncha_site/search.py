"""Site search: public notices → a Pagefind index of overlapping character bigrams, sharded, plus result fragments.

Why bigrams: Pagefind's extended build segments Chinese with jieba at index time, but the browser splits the query
with ``Intl.Segmenter``; the two disagree on compounds (巡视整改 → 巡视|整|改), so compounds, quoted phrases and single
characters inside words find nothing. Instead every run of Han characters is indexed as its overlapping bigrams plus
its last character (巡视整改 → 巡视 视整 整改 改), under the language tag ``und`` so that Pagefind neither segments nor
stems; ``theme/assets/search/search.js`` splits the query with the same rules (the tests check both agree). Every
character thus starts exactly one token, so a word is a phrase of consecutive tokens (exact matches) and a single
character is a prefix of a token.

Why shards: notices are indexed in shards of at most ``SHARD_SIZE`` (oldest first, so that new notices only change the
newest shard), which bounds the memory of indexing; the browser merges the shards with ``mergeIndex``.

Why our own index writer (``pagefind_index.py``): Pagefind's indexer parses HTML and compresses every page's text for
its result fragments; for our token streams that took longer than the whole MkDocs build. The index files are written
from the tokens directly, in Pagefind's format, and read by Pagefind's own search runtime.

Why our own result fragments: Pagefind's fragments would hold the bigram token stream, not readable text. Each
notice's fragment (``fragment/<page id>.pf_fragment`` in its shard, gzipped, fetched by Pagefind's ``result.data()``)
holds its metadata and its plain text cut into blocks of ``RESULT_BLOCK_TOKENS`` index positions. Pagefind tells the
search page the positions where a result matched; the page shows the block that holds the best of them and cuts a
clean excerpt with the query highlighted. One file a notice: thousands of small files are slow to create on many
disks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import operator
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import numpy as np

from .export import notice_url
from .model import STAGES, Notice, Problem, Round
from .pagefind_index import Page, Runtime, SearchIndexError, WordIndex, load_runtime, write_bundle, write_fragment
from .render import plain_paragraphs
from .scratch import die_with_parent, make_folder

SEARCH_DIR = "pagefind"  # the bundle inside the site; the search page loads <SEARCH_DIR>/pagefind.js
SHARDS_DIR = "shards"  # every shard but the newest, inside SEARCH_DIR
MANIFEST = "xuncha-search.json"  # inside SEARCH_DIR: what the search page needs to know before searching
SCHEMA = "xuncha-search/1"
INDEX_LANGUAGE = "und"  # "undetermined": Pagefind then splits on spaces only and stems nothing
# Index positions a result block covers: ≈ 2,400 characters with its context, ≈ 7.5 KB a result shown.
RESULT_BLOCK_TOKENS = 2000
# Measured (bench/search.py): while a shard is written its arrays take about 0.27 MB a notice, ≈ 550 MB for 2,000;
# every shard costs the browser requests on the first query, so shards are not smaller than memory requires.
SHARD_SIZE = 2000

# Tokenizer. theme/assets/search/search.js implements the same rules for queries: change both together.
# Han ideographs: 〇, Extension A, the basic block, compatibility ideographs, Extensions B to F.
_HAN_RANGES = ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))
_HAN = "".join(chr(low) if low == high else f"{chr(low)}-{chr(high)}" for low, high in _HAN_RANGES)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\ufe63"
_DIGITS = f"[0-9]+(?:[{_DASHES}][0-9]+)+"  # a number written in groups
_WORD = "[0-9a-z]+"
_TOKEN = re.compile(f"(?P<han>[{_HAN}]+)|(?P<digits>{_DIGITS})|(?P<word>{_WORD})")
_DIGIT_GROUP = re.compile("[0-9]+")


def search_tokens(text: str) -> list[str]:
    """The index tokens of ``text``: Han runs as bigrams plus their last character, Latin/digit runs whole.

    A number written in groups (0744-6223478) also yields the groups joined (07446223478), so that it is found
    whichever way a reader types it.
    """
    return _scan(text, [])


# A noncharacter, never in published text: put after each sentence, it marks where the sentence's tokens end.
_SENTENCE_MARK = "\uffff"
_TOKEN_OR_MARK = re.compile(f"{_TOKEN.pattern}|(?P<mark>{_SENTENCE_MARK})")


def _scan(text: str, ends: list[int]) -> list[str]:
    """The tokens of ``text``; the number of tokens before each sentence mark is appended to ``ends``."""
    tokens: list[str] = []
    # The hot loop of indexing (every character of every notice): findall's tuples and map() keep it in C.
    for han, digits, word, _mark in _TOKEN_OR_MARK.findall(_nfkc(text).lower()):
        if han:
            tokens.extend(map(operator.add, han, han[1:]))  # overlapping bigrams
            tokens.append(han[-1])
        elif digits:
            groups = _DIGIT_GROUP.findall(digits)
            tokens.extend(groups)
            tokens.append("".join(groups))
        elif word:
            tokens.append(word)
        else:
            ends.append(len(tokens))
    return tokens


# Only runs of characters that NFKC may turn into token characters, or compose with the character before them, are
# normalised: Han ideographs, ASCII, the common Chinese punctuation (which NFKC maps to ASCII punctuation at most)
# and the sentence mark are left as they are, which is several times faster on Chinese prose than normalising every
# run between ideographs.
_NFKC_STABLE = "\uffff\x00-\x7f\u3000-\u3006\u3008-\u3011\u2014\u2018-\u201d\u2026\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\u4e00-\u9fff"
_NFKC_RUN = re.compile(f".?[^{_NFKC_STABLE}]+", re.DOTALL)


_NFKC_ANY = re.compile(f"[^{_NFKC_STABLE}]")


def _nfkc(text: str) -> str:
    if _NFKC_ANY.search(text) is None:  # most notices: one quick scan instead of the substitution's slower one
        return text
    return _NFKC_RUN.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)


_OTHER = re.compile(f"(?P<digits>{_DIGITS})|(?P<word>{_WORD})")
_FOLLOWING = 21  # bits of a key's second character
OTHER_KEYS = 1 << 42  # keys from here on are numbers in a lexicon's table of other words


class Lexicon:
    """Index words as integer keys, for indexing at the speed of arrays: :func:`search_tokens`' rules, vectorised.

    A Han character and the character after it in its run (none at the end of a run) are ``first << 21 | second``:
    keys of one first character sort as its words do (the character alone first). Digit groups and Latin words, a
    few a notice, are numbered in the lexicon's table from ``OTHER_KEYS`` on.
    """

    def __init__(self) -> None:
        self._others: dict[str, int] = {}
        self._names: list[str] = []

    def keys(self, text: str) -> tuple[np.ndarray, list[int]]:
        """The keys of ``text``'s tokens in order, and the number of tokens before each sentence mark."""
        text = _nfkc(text).lower()
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        han = np.zeros(len(points), dtype=bool)
        for low, high in _HAN_RANGES:
            han |= (points >= low) & (points <= high)
        at = np.flatnonzero(han)
        following = np.zeros(len(points), dtype=np.int64)
        following[:-1] = np.where(han[1:], points[1:], 0)
        keys = (points[at].astype(np.int64) << _FOLLOWING) | following[at]
        starts, others = self._others_of(text)
        if others:  # in the order of the characters they start at; a number's groups and their join in order
            every = np.concatenate([at, np.array(starts, dtype=np.int64)])
            order = np.argsort(every, kind="stable")
            at, keys = every[order], np.concatenate([keys, np.array(others, dtype=np.int64)])[order]
        marks = np.flatnonzero(points == ord(_SENTENCE_MARK))
        return keys, np.searchsorted(at, marks).tolist()

    def _others_of(self, text: str) -> tuple[list[int], list[int]]:
        starts: list[int] = []
        keys: list[int] = []
        known = self._others.get
        for found in _OTHER.finditer(text):  # a hundred a notice (numbers, mostly): the loop is kept lean
            digits, word = found.groups()
            for each in (word,) if word else (*(groups := _DIGIT_GROUP.findall(digits)), "".join(groups)):
                starts.append(found.start())
                keys.append(known(each) or self.key_of(each))
        return starts, keys

    def key_of(self, word: str) -> int:
        """The key of a word that is not a Han bigram or character (numbered in this lexicon's table)."""
        key = self._others.get(word)
        if key is None:
            key = self._others[word] = OTHER_KEYS + len(self._names)
            self._names.append(word)
        return key

    def spell(self, key: int) -> str:
        """The word of a key."""
        if key >= OTHER_KEYS:
            return self._names[key - OTHER_KEYS]
        second = key & ((1 << _FOLLOWING) - 1)
        return chr(key >> _FOLLOWING) + (chr(second) if second else "")


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

    def filters(self) -> dict[str, str]:
        return {"round": self.round_name, "year": self.year, "stage": self.stage}

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
    sentences = tuple(s for s in _SENTENCE_END.split(document.text.replace(_SENTENCE_MARK, "")) if s)
    head, _ = lexicon.keys(f"{document.title}\n{document.keywords}".replace(_SENTENCE_MARK, ""))
    keys, ends = lexicon.keys(_SENTENCE_MARK.join(sentences) + _SENTENCE_MARK * bool(sentences))
    return Tokenised(document, np.concatenate([head, keys]), len(head), sentences, tuple(ends), lexicon)


@dataclass(frozen=True)
class SearchStats:
    """What one indexing run did, for the build log and the bench."""

    documents: int
    shards: int
    seconds: float
    bytes: int  # size of everything written under SEARCH_DIR
    shard_sizes: tuple[int, ...] = field(default=())


def search_documents(notices: Iterable[Notice], rounds: dict[str, Round], base_url: str = "/") -> list[SearchDocument]:
    """The search documents of the notices that may be published: drafts are dropped here whatever the caller did."""
    return [search_document(n, rounds.get(n.round_id), base_url) for n in notices if not n.draft]


def search_document(notice: Notice, round_: Round | None, base_url: str = "/") -> SearchDocument:
    round_name = round_.name if round_ else notice.round_id
    return SearchDocument(
        url=notice_url(notice, base_url),
        title=notice.title,
        round_name=round_name,
        unit=notice.unit,
        stage=notice.stage,
        year=str(notice.published.year),
        published=notice.published.isoformat(),
        date=chinese_date(notice.published.date()),
        text=notice_text(notice),
        keywords="\n".join(filter(None, (round_name, notice.unit, notice.issuer, notice.group))),
    )


def chinese_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


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
    blocks += [notice.issuer, chinese_date(notice.notice_date)]
    blocks += [f"更正（{chinese_date(c.date)}）：{c.text}" for c in notice.corrections]
    blocks += [attachment.title for attachment in notice.attachments]
    return "\n".join(line for block in blocks for line in block.splitlines() if line.strip())


def _problem_text(problem: Problem) -> str:
    lines = [problem.title, markdown_text(problem.body)]
    if problem.status_text:
        lines.append(f"完成情况：{problem.status_text}")
    lines += [_problem_text(child) for child in problem.children]
    return "\n".join(lines)


# One parser per thread: the build indexes in a background thread (IndexJob) while feeds use this function too.
_PARSERS = threading.local()


def _markdown_parser() -> markdown.Markdown:
    parser: markdown.Markdown | None = getattr(_PARSERS, "markdown", None)
    if parser is None:
        parser = _PARSERS.markdown = markdown.Markdown(extensions=["tables", "sane_lists"])
    return parser


def markdown_text(source: str) -> str:
    """Markdown as plain text: markup dropped, one line per block, whitespace inside a block collapsed."""
    if not source.strip():
        return ""
    paragraphs = plain_paragraphs(source)
    if paragraphs is not None:
        return "\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)
    parser = _TextParser()
    parser.feed(_markdown_parser().reset().convert(source))
    parser.close()
    return "\n".join(" ".join(line.split()) for line in parser.lines if line.strip())


class _TextParser(HTMLParser):
    """Text of rendered Markdown, one line per block element."""

    _BLOCKS = frozenset({"p", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "div"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.lines.append("")
        elif tag in ("td", "th"):
            self.lines[-1] += " "

    def handle_data(self, data: str) -> None:
        self.lines[-1] += data


@dataclass(frozen=True)
class Shard:
    """Notices indexed together, in one Pagefind bundle; ``path`` is relative to SEARCH_DIR ("" for the newest)."""

    documents: tuple[SearchDocument, ...]
    path: str


def plan_shards(documents: Sequence[SearchDocument], size: int = SHARD_SIZE) -> list[Shard]:
    """Oldest first, ``size`` documents per shard; the newest shard is the primary bundle at the top of SEARCH_DIR.

    Fixed-size shards in publication order keep every shard's memory bounded and leave older shards unchanged when
    new notices are published.
    """
    ordered = sorted(documents, key=lambda d: (d.published, d.url))
    groups = [tuple(ordered[i : i + size]) for i in range(0, len(ordered), size)] or [()]
    shards = [Shard(group, f"{SHARDS_DIR}/{n + 1:03d}/") for n, group in enumerate(groups)]
    shards[-1] = Shard(shards[-1].documents, "")
    return shards


def index_site(
    site_dir: Path,
    notices: Sequence[Notice],
    rounds: dict[str, Round],
    base_url: str = "/",
    *,
    shard_size: int = SHARD_SIZE,
    progress: Callable[[int], None] | None = None,
) -> SearchStats:
    """Write the search bundle of ``notices`` (the public ones: drafts are dropped) to ``<site_dir>/pagefind/``.

    Replaces any bundle from an earlier build. Raises :class:`SearchIndexError` when Pagefind (whose search runtime
    the bundle carries) is missing, fails or is of another version. ``progress`` is called with the number of notices
    of each shard once it is indexed.
    """
    started = time.monotonic()
    out = Path(site_dir) / SEARCH_DIR
    if out.exists():
        shutil.rmtree(out)
    documents = search_documents(notices, rounds, base_url)
    shards = plan_shards(documents, shard_size)
    runtime = load_runtime()
    ids = page_ids(documents)
    for shard in shards:
        _index_shard(shard, out / shard.path, runtime, ids, primary=not shard.path)
        if progress is not None:
            progress(len(shard.documents))
    _write_json(out / MANIFEST, _manifest(documents, shards, rounds))
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    return SearchStats(
        documents=len(documents),
        shards=len(shards),
        seconds=time.monotonic() - started,
        bytes=size,
        shard_sizes=tuple(len(shard.documents) for shard in shards),
    )


class IndexJob:
    """:func:`index_site` in the background while the pages render; :meth:`finish` waits for it and moves the bundle
    into the site.

    Indexing runs in a child process, which uses another core, so that a build takes about as long as the longer of
    the two. The child is forked where the system can fork and no other
    thread runs (``xuncha build``): it then shares the loaded notices without copying them. Otherwise (``xuncha
    serve``, whose server has threads; Windows) it is spawned and handed the notices. The bundle is written to a
    temporary folder first, since MkDocs empties the site folder when a build starts.
    """

    def __init__(
        self,
        notices: Sequence[Notice],
        rounds: dict[str, Round],
        base_url: str,
        *,
        shard_size: int,
        progress: Callable[[int], None] | None = None,
        separate_process: bool = True,
        workdir: Path | None = None,
    ) -> None:
        self._folder = make_folder("xuncha-search", workdir)  # a killed build's folder is removed by the next
        self._outcome: SearchStats | BaseException | None = None
        self._progress = progress
        arguments = (self._folder, notices, rounds, base_url)
        self._shard_size = shard_size
        if separate_process:
            # A fork copies locks that other threads may hold: only a single-threaded process forks.
            forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            context: Any = multiprocessing.get_context("fork" if forkable else "spawn")
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_index_in_child, args=(sender, shard_size, *arguments), daemon=True)
            process.start()
            sender.close()
            self._thread = threading.Thread(target=self._listen, args=(process, receiver), daemon=True)
        else:
            self._thread = threading.Thread(target=self._run, args=arguments, daemon=True)
        self._thread.start()

    def _run(self, *arguments: Any) -> None:
        try:
            self._outcome = index_site(*arguments, shard_size=self._shard_size, progress=self._progress)
        except BaseException as error:  # handed to the thread that calls finish()
            self._outcome = error

    def _listen(self, process: Any, receiver: Any) -> None:
        """Relay the child's progress and take its outcome."""
        try:
            while True:
                kind, value = receiver.recv()
                if kind == "progress" and self._progress is not None:
                    self._progress(value)
                elif kind == "done":
                    self._outcome = value
                    break
                elif kind == "error":
                    self._outcome = SearchIndexError(value)
                    break
        except EOFError:
            self._outcome = SearchIndexError(f"生成搜索索引的子进程意外退出（退出码 {process.exitcode}）")
        finally:
            receiver.close()
            process.join()

    def done(self) -> bool:
        """Whether indexing has ended (successfully or not)."""
        return not self._thread.is_alive()

    def finish(self, site_dir: Path) -> SearchStats:
        """Wait for the index, then put it at ``<site_dir>/pagefind``; raises what indexing raised."""
        try:
            self._thread.join()
            if isinstance(self._outcome, BaseException):
                raise self._outcome
            assert self._outcome is not None
            target = Path(site_dir) / SEARCH_DIR
            if target.exists():
                shutil.rmtree(target)
            shutil.move(self._folder / SEARCH_DIR, target)
            return self._outcome
        finally:
            self.discard()

    def discard(self) -> None:
        """Wait for indexing (a child killed half-way could leave files behind) and remove the temporary folder."""
        self._thread.join()
        shutil.rmtree(self._folder, ignore_errors=True)


def _index_in_child(sender: Any, shard_size: int, *arguments: Any) -> None:
    """The child process: index, report progress and the outcome through ``sender``."""
    die_with_parent()  # a killed build leaves no indexer writing into a folder the next build removes
    tempfile.tempdir = str(arguments[0])  # its scratch files go in the job's folder, which the parent removes
    try:
        stats = index_site(*arguments, shard_size=shard_size, progress=lambda count: sender.send(("progress", count)))
    except SearchIndexError as error:
        sender.send(("error", str(error)))
    except Exception as error:
        sender.send(("error", f"生成搜索索引时出错：{type(error).__name__}: {error}"))
    else:
        sender.send(("done", stats))
    finally:
        sender.close()


def _manifest(documents: Sequence[SearchDocument], shards: Sequence[Shard], rounds: dict[str, Round]) -> dict:
    round_names = {d.round_name for d in documents}
    ordered_rounds = [r.name for r in sorted(rounds.values(), key=lambda r: r.sort_key, reverse=True)]
    return {
        "schema": SCHEMA,
        "language": INDEX_LANGUAGE,
        "documents": len(documents),
        "block": RESULT_BLOCK_TOKENS,
        "shards": [shard.path for shard in shards if shard.path],
        "filters": {
            "round": [name for name in ordered_rounds if name in round_names]
            + sorted(round_names - set(ordered_rounds)),
            "year": sorted({d.year for d in documents}, reverse=True),
            "stage": [stage for stage in STAGES if any(d.stage == stage for d in documents)],
        },
    }


def _index_shard(shard: Shard, out: Path, runtime: Runtime, ids: dict[str, str], *, primary: bool) -> None:
    # Each document is tokenised once; its tokens become ids in the word index and are let go (a shard's tokens as
    # Python strings would take hundreds of MB).
    (out / "fragment").mkdir(parents=True)
    lexicon = Lexicon()
    index, pages = WordIndex(lexicon.spell), []
    for document in shard.documents:
        tokens = tokenised(document, lexicon)
        index.add(tokens.keys)
        page_id = ids[document.url]
        pages.append(Page(page_id, document.filters(), {"published": document.published}))
        write_fragment(out / "fragment", page_id, tokens.fragment())
    if not shard.documents:
        # Pagefind's runtime needs a bundle with a word: "_" is one that no query can produce, so the search page
        # works before the first notice is published.
        index.add(np.array([lexicon.key_of("_")]))
        pages.append(Page("_", {}, {}))
    write_bundle(out, index, pages, runtime, language=INDEX_LANGUAGE, with_runtime=primary)


def page_ids(documents: Sequence[SearchDocument]) -> dict[str, str]:
    """Each document's result id (its fragment is ``fragment/<id>.pf_fragment``), by URL: a hash of what the fragment
    shows, so that a corrected notice gets a new fragment address and no browser shows an excerpt from its cache;
    lengthened where two would collide."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for document in sorted(documents, key=lambda d: d.url):
        digest = hashlib.sha256(json.dumps(dataclasses.astuple(document), ensure_ascii=False).encode()).hexdigest()
        length = 10
        while digest[:length] in taken:
            length += 1
        taken.add(digest[:length])
        ids[document.url] = digest[:length]
    return ids


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
