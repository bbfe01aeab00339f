"""Driving the editors' CMS for real: a throw-away git repository holding a copy of the demo, decap-server
(Decap's local backend) serving it on 127.0.0.1, the built /admin/ open in headless chromium, and the
few steps an editor takes in it. Shared by the CMS's browser tests and scripts/cms_screenshots.py.

Everything stays on 127.0.0.1: the built main site is served by a local server, decap-server listens
on a free local port, and the browser blocks any other address.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from . import tools

REPO = tools.REPO_ROOT
SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"
#: The moment every CMS test builds at, so 'tomorrow' never depends on the clock.
NOW = dt.datetime(2026, 12, 3, 12, 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


def git(repo: Path, *args: str) -> str:
    done = run("git", "-c", "user.name=Test", "-c", "user.email=test@127.0.0.1", *args, cwd=repo)
    assert done.returncode == 0, done.stderr
    return done.stdout


def make_clone(repo: Path) -> int:
    """Fill `repo` (a new folder) with a git repository of the demo's content, static files, site.toml
    and test record, its CMS on a local backend at a free port; returns the port."""
    if not SERVER.is_file() or shutil.which("node") is None or shutil.which("git") is None:
        tools.missing_tool("decap-server (npm ci --ignore-scripts), node and git are needed for the CMS test")
    tools.copy_demo(repo, folders=("content", "static"))
    port = free_port()
    config = (REPO / "site.toml").read_text(encoding="utf-8")
    assert re.findall(r"^\[.+\]$", config, re.M)[-1] == "[cms]", "[cms] must end site.toml"
    (repo / "site.toml").write_text(config + f"local_backend = {port}\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    # decap-server commits in git mode as whoever the repository says (it runs with no HOME of its own).
    git(repo, "config", "user.name", "Press office")
    git(repo, "config", "user.email", "press-office@127.0.0.1")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Demo")
    return port


@contextlib.contextmanager
def decap_server(repo: Path, port: int, mode: str = "fs") -> Iterator[None]:
    """decap-server on 127.0.0.1:`port`. In "fs" mode it writes files straight into `repo`; in "git" mode
    it keeps the editorial workflow as git does on a real host: a branch per entry, merged on publish."""
    env = {"PATH": os.environ["PATH"], "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": mode,
           "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "warn"}
    proc = subprocess.Popen(["node", str(SERVER)], cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.1):
                break
            assert proc.poll() is None, proc.stdout.read().decode()
            time.sleep(0.05)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def build(repo: Path, out: Path) -> subprocess.CompletedProcess:
    return run(sys.executable, str(REPO / "build.py"), "build", "--source", str(repo), "--output", str(out),
               "--now", NOW.isoformat(timespec="minutes"), "--quiet")


def check(repo: Path) -> subprocess.CompletedProcess:
    return run(sys.executable, str(REPO / "build.py"), "check", "--source", str(repo), "--now",
               NOW.isoformat(timespec="minutes"))


@contextlib.contextmanager
def admin(browser, repo: Path, port: int, out: Path, mode: str = "fs", width: int = 1280):
    """The admin page of the clone's build, signed in, with decap-server running; yields
    (page, base URL, the console errors and warnings the browser reported)."""
    built = build(repo, out)
    assert built.returncode == 0, built.stderr
    reported: list[str] = []
    with decap_server(repo, port, mode), tools.serve(out / "main") as base:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB",
                                      timezone_id="Europe/London")
        try:
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.on("console", lambda m: reported.append(f"{m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: reported.append(f"pageerror: {e}"))
            page.on("dialog", lambda dialog: dialog.accept())  # 'leave this entry unsaved?'; yes
            page.route("**/*", lambda route: route.continue_() if tools.is_local(route.request.url)
                       else route.abort("blockedbyclient"))
            page.goto(base + "admin/")
            page.get_by_role("button", name="Login").click()
            page.get_by_text("Birmingham South: news").first.wait_for()
            yield page, base, reported
        finally:
            context.close()


def control(page, name: str, last: bool = False):
    """The input of the field `name` (Decap numbers their ids: title-field-1)."""
    found = page.locator(f"[id^='{name}-field-']")
    return found.last if last else found.first


def choose(page, name: str, option: str) -> None:
    control(page, name).click()
    page.get_by_role("option", name=option, exact=True).click()


def open_route(page, base: str, route: str, wait_for_form: bool = True) -> None:
    """Open a view of the CMS in a new document. A new hash alone, or a reload after it, races the CMS:
    after a save it moves to the saved entry's address a moment later, and a reload then reopens that
    entry. Leaving the document first ends whatever the old one was about to do."""
    page.goto("about:blank")
    page.goto(base + "admin/#" + route)
    page.wait_for_url(re.compile(re.escape("#" + route) + "$"))
    if wait_for_form:
        control(page, "title").wait_for()


def new_entry(page, base: str, collection: str, title: str, summary: str | None, when: dt.datetime) -> None:
    open_route(page, base, f"/collections/{collection}/new")
    control(page, "title").fill(title)
    control(page, "date").fill(when.strftime("%Y-%m-%dT%H:%M"))
    if summary:
        control(page, "summary").fill(summary)


def wait_for(page, path: Path, text: str = "\n---\n") -> str:
    """The file once the CMS has saved it (with `text` in it); waiting in the browser, which must go on
    answering the page's requests (our route handler runs only while Playwright has control)."""
    for _ in range(600):  # saving goes through the browser, decap-server and the disk
        if path.is_file() and text in (found := path.read_text(encoding="utf-8")):
            return found
        page.wait_for_timeout(50)
    raise AssertionError(f"the CMS wrote no {path} with {text!r}")
