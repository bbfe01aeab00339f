"""Venues: a whole postcode or none, and a plain link to a map search on every event and meeting."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from lxml import html as lxml_html

from conftest import REPO
from wmpsite.core.schema import Context, Venue, convert_field
from wmpsite.present.views import map_url


def convert(text: str):
    ctx = Context("content/events/x.md", lambda at: 7, ZoneInfo("Europe/London"), [])
    return convert_field(Venue(), text, ("location",), ctx, "location"), ctx.errors


@pytest.mark.parametrize("text", [
    "Online", "online",
    "Bournville Library, Bournville Lane, Birmingham B30 2TA",
    "Coventry Central Police Station, Little Park Street, Coventry CV1 2JX",
    "Walsall Town Hall, Leicester Street, WS1 1TP",
    "Oldtown Library, Market Square",  # no postcode at all: a map can still search the name
])
def test_a_venue_with_a_whole_postcode_or_none_is_accepted(text):
    assert convert(text) == (text, [])


@pytest.mark.parametrize("text, part, example", [
    ("Edgbaston Library, Birmingham B15 2", "B15 2", "B15 2AB"),
    ("St Paul's Square, by the church gates, Birmingham B3 1", "B3 1", "B3 1AB"),
    ("Wolverhampton Civic Centre, St Peter's Square, WV1", "WV1", "WV1 1AB"),
])
def test_a_partial_postcode_is_refused_with_file_line_and_a_whole_example(text, part, example):
    _, [error] = convert(text)
    assert (error.path, error.line) == ("content/events/x.md", 7)
    assert error.message == ("'location': expected a venue and its full address, with the whole postcode, like "
                             f"'Bournville Library, Bournville Lane, Birmingham B30 2TA', or 'Online', found {text!r}")
    assert error.hint == f"'{part}' is only the first part of a postcode, which no map can find: write all of it, like '{example}'"


def test_the_map_link_is_an_openstreetmap_search_for_the_whole_address():
    assert map_url("Bournville Library, Bournville Lane, Birmingham B30 2TA") == (
        "https://www.openstreetmap.org/search?query=Bournville%20Library%2C%20Bournville%20Lane%2C%20Birmingham%20B30%202TA")
    assert map_url("St Paul's Square & gates") == "https://www.openstreetmap.org/search?query=St%20Paul%27s%20Square%20%26%20gates"
    assert map_url("Online") is None and map_url(None) is None


def test_every_demo_venue_has_a_whole_postcode():
    import re
    partial = re.compile(r"location:.*\b[A-Z]{1,2}[0-9][0-9A-Z]?( [0-9])?\s*$")
    found = [f"{p.relative_to(REPO)}:{n}" for p in sorted((REPO / "content").rglob("*.md"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if partial.search(line)]
    assert found == []


def test_event_and_team_pages_link_each_venue_to_a_map_and_embed_none(demo_build):
    main = demo_build / "main"
    event = lxml_html.fromstring((main / "coventry/events/2026-12-05-coventry-police-open-day/index.html").read_bytes())
    where = event.xpath("//dl[@class='event__facts']/dt[.='Where']/following-sibling::dd[1]")[0]
    assert where.xpath(".//a/@href") == [
        "https://www.openstreetmap.org/search?query=Coventry%20Central%20Police%20Station%2C%20Little%20Park%20"
        "Street%2C%20Coventry%20CV1%202JX"]
    assert " ".join(where.text_content().split()) == (
        "Coventry Central Police Station, Little Park Street, Coventry CV1 2JX Find it on a map: Coventry Central "
        "Police Station, Little Park Street, Coventry CV1 2JX (OpenStreetMap)")
    team = lxml_html.fromstring((main / "birmingham-west-central/teams/city-centre/index.html").read_bytes())
    cards = team.xpath("//section[@aria-labelledby='meetings']//li[contains(@class,'event')]")
    maps = [c.xpath(".//p[@class='event__map']/a/@href") for c in cards]
    wheres = [" ".join(c.xpath(".//p[@class='card__meta']")[0].text_content().split()) for c in cards]
    for where_text, link in zip(wheres, maps):
        assert (link == []) == where_text.startswith("Live web chat Online"), (where_text, link)
    assert any(link for link in maps)
    for doc in (event, team):
        assert doc.xpath("//iframe | //img[contains(@src, 'openstreetmap')] | //script[contains(@src, '//')]") == []
