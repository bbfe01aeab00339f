"""The open data under /api/ of the main site: data.police.uk's shapes, checked against schemas written
from its documentation, and nothing in it that the site does not show."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft202012Validator

from conftest import MINIMAL, TESTS, build_overlaid
from wmpsite.features.open_data import local_time

SCHEMA = json.loads((TESTS / "schemas" / "police-uk" / "police-uk.schema.json").read_text(encoding="utf-8"))
#: Each file of a neighbourhood's folder, and the upstream method it mirrors.
METHODS = {"index.json": "neighbourhood", "people.json": "people", "priorities.json": "priorities",
           "events.json": "events"}

OLDTOWN = (MINIMAL / "content/lpus/northfield/teams/oldtown.md").read_text(encoding="utf-8")
HIDDEN = {
    # an officer who has left: the team page no longer shows them
    "content/lpus/northfield/teams/oldtown.md": OLDTOWN.replace("meetings:", """former:
  - name: PC Gone Away
    role: Police Constable
    email: gone.away@testshire.police.example
meetings:""", 1),
    # the same team slug in another LPU
    "content/lpus/riverside/teams/oldtown.md": OLDTOWN.replace("name: Oldtown", "name: Oldtown Quay", 1),
    "content/lpus/northfield/teams/hidden.md": """---
name: Hidden Draft Team
summary: A team not announced yet.
areas: [Hidden Hamlet]
draft: true
contact: {email: hidden@testshire.police.example}
---
Not yet.
""",
    "content/lpus/northfield/teams/later.md": """---
name: Later Team
summary: A team announced next year.
areas: [Later Lea]
publish_at: 2027-03-01 09:00
contact: {email: later@testshire.police.example}
---
Not yet.
""",
    "content/lpus/northfield/priorities/secret.md": """---
title: A priority still being written
team: oldtown
raised: 2026-11-01
status: open
summary: Draft priority words nobody has approved.
draft: true
---
Not yet.
""",
    "content/lpus/northfield/events/2026-12-05-embargoed-surgery.md": """---
title: Embargoed beat surgery
kind: beat-surgery
team: oldtown
start: 2026-12-05 10:00
location: Oldtown Library
summary: Announced next week.
publish_at: 2026-11-30 09:00
---
Soon.
""",
    "content/appeals/2026-10-01-missing-zebedee.md": """---
title: "Missing Zebedee: can you help?"
kind: missing-person
summary: Zebedee Quuxworth has been missing since Tuesday.
history:
  - {date: 2026-10-01 08:00, status: open}
  - {date: 2026-10-03 10:00, status: resolved}
name: Zebedee Quuxworth
description: Tall, wearing a red coat.
---
Please share.
""",
}


def validate(data, method: str) -> list[str]:
    """The schema's complaints about `data` as upstream's `method` gives it."""
    validator = Draft202012Validator({**SCHEMA, "$ref": f"#/$defs/{method}"})
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def api_files(out: Path) -> dict[str, object]:
    api = out / "main" / "api"
    return {path.relative_to(api).as_posix(): json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(api.rglob("*.json"))}


def method_of(rel: str) -> str:
    if "/" not in rel:
        return {"force.json": "force", "neighbourhoods.json": "neighbourhoods"}[rel]
    return METHODS[rel.split("/", 1)[1]]


@pytest.fixture(scope="module")
def hidden_build(tmp_path_factory) -> Path:
    return build_overlaid(tmp_path_factory, "open-data", HIDDEN)


def test_every_file_of_the_demo_fits_upstreams_schema(demo_build):
    files = api_files(demo_build)
    assert {"force.json", "neighbourhoods.json"} <= set(files)
    ids = [n["id"] for n in files["neighbourhoods.json"]]
    assert len(ids) == len(set(ids)) == len({rel.split("/")[0] for rel in files if "/" in rel})
    assert {"coventry.willenhall", "walsall.willenhall"} <= set(ids)  # one team name in two LPUs
    for rel, data in files.items():
        assert validate(data, method_of(rel)) == [], rel
    assert files["force.json"]["id"] == "west-midlands"  # site.toml's police_uk_id


def test_every_file_of_the_second_force_fits_upstreams_schema(force2_build):
    files = api_files(force2_build)
    assert len(files["neighbourhoods.json"]) == 15
    for rel, data in files.items():
        assert validate(data, method_of(rel)) == [], rel
    assert files["force.json"]["id"] == "dyfed-powys" and files["force.json"]["name"] == "Dyfed-Powys Police"


def test_teams_with_one_slug_in_two_lpus_are_two_neighbourhoods(hidden_build):
    files = api_files(hidden_build)
    assert files["neighbourhoods.json"] == [{"id": "northfield.oldtown", "name": "Oldtown"},
                                            {"id": "riverside.oldtown", "name": "Oldtown Quay"},
                                            {"id": "riverside.quayside", "name": "Quayside"}]
    # Riverside has a site of its own: its team's page is there
    assert files["riverside.oldtown/index.json"]["url_force"] == \
        "https://riverside.testshire.police.example/teams/oldtown/"
    for rel, data in files.items():
        assert validate(data, method_of(rel)) == [], rel


def test_officers_are_as_the_team_page_shows_them(hidden_build):
    people = api_files(hidden_build)["northfield.oldtown/people.json"]
    assert people == [
        {"name": "Sergeant Alex Example", "rank": "Sergeant", "bio": None,
         "contact_details": {"email": "alex.example@testshire.police.example"}},
        {"name": "PCSO Jo Sample", "rank": "Police Community Support Officer", "bio": None,
         "contact_details": {"twitter": "https://x.com/PCSOJoSample"}},
    ]
    page = (hidden_build / "main/northfield/teams/oldtown/index.html").read_text(encoding="utf-8")
    for person in people:
        assert person["name"] in page
        assert all(value in page for value in person["contact_details"].values())


def test_withheld_ended_and_former_never_appear(hidden_build):
    text = "\n".join(json.dumps(data, ensure_ascii=False) for data in api_files(hidden_build).values())
    for hidden in ("Gone Away", "gone.away@", "Hidden Draft Team", "hidden@", "Later Team", "later@",
                   "Draft priority words", "Embargoed beat surgery", "Zebedee", "Quuxworth"):
        assert hidden not in text
    assert not (hidden_build / "main/api/northfield.hidden").exists()
    assert not (hidden_build / "main/api/northfield.later").exists()


def test_priorities_and_events_in_upstreams_words_and_local_time(hidden_build):
    files = api_files(hidden_build)
    assert files["northfield.oldtown/priorities.json"] == [{
        "issue": "Residents told us drivers speed on the High Street near the school.",
        "issue-date": "2026-01-20T00:00:00",
        "action": "Twelve drivers stopped and warned.", "action-date": "2026-03-10T00:00:00"}]
    # Built on 25 November: the October surgery is over, the December meeting to come (GMT then).
    assert files["northfield.oldtown/events.json"] == [{
        "title": "Have your say in Oldtown", "description": None, "address": "Oldtown Library, Market Square",
        "type": "public-meeting", "start_date": "2026-12-03T18:30:00", "end_date": "2026-12-03T20:00:00",
        "contact_details": {"email": "oldtown@testshire.police.example", "telephone": "01632 960001"}}]


def test_the_schema_refuses_what_upstream_does_not_give():
    person = {"name": "PC A", "rank": "Police Constable", "bio": None, "contact_details": {}}
    assert validate([person], "people") == []
    assert validate([{**person, "home_address": "1 High Street"}], "people")
    assert validate([{**person, "contact_details": {"instagram": "https://instagram.com/a"}}], "people")
    assert validate([{"issue": "Speeding", "issue-date": "2026-01-20T00:00:00+00:00", "action": None,
                      "action-date": None}], "priorities")


def test_times_are_the_forces_local_time_without_a_zone():
    summer = dt.datetime(2026, 7, 1, 17, 30, tzinfo=dt.timezone.utc)  # 18:30 in London (BST)
    assert local_time(summer, ZoneInfo("Europe/London")) == "2026-07-01T18:30:00"
    assert local_time(summer.replace(month=12), ZoneInfo("Europe/London")) == "2026-12-01T17:30:00"
