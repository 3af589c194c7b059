"""The indexing job: shards of search documents written as Pagefind bundles, in a child process."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import multiprocessing
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xuncha_site.core.model import STAGES, Notice, Round, newest_first
from xuncha_site.core.routes import SEARCH_DIR
from xuncha_site.core.scratch import die_with_parent, give_back_freed_memory, make_folder
from xuncha_site.core.themes import ThemeIndex
from xuncha_site.search.errors import SearchIndexError

# What makes the documents and the index (numpy, cbor2) is imported where it is used, in the processes that index:
# the build process that starts them (IndexJob) needs none of it.
if TYPE_CHECKING:
    from xuncha_site.search.documents import SearchDocument
    from xuncha_site.search.pagefind.index import Runtime

SHARDS_DIR = "shards"  # every shard but the newest, inside SEARCH_DIR
MANIFEST = "xuncha-search.json"  # inside SEARCH_DIR: what the search page needs to know before searching
SCHEMA = "xuncha-search/1"
# Measured (bench/search.py): while a shard is written its arrays take about 0.27 MB a notice, ≈ 550 MB for 2,000;
# every shard costs the browser requests on the first query, so shards are not smaller than memory requires.
SHARD_SIZE = 2000
# On a site with more public notices than this, the newest FIRST_SEARCH also form a small bundle of their own
# (FIRST_DIR), which the search page searches first; a button then searches all of them. A first search then reads
# about what it reads on a site of FIRST_SEARCH notices, however many the site holds (bench/build.py --first-search).
# Besides Pagefind's runtime (≈ 85 KB transferred) a first search fetches the bundle's meta file, which lists every
# page and every word chunk, and the chunks of its words, a common word's holding its positions on every page: both
# grow with this number. Measured at 1,000 notices (chunks of 1,000 positions, Pagefind's own WebAssembly), the
# largest first query transferred 124 KB with 200 and 118 KB with 150; the aim is 120 KB (issue #21).
FIRST_SEARCH = 150
# The first bundle's word chunks are smaller than the shards' (CHUNK_LOCATIONS): a rare word fetches a whole chunk,
# and a unit's full name is seven of them; more chunks make a longer meta file, which every first search reads.
# Measured (150 notices): 1,300 positions 1 KB less than 1,000 on the largest first query.
FIRST_CHUNK_LOCATIONS = 1300
# The first bundle's results are shown from files of one block each (FIRST_BLOCKS_DIR/<page id>-<block>.json: the
# result's fields and the block's text; RESULT_BLOCK_TOKENS for the other bundles' fragments), not from the notice's
# fragment with its whole text: a result shown transfers ≈ 1.1 KB instead of ≈ 3.6.
FIRST_BLOCK_TOKENS = 500
FIRST_BLOCKS_DIR = "block"  # inside FIRST_DIR
FIRST_DIR = "first"  # inside SEARCH_DIR


@dataclass(frozen=True)
class SearchStats:
    """What one indexing run did, for the build log and the bench."""

    documents: int
    shards: int
    seconds: float
    bytes: int  # size of everything written under SEARCH_DIR
    shard_sizes: tuple[int, ...] = field(default=())


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


def first_documents(documents: Sequence[SearchDocument], size: int) -> tuple[SearchDocument, ...] | None:
    """The newest ``size`` documents (in publication order, as shards are), or None when there are no more than that."""
    if len(documents) <= size:
        return None
    return tuple(sorted(documents, key=lambda d: (d.published, d.url))[-size:])


def theme_filters(index: ThemeIndex) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The theme filter: each notice's theme names by notice id (notices without a theme left out), and every theme
    name in the list's order (the order the search page offers them)."""
    names = {entry.theme.slug: entry.theme.name for entry in index.entries}
    themes = {notice_id: tuple(names[slug] for slug in index.notice_themes(notice_id)) for notice_id in index.problems}
    return {notice_id: found for notice_id, found in themes.items() if found}, tuple(names.values())


def index_site(
    site_dir: Path,
    notices: Sequence[Notice],
    rounds: dict[str, Round],
    base_url: str = "/",
    *,
    shard_size: int = SHARD_SIZE,
    progress: Callable[[int], None] | None = None,
    themes: Mapping[str, tuple[str, ...]] | None = None,
    theme_order: Sequence[str] = (),
    first_search: int | None = None,
) -> SearchStats:
    """Write the search bundle of ``notices`` (the public ones: drafts are dropped) to ``<site_dir>/pagefind/``.

    Replaces any bundle from an earlier build. Raises :class:`SearchIndexError` when Pagefind (whose search runtime
    the bundle carries) is missing, fails or is of another version. ``progress`` is called with the number of notices
    of each shard once it is indexed. ``themes`` gives each notice's theme names by id (the theme filter), listed
    on the search page in ``theme_order``. With more than ``first_search`` (default :data:`FIRST_SEARCH`) notices,
    the newest ``first_search`` are also written as the first-search bundle in ``FIRST_DIR``.
    """
    from xuncha_site.search.documents import search_documents

    started = time.monotonic()
    return index_documents(
        site_dir,
        search_documents(notices, rounds, base_url, themes),
        rounds,
        shard_size=shard_size,
        progress=progress,
        theme_order=theme_order,
        first_search=first_search,
        started=started,
    )


def index_documents(
    site_dir: Path,
    documents: Sequence[SearchDocument],
    rounds: dict[str, Round],
    *,
    shard_size: int = SHARD_SIZE,
    progress: Callable[[int], None] | None = None,
    theme_order: Sequence[str] = (),
    first_search: int | None = None,
    started: float | None = None,
) -> SearchStats:
    """:func:`index_site` of the notices' search documents (:func:`search_documents`); ``started`` is when the
    indexing began (``time.monotonic()``), for its stats."""
    from xuncha_site.search.pagefind.index import load_runtime

    started = time.monotonic() if started is None else started
    out = Path(site_dir) / SEARCH_DIR
    if out.exists():
        shutil.rmtree(out)
    shards = plan_shards(documents, shard_size)
    runtime = load_runtime()
    ids = page_ids(documents)
    for shard in shards:
        _index_shard(shard, out / shard.path, runtime, ids, primary=not shard.path)
        if progress is not None:
            progress(len(shard.documents))
    first = first_documents(documents, FIRST_SEARCH if first_search is None else first_search)
    if first is not None:
        # A bundle with its own copy of the runtime: the search page loads it as a Pagefind of its own.
        _index_shard(Shard(first, f"{FIRST_DIR}/"), out / FIRST_DIR, runtime, ids, primary=True, first=True)
    _write_json(out / MANIFEST, _manifest(documents, shards, rounds, theme_order, first))
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
    the two. The child is spawned, a fresh interpreter that holds only what it indexes. Where the system can fork and
    no other thread runs (``xuncha build``), a short-lived forked process, which shares the loaded notices without
    copying them, makes their search documents and hands them to it (:meth:`_start_pair`). Otherwise (``xuncha
    serve``, whose server has threads; Windows) the child is handed the notices. The bundle is written to a
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
        themes: Mapping[str, tuple[str, ...]] | None = None,
        theme_order: Sequence[str] = (),
        first_search: int | None = None,
    ) -> None:
        self._folder = make_folder("xuncha-search", workdir)  # a killed build's folder is removed by the next
        self._outcome: SearchStats | BaseException | None = None
        self._progress = progress
        arguments = (self._folder, notices, rounds, base_url)
        self._shard_size = shard_size
        # Read here, in this process: a spawned child would see only the module's own value.
        self._first_search = FIRST_SEARCH if first_search is None else first_search
        self._themes = (dict(themes or {}), tuple(theme_order))
        # A fork copies locks that other threads may hold: only a single-threaded process forks.
        forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
        if separate_process and forkable:
            self._thread = self._start_pair(*arguments)
        elif separate_process:
            context: Any = multiprocessing.get_context("spawn")
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_index_in_child,
                args=(sender, (shard_size, self._first_search), self._themes, *arguments),
                daemon=True,
            )
            process.start()
            sender.close()
            self._thread = threading.Thread(target=self._listen, args=(process, receiver), daemon=True)
        else:
            self._thread = threading.Thread(target=self._run, args=arguments, daemon=True)
        self._thread.start()

    def _start_pair(self, folder: Path, notices: Sequence[Notice], rounds: dict[str, Round], base_url: str) -> Any:
        """Index in a spawned process, fed the search documents by a forked one that makes them and exits.

        The forked process shares the loaded notices, but only for as long as it takes to make their documents; the
        indexer, a fresh interpreter, holds the documents alone. A forked indexer would keep a copy of every page of
        the build's memory that either process writes to while the pages render (reference counts suffice), which
        at 4,000 notices was about 150 MB.
        """
        spawn: Any = multiprocessing.get_context("spawn")
        receiver, sender = spawn.Pipe(duplex=False)
        documents_in, documents_out = spawn.Pipe(duplex=False)
        theme_order = self._themes[1]
        indexer = spawn.Process(
            target=_index_documents_in_child,
            args=(sender, documents_in, (self._shard_size, self._first_search), theme_order, folder, rounds),
            daemon=True,
        )
        indexer.start()
        sender.close()
        documents_in.close()
        writer = multiprocessing.get_context("fork").Process(
            target=_send_documents, args=(documents_out, notices, rounds, base_url, self._themes[0]), daemon=True
        )
        # Frozen, the objects it inherits are not visited by its garbage collector, which would write to (and so
        # copy) every page that holds one. A process that froze its long-lived objects itself (xuncha build) keeps
        # them frozen.
        kept = gc.get_freeze_count() > 0
        gc.freeze()
        try:
            writer.start()
        finally:
            if not kept:
                gc.unfreeze()
        documents_out.close()
        return threading.Thread(target=self._listen, args=(indexer, receiver, writer), daemon=True)

    def _run(self, *arguments: Any) -> None:
        try:
            themes, order = self._themes
            self._outcome = index_site(
                *arguments,
                shard_size=self._shard_size,
                progress=self._progress,
                themes=themes,
                theme_order=order,
                first_search=self._first_search,
            )
        except BaseException as error:  # handed to the thread that calls finish()
            self._outcome = error

    def _listen(self, process: Any, receiver: Any, writer: Any = None) -> None:
        """Relay the child's progress and take its outcome (``writer``: the process that feeds it documents)."""
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
            if writer is not None:
                writer.join()

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


def _index_in_child(sender: Any, sizes: tuple[int, int], themes: tuple[dict, tuple[str, ...]], *arguments: Any) -> None:
    """The child process: index, report progress and the outcome through ``sender``."""
    die_with_parent()  # a killed build leaves no indexer writing into a folder the next build removes
    tempfile.tempdir = str(arguments[0])  # its scratch files go in the job's folder, which the parent removes
    _report(
        sender,
        lambda: index_site(
            *arguments,
            shard_size=sizes[0],
            progress=lambda count: sender.send(("progress", count)),
            themes=themes[0],
            theme_order=themes[1],
            first_search=sizes[1],
        ),
    )


def _report(sender: Any, index: Callable[[], Any]) -> None:
    """Run ``index`` in the child and send its outcome through ``sender``: ("done", stats) or ("error", message)."""
    try:
        stats = index()
    except SearchIndexError as error:
        sender.send(("error", str(error)))
    except Exception as error:
        sender.send(("error", f"生成搜索索引时出错：{type(error).__name__}: {error}"))
    else:
        sender.send(("done", stats))
    finally:
        sender.close()


_END = "end"  # what the documents' writer sends after the last one


def _send_documents(
    out: Any, notices: Sequence[Notice], rounds: dict[str, Round], base_url: str, themes: Mapping[str, Any]
) -> None:
    """The forked writer: each public notice's search document through ``out``, then :data:`_END` (or, if making
    them failed, the error's text)."""
    from xuncha_site.search.documents import each_search_document

    die_with_parent()
    try:
        for document in each_search_document(notices, rounds, base_url, themes):  # made as sent: never all at once
            out.send(document)
        out.send(_END)
    except Exception as error:
        out.send(f"生成搜索索引时出错：{type(error).__name__}: {error}")
    finally:
        out.close()


def _index_documents_in_child(
    sender: Any,
    documents_in: Any,
    sizes: tuple[int, int],
    theme_order: tuple[str, ...],
    folder: Path,
    rounds: dict[str, Round],
) -> None:
    """The spawned indexer: the documents from ``documents_in``, indexed; progress and outcome through ``sender``."""
    from xuncha_site.search.documents import SearchDocument

    die_with_parent()
    tempfile.tempdir = str(folder)
    started = time.monotonic()

    def index() -> Any:
        documents = []
        while True:
            try:
                item = documents_in.recv()
            except EOFError:
                raise SearchIndexError("生成搜索文档的子进程意外退出") from None
            if isinstance(item, SearchDocument):
                documents.append(item)
            elif item == _END:
                break
            else:
                raise SearchIndexError(str(item))
        documents_in.close()
        return index_documents(
            folder,
            documents,
            rounds,
            shard_size=sizes[0],
            progress=lambda count: sender.send(("progress", count)),
            theme_order=theme_order,
            first_search=sizes[1],
            started=started,
        )

    _report(sender, index)


def _manifest(
    documents: Sequence[SearchDocument],
    shards: Sequence[Shard],
    rounds: dict[str, Round],
    theme_order: Sequence[str] = (),
    first: Sequence[SearchDocument] | None = None,
) -> dict:
    from xuncha_site.search.documents import RESULT_BLOCK_TOKENS
    from xuncha_site.search.tokens import INDEX_LANGUAGE

    round_names = {d.round_name for d in documents}
    ordered_rounds = [r.name for r in newest_first(rounds.values())]
    return {
        "schema": SCHEMA,
        "language": INDEX_LANGUAGE,
        "documents": len(documents),
        "block": RESULT_BLOCK_TOKENS,
        "shards": [shard.path for shard in shards if shard.path],
        # The first-search bundle (absent on a site of FIRST_SEARCH notices or fewer): its folder and size; and the
        # folder of its result blocks and their size in index positions.
        **(
            {
                "first": {"path": f"{FIRST_DIR}/", "documents": len(first)},
                "first_blocks": {"path": f"{FIRST_DIR}/{FIRST_BLOCKS_DIR}/", "block": FIRST_BLOCK_TOKENS},
            }
            if first is not None
            else {}
        ),
        "filters": {
            "round": [name for name in ordered_rounds if name in round_names]
            + sorted(round_names - set(ordered_rounds)),
            "year": sorted({d.year for d in documents}, reverse=True),
            "stage": [stage for stage in STAGES if any(d.stage == stage for d in documents)],
            "theme": [name for name in theme_order if any(name in d.themes for d in documents)],
        },
    }


def _index_shard(
    shard: Shard, out: Path, runtime: Runtime, ids: dict[str, str], *, primary: bool, first: bool = False
) -> None:
    import numpy as np

    from xuncha_site.search.documents import tokenised
    from xuncha_site.search.pagefind.index import CHUNK_LOCATIONS, Page, WordIndex, write_bundle, write_fragment
    from xuncha_site.search.tokens import INDEX_LANGUAGE, Lexicon

    # Each document is tokenised once; its tokens become ids in the word index and are let go (a shard's tokens as
    # Python strings would take hundreds of MB).
    (out / "fragment").mkdir(parents=True)
    if first:
        (out / FIRST_BLOCKS_DIR).mkdir()
    lexicon = Lexicon()
    index, pages = WordIndex(lexicon.spell, FIRST_CHUNK_LOCATIONS if first else CHUNK_LOCATIONS), []
    for document in shard.documents:
        tokens = tokenised(document, lexicon)
        index.add(tokens.keys)
        page_id = ids[document.url]
        pages.append(Page(page_id, document.filters(), {"published": document.published}))
        write_fragment(out / "fragment", page_id, tokens.fragment())
        if first:
            shown = document.result_data()
            for number, block in enumerate(tokens.result_blocks(FIRST_BLOCK_TOKENS)):
                _write_json(out / FIRST_BLOCKS_DIR / f"{page_id}-{number}.json", {**shown, **block})
    if not shard.documents:
        # Pagefind's runtime needs a bundle with a word: "_" is one that no query can produce, so the search page
        # works before the first notice is published.
        index.add(np.array([lexicon.key_of("_")]))
        pages.append(Page("_", {}, {}))
    give_back_freed_memory()  # what tokenising left behind, before the bundle's arrays are made
    write_bundle(out, index, pages, runtime, language=INDEX_LANGUAGE, with_runtime=primary)


def page_ids(documents: Sequence[SearchDocument]) -> dict[str, str]:
    """Each document's result id (its fragment is ``fragment/<id>.pf_fragment``), by URL: a hash of what the fragment
    shows, so that a corrected notice gets a new fragment address and no browser shows an excerpt from its cache;
    lengthened where two would collide. Six hex digits (not ten): the meta file lists every id, and a first search
    reads it (bench/build.py --first-search)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for document in sorted(documents, key=lambda d: d.url):
        digest = hashlib.sha256(json.dumps(dataclasses.astuple(document), ensure_ascii=False).encode()).hexdigest()
        length = 6
        while digest[:length] in taken:
            length += 1
        taken.add(digest[:length])
        ids[document.url] = digest[:length]
    return ids


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
