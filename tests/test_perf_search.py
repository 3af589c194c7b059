"""Search indexing shortcuts give what the plain way gives: partial NFKC, plain-prose text, the background job."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from xuncha_site import render
from xuncha_site.search import IndexJob, markdown_text, search_tokens

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


def test_background_index_job_puts_the_bundle_in_the_site(tmp_path: Path) -> None:
    job = IndexJob([], {}, "/", shard_size=10)
    stats = job.finish(tmp_path)
    assert stats.documents == 0
    assert (tmp_path / "pagefind" / "pagefind-entry.json").is_file()
