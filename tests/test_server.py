"""The dev server: pages rendered from the site in memory, updated file by file, the error list while broken.

The tests that edit compare what is served with what a full build writes for the same content
(`assert_same_as_build`), so the fast path can never serve a page a build would not write.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import NOW, REPO
from wmpsite.build import pipeline
from wmpsite.content.schedule import NEXT_CHANGE
from wmpsite.core.errors import BuildFailed
from wmpsite.serve.devsite import DevSite
from wmpsite.serve.server import Updater, make_app

STORY = "content/news/2026-02-01-new-chief.md"


def call(app, path):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path}, start_response))
    return seen["status"], seen["headers"], body.decode("utf-8")


def assert_same_as_build(dev: DevSite, site, tmp_path, *, pages_only: bool = False):
    """Every file a full build of `site` writes is served with the same bytes, and nothing else is a page."""
    out = tmp_path / f"build-{time.monotonic_ns()}"
    pipeline.build(site, out, now=NOW, single_origin=True)
    built = {f.relative_to(out).as_posix(): f.read_bytes() for f in (out / "main").rglob("*") if f.is_file()}
    assert built and {f.relative_to(out).parts[0] for f in out.iterdir()} == {"main", NEXT_CHANGE}  # beside the site
    for rel, data in sorted(built.items()):
        if pages_only and not rel.endswith(".html"):
            continue
        found = dev.file(rel)
        assert found is not None, f"{rel} is not served"
        assert found[1] == data, f"{rel} differs from the build's"
    assert set(dev.current[0].pages) == {rel for rel in built if rel.endswith(".html")}


def edit(site, rel, old, new):
    path = site / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return path


def test_serves_the_site_and_its_404(site_copy, tmp_path):
    site = site_copy()
    dev = DevSite(site, now=NOW)
    app = make_app(dev)
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
    status, headers, body = call(app, "/feeds/news/rss.xml")
    assert status == "200 OK" and "New Chief Constable starts work" in body
    assert call(app, "/../site.toml")[0] == "404 Not Found"


def test_everything_served_is_what_a_build_writes(site_copy, tmp_path):
    site = site_copy()
    dev = DevSite(site, now=NOW)
    assert_same_as_build(dev, site, tmp_path)  # pages, feeds, calendars, sitemaps, images, search index


def test_an_edit_to_the_text_takes_the_fast_path_and_matches_a_build(site_copy, tmp_path):
    site = site_copy()
    dev = DevSite(site, now=NOW)
    app = make_app(dev)
    call(app, "/news/new-chief/")  # rendered once, so a stale copy could be served
    call(app, "/news/")
    path = edit(site, STORY, "starts today.", "starts today, with a **new** line.")
    edit(site, STORY, "summary: The force welcomes", "summary: Testshire welcomes")  # shown in lists too
    edit(site, STORY, "title: New Chief Constable", "title: Chief Constable")  # and so is the title
    assert dev.update([path]) == "fast"
    assert not dev.current[0].full
    status, _, body = call(app, "/news/new-chief/")
    assert status == "200 OK" and "with a <strong>new</strong> line" in body
    assert "Testshire welcomes its new Chief Constable" in call(app, "/news/")[2]
    assert "New Chief Constable" not in call(app, "/")[2]
    assert_same_as_build(dev, site, tmp_path, pages_only=True)  # still the fast state: pages only
    assert not dev.current[0].full
    dev.finish()  # what the background check does
    assert dev.current[0].full and dev.errors is None
    assert_same_as_build(dev, site, tmp_path)


def test_an_edit_that_moves_things_shows_early_then_plans_in_full(site_copy, tmp_path):
    site = site_copy()
    dev = DevSite(site, now=NOW)
    app = make_app(dev)
    path = edit(site, STORY, "date: 2026-02-01", "date: 2026-03-02")  # now the newest story
    assert dev.update([path]) == "early"
    assert "2 March 2026" in call(app, "/news/new-chief/")[2]  # its own page at once
    assert dev.finish() is True  # the background check: the full plan moves it in the lists
    assert_same_as_build(dev, site, tmp_path, pages_only=True)
    path = edit(site, "content/advice/burglary.md", "title: ", "title: Zzz ")  # titles order advice
    assert dev.update([path]) == "early"
    dev.finish()
    assert_same_as_build(dev, site, tmp_path, pages_only=True)
    path = edit(site, STORY, "summary:", "tags: [new-tag]\nsummary:")  # a new tag: a new feed
    assert dev.update([path]) == "early"
    dev.finish()
    assert_same_as_build(dev, site, tmp_path)
    path = edit(site, STORY, "summary:", "slug: chief\nsummary:")  # a new address: only the full plan knows
    assert dev.update([path]) == "full"
    assert call(app, "/news/chief/")[0] == "200 OK"
    path = edit(site, STORY, "summary:", "unpublish_on: 2026-11-01\nsummary:")  # it leaves every list
    assert dev.update([path]) == "full"
    assert_same_as_build(dev, site, tmp_path)


def test_broken_content_shows_errors_then_recovers(site_copy, tmp_path):
    site = site_copy()
    dev = DevSite(site, now=NOW)
    app = make_app(dev)
    good = (site / STORY).read_text()
    path = edit(site, STORY, "date: 2026-02-01", "date: next week")
    dev.update([path])
    for where in ("/", "/news/new-chief/", "/northfield/"):
        status, _, body = call(app, where)
        assert status == "500 Build failed"
        assert "content/news/2026-02-01-new-chief.md:3: &#x27;date&#x27;: expected a date" in body
    # The last good site's files still load (a stylesheet is no page), but never a page.
    assert call(app, "/css/site.css")[0] == "200 OK"
    path.write_text(good)
    assert dev.update([path]) == "fast"  # back to what the last full state had
    status, _, body = call(app, "/news/new-chief/")
    assert status == "200 OK" and "New Chief Constable starts work" in body
    assert_same_as_build(dev, site, tmp_path, pages_only=True)


def test_a_broken_link_shows_on_the_fast_path_and_after_the_full_check(site_copy):
    site = site_copy()
    dev = DevSite(site, now=NOW)
    app = make_app(dev)
    path = edit(site, STORY, "starts today.", "starts today. See [the plan](../advice/no-such-advice.md).")
    assert dev.update([path]) == "fast"
    message = "content/news/2026-02-01-new-chief.md:6: the link to &#x27;content/advice/no-such-advice.md&#x27;"
    status, _, body = call(app, "/news/new-chief/")
    assert status == "500 Build failed" and message in body
    fast_errors = dev.errors
    dev.finish()
    assert dev.errors == fast_errors  # the full check finds the same, and nothing else
    path = edit(site, STORY, "../advice/no-such-advice.md", "../advice/burglary.md")
    assert dev.update([path]) == "fast"
    assert call(app, "/news/new-chief/")[0] == "200 OK"


def test_deleting_and_adding_files(site_copy, tmp_path):
    site = site_copy()
    dev = DevSite(site, now=NOW)
    app = make_app(dev)
    (site / STORY).unlink()
    assert dev.update([site / STORY]) == "full"
    assert call(app, "/news/new-chief/")[0] == "404 Not Found"
    assert "New Chief Constable" not in call(app, "/news/")[2]
    assert_same_as_build(dev, site, tmp_path, pages_only=True)
    added = site / "content/news/2026-04-01-open-day.md"
    added.write_text("---\ntitle: Open day at the station\ndate: 2026-04-01\nsummary: Come and see.\n---\nTea.\n")
    assert dev.update([added]) == "full"
    status, _, body = call(app, "/news/open-day/")
    assert status == "200 OK" and "Open day at the station" in body
    assert_same_as_build(dev, site, tmp_path, pages_only=True)
    # An editor's temporary file, gone by the time it is looked at, changes nothing.
    assert dev.update([site / "content/news/4913"]) == "none"
    assert dev.update([site / "content/news/.open-day.md.swp"]) == "none"
    # A file where no content goes is an error like any other, until it goes.
    stray = site / "content/news/notes.txt"
    stray.write_text("to do")
    dev.update([stray])
    status, _, body = call(app, "/")
    assert status == "500 Build failed" and "content/news/notes.txt: a file in a place where no content" in body
    stray.unlink()
    dev.update([stray])
    assert call(app, "/")[0] == "200 OK"


OPEN_DAY = "content/news/2026-04-01-open-day.md"
GOOD_OPEN_DAY = "---\ntitle: Open day at the station\ndate: 2026-04-01\nsummary: Come and see.\n---\nTea.\n"


def check_errors(site) -> list[str]:
    """What `check` says of `site`: its errors, as the editor reads them."""
    try:
        pipeline.check(site, now=NOW)
    except BuildFailed as failed:
        return [str(e) for e in failed.errors]
    return []


def assert_shows_errors(dev: DevSite, site, *where: str):
    """Every page in `where` is the error list, and the list is what `check` reports."""
    app = make_app(dev)
    expected = check_errors(site)
    assert expected and [str(e) for e in dev.errors] == expected
    for path in where:
        status, _, body = call(app, path)
        assert status == "500 Build failed" and all(html.escape(e) in body for e in expected), path


@pytest.mark.parametrize("text, message", [
    ("", "content/news/2026-04-01-open-day.md:1: expected front matter"),
    ("---\ntitle: Open day\ndate: 2026-04-01\n---\nTea.\n", "'summary' is missing"),
    (GOOD_OPEN_DAY.replace("2026-04-01", "2026-02-30"), "content/news/2026-04-01-open-day.md:3: 'date'"),
], ids=["empty", "no summary", "bad date"])
def test_a_new_file_with_an_error_shows_it_until_fixed(site_copy, tmp_path, text, message):
    # A new file is as much the editor's work as an edited one: its errors show on every page, its
    # own address included, as `check` lists them, until it is fixed.
    site = site_copy()
    dev = DevSite(site, now=NOW)
    app = make_app(dev)
    added = site / OPEN_DAY
    added.write_text(text)
    assert dev.update([added]) == "full"
    assert_shows_errors(dev, site, "/", "/news/", "/news/open-day/")
    assert any(message in str(e) for e in dev.errors)
    added.write_text(GOOD_OPEN_DAY)
    dev.update([added])
    assert dev.errors is None and call(app, "/news/open-day/")[0] == "200 OK"
    assert_same_as_build(dev, site, tmp_path, pages_only=True)


def test_renaming_and_deleting_files_with_and_without_errors(site_copy, tmp_path):
    site = site_copy()
    dev = DevSite(site, now=NOW)
    app = make_app(dev)
    story = site / STORY
    # Renamed to a name that cannot be an address: the error shows, the old address is gone.
    bad_name = site / "content/news/2026-02-01-New Chief.md"
    story.rename(bad_name)
    dev.update([story, bad_name])
    assert_shows_errors(dev, site, "/", "/news/new-chief/")
    # Renamed again to a good name: the story is at its new address.
    renamed = site / "content/news/2026-02-01-chief-constable.md"
    bad_name.rename(renamed)
    assert dev.update([bad_name, renamed]) == "full"
    assert dev.errors is None and call(app, "/news/chief-constable/")[0] == "200 OK"
    assert call(app, "/news/new-chief/")[0] == "404 Not Found"
    # A new file with an error, then deleted: the site is as it was.
    added = site / OPEN_DAY
    added.write_text("")
    dev.update([added])
    assert_shows_errors(dev, site, "/news/chief-constable/")
    added.unlink()
    dev.update([added])
    assert dev.errors is None and call(app, "/news/open-day/")[0] == "404 Not Found"
    # An edited file with an error, then deleted: the error goes with it.
    winter = edit(site, "content/news/2026-01-05-winter-safety.md", "title:", "title: [")
    dev.update([winter])
    assert_shows_errors(dev, site, "/")
    winter.unlink()
    dev.update([winter])
    assert dev.errors is None and call(app, "/news/winter-safety/")[0] == "404 Not Found"
    assert_same_as_build(dev, site, tmp_path, pages_only=True)


def test_templates_and_settings_changes(site_copy, tmp_path):
    site = site_copy()
    dev = DevSite(site, now=NOW)
    app = make_app(dev)
    edit(site, STORY, "starts today.", "starts today, in a draft.")
    assert dev.update([site / STORY]) == "fast"  # a template change applies to the edited text too
    article = site / "templates/article.html"
    article.parent.mkdir()
    theme = REPO / "templates/article.html"  # the default theme's
    article.write_text(theme.read_text().replace('<article class="article">', '<article class="article"><p>Draft layout</p>', 1))
    assert dev.update([article]) == "templates"
    body = call(app, "/news/new-chief/")[2]
    assert "Draft layout" in body and "starts today, in a draft." in body
    dev.finish()
    assert "Draft layout" in call(app, "/news/new-chief/")[2]  # and so does the full state after the check
    assert_same_as_build(dev, site, tmp_path, pages_only=True)
    article.write_text("{% block main %}")
    dev.update([article])
    status, _, body = call(app, "/news/new-chief/")  # a template error shows on the pages that use it
    assert status == "500 Build failed" and "templates/article.html" in body
    article.unlink()
    assert dev.update([article]) == "templates"
    assert "Draft layout" not in call(app, "/news/new-chief/")[2]
    toml = edit(site, "site.toml", "news_per_page = 2", "news_per_page = 1")
    assert dev.update([toml]) == "full"
    assert_same_as_build(dev, site, tmp_path, pages_only=True)


def test_the_updater_tells_the_browsers_once_per_change(site_copy):
    site = site_copy()
    told = []
    updater = Updater(DevSite(site, now=NOW), told.append)
    path = edit(site, STORY, "starts today.", "starts today!")
    assert updater.update({str(path)}) == "fast" and told == [str(path)]
    assert updater.unfinished.is_set()
    updater.finish()  # the full check agrees: nothing new to show
    assert told == [str(path)]
    edit(site, STORY, "starts today!", "starts today. [Broken](nowhere.md)")
    updater.update({str(path)})
    assert len(told) == 2 and updater.site.errors
    edit(site, STORY, "starts today. [Broken](nowhere.md)", "starts today.")
    edit(site, STORY, "date: 2026-02-01", "date: 2026-03-02")
    assert updater.update({str(path)}) == "early" and len(told) == 3
    updater.finish()  # the full plan may move the story in lists: the browsers reload again
    assert told[3:] == ["*"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def listen(port: int, url: str):
    """Connect to the livereload websocket as livereload.js does; return the connection once registered."""
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    hello = json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
    await ws.write_message(hello)
    assert json.loads(await ws.read_message())["command"] == "hello"
    await ws.write_message(json.dumps({"command": "info", "url": url, "plugins": {}}))
    await ws.write_message(hello)  # answered only after the info above has been taken in
    assert json.loads(await ws.read_message())["command"] == "hello"
    return ws


def test_serve_command_updates_on_change_and_tells_the_browser(site_copy):
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

        async def edit_and_wait():
            ws = await listen(port, f"http://127.0.0.1:{port}/about-us/")
            page = site / "content/pages/about-us.md"
            page.write_text(page.read_text().replace("title: About us", "title: About Testshire Police"))
            message = json.loads(await asyncio.wait_for(ws.read_message(), 20))
            ws.close()
            return message

        # In its own thread: Playwright's session fixtures may hold an event loop in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            message = pool.submit(asyncio.run, edit_and_wait()).result()
        assert message["command"] == "reload"
        # The browser reloads when told: the page it then gets already has the change.
        assert "About Testshire Police" in fetch("/about-us/")[1]
    finally:
        proc.terminate()
        proc.wait(10)


def run_serve(site, *args: str) -> subprocess.CompletedProcess:
    """`build.py serve` on `site` with `args`, expected to stop by itself (a server that starts is killed)."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--source", str(site), "--now",
                           "2026-11-25", *args], capture_output=True, text=True, timeout=60)


def test_a_port_out_of_range_is_a_usage_error(site_copy):
    # The kernel would take 99999 as 99999 - 65536 and serve there without a word.
    site = site_copy()
    for port in ("99999", "0", "eight"):
        result = run_serve(site, "--port", port)
        assert result.returncode == 2 and result.stdout == ""
        assert f"argument --port: expected a port from 1 to 65535, like 8000, found '{port}'" in result.stderr


def test_a_busy_port_is_said_plainly_before_anything_else(site_copy):
    site = site_copy()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve(site, "--port", str(port))
    assert result.returncode == 4 and result.stdout == ""  # no 'Serving on ...' first
    assert result.stderr == (f"wmpsite serve: port {port} on 127.0.0.1 is already in use: another `serve`, or "
                             "another program, is listening on it. Stop that one, or serve on another port with "
                             f"--port, like --port {port + 1}.\n")


def test_an_address_the_machine_does_not_have_is_said_plainly(site_copy):
    result = run_serve(site_copy(), "--host", "no-such-host.invalid", "--port", str(free_port()))
    assert result.returncode == 4 and "Traceback" not in result.stderr
    assert "this machine has no address 'no-such-host.invalid' to serve on. Leave out --host" in result.stderr
