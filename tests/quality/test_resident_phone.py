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


from . import tools

pytestmark = pytest.mark.browser

NOW = "2026-11-25T12:00"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo built at NOW: its main site folder."""
    root = tools.copy_demo(tmp_path_factory.mktemp("resident-demo") / "site")
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


# --- appeals: how you can help, the year of every date, one thank-you ---------------------------

OPEN = "appeals/missing-woman-erdington/"
ENDED = "appeals/missing-man-selly-oak/"


def test_an_open_appeal_has_a_help_box_of_numbers_a_thumb_can_tap(phone, base):
    page, visit = tools.open_page(phone, base + OPEN)
    assert visit.status == 200
    box = page.get_by_role("region", name="How you can help")
    assert box.is_visible()
    links = box.get_by_role("link")
    found = {}
    for i in range(links.count()):
        link = links.nth(i)
        rect = link.bounding_box()
        assert rect["width"] >= 44 and rect["height"] >= 44, (link.inner_text(), rect)
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= 390, rect  # on the screen, no sideways scrolling
        found[link.get_attribute("href")] = " ".join(link.inner_text().split())
    assert found == {"tel:101": "Police non-emergency 101", "tel:+44800555111": "Crimestoppers 0800 555 111",
                     "tel:999": "Emergency 999"}
    words = " ".join(box.inner_text().split())
    assert "Quote the reference log 2104 of 20 November 2026 when you call." in words
    assert "anonymously" in words and "in danger" in words
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_help_box_is_gone_once_the_appeal_ends(phone, base):
    page, visit = tools.open_page(phone, base + ENDED)
    assert visit.status == 200
    assert page.get_by_role("region", name="How you can help").count() == 0
    assert page.locator("main a[href^='tel:']").count() == 0


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@pytest.mark.parametrize("path", [OPEN, ENDED, "dudley/appeals/missing-teenager-brierley-hill/",
                                  "solihull/appeals/stolen-tractor-meriden/"])
def test_every_date_a_resident_reads_on_an_appeal_names_its_year(phone, base, path):
    import re
    page, visit = tools.open_page(phone, base + path)
    assert visit.status == 200
    text = " ".join(main_text(page).split())
    assert re.findall(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTHS})\b(?!,? \d{{4}})", text) == [], text
    if path == OPEN:
        assert "Friday 20 November 2026 at about 7pm" in text


def test_an_ended_appeal_thanks_people_once(phone, base):
    page, visit = tools.open_page(phone, base + ENDED)
    assert visit.status == 200
    text = main_text(page)
    assert text.casefold().count("thank") == 1, text
    assert "This appeal has ended: resolved on Sunday 4 October 2026." in text


# --- the LPU home: its teams' next meetings ------------------------------------------------------


def test_the_lpu_home_lists_its_teams_next_meetings_and_links_them_all(phone, base):
    page, visit = tools.open_page(phone, base + "birmingham-south/")
    assert visit.status == 200
    section = page.get_by_role("region", name="Upcoming meetings")
    assert section.is_visible()
    starts = section.locator("li time:first-child").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert len(starts) == 3 and starts == sorted(starts) and starts[0] >= NOW, starts
    first = section.locator("li h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title
    page.go_back()
    everything = page.get_by_role("link", name="All events and meetings in Birmingham South")
    rect = everything.bounding_box()
    assert rect["x"] + rect["width"] <= 390
    everything.click()
    page.wait_for_url(base + "birmingham-south/events/")
    assert title in page.inner_text("main")


# --- search: advice before the places where the crime is a priority -----------------------------


def search(page, text: str) -> list[str]:
    page.fill("#search-q", text)
    page.press("#search-q", "Enter")
    page.wait_for_function("() => /results? for/.test(document.querySelector('[data-search-status]').textContent)")
    return page.eval_on_selector_all(".search__title a", "els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize("words, first", [("burglary", "/advice/burglary/"),
                                          ("car theft", "/advice/vehicle-crime/"),
                                          ("scams", "/advice/fraud-and-scams/")])
def test_searching_for_a_crime_finds_the_advice_on_preventing_it_first(phone, base, words, first):
    page, visit = tools.open_page(phone, base + "search/")
    assert visit.status == 200
    urls = search(page, words)
    assert urls[0] == first, urls
    assert len(urls) == 10  # the priorities and news are still there, after it
    title = page.locator(".search__title a").first
    rect = title.bounding_box()
    assert rect["x"] + rect["width"] <= 390


@pytest.mark.parametrize("path", [OPEN, ENDED, "appeals/", "birmingham-south/appeals/", "birmingham-south/",
                                  "dudley/"])
def test_the_changed_pages_pass_axe_at_phone_width(browser, base, path):
    visit, violations = tools.axe_check(browser, base + path, "phone")
    assert visit.status == 200
    tools.fail_on_axe(violations, path, "phone")
