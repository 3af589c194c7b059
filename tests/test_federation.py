"""Federation (issue 23): an aggregator gathers its member sites' open data over loopback HTTP or from local copies,
checks it against the published schemas, refuses unknown schema versions naming the member, and falls back on the
last good copy in .xuncha-cache — saying so — when a member is down or invalid."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from site_fixtures import OPENDATA_SITE, OPENDATA_URL, load_clean, opendata_pages

from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.model import Member, Settings
from xuncha_site.core.project import CACHE_DIR as PROJECT_CACHE_DIR
from xuncha_site.core.settings import read_settings
from xuncha_site.federation.gather import CACHE_DIR, gather
from xuncha_site.outputs.files import extra_outputs

DRAFT_MARK, EMBARGO_MARK = "草稿标记OD1", "保密标记OD2"


@pytest.fixture(scope="module")
def member_files(tmp_path_factory) -> dict[str, bytes]:
    """The open data and the search bundle a small member site publishes (tests/fixtures/site_opendata: a draft and
    an embargoed notice; shards of two notices, so that the bundle has shards/ as well)."""
    from urllib.parse import urlsplit

    from xuncha_site.search.job import index_site

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795132800")
        project = load_clean(OPENDATA_SITE / "mkdocs.yml")
        files = extra_outputs(project, OPENDATA_URL, opendata_pages(project), site_name="测试站点")
        site = tmp_path_factory.mktemp("member-search")
        path = urlsplit(OPENDATA_URL).path
        index_site(site, project.public_notices(), project.corpus.rounds, path, shard_size=2, first_search=1)
    bundle = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    return {**files, **bundle}


def write_site(folder: Path, files: dict[str, bytes]) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    for path, body in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(body)
    return folder


@pytest.fixture
def serve() -> Iterator[object]:
    """serve(folder) → the base URL of a loopback HTTP server for ``folder``, stopped after the test."""
    servers: list[ThreadingHTTPServer] = []

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that stops reading at its size limit

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    def start(folder: Path) -> str:
        server = Server(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def edited(files: dict[str, bytes], path: str, change) -> dict[str, bytes]:
    data = json.loads(files[path])
    change(data)
    return {**files, path: json.dumps(data, ensure_ascii=False).encode("utf-8")}


def settings_for(*members: Member, **values: object) -> Settings:
    return Settings(members=members, member_timeout=2, **values)  # type: ignore[arg-type]


def messages(diags: Diagnostics) -> list[str]:
    return [d.message for d in diags.items]


def test_members_are_gathered_over_http_and_from_a_local_copy(tmp_path, member_files, serve) -> None:
    served = write_site(tmp_path / "a", member_files)
    local = write_site(tmp_path / "b", member_files)
    one = Member("青岚县纪委监委", serve(served))
    two = Member("白石县纪委监委", "https://baishi.example/", path=str(local))
    diags = Diagnostics()
    gathered = gather(settings_for(one, two), tmp_path / "agg", diags)
    assert not diags.items, messages(diags)
    assert [data.member.name for data in gathered] == ["青岚县纪委监委", "白石县纪委监委"]
    assert all(data.fresh for data in gathered)
    titles = [notice["title"] for notice in gathered[0].notices]
    assert len(titles) == 3 and gathered[0].rounds
    text = json.dumps([data.files for data in gathered], ensure_ascii=False)
    assert DRAFT_MARK not in text and EMBARGO_MARK not in text
    assert (tmp_path / "agg" / CACHE_DIR / one.id / "notices.json").read_bytes() == member_files["data/notices.json"]
    ignore = tmp_path / "agg" / PROJECT_CACHE_DIR / ".gitignore"
    assert ignore.read_text(encoding="utf-8").splitlines()[-1] == "*", "the copies are kept out of git"


def test_a_member_down_falls_back_on_its_last_good_copy_and_says_so(tmp_path, member_files, serve) -> None:
    folder = write_site(tmp_path / "a", member_files)
    url = serve(folder)
    member = Member("青岚县纪委监委", url)
    gather(settings_for(member), tmp_path / "agg", Diagnostics())
    (folder / "data" / "notices.json").unlink()  # the member now answers 404 for a required file
    diags = Diagnostics()
    [data] = gather(settings_for(member), tmp_path / "agg", diags)
    assert not data.fresh and len(data.notices) == 3
    [message] = messages(diags)
    assert "青岚县纪委监委" in message and "404" in message and "上次成功读取时保存的副本" in message
    assert not diags.has_errors()


def test_an_unreachable_member_without_a_copy_is_left_out(tmp_path, member_files, serve) -> None:
    good = Member("白石县纪委监委", "https://baishi.example/", path=str(write_site(tmp_path / "b", member_files)))
    down = Member("青岚县纪委监委", "http://127.0.0.1:9/")  # discard port: nothing listens
    diags = Diagnostics()
    gathered = gather(settings_for(down, good), tmp_path / "agg", diags)
    assert [data.member.name for data in gathered] == ["白石县纪委监委"]
    [message] = messages(diags)
    assert message.startswith("成员站点“青岚县纪委监委”：无法连接 http://127.0.0.1:9/data/notices.json")
    assert "本次构建不含该成员" in message


def test_invalid_member_data_is_refused_and_the_cache_used(tmp_path, member_files, serve) -> None:
    folder = write_site(tmp_path / "a", member_files)
    member = Member("青岚县纪委监委", serve(folder))
    gather(settings_for(member), tmp_path / "agg", Diagnostics())
    bad = edited(member_files, "data/notices.json", lambda data: data["notices"][0].update(title=["<b>not text</b>"]))
    write_site(folder, bad)
    diags = Diagnostics()
    [data] = gather(settings_for(member), tmp_path / "agg", diags)
    assert not data.fresh and isinstance(data.notices[0]["title"], str)
    [message] = messages(diags)
    assert "data/notices.json 不符合数据格式 xuncha-notices/1（位置 notices/0/title）" in message
    write_site(folder, member_files)
    (folder / "data" / "rounds.json").write_text("{not json", encoding="utf-8")
    diags = Diagnostics()
    gather(settings_for(member), tmp_path / "agg", diags)
    assert "data/rounds.json 不是有效的 JSON" in messages(diags)[0]
    # the invalid read did not replace the cached copy
    cached = json.loads((tmp_path / "agg" / CACHE_DIR / member.id / "notices.json").read_bytes())
    assert isinstance(cached["notices"][0]["title"], str)


def test_a_newer_schema_major_version_is_refused_naming_the_member(tmp_path, member_files, serve) -> None:
    newer = edited(member_files, "data/rounds.json", lambda data: data.update(schema="xuncha-rounds/3"))
    member = Member("青岚县纪委监委", serve(write_site(tmp_path / "a", newer)))
    diags = Diagnostics()
    assert gather(settings_for(member), tmp_path / "agg", diags) == []
    [message] = messages(diags)
    assert "成员站点“青岚县纪委监委”" in message
    assert "data/rounds.json 的数据格式是 xuncha-rounds/3，本程序只认得 xuncha-rounds/2" in message


def test_a_file_over_the_size_limit_is_refused(tmp_path, member_files, serve) -> None:
    big = edited(member_files, "data/notices.json", lambda data: data.update(padding="x" * (1024 * 1024 + 10)))
    member = Member("青岚县纪委监委", serve(write_site(tmp_path / "a", big)))
    diags = Diagnostics()
    assert gather(settings_for(member, member_size_limit=1), tmp_path / "agg", diags) == []
    assert "超过大小上限 1 MB" in messages(diags)[0]


def test_member_text_stays_data_exactly_as_published(tmp_path, member_files, serve) -> None:
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    hostile = edited(member_files, "data/notices.json", lambda data: data["notices"][0].update(title=payload))
    member = Member("<b>县</b>", serve(write_site(tmp_path / "a", hostile)))
    [data] = gather(settings_for(member), tmp_path / "agg", Diagnostics())
    assert data.notices[0]["title"] == payload  # kept as text; pages escape it


def _settings_from(tmp_path: Path, members_yaml: str) -> tuple[Settings | None, list[str]]:
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: 联合\nplugins:\n  - xuncha:\n      members:\n{members_yaml}", encoding="utf-8")
    options = yaml.safe_load(config.read_text(encoding="utf-8"))["plugins"][0]["xuncha"]
    diags = Diagnostics()
    settings = read_settings(options, config, diags)
    return settings, [d.format() for d in diags.sorted()]


def test_members_are_read_from_the_settings_with_chinese_errors_and_lines(tmp_path) -> None:
    settings, problems = _settings_from(
        tmp_path,
        "        - name: 青岚县纪委监委\n"
        "          url: https://qinglanxian.example\n"
        "          path: ../members/qinglan-xian/site\n",
    )
    assert not problems
    assert settings is not None
    assert settings.members == (
        Member("青岚县纪委监委", "https://qinglanxian.example/", "../members/qinglan-xian/site"),
    )
    assert settings.members[0].id == "qinglanxian.example"
    _, problems = _settings_from(
        tmp_path,
        "        - name: 甲\n"
        "          url: ftp://a.example/\n"
        "        - name: 乙\n"
        "          url: https://b.example/\n"
        "          bogus: 1\n"
        "        - name: 丙\n"
        "          url: https://b.example\n"
        "        - url: https://c.example/\n",
    )
    assert problems == [
        "mkdocs.yml:6: 错误: 成员站点“甲”的网址“ftp://a.example/”不是有效的网址：应写成 https://xuncha.example/ 这样的完整地址",
        "mkdocs.yml:9: 错误: 成员站点：未知字段“bogus”",
        "mkdocs.yml:11: 错误: 成员站点“丙”的网址与“乙”重复",
        "mkdocs.yml:12: 错误: 成员站点：缺少必填字段“name”（成员站点名称）",
    ]


# --- the aggregator's build ---------------------------------------------------------------------------------------

THEME = Path(__file__).parent.parent / "theme"
PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def aggregator(folder: Path, members: str) -> Path:
    """An aggregating site with no records of its own: an empty notices folder, no rounds, only members."""
    (folder / "content" / "notices").mkdir(parents=True)
    (folder / "content" / "rounds").mkdir()
    (folder / "pages").mkdir()
    (folder / "pages" / "about.md").write_text("# 关于本站\n\n联合站点。\n", encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(
        "site_name: 青岚市巡察整改公开（联合）\nsite_url: https://city.example/\ndocs_dir: pages\n"
        f"theme:\n  name: material\n  custom_dir: {THEME}\n  language: zh\n  font: false\n"
        f"plugins:\n  - xuncha:\n      owner: 青岚市纪委监委\n      members:\n{members}",
        encoding="utf-8",
    )
    return config


def test_an_aggregator_without_records_lists_its_members(tmp_path, member_files, serve, read_page) -> None:
    from site_fixtures import build_mkdocs_site

    hostile = edited(member_files, "data/notices.json", lambda data: data["notices"][0].update(title=PAYLOAD))
    url = serve(write_site(tmp_path / "qinglan", hostile))
    write_site(tmp_path / "baishi", member_files)
    config = aggregator(
        tmp_path / "city",
        f"        - name: 青岚县纪委监委<i>\n          url: {url}\n"
        "        - name: 白石县纪委监委\n          url: https://baishi.example/\n          path: ../baishi\n",
    )
    site = build_mkdocs_site(config, tmp_path / "city" / "site")
    index = read_page(site, "members/")
    items = index.select(".xc-member-index > li")
    assert [li.a.get_text() for li in items] == ["青岚县纪委监委<i>", "白石县纪委监委"]
    assert "巡察2轮 · 通报3篇" in items[0].get_text(" ", strip=True)
    from datetime import date

    from xuncha_site.core.text import cn_date

    newest = max(n["published"] for n in json.loads(hostile["data/notices.json"])["notices"])  # the last update
    assert f"最近发布 {cn_date(date.fromisoformat(newest[:10]))}" in items[0].get_text(" ", strip=True)
    rounds = json.loads(member_files["data/rounds.json"])["rounds"]
    units = [unit for round_ in rounds for group in round_["groups"] for unit in group["units"]]
    disclosed, overdue = (sum(1 for unit in units if unit[key]) for key in ("disclosed", "overdue"))
    assert f"被巡察单位{len(units)}个次，已公开{disclosed}、逾期{overdue}" in items[0].get_text("", strip=True)
    totals = index.select_one(".xc-member-index__totals").get_text("", strip=True)
    assert f"共{2 * len(units)}个次，其中已公开整改进展{2 * disclosed}个次、逾期未公开{2 * overdue}个次" in totals
    assert 0 < disclosed < len(units) and overdue
    assert [li.select_one(".xc-member-index__site")["href"] for li in items] == [url, "https://baishi.example/"]
    assert [a.get_text() for a in index.select("nav a") if a.get_text() == "成员站点"]
    member_id = items[0].a["href"].rstrip("/").rsplit("/", 1)[-1]
    page = read_page(site, f"members/{member_id}/")
    links = page.select(".xc-member-notices a")
    assert len(links) == 3
    assert all(a["href"].startswith(OPENDATA_URL + "notices/") for a in links)  # the member's own pages
    assert PAYLOAD in [a.get_text() for a in links]  # shown as text
    every = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".xml"}  # JSON carries text as data
    )
    assert '<script>alert("xss")' not in every and "<img src=x" not in every and "<i>" not in every
    assert DRAFT_MARK not in every and EMBARGO_MARK not in every
    # both members' search bundles are copied, the one given by its URL only over HTTP
    listed = json.loads((site / "members" / "search.json").read_text(encoding="utf-8"))["members"]
    assert [m["name"] for m in listed] == ["青岚县纪委监委<i>", "白石县纪委监委"]
    for entry in listed:
        assert (site / "members" / entry["bundle"] / "xuncha-search.json").read_bytes() == hostile[
            "pagefind/xuncha-search.json"
        ]
        assert not (site / "members" / entry["bundle"] / "pagefind.js").exists()  # the aggregator's runtime searches
    # the feed of all members' newest notices links to the members' own pages
    import feedparser

    assert index.find("a", string="订阅各成员站点的最新通报（RSS）")["href"] == "../members/feed.xml"
    feed = feedparser.parse((site / "members" / "feed.xml").read_bytes())
    assert not feed.bozo
    entries = feed.entries
    assert len(entries) == 6  # 3 notices of each member, feed_size 20
    assert {e.tags[0].term for e in entries} == {"青岚县纪委监委<i>", "白石县纪委监委"}
    assert all(e.link.startswith(OPENDATA_URL + "notices/") for e in entries)
    assert PAYLOAD in [e.title for e in entries]
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert json.loads((site / "members" / "feed.json").read_text(encoding="utf-8"))["items"]


def test_the_aggregator_says_when_a_member_is_shown_from_its_last_copy(
    tmp_path, member_files, serve, read_page, caplog
) -> None:
    from mkdocs.exceptions import Abort
    from site_fixtures import build_mkdocs_site

    folder = write_site(tmp_path / "qinglan", member_files)
    config = aggregator(tmp_path / "city", f"        - name: 青岚县纪委监委\n          url: {serve(folder)}\n")
    build_mkdocs_site(config, tmp_path / "city" / "site")
    (folder / "data" / "rounds.json").unlink()
    site = build_mkdocs_site(config, tmp_path / "city" / "site")
    assert "mkdocs.yml:14: 警告: 成员站点“青岚县纪委监委”：读取 " in caplog.text  # the line of its url
    [item] = read_page(site, "members/").select(".xc-member-index > li")
    assert "本次未能读取，显示的是上次成功读取的数据" in item.get_text()
    member = read_page(site, item.a["href"].removeprefix("../"))
    assert "本次构建未能读取该站点" in member.get_text() and len(member.select(".xc-member-notices a")) == 3
    # in strict mode the warning fails the build
    config.write_text(config.read_text(encoding="utf-8") + "      strict: true\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_mkdocs_site(config, tmp_path / "city" / "site")
    assert "严格模式下成员站点的警告也算失败（0 个错误，1 个警告），站点未构建" in caplog.text


# --- disclosure timeliness across members -------------------------------------------------------------------------

DISCLOSURE = "data/disclosure.json"
STATE_KEYS = ("on_time", "late", "pending", "overdue", "unknown")


def without_disclosure(files: dict[str, bytes]) -> dict[str, bytes]:
    """A member of an older version: it publishes no disclosure.json nor units.json."""
    return {path: body for path, body in files.items() if not path.startswith(("data/disclosure", "data/units"))}


def test_members_disclosure_is_gathered_when_published_and_units_json_not_read(tmp_path, member_files, serve) -> None:
    new = Member("白石县纪委监委", serve(write_site(tmp_path / "b", member_files)))
    old = Member("青岚县纪委监委", serve(write_site(tmp_path / "a", without_disclosure(member_files))))
    stale = tmp_path / "agg" / CACHE_DIR / new.id / "units.json"  # cached by an earlier version
    stale.parent.mkdir(parents=True)
    stale.write_bytes(member_files["data/units.json"])
    diags = Diagnostics()
    with_data, without = gather(settings_for(new, old), tmp_path / "agg", diags)
    assert not diags.items, messages(diags)
    assert with_data.disclosure == json.loads(member_files[DISCLOSURE])
    assert without.disclosure is None  # absent: fine
    assert "units" not in with_data.files and not stale.exists()  # no page uses it: not read, not kept
    cached = tmp_path / "agg" / CACHE_DIR / new.id
    assert (cached / "disclosure.json").read_bytes() == member_files[DISCLOSURE]
    assert not (tmp_path / "agg" / CACHE_DIR / old.id / "disclosure.json").exists()


def test_an_invalid_disclosure_file_falls_back_on_the_cache_naming_the_member(tmp_path, member_files, serve) -> None:
    folder = write_site(tmp_path / "a", member_files)
    member = Member("青岚县纪委监委", serve(folder))
    gather(settings_for(member), tmp_path / "agg", Diagnostics())
    write_site(folder, edited(member_files, DISCLOSURE, lambda data: data.update(schema="xuncha-disclosure/2")))
    diags = Diagnostics()
    [data] = gather(settings_for(member), tmp_path / "agg", diags)
    [message] = messages(diags)
    assert message.startswith("成员站点“青岚县纪委监委”：data/disclosure.json 的数据格式是 xuncha-disclosure/2，")
    assert "本程序只认得 xuncha-disclosure/1" in message and "上次成功读取时保存的副本" in message
    assert not data.fresh and data.disclosure == json.loads(member_files[DISCLOSURE])

    # figures that do not add up to the member's own rows are refused too: they would be shown as stated
    def inflate(data: dict) -> None:
        data["totals"]["on_time"] += 1
        data["totals"]["units"] += 1

    write_site(folder, edited(member_files, DISCLOSURE, inflate))
    diags = Diagnostics()
    [data] = gather(settings_for(member), tmp_path / "agg", diags)
    assert "data/disclosure.json 的总计与各轮合计不符" in messages(diags)[0] and not data.fresh
    write_site(
        folder, edited(member_files, DISCLOSURE, lambda data: data["rounds"][0]["units"][0].update(state="on_time"))
    )
    diags = Diagnostics()
    gather(settings_for(member), tmp_path / "agg", diags)
    assert "data/disclosure.json 中第 1 轮（测试市委第二轮巡察）的合计与所列单位不符" in messages(diags)[0]


def test_the_members_page_shows_each_members_disclosure_as_stated_and_their_sums(
    tmp_path, member_files, serve, read_page
) -> None:
    from site_fixtures import build_mkdocs_site

    def hostile(data: dict) -> None:
        data["rounds"][1]["units"][0].update(name=PAYLOAD, url="javascript:alert(1)")

    stated = edited(member_files, DISCLOSURE, hostile)
    write_site(tmp_path / "baishi", stated)
    url = serve(write_site(tmp_path / "qinglan", without_disclosure(member_files)))
    config = aggregator(
        tmp_path / "city",
        "        - name: 白石县纪委监委\n          url: https://baishi.example/\n          path: ../baishi\n"
        f"        - name: 青岚县纪委监委\n          url: {url}\n",
    )
    site = build_mkdocs_site(config, tmp_path / "city" / "site")
    report = json.loads(stated[DISCLOSURE])
    totals = report["totals"]
    assert totals["late"] and totals["pending"] and totals["overdue"]  # the fixture exercises several states
    index = read_page(site, "members/")
    table = index.select_one("table.xc-member-disclosure")
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    assert heads[2:7] == ["按时公开", "逾期公开", "尚未公开（未到期限）", "逾期未公开", "无反馈日期"]
    baishi, qinglan = table.select("tbody tr")
    assert baishi.th.get_text(strip=True) == "白石县纪委监委"
    cells = [td.get_text("", strip=True) for td in baishi.select("td")]
    assert cells[:6] == [f"单位：{totals['units']}"] + [
        f"{h}：{totals[k]}" for h, k in zip(heads[2:7], STATE_KEYS, strict=True)
    ]
    assert cells[6] == f"按时公开率：{totals['share_on_time']:.1f}%"
    assert cells[7] == "统计截至：2026年11月20日" and cells[8] == f"公开期限：反馈后 {report['deadline_days']} 天"
    assert qinglan.select_one("td").get_text(strip=True) == "未发布公开及时性数据（不计入合计）"
    # the totals count only the member that publishes its figures, and say how they are derived
    foot = [td.get_text("", strip=True) for td in table.select("tfoot td")]
    assert table.select_one("tfoot th").get_text(strip=True) == "合计（1个站点所列之和）"
    assert foot[:6] == cells[:6] and foot[6] == f"按时公开率：{totals['share_on_time']:.1f}%（由合计算出）"
    text = index.select_one("#disclosure").get_text("", strip=True)
    assert (
        "1个成员站点发布了公开及时性数据，合计：共 5 个单位：逾期公开 2 个、尚未公开（未到期限） 1 个、逾期未公开 2 个"
        in text
    )
    assert "按时公开率 = 按时公开 ÷（按时公开 + 逾期公开 + 逾期未公开）" in text
    assert "合计是这些数字之和" in text and "未发布公开及时性数据的成员站点不计入合计" in text

    # a member's page: its disclosure round by round, as its file lists it, linking to its own pages
    href = baishi.a["href"].removeprefix("../")
    page = read_page(site, href)
    sections = page.select("#disclosure section")
    assert [s.h3.get_text(strip=True) for s in sections] == [r["name"] for r in report["rounds"]]
    assert [s.h3.a["href"] for s in sections] == [r["url"] for r in report["rounds"]]
    for section, round_ in zip(sections, report["rounds"], strict=True):
        rows = section.select("tbody tr")
        assert [r.th.get_text() for r in rows] == [u["name"] for u in round_["units"]]
        for row, unit in zip(rows, round_["units"], strict=True):
            verdict = row.select("td")[-1].get_text("", strip=True)
            assert verdict.startswith("及时性：" + unit["state_label"])
            if unit["days_late"] is not None:
                assert f"{unit['days_late']} 天" in verdict
            assert row["class"] == [f"xc-timeliness--{unit['state']}"]
    hostile_row = sections[1].select("tbody tr")[0]
    assert hostile_row.th.get_text() == PAYLOAD and hostile_row.th.a["href"] == "https://baishi.example/"
    first = sections[1].select("tbody tr")[1]
    assert first.select_one("td a")["href"].startswith(OPENDATA_URL + "notices/")  # the member's notice page
    old_page = read_page(site, qinglan.a["href"].removeprefix("../"))
    assert "该站点未发布公开及时性数据（data/disclosure.json）" in old_page.select_one("#disclosure").get_text()
    every = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert '<script>alert("xss")' not in every and "javascript:alert" not in every


# --- members' search bundles --------------------------------------------------------------------------------------

BUNDLE_DATA = (".json", ".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment")


def bundle_of(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files of a member's bundle that an aggregator copies: data, never pagefind.js or its WebAssembly, nor the
    first bundle's result blocks (the aggregator shows its members' results from their fragments)."""
    from xuncha_site.search.job import FIRST_BLOCKS_DIR, FIRST_DIR

    blocks = f"pagefind/{FIRST_DIR}/{FIRST_BLOCKS_DIR}/"
    return {
        path.removeprefix("pagefind/"): body
        for path, body in files.items()
        if path.startswith("pagefind/") and path.endswith(BUNDLE_DATA) and not path.startswith(blocks)
    }


def copied(site: Path, member: Member) -> dict[str, bytes]:
    folder = site / "members" / member.id / "pagefind"
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def copy_bundles(tmp_path: Path, *members: Member, **values: object) -> tuple[dict, Diagnostics]:
    from xuncha_site.federation.bundle import copy_search_bundles

    settings = settings_for(*members, **values)
    diags = Diagnostics()
    data = gather(settings, tmp_path / "agg", diags)
    listed = copy_search_bundles(data, tmp_path / "agg", tmp_path / "site", settings, diags, shown="mkdocs.yml")
    return listed, diags


def test_a_member_given_by_url_only_has_its_search_bundle_copied_over_http(tmp_path, member_files, serve) -> None:
    from xuncha_site.search.pagefind.index import read_fragment

    expected = bundle_of(member_files)
    assert any(p.startswith("shards/") for p in expected) and any(p.startswith("first/") for p in expected)
    assert "pagefind/pagefind.js" in member_files and "pagefind.js" not in expected
    served = write_site(tmp_path / "a", member_files)
    (served / "pagefind" / "extra.html").write_text("<script>alert(1)</script>", encoding="utf-8")  # never asked for
    http = Member("青岚县纪委监委", serve(served))
    local = Member("白石县纪委监委", "https://baishi.example/", path=str(write_site(tmp_path / "b", member_files)))
    listed, diags = copy_bundles(tmp_path, http, local)
    assert not diags.items, messages(diags)
    assert listed == {
        "members": [
            {"name": "青岚县纪委监委", "url": http.url, "bundle": f"{http.id}/pagefind/"},
            {"name": "白石县纪委监委", "url": local.url, "bundle": f"{local.id}/pagefind/"},
        ]
    }
    assert copied(tmp_path / "site", http) == expected == copied(tmp_path / "site", local)
    cache = tmp_path / "agg" / CACHE_DIR / http.id / "pagefind"
    assert {str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file()} == set(expected)
    assert (tmp_path / "agg" / PROJECT_CACHE_DIR / ".gitignore").is_file(), "the copies are kept out of git"
    fragments = [p for p in (tmp_path / "site").rglob("*.pf_fragment")]
    text = json.dumps([read_fragment(p) for p in fragments], ensure_ascii=False)
    assert fragments and DRAFT_MARK not in text and EMBARGO_MARK not in text


def test_a_members_bundle_falls_back_on_its_cached_copy_when_the_member_is_down(tmp_path, member_files, serve) -> None:
    folder = write_site(tmp_path / "a", member_files)
    member = Member("青岚县纪委监委", serve(folder))
    copy_bundles(tmp_path, member)
    shutil.rmtree(folder / "pagefind" / "fragment")  # a half-published bundle: some fragments answer 404
    listed, diags = copy_bundles(tmp_path, member)
    [message] = messages(diags)
    assert message.startswith("成员站点“青岚县纪委监委”的搜索索引：读取 ") and "404" in message
    assert f"改用上次成功读取时保存的副本（{CACHE_DIR}/{member.id}/pagefind/）" in message
    assert listed["members"] and copied(tmp_path / "site", member) == bundle_of(member_files)
    shutil.rmtree(tmp_path / "agg" / CACHE_DIR)
    listed, diags = copy_bundles(tmp_path, member)
    assert (
        listed == {"members": []}
        and "也没有上次的副本，其通报列在成员页上，但不在本站搜索范围内" in messages(diags)[-1]
    )


def _fragment(files: dict[str, bytes], change) -> dict[str, bytes]:
    import gzip

    path = next(p for p in sorted(files) if p.endswith(".pf_fragment"))
    data = json.loads(gzip.decompress(files[path])[12:])
    change(data)
    raw = b"pagefind_dcd" + json.dumps(data, ensure_ascii=False).encode()
    return {**files, path: gzip.compress(raw)}


def _entry(files: dict[str, bytes], change) -> dict[str, bytes]:
    return edited(files, "pagefind/pagefind-entry.json", change)


def _bomb(files: dict[str, bytes]) -> dict[str, bytes]:
    import gzip

    path = next(p for p in sorted(files) if p.endswith(".pf_index"))
    return {**files, path: gzip.compress(b"pagefind_dcd" + b"\0" * (1024 * 1024 + 1))}


@pytest.mark.parametrize(
    ("tamper", "said"),
    [
        (
            lambda f: edited(f, "pagefind/xuncha-search.json", lambda d: d.update(schema="xuncha-search/2")),
            "xuncha-search/2",
        ),
        (
            lambda f: edited(f, "pagefind/xuncha-search.json", lambda d: d.update(shards=["../../data/"])),
            "不认得的目录",
        ),
        (lambda f: _entry(f, lambda d: d.update(version="2.0.0")), "Pagefind 版本是 2.0.0"),
        (lambda f: _entry(f, lambda d: d["languages"]["und"].update(hash="../../../etc/passwd")), "文件名不对"),
        (lambda f: _fragment(f, lambda d: d.update(url="javascript:alert(1)")), "网址不是该站点上的路径"),
        (lambda f: _fragment(f, lambda d: d["meta"].update(url="//evil.example/")), "网址不是该站点上的路径"),
        (lambda f: {**f, next(p for p in sorted(f) if p.endswith(".pf_filter")): b"<html>"}, "不是有效的压缩文件"),
        (_bomb, "解压后超过大小上限 1 MB"),
    ],
)
def test_a_hostile_or_broken_bundle_is_refused_and_nothing_of_it_copied(
    tmp_path, member_files, serve, tamper, said
) -> None:
    member = Member("青岚县纪委监委", serve(write_site(tmp_path / "a", tamper(member_files))))
    listed, diags = copy_bundles(tmp_path, member, member_size_limit=1)
    assert listed == {"members": []}
    [message] = messages(diags)
    assert message.startswith("成员站点“青岚县纪委监委”的搜索索引：") and said in message, message
    assert not (tmp_path / "site" / "members").exists()


def test_a_bundle_file_over_the_size_limit_is_refused(tmp_path, member_files, serve) -> None:
    padded = edited(member_files, "pagefind/xuncha-search.json", lambda d: d.update(padding="x" * (10 * 1024 * 1024)))
    member = Member("青岚县纪委监委", serve(write_site(tmp_path / "a", padded)))
    listed, diags = copy_bundles(tmp_path, member, member_size_limit=1)
    assert listed == {"members": []} and "超过大小上限 1 MB" in messages(diags)[0]


# --- completion across members ------------------------------------------------------------------------------------

FIGURE_KEYS = ("problems", "completed", "basically_completed", "in_progress", "long_term", "not_completed", "unsplit")


def stated_sums(*files: dict[str, bytes]) -> dict[str, int]:
    """What every member's rounds.json states, summed over its rounds and over the members (the page's sources)."""
    rounds = [r for f in files for r in json.loads(f["data/rounds.json"])["rounds"]]
    keys = ("notices", "notices_counted", "notices_not_counted", *FIGURE_KEYS)
    return {key: sum(r["figures"][key] for r in rounds) for key in keys}


def test_completion_across_members_is_the_sum_of_what_members_state_and_says_what_is_left_out(
    tmp_path, member_files, serve, read_page
) -> None:
    from site_fixtures import build_mkdocs_site

    from xuncha_site.core.model import completion_rate

    def more_done(data: dict) -> None:  # a second member whose notices of one unit state other figures
        for notice in data["notices"]:
            if notice["id"].startswith("r1/jia"):
                notice["counts"].update(problems=5, completed=3, in_progress=1, completion_rate=60.0)

    second = edited(member_files, "data/notices.json", more_done)
    rounds = json.loads(second["data/rounds.json"])
    figures = rounds["rounds"][1]["figures"]
    figures.update(problems=5, completed=3, in_progress=1, unsplit=1, completion_rate=60.0)
    second["data/rounds.json"] = json.dumps(rounds, ensure_ascii=False).encode()
    write_site(tmp_path / "baishi", member_files)
    url = serve(write_site(tmp_path / "qinglan", second))
    config = aggregator(
        tmp_path / "city",
        "        - name: 白石县纪委监委\n          url: https://baishi.example/\n          path: ../baishi\n"
        f"        - name: 青岚县纪委监委\n          url: {url}\n"
        "        - name: 赤水县纪委监委\n          url: http://127.0.0.1:9/\n",  # down, never read: no copy
    )
    site = build_mkdocs_site(config, tmp_path / "city" / "site")
    section = read_page(site, "members/").select_one("#completion")
    rows = section.select("tbody tr")
    assert [r.th.get_text(strip=True) for r in rows] == ["白石县纪委监委", "青岚县纪委监委"]
    heads = [th.get_text(strip=True) for th in section.select("thead th")]
    assert heads == ["成员站点", "计入的通报", "未写明完成情况（未计入）", "问题总数", "已完成", "基本完成", "正在整改",
                     "长期坚持", "未完成", "通报未分项写明", "完成率"]  # fmt: skip

    def cells(row) -> list[str]:
        return [td.get_text("", strip=True).rpartition("：")[2] for td in row.select("td")]

    for row, files in zip(rows, (member_files, second), strict=True):
        stated = stated_sums(files)  # every figure is traced back to the member's own rounds.json
        wanted = [stated["notices_counted"], stated["notices_not_counted"], *(stated[k] for k in FIGURE_KEYS)]
        rate = completion_rate(stated["completed"], stated["problems"])
        assert cells(row) == [str(n) for n in wanted] + [f"{rate:g}%"]
    total = stated_sums(member_files, second)
    rate = completion_rate(total["completed"], total["problems"])
    foot = section.select_one("tfoot tr")
    assert foot.th.get_text(strip=True) == "合计（2个站点之和）"
    assert cells(foot)[:-1] == [str(total["notices_counted"]), str(total["notices_not_counted"])] + [
        str(total[k]) for k in FIGURE_KEYS
    ]
    assert cells(foot)[-1] == f"{rate:g}%（由合计算出）" and rate == 71.4  # 5 of 7, over both members
    text = section.select_one(".xc-member-completion__coverage").get_text("", strip=True)
    earlier = total["notices"] - total["notices_counted"] - total["notices_not_counted"]
    assert text == (
        f"2个成员站点共{total['notices']}篇通报：完成率按{total['notices_counted']}篇写明完成情况的通报计算，"
        f"另有{total['notices_not_counted']}篇未写明，未计入；另有{earlier}篇是同一单位较早的通报，按规则只计每个单位最新一篇。"
        "本次未能汇集的成员站点（赤水县纪委监委）不计入。"
    )
    assert earlier == 2 and total["notices_not_counted"] == 2
    assert "按每个单位最新一篇通报统计" in section.get_text()
    # a member's page: its rounds as its rounds.json states them, linking to its own round pages, and their sums
    page = read_page(site, rows[1].a["href"].removeprefix("../")).select_one("#completion")
    stated = json.loads(second["data/rounds.json"])["rounds"]
    lines = page.select("tbody tr")
    assert [(r.th.get_text(strip=True), r.a["href"]) for r in lines] == [(r["name"], r["url"]) for r in stated]
    for line, round_ in zip(lines, stated, strict=True):
        figures = round_["figures"]
        wanted = [figures[k] for k in ("notices_counted", "notices_not_counted", *FIGURE_KEYS)]
        rate = "—" if figures["completion_rate"] is None else f"{figures['completion_rate']:g}%"
        assert cells(line) == [str(n) for n in wanted] + [rate]
    assert cells(page.select_one("tfoot tr")) == [*cells(rows[1])[:-1], cells(rows[1])[-1] + "（由合计算出）"]
    assert page.select_one(".xc-member-completion__coverage").get_text(strip=True) == (
        "该站点共3篇通报：完成率按1篇写明完成情况的通报计算，另有1篇未写明，未计入；另有1篇是同一单位较早的通报，"
        "按规则只计每个单位最新一篇。"
    )


def test_completion_figures_that_disagree_with_the_members_notices_are_refused(tmp_path, member_files, serve) -> None:
    def inflate(data: dict) -> None:
        figures = data["rounds"][1]["figures"]
        figures.update(completed=figures["completed"] + 1, problems=figures["problems"] + 1)
        figures["completion_rate"] = round(100 * figures["completed"] / figures["problems"], 1)

    folder = write_site(tmp_path / "a", member_files)
    member = Member("青岚县纪委监委", serve(folder))
    gather(settings_for(member), tmp_path / "agg", Diagnostics())
    write_site(folder, edited(member_files, "data/rounds.json", inflate))
    diags = Diagnostics()
    [data] = gather(settings_for(member), tmp_path / "agg", diags)
    [message] = messages(diags)
    assert message.startswith("成员站点“青岚县纪委监委”：data/rounds.json 中第 2 轮（测试市委第一轮巡察）的完成情况")
    assert "与 data/notices.json 所列通报不符" in message and "上次成功读取时保存的副本" in message
    assert not data.fresh and data.rounds == json.loads(member_files["data/rounds.json"])["rounds"]


# --- xuncha check on an aggregator --------------------------------------------------------------------------------


def test_check_reports_unreachable_and_invalid_members_at_their_lines_and_fails_only_when_strict(
    tmp_path, member_files, serve, capsys
) -> None:
    from xuncha_site.commands.cli import main

    good = serve(write_site(tmp_path / "good", member_files))
    flaky_folder = write_site(tmp_path / "flaky", member_files)
    flaky = serve(flaky_folder)
    newer = edited(member_files, "data/notices.json", lambda data: data.update(schema="xuncha-notices/2"))
    invalid = serve(write_site(tmp_path / "newer", newer))
    config = aggregator(
        tmp_path / "city",
        f"        - name: 青岚县纪委监委\n          url: {good}\n"
        f"        - name: 白石县纪委监委\n          url: {flaky}\n"
        f"        - name: 赤水县纪委监委\n          url: {invalid}\n",
    )
    root = tmp_path / "city"
    gather(Settings(members=(Member("白石县纪委监委", flaky),)), root, Diagnostics())  # a build read it once
    shutil.rmtree(flaky_folder)  # now it is down: 404 for every file
    status = main(["check", "-f", str(config)])
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert status == 0, err
    search, copy = sorted(line for line in lines if "白石县纪委监委" in line)
    assert (
        copy.startswith("mkdocs.yml:16: 警告: 成员站点“白石县纪委监委”：读取 ") and "上次成功读取时保存的副本" in copy
    )
    assert search.startswith("mkdocs.yml:16: 警告: 成员站点“白石县纪委监委”的搜索索引：读取 ")  # no copy of it kept
    [refused] = [line for line in lines if "赤水县纪委监委" in line]
    assert refused.startswith(
        "mkdocs.yml:18: 警告: 成员站点“赤水县纪委监委”：data/notices.json 的数据格式是 xuncha-notices/2"
    )
    assert "也没有上次的副本" in refused
    assert not [line for line in lines if "青岚县纪委监委" in line]  # read well, its search bundle too
    assert "成员站点 3 个：读取正常 1 个、改用上次的副本 1 个、不可用 1 个" in lines[-1]
    assert lines[-1].startswith("检查通过：")
    assert not (root / CACHE_DIR / Member("青岚县纪委监委", good).id).exists()  # check keeps no copy
    # strict: the same warnings fail the check, as they fail a strict build
    assert main(["check", "--strict", "-f", str(config)]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith("检查未通过：0 个错误，3 个警告")


def test_a_whole_bundle_is_bounded_in_size_and_time(member_files) -> None:
    from xuncha_site.federation.bundle import read_bundle
    from xuncha_site.federation.gather import MB, MemberError

    bundle = bundle_of(member_files)
    read = bundle.__getitem__
    whole = read_bundle(read, limit=MB, total=100 * MB, seconds=60, parallel=4)
    assert whole.files == bundle
    with pytest.raises(MemberError, match=r"^搜索索引超过大小上限 0 MB（member_size_limit 的 10 倍）$"):
        read_bundle(read, limit=MB, total=whole.size - 1, seconds=60)
    with pytest.raises(MemberError, match=r"^读取搜索索引超过 0 秒（member_timeout 的 30 倍）$"):
        read_bundle(read, limit=MB, total=100 * MB, seconds=0)
    head = read_bundle(read, limit=MB, total=100 * MB, seconds=60, whole=False)  # xuncha check: no chunks
    assert all(path.endswith((".json", ".pf_meta")) for path in head.files) and len(head.files) < len(bundle)
