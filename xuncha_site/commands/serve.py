"""``xuncha serve``: live preview that survives broken records.

MkDocs' own server rebuilds the site when a file changes and reloads the browser. A rebuild whose records fail the
check does not stop it: the plugin then publishes an *error site* instead — every page the site had (and the 404)
shows the ``path:line: 错误: …`` lines, the same that the terminal shows — and the watcher keeps running, so that
saving the fixed file brings the site back.

After an edit to notice or round records only the pages the edit affects are rendered again (the plugin's refresh,
:mod:`xuncha_site.mkdocs_plugin.refresh`); Enter in the terminal builds the whole site, as the startup message says.

Search is indexed in the background and never delays a reload; the preview's search results may lag a few seconds
behind an edit.

"""

from __future__ import annotations

import argparse
import errno
import logging
import signal
import socket
import sys
from pathlib import Path

from xuncha_site.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, MISSING_CONFIG, report
from xuncha_site.commands.engine import describe_error, load_mkdocs_config, mkdocs_logging
from xuncha_site.core.diagnostics import Diagnostics
from xuncha_site.core.settings import config_file_problems

log = logging.getLogger("mkdocs.plugins.xuncha_site")


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview with live reload at ``-a HOST:PORT``; content errors are shown in the browser, not fatal."""
    from jinja2 import TemplateError
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(MISSING_CONFIG.format(path=config_file), file=sys.stderr)
        return EXIT_USAGE
    address = args.dev_addr or _configured_address(str(config_file)) or DEFAULT_ADDRESS
    problem = address_problem(address)
    if problem is not None:  # said before anything is built
        print(f"xuncha：{problem}", file=sys.stderr)
        return EXIT_USAGE
    # Stopped by a supervisor (SIGTERM) as by Ctrl-C: MkDocs then shuts down and removes its temporary files.
    signal.signal(signal.SIGTERM, _interrupt)
    with mkdocs_logging(show_info=True):
        try:
            serve(config_file=str(config_file), dev_addr=args.dev_addr, livereload=True)
        except (MkDocsException, TemplateError, OSError) as exc:
            # mkdocs.yml that MkDocs could not read: the same path:line message as `xuncha check`.
            diags = Diagnostics()
            if isinstance(exc, MkDocsException) and config_file_problems(
                config_file.resolve(), diags, shown=config_file.name
            ):
                report(diags)
            print(f"预览失败：{describe_error(exc)}", file=sys.stderr)
            return EXIT_CONTENT
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


DEFAULT_ADDRESS = "127.0.0.1:8000"  # MkDocs' default dev_addr


def address_problem(address: str) -> str | None:
    """Why the preview cannot listen at ``address`` (``HOST:PORT``), in Chinese, with what to do; None if it can.

    Tried by binding a socket as the preview's server will (with ``SO_REUSEADDR``), and closing it at once.
    """
    host, colon, port_text = address.rpartition(":")
    host = host.strip("[]")
    if not colon or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return f"监听地址“{address}”无效：应写成 地址:端口，如 -a 127.0.0.1:8001"
    port = int(port_text)
    try:
        family, kind, proto, _, where = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError):
        return f"无法识别监听地址“{host}”：本机预览请用 -a 127.0.0.1:{port}"
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(where)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                other = _free_port(family, where, port)
                return (
                    f"端口 {port} 已被占用（{host}:{port} 上已有程序在运行，可能是另一个预览）：请先停止它，"
                    f"或换一个端口，如 xuncha serve -a {host}:{other}"
                )
            if error.errno in (errno.EACCES, errno.EPERM):
                return f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）：请换一个端口，如 -a {host}:8001"
            if error.errno == errno.EADDRNOTAVAIL:
                return f"本机没有地址 {host}，无法在其上预览：本机预览请用 -a 127.0.0.1:{port}"
            return f"无法在 {address} 上预览（错误号 {error.errno}）：请换一个地址或端口，如 -a 127.0.0.1:8001"
    return None


def _free_port(family: socket.AddressFamily, where: tuple, port: int) -> int:
    """The first of the next twenty ports that is free at the same host (else simply the next one)."""
    for candidate in range(port + 1, min(port + 21, 65536)):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((where[0], candidate, *where[2:]))
            except OSError:
                continue
            return candidate
    return port + 1


def _configured_address(config_file: str) -> str | None:
    """``dev_addr`` of mkdocs.yml, as the engine reads it; None when it cannot (the preview then reports why)."""
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_mkdocs_config(config_file, strict=False)
    except (MkDocsException, RecursionError):
        return None
    address = config.dev_addr
    return f"{address.host}:{address.port}" if address else None
