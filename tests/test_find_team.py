"""Find your neighbourhood team: the postcode and place index, and the page without JavaScript.

The browser side (typing postcodes and places into the built demo) is in
tests/quality/test_find_team_search.py.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from lxml import html as lxml_html

from conftest import MINIMAL, NOW, REPO, copy_site
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
    # B29: Bartley Green names sector B29 5, Selly Oak four others.
    assert names(index, districts["B29"]["any"]) == ["Bartley Green", "Selly Oak"]
    assert districts["B29"]["whole"] == []
    # B38: split by sector between two teams, neither covers all of it.
    assert names(index, districts["B38"]["any"]) == ["Bournville", "Longbridge"]
    assert districts["B38"]["whole"] == []
    # B1: three teams, one sector each; none claims all of it.
    assert names(index, districts["B1"]["any"]) == ["City Centre", "Jewellery Quarter", "Ladywood"]
    assert districts["B1"]["whole"] == []


def test_sectors_name_their_own_teams(index):
    sectors = index["sectors"]
    assert names(index, sectors["B29 5"]) == ["Bartley Green"]
    assert names(index, sectors["B30 2"]) == ["Bournville"]
    assert names(index, sectors["B38 8"]) == ["Bournville"]
    assert names(index, sectors["B38 9"]) == ["Longbridge"]
    assert names(index, sectors["B1 3"]) == ["Jewellery Quarter"]
    # The demo shares no sector (check warns when two teams claim one): each names its own.
    assert names(index, sectors["B24 9"]) == ["Erdington"]
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
    assert bournville["phone"] == "0121 496 0335" and bournville["phoneHref"] == "tel:+441214960335"
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


# --- overlapping claims ------------------------------------------------------------------

QUAYSIDE = "content/lpus/riverside/teams/quayside.md"
OLDTOWN = "content/lpus/northfield/teams/oldtown.md"


def quayside(postcodes: str) -> str:
    return (f"---\nname: Quayside\nsummary: The team for the quay and the marina.\nareas: [Quayside, Marina]\n"
            f"postcodes: {postcodes}\ncontact:\n  email: quayside@testshire.police.example\n---\n")


def finder_warnings(tmp_path, postcodes: str) -> tuple:
    site = copy_site(MINIMAL, tmp_path / "site", {QUAYSIDE: quayside(postcodes)})
    checked = pipeline.check(site, now=NOW)
    return dict(checked.warning_sections).get("find your team", ())


@pytest.mark.parametrize("postcodes, message, hint", [
    ('[TS9, "TS2 4"]',
     "'postcodes': the Oldtown team and the Quayside team (content/lpus/riverside/teams/quayside.md:5) both claim "
     "TS2 4, in TS2",
     "residents of TS2 4 are shown both teams and told to check each one's areas; if one team covers all of it, "
     "take it out of the other's 'postcodes'"),
    ("[TS9, TS1]",
     "'postcodes': the Oldtown team and the Quayside team (content/lpus/riverside/teams/quayside.md:5) both claim "
     "all of TS1",
     "residents anywhere in TS1 are shown both teams; give each team the sectors of TS1 it covers (like 'TS1 1') "
     "instead of the whole district"),
    ('[TS9, "TS1 0", "TS1 1"]',
     "'postcodes': the Oldtown team claims all of TS1, but the Quayside team "
     "(content/lpus/riverside/teams/quayside.md:5) claims TS1 0 and TS1 1 in it",
     "if Oldtown covers only the rest of TS1, list the sectors it covers (like 'TS1 2') instead of the whole "
     "district"),
], ids=["same-sector", "both-whole", "whole-and-sector"])
def test_two_teams_claiming_one_district_is_a_warning_naming_both_teams_files_and_the_district(
        tmp_path, postcodes, message, hint):
    [warning] = finder_warnings(tmp_path, postcodes)
    assert (warning.path, warning.line, warning.message, warning.hint) == (OLDTOWN, 5, message, hint)


def test_teams_on_different_sectors_of_a_district_do_not_warn(tmp_path):
    assert finder_warnings(tmp_path, '[TS9, "TS2 5"]') == ()


def test_check_prints_overlaps_as_warnings_and_fails_only_with_strict(tmp_path):
    import subprocess
    import sys
    site = copy_site(MINIMAL, tmp_path / "site", {QUAYSIDE: quayside('[TS9, "TS2 4"]')})
    run = lambda *more: subprocess.run([sys.executable, "build.py", "check", "--source", str(site), "--now",
                                        "2026-11-25", *more], cwd=REPO, capture_output=True, text=True)
    plain, strict = run(), run("--strict")
    assert plain.returncode == 0 and strict.returncode == 1
    lines = plain.stderr.splitlines()
    assert lines[0] == "Warnings: the Neighbourhood Policing Guarantee"
    section = lines.index("Warnings: find your team")
    assert lines[section + 1].startswith(f"{section}. {OLDTOWN}:5: 'postcodes': the Oldtown team and the Quayside "
                                         f"team ({QUAYSIDE}:5) both claim TS2 4, in TS2 (")
    assert lines[-1] == f"Found {section} warnings (with --strict they fail the check)."


def test_the_demo_claims_no_part_of_a_district_twice(demo):
    found = [w for title, found in demo.warning_sections if title == "find your team" for w in found]
    assert found == []  # each shared district is split by sector


def test_the_page_says_where_teams_share_a_sector_without_javascript(tmp_path):
    site = copy_site(MINIMAL, tmp_path / "site", {QUAYSIDE: quayside('[TS9, "TS2 4"]')})
    pipeline.build(site, tmp_path / "out", now=NOW)
    doc = page(tmp_path / "out", "main/find-your-team/index.html")
    districts = [" ".join(li.text_content().split()) for li in doc.xpath("//ul[contains(@class,'finder-districts')]/li")]
    assert districts[1] == ("TS2: Oldtown (TS2 4); Quayside (TS2 4). More than one team covers part of TS2 4: see "
                            "each team's area to tell which is yours")
