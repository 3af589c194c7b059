"""The preview's error site: while the records fail their check, every page shows the errors."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from xuncha_site.core.diagnostics import Diagnostics, Level
from xuncha_site.core.routes import notice_path, round_path
from xuncha_site.views.widgets import NAV

ERROR_PAGE_TITLE = "内容检查未通过"


def error_page(diagnostics: Diagnostics, site_name: str) -> str:
    """A self-contained page (no theme, no other file) listing every problem, errors first."""
    problems = sorted(diagnostics.sorted(), key=lambda d: d.level is not Level.ERROR)
    items = "\n".join(
        f'<li class="{"error" if d.level is Level.ERROR else "warning"}"><code>{html.escape(d.format())}</code></li>'
        for d in problems
    )
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{ERROR_PAGE_TITLE} · {html.escape(site_name)}</title>
<style>
body {{ margin: 0; font: 18px/1.7 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #222; background: #fff; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem; }}
h1 {{ color: #a8071a; font-size: 1.6rem; margin: 0 0 .5rem; }}
ol {{ padding-left: 1.5rem; }}
li {{ margin: .6rem 0; }}
code {{ font-family: inherit; white-space: pre-wrap; word-break: break-all; }}
li.error code {{ color: #a8071a; }}
li.warning code {{ color: #874d00; }}
</style>
</head>
<body>
<main data-xuncha-preview-error>
<h1>{ERROR_PAGE_TITLE}（{html.escape(diagnostics.summary())}）</h1>
<p>预览暂停更新：下列记录有错误。请按提示改正并保存文件，本页会自动刷新为正常页面。</p>
<ol>
{items}
</ol>
</main>
</body>
</html>
"""


def error_site_paths(content_dir: Path, known: Iterable[str]) -> list[str]:
    """Where the error page goes: every page the site had (``known``, as output paths), the fixed pages, and the
    pages of every round and notice file now in ``content_dir`` — so that whatever page the browser shows, it
    reloads into the error page, and later back into the fixed page."""
    paths = set(known)
    paths.update(f"{path}index.html" for _, path in NAV)
    for record in sorted((content_dir / "rounds").glob("*.y*ml")):
        paths.add(round_path(record.stem) + "index.html")
    for record in sorted((content_dir / "notices").glob("*/*.md")):
        paths.add(notice_path(record.parent.name, record.stem) + "index.html")
    paths.add("404.html")
    return sorted(paths)
