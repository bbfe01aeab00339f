"""schema.org JSON-LD (structured.py, schemaorg.py): every block of the demo and the fixture build
parses and passes the checks of structured_check.py (PyLD offline, the schema.org vocabulary,
required properties, absolute URLs, ISO dates); each page kind carries the right type; and the pieces."""

from __future__ import annotations

import datetime as dt
import doctest
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st
from lxml import html as lxml_html

import structured_check
from structured_check import blocks, check_block, check_html
from wmpsite.present import schemaorg, structured
from wmpsite.present.schemaorg import event, opening_hours, postal_address
from wmpsite.present.structured import to_script

LONDON = ZoneInfo("Europe/London")
MAIN_URL = "https://www.testshire.police.example/"
RIVERSIDE_URL = "https://riverside.testshire.police.example/"


def jsonld(out: Path, rel: str) -> list[dict]:
    return [json.loads(text) for text in blocks((out / rel).read_bytes())]


def nodes(data: dict) -> list[dict]:
    return data["@graph"] if "@graph" in data else [data]


# --- every block of real builds -------------------------------------------------------------

@pytest.mark.parametrize("build", ["demo_build", "minimal_build", "force2_build"])
def test_every_json_ld_block_is_valid_schema_org(build, request):
    out: Path = request.getfixturevalue(build)
    problems, count, types = [], 0, set()
    for file in sorted(out.rglob("*.html")):
        html = file.read_bytes()
        found = blocks(html)
        assert len(found) <= 1, f"{file}: {len(found)} JSON-LD blocks"
        count += len(found)
        problems += check_html(html, file.relative_to(out).as_posix())
        types |= {n["@type"] for text in found for n in nodes(json.loads(text))}
    assert not problems, f"{len(problems)} problem(s) in {count} JSON-LD blocks:\n" + "\n".join(problems[:50])
    assert {"GovernmentOrganization", "WebSite", "NewsArticle"} <= types
    if build in ("demo_build", "force2_build"):
        assert "Event" in types and count > (300 if build == "demo_build" else 60)


def test_home_page_has_the_force_and_its_website(minimal_build):
    [data] = jsonld(minimal_build, "main/index.html")
    org, site = nodes(data)
    assert org["@type"] == "GovernmentOrganization" and org["name"] == "Testshire Police"
    assert org["url"] == MAIN_URL and org["@id"] == MAIN_URL + "#organization"
    assert org["sameAs"] == ["https://x.com/TestshirePolice"]
    assert [(p["contactType"], p["telephone"]) for p in org["contactPoint"]] == [
        ("emergency", "999"), ("non-emergency", "101"), ("textphone", "18000")]
    # Its LPUs, each on its own site's address.
    assert [s["url"] for s in org["subOrganization"]] == [MAIN_URL + "northfield/", RIVERSIDE_URL]
    assert site == {"@type": "WebSite", "@id": MAIN_URL + "#website", "name": "Testshire Police", "url": MAIN_URL,
                    "description": "News, advice and local policing for Testshire.", "inLanguage": "en-GB",
                    "publisher": {"@id": MAIN_URL + "#organization"}}


def test_lpu_home_has_its_contacts_stations_and_teams(minimal_build):
    [data] = jsonld(minimal_build, "main/northfield/index.html")
    assert data["@type"] == "GovernmentOrganization" and data["name"] == "Northfield"
    assert data["telephone"] == "+44 1632 960000" and data["email"] == "northfield@testshire.police.example"
    assert data["contactPoint"][-1] == {"@type": "ContactPoint", "contactType": "Northfield local policing",
                                        "telephone": "+44 1632 960000",
                                        "email": "northfield@testshire.police.example"}
    assert {"999", "101"} <= {p["telephone"] for p in data["contactPoint"]}
    assert data["location"] == [{
        "@type": "PoliceStation", "name": "Northfield Police Station",
        "address": {"@type": "PostalAddress", "postalCode": "TS1 1AA", "streetAddress": "1 High Street",
                    "addressLocality": "Northfield", "addressCountry": "GB"},
        "openingHours": ["Mo-Fr 09:00-17:00"]}]
    assert data["sameAs"] == ["https://x.com/NorthfieldPolice"]
    assert data["parentOrganization"]["@id"] == MAIN_URL + "#organization"
    assert data["subOrganization"][0]["@id"] == MAIN_URL + "northfield/teams/oldtown/#organization"
    assert data["areaServed"] == [{"@type": "Place", "name": "Oldtown"}]


def test_lpu_on_its_own_address_is_a_website_too(minimal_build):
    [data] = jsonld(minimal_build, "riverside/index.html")
    org, site = nodes(data)
    assert org["url"] == RIVERSIDE_URL and site["url"] == RIVERSIDE_URL and site["@type"] == "WebSite"


def test_team_page_says_how_to_reach_the_team_and_where_it_serves(minimal_build):
    [data] = jsonld(minimal_build, "main/northfield/teams/oldtown/index.html")
    assert data["name"] == "Oldtown neighbourhood team"
    assert data["url"] == MAIN_URL + "northfield/teams/oldtown/"
    assert data["telephone"] == "+44 1632 960001"
    assert [p["name"] for p in data["areaServed"]] == ["Oldtown", "Mill End", "TS1", "TS2 4"]
    assert data["areaServed"][-1]["address"] == {"@type": "PostalAddress", "postalCode": "TS2 4",
                                                 "addressCountry": "GB"}
    lpu = data["parentOrganization"]
    assert lpu["name"] == "Northfield" and lpu["parentOrganization"]["name"] == "Testshire Police"
    # The team has no station of its own: the page shows its LPU's, and so does the JSON-LD.
    assert "location" not in data
    assert [s["name"] for s in lpu["location"]] == ["Northfield Police Station"]


def contact_section(out: Path, rel: str):
    doc = lxml_html.fromstring((out / rel).read_bytes())
    [section] = doc.xpath("//main//section[@class='contact']")
    return section, " ".join(section.text_content().split())


def test_team_contact_block_is_complete_and_beside_999_and_101(minimal_build):
    section, text = contact_section(minimal_build, "main/northfield/teams/oldtown/index.html")
    links = section.xpath(".//a/@href")
    assert {"tel:999", "tel:101", "tel:18000", "tel:+441632960001", "mailto:oldtown@testshire.police.example",
            "https://www.police.uk/ro/report/ocr/af/how-to-report/"} <= set(links)
    # No station of its own: its LPU's front counters, with their opening hours.
    assert "Police station front counters in Northfield: Northfield Police Station 1 High Street, " \
           "Northfield TS1 1AA Front counter: Monday to Friday, 9am to 5pm" in text
    # A team with no phone of its own says how to reach it by phone all the same.
    section, text = contact_section(minimal_build, "riverside/teams/quayside/index.html")
    phone = section.xpath(".//dt[.='Phone']/following-sibling::dd[1]")[0]
    assert " ".join(phone.text_content().split()) == "Call 101 and ask for the Quayside neighbourhood team"
    assert {"tel:999", "tel:101", "mailto:quayside@testshire.police.example"} <= set(section.xpath(".//a/@href"))


def test_lpu_contact_block_lists_its_stations_and_accounts(minimal_build):
    section, text = contact_section(minimal_build, "main/northfield/index.html")
    assert {"tel:999", "tel:101", "tel:+441632960000", "https://x.com/NorthfieldPolice"} <= set(section.xpath(".//a/@href"))
    assert "Northfield Police Station" in text and "Front counter: Monday to Friday, 9am to 5pm" in text
    assert "front counters in" not in text  # its own stations, not borrowed ones


def test_article_is_a_news_article(minimal_build):
    [data] = jsonld(minimal_build, "main/news/bike-marking/index.html")
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Free bike marking in Northfield"
    assert data["datePublished"] == data["dateModified"] == "2026-03-01T10:00:00+00:00"
    assert data["image"] == [MAIN_URL + "images/bike.svg"]
    assert data["publisher"]["name"] == data["author"]["name"] == "Testshire Police"
    assert data["mainEntityOfPage"] == data["url"] == MAIN_URL + "news/bike-marking/"
    assert data["articleSection"] == "Press release" and data["keywords"] == ["bike theft"]
    # Local news: by the LPU, on its own site's address; no image of its own: its share card, the
    # picture of its title that its og:image is too, with its size.
    [local] = jsonld(minimal_build, "riverside/news/marina-patrols/index.html")
    assert local["author"]["url"] == RIVERSIDE_URL
    pixels = lambda n: {"@type": "QuantitativeValue", "value": n, "unitCode": "E37"}
    assert local["image"] == [{"@type": "ImageObject", "url": RIVERSIDE_URL + "news/marina-patrols/card.png",
                               "width": pixels(1200), "height": pixels(630)}]
    assert (minimal_build / "riverside/news/marina-patrols/card.png").is_file()
    assert local["datePublished"] == "2026-04-01T00:00:00+01:00"


def test_demo_event_pages_are_events(demo_build):
    events = sorted((demo_build / "main").glob("*/events/*/index.html"))
    assert events, "the demo has no event pages"
    modes = set()
    for file in events:
        [data] = jsonld(demo_build, file.relative_to(demo_build).as_posix())
        assert data["@type"] == "Event" and data["url"] == "https://www.west-midlands.police.example/" + \
            file.parent.relative_to(demo_build / "main").as_posix() + "/"
        assert data["organizer"]["@type"] == "GovernmentOrganization"
        modes.add(data["eventAttendanceMode"].rsplit("/", 1)[1])
    assert {"OnlineEventAttendanceMode", "OfflineEventAttendanceMode"} <= modes


def test_pages_without_structured_data_have_no_block(minimal_build):
    for rel in ("main/a-z/index.html", "main/404.html", "main/advice/index.html"):
        assert blocks((minimal_build / rel).read_bytes()) == [], rel


# --- the pieces -----------------------------------------------------------------------------

def test_to_script_cannot_end_its_script_block():
    nasty = 'Ends </script><script>alert(1)</script> and <!-- a comment'
    text = str(to_script({"@context": "https://schema.org", "@type": "Thing", "name": nasty}))
    assert "</" not in text and "<!--" not in text
    assert json.loads(text)["name"] == nasty
    # As the browser's HTML parser sees it: one data block holding all of it.
    page = lxml_html.fromstring(f'<html><head><script type="application/ld+json">{text}</script></head></html>')
    assert [json.loads(t)["name"] for t in blocks(lxml_html.tostring(page))] == [nasty]
    assert to_script(None) is None


@given(st.text(alphabet=st.sampled_from("</!-scriptSCRIPT>&\"'\\\u2028 é"), max_size=40) | st.text(max_size=40))
def test_to_script_round_trips_any_text_and_never_closes_the_block(text):
    out = str(to_script({"name": text, text: [text]}))
    assert "</" not in out and "<!--" not in out
    assert json.loads(out) == {"name": text, text: [text]}


def test_doc_examples():
    for module in (structured, schemaorg):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


@pytest.mark.parametrize("text, expected", [
    ("Monday to Friday, 9am to 5pm", ["Mo-Fr 09:00-17:00"]),
    ("Monday to Friday, 8am to 8pm; Saturday, 10am to 4pm", ["Mo-Fr 08:00-20:00", "Sa 10:00-16:00"]),
    ("Tuesday and Thursday, 10am to 2pm", ["Tu,Th 10:00-14:00"]),
    ("Monday, Wednesday and Friday, 9:30am to midday", ["Mo,We,Fr 09:30-12:00"]),
    ("Wednesday, 12pm to 12:30pm", ["We 12:00-12:30"]),
    ("Open 24 hours, every day", ["Mo-Su"]),
    ("Every day, 7am to 11pm", ["Mo-Su 07:00-23:00"]),
    # Words we cannot read for sure give nothing rather than something wrong.
    ("By appointment", []), ("Monday to Friday (not bank holidays), 9am to 5pm", []),
    ("Weekdays, 9am to 5pm", []), ("Monday to Friday, 9am to 5pm; closed Sundays", []), (None, []),
])
def test_opening_hours(text, expected):
    assert opening_hours(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Bournville Lane, Stirchley, Birmingham B30 1QX",
     {"postalCode": "B30 1QX", "streetAddress": "Bournville Lane, Stirchley", "addressLocality": "Birmingham"}),
    ("Hall, Bristol Road, Birmingham B29 6", {"postalCode": "B29 6", "streetAddress": "Hall, Bristol Road",
                                               "addressLocality": "Birmingham"}),
    ("Oldtown Library, Market Square", {"streetAddress": "Oldtown Library, Market Square"}),
])
def test_postal_address(text, expected):
    assert postal_address(text) == {"@type": "PostalAddress", **expected, "addressCountry": "GB"}


def test_event_online_offline_and_mixed():
    start = dt.datetime(2026, 12, 3, 18, 30, tzinfo=LONDON)
    common = dict(name="Have your say", url="https://p.example/events/x/", start=start,
                  end=start + dt.timedelta(hours=1, minutes=30))
    offline = event(location="Oldtown Library, Market Square", **common)
    online = event(location="Online", **common)
    chat = event(location=None, online_url="https://chat.example/room", **common)
    mixed = event(location="Oldtown Library, Market Square", online_url="https://live.example/", **common)
    assert offline["eventAttendanceMode"].endswith("/OfflineEventAttendanceMode")
    assert offline["location"]["@type"] == "Place" and offline["location"]["name"] == "Oldtown Library"
    assert online["eventAttendanceMode"].endswith("/OnlineEventAttendanceMode")
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://p.example/events/x/"}
    assert chat["location"] == {"@type": "VirtualLocation", "url": "https://chat.example/room"}
    assert mixed["eventAttendanceMode"].endswith("/MixedEventAttendanceMode")
    assert [l["@type"] for l in mixed["location"]] == ["Place", "VirtualLocation"]
    assert offline["startDate"] == "2026-12-03T18:30:00+00:00" and offline["endDate"] == "2026-12-03T20:00:00+00:00"
    for data in (offline, online, chat, mixed):
        assert check_block(str(to_script(data))) == []


# --- the checker catches what it should --------------------------------------------------------

GOOD = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "A", "url": "https://x.example/a/",
        "datePublished": "2026-03-01T10:00:00+00:00", "dateModified": "2026-03-02T10:00:00+00:00",
        "image": ["https://x.example/a.png"], "author": {"@type": "Organization", "name": "P"},
        "publisher": {"@type": "Organization", "name": "P"}}


@pytest.mark.parametrize("change, problem", [
    ({}, None),
    ({"@context": "http://schema.org/"}, "@context is"),
    ({"@type": "NewsArtikel"}, "is not a schema.org type"),
    ({"openingHours": "Mo-Fr"}, "NewsArticle has no property 'openingHours'"),
    ({"headline": None}, "lacks required 'headline'"),
    ({"image": ["/a.png"]}, "is not an absolute URL"),
    ({"image": [{"@type": "ImageObject", "url": "https://x.example/a.png", "width": 1200}]},
     "the number 1200 where width takes"),
    ({"image": [{"@type": "ImageObject", "url": "https://x.example/a.png",
                 "width": {"@type": "QuantitativeValue", "value": 1200, "unitCode": "E37"}}]}, None),
    ({"datePublished": "1 March 2026"}, "is not an ISO 8601 date"),
    ({"datePublished": "2026-03-01T10:00:00"}, "has no UTC offset"),
    ({"dateModified": "2026-02-01T10:00:00+00:00"}, "dateModified is before datePublished"),
    ({"author": {"@type": "Place", "name": "P"}}, "a Place where author takes"),
    ({"@id": "article"}, "@id 'article' is not an absolute URL"),
])
def test_the_checker_catches_bad_blocks(change, problem):
    data = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    problems = check_block(json.dumps(data))
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_the_checker_never_fetches(monkeypatch):
    data = {**GOOD, "@context": ["https://schema.org", "https://elsewhere.example/context.jsonld"]}
    problems = check_block(json.dumps(data))
    assert any(p.startswith("PyLD could not process it") and "elsewhere.example" in p for p in problems), problems
    assert structured_check.vocabulary().properties_of["PoliceStation"] >= {"openingHours", "address"}
