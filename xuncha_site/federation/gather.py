"""Gathering the member sites of an aggregator: each member's open data fetched, checked and cached.

A member is read only through what it publishes (``data/notices.json``, ``data/rounds.json`` and, when present,
``data/themes.json`` and ``data/disclosure.json`` — older members do not publish the last), over HTTP with a timeout
and a size limit, or from the built copy in its ``path`` folder. ``data/units.json`` (each unit's problems matched
across its notices) is not read: no page of the aggregator shows it, each unit links to the member's own unit page,
and it is, after notices.json, the largest file a member publishes. Its search bundle: :mod:`.bundle`.
Every file must carry a schema version whose major number this program knows and must validate against the schema
this program publishes; otherwise the member's last good copy (``.xuncha-cache/members/<id>/``) is used, and a
warning says so. Nothing read is trusted as HTML: it is data, shown only through autoescaped templates.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.disclosure import DisclosureTotals, Timeliness
from xuncha_site.core.input_files import InputFileError, read_regular
from xuncha_site.core.model import Counts, Member, Settings, completion_rate
from xuncha_site.core.project import CACHE_DIR as PROJECT_CACHE_DIR, cache_folder
from xuncha_site.core.routes import DATA_FILES
from xuncha_site.core.stats import STATUS_FIELDS, Figures, figures
from xuncha_site.outputs.open_data import (
    DISCLOSURE_SCHEMA,
    NOTICES_SCHEMA,
    ROUNDS_SCHEMA,
    THEMES_SCHEMA,
    schema_bytes,
)

MEMBERS_CACHE = "members"  # below the project's cache folder
CACHE_DIR = f"{PROJECT_CACHE_DIR}/{MEMBERS_CACHE}"  # below the aggregator's root
MB = 1024 * 1024

# What a member publishes that the aggregator reads: key → (site path, schema file, schema version, required).
MEMBER_FILES: dict[str, tuple[str, str, str, bool]] = {
    "notices": (DATA_FILES["json"], "notices.schema.json", NOTICES_SCHEMA, True),
    "rounds": (DATA_FILES["rounds"], "rounds.schema.json", ROUNDS_SCHEMA, True),
    "themes": (DATA_FILES["themes"], "themes.schema.json", THEMES_SCHEMA, False),
    "disclosure": (DATA_FILES["disclosure"], "disclosure.schema.json", DISCLOSURE_SCHEMA, False),
}


class MemberError(Exception):
    """Why a member's files could not be used (a Chinese sentence naming the file)."""


@dataclass(frozen=True)
class MemberData:
    """One member's open data as last read well: parsed JSON by key (``notices``, ``rounds``, maybe ``themes``)."""

    member: Member
    files: dict[str, Any]
    fresh: bool  # False: read from the cache because the member could not be read well this time

    @property
    def notices(self) -> list[dict[str, Any]]:
        return list(self.files["notices"]["notices"])

    @property
    def rounds(self) -> list[dict[str, Any]]:
        return list(self.files["rounds"]["rounds"])

    @property
    def disclosure(self) -> dict[str, Any] | None:
        """The member's data/disclosure.json (checked to add up), or None when it publishes none."""
        return self.files.get("disclosure")


def member_line(config_file: Path, member: Member) -> int:
    """The line of the member's ``url`` in the configuration file, for messages (1 when it is not found there: it
    may come from ``!ENV`` or an inherited file)."""
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    wanted = member.url.rstrip("/")
    for number, line in enumerate(lines, 1):
        key, _, value = line.strip().removeprefix("- ").partition(":")
        if key.strip() == "url" and value.strip().strip("'\"").rstrip("/") == wanted:
            return number
    return 1


def gather(
    settings: Settings, root: Path, diags: Diagnostics, *, shown: str = "mkdocs.yml", keep: bool = True
) -> list[MemberData]:
    """Every member's data, in the settings' order; a member with neither a good read nor a cache is left out.
    ``keep``: a good read replaces the cached copy (``xuncha check`` only reads, and keeps nothing)."""
    gathered = []
    for member in settings.members:
        data = gather_member(member, root, diags, settings=settings, shown=shown, keep=keep)
        if data is not None:
            gathered.append(data)
    return gathered


def gather_member(
    member: Member, root: Path, diags: Diagnostics, *, settings: Settings, shown: str = "mkdocs.yml", keep: bool = True
) -> MemberData | None:
    cache_dir = root / CACHE_DIR / member.id
    limit = settings.member_size_limit * MB
    try:
        raw = _read_all(member, root, timeout=settings.member_timeout, limit=limit)
    except MemberError as exc:
        cached = _read_cache(member, cache_dir)
        if cached is None:
            diags.warning(
                shown,
                member_line(root / shown, member),
                f"成员站点“{member.name}”：{exc}；也没有上次的副本，本次构建不含该成员",
            )
            return None
        diags.warning(
            shown,
            member_line(root / shown, member),
            f"成员站点“{member.name}”：{exc}；改用上次成功读取时保存的副本（{CACHE_DIR}/{member.id}/）",
        )
        return cached
    files = {key: json.loads(body) for key, body in raw.items()}
    try:
        completion_adds_up(files)
    except MemberError as exc:
        cached = _read_cache(member, cache_dir)
        diags.warning(
            shown,
            member_line(root / shown, member),
            f"成员站点“{member.name}”：{exc}；"
            + (
                f"改用上次成功读取时保存的副本（{CACHE_DIR}/{member.id}/）"
                if cached
                else "也没有上次的副本，本次构建不含该成员"
            ),
        )
        return cached
    if keep:
        _write_cache(root, member.id, raw)
    return MemberData(member, files, fresh=True)


def _read_all(member: Member, root: Path, *, timeout: int, limit: int) -> dict[str, bytes]:
    """Each file's bytes, checked; raises MemberError for the first that cannot be used."""
    raw: dict[str, bytes] = {}
    for key, (site_path, schema_name, version, required) in MEMBER_FILES.items():
        body = fetch_file(member, root, site_path, timeout=timeout, limit=limit, required=required)
        if body is None:
            continue
        check(body, site_path, schema_name, version)
        raw[key] = body
    return raw


def fetch_file(
    member: Member, root: Path, site_path: str, *, timeout: int, limit: int, required: bool = True
) -> bytes | None:
    """One file the member publishes, from its local copy or over HTTP; None for an optional file it lacks."""
    if member.path:
        file = (root / member.path / site_path).resolve()
        if not file.exists() and not required:
            return None
        try:
            return read_regular(file, limit, what=f"{site_path} ")
        except InputFileError as exc:
            raise MemberError(f"无法读取本地副本 {member.path}/{site_path}：{exc.message}") from None
    url = member.url + site_path
    request = urllib.request.Request(
        url, headers={"User-Agent": "xuncha-site federation", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only: the settings check the URL
            body: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and not required:
            return None
        raise MemberError(f"读取 {url} 时服务器答复 {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise MemberError(f"无法连接 {url}（{reason}）") from None
    if len(body) > limit:
        raise MemberError(f"{url} 超过大小上限 {limit // MB} MB（member_size_limit）")
    return body


def check(body: bytes, site_path: str, schema_name: str, version: str) -> None:
    """Raise MemberError unless ``body`` is JSON of a known major version that validates against our schema."""
    import jsonschema

    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MemberError(f"{site_path} 不是有效的 JSON（{exc}）") from None
    stated = data.get("schema") if isinstance(data, dict) else None
    name, _, major = version.rpartition("/")
    if not isinstance(stated, str) or stated.rpartition("/")[0] != name:
        raise MemberError(f"{site_path} 没有注明数据格式 {name}/…，不是 xuncha 站点发布的数据")
    if stated != version:
        raise MemberError(
            f"{site_path} 的数据格式是 {stated[:60]}，本程序只认得 {version}（主版本 {major}）："
            "请升级 xuncha-site，或请该成员站点确认其版本"
        )
    error = jsonschema.exceptions.best_match(_validator(schema_name).iter_errors(data))
    if error is not None:
        where = "/".join(str(step) for step in error.absolute_path) or "顶层"
        raise MemberError(f"{site_path} 不符合数据格式 {version}（位置 {where}）")
    if version == DISCLOSURE_SCHEMA:
        _disclosure_adds_up(data, site_path)


@dataclass(frozen=True)
class PublishedNotice:
    """A notice of a member's data/notices.json, as the completion figures read it (core/stats.py ``Counted``)."""

    id: str
    round_id: str
    unit: str
    notice_date: date
    published: datetime
    counts: Counts
    derived_counts: Counts

    @classmethod
    def of(cls, data: dict[str, Any]) -> PublishedNotice:
        return cls(
            id=data["id"],
            round_id=data["round"]["id"],
            unit=data["unit"],
            notice_date=date.fromisoformat(data["notice_date"]),
            published=datetime.fromisoformat(data["published"]),
            counts=Counts(**data["counts"]),
            derived_counts=Counts(**data["derived_counts"]),
        )


FIGURE_KEYS = {  # rounds.json's figures → core/stats.py's Figures
    "notices": "notices",
    "notices_counted": "counted",
    "notices_not_counted": "not_counted",
    "problems": "problems",
    **{name: name for name in STATUS_FIELDS},
    "unsplit": "unsplit",
}


def round_figures(files: dict[str, Any]) -> list[tuple[dict[str, Any], Figures]]:
    """Each round of the member's rounds.json with the completion figures of its notices in notices.json, derived by
    core/stats.py's rule (each unit's latest notice; its stated figures, else its complete derivation)."""
    try:
        notices = sorted(
            (PublishedNotice.of(n) for n in files["notices"]["notices"]),
            key=lambda n: (n.notice_date, n.published, n.id),
        )
    except (KeyError, TypeError, ValueError):
        raise MemberError("data/notices.json 中有通报的日期或数字无法读取") from None
    return [(r, figures(n for n in notices if n.round_id == r["id"])) for r in files["rounds"]["rounds"]]


def completion_adds_up(files: dict[str, Any]) -> None:
    """A member's completion figures are summed as it states them, so each round's (rounds.json) must be what its
    notices (notices.json) give by the same rule; raises MemberError otherwise."""
    for number, (round_, derived) in enumerate(round_figures(files), 1):
        stated = round_["figures"]
        same = all(stated[key] == getattr(derived, name) for key, name in FIGURE_KEYS.items())
        if not same or stated["completion_rate"] != derived.completion_rate:
            raise MemberError(
                f"data/rounds.json 中第 {number} 轮（{str(round_['name'])[:40]}）的完成情况与 data/notices.json 所列通报不符"
            )


def disclosure_totals(stated: dict[str, Any]) -> DisclosureTotals:
    """A ``totals`` object of a member's disclosure.json as the counts it states."""
    return DisclosureTotals(*(stated[key] for key in ("units", "on_time", "late", "pending", "overdue", "unknown")))


def _disclosure_adds_up(data: dict[str, Any], site_path: str) -> None:
    """A member's disclosure figures are shown as it states them, so they must agree with its own rows: each round's
    totals count its units by state, the totals sum the rounds, and each share follows core/disclosure.py's rule."""

    def agrees(stated: dict[str, Any], units: list[dict[str, Any]] | None, parts: list[DisclosureTotals]) -> bool:
        counted = disclosure_totals(stated)
        if units is not None:
            states = [unit["state"] for unit in units]
            expected = tuple(states.count(state.value) for state in Timeliness)
        else:
            expected = tuple(sum(count for _, count in (p.by_state[i] for p in parts)) for i in range(len(Timeliness)))
        return (
            tuple(count for _, count in counted.by_state) == expected
            and counted.units == sum(expected)
            and stated["share_on_time"] == completion_rate(counted.on_time, counted.decided)
        )

    rounds = []
    for number, round_ in enumerate(data["rounds"]):
        if not agrees(round_["totals"], round_["units"], []):
            raise MemberError(f"{site_path} 中第 {number + 1} 轮（{str(round_['name'])[:40]}）的合计与所列单位不符")
        rounds.append(disclosure_totals(round_["totals"]))
    if not agrees(data["totals"], None, rounds):
        raise MemberError(f"{site_path} 的总计与各轮合计不符")


@cache
def _validator(schema_name: str) -> Any:
    import jsonschema

    schema = json.loads(schema_bytes(schema_name))
    return jsonschema.Draft202012Validator(schema)


def _write_cache(root: Path, member_id: str, raw: dict[str, bytes]) -> None:
    try:
        cache_dir = cache_folder(root, MEMBERS_CACHE, member_id)
        for key in MEMBER_FILES:
            file = cache_dir / f"{key}.json"
            if key in raw:
                file.write_bytes(raw[key])
            elif file.exists():
                file.unlink()
        for file in cache_dir.glob("*.json"):  # files no longer read (units.json, read by earlier versions)
            if file.stem not in MEMBER_FILES:
                file.unlink()
    except OSError:
        pass  # a cache that cannot be written only means no fallback next time


def _read_cache(member: Member, cache_dir: Path) -> MemberData | None:
    files: dict[str, Any] = {}
    for key, (site_path, schema_name, version, required) in MEMBER_FILES.items():
        file = cache_dir / f"{key}.json"
        if not file.is_file():
            if required:
                return None
            continue
        try:
            body = file.read_bytes()
            check(body, site_path, schema_name, version)
        except (OSError, MemberError):
            return None
        files[key] = json.loads(body)
    return MemberData(member, files, fresh=False)
