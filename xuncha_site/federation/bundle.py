"""A member's search bundle, copied into the aggregator's site at build time (so that readers' browsers ask only the
aggregator), from the member's local copy (``path``) or over HTTP, checked file by file and cached.

What is copied is only what Pagefind's ``mergeIndex`` reads, each file named by what the member's own index lists:
the manifest ``xuncha-search.json`` names the bundles (the newest at the top, ``shards/NNN/``, ``first/``); each
bundle's ``pagefind-entry.json`` names its meta file; the meta file (CBOR) names the word chunks, the filter chunks
and the pages, whose fragments are ``fragment/<page id>.pf_fragment``. No name is taken from a directory listing and
no script is copied: the merged bundles are searched by the aggregator's own ``pagefind.js`` and WebAssembly (a
merged index loads neither), so a member's ``pagefind.js`` and ``wasm.*.pagefind`` are left where they are.

Every file is checked before anything is written: names by pattern, every file within ``member_size_limit``, the
whole bundle within :data:`BUNDLE_FACTOR` times that and :data:`TIME_FACTOR` times ``member_timeout`` seconds; the
Pagefind version of each entry; each compressed file unpacked (with a size bound) and its signature checked; the
meta read as CBOR; each fragment read as JSON whose addresses are paths on the member's site (``/…``), never
``javascript:`` or another host. The last good copy is kept in ``.xuncha-cache/members/<id>/pagefind/`` and used,
with a warning, when the member's bundle cannot be read well this time.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import re
import shutil
import time
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.input_files import InputFileError, read_regular
from xuncha_site.core.model import Member, Settings
from xuncha_site.core.project import cache_folder
from xuncha_site.core.routes import MEMBER_SEARCH_LIST, SEARCH_DIR, member_search_path
from xuncha_site.federation.gather import CACHE_DIR, MB, MEMBERS_CACHE, MemberData, MemberError, fetch_file, member_line
from xuncha_site.search.job import FIRST_DIR, MANIFEST, SCHEMA, SHARDS_DIR
from xuncha_site.search.pagefind.index import FORMAT_VERSIONS

BUNDLE_FACTOR = 10  # a member's whole bundle: at most this many times member_size_limit
TIME_FACTOR = 30  # …read in at most this many times member_timeout seconds
PARALLEL = 8  # files read at once over HTTP
SIGNATURE = b"pagefind_dcd"  # what every unpacked Pagefind file begins with (search/pagefind/index.py)
ENTRY = "pagefind-entry.json"
_FOLDER = re.compile(rf"^(?:{SHARDS_DIR}/[0-9]{{3,6}}/|{FIRST_DIR}/)$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")
_PAGE_ID = re.compile(r"^[0-9a-f]{6,64}$")
EMPTY_PAGE = "_"  # the one page of an empty bundle (search/job.py), which has no fragment


@dataclass(frozen=True)
class Bundle:
    """A member's search bundle as read: its files by path inside the bundle, and its manifest."""

    files: dict[str, bytes]
    manifest: dict[str, Any]

    @property
    def size(self) -> int:
        return sum(len(body) for body in self.files.values())


def read_bundle(
    read: Callable[[str], bytes], *, limit: int, total: int, seconds: float, parallel: int = 1, whole: bool = True
) -> Bundle:
    """Every file the member's manifest leads to, checked (see the module's text); raises MemberError. Not
    ``whole``: the manifest, entries and meta files only (``xuncha check``: the chunks and fragments they name are
    read at build time)."""
    started = time.monotonic()
    files: dict[str, bytes] = {}
    size = [0]

    def take(path: str, body: bytes) -> bytes:
        files[path] = body
        size[0] += len(body)
        if size[0] > total:
            raise MemberError(f"搜索索引超过大小上限 {total // MB} MB（member_size_limit 的 {BUNDLE_FACTOR} 倍）")
        if time.monotonic() - started > seconds:
            raise MemberError(f"读取搜索索引超过 {seconds:.0f} 秒（member_timeout 的 {TIME_FACTOR} 倍）")
        return body

    manifest = _json(take(MANIFEST, read(MANIFEST)), MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA:
        stated = str(manifest.get("schema"))[:40] if isinstance(manifest, dict) else "无"
        raise MemberError(f"搜索索引 {MANIFEST} 的格式是 {stated}，本程序只认得 {SCHEMA}")
    shards = manifest.get("shards")
    first = manifest.get("first")
    if not isinstance(shards, list) or (first is not None and not isinstance(first, dict)):
        raise MemberError(f"搜索索引 {MANIFEST} 中的 shards 或 first 格式不对")
    folders = ["", *shards, *([first.get("path")] if first else [])]
    wanted: list[str] = []
    for folder in folders:
        if folder and not (isinstance(folder, str) and _FOLDER.match(folder)):
            raise MemberError(f"搜索索引 {MANIFEST} 列出了不认得的目录 {str(folder)[:40]!r}")
        wanted += _bundle_files(folder, read, take, limit)
    remaining = [path for path in dict.fromkeys(wanted) if path not in files] if whole else []
    with ThreadPoolExecutor(max_workers=max(parallel, 1)) as pool:
        try:
            for path, body in zip(remaining, pool.map(read, remaining), strict=True):
                _check_file(path, take(path, body), limit)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return Bundle(files, manifest)


def _bundle_files(
    folder: str, read: Callable[[str], bytes], take: Callable[[str, bytes], bytes], limit: int
) -> list[str]:
    """The chunk and fragment files one bundle's entry and meta name (both read and checked here)."""
    entry = _json(take(folder + ENTRY, read(folder + ENTRY)), folder + ENTRY)
    languages = entry.get("languages") if isinstance(entry, dict) else None
    version = str(entry.get("version", "")) if isinstance(entry, dict) else ""
    if not version.startswith(FORMAT_VERSIONS):
        raise MemberError(f"搜索索引 {folder}{ENTRY} 的 Pagefind 版本是 {version[:20] or '无'}，本程序只认得 1.5")
    if not isinstance(languages, dict) or len(languages) != 1:
        raise MemberError(f"搜索索引 {folder}{ENTRY} 应只有一种语言")
    [(language, info)] = languages.items()
    chunk = re.compile(rf"^{re.escape(language)}_[0-9a-f]{{7,64}}$")
    meta_name = info.get("hash") if isinstance(info, dict) else None
    if not _LANGUAGE.match(language) or not isinstance(meta_name, str) or not chunk.match(meta_name):
        raise MemberError(f"搜索索引 {folder}{ENTRY} 中的语言或文件名不对")
    meta_path = f"{folder}pagefind.{meta_name}.pf_meta"
    meta = _cbor(take(meta_path, read(meta_path)), meta_path, limit)
    try:
        pages = [page for page, _count in meta[1]]
        words = [name for _first, _last, name in meta[2]]
        filters = [name for _filter, name in meta[3]]
    except (TypeError, ValueError, IndexError):
        raise MemberError(f"搜索索引 {meta_path} 的内容不是 Pagefind 的格式") from None
    names_ok = all(isinstance(n, str) and chunk.match(n) for n in words + filters)
    pages_ok = all(isinstance(p, str) and (_PAGE_ID.match(p) or p == EMPTY_PAGE) for p in pages)
    if not names_ok or not pages_ok:
        raise MemberError(f"搜索索引 {meta_path} 列出了不认得的文件名")
    return (
        [f"{folder}index/{name}.pf_index" for name in words]
        + [f"{folder}filter/{name}.pf_filter" for name in filters]
        + [f"{folder}fragment/{page}.pf_fragment" for page in pages if page != EMPTY_PAGE]
    )


def _json(body: bytes, path: str) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise MemberError(f"搜索索引 {path} 不是有效的 JSON") from None


def _unpacked(body: bytes, path: str, limit: int) -> bytes:
    """A Pagefind file unpacked (gzip, at most ``limit`` bytes), without its signature."""
    unpacker = zlib.decompressobj(wbits=31)
    try:
        raw = unpacker.decompress(body, limit + 1)
    except zlib.error:
        raise MemberError(f"搜索索引 {path} 不是有效的压缩文件") from None
    if len(raw) > limit or unpacker.unconsumed_tail:
        raise MemberError(f"搜索索引 {path} 解压后超过大小上限 {limit // MB} MB")
    if not raw.startswith(SIGNATURE):
        raise MemberError(f"搜索索引 {path} 不是 Pagefind 的文件")
    return raw[len(SIGNATURE) :]


def _cbor(body: bytes, path: str, limit: int) -> Any:
    import cbor2

    try:
        return cbor2.loads(_unpacked(body, path, limit))
    except (cbor2.CBORDecodeError, ValueError, TypeError):
        raise MemberError(f"搜索索引 {path} 的内容不是 Pagefind 的格式") from None


def _site_path(value: Any) -> bool:
    """A path on the member's own site (``/notices/…``): neither another host (``//…``) nor a scheme."""
    return isinstance(value, str) and value.startswith("/") and not value.startswith("//") and "\\" not in value


def _check_file(path: str, body: bytes, limit: int) -> None:
    if len(body) > limit:
        raise MemberError(f"搜索索引 {path} 超过大小上限 {limit // MB} MB")
    raw = _unpacked(body, path, limit)
    if path.endswith(".pf_fragment"):
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise MemberError(f"搜索索引 {path} 不是有效的 JSON") from None
        meta = data.get("meta") if isinstance(data, dict) else None
        if not isinstance(meta, dict) or not _site_path(data.get("url")) or not _site_path(meta.get("url", "/")):
            raise MemberError(f"搜索索引 {path} 的网址不是该站点上的路径")


def _reader(member: Member, root: Path, settings: Settings, folder: Path | None) -> Callable[[str], bytes]:
    """Reads one file of the bundle: from ``folder`` (the cache), else as the member's data files are read."""
    limit = settings.member_size_limit * MB

    def read(path: str) -> bytes:
        if folder is not None:
            try:
                return read_regular(folder / path, limit)
            except InputFileError as exc:
                raise MemberError(f"副本中的 {path}：{exc.message}") from None
        body = fetch_file(member, root, f"{SEARCH_DIR}/{path}", timeout=settings.member_timeout, limit=limit)
        assert body is not None  # required: a missing file is an error
        return body

    return read


def member_bundle(
    member: Member, root: Path, settings: Settings, diags: Diagnostics, *, shown: str = "mkdocs.yml", whole: bool = True
) -> Bundle | None:
    """The member's bundle read now (and cached), else its cached copy (a warning says so), else None (a warning).
    Not ``whole``: what ``xuncha check`` reads (manifest, entries, meta files), and nothing is cached."""
    limit = settings.member_size_limit * MB
    bounds = {"limit": limit, "total": limit * BUNDLE_FACTOR, "seconds": settings.member_timeout * TIME_FACTOR}
    cache = root / CACHE_DIR / member.id / SEARCH_DIR
    line = member_line(root / shown, member)
    try:
        parallel = 1 if member.path else PARALLEL
        fresh = read_bundle(_reader(member, root, settings, None), parallel=parallel, whole=whole, **bounds)
    except MemberError as exc:
        problem = f"成员站点“{member.name}”的搜索索引：{exc}"
        try:
            cached = (
                read_bundle(_reader(member, root, settings, cache), whole=whole, **bounds) if cache.is_dir() else None
            )
        except MemberError:
            cached = None
        if cached is None:
            diags.warning(shown, line, f"{problem}；也没有上次的副本，其通报列在成员页上，但不在本站搜索范围内")
        else:
            diags.warning(
                shown, line, f"{problem}；改用上次成功读取时保存的副本（{CACHE_DIR}/{member.id}/{SEARCH_DIR}/）"
            )
        return cached
    if whole:
        with contextlib.suppress(OSError):  # a cache that cannot be written only means no fallback next time
            _write_folder(cache_folder(root, MEMBERS_CACHE, member.id) / SEARCH_DIR, fresh.files)
    return fresh


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """``files`` as the whole content of ``folder`` (written beside it, then put in its place)."""
    fresh = folder.with_name(folder.name + ".new")
    try:
        if fresh.exists():
            shutil.rmtree(fresh)
        for path, body in files.items():
            (fresh / path).parent.mkdir(parents=True, exist_ok=True)
            (fresh / path).write_bytes(body)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(fresh, folder)
    except OSError:
        pass  # a cache that cannot be written only means no fallback next time


def copy_search_bundles(
    members: list[MemberData], root: Path, site_dir: Path, settings: Settings, diags: Diagnostics, *, shown: str
) -> dict[str, Any]:
    """Each member's bundle written into ``site_dir``; returns the list the search page merges
    (``routes.MEMBER_SEARCH_LIST``): name, address, bundle folder relative to the list."""
    beside = posixpath.dirname(MEMBER_SEARCH_LIST)
    listed = []
    for data in members:
        member = data.member
        bundle = member_bundle(member, root, settings, diags, shown=shown)
        if bundle is None:
            continue
        target = site_dir / member_search_path(member.id)
        if target.exists():
            shutil.rmtree(target)
        for path, body in bundle.files.items():
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            (target / path).write_bytes(body)
        listed.append(
            {
                "name": member.name,
                "url": member.url,
                "bundle": posixpath.relpath(member_search_path(member.id), beside) + "/",
            }
        )
    return {"members": listed}
