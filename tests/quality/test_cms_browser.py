"""The editors' CMS for real: Decap CMS in headless chromium, saving through decap-server (Decap's local
backend) into a throw-away git repository holding a copy of the demo; the files it writes must pass
`build.py check`, and a build must show what was saved, and not what waits for its moment.

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
from pathlib import Path

import pytest

from conftest import copy_demo

from . import tools

REPO = Path(__file__).resolve().parents[2]
SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"
NOW = dt.datetime(2026, 12, 3, 12, 0)
TOMORROW = NOW + dt.timedelta(days=1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> tuple[Path, int]:
    """A git repository with the demo's content, static files and site.toml, the CMS on a local backend."""
    if not SERVER.is_file() or shutil.which("node") is None or shutil.which("git") is None:
        tools.missing_tool("decap-server (npm ci --ignore-scripts), node and git are needed for the CMS test")
    repo = copy_demo(tmp_path_factory.mktemp("cms") / "force", folders=("content", "static"))
    port = free_port()
    (repo / "site.toml").write_text((REPO / "site.toml").read_text() + f"local_backend = {port}\n")
    assert re.findall(r"^\[.+\]$", (REPO / "site.toml").read_text(), re.M)[-1] == "[cms]", "[cms] must end site.toml"
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "."],
                    ["git", "-c", "user.name=Test", "-c", "user.email=test@127.0.0.1", "commit", "-qm", "Demo"]):
        assert run(*command, cwd=repo).returncode == 0
    return repo, port


@contextlib.contextmanager
def decap_server(repo: Path, port: int):
    env = {"PATH": os.environ["PATH"], "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
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


@pytest.fixture(scope="module")
def cms(clone, tmp_path_factory, browser):
    """The admin page of the clone's build, open in the browser with decap-server running; yields
    (page, repo, what the browser reported)."""
    repo, port = clone
    out = tmp_path_factory.mktemp("cms-out") / "_site"
    built = build(repo, out)
    assert built.returncode == 0, built.stderr
    reported: list[str] = []
    with decap_server(repo, port), tools.serve(out / "main") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                      timezone_id="Europe/London")
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("console", lambda m: reported.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: reported.append(f"pageerror: {e}"))
        page.on("dialog", lambda dialog: dialog.accept())  # 'leave this entry unsaved?'; yes
        page.route("**/*", lambda route: route.continue_() if tools.is_local(route.request.url)
                   else route.abort("blockedbyclient"))
        page.goto(base + "admin/")
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Birmingham South: news").first.wait_for()
        yield page, repo, reported, base
        context.close()


STORY = "content/lpus/birmingham-south/news/2026-12-03-selly-oak-bike-marking-day.md"
RELEASE = "content/news/2026-12-03-officers-honoured-at-force-awards.md"
PRIORITY = "content/lpus/birmingham-south/priorities/e-scooter-riding-bristol-road.md"
ACTION = "Twelve e-scooters seized on Bristol Road in one week of evening patrols."


def control(page, name: str, last: bool = False):
    """The input of the field `name` (Decap numbers their ids: title-field-1)."""
    found = page.locator(f"[id^='{name}-field-']")
    return found.last if last else found.first


def choose(page, name: str, option: str) -> None:
    control(page, name).click()
    page.get_by_role("option", name=option, exact=True).click()


def publish(page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()


def open_route(page, base: str, route: str) -> None:
    """Open a view of the CMS in a new document. A new hash alone, or a reload after it, races the CMS:
    after a save it moves to the saved entry's address a moment later, and a reload then reopens that
    entry. Leaving the document first ends whatever the old one was about to do."""
    page.goto("about:blank")
    page.goto(base + "admin/#" + route)
    page.wait_for_url(re.compile(re.escape("#" + route) + "$"))
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


def test_the_cms_opens_with_no_configuration_error(cms):
    page, repo, reported, base = cms
    assert page.get_by_text("Config Errors").count() == 0
    assert not [line for line in reported if "Content Security Policy" in line or "pageerror" in line], reported


def test_a_story_without_its_summary_cannot_be_saved(cms):
    page, repo, reported, base = cms
    new_entry(page, base, "news-birmingham-south", "A story with no summary", None, NOW)
    publish(page)
    page.get_by_text("missed a required field").first.wait_for()
    assert not list((repo / "content/lpus/birmingham-south/news").glob("*no-summary*"))
    page.goto(base + "admin/")  # and leave it unsaved


def test_a_news_story_for_the_selly_oak_team(cms):
    page, repo, reported, base = cms
    new_entry(page, base, "news-birmingham-south", "Selly Oak bike marking day", "Bring your bike to "
              "Selly Oak police station on Saturday to have it marked for free.", NOW)
    choose(page, "team", "Selly Oak")
    publish(page)
    text = wait_for(page, repo / STORY)
    assert "team: selly-oak" in text and "title: Selly Oak bike marking day" in text


def test_a_we_did_action_added_to_a_priority(cms):
    page, repo, reported, base = cms
    open_route(page, base, "/collections/priority-birmingham-south/entries/e-scooter-riding-bristol-road")
    before = (repo / PRIORITY).read_text(encoding="utf-8")
    from playwright.sync_api import expect  # waits in Playwright, which goes on answering the page's requests

    expect(control(page, "title")).to_have_value(re.compile("^Illegal e-scooter riding"))
    page.get_by_role("button", name="Add actions").click()
    control(page, "date", last=True).fill("2026-12-02")
    control(page, "text", last=True).fill(ACTION)
    publish(page)
    after = wait_for(page, repo / PRIORITY, ACTION)
    assert ACTION in after and before.count("- date:") + 1 == after.count("- date:")


def test_a_press_release_scheduled_for_tomorrow(cms):
    page, repo, reported, base = cms
    new_entry(page, base, "news", "Officers honoured at force awards", "Twelve officers and staff were "
              "recognised for bravery and service at this year's awards.", NOW)
    choose(page, "kind", "press-release")
    control(page, "publish_at").fill(TOMORROW.strftime("%Y-%m-%dT%H:%M"))
    publish(page)
    text = wait_for(page, repo / RELEASE)
    assert "kind: press-release" in text and f"publish_at: {TOMORROW:%Y-%m-%d %H:%M}" in text


def test_what_the_cms_wrote_passes_check_and_builds(cms, tmp_path):
    page, repo, reported, base = cms
    for rel in (STORY, RELEASE):
        assert (repo / rel).is_file(), rel
    checked = run(sys.executable, str(REPO / "build.py"), "check", "--source", str(repo), "--now",
                  NOW.isoformat(timespec="minutes"))
    assert checked.returncode == 0, checked.stderr
    out = tmp_path / "_site"
    built = build(repo, out)
    assert built.returncode == 0, built.stderr
    main = out / "main"
    pages = {path: path.read_text(encoding="utf-8") for path in main.rglob("*.html")}
    assert any("Selly Oak bike marking day" in text for text in pages.values())
    assert any(ACTION in text for text in pages.values())
    assert not any("Officers honoured at force awards" in text for text in pages.values())
    assert "Officers honoured at force awards" in checked.stdout + checked.stderr  # listed as waiting
    assert not reported or all("Content Security Policy" not in line for line in reported)
