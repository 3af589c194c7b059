"""Search bench: our bigram index (Pagefind's format) vs Material's search_index.json on the same synthetic notices.

    python bench/search.py [--notices 2000] [--out bench/out/search] [--skip-material]

Prints, for a synthetic site of fictional notices (~15 KB of Chinese text each): the bytes a first query fetches
(every request after the search page: pagefind JS, WebAssembly, index chunks, result documents) against the size of
Material's ``search_index.json`` built by plain MkDocs + Material's search plugin (``lang: zh``) from the same
Markdown; indexing time; and peak memory of the indexing processes, with shards and as one single index.
Material's index is built with jieba when it is installed (``pip install jieba``), as the issue measured it.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("巡视整改", "民主生活会", "党风廉政建设", "三重一大", "察", "2021 党费", '"反馈意见"', "UNIT", "PHONE")

# ---------------------------------------------------------------------------------------------------------------
# A synthetic corpus: fictional city, units, people and numbers; sentences assembled from common phrases so that
# the vocabulary (and so the index) grows like real notices do.


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PLACES = _words("青禾 澄江 白鹭 枫林 石桥 临川 梧桐 南屏 北塘 东渡 西岭 云溪 长汀 金沙 玉泉 松涛 柳营 桃源 杏坛 竹溪")
SECTORS = _words(
    "发展和改革委员会 财政局 教育局 科学技术局 工业和信息化局 民政局 司法局 人力资源和社会保障局 自然资源局 "
    "生态环境局 住房和城乡建设局 交通运输局 水务局 农业农村局 商务局 文化广电旅游局 卫生健康委员会 "
    "退役军人事务局 应急管理局 审计局 市场监督管理局 统计局 医疗保障局 林业局 城市管理局 信访局 档案馆 "
    "机关事务管理局 供销合作社 总工会 妇女联合会 科学技术协会 残疾人联合会 人民医院 中医医院 职业技术学院 "
    "第一中学 投资集团有限公司 城市建设投资有限公司 水务集团有限公司 公共交通集团有限公司 粮食储备有限公司"
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
LEADS = _words("一是 二是 三是 四是 五是 同时 此外 针对上述问题 截至目前 下一步")
SUBJECTS = _words(
    "党组 党组书记 班子成员 机关党委 各支部 办公室 财务科 人事科 业务科室 纪检监察组 整改工作领导小组 "
    "分管领导 责任科室 基层党组织 全体党员干部 下属单位 审计科 法规科 督查室 机关纪委"
)
VERBS = _words(
    "严格落实 认真执行 全面梳理 深入开展 制定出台 修订完善 逐项核查 集中整治 专题研究 督促指导 "
    "建立健全 持续推进 及时纠正 举一反三 全面清理 规范管理 严肃查处 跟踪督办 定期通报 组织学习"
)
OBJECTS = _words(
    "“三重一大”决策制度 中央八项规定精神 民主生活会制度 党风廉政建设责任制 意识形态工作责任制 "
    "“三会一课”制度 党费收缴管理办法 公务接待管理规定 政府采购内控制度 专项资金使用管理 固定资产清查 "
    "干部选拔任用工作 因私出国（境）证照管理 巡察反馈意见整改台账 谈心谈话制度 财务报销审核流程 "
    "工程项目招投标管理 车辆使用管理规定 档案管理制度 网络安全责任制 安全生产责任制 信访问题办理机制 "
    "巡视整改“回头看”工作 基层减负措施 营商环境优化措施 惠民惠农财政补贴资金 扶贫项目资产管理 "
    "违规发放津补贴问题 形式主义官僚主义问题 选人用人工作 干部人事档案专项审核 党员发展工作"
)
PURPOSES = _words(
    "确保整改取得实效 推动问题整改到位 切实压实主体责任 防止问题反弹回潮 提升制度执行力 "
    "形成长效工作机制 营造风清气正的政治生态 推动全面从严治党向纵深发展 切实增强干部群众获得感 "
    "做到立行立改、真改实改 以整改实效推动事业发展 把巡察成果转化为治理效能"
)
PROBLEMS = _words(
    "学习贯彻党的创新理论不够深入 贯彻落实上级决策部署有差距 落实全面从严治党主体责任不到位 "
    "“三重一大”事项集体决策执行不严格 财务管理不规范 违规发放津贴补贴 公务用车管理不严格 "
    "干部队伍建设存在短板 基层党组织建设薄弱 民主生活会质量不高 落实中央八项规定精神不够严格 "
    "意识形态工作责任制落实不到位 政府采购程序不规范 工程项目管理存在漏洞 专项资金使用效益不高 "
    "档案管理混乱 党费收缴不规范 以往巡视整改不彻底 形式主义问题依然存在 廉政风险防控机制不健全"
)
STATUS_WORDS = ("已完成", "已完成", "已完成", "基本完成", "正在整改", "长期坚持")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _sentence(rng: random.Random) -> str:
    lead = rng.choice(LEADS)
    day = date(2021, 1, 1) + timedelta(days=rng.randrange(1500))
    figures = rng.choice(
        (
            f"共召开专题会议{rng.randint(2, 30)}次",
            f"清退资金{rng.randint(1, 999)}.{rng.randint(0, 99):02d}万元",
            f"{day.month}月{day.day}日前完成",
            f"组织{_name(rng)}等{rng.randint(3, 90)}名干部",
            f"涉及{rng.randint(2, 60)}个项目",
            f"建立台账{rng.randint(2, 40)}本",
        )
    )
    return (
        f"{lead}，{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}，"
        f"{figures}，{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(PURPOSES)}。"
    )


def _paragraph(rng: random.Random, sentences: int) -> str:
    return "".join(_sentence(rng) for _ in range(sentences))


def synthetic_site(root: Path, count: int, seed: int = 20261120) -> list[tuple[str, str]]:
    """Write a record site of ``count`` notices under ``root``; returns (title, Markdown body) per notice."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "pages").mkdir(parents=True)
    (root / "pages" / "index.md").write_text("# 基准站点\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: 基准站点\nsite_url: https://bench.example/\ndocs_dir: pages\n"
        "plugins:\n  - xuncha:\n      content_dir: content\n      owner: 中共青禾市纪律检查委员会\n",
        encoding="utf-8",
    )
    units_per_round = 40
    rounds = (count + units_per_round - 1) // units_per_round
    bodies = []
    for r in range(rounds):
        year = 2019 + r * 7 // max(rounds, 1)
        round_id = f"r{r + 1:03d}"
        start = date(year, 3, 1) + timedelta(days=(r * 9) % 200)
        feedback = start + timedelta(days=90)
        units = [
            (f"{rng.choice(PLACES)}市{SECTORS[(r + u) % len(SECTORS)]}党组", f"u{r + 1:03d}-{u + 1:02d}")
            for u in range(min(units_per_round, count - r * units_per_round))
        ]
        groups = "\n".join(
            f"  - name: 市委第{g + 1}巡察组\n    units:\n"
            + "\n".join(f"      - name: {name}\n        slug: {slug}" for name, slug in units[g::4])
            for g in range(4)
        )
        (root / "content" / "rounds").mkdir(parents=True, exist_ok=True)
        (root / "content" / "rounds" / f"{round_id}.yml").write_text(
            f"name: 十届市委第{r + 1}轮巡察\ncommittee: 中共青禾市委\nyear: {year}\n"
            f"inspection_start: {start}\ninspection_end: {start + timedelta(days=60)}\n"
            f"feedback_date: {feedback}\ngroups:\n{groups}\n",
            encoding="utf-8",
        )
        folder = root / "content" / "notices" / round_id
        folder.mkdir(parents=True)
        for u, (unit, slug) in enumerate(units):
            body = _notice_body(rng, unit, start, feedback)
            published = feedback + timedelta(days=30 + u % 20)
            phone = f"0123-6{r:03d}{u:03d}"
            front = textwrap.dedent(
                f"""\
                ---
                round: {round_id}
                unit: {unit}
                issuer: 中共{unit}
                group: 市委第{u % 4 + 1}巡察组
                notice_date: {published - timedelta(days=2)}
                published: {published} 09:00
                stage: {rng.choice(("进展", "进展", "阶段性进展", "完成"))}
                contact:
                  phones: ["{phone}"]
                  text: 欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：{phone}。
                ---
                """
            )
            (folder / f"{slug}.md").write_text(front + "\n" + body, encoding="utf-8")
            bodies.append((f"中共{unit}关于十届市委第{r + 1}轮巡察整改进展情况的通报", body))
    return bodies


def _notice_body(rng: random.Random, unit: str, start: date, feedback: date) -> str:
    end = start + timedelta(days=60)
    lines = [
        f"根据市委统一部署，{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日，"
        f"市委巡察组对{unit}进行了巡察。{feedback.month}月{feedback.day}日，巡察组反馈了巡察意见。"
        "按照巡察工作有关要求，现将巡察整改进展情况予以公布。",
        "",
        "## 一、组织整改落实情况",
        "",
    ]
    lines += [f"（{'一二三四'[i]}）{_paragraph(rng, 6)}\n" for i in range(4)]
    lines += ["## 二、巡察反馈问题整改进展情况", ""]
    number = 0
    for c in range(4):
        lines += [f"### （{'一二三四'[c]}）关于{rng.choice(PROBLEMS)}的问题", ""]
        for _ in range(3):
            number += 1
            lines += [f"#### {number}.{rng.choice(PROBLEMS)}", "", f"整改情况：{_paragraph(rng, 4)}", ""]
            lines += [f"完成情况：{rng.choice(STATUS_WORDS)}", ""]
    lines += ["## 三、下一步工作打算", "", _paragraph(rng, 8), ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------
# Measurements.


def build_material(out: Path, bodies: list[tuple[str, str]]) -> dict[str, float]:
    """Plain MkDocs + Material search (lang zh) over the same Markdown; size of search_index.json."""
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 基准站点\n", encoding="utf-8")
    for number, (title, body) in enumerate(bodies):
        (docs / f"n{number:05d}.md").write_text(f"# {title}\n\n{body}", encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: 基准站点\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\nnav:\n  - index.md\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(out / "mkdocs.yml")],
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    index = (out / "site" / "search" / "search_index.json").read_bytes()
    return {
        "seconds": time.monotonic() - started,
        "bytes": len(index),
        "gzip_bytes": len(gzip.compress(index, 6)),
    }


_INDEX_SCRIPT = """
import json, resource, sys
from pathlib import Path
from xuncha_site.commands.site import load_site
from xuncha_site.search.job import index_site
project = load_site(sys.argv[1]).project
stats = index_site(Path(sys.argv[2]), project.public_notices(), project.corpus.rounds, "/", shard_size=int(sys.argv[3]))
print(json.dumps({
    "documents": stats.documents, "shards": stats.shards, "seconds": stats.seconds, "bytes": stats.bytes,
    "pagefind_peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "python_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def build_ours(site: Path, out: Path, shard_size: int) -> dict[str, float]:
    """index_site in a fresh process, so that its peak memory is measured alone (with the loaded site)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-c", _INDEX_SCRIPT, str(site / "mkdocs.yml"), str(out), str(shard_size)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1795132800"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def add_search_page(site_out: Path) -> None:
    """The search page as the theme would render it (the partial with Material's ``url`` filter from /search/)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "theme"), autoescape=True)
    env.filters["url"] = lambda path: "../" + path
    page = env.from_string(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>搜索</title></head>'
        '<body><h1>搜索</h1>{% include "partials/xuncha-search.html" %}</body></html>'
    ).render()
    (site_out / "search").mkdir(exist_ok=True)
    (site_out / "search" / "index.html").write_text(page, encoding="utf-8")
    shutil.copytree(ROOT / "theme" / "assets" / "search", site_out / "assets" / "search", dirs_exist_ok=True)


def first_query_bytes(site_out: Path, queries: list[str]) -> list[dict]:
    """For each query, in a fresh browser context: bytes of every response once the search page has loaded."""
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[*args, "--disable-sync"])
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            fetched: list[tuple[str, bytes]] = []
            page.on("requestfinished", lambda request, fetched=fetched: fetched.append(_body(request)))
            started = time.monotonic()
            page.goto(f"{base}/search/?q={quote(query)}")
            page.wait_for_selector("[data-xuncha-search][data-state=done]", timeout=120_000)
            seconds = time.monotonic() - started
            page.wait_for_load_state("networkidle")
            results = page.inner_text("[data-search-status]")
            search = [(url, body) for url, body in fetched if not urlsplit(url).path.startswith("/search/")]
            raw = sum(len(body) for _, body in search)
            rows.append(
                {
                    "query": query,
                    "status": results,
                    "requests": len(search),
                    "bytes": raw,
                    "gzip_bytes": sum(_gzipped_size(url, body) for url, body in search),
                    "seconds": seconds,
                    "other_hosts": sorted({urlsplit(u).netloc for u, _ in fetched} - {urlsplit(base).netloc}),
                }
            )
            context.close()
        browser.close()
    server.shutdown()
    return rows


def _body(request) -> tuple[str, bytes]:
    response = request.response()
    return request.url, (response.body() if response else b"")


def _gzipped_size(url: str, body: bytes) -> int:
    # What a server compressing text would send; Pagefind's index files are gzip already (pagefind_dcd inside).
    if urlsplit(url).path.endswith((".pf_index", ".pf_meta", ".pf_filter", ".pagefind")):
        return len(body)
    return len(gzip.compress(body, 6))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "search")
    parser.add_argument("--shard-size", type=int, default=None, help="默认取 xuncha_site.search.SHARD_SIZE")
    parser.add_argument("--skip-material", action="store_true")
    parser.add_argument(
        "--compare-shard-size", type=int, nargs="*", default=[500], help="另以这些分片大小建索引，对比峰值内存"
    )
    options = parser.parse_args(argv)
    from xuncha_site.search.job import SHARD_SIZE

    shard_size = options.shard_size or SHARD_SIZE
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    print(f"生成 {options.notices} 篇虚构通报……", flush=True)
    bodies = synthetic_site(out / "records", options.notices)
    average = sum(len(body.encode("utf-8")) for _, body in bodies) / len(bodies)
    print(f"  平均每篇正文 {average / 1024:.1f} KB")

    ours = build_ours(out / "records", out / "site", shard_size)
    print(
        f"二元组索引（Pagefind 格式，每片 ≤{shard_size} 篇，{ours['shards']} 片）：{ours['documents']} 篇，"
        f"{ours['seconds']:.1f} 秒，{ours['bytes'] / 2**20:.1f} MB；峰值内存（含载入的站点）"
        f"{ours['python_peak_kb'] / 1024:.0f} MB，取运行时的 Pagefind 子进程 {ours['pagefind_peak_kb'] / 1024:.0f} MB",
        flush=True,
    )
    for other in options.compare_shard_size:
        # Memory grows with the shard, not with the site: the same notices in other shard sizes.
        row = build_ours(out / "records", out / "site-compare", other)
        print(
            f"对照：每片 ≤{other} 篇（{row['shards']} 片）{row['seconds']:.1f} 秒，峰值内存（含载入的站点）"
            f"{row['python_peak_kb'] / 1024:.0f} MB",
            flush=True,
        )
        shutil.rmtree(out / "site-compare")

    if options.skip_material:
        material = None
    else:
        jieba = _has_jieba()
        print(f"构建 Material 搜索索引（lang: zh，{'使用' if jieba else '未安装'} jieba）……", flush=True)
        material = build_material(out / "material", bodies)
        print(
            f"Material search_index.json：{material['bytes'] / 2**20:.1f} MB（gzip {material['gzip_bytes'] / 2**20:.1f} MB），"
            f"构建 {material['seconds']:.0f} 秒",
            flush=True,
        )

    add_search_page(out / "site")
    first = bodies[0][0]
    unit = first[2 : first.index("关于")]
    phone = next((out / "records" / "content" / "notices").glob("*/*.md")).read_text("utf-8")
    phone = phone.split('phones: ["')[1].split('"')[0]
    queries = [unit if q == "UNIT" else phone if q == "PHONE" else q for q in QUERIES]
    print("首次查询（新浏览器上下文，不含搜索页本身）：")
    for row in first_query_bytes(out / "site", queries):
        line = (
            f"  {row['query']!r:<24} {row['status']:<14} {row['requests']:>3} 个请求 "
            f"{row['bytes'] / 1024:>7.0f} KB（gzip {row['gzip_bytes'] / 1024:>5.0f} KB） {row['seconds']:.2f} 秒"
        )
        if material:
            line += f"  = Material 的 {100 * row['bytes'] / material['bytes']:.2f}%"
            line += f"（gzip 比 gzip {100 * row['gzip_bytes'] / material['gzip_bytes']:.2f}%）"
        if row["other_hosts"]:
            line += f"  其他主机：{row['other_hosts']}"
        print(line, flush=True)


def _has_jieba() -> bool:
    try:
        import jieba  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
