"""A built site served by a real nginx (Debian nginx-light) with the include wmpsite writes: every kind
of page and file, the 404 page too, comes with the security headers, and the header files are not served.

nginx runs on 127.0.0.1 from a config in a temp folder (its pid, logs and temp files there), in the
foreground as one process: never the system's nginx or its config.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MINIMAL, NOW
from test_headers import netlify
from wmpsite.build import pipeline

from . import tools

pytestmark = pytest.mark.nginx

CONFIG = """
daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/client;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        error_page 404 /404.html;
        include {site}/.nginx-headers.conf;
    }}
}}
"""


def find_nginx() -> str | None:
    """Debian's nginx (nginx-light), or None."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)


@contextlib.contextmanager
def nginx(site: Path, work: Path) -> Iterator[str]:
    """Serve `site` with nginx on a free port of 127.0.0.1; yield its base URL."""
    executable = find_nginx()
    if executable is None:
        tools.missing_tool("no nginx (Debian nginx-light)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    work.mkdir()
    (work / "nginx.conf").write_text(CONFIG.format(work=work, port=port, site=site))
    command = [executable, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")]
    test = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):  # until it listens (or has stopped)
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert proc.poll() is None, (work / "error.log").read_text()
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def fetch(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_nginx_sends_the_security_headers_with_every_kind_of_page(tmp_path, minimal_build):
    site = minimal_build / "main"
    want = netlify(site)  # the three forms carry the same headers (tests/test_headers.py)
    plan = pipeline.check(MINIMAL, now=NOW).plan
    kinds: dict[str, str] = {}
    for page in plan:
        if page.location.site == "main":
            kinds.setdefault(page.kind, page.location.path)
    files = {"rss feed": "feeds/news/rss.xml", "sitemap": "sitemap.xml", "robots": "robots.txt",
             "style sheet": next(p.relative_to(site).as_posix() for p in site.glob("css/*.css")),
             "search index": "pagefind/shards.json", "missing page (404)": "no/such/page/"}
    assert len(kinds) > 10
    with nginx(site, tmp_path / "nginx") as base:
        for kind, path in {**kinds, **files}.items():
            status, got = fetch(base + path)
            assert status == (404 if "404" in kind else 200), (kind, path)
            for name, value in want.items():
                assert got.get(name) == value, (kind, path, name)
            assert "frame-ancestors 'none'" in got["Content-Security-Policy"]
        for name in ("_headers", ".htaccess", ".nginx-headers.conf"):  # configuration, not pages
            status, got = fetch(base + name)
            assert status == 404 and got.get("X-Content-Type-Options") == "nosniff", name
