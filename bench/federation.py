"""Federation bench (issue 23): member sites built by ``xuncha build``, then one aggregator over them.

    python bench/federation.py [--members 20] [--notices 500] [--http] [--out bench/out/federation] [--skip-browser]

Each member is a synthetic record site of bench/build.py (its own seed and site_url), built into its own folder. The
aggregator has no records of its own; its ``members`` read each built copy through ``path`` (no network), or, with
``--http``, over HTTP from a loopback server of this process (each member by its URL only: data files and search
bundle fetched file by file, as from a real member), copy the search bundles and list every member's notices.
A member of more than 1,000 notices (``--notices 1500``) publishes a first-search bundle, which the aggregator's
first search reads instead of the member's whole index. Printed: each step's wall time, the aggregator's build time and peak
memory (its whole process tree), the size of what it adds (members/), and the bytes a first search of the aggregator
fetches in Chromium. The last line is::

    members=M notices=N aggregator_seconds=… aggregator_peak_mb=… members_mb=… first_search_bytes=…
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bench_build():
    spec = importlib.util.spec_from_file_location("bench_build", HERE / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="联合站点基准：若干成员站点与汇集它们的联合站点")
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--notices", type=int, default=500, help="每个成员站点的通报数")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "federation")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--http", action="store_true", help="成员只写网址，经本机 HTTP 读取")
    args = parser.parse_args(argv)
    build = _bench_build()
    build._ensure("psutil")  # peak memory of the process tree, as bench/build.py measures it
    out: Path = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    members_yaml = []
    base = _serve(out) if args.http else ""
    started = time.monotonic()
    for index in range(args.members):
        root = out / f"member-{index:03d}"
        build.synthetic_site(root, args.notices, seed=20261120 + index)
        config = root / "mkdocs.yml"
        host = f"county{index:03d}.example"
        config.write_text(
            config.read_text(encoding="utf-8").replace("https://bench.example/", f"https://{host}/"),
            encoding="utf-8",
        )
        run = build.xuncha_build(root, root / "site")
        print(f"成员 {index + 1}/{args.members}：{run.seconds:.1f} 秒，峰值 {run.peak_mb:.0f} MB", flush=True)
        if base:
            members_yaml.append(
                f"        - name: 第{index + 1}县纪委监委\n          url: {base}/member-{index:03d}/site/\n"
            )
        else:
            members_yaml.append(
                f"        - name: 第{index + 1}县纪委监委\n          url: https://{host}/\n          path: {root / 'site'}\n"
            )
    print(f"成员站点共用时 {time.monotonic() - started:.1f} 秒")
    city = out / "city"
    (city / "pages").mkdir(parents=True)
    (city / "content" / "notices").mkdir(parents=True)
    (city / "content" / "rounds").mkdir()
    text = build._MKDOCS_YML.replace("https://bench.example/", "https://city.example/")
    (city / "mkdocs.yml").write_text(text + "      members:\n" + "".join(members_yaml), encoding="utf-8")
    run = build.xuncha_build(city, city / "site")
    added = sum(p.stat().st_size for p in (city / "site" / "members").rglob("*") if p.is_file())
    files = sum(1 for p in (city / "site" / "members").rglob("*") if p.is_file())
    print(
        f"联合站点（{'经 HTTP' if base else '读本地副本'}）：{run.seconds:.1f} 秒，峰值 {run.peak_mb:.0f} MB，"
        f"members/ 共 {added / 2**20:.1f} MB、{files} 个文件"
    )
    first = 0
    if not args.skip_browser:
        rows = build.first_query_bytes(city / "site", ["整改", "党风廉政建设"])
        for row in rows:
            print(row.line())
        first = max(row.raw_total for row in rows)
        print(build.first_search_line(rows))
    print(
        f"members={args.members} notices={args.notices} http={int(args.http)} aggregator_seconds={run.seconds:.1f} "
        f"aggregator_peak_mb={run.peak_mb:.0f} members_mb={added / 2**20:.1f} first_search_bytes={first}"
    )


def _serve(folder: Path) -> str:
    """A loopback HTTP server for ``folder`` in a thread of this process (the aggregator's build is a child)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


if __name__ == "__main__":
    main()
