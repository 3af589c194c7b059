"""Pagefind's WebAssembly as the search page gets it: recompressed (smaller, the same module once unpacked), and
taken from the user's cache folder once made."""

from __future__ import annotations

import gzip
import subprocess
import tempfile
from pathlib import Path

import pytest

from xuncha_site.search.pagefind import index
from xuncha_site.search.pagefind.index import WASM_FILE, load_runtime, smaller_gzip


def pagefinds_own_wasm() -> bytes:
    """The WebAssembly file as the installed Pagefind binary writes it."""
    from pagefind.service import get_executable

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp, "site")
        site.mkdir()
        (site / "index.html").write_text("<html lang='und'><body>_</body></html>", encoding="utf-8")
        command = [str(get_executable()), "--site", str(site), "--output-path", str(Path(tmp, "out")), "--quiet"]
        subprocess.run(command, check=True, capture_output=True)
        return Path(tmp, "out", WASM_FILE).read_bytes()


def test_the_webassembly_is_smaller_and_unpacks_to_pagefinds_own(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    own = pagefinds_own_wasm()
    shipped = load_runtime().files[WASM_FILE]
    assert gzip.decompress(shipped) == gzip.decompress(own)
    assert len(shipped) < len(own) - 2000
    assert list((tmp_path / "cache" / "xuncha-site").glob("*.zopfli.gz"))


def test_a_cached_copy_is_used_and_a_damaged_one_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    packed = gzip.compress(b"pagefind_dcd" + bytes(range(256)) * 200, 1, mtime=0)
    first = smaller_gzip(packed)
    (cached,) = (tmp_path / "cache" / "xuncha-site").glob("*.zopfli.gz")
    assert cached.read_bytes() == first and len(first) < len(packed)

    import zopfli.gzip

    with monkeypatch.context() as patch:
        patch.setattr(zopfli.gzip, "compress", lambda data: pytest.fail("recompressed although cached"))
        assert smaller_gzip(packed) == first
    cached.write_bytes(b"not gzip")
    assert smaller_gzip(packed) == first
    assert cached.read_bytes() == first


def test_a_read_only_cache_still_gives_the_smaller_file(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(index, "cache_dir", lambda: blocked / "xuncha-site")  # a folder cannot be made inside a file
    packed = gzip.compress(b"pagefind_dcd" + b"abc" * 5000, 1, mtime=0)
    assert gzip.decompress(smaller_gzip(packed)) == gzip.decompress(packed)
    assert len(smaller_gzip(packed)) < len(packed)
