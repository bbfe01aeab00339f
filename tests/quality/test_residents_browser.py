"""What a resident on a 375 px phone reads and taps: dates with their weekday, venues with a map link,
team contacts that call or write at a tap. In headless Chromium on the built demo."""

from __future__ import annotations

import re

import pytest

from . import tools

pytestmark = pytest.mark.browser

WEEKDAY_DATE = re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ \d{4}")
CLOCK_ONLY = re.compile(r"\d{1,2}(:\d\d)?(am|pm)|midday")

TEAM = "birmingham-west-central/teams/city-centre/"
EVENT = "coventry/events/2026-12-05-coventry-police-open-day/"
PAGES_WITH_DATES = [TEAM, EVENT, "events/", "coventry/events/", "news/", "news/appeal-aston-stabbing/",
                    "appeals/", "appeals/missing-man-selly-oak/"]


@pytest.fixture
def resident(browser):
    """A 375 px phone."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    yield context
    context.close()


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES_WITH_DATES)
def test_every_date_a_resident_reads_names_its_weekday(resident, site_url, path):
    page, visit = tools.open_page(resident, site_url + path)
    assert visit.status == 200
    shown = page.eval_on_selector_all("main time", "els => els.map(e => e.textContent.trim())")
    dates = [text for text in shown if not CLOCK_ONLY.fullmatch(text)]
    assert dates, f"/{path} shows no dates"
    assert [d for d in dates if not WEEKDAY_DATE.match(d)] == []


# --- venues --------------------------------------------------------------------------------


def box_of(locator) -> dict:
    locator.scroll_into_view_if_needed()
    return locator.bounding_box()


def test_an_event_venue_has_its_whole_postcode_and_a_map_link_that_loads_nothing(resident, site_url):
    page, visit = tools.open_page(resident, site_url + EVENT, settle=True)
    where = page.locator("dl.event__facts dd", has=page.locator("a.map-link"))
    assert re.search(r"\b[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}\b", where.inner_text())
    link = where.locator("a.map-link")
    href = link.get_attribute("href")
    assert href.startswith("https://www.openstreetmap.org/search?query=") and "CV1%202JX" in href
    box = box_of(link)
    assert box["height"] >= 44 and box["x"] + box["width"] <= 375
    assert page.locator("iframe, img[src*='openstreetmap'], [src*='tile']").count() == 0
    assert visit.third_party == []


def test_each_meeting_on_a_team_page_links_its_venue_to_a_map(resident, site_url):
    page, visit = tools.open_page(resident, site_url + TEAM, settle=True)
    cards = page.locator("#meetings ~ ul .event, section[aria-labelledby='meetings'] li.event")
    assert cards.count() >= 1
    for n in range(cards.count()):
        card = cards.nth(n)
        online = "Online" in card.locator(".card__meta").inner_text()
        links = card.locator("a.map-link")
        assert links.count() == (0 if online else 1)
        if not online:
            assert links.get_attribute("href").startswith("https://www.openstreetmap.org/search?query=")
            assert box_of(links)["height"] >= 44
    assert visit.third_party == []
