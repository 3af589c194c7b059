"""The index files we write are the ones Pagefind writes: the same pages given to Pagefind's own indexer (as HTML)
and to ``xuncha_site.pagefind_index`` decode to the same words, positions, word counts, filters and sort orders."""

from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
from pathlib import Path

import cbor2
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from xuncha_site.commands.site import load_site
from xuncha_site.search.documents import search_documents, tokenised
from xuncha_site.search.pagefind import index as pagefind_index
from xuncha_site.search.pagefind.index import Page, SearchIndexError, WordIndex, load_runtime, read_chunk, write_bundle
from xuncha_site.search.tokens import INDEX_LANGUAGE, Lexicon

EXAMPLE = Path(__file__).resolve().parent.parent / "mkdocs.yml"


def pagefind_html(tokens: list[str], filters: dict[str, str], sorts: dict[str, str]) -> str:
    heads = "".join(
        f'<meta data-pagefind-filter="{key}[content]" content="{html.escape(value)}">' for key, value in filters.items()
    )
    heads += "".join(
        f'<meta data-pagefind-sort="{key}[content]" content="{html.escape(value)}">' for key, value in sorts.items()
    )
    return (
        f'<!doctype html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8">{heads}</head>'
        f"<body><main data-pagefind-body>{html.escape(' '.join(tokens))}</main></body></html>"
    )


def by_pagefind(tmp: Path, pages: list[tuple[list[str], dict[str, str], dict[str, str]]]) -> dict:
    """What Pagefind's own indexer makes of the pages, decoded, pages named by their number."""
    from pagefind.service import get_executable

    site, out = tmp / "pf-site", tmp / "pf-out"
    site.mkdir()
    for number, page in enumerate(pages):
        (site / f"{number}.html").write_text(pagefind_html(*page), encoding="utf-8")
    command = [str(get_executable()), "--site", str(site), "--output-path", str(out), "--quiet"]
    subprocess.run(command, check=True, capture_output=True)
    names = {}
    for fragment in (out / "fragment").glob("*.pf_fragment"):
        url = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])["url"]
        names[fragment.stem] = int(re.fullmatch(r"/(\d+)\.html", url)[1])
    return decoded(out, names.__getitem__)


def word_index(pages: list[list[str]]) -> WordIndex:
    lexicon = Lexicon()
    index = WordIndex(lexicon.spell)
    for tokens in pages:
        index.add(np.array([lexicon.key_of(token) for token in tokens], dtype=np.int64))
    return index


def by_us(tmp: Path, pages: list[tuple[list[str], dict[str, str], dict[str, str]]], limit: int | None = None) -> dict:
    out = tmp / "our-out"
    index = word_index([tokens for tokens, _, _ in pages])
    if limit is not None:
        chunks = index.chunks
        index.chunks = lambda **options: chunks(limit, **options)  # type: ignore[method-assign]
    described = [Page(f"p{number}", filters, sorts) for number, (_, filters, sorts) in enumerate(pages)]
    write_bundle(out, index, described, load_runtime(), language=INDEX_LANGUAGE, with_runtime=True)
    return decoded(out, lambda page_id: int(page_id[1:]))


def decoded(out: Path, page_of) -> dict:
    """A bundle as plain data: words → page → positions, and the rest of its meta, pages named by ``page_of(id)``."""
    entry = json.loads((out / "pagefind-entry.json").read_text("utf-8"))
    (language,) = entry["languages"]
    meta = read_chunk(out / f"pagefind.{entry['languages'][language]['hash']}.pf_meta")
    pages = [page_of(page_id) for page_id, _ in meta[1]]
    words: dict[str, dict[int, list[int]]] = {}
    previous = ""
    for first, last, name in meta[2]:
        assert previous < first, "chunks are in word order"
        previous = first
        (chunk,) = read_chunk(out / "index" / f"{name}.pf_index")
        for word, entries, variants in chunk:
            assert first <= word[: len(first)] and word[: len(last)] <= last, (first, word, last)
            assert variants == []
            number, found = 0, {}
            for delta, locations, meta_locations in entries:
                number += delta
                assert locations[0] == -25 and meta_locations == []
                positions, at = [], 0
                for step in locations[1:]:
                    at += step
                    positions.append(at)
                found[pages[number]] = positions
            words[word] = found
    filters = {}
    for name, chunk in meta[3]:
        _, values = read_chunk(out / "filter" / f"{chunk}.pf_filter")
        filters[name] = {value: sorted(pages[n] for n in numbers) for value, numbers in values}
    return {
        "version": meta[0],
        "word_counts": {pages[n]: count for n, (_, count) in enumerate(meta[1])},
        "words": words,
        "filters": filters,
        "sorts": {name: [pages[n] for n in numbers] for name, numbers in meta[4]},
        "rest": meta[5:],
        "entry": {key: value for key, value in entry.items() if key != "languages"},
        "page_count": entry["languages"][language]["page_count"],
    }


def example_pages() -> list[tuple[list[str], dict[str, str], dict[str, str]]]:
    project = load_site(EXAMPLE).project
    documents = search_documents(project.public_notices(), project.corpus.rounds)
    pages = [(tokenised(d).tokens, d.filters(), {"published": d.published}) for d in documents]
    # Every size of CBOR number: a word on 70,000 positions of one page (a 5-byte count), gaps over 255 and 65,535.
    many = ["重复"] * 70_000 + ["稀有"] + ["间隔"] * 300 + ["稀有"]
    pages.append((many, {"round": "测试轮"}, {"published": "2020-01-01T00:00:00"}))
    pages.append((["0744", "6223478", "07446223478", "abc", "巡", "巡视", "_"], {}, {"published": "2019-05-05"}))
    return pages


def test_our_index_of_the_example_notices_is_what_pagefind_writes(tmp_path):
    pages = example_pages()
    ours, theirs = by_us(tmp_path, pages), by_pagefind(tmp_path, pages)
    assert ours["words"].keys() == theirs["words"].keys()
    for word, found in theirs["words"].items():
        assert ours["words"][word] == found, word
    assert ours == theirs


def test_small_chunks_still_hold_every_word_once_in_order(tmp_path):
    pages = example_pages()
    assert by_us(tmp_path, pages, limit=50)["words"] == by_pagefind(tmp_path, pages)["words"]


def test_a_chunk_stops_before_it_passes_its_limit_unless_one_word_does():
    index = word_index([["a", "b", "c", "a", "d"] * 10 + ["e"] * 100])
    for first, last, data in index.chunks(limit=25):
        (words,) = cbor2.loads(data)
        size = sum(len(locations) for _, entries, _ in words for _, locations, _ in entries)
        assert size <= 25 or len(words) == 1, (first, last, size)


tokens = st.lists(st.sampled_from(["甲乙", "乙丙", "丙", "a", "b1", "12", "巡视", "视整"]), max_size=400)


@settings(max_examples=60, deadline=None)
@given(st.lists(tokens, min_size=1, max_size=6), st.integers(min_value=1, max_value=300))
def test_chunks_decode_to_every_position_of_every_page(pages, limit):
    index = word_index(pages)
    expected: dict[str, dict[int, list[int]]] = {}
    for number, page in enumerate(pages):
        for position, word in enumerate(page):
            expected.setdefault(word, {}).setdefault(number, []).append(position)
    found: dict[str, dict[int, list[int]]] = {}
    for _, _, data in index.chunks(limit):
        for word, entries, _ in cbor2.loads(data)[0]:
            number = 0
            for delta, locations, _ in entries:
                number += delta
                steps = locations[1:]
                found.setdefault(word, {})[number] = [sum(steps[: i + 1]) for i in range(len(steps))]
    assert found == expected
    assert index.word_counts() == [len(page) for page in pages]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**31 - 1) | st.integers(min_value=0, max_value=5), max_size=300))
def test_positions_are_ordered_by_word_keeping_their_order_for_any_word_number(keys):
    order = pagefind_index._stable_order(np.array(keys, dtype=np.int32))
    assert order.tolist() == sorted(range(len(keys)), key=keys.__getitem__)


def test_chunk_bounds_are_cut_to_their_common_prefix_as_pagefind_cuts_them():
    chunks = [("apple", "apple", b""), ("apricot", "banana", b""), ("peach", "peach", b"")]
    assert pagefind_index.chunk_ranges(chunks) == [("apple", "app"), ("apr", "b"), ("p", "peach")]
    assert pagefind_index.chunk_ranges([("cath", "cath", b""), ("cathartic", "x", b"")]) == [
        ("cath", "cath"),
        ("catha", "x"),
    ]


def fake_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str) -> None:
    """A stand-in for the Pagefind binary that writes only ``entry`` as its pagefind-entry.json."""
    fake = tmp_path / "pagefind"
    fake.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--output-path" ]; do shift; done\n'
        f'mkdir -p "$2" && echo \'{entry}\' > "$2/pagefind-entry.json"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))


def test_a_pagefind_of_another_version_is_refused_in_chinese(tmp_path, monkeypatch):
    fake_pagefind(tmp_path, monkeypatch, '{"version":"2.0.0","languages":{}}')
    with pytest.raises(SearchIndexError, match=r"不支持的 Pagefind 版本 2\.0\.0"):
        load_runtime()


def test_missing_runtime_files_are_a_chinese_error_not_a_traceback(tmp_path, monkeypatch):
    fake_pagefind(tmp_path, monkeypatch, '{"version":"1.5.2","languages":{}}')
    with pytest.raises(SearchIndexError, match=r"pagefind\.js"):
        load_runtime()
