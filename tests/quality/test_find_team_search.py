"""Find your neighbourhood team and site search, used in headless Chromium on the built demo.

Real inputs are typed into the built pages and the results read back; the
same pages are checked with JavaScript off, with axe-core once results are
showing, and for requests that leave 127.0.0.1.
"""

from __future__ import annotations

import pytest

from conftest import MINIMAL, NOW, copy_site
from wmpsite.build import pipeline

from . import tools

pytestmark = pytest.mark.browser

FIND = "find-your-team/"
SEARCH = "search/"

# Records Content-Security-Policy violations before any page script runs (the page's CSP cannot block this).
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def finder_page(browser, site_url):
    """One find-your-team page on a phone, shared by the many inputs typed into it."""
    with tools.visit_page(browser, site_url + FIND, "phone", init_script=CSP_WATCH) as (page, _):
        yield page


@pytest.fixture
def phone(browser):
    with tools.browser_context(browser, "phone", init_script=CSP_WATCH) as context:
        yield context


def wait_for_answer(page, status: str) -> str:
    """Wait until the status line has its answer (not empty, not 'Searching…'); return it."""
    page.wait_for_function(
        "sel => { const t = document.querySelector(sel).textContent; return t && !t.startsWith('Searching'); }",
        arg=status, timeout=15_000)
    return page.text_content(status)


def submit(page, field: str, status: str, text: str, results: str, read: str) -> tuple[str, list[str]]:
    """Type `text` into a form's field, submit, wait for the status line; return it and `read` of the results."""
    page.fill(field, text)
    page.press(field, "Enter")
    page.wait_for_function(f"() => document.querySelector('{status}').textContent !== 'Searching\u2026'")
    return wait_for_answer(page, status), page.eval_on_selector_all(results, read)


def find(page, text: str) -> tuple[str, list[str]]:
    """Type `text` into the find-your-team form, submit, and return (status line, team names found)."""
    status, names = submit(page, "#finder-q", "[data-finder-status]", text, ".finder__team h3",
                           "els => els.map(e => e.textContent)")
    return status, [n.removesuffix(" neighbourhood team") for n in names]


@pytest.mark.parametrize("text, status, teams", [
    ("b30 2ta", "1 team found for B30 2TA.", ["Bournville"]),
    ("B302TA", "1 team found for B30 2TA.", ["Bournville"]),
    ("  B30   2TA ", "1 team found for B30 2TA.", ["Bournville"]),
    ("B30 2", "1 team found for B30 2.", ["Bournville"]),
    ("B30", "1 team found for B30.", ["Bournville"]),
    # A district two teams share, by sector: both, and each sector its own team.
    ("B38", "2 teams found for B38.", ["Bournville", "Longbridge"]),
    ("b38 8az", "1 team found for B38 8AZ.", ["Bournville"]),
    ("B38 9", "1 team found for B38 9.", ["Longbridge"]),
    # B29: Bartley Green names sector B29 5, Selly Oak the others.
    ("B29", "2 teams found for B29.", ["Bartley Green", "Selly Oak"]),
    ("B29 5QT", "1 team found for B29 5QT.", ["Bartley Green"]),
    ("B29 8", "1 team found for B29 8.", ["Selly Oak"]),
    ("B1", "3 teams found for B1.", ["City Centre", "Jewellery Quarter", "Ladywood"]),
    ("B24 9", "1 team found for B24 9.", ["Erdington"]),
    ("B24", "2 teams found for B24.", ["Erdington", "Tyburn"]),
    ("Bournville", "1 team found for Bournville.", ["Bournville"]),
    ("bournvile", "1 team found for bournvile.", ["Bournville"]),
    ("Selly", "1 team found for Selly.", ["Selly Oak"]),
    ("selly oak", "1 team found for selly oak.", ["Selly Oak"]),
    ("Highters Heath", "1 team found for Highters Heath.", ["Billesley"]),
    ("B\u00f3urnville", "1 team found for B\u00f3urnville.", ["Bournville"]),
])
def test_postcodes_and_places_find_their_teams(finder_page, text, status, teams):
    page = finder_page
    with tools.Timer.measure("find your team (inputs)"):
        assert find(page, text) == (status, teams)
    assert page.evaluate("() => document.activeElement.id") == "finder-q"  # focus stays where the resident typed
    assert page.evaluate("() => window.__cspViolations") == []


def test_result_shows_link_contacts_and_next_meeting_and_leads_to_the_team(site_url, phone):
    page, _ = tools.open_page(phone, site_url + FIND)
    find(page, "B30 2TA")
    card = page.locator(".finder__team").first
    text = " ".join(card.inner_text().split())
    assert "Birmingham South" in text
    assert "Phone 0121 496 0335" in text and "bournville@west-midlands.police.example" in text
    assert "Next meeting: " in text or "No meetings are planned" in text
    assert card.locator("a[href^='tel:']").get_attribute("href") == "tel:+441214960335"
    card.locator("h3 a").click()
    page.wait_for_load_state("load")
    assert page.url == site_url + "birmingham-south/teams/bournville/"
    assert page.text_content("h1") == "Bournville neighbourhood team"


def test_no_match_says_so_and_offers_the_a_to_z_and_101(site_url, phone):
    page, _ = tools.open_page(phone, site_url + FIND)
    assert find(page, "zz99") == ("No team found for ZZ99.", [])
    links = page.eval_on_selector_all(".finder__results a", "els => els.map(e => e.getAttribute('href'))")
    assert {"#places", "#postcodes", "tel:101"} <= set(links)
    assert find(page, "xyzzy") == ("No team found for xyzzy.", [])


def test_query_in_the_address_is_searched_on_arrival(site_url, phone):
    page, _ = tools.open_page(phone, site_url + FIND + "?q=B38")
    assert wait_for_answer(page, "[data-finder-status]") == "2 teams found for B38."
    assert page.input_value("#finder-q") == "B38"


def test_without_javascript_the_a_to_z_reaches_a_team(browser, site_url):
    with tools.visit_page(browser, site_url + FIND, "phone", javascript=False) as (page, visit):
        assert visit.status == 200
        assert not page.is_visible(".finder")  # the form needs JavaScript
        page.click(".finder-places a:text-is('Selly Oak')")
        page.wait_for_load_state("load")
        assert page.text_content("h1") == "Selly Oak neighbourhood team"
        page.goto(site_url + FIND)
        page.locator(".finder-districts li", has_text="B38:").locator("a", has_text="Longbridge").click()
        page.wait_for_load_state("load")
        assert page.text_content("h1") == "Longbridge neighbourhood team"


# --- full-text search ------------------------------------------------------------------------


def search(page, text: str) -> tuple[str, list[str]]:
    """Type `text` into the search page's form, submit, and return (status line, result URLs)."""
    return submit(page, "#search-q", "[data-search-status]", text, ".search__title a",
                  "els => els.map(e => e.getAttribute('href'))")


def test_searching_for_a_word_from_a_news_story_finds_it_and_stays_on_this_server(site_url, phone):
    page, visit = tools.open_page(phone, site_url + SEARCH)
    status, urls = search(page, "tunnelled")
    assert status.endswith("for \u201ctunnelled\u201d.") and not status.startswith("No results")
    assert "/news/jewellery-quarter-burglars-jailed/" in urls
    assert page.text_content(".search__excerpt mark").lower().startswith("tunnel")
    status, urls = search(page, "Vaisakhi")
    assert "/news/vaisakhi-handsworth-park/" in urls
    assert page.url.endswith("/search/?q=Vaisakhi")
    with tools.Timer.measure("search page"):
        page.wait_for_load_state("networkidle")
    assert any("/pagefind/" in u for u in visit.requests)
    assert visit.third_party == []
    assert page.evaluate("() => window.__cspViolations") == []


def test_search_from_an_address_and_no_results(site_url, phone):
    page, _ = tools.open_page(phone, site_url + SEARCH + "?q=bike+marking")
    status = wait_for_answer(page, "[data-search-status]")
    assert status.endswith("results for \u201cbike marking\u201d.")
    assert page.eval_on_selector_all(".search__title a", "els => els.length") == 10
    page.click("[data-search-more] button")
    page.wait_for_function("() => document.querySelectorAll('.search__title a').length > 10")
    # Results merge the parts of the index (wmpsite/search.py): advice from one, news of 2025 from another.
    urls = page.eval_on_selector_all(".search__title a", "els => els.map(e => e.getAttribute('href'))")
    assert {"/advice/bike-theft/", "/news/free-bike-marking-this-summer/"} <= set(urls), urls
    assert page.evaluate("() => document.activeElement.closest('li') === document.querySelectorAll('.search__result')[10]")
    assert search(page, "qqxyzzyqq") == ("No results for \u201cqqxyzzyqq\u201d. Check the spelling, or try other words.", [])
    assert not page.is_visible("[data-search-nojs]")


def test_search_without_javascript_points_to_the_a_to_z_and_news(browser, site_url):
    with tools.visit_page(browser, site_url + SEARCH + "?q=knife", "phone", javascript=False) as (page, _):
        assert not page.is_visible(".search")
        assert "needs JavaScript" in page.inner_text("[data-search-nojs]")
        assert page.eval_on_selector_all("[data-search-nojs] a", "els => els.map(e => e.getAttribute('href'))") == [
            "/a-z/", "/news/"]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("path, fill", [(FIND, "B38"), (FIND, "zz99"), (SEARCH, "knife")])
def test_no_axe_violations_with_results_showing(browser, site_url, path, fill, viewport):
    with tools.visit_page(browser, site_url + path, viewport) as (page, _):
        if path == FIND:
            find(page, fill)
        else:
            search(page, fill)
        violations = tools.run_axe(page)
    assert not violations, "\n".join(str(v) for v in violations)


# --- place names that two teams share, shared sectors, narrow phones -------------------------


def test_an_exact_place_name_does_not_hide_another_place_of_that_name(finder_page):
    # Brierley Hill covers 'Merry Hill'; Penn and Merry Hill covers a Merry Hill too: exact first, then it.
    status, teams = find(finder_page, "Merry Hill")
    assert (status, teams) == ("2 teams found for Merry Hill.", ["Brierley Hill", "Penn and Merry Hill"])
    metas = finder_page.eval_on_selector_all(".finder__team .card__meta", "els => els.map(e => e.textContent)")
    assert metas == ["Dudley \u00b7 matches Merry Hill", "Wolverhampton \u00b7 matches Merry Hill (Wolverhampton), Penn and Merry Hill"]
    # A near miss is still offered when nothing matches better.
    assert find(finder_page, "Merry Hil")[1] == ["Brierley Hill", "Penn and Merry Hill"]


@pytest.mark.parametrize("text", ["Merry Hill", "B38", "B1", "zz99"])
def test_result_cards_fit_a_320px_phone(browser, site_url, text):
    context = browser.new_context(viewport={"width": 320, "height": 700}, is_mobile=True, has_touch=True)
    try:
        page, _ = tools.open_page(context, site_url + FIND)
        find(page, text)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{text}: the page is {overflow}px wider than a 320px screen"
        boxes = page.eval_on_selector_all(".finder__results *", """els => els.map(e => {
            const r = e.getBoundingClientRect(); return [e.tagName, Math.round(r.left), Math.round(r.right)]; })""")
        assert [b for b in boxes if b[1] < 0 or b[2] > 320] == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def shared_sector_url(tmp_path_factory):
    """The minimal force with two teams both claiming sector TS2 4, built and served."""
    root = tmp_path_factory.mktemp("shared-sector")
    quayside = ("---\nname: Quayside\nsummary: The team for the quay and the marina.\nareas: [Quayside, Marina]\n"
                "postcodes: [TS9, \"TS2 4\"]\ncontact:\n  email: quayside@testshire.police.example\n---\n")
    site = copy_site(MINIMAL, root / "site", {"content/lpus/riverside/teams/quayside.md": quayside})
    pipeline.build(site, root / "out", now=NOW, single_origin=True)
    with tools.serve(root / "out" / "main") as url:
        yield url


def test_where_two_teams_share_a_sector_the_finder_says_both_cover_part_and_how_to_tell(browser, shared_sector_url):
    with tools.visit_page(browser, shared_sector_url + FIND, "phone") as (page, _):
        assert find(page, "TS2 4AB") == ("2 teams found for TS2 4AB.", ["Oldtown", "Quayside"])
        note = page.text_content(".finder__note")
        assert note.startswith("Both teams cover part of TS2 4: see the areas each one covers below.")
        assert "call 101 and ask for the neighbourhood team for your street" in note
        # Each card says which areas it covers: how a resident tells which is theirs.
        covers = page.eval_on_selector_all(".finder__team p:nth-of-type(2)", "els => els.map(e => e.textContent)")
        assert covers[0].startswith("Covers Oldtown") and covers[1].startswith("Covers Quayside, Marina")
        # One team's own sector: no note.
        assert find(page, "TS1 1AA") == ("1 team found for TS1 1AA.", ["Oldtown"])
        assert page.locator(".finder__note").count() == 0
