"""Find your neighbourhood team: the postcode and place index, and the page without JavaScript.

The browser side (typing postcodes and places into the built demo) is in
tests/quality/test_find_team_search.py.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from lxml import html as lxml_html

from conftest import NOW, REPO
from wmpsite.features import finder
from wmpsite.build import pipeline
from wmpsite.core.moment import Moment


@pytest.fixture(scope="module")
def demo():
    """The demo force, loaded and checked (nothing written), with the build date fixed."""
    return pipeline.check(REPO, now=dt.datetime(2026, 10, 1, 12, 0))


@pytest.fixture(scope="module")
def index(demo):
    return finder.team_index(demo.force, demo.urls, Moment(demo.force, demo.now))


def names(index, numbers) -> list[str]:
    return [index["teams"][n]["name"] for n in numbers]


def page(out, rel):
    return lxml_html.fromstring((out / rel).read_bytes())


# --- the index ---------------------------------------------------------------------------


def test_ambiguous_districts_list_every_team_that_covers_part_of_them(index):
    districts = index["districts"]
    # B29: Selly Oak covers the whole district, Bartley Green names sector B29 5.
    assert names(index, districts["B29"]["any"]) == ["Bartley Green", "Selly Oak"]
    assert names(index, districts["B29"]["whole"]) == ["Selly Oak"]
    # B38: split by sector between two teams, neither covers all of it.
    assert names(index, districts["B38"]["any"]) == ["Bournville", "Longbridge"]
    assert districts["B38"]["whole"] == []
    # B1: the city centre covers the district; two more teams name one sector each.
    assert names(index, districts["B1"]["any"]) == ["City Centre", "Jewellery Quarter", "Ladywood"]
    assert names(index, districts["B1"]["whole"]) == ["City Centre"]


def test_sectors_name_their_own_teams(index):
    sectors = index["sectors"]
    assert names(index, sectors["B29 5"]) == ["Bartley Green"]
    assert names(index, sectors["B30 2"]) == ["Bournville"]
    assert names(index, sectors["B38 8"]) == ["Bournville"]
    assert names(index, sectors["B38 9"]) == ["Longbridge"]
    assert names(index, sectors["B1 3"]) == ["Jewellery Quarter"]
    # A sector two teams share lists both.
    assert names(index, sectors["B24 9"]) == ["Erdington", "Tyburn"]
    # Whole districts are not sectors.
    assert "B29" not in sectors and all(" " in code for code in sectors)


def test_every_postcode_of_every_team_is_in_the_index(demo, index):
    position = {(t["name"], t["url"]): n for n, t in enumerate(index["teams"])}
    assert len(position) == len(demo.force.teams) == len(index["teams"])
    for team in demo.force.teams:
        n = position[(team.name, demo.urls.link(demo.urls.of(team), "main"))]
        for code in team.postcodes:
            district = code.split()[0]
            assert n in index["districts"][district]["any"]
            assert n in (index["sectors"][code] if " " in code else index["districts"][district]["whole"])


def test_places_are_team_names_and_areas_folded_once(index):
    places = {finder.place_key(p["name"]): p for p in index["places"]}
    assert names(index, places["selly oak"]["teams"]) == ["Selly Oak"]
    assert names(index, places["bournville"]["teams"]) == ["Bournville"]
    assert names(index, places["highters heath"]["teams"]) == ["Billesley"]
    assert places["highters heath"]["name"] == "Highter's Heath"
    keys = [finder.place_key(p["name"]) for p in index["places"]]
    assert keys == sorted(set(keys)), "one entry per place, sorted"


def test_team_records_carry_link_lpu_contacts_and_next_meeting(demo, index):
    bournville = next(t for t in index["teams"] if t["name"] == "Bournville")
    assert bournville["url"] == "/birmingham-south/teams/bournville/"
    assert bournville["lpu"] == "Birmingham South"
    assert bournville["phone"] == "0121 496 0335" and bournville["phoneHref"] == "tel:01214960335"
    assert bournville["email"] == "bournville@west-midlands.police.example"
    team = next(t for t in demo.force.teams if t.name == "Bournville")
    upcoming = sorted(m.start for m in team.meetings if (m.end or m.start) >= demo.now)
    assert bournville["meeting"]["iso"] == upcoming[0].isoformat(timespec="minutes")
    assert set(bournville["meeting"]) == {"title", "when", "iso", "location"}


def test_next_meeting_is_decided_against_the_build_date(demo):
    later = finder.team_index(demo.force, demo.urls, Moment(demo.force, dt.datetime(2030, 1, 1, tzinfo=demo.now.tzinfo)))
    assert all(t["meeting"] is None for t in later["teams"])


def test_team_without_a_phone_falls_back_to_its_lpu_phone(demo):
    team = next(t for t in demo.force.teams if t.contact.phone is None)
    lpu = next(l for l in demo.force.lpus if l.slug == team.lpu)
    record = next(t for t in finder.team_index(demo.force, demo.urls, Moment(demo.force, demo.now))["teams"] if t["name"] == team.name)
    assert record["phone"] == lpu.contact.phone


def test_index_bytes_are_stable(demo, index):
    again = finder.team_index(demo.force, demo.urls, Moment(demo.force, demo.now))
    assert finder.index_bytes(index) == finder.index_bytes(again)
    assert json.loads(finder.index_bytes(index)) == index


@pytest.mark.parametrize("text, key", [
    ("Selly Oak", "selly oak"), ("  SELLY   oak ", "selly oak"), ("Highter's Heath", "highters heath"),
    ("Highter\u2019s Heath", "highters heath"), ("Caf\u00e9 Qu\u00e4rter", "cafe quarter"),
    ("Bromwich (West)", "bromwich west"),
])
def test_place_key_folds_case_accents_apostrophes_and_spaces(text, key):
    assert finder.place_key(text) == key


def test_districts_sort_by_number_not_text():
    codes = ["B10", "B1", "B2", "WV10", "WS2", "B29", "CV1"]
    assert sorted(codes, key=finder.district_sort_key) == ["B1", "B2", "B10", "B29", "CV1", "WS2", "WV10"]


# --- the built page ----------------------------------------------------------------------


def test_build_writes_the_index_for_the_main_site(minimal_build):
    data = json.loads((minimal_build / "main/find-your-team/teams.json").read_bytes())
    assert [t["name"] for t in data["teams"]] == ["Oldtown", "Quayside"]
    # Quayside's LPU has its own address: its link is absolute.
    assert [t["url"] for t in data["teams"]] == [
        "/northfield/teams/oldtown/", "https://riverside.testshire.police.example/teams/quayside/"]
    assert data["districts"]["TS1"] == {"whole": [0], "any": [0]}
    assert data["sectors"] == {"TS2 4": [0]}
    # Against the build date 2026-11-25 the December meeting is next.
    assert data["teams"][0]["meeting"]["when"] == "Thursday 3 December 2026, 6:30pm"
    assert data["teams"][1]["meeting"] is None
    assert not (minimal_build / "riverside/find-your-team").exists()


def test_page_works_without_javascript_through_its_a_to_z(minimal_build):
    doc = page(minimal_build, "main/find-your-team/index.html")
    assert [" ".join(h.text_content().split()) for h in doc.xpath("//h1")] == ["Find your neighbourhood team"]
    # The form needs JavaScript: hidden until find-team.js shows it.
    finder_box = doc.xpath("//div[@data-finder]")[0]
    assert finder_box.get("hidden") is not None
    assert finder_box.get("data-index") == "/find-your-team/teams.json"
    assert doc.xpath("//script/@src")[0].startswith("/js/find-team.js?v=")
    places = {li.text_content().split(":")[0]: li.xpath(".//a/@href")
              for li in doc.xpath("//ul[contains(@class,'finder-places')]/li")}
    assert places == {
        "Marina": ["https://riverside.testshire.police.example/teams/quayside/"],
        "Mill End": ["/northfield/teams/oldtown/"], "Oldtown": ["/northfield/teams/oldtown/"],
        "Quayside": ["https://riverside.testshire.police.example/teams/quayside/"]}
    districts = [" ".join(li.text_content().split()) for li in doc.xpath("//ul[contains(@class,'finder-districts')]/li")]
    assert districts == ["TS1: Oldtown", "TS2: Oldtown (TS2 4)", "TS9: Quayside"]
    assert {"tel:999", "tel:101", "#places", "#postcodes"} <= set(doc.xpath("//main//a/@href"))


def test_home_page_and_every_local_site_link_to_the_page(minimal_build):
    home = page(minimal_build, "main/index.html")
    assert home.xpath("//a[@class='button']/@href") == ["/find-your-team/"]
    for rel, href in [("main/northfield/index.html", "/find-your-team/"),
                      ("main/northfield/teams/oldtown/index.html", "/find-your-team/"),
                      ("riverside/index.html", "https://www.testshire.police.example/find-your-team/")]:
        assert page(minimal_build, rel).xpath("//nav[@class='site-nav']//a[text()='Find your team']/@href") == [href]


def test_page_is_planned_once_on_the_main_site(demo):
    found = [p for p in demo.plan if p.kind == "find-team"]
    assert [(p.location.site, p.location.path) for p in found] == [("main", "find-your-team/")]
    assert found[0].lpu is None
