"""Search indexing shortcuts give what the plain way gives: partial NFKC, plain-prose text, the background job."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings, strategies as st

from xuncha_site.commands.site import load_site
from xuncha_site.core import markdown as render
from xuncha_site.core.markdown import markdown_text
from xuncha_site.search.job import IndexJob, index_site
from xuncha_site.search.tokens import search_tokens

EXAMPLE = load_site(Path(__file__).resolve().parent.parent / "mkdocs.yml").project
NOTICES, ROUNDS = EXAMPLE.public_notices(), EXAMPLE.corpus.rounds

ALWAYS = re.compile("")  # matches every text: Python-Markdown for every fragment


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=40))
def test_tokens_are_those_of_the_fully_normalised_text(text: str) -> None:
    assert search_tokens(text) == search_tokens(unicodedata.normalize("NFKC", text))


def test_tokens_of_fullwidth_and_compatibility_characters_are_normalised() -> None:
    assert search_tokens("２０２４年，ＡＢＣ巡察①") == search_tokens("2024年,abc巡察1")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"整改完成（）：，。“”-.1234 ab\n*_[]<>&|#", "\n\n"]), max_size=50).map("".join))
def test_text_of_plain_prose_is_the_text_of_its_markdown(text: str) -> None:
    fast = markdown_text(text)
    with patch.object(render, "_MARKUP", ALWAYS):
        assert fast == markdown_text(text)


@pytest.mark.parametrize("separate_process", [True, False], ids=["forked", "thread"])
def test_background_index_job_puts_the_bundle_in_the_site(tmp_path: Path, separate_process: bool) -> None:
    counted: list[int] = []
    job = IndexJob(NOTICES, ROUNDS, "/", shard_size=10, progress=counted.append, separate_process=separate_process)
    stats = job.finish(tmp_path)
    assert stats.documents == len(NOTICES)
    assert sum(counted) == len(NOTICES)
    assert (tmp_path / "pagefind" / "pagefind-entry.json").is_file()


def test_index_job_of_a_process_with_threads_spawns_its_child_and_gives_the_bundle(tmp_path: Path) -> None:
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)  # like the preview server's threads: no fork then
    other.start()
    try:
        stats = IndexJob(NOTICES, ROUNDS, "/", shard_size=10).finish(tmp_path / "job")
    finally:
        release.set()
        other.join()
    index_site(tmp_path / "here", NOTICES, ROUNDS, "/", shard_size=10)
    assert stats.documents == len(NOTICES)
    assert files(tmp_path / "job") == files(tmp_path / "here")


def files(root: Path) -> dict[Path, bytes]:
    return {path.relative_to(root): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_background_index_job_gives_the_same_bundle_as_indexing_in_place(tmp_path: Path) -> None:
    index_site(tmp_path / "here", NOTICES, ROUNDS, "/", shard_size=10)
    IndexJob(NOTICES, ROUNDS, "/", shard_size=10).finish(tmp_path / "job")
    here = {p.relative_to(tmp_path / "here"): p.read_bytes() for p in (tmp_path / "here").rglob("*") if p.is_file()}
    job = {p.relative_to(tmp_path / "job"): p.read_bytes() for p in (tmp_path / "job").rglob("*") if p.is_file()}
    assert here == job
