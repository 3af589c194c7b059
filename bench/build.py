"""Build bench: ``xuncha build`` against the floor — plain MkDocs + Material over the same notices.

    python bench/build.py --notices 1000 [--repeat 3] [--out bench/out/build] [--skip-browser]
    python bench/build.py --notices 10000 --only-xuncha     # one xuncha build: time and peak memory
    python bench/build.py --notices 1000 --preview-only     # xuncha serve: from saving an edit to the reloaded page
    python bench/build.py --notices 1000 --first-search     # bytes of each bench query's first search, per part

Generates N fictional notices (≈ 15 KB each, the five problem-tree shapes of the example content, spread over rounds
and units, a few notices per unit), then times, each ``--repeat`` times (median):

(a) ``xuncha build`` of the record site, in a fresh process, with the time spent in search indexing measured inside it;
(b) the floor: ``mkdocs build`` with Material of the same notices as ordinary Markdown pages (``# title`` + body), not
    in the nav, without the search plugin;

and again at 4N. Peak memory is that of the whole process tree (Python and the forked search indexer), sampled. It then
builds Material's ``search_index.json`` (search plugin, ``lang: zh``, jieba) of the N notices and measures the bytes
a first query fetches from the xuncha site in Chromium. The last line is::

    notices=N overhead=… search_share=… growth=… search_bytes_ratio=… peak_mb=… first_query_kb=… first_query_raw_kb=…
    cpu_overhead=… cpu_overhead_4n=… cpu_growth=… peak_pss_mb=… peak_ratio=…
    preview_s=… preview_body_s=… preview_front_s=… preview_round_s=… preview_full_s=… preview_ratio=…

overhead = (a − search indexing) / b at N; search_share = search indexing / b at N; growth = a(4N) / a(N);
search_bytes_ratio = bytes of the largest first query / size of Material's search_index.json; peak_mb = peak memory
of the xuncha build at 4N; first_query_kb and first_query_raw_kb = the largest first search over the bench queries at N,
as transferred with the compression of deploy/nginx/xuncha-site.conf and as bytes of the responses (``--first-search``
prints them per query and per part: runtime, entry and meta, index chunks, fragments). preview_s = the slowest of
preview_body_s, preview_front_s and preview_round_s, each the median seconds from saving an edit (to a notice's body,
to its front matter, to its round's file) until Chromium shows it in ``xuncha serve`` at N (``--preview-only`` measures
only these; ``--skip-preview`` leaves them out). The preview sees a save through the system's file events, renders
the page open in the browser first and has it reloaded, then the other pages the edit affects; ``serve.log`` in the
records folder gives each refresh's time and when the open page was shown (…用时 X 秒（浏览器中打开的页面 Y 秒后已刷新）); preview_full_s = the same body edit built in full (Enter pressed
with the save, as every save was built before), measured in the same run, and preview_ratio = preview_s /
preview_full_s. The line before it gives overhead, search_share and growth from CPU seconds of the
process trees, which other load on the machine hardly changes (wall times on a busy machine vary by 2-5x).
cpu_overhead, cpu_overhead_4n and cpu_growth are those CPU-time figures (at N, at 4N; the issue's targets); the
overheads are medians of the ratio within each pair of builds run one after the other (xuncha, then the floor, then
the floor first in the next pair), as each run's line shows its CPU seconds;
peak_pss_mb = peak of the xuncha build's summed PSS at 4N (a page that the build and the forked indexer share is
counted once; peak_mb sums RSS and counts it twice); peak_ratio = peak_pss_mb / the floor's peak PSS at 4N. The line
“内存去向” says where the memory goes: the build process's RSS (and CPU seconds) after each step and its peak; each
child's peak RSS, by what it is (the spawned search indexer, the forked process that makes its documents,
multiprocessing's resource tracker, Pagefind); and the process tree's peak PSS split by process, as sampled then.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_EPOCH = "1795132800"  # 2026-11-20T00:00Z: every synthetic notice is published before it


def _load_search_bench():
    """bench/search.py, for its vocabulary and its first-query measurement (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_search", Path(__file__).with_name("search.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


words = _load_search_bench()

# ---------------------------------------------------------------------------------------------------------------
# A synthetic site of fictional notices.

DISTRICTS = words._words(
    "城关 江北 河西 新区 高新 滨湖 开发 临港 山南 湖东 桥头 古城 南湖 北山 东城 西城 中心 江南 湖西 云台"
)
UNITS_PER_ROUND = 24
TWO_NOTICES = 8  # the first units of a round publish twice (进展, then 完成) …
THREE_NOTICES = 3  # … and the first of those three times (进展, 阶段性进展, 完成): 35 notices a round
# A unit's notices of a round name the same problems (the tracker on its unit page follows them, core/tracking.py);
# a later notice rewords some titles, as real ones do.
REWORDINGS = (
    ("不到位", "不够到位"),
    ("不规范", "不够规范"),
    ("不严格", "执行不严"),
    ("薄弱", "较为薄弱"),
    ("不够", "仍不够"),
)


def _stages(rng: random.Random, u: int) -> tuple[str, ...]:
    if u < THREE_NOTICES:
        return ("进展", "阶段性进展", "完成")
    if u < TWO_NOTICES:
        return ("进展", "完成")
    return (rng.choice(("进展", "阶段性进展", "集中整改")),)


NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Notice:
    """One generated notice: its record text (front matter + body) and, for the floor, its title and body."""

    path: str
    record: str
    title: str
    body: str


def synthetic_site(root: Path, count: int, seed: int = 20261120) -> list[Notice]:
    """Write a record site of ``count`` notices under ``root`` (replacing it); returns the notices written."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "pages").mkdir(parents=True)
    (root / "content" / "rounds").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(_MKDOCS_YML, encoding="utf-8")
    # The example's theme list: builds are measured with the common-problem pages, links, data and filter on
    # (XUNCHA_BENCH_NO_THEMES=1: without, to see what they cost).
    if not os.environ.get("XUNCHA_BENCH_NO_THEMES"):
        shutil.copyfile(ROOT / "content" / "themes.yml", root / "content" / "themes.yml")
    per_round = UNITS_PER_ROUND + THREE_NOTICES * 2 + (TWO_NOTICES - THREE_NOTICES)
    rounds = -(-count // per_round)
    pool = _unit_pool(max(UNITS_PER_ROUND, rounds * UNITS_PER_ROUND // 2))  # each unit inspected in about 2 rounds
    notices: list[Notice] = []
    for r in range(rounds):
        start = date(2016, 3, 1) + timedelta(days=r * 3650 // max(rounds, 1))
        feedback = start + timedelta(days=80)
        units = [pool[(r * UNITS_PER_ROUND + u) % len(pool)] for u in range(UNITS_PER_ROUND)]
        round_id = f"r{r + 1:04d}"
        (root / "content" / "rounds" / f"{round_id}.yml").write_text(
            _round_yaml(r, start, feedback, units), encoding="utf-8"
        )
        for u, (unit, slug) in enumerate(units):
            stages = _stages(rng, u)
            for s, stage in enumerate(stages):
                if len(notices) == count:
                    break
                published = feedback + timedelta(days=40 + u % 15 + 120 * s)
                name = slug if s == 0 else f"{slug}-{'wancheng' if stage == '完成' else f'n{s + 1}'}"
                path = f"content/notices/{round_id}/{name}.md"
                titles = random.Random(f"{seed}/{round_id}/{u}")  # the same problems in each of the unit's notices
                notices.append(_notice(rng, path, round_id, r, u, unit, stage, start, feedback, published, titles, s))
    for notice in notices:
        file = root / notice.path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(notice.record, encoding="utf-8")
    return notices


_MKDOCS_YML = """\
site_name: 青禾市纪委监委 · 巡察整改公开（基准）
site_url: https://bench.example/
docs_dir: pages
use_directory_urls: true
theme:
  name: material
  custom_dir: THEME
  language: zh
  font: false
plugins:
  - xuncha:
      content_dir: content
      owner: 中共青禾市纪律检查委员会 青禾市监察委员会
      office:
        name: 中共青禾市委巡察工作领导小组办公室
        hotline: "12388"
        phones: ["0123-6012388"]
        emails: [xunchaban@qinghe.example]
        address: 青禾市人民路1号
      deadline_days: 60
""".replace("THEME", str(ROOT / "theme"))


def _unit_pool(size: int) -> list[tuple[str, str]]:
    units = []
    for n in range(size):
        place = words.PLACES[n % len(words.PLACES)] + DISTRICTS[n // len(words.PLACES) % len(DISTRICTS)]
        sector = words.SECTORS[n // (len(words.PLACES) * len(DISTRICTS)) % len(words.SECTORS)]
        units.append((f"{place}{sector}党组", f"u{n + 1:05d}"))
    return units


def _round_yaml(r: int, start: date, feedback: date, units: list[tuple[str, str]]) -> str:
    groups = "\n".join(
        f"  - name: 市委第{NUMERALS[g]}巡察组\n    leader: {'王李张刘'[g]}某某\n    units:\n"
        + "\n".join(f"      - name: {name}\n        slug: {slug}" for name, slug in units[g::4])
        for g in range(4)
    )
    return (
        f"name: 十届市委第{r + 1}轮巡察\ncommittee: 中共青禾市委\nterm: 十届\nnumber: {r + 1}\nyear: {start.year}\n"
        f"type: {'回头看' if r % 5 == 4 else '常规'}\ninspection_start: {start}\n"
        f"inspection_end: {start + timedelta(days=60)}\nfeedback_date: {feedback}\n"
        f"description: 本轮对{len(units)}个单位开展巡察。\ngroups:\n{groups}\n"
    )


def _notice(
    rng: random.Random,
    path: str,
    round_id: str,
    r: int,
    u: int,
    unit: str,
    stage: str,
    start: date,
    feedback: date,
    published: date,
    titles: random.Random | None = None,
    reworded: int = 0,
) -> Notice:
    shape = (r * UNITS_PER_ROUND + u) % 5
    problems, statuses = _problems(rng, shape, titles, reworded)
    body = _body(rng, unit, start, feedback, problems)
    counts = _counts(rng, shape, problems, statuses)
    phone = f"0123-6{r % 1000:03d}{u:03d}"
    extra = ""
    if u % 7 == 3:
        extra += f"source:\n  name: 青禾廉政网\n  editor: 宋某某\n  index_no: QH-{r:04d}-{u:03d}\n"
    if u % 11 == 5:
        extra += f"corrections:\n  - date: {published + timedelta(days=3)}\n    text: 第二部分第1个问题的整改措施数量有误，已更正。\n"
    front = textwrap.dedent(
        f"""\
        ---
        round: {round_id}
        unit: {unit}
        issuer: 中共{unit.removesuffix("党组")}党组
        group: 市委第{NUMERALS[u % 4]}巡察组
        notice_date: {published - timedelta(days=2)}
        published: {published} 09:{u % 60:02d}
        stage: {stage}
        """
    )
    front += counts + (
        f'contact:\n  phones: ["{phone}"]\n  emails: [u{r:04d}{u:02d}@qinghe.example]\n'
        f"  text: 欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请于工作日8:30—17:30反映。"
        f"联系电话：{phone}；电子邮箱：u{r:04d}{u:02d}@qinghe.example。\n"
    )
    title = f"中共{unit.removesuffix('党组')}党组关于十届市委第{r + 1}轮巡察整改进展情况的通报"
    return Notice(path, f"{front}{extra}---\n\n{body}", title, body)


def _problems(
    rng: random.Random, shape: int, titles: random.Random | None = None, reworded: int = 0
) -> tuple[list[str], list[str]]:
    """The problems part of one of the five shapes of content/README.md, and the leaves' statuses.

    ``titles`` draws the problem titles (the same for each notice of a unit); the ``reworded``-th notice rewords
    every third title.
    """
    lines: list[str] = []
    statuses: list[str] = []
    drawn = 0

    def title() -> str:
        nonlocal drawn
        text = (titles or rng).choice(words.PROBLEMS)
        drawn += 1
        if reworded and drawn % 3 == reworded % 3:
            for before, after in REWORDINGS:
                if before in text:
                    return text.replace(before, after, 1)
        return text

    def status_line(prefix: str = "完成情况") -> None:
        status = rng.choice(words.STATUS_WORDS)
        statuses.append(status)
        lines.extend([f"{prefix}：{status}", ""])

    if shape == 0:  # (a) ### （一）category → #### 1.problem, 整改措施：（1）（2）
        for c in range(3):
            lines += [f"### （{NUMERALS[c]}）关于{title()}的问题", ""]
            for n in range(3):
                lines += [f"#### {n + 1}.{title()}", ""]
                lines += [f"整改措施：（1）{words._paragraph(rng, 2)}", "", f"（2）{words._paragraph(rng, 2)}", ""]
                status_line()
    elif shape == 1:  # (b) three levels
        for c in range(2):
            lines += [f"### 第{NUMERALS[c]}方面：{title()}方面", ""]
            for g in range(2):
                lines += [f"#### （{NUMERALS[g]}）{title()}", ""]
                for n in range(2):
                    lines += [
                        f"##### {n + 1}.{title()}",
                        "",
                        f"整改情况：{words._paragraph(rng, 4)}",
                        "",
                    ]
                    status_line("整改进度" if n else "完成情况")
    elif shape == 2:  # (c) one level, status at the end of the title
        for n in range(10):
            status = rng.choice(words.STATUS_WORDS)
            statuses.append(status)
            lines += [f"### {n + 1}.{title()}（{status}）", "", words._paragraph(rng, 4), ""]
    elif shape == 3:  # (d) ### 问题N：… with 整改情况 and 完成情况
        for n in range(9):
            lines += [f"### 问题{n + 1}：{title()}", "", f"整改情况：{words._paragraph(rng, 4)}", ""]
            status_line()
    else:  # (e) 一是……二是…… paragraphs, no status
        for n in range(6):
            lines += [f"### {NUMERALS[n]}、关于{title()}的问题", ""]
            lines += ["".join(f"{NUMERALS[k]}是{words._sentence(rng)[3:]}" for k in range(6)), ""]
    return lines, statuses


_STATUS_FIELD = {
    "已完成": "completed",
    "基本完成": "basically_completed",
    "正在整改": "in_progress",
    "长期坚持": "long_term",
}


def _counts(rng: random.Random, shape: int, problems: list[str], statuses: list[str]) -> str:
    if shape == 2 and rng.random() < 0.5:
        return ""  # some notices state no figures
    leaves = len(statuses) or sum(1 for line in problems if line.startswith("### "))
    tally = {field: statuses.count(word) for word, field in _STATUS_FIELD.items()}
    lines = [f"  specific_problems: {leaves}", f"  measures: {leaves * 3 + rng.randint(0, 5)}"]
    if statuses:
        lines += [f"  {field}: {value}" for field, value in tally.items() if value]
        lines.append(f"  completion_rate: {round(100 * tally['completed'] / leaves, 1):g}")
    return "counts:\n" + "\n".join(lines) + "\n"


def _body(rng: random.Random, unit: str, start: date, feedback: date, problems: list[str]) -> str:
    end = start + timedelta(days=60)
    lines = [
        f"根据市委统一部署，{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日，"
        f"市委巡察组对{unit}进行了巡察。{feedback.year}年{feedback.month}月{feedback.day}日，巡察组反馈了巡察意见。"
        "按照巡察工作有关要求，现将巡察整改进展情况予以公布。",
        "",
        "## 一、整改工作总体情况",
        "",
    ]
    lines += [f"（{NUMERALS[i]}）{words._paragraph(rng, 7)}\n" for i in range(4)]
    lines += ["## 二、巡察反馈问题整改进展情况", "", *problems]
    lines += ["## 三、下一步工作打算", "", words._paragraph(rng, 8), "", words._paragraph(rng, 8), ""]
    return "\n".join(lines)


def floor_site(root: Path, notices: Sequence[Notice]) -> None:
    """The same notices as ordinary Markdown pages of a plain MkDocs + Material site: not in the nav, no search."""
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 基准站点\n", encoding="utf-8")
    for notice in notices:
        page = docs / notice.path.removeprefix("content/")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {notice.title}\n\n{notice.body}", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: 基准站点\nsite_url: https://bench.example/\ntheme:\n  name: material\n  language: zh\n"
        "  font: false\nplugins: []\nnav:\n  - index.md\n",
        encoding="utf-8",
    )


# ---------------------------------------------------------------------------------------------------------------
# Timing and memory.

# Runs `xuncha build` in a fresh process, recording how long search indexing took and how long the build waited for it.
_XUNCHA_BUILD = """
import json, sys, time
from xuncha_site.commands import cli
from xuncha_site.search import job as search
record = {"search_seconds": 0.0, "search_wait": 0.0}
finish = search.IndexJob.finish
def timed_finish(self, site_dir):
    started = time.monotonic()
    try:
        stats = finish(self, site_dir)
    finally:
        record["search_wait"] += time.monotonic() - started
    record["search_seconds"] += stats.seconds
    return stats
search.IndexJob.finish = timed_finish
# Where the memory and the time go: the build process's resident memory (MB) and CPU seconds after each step.
from xuncha_site.mkdocs_plugin.plugin import XunchaPlugin
record["stages"] = []
def resident_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
def reading(name, label, before=False):
    event = getattr(XunchaPlugin, name)
    def read(self, *args, **kwargs):
        if before:
            record["stages"].append([label, resident_mb(), time.process_time()])
        result = event(self, *args, **kwargs)
        if not before:
            record["stages"].append([label, resident_mb(), time.process_time()])
        return result
    read.__dict__.update(event.__dict__)  # MkDocs' event priority
    setattr(XunchaPlugin, name, read)
for name, label, before in (
    ("use_project", "载入并检查记录", False),
    ("on_config", "目录（统计、追踪、共性问题）", False),
    ("on_files", "生成的文件（页面、开放数据、订阅）", False),
    ("on_env", "MkDocs 读入页面", False),
    ("on_post_build", "渲染并写出全部页面", True),
    ("on_post_build", "站点地图、搜索索引移入", False),
):
    reading(name, label, before)
status = cli.main(["build", "-f", sys.argv[1], "-d", sys.argv[2]])
import resource
usage = {who: resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)}
record["max_rss_kb"] = sum(u.ru_maxrss for u in usage.values())
record["build_max_rss_kb"] = usage[resource.RUSAGE_SELF].ru_maxrss
record["search_max_rss_kb"] = usage[resource.RUSAGE_CHILDREN].ru_maxrss
# CPU seconds: the build's own process, and its children (the forked search indexer and the Pagefind run it makes).
record["search_cpu"] = usage[resource.RUSAGE_CHILDREN].ru_utime + usage[resource.RUSAGE_CHILDREN].ru_stime
with open(sys.argv[3], "w") as out:
    json.dump(record, out)
sys.exit(status)
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    search_seconds: float = 0.0
    search_wait: float = 0.0
    cpu: float = 0.0  # CPU seconds of the whole process tree: unlike wall time, hardly changed by other load
    search_cpu: float = 0.0
    # The memory the tree takes from the machine: the peak of its summed proportional set sizes (PSS, Linux), which
    # count a page shared by the build and the forked indexer once, where summed RSS counts it twice.
    peak_pss_mb: float = 0.0
    stages: tuple[tuple[str, float, float], ...] = ()  # the build process's RSS (MB) and CPU seconds after each step
    build_peak_mb: float = 0.0  # the build process's own peak RSS
    # Each child's peak RSS (with the pages it shares with the build), sampled, by what it is (ROLES).
    child_peaks_mb: tuple[tuple[str, float], ...] = ()
    # The summed PSS at its peak, process by process (the build itself first).
    at_peak_pss_mb: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Tree:
    """What :func:`run_tree` measured: wall seconds, peak summed RSS and PSS (MB), CPU seconds."""

    seconds: float
    peak_mb: float
    peak_pss_mb: float
    cpu: float
    child_peaks_mb: tuple[tuple[str, float], ...] = ()  # see Run
    at_peak_pss_mb: tuple[tuple[str, float], ...] = ()


# What each process of a xuncha build is, from its command line (search/job.py): the spawned indexer, the
# multiprocessing resource tracker that spawning starts, the Pagefind run that gives the search runtime; a child with
# the build's own command line is the forked process that makes the search documents.
ROLES = (
    ("spawn_main", "搜索索引子进程"),
    ("resource_tracker", "multiprocessing 资源跟踪进程"),
    ("pagefind", "Pagefind"),
)
FORKED = "生成搜索文档的子进程（fork）"


def _role(process, command: list[str]) -> str:
    try:
        line = " ".join(process.cmdline())
    except Exception:
        return "其他子进程"
    if line == " ".join(command):
        return FORKED
    return next((role for marker, role in ROLES if marker in line), "其他子进程")


def run_tree(command: list[str], *, cwd: Path | None = None) -> Tree:
    """Wall seconds, peak memory (MB) and CPU seconds of ``command`` and all its descendants, sampled every 20 ms."""
    import psutil

    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    import resource

    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = psutil.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = peak_pss = 0
    roles: dict[int, str] = {}
    child_peaks: dict[str, int] = {}
    at_peak: list[tuple[str, int]] = []
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()), daemon=True)
    reader.start()
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            rss = [_rss(p) for p in tree]
            pss = [_pss(p.pid) for p in tree]
            for child, size in zip(tree[1:], rss[1:], strict=True):
                if child.pid not in roles:
                    roles[child.pid] = _role(child, command)
                child_peaks[roles[child.pid]] = max(child_peaks.get(roles[child.pid], 0), size)
            peak = max(peak, sum(rss))
            if sum(pss) > peak_pss:
                peak_pss = sum(pss)
                at_peak = [
                    ("构建进程", pss[0]),
                    *((roles[c.pid], size) for c, size in zip(tree[1:], pss[1:], strict=True) if size),
                ]
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.monotonic() - started
    reader.join()
    if process.returncode != 0:
        raise SystemExit(
            f"失败（退出码 {process.returncode}）：{' '.join(command)}\n{b''.join(output).decode(errors='replace')}"
        )
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return Tree(
        seconds,
        peak / 2**20,
        peak_pss / 2**20,
        cpu,
        tuple((role, size / 2**20) for role, size in child_peaks.items()),
        tuple((role, size / 2**20) for role, size in at_peak),
    )


def _rss(process) -> int:
    try:
        return process.memory_info().rss
    except Exception:
        return 0


def _pss(pid: int) -> int:
    """Bytes of a process's proportional set size (``/proc/<pid>/smaps_rollup``; 0 where there is none)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) * 1024
    except (OSError, StopIteration, ValueError):
        return 0


def xuncha_build(site: Path, out: Path) -> Run:
    record = out.with_suffix(".json")
    tree = run_tree([sys.executable, "-c", _XUNCHA_BUILD, str(site / "mkdocs.yml"), str(out), str(record)])
    timing = json.loads(record.read_text())
    # A peak can fall between two samples: the build's own peak plus the indexer's, as if they coincided, bounds it.
    peak = max(tree.peak_mb, timing["max_rss_kb"] / 1024)
    return Run(
        tree.seconds,
        peak,
        timing["search_seconds"],
        timing["search_wait"],
        tree.cpu,
        timing["search_cpu"],
        peak_pss_mb=tree.peak_pss_mb,
        stages=tuple((label, mb, cpu) for label, mb, cpu in timing["stages"]),
        build_peak_mb=timing["build_max_rss_kb"] / 1024,
        child_peaks_mb=tree.child_peaks_mb,
        at_peak_pss_mb=tree.at_peak_pss_mb,
    )


def floor_build(root: Path) -> Run:
    tree = run_tree([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")])
    return Run(tree.seconds, tree.peak_mb, cpu=tree.cpu, peak_pss_mb=tree.peak_pss_mb)


@dataclass(frozen=True)
class Sizing:
    notices: int
    xuncha: list[Run]
    floor: list[Run]

    def median(self, runs: list[Run], value) -> float:
        return statistics.median(value(run) for run in runs)

    @property
    def a(self) -> float:
        return self.median(self.xuncha, lambda r: r.seconds)

    @property
    def a_without_search(self) -> float:
        return self.median(self.xuncha, lambda r: r.seconds - r.search_wait)

    @property
    def search(self) -> float:
        return self.median(self.xuncha, lambda r: r.search_seconds)

    @property
    def b(self) -> float:
        return self.median(self.floor, lambda r: r.seconds)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.xuncha)

    @property
    def peak_ratio(self) -> float:
        """The xuncha build's peak memory over the floor's, both as summed PSS (shared pages counted once)."""
        return max(run.peak_pss_mb for run in self.xuncha) / max(run.peak_pss_mb for run in self.floor)

    def memory(self) -> str:
        """Where the memory of the xuncha build goes: its RSS after each step, its own peak and the indexer's."""
        return memory_report(max(self.xuncha, key=lambda run: run.peak_pss_mb), self.floor)

    def report(self) -> str:
        per = 1000 / self.notices
        return (
            f"{self.notices} 篇：xuncha build {self.a:.1f} 秒（{self.a * per:.1f} ms/篇；不计搜索索引 "
            f"{self.a_without_search:.1f} 秒 = {self.a_without_search * per:.1f} ms/篇；搜索索引 {self.search:.1f} 秒，"
            f"构建为其等待 {self.median(self.xuncha, lambda r: r.search_wait):.1f} 秒），峰值内存 {self.peak_mb:.0f} MB；"
            f"MkDocs + Material 基线 {self.b:.1f} 秒（{self.b * per:.1f} ms/篇），峰值内存 "
            f"{max(r.peak_mb for r in self.floor):.0f} MB\n"
            f"  CPU 时间：xuncha 构建进程 {self.cpu_without_search:.1f} 秒 + 搜索索引（子进程）"
            f"{self.search_cpu:.1f} 秒；基线 {self.b_cpu:.1f} 秒"
        )

    # CPU seconds: what each build costs whatever else the machine is doing (wall times vary with other load).
    @property
    def cpu_without_search(self) -> float:
        return self.median(self.xuncha, lambda r: r.cpu - r.search_cpu)

    @property
    def cpu_overhead(self) -> float:
        """The build process's CPU seconds over the floor's: the median of the ratios within each pair of builds
        that ran one after the other (a ratio of medians lets the load's drift between pairs into the figure)."""
        return statistics.median((x.cpu - x.search_cpu) / f.cpu for x, f in zip(self.xuncha, self.floor, strict=True))

    @property
    def search_cpu(self) -> float:
        return self.median(self.xuncha, lambda r: r.search_cpu)

    @property
    def b_cpu(self) -> float:
        return self.median(self.floor, lambda r: r.cpu)


def memory_report(run: Run, floor: Sequence[Run] = ()) -> str:
    steps, previous, previous_cpu = [], 0.0, 0.0
    for label, mb, cpu in run.stages:
        steps.append(f"{label} {mb:.0f} MB（{mb - previous:+.0f}，CPU {cpu - previous_cpu:.1f} 秒）")
        previous, previous_cpu = mb, cpu
    line = (
        f"  内存去向：构建进程 {' → '.join(steps)}；构建进程峰值 {run.build_peak_mb:.0f} MB；子进程峰值（RSS，含与构建"
        f"进程共享的页）：{'，'.join(f'{role} {mb:.0f} MB' for role, mb in run.child_peaks_mb) or '无'}；"
        f"进程树峰值 PSS {run.peak_pss_mb:.0f} MB（共享的页只算一次："
        f"{' + '.join(f'{role} {mb:.0f}' for role, mb in run.at_peak_pss_mb)}），RSS 之和 {run.peak_mb:.0f} MB"
    )
    if floor:
        line += f"；基线峰值 PSS {max(r.peak_pss_mb for r in floor):.0f} MB"
    return line


def measure(out: Path, count: int, repeat: int, *, floor: bool = True) -> tuple[Sizing, list[Notice]]:
    """Generate ``count`` notices, then build them ``repeat`` times each way, in pairs: the two builds of a pair run
    one after the other, xuncha first in odd pairs and the floor first in even ones, so that the machine's load,
    which drifts over minutes, hits both alike (see Sizing.cpu_overhead)."""
    notices = synthetic_site(out / f"records-{count}", count)
    if floor:
        floor_site(out / f"floor-{count}", notices)
    xuncha_runs, floor_runs = [], []
    for number in range(repeat):
        if floor and number % 2:
            floor_runs.append(floor_build(out / f"floor-{count}"))
        xuncha_runs.append(xuncha_build(out / f"records-{count}", out / f"site-{count}"))
        if floor and not number % 2:
            floor_runs.append(floor_build(out / f"floor-{count}"))
        run = xuncha_runs[-1]
        print(
            f"  {count} 篇，第 {number + 1} 次：xuncha {run.seconds:.1f} 秒（构建进程 CPU {run.cpu - run.search_cpu:.1f} 秒）"
            + (f"，基线 {floor_runs[-1].seconds:.1f} 秒（CPU {floor_runs[-1].cpu:.1f} 秒）" if floor else ""),
            flush=True,
        )
    return Sizing(count, xuncha_runs, floor_runs or [Run(float("nan"), 0.0)]), notices


# ---------------------------------------------------------------------------------------------------------------
# Search: the bytes of a first query against Material's whole index.


def material_index_bytes(out: Path, notices: Sequence[Notice]) -> int:
    _ensure("jieba")  # Material segments Chinese with jieba when it is installed, as the issue measured it
    result = words.build_material(out, [(notice.title, notice.body) for notice in notices])
    return int(result["bytes"])


# What the shipped server configuration compresses (deploy/nginx/xuncha-site.conf): its gzip_types, level and minimum
# length, read from the file; the types are those of nginx's own mime.types for the files the search page fetches
# (Pagefind's index, fragments and WebAssembly are application/octet-stream or application/wasm: sent as they are).
NGINX_CONF = ROOT / "deploy" / "nginx" / "xuncha-site.conf"
NGINX_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "application/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
}
# The parts of a first search, by file: what the issue asks to report bytes of.
SEARCH_PARTS = ("runtime", "entry_meta", "index", "fragments", "other")


@dataclass(frozen=True)
class FirstQuery:
    """One query's first search in a fresh browser: result status and bytes per part, raw and as nginx sends them."""

    query: str
    status: str
    raw: dict[str, int]
    sent: dict[str, int]

    @property
    def raw_total(self) -> int:
        return sum(self.raw.values())

    @property
    def sent_total(self) -> int:
        return sum(self.sent.values())

    def line(self) -> str:
        parts = " ".join(f"{part}={self.raw[part] / 1024:.0f}/{self.sent[part] / 1024:.0f}" for part in SEARCH_PARTS)
        return (
            f"  首次查询 {self.query!r}：{self.status}，响应 {self.raw_total / 1024:.0f} KB，"
            f"压缩后传输 {self.sent_total / 1024:.0f} KB（各部分 响应/传输 KB：{parts}）"
        )


def nginx_gzip() -> tuple[set[str], int, int]:
    """(gzip_types, gzip_comp_level, gzip_min_length) of the shipped nginx configuration; text/html is always included."""
    settings: dict[str, list[str]] = {}
    for line in NGINX_CONF.read_text(encoding="utf-8").splitlines():
        words_ = line.split("#", 1)[0].strip().rstrip(";").split()
        if words_ and words_[0].startswith("gzip"):
            settings[words_[0]] = words_[1:]
    assert settings.get("gzip") == ["on"], f"{NGINX_CONF} 不再压缩：请改写本测量"
    return (
        {"text/html", *settings["gzip_types"]},
        int(settings["gzip_comp_level"][0]),
        int(settings["gzip_min_length"][0]),
    )


def search_part(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".pf_fragment") or "/block/" in path:  # the first bundle's result blocks (search/job.py)
        return "fragments"
    if name.endswith(".pf_index"):
        return "index"
    if name.endswith((".pf_meta", ".pf_filter")) or name in {"pagefind-entry.json", "xuncha-search.json"}:
        return "entry_meta"
    if name.endswith((".js", ".css", ".pagefind", ".wasm")):
        return "runtime"  # Pagefind's script and WebAssembly, the search page's own script and style
    return "other"


def sent_bytes(path: str, body: bytes, gzip_setting: tuple[set[str], int, int]) -> int:
    import gzip

    types, level, minimum = gzip_setting
    kind = NGINX_TYPES.get(os.path.splitext(path)[1], "application/octet-stream")
    if kind in types and len(body) >= minimum:
        return len(gzip.compress(body, level, mtime=0))
    return len(body)


def first_query_bytes(site: Path, queries: Sequence[str]) -> list[FirstQuery]:
    """Each query's first search on the built site's search page, in a fresh browser context.

    Counted: every response after the page's own document, except those that any page of the site loads (the
    theme's styles, scripts and icons, taken from the home page), since those are no cost of searching.
    """
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import quote, urlsplit

    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    gzip_setting = nginx_gzip()
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context()
        page = context.new_page()
        common: set[str] = set()
        page.on("requestfinished", lambda request: common.add(request.url))
        page.goto(f"{base}/")
        page.wait_for_load_state("networkidle")
        context.close()
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            fetched: list[tuple[str, bytes]] = []
            page.on("requestfinished", lambda request, fetched=fetched: fetched.append(_response_body(request)))
            address = f"{base}/search/?q={quote(query)}"
            page.goto(address)
            page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=120_000)
            page.wait_for_load_state("networkidle")
            status = page.inner_text("[data-search-status]")
            raw = dict.fromkeys(SEARCH_PARTS, 0)
            sent = dict.fromkeys(SEARCH_PARTS, 0)
            for url, body in fetched:
                if url == address or url in common:
                    continue
                path = urlsplit(url).path
                part = search_part(path)
                raw[part] += len(body)
                sent[part] += sent_bytes(path, body, gzip_setting)
            rows.append(FirstQuery(query, status, raw, sent))
            context.close()
        browser.close()
    server.shutdown()
    return rows


def _response_body(request) -> tuple[str, bytes]:
    response = request.response()
    return request.url, response.body() if response else b""


def bench_queries(notices: Sequence[Notice]) -> list[str]:
    """The bench's queries: common words, one character, a phrase, a unit's full name, a phone number."""
    unit = notices[0].title[2 : notices[0].title.index("关于")]
    return ["巡察整改", "民主生活会", "党风廉政建设", "察", '"反馈意见"', unit, "0123-6000001"]


def first_search_line(rows: Sequence[FirstQuery]) -> str:
    """first_query_kb (transferred) and first_query_raw_kb (response bytes): the largest over the bench queries."""
    return (
        f"first_query_kb={max(row.sent_total for row in rows) / 1024:.0f} "
        f"first_query_raw_kb={max(row.raw_total for row in rows) / 1024:.0f}"
    )


def _ensure(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", module], check=True)


# ---------------------------------------------------------------------------------------------------------------
# Preview: from saving a notice to the reloaded page.


# The edits the preview is timed on (issue 21): kind → (the file, relative to the notice's; the edit with a marker).
PREVIEW_EDITS = {
    "body": ("", lambda text, marker: text.replace("根据市委统一部署", f"{marker}根据市委统一部署", 1)),
    "front": ("", lambda text, marker: text.replace("\nstage: ", f"\ntitle: {marker}关于巡察整改的通报\nstage: ", 1)),
    "round": ("round", lambda text, marker: text.replace("name: 十届市委", f"name: {marker}十届市委", 1)),
    # The baseline, in the same run (once): the body edit built in full (Enter in the terminal), as every save was.
    "full": ("", lambda text, marker: text.replace("根据市委统一部署", f"{marker}根据市委统一部署", 1)),
}


def serve_reload_seconds(site: Path, notice: Notice, times: int = 3) -> dict[str, list[float]]:
    """Start ``xuncha serve`` on ``site``, open ``notice`` in Chromium, then save each edit of PREVIEW_EDITS ``times``
    times — to the notice's body, to its front matter (a title), to its round's file (the round's name, which the
    notice's page shows): by kind, the seconds from each save until the browser (reloaded by MkDocs' livereload)
    shows the edit. Saves are 3 s apart, as an editor's are (the data files are written right after a reload)."""
    import socket

    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    temp = site / "serve-tmp"  # the preview's own temporary files, removed even when it had to be killed
    temp.mkdir(exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)}
    log = (site / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "xuncha_site", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        env=env,
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    round_id = notice.path.split("/")[2]
    files = {"": site / notice.path, "round": site / "content" / "rounds" / f"{round_id}.yml"}
    originals = {key: path.read_text(encoding="utf-8") for key, path in files.items()}
    url = f"http://127.0.0.1:{port}/{notice.path.removeprefix('content/').removesuffix('.md')}/"
    seconds: dict[str, list[float]] = {kind: [] for kind in PREVIEW_EDITS}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            deadline = time.monotonic() + 600
            while True:
                try:
                    page.goto(url, timeout=5000)
                    break
                except Exception:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(1)
            # The preview indexes search in the background once editing pauses: let the first index finish.
            while page.request.get(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json").status != 200:
                time.sleep(1)
            for number in range(times):
                for kind, (which, edit) in PREVIEW_EDITS.items():
                    if kind == "full" and number:
                        continue  # the baseline once: at 10,000 notices a full build takes minutes
                    marker = f"修改标记{kind}{number}号"
                    started = time.monotonic()
                    files[which].write_text(edit(originals[which], marker), encoding="utf-8")
                    if kind == "full":
                        assert server.stdin is not None
                        server.stdin.write(b"\n")
                        server.stdin.flush()
                    page.get_by_text(marker).first.wait_for(timeout=600_000)
                    seconds[kind].append(time.monotonic() - started)
                    time.sleep(3)
                    files[which].write_text(originals[which], encoding="utf-8")
                    time.sleep(3)
            browser.close()
    finally:
        for key, path in files.items():
            path.write_text(originals[key], encoding="utf-8")
        server.terminate()
        try:  # it waits for search indexing under way, which takes minutes at 10,000 notices
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(temp, ignore_errors=True)
    return seconds


def preview_line(runs: dict[str, list[float]]) -> str:
    """preview_s (the slowest edit kind's median), each kind's median (preview_body_s, preview_front_s,
    preview_round_s), the full build's (preview_full_s) and preview_ratio = preview_s / preview_full_s."""
    medians = {kind: statistics.median(values) for kind, values in runs.items()}
    full = medians.pop("full")
    kinds = " ".join(f"preview_{kind}_s={value:.2f}" for kind, value in medians.items())
    slowest = max(medians.values())
    return f"preview_s={slowest:.2f} {kinds} preview_full_s={full:.2f} preview_ratio={slowest / full:.2f}"


# ---------------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="每种构建的重复次数（取中位数）")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "build")
    parser.add_argument(
        "--only-xuncha", action="store_true", help="只构建 xuncha 站点一次（如 10000 篇时测时间和内存）"
    )
    parser.add_argument("--skip-browser", action="store_true", help="不测首次查询的字节数")
    parser.add_argument(
        "--serve-reload",
        "--preview-only",
        action="store_true",
        help="只测 xuncha serve：从保存（通报正文、前置元数据、轮次文件）到浏览器显示修改后的页面的时间",
    )
    parser.add_argument("--skip-preview", action="store_true", help="完整测量时不测 xuncha serve 的预览时间")
    parser.add_argument(
        "--first-search",
        action="store_true",
        help="只测首次搜索：每个查询的响应字节数和按 deploy/nginx 配置压缩后的传输字节数（分运行时、入口和元数据、索引块、片段）",
    )
    options = parser.parse_args(argv)
    _ensure("psutil")
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    n = options.notices
    started = time.monotonic()
    if options.serve_reload:
        notices = synthetic_site(out / f"records-{n}", n)
        runs = serve_reload_seconds(out / f"records-{n}", notices[len(notices) // 2])
        print(" ".join(f"{kind}_runs={[round(s, 2) for s in runs[kind]]}" for kind in runs))
        print(f"notices={n} {preview_line(runs)}")
        return
    if options.first_search:
        records = out / f"records-{n}"
        notices = synthetic_site(records, n)
        xuncha_build(records, out / f"site-{n}")
        rows = first_query_bytes(out / f"site-{n}", bench_queries(notices))
        for row in rows:
            print(row.line())
        print(f"notices={n} {first_search_line(rows)}")
        return
    if options.only_xuncha:
        sizing, _ = measure(out, n, 1, floor=False)
        run = sizing.xuncha[0]
        print(
            f"notices={n} seconds={run.seconds:.1f} ms_per_notice={1000 * run.seconds / n:.1f} peak_mb={run.peak_mb:.0f} "
            f"search_seconds={run.search_seconds:.1f} search_wait={run.search_wait:.1f} cpu={run.cpu:.1f} "
            f"peak_pss_mb={run.peak_pss_mb:.0f}"
        )
        print(memory_report(run))
        return

    print(f"生成并构建 {n} 篇虚构通报（每种构建 {options.repeat} 次）……", flush=True)
    small, notices = measure(out, n, options.repeat)
    average = statistics.mean(len(notice.record.encode("utf-8")) for notice in notices)
    print(f"  平均每篇记录 {average / 1024:.1f} KB")
    print(small.report(), flush=True)
    print(f"生成并构建 {4 * n} 篇……", flush=True)
    large, _ = measure(out, 4 * n, options.repeat)
    print(large.report(), flush=True)
    print(large.memory(), flush=True)

    ratio = float("nan")
    first_search = ""
    if not options.skip_browser:
        print("构建 Material 搜索索引（search 插件，lang: zh，jieba）……", flush=True)
        material = material_index_bytes(out / f"material-{n}", notices)
        print(f"  search_index.json {material / 2**20:.1f} MB", flush=True)
        # The built site at N is gone (4N was built since): build it once more for the browser.
        xuncha_build(out / f"records-{n}", out / f"site-{n}")
        rows = first_query_bytes(out / f"site-{n}", bench_queries(notices))
        for row in rows:
            print(f"{row.line()}；为 Material 索引的 {100 * row.raw_total / material:.2f}%")
        ratio = max(row.raw_total for row in rows) / material
        first_search = " " + first_search_line(rows)
    preview = ""
    if not options.skip_browser and not options.skip_preview:
        print("测 xuncha serve 的预览：保存到浏览器显示修改……", flush=True)
        preview = " " + preview_line(serve_reload_seconds(out / f"records-{n}", notices[len(notices) // 2]))

    print(f"用时 {time.monotonic() - started:.0f} 秒")
    cpu_growth = large.median(large.xuncha, lambda r: r.cpu) / small.median(small.xuncha, lambda r: r.cpu)
    print(
        f"按 CPU 时间：overhead={small.cpu_overhead:.2f} "
        f"search_share={small.search_cpu / small.b_cpu:.2f} growth={cpu_growth:.2f}；"
        f"{4 * n} 篇 overhead={large.cpu_overhead:.2f}"
    )
    # cpu_overhead at N and 4N and cpu_growth: the targets (≤ 1.0, ≤ 4.2); peak_ratio: xuncha's peak memory
    # at 4N over the floor's, both as PSS of the process tree (≤ 3).
    print(
        f"notices={n} overhead={small.a_without_search / small.b:.2f} search_share={small.search / small.b:.2f} "
        f"growth={large.a / small.a:.2f} search_bytes_ratio={ratio:.4f} peak_mb={large.peak_mb:.0f}"
        f"{first_search} cpu_overhead={small.cpu_overhead:.2f} "
        f"cpu_overhead_4n={large.cpu_overhead:.2f} cpu_growth={cpu_growth:.2f} "
        f"peak_pss_mb={max(r.peak_pss_mb for r in large.xuncha):.0f} peak_ratio={large.peak_ratio:.2f}"
        f"{preview}"
    )


if __name__ == "__main__":
    main()
