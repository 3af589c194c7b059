"""The shipped web server configuration sends the pages' Content-Security-Policy and `nosniff` with every file.

The policy of the generated pages is a <meta> tag, which covers no attachment, feed or data file. deploy/nginx and
deploy/apache send the same policy (plus frame-ancestors, which a meta tag cannot carry) as HTTP headers. Each
configuration is checked by Debian's server itself (`nginx -t`, `apache2 -t`) and then serves a built site on a
loopback port: every kind of file comes with both headers, text is gzipped, the search index (gzipped already) is not.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "xuncha-site.conf"
APACHE_CONF = ROOT / "deploy" / "apache" / "xuncha-site.conf"
FRAME_ANCESTORS = "frame-ancestors 'self'"
TEXT_TYPES = ("text/html", "text/css", "application/javascript", "application/json", "text/csv", "text/xml")


def page_policy(site: Path) -> str:
    """The policy of the generated pages (theme/main.html), as a built page carries it."""
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    [meta] = soup.select('meta[http-equiv="Content-Security-Policy"]')
    return str(meta["content"])


def server_binary(package: str, name: str) -> str:
    """Debian's ``name`` from ``package``, installed with apt-get when missing (as scripts/test.sh does)."""

    def found() -> str | None:
        return shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").is_file() else None)

    if found() is None:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", package], env=env, capture_output=True, timeout=900)
    binary = found()
    assert binary, f"需要 Debian 的 {package}：apt-get install {package}（scripts/test.sh 会安装）"
    return binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def site_config(site: Path, port: int) -> str:
    """The shipped server block, listening on a loopback port and serving ``site``: nothing else is changed."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    text, listen = re.subn(r"(?m)^    listen 80;$", f"    listen 127.0.0.1:{port};", text)
    text, listen6 = re.subn(r"(?m)^    listen \[::\]:80;\n", "", text)
    text, root = re.subn(r"(?m)^    root /var/www/xuncha-site;$", f"    root {site};", text)
    assert (listen, listen6, root) == (1, 1, 1), "deploy/nginx/xuncha-site.conf 的 listen/root 行变了，请同时改本测试"
    return text


MAIN_CONF = """\
master_process off;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/xuncha-site.conf;
}}
"""


APACHE_MAIN = """\
ServerRoot {tmp}
PidFile {tmp}/httpd.pid
Mutex file:{tmp} default
ErrorLog {tmp}/error.log
Listen 127.0.0.1:{port}
ServerName localhost
{user}
TypesConfig /etc/mime.types
DirectoryIndex index.html
{modules}
Include {tmp}/xuncha-site.conf
"""
# The modules of Debian's default set that the shipped configuration relies on, and headers and deflate (a2enmod).
APACHE_MODULES = ("mpm_event", "authz_core", "alias", "dir", "mime", "headers", "filter", "deflate")


def apache_config(site: Path, port: int) -> str:
    """The shipped virtual host, on a loopback port and serving ``site``: nothing else is changed."""
    text = APACHE_CONF.read_text(encoding="utf-8")
    text, host = re.subn(r"(?m)^<VirtualHost \*:80>$", f"<VirtualHost 127.0.0.1:{port}>", text)
    text, roots = re.subn(r"/var/www/xuncha-site\b", str(site), text)
    assert (host, roots) == (1, 3), "deploy/apache/xuncha-site.conf 的 VirtualHost/目录行变了，请同时改本测试"
    return text


def wait_for(port: int, process: subprocess.Popen, log: Path, name: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace") if log.exists() else name
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"{name} 没有开始监听"
            time.sleep(0.1)


def start_nginx(site: Path, tmp: Path) -> tuple[int, subprocess.Popen]:
    binary = server_binary("nginx", "nginx")
    port = free_port()
    (tmp / "xuncha-site.conf").write_text(site_config(site, port), encoding="utf-8")
    (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp), encoding="utf-8")
    command = [binary, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "syntax is ok" in checked.stderr, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port, process, tmp / "error.log", "nginx")
    return port, process


def start_apache(site: Path, tmp: Path) -> tuple[int, subprocess.Popen]:
    binary = server_binary("apache2", "apache2")
    port = free_port()
    modules = "\n".join(f"LoadModule {name}_module /usr/lib/apache2/modules/mod_{name}.so" for name in APACHE_MODULES)
    # Apache refuses to serve as root: as root, its workers run as www-data, which must be able to read the site.
    user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
    (tmp / "xuncha-site.conf").write_text(apache_config(site, port), encoding="utf-8")
    main = APACHE_MAIN.format(tmp=tmp, port=port, user=user, modules=modules)
    (tmp / "httpd.conf").write_text(main, encoding="utf-8")
    command = [binary, "-f", str(tmp / "httpd.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "Syntax OK" in checked.stderr, checked.stderr
    process = subprocess.Popen([*command, "-DFOREGROUND"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port, process, tmp / "error.log", "apache2")
    return port, process


@pytest.fixture(scope="module", params=["nginx", "apache"])
def server(request, small_site: Path) -> Iterator[tuple[int, Path]]:
    """The built small site served by Debian's nginx or Apache with the shipped configuration."""
    import tempfile

    # A folder that the server's own user can read (pytest's temporary folders are the current user's alone).
    tmp = Path(tempfile.mkdtemp(prefix=f"xuncha-{request.param}-"))
    try:
        site = tmp / "www"
        shutil.copytree(small_site, site)
        for path in [tmp, *tmp.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        port, process = (start_nginx if request.param == "nginx" else start_apache)(site, tmp)
        try:
            yield port, site
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def get(port: int, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def every_kind_of_file(site: Path) -> list[str]:
    fragment = next(site.glob("pagefind/**/*.pf_fragment")).relative_to(site).as_posix()
    attachment = next(site.glob("notices/*/files/*.pdf")).relative_to(site).as_posix()
    return [
        "/",
        "/notices/2026-t1/jiaju/",
        "/rounds/",
        "/feedback/",
        "/404.html",
        "/feed.xml",
        "/atom.xml",
        "/feed.json",
        "/data/notices.json",
        "/data/notices.csv",
        "/sitemap.xml",
        "/robots.txt",
        f"/{attachment}",
        "/assets/xuncha/xuncha.css",
        "/assets/xuncha/xuncha.js",
        "/pagefind/pagefind.js",
        f"/{fragment}",
        "/no/such/page/",
        "/.xuncha-site",
    ]


def test_the_server_sends_the_pages_policy_and_nosniff_with_every_file(server) -> None:
    port, site = server
    policy = f"{page_policy(site)}; {FRAME_ANCESTORS}"
    for path in every_kind_of_file(site):
        status, headers, _ = get(port, path)
        assert status == (404 if path in ("/no/such/page/", "/.xuncha-site") else 200), path
        assert headers.get_all("Content-Security-Policy") == [policy], path
        assert headers.get_all("X-Content-Type-Options") == ["nosniff"], path


def test_the_server_answers_a_missing_address_with_the_sites_404_page(server) -> None:
    port, site = server
    status, headers, body = get(port, "/no/such/page/")
    assert status == 404
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    assert body == (site / "404.html").read_bytes()


def test_the_server_gzips_text_and_leaves_the_search_index_as_it_is(server) -> None:
    port, site = server
    for path in ("/", "/assets/xuncha/xuncha.css", "/assets/xuncha/xuncha.js", "/pagefind/pagefind.js", "/feed.xml"):
        status, headers, body = get(port, path)
        local = site / path.lstrip("/") / ("index.html" if path.endswith("/") else "")
        assert status == 200 and headers.get("Content-Encoding") == "gzip", path
        assert "Accept-Encoding" in headers.get("Vary", ""), path
        assert gzip.decompress(body) == local.read_bytes(), path
    fragment = next(site.glob("pagefind/**/*.pf_fragment"))
    status, headers, body = get(port, "/" + fragment.relative_to(site).as_posix())
    assert status == 200 and headers.get("Content-Encoding") is None and body == fragment.read_bytes()


def test_the_server_names_the_type_and_charset_of_text_files(server) -> None:
    port, _ = server
    expected = {
        "/": "text/html; charset=utf-8",
        "/data/notices.csv": "text/csv; charset=utf-8",
        "/data/notices.json": "application/json; charset=utf-8",
        "/assets/xuncha/xuncha.css": "text/css; charset=utf-8",
        "/feed.xml": "text/xml; charset=utf-8",
    }
    for path, content_type in expected.items():
        assert get(port, path)[1]["Content-Type"] == content_type, path


def test_the_apache_configuration_sends_the_same_policy_and_nosniff(small_site: Path) -> None:
    text = APACHE_CONF.read_text(encoding="utf-8")
    policies = re.findall(r'(?m)^    Header always set Content-Security-Policy "([^"]*)"$', text)
    assert policies == [f"{page_policy(small_site)}; {FRAME_ANCESTORS}"]
    assert re.search(r'(?m)^    Header always set X-Content-Type-Options "nosniff"$', text)
    deflated = re.search(r"AddOutputFilterByType DEFLATE ([^\n]*)", text)
    assert deflated and set(TEXT_TYPES) <= set(deflated.group(1).split())


def test_the_server_configuration_is_in_the_maintainers_guide() -> None:
    guide = (ROOT / "docs" / "编辑指南.md").read_text(encoding="utf-8")
    assert "deploy/nginx/xuncha-site.conf" in guide and "deploy/apache/xuncha-site.conf" in guide
    assert "X-Content-Type-Options" in guide and "Content-Security-Policy" in guide
