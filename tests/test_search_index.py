"""Search indexing without a browser: tokens, documents, shards, the written bundle."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from xuncha_site.commands.site import load_site
from xuncha_site.search.documents import (
    RESULT_BLOCK_TOKENS,
    SearchDocument,
    notice_text,
    search_documents,
    tokenised,
)
from xuncha_site.search.job import index_site, plan_shards, theme_filters
from xuncha_site.search.pagefind.index import SearchIndexError, read_fragment
from xuncha_site.search.tokens import INDEX_LANGUAGE, Lexicon, _scan, search_tokens

FIXTURE = Path(__file__).parent / "fixtures" / "site_search" / "mkdocs.yml"


@pytest.fixture
def project():
    return load_site(FIXTURE).project


def by_slug(project, slug):
    return next(n for n in project.corpus.notices if n.slug == slug)


def test_han_run_becomes_overlapping_bigrams_and_its_last_character():
    assert search_tokens("巡视整改") == ["巡视", "视整", "整改", "改"]


def test_punctuation_ends_a_run():
    assert search_tokens("整改。巡视") == ["整改", "改", "巡视", "视"]


def test_single_character_is_one_token():
    assert search_tokens("察") == ["察"]


def test_phone_number_yields_its_groups_and_the_groups_joined():
    assert search_tokens("电话：0744—6223478") == ["电话", "话", "0744", "6223478", "07446223478"]


def test_full_width_digits_and_latin_are_folded_and_lowercased():
    assert search_tokens("２０２１年ＡＢ党费") == ["2021", "年", "ab", "党费", "费"]


def test_every_character_of_the_text_starts_exactly_one_han_token():
    text = "民主生活会召开"
    starts = [token[0] for token in search_tokens(text)]
    assert starts == list(text)


def test_notice_text_keeps_document_order_without_markup(project):
    text = notice_text(by_slug(project, "caizheng"))
    lines = text.splitlines()
    assert lines[0].startswith("根据市委统一部署")
    assert lines.index("二、巡察反馈问题整改进展情况") < lines.index("2.党费收缴不规范")
    assert "##" not in text and "**" not in text


def test_notice_text_holds_contact_signature_and_status(project):
    text = notice_text(by_slug(project, "caizheng"))
    assert "联系电话：0123—6123456。" in text
    assert "中共青禾市财政局党组" in text.splitlines()
    assert "2021年9月1日" in text.splitlines()
    assert "完成情况：已完成" in text.splitlines()


def test_search_documents_drop_drafts_even_when_given(project):
    documents = search_documents(project.corpus.notices, project.corpus.rounds, "/")
    urls = {d.url for d in documents}
    assert "/notices/2023-r2/wenlv/" not in urls
    assert len(documents) == len(project.corpus.notices) - 1


def test_search_document_carries_filters_and_result_fields(project):
    notice = by_slug(project, "shuiwu")
    (document,) = search_documents([notice], project.corpus.rounds, "/sub/")
    assert document.filters() == {"round": "十届市委第五轮巡察", "year": "2023", "stage": "进展"}
    data = document.result_data()
    assert data["url"] == "/sub/notices/2023-r2/shuiwu/"
    assert data["unit"] == "市水务局党组"
    assert data["date"] == "2023年8月25日"
    fragment = tokenised(document).fragment()
    assert fragment["meta"] == data and fragment["url"] == data["url"]
    assert any("民主生活会" in block["text"] for block in fragment["blocks"])


def test_shards_are_oldest_first_and_the_newest_is_the_primary(project):
    documents = search_documents(project.public_notices(), project.corpus.rounds)
    shards = plan_shards(documents, size=3)
    assert [len(s.documents) for s in shards] == [3, 1]
    assert shards[-1].path == ""
    assert shards[0].path == "shards/001/"
    assert shards[0].documents[0].published < shards[-1].documents[0].published


@pytest.fixture
def built(project, tmp_path):
    themes, order = theme_filters(project.catalogue.themes)
    rounds = {r.id: r for r in project.catalogue.rounds_newest_first}  # as the plugin passes them: newest first
    stats = index_site(tmp_path, project.public_notices(), rounds, "/", shard_size=3, themes=themes, theme_order=order)
    return tmp_path / "pagefind", stats


def test_index_site_reports_what_it_indexed(built):
    _, stats = built
    assert (stats.documents, stats.shards, stats.shard_sizes) == (4, 2, (3, 1))
    assert stats.bytes > 0


def test_bundle_has_one_result_document_per_public_notice(built, project):
    out, _ = built
    urls = sorted(read_fragment(path)["meta"]["url"] for path in out.rglob("*.pf_fragment"))
    assert urls == sorted(f"/notices/{n.id}/" for n in project.public_notices())


def test_manifest_lists_shards_language_and_ordered_filters(built):
    out, _ = built
    manifest = json.loads((out / "xuncha-search.json").read_text("utf-8"))
    assert manifest["language"] == INDEX_LANGUAGE
    assert manifest["shards"] == ["shards/001/"]
    assert manifest["filters"] == {
        "round": ["十届市委第五轮巡察", "十届市委第一轮巡察"],
        "year": ["2023", "2021"],
        "stage": ["进展", "完成"],
        # The site's theme list in its order; 信息化建设 is only in the embargoed notice, 资金 also in the draft.
        "theme": ["党费", "财务与资金管理", "工程项目"],
    }


def test_index_holds_only_the_undetermined_language(built):
    out, _ = built
    for entry in [out / "pagefind-entry.json", out / "shards" / "001" / "pagefind-entry.json"]:
        assert list(json.loads(entry.read_text("utf-8"))["languages"]) == [INDEX_LANGUAGE]


def test_secondary_shards_carry_no_runtime_and_each_shard_its_own_fragments(built):
    out, _ = built
    shard = out / "shards" / "001"
    assert (out / "pagefind.js").exists() and list(out.glob("wasm.*"))
    assert not (shard / "pagefind.js").exists() and not list(shard.glob("wasm.*"))
    assert len(list(shard.glob("fragment/*.pf_fragment"))) == 3 and len(list(out.glob("fragment/*.pf_fragment"))) == 1
    assert not list(out.rglob("pagefind-ui.*"))


def test_index_words_are_our_tokens(built):
    out, _ = built
    words = b"".join(gzip.decompress(p.read_bytes()) for p in out.rglob("*.pf_index")).decode("utf-8", "replace")
    assert "视整" in words and "生活会" not in words


def test_no_bundle_file_mentions_draft_or_embargoed_text(built):
    out, _ = built
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            text = data.decode("utf-8", "replace")
            for secret in ("古镇", "镇保", "智慧", "慧医"):
                assert secret not in text, (path, secret)


def test_rebuild_replaces_the_previous_bundle(project, tmp_path):
    rounds = project.corpus.rounds
    index_site(tmp_path, project.public_notices(), rounds, shard_size=1)
    index_site(tmp_path, project.public_notices()[:1], rounds)
    assert not (tmp_path / "pagefind" / "shards").exists()
    assert len(list((tmp_path / "pagefind").rglob("*.pf_fragment"))) == 1


def test_empty_site_still_gets_a_working_bundle(tmp_path):
    stats = index_site(tmp_path, [], {}, "/")
    manifest = json.loads((tmp_path / "pagefind" / "xuncha-search.json").read_text("utf-8"))
    assert stats.documents == 0 and manifest["documents"] == 0
    assert (tmp_path / "pagefind" / "pagefind.js").exists()


def test_pagefind_failure_is_a_chinese_error(project, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(SearchIndexError, match="生成搜索索引失败"):
        index_site(tmp_path, project.public_notices(), project.corpus.rounds)


def test_documents_are_plain_frozen_data(project):
    (document,) = search_documents([by_slug(project, "tongji")], project.corpus.rounds)
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.title = "x"  # type: ignore[misc]


# --- result blocks: an index position leads to the block that holds its text ----------------------------------------

notice_like = st.lists(
    st.sampled_from(["巡察", "整改", "民主生活会", "。", "；", "！", "？", "\n", "，", " ", "0123-6000001", "abc", "Ａ１",
                     "①", "\u0301", "﹣", "　"]) | st.text(max_size=8),
    max_size=400,
).map("".join)  # fmt: skip


def document_with(text: str, title: str = "关于巡察整改进展情况的通报") -> SearchDocument:
    return SearchDocument(
        url="/n/", title=title, round_name="第一轮", unit="某局", stage="进展", year="2023",
        published="2023-01-01T00:00:00", date="2023年1月1日", text=text, keywords="第一轮\n某局",
    )  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(notice_like)
def test_the_tokens_of_a_text_are_the_tokens_of_its_sentences(text):
    document = document_with(text)
    assert tokenised(document).content.split() == search_tokens(f"{document.title}\n{document.keywords}\n{text}")


@settings(max_examples=300, deadline=None)
@given(st.lists(notice_like | st.just("\uffff") | st.text(max_size=20), max_size=6).map("".join))
def test_integer_keys_are_the_tokens_of_the_string_rules_with_the_same_sentence_ends(text):
    lexicon, ends = Lexicon(), []
    keys, key_ends = lexicon.keys(text)
    assert [lexicon.spell(key) for key in keys.tolist()] == _scan(text, ends)
    assert key_ends == ends


def test_keys_of_one_first_character_sort_as_its_words_do():
    lexicon = Lexicon()
    keys, _ = lexicon.keys("巡视巡察巡 巡")
    words = [lexicon.spell(key) for key in keys.tolist()]
    assert words == ["巡视", "视巡", "巡察", "察巡", "巡", "巡"]
    assert sorted(words) == [lexicon.spell(key) for key in sorted(keys.tolist())]


@settings(max_examples=200, deadline=None)
@given(notice_like, st.integers(min_value=1, max_value=40))
def test_every_index_position_is_in_the_block_it_names(text, size):
    tokens = tokenised(document_with(text))
    positions = tokens.content.split()
    blocks = tokens.result_blocks(size)
    assert len(blocks) == max(1, -(-len(positions) // size))
    for position, token in enumerate(positions[tokens.head :], start=tokens.head):
        assert token in search_tokens(blocks[position // size]["text"]), (position, token)


def test_blocks_of_a_long_notice_are_a_few_kilobytes_each_and_say_where_the_text_goes_on():
    text = "".join(f"巡察组反馈的第{n}个问题已经整改完成，建立长效机制。" for n in range(1000))
    blocks = tokenised(document_with(text)).result_blocks()
    assert len(blocks) > 5
    sizes = [len(json.dumps(block, ensure_ascii=False).encode()) for block in blocks]
    assert max(sizes) < 4 * RESULT_BLOCK_TOKENS < len(text.encode())  # bytes: ≈ 3 a character, ≈ 1 a position
    for block in blocks:
        assert block["before"] == (not text.startswith(block["text"]))
        assert block["after"] == (not text.endswith(block["text"]))
    assert blocks[1]["before"] and blocks[0]["after"]


def test_a_notice_without_text_has_one_block():
    blocks = tokenised(document_with("")).result_blocks()
    assert len(blocks) == 1 and blocks[0]["text"] == "" and not blocks[0]["before"] and not blocks[0]["after"]


def test_bundle_writes_every_block_of_every_notice(built, project):
    out, _ = built
    fragments = [read_fragment(path) for path in out.rglob("*.pf_fragment")]
    assert len(fragments) == len(project.public_notices())
    for fragment in fragments:
        (notice,) = [n for n in project.public_notices() if fragment["url"] == f"/notices/{n.id}/"]
        assert fragment["content"] == "" and fragment["anchors"] == []
        text = "".join(block["text"] for block in fragment["blocks"])
        assert notice.title not in text and notice.issuer in text  # the text, not the title
    manifest = json.loads((out / "xuncha-search.json").read_text("utf-8"))
    assert manifest["block"] == RESULT_BLOCK_TOKENS
