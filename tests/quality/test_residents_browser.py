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


# --- contacts ------------------------------------------------------------------------------

CONTACT_PAGES = [TEAM, "coventry/", "contact-us/", EVENT, "birmingham-south/teams/bournville/"]
CONTACT_LINKS = "main a[href^='tel:'], main a[href^='mailto:']"


@pytest.mark.parametrize("path", CONTACT_PAGES)
def test_every_phone_number_and_email_is_a_link_big_enough_to_tap(resident, site_url, path):
    page, _ = tools.open_page(resident, site_url + path)
    links = page.locator(CONTACT_LINKS)
    assert links.count() >= 2
    small = []
    for n in range(links.count()):
        link = links.nth(n)
        if not link.is_visible():  # inside a closed <details>
            continue
        if link.evaluate("a => !!a.closest('p:not(.contact-alone)')"):  # in a sentence: stays in its line
            continue                                                      # (WCAG 2.5.8's exception)
        box = box_of(link)
        if box["width"] < 44 or box["height"] < 44 or box["x"] < 0 or box["x"] + box["width"] > 375:
            small.append((link.get_attribute("href"), box))
    assert small == []
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    # UK numbers dial in E.164 from any phone; the text stays the number as written.
    for href, text in page.eval_on_selector_all("main a[href^='tel:']", "els => els.map(e => [e.getAttribute('href'), e.textContent])"):
        digits = re.sub(r"\D", "", text)
        if text.startswith("0"):
            assert href == "tel:+44" + digits[1:], (href, text)
        else:
            assert href == "tel:" + digits, (href, text)
    # No number or address is left as plain text in the page's own words.
    plain = page.evaluate(r"""() => {
        const found = [], walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('a, script, style')) continue;
            const text = node.textContent;
            for (const m of text.matchAll(/\b0\d{2,4}(?: ?\d{3,4}){1,2}\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) found.push(m[0]);
        }
        return found; }""")
    assert plain == []


def test_the_team_page_offers_its_phone_and_email_at_the_top(resident, site_url):
    page, _ = tools.open_page(resident, site_url + TEAM)
    quick = page.locator("main .quick-contact")
    assert quick.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))") == [
        "tel:+441214960441", "mailto:citycentre@west-midlands.police.example"]
    top = "e => e.getBoundingClientRect().top + window.scrollY"
    assert quick.evaluate(top) < page.locator("#members").evaluate(top)  # before the team's members
    # The team's own prose ('call us on 0121 496 0441') is tappable too.
    prose = page.locator("main .prose a[href='tel:+441214960441']")
    assert prose.count() == 1 and prose.inner_text() == "0121 496 0441"
