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
