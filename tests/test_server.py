"""The dev server: a broken build shows the error list in the browser, never a stale page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import NOW, REPO
from wmpsite.server import DevState, make_app, rebuild


def call(app, path):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path}, start_response))
    return seen["status"], seen["headers"], body.decode("utf-8")


def test_serves_the_built_site_and_its_404(site_copy, tmp_path):
    site = site_copy()
    out = tmp_path / "dev"
    state = DevState(out / "main")
    rebuild(site, out, state, NOW)
    app = make_app(state)
    status, headers, body = call(app, "/northfield/teams/oldtown/")
    assert status == "200 OK" and "Oldtown neighbourhood team" in body
    # Live reload's inline script is allowed only by the dev server.
    assert "script-src 'self' 'unsafe-inline'" in body
    # LPUs with their own address are folded under the one dev origin.
    status, _, body = call(app, "/riverside/teams/quayside/")
    assert status == "200 OK" and "Quayside" in body
    status, _, body = call(app, "/no/such/page/")
    assert status == "404 Not Found" and "Page not found" in body
    status, headers, _ = call(app, "/css/site.css")
    assert headers["Content-Type"] == "text/css"


def test_broken_content_shows_errors_then_recovers(site_copy, tmp_path):
    site = site_copy()
    out = tmp_path / "dev"
    state = DevState(out / "main")
    rebuild(site, out, state, NOW)
    story = site / "content/news/2026-02-01-new-chief.md"
    good = story.read_text()
    story.write_text(good.replace("date: 2026-02-01", "date: next week"))
    rebuild(site, out, state, NOW)
    app = make_app(state)
    for path in ("/", "/news/new-chief/", "/northfield/"):
        status, _, body = call(app, path)
        assert status == "500 Build failed"
        assert "content/news/2026-02-01-new-chief.md:3: &#x27;date&#x27;: expected a date" in body
    # The last good site is still on disk, but never shown while broken.
    assert (out / "main/news/new-chief/index.html").is_file()
    story.write_text(good)
    rebuild(site, out, state, NOW)
    status, _, body = call(app, "/news/new-chief/")
    assert status == "200 OK" and "New Chief Constable starts work" in body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_rebuilds_on_change(site_copy):
    site = site_copy()
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--source", str(site),
                             "--port", str(port), "--now", "2026-11-25"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def fetch(path):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                    return r.status, r.read().decode()
            except urllib.error.HTTPError as err:
                return err.code, err.read().decode()

        deadline = time.monotonic() + 20
        while True:
            try:
                status, body = fetch("/about-us/")
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert status == 200 and "About us" in body
        page = site / "content/pages/about-us.md"
        page.write_text(page.read_text().replace("title: About us", "title: About Testshire Police"))
        deadline = time.monotonic() + 20
        while "About Testshire Police" not in fetch("/about-us/")[1]:
            assert time.monotonic() < deadline, "change never reached the server"
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(10)
