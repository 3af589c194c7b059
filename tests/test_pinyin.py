"""core/pinyin.py gives what pypinyin gives (the table it reads is written from pypinyin: unit slugs and the order of
unit names stay as they were)."""

from __future__ import annotations

import random
from pathlib import Path

import pypinyin
import pytest

from xuncha_site.core import loader, pinyin
from xuncha_site.core.catalogue import name_order
from xuncha_site.core.loader import slugify
from xuncha_site.core.model import unit_key

ROOT = Path(__file__).resolve().parent.parent


def _table():
    return pinyin._table()


def test_the_table_is_what_pypinyin_writes(tmp_path: Path) -> None:
    written = tmp_path / pinyin.TABLE
    pinyin.write_table(written)
    assert written.read_bytes() == (ROOT / "xuncha_site" / "core" / pinyin.TABLE).read_bytes()


def test_every_phrase_and_character_reads_as_in_pypinyin() -> None:
    _, keys, _, characters = _table()
    words = [*keys, *characters]
    assert len(words) > 80_000
    differ = [word for word in words if pinyin.lazy_pinyin(word) != pypinyin.lazy_pinyin(word)]
    assert differ == []


def test_runs_of_phrases_characters_and_other_text_cut_and_read_as_in_pypinyin() -> None:
    # Phrases next to each other are where forward maximum matching decides (a longer start that is only a prefix).
    _, _, phrases, characters = _table()
    pieces = [*phrases, *characters]
    rng = random.Random(20261203)
    others = ["A", "12", "（", "）", " ", "-", "·", "Ⅱ", "ab", "〇", "\U00020000", "é"]
    texts = [
        "",
        "中共城关区委组织部",
        "银行行长",
        "重庆市长江大桥管理处",
        "市第一人民医院",
        "a中b国c",
        "ABC公司",
        "３号",
    ]
    for _ in range(4000):
        parts = [rng.choice(pieces) for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.3:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(others))
        texts.append("".join(parts))
    differ = [text for text in texts if pinyin.lazy_pinyin(text) != pypinyin.lazy_pinyin(text)]
    assert differ == []


@pytest.mark.parametrize(
    "name", ["中共江北区委巡察办", "城关区行政审批局", "重庆银行股份有限公司", "X市第2中学", "曾家镇"]
)
def test_slugs_and_name_order_are_pypinyins(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = slugify(name), name_order(name)
    monkeypatch.setattr(loader, "lazy_pinyin", pypinyin.lazy_pinyin)
    assert ours == (slugify(name), tuple(pypinyin.lazy_pinyin(unit_key(name))))
