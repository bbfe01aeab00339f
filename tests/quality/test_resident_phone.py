"""Appeals, search, questions and the LPU home as a resident meets them on a phone, in chromium.

The demo is built once at a fixed moment (so which appeals are open and which meetings are upcoming
never depends on the clock) and served on 127.0.0.1; every test reads the page as the browser lays
it out at phone width.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_demo

from . import tools

pytestmark = pytest.mark.browser

NOW = "2026-11-25T12:00"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo built at NOW: its main site folder."""
    root = copy_demo(tmp_path_factory.mktemp("resident-demo") / "site")
    out = root / "_out"
    proc = subprocess.run([sys.executable, str(tools.REPO_ROOT / "build.py"), "build", "--source", str(root),
                           "--output", str(out), "--now", NOW, "--quiet"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out / "main"


@pytest.fixture(scope="module")
def base(demo):
    with tools.serve(demo) as url:
        yield url


@pytest.fixture
def phone(browser):
    with tools.browser_context(browser, "phone") as context:
        yield context


def main_text(page) -> str:
    return page.inner_text("main")


# --- questions: an LPU asked none has no list, no feed and no link to them ----------------------


def test_an_lpu_asked_no_questions_sends_residents_to_the_force_wide_list(phone, base, demo):
    page, visit = tools.open_page(phone, base + "dudley/")
    assert visit.status == 200
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => [a.textContent.trim(), a.href])")
    assert not [href for _, href in links if "/dudley/rate-your-local-police/" in href or "/dudley/feeds/questions/" in href]
    wanted = [href for text, href in links if text == "Rate your local police"]
    assert wanted and set(wanted) == {base + "rate-your-local-police/"}, wanted
    page.get_by_role("main").get_by_role("link", name="Rate your local police").click()
    page.wait_for_url(base + "rate-your-local-police/")
    assert page.get_by_role("heading", level=1).inner_text() == "Rate your local police"
    for gone in ("dudley/rate-your-local-police/", "dudley/feeds/questions/rss.xml"):
        assert phone.request.get(base + gone).status == 404, gone
    # An LPU that was asked keeps its own list and feed.
    assert phone.request.get(base + "coventry/rate-your-local-police/").status == 200
    assert phone.request.get(base + "coventry/feeds/questions/rss.xml").status == 200
    assert "/dudley/rate-your-local-police/" not in (demo / "sitemap.xml").read_text(encoding="utf-8")
