"""iCalendar files: valid for icalendar and vobject, reproducible, in the force's time zone."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from conftest import DYFED_POWYS, NOW, REPO
from wmpsite.build import pipeline
from wmpsite.outputs.calendar import render_calendars, vtimezone

LONDON = ZoneInfo("Europe/London")
UTC = dt.timezone.utc


def calendars(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.ics"))}


def events_of(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def assert_valid(name: str, data: bytes) -> None:
    """What TOOLING.md says icalendar alone does not check: round trip, errors, UID, DTSTAMP, CRLF, VTIMEZONEs."""
    cal = icalendar.Calendar.from_ical(data)
    assert cal.to_ical() == data, f"{name} does not round-trip"
    for component in cal.walk():
        assert not component.errors, (name, component.name, component.errors)
    # CRLF line endings, folded at 75 octets.
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line and b"\r" not in line for line in lines), name
    assert all(len(line) <= 75 for line in lines), name
    for event in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert required in event, (name, required)
        assert event.decoded("DTSTAMP").tzinfo is not None, name
    used = {param for line in data.decode().replace("\r\n ", "").split("\r\n")
            for param in line.split(":", 1)[0].split(";")[1:] if param.startswith("TZID=")}
    zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
    assert sorted(zones) == sorted(set(zones)), name
    assert {p.removeprefix("TZID=") for p in used} <= set(zones), name
    # vobject checks the rules icalendar lets pass (required properties, value types).
    parsed = vobject.readOne(data.decode("utf-8"))
    parsed.validate(raiseException=True)


def test_every_calendar_parses_round_trips_and_validates(events_build):
    files = calendars(events_build)
    # One per event (5 files, 2 meetings), one per team (2), per LPU (2) and the force's.
    assert len(files) == 7 + 2 + 2 + 1
    for name, data in files.items():
        assert_valid(name, data)


@pytest.mark.parametrize("force, at_least", [(REPO, 300), (DYFED_POWYS, 40)], ids=["west-midlands", "dyfed-powys"])
def test_demo_force_calendars_are_valid(force, at_least):
    checked = pipeline.check(force, now=NOW)
    files = render_calendars(checked.config, checked.force, checked.urls)
    assert len(files) > at_least
    for name, data in files.items():
        assert_valid(name, data)


def test_each_calendar_holds_the_right_events(events_build):
    def titles(rel: str) -> list[str]:
        data = (events_build / rel).read_bytes()
        return [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]

    assert titles("main/events/calendar.ics") == ["Live web chat with the Chief Constable", "Christmas tweetathon"]
    assert titles("main/northfield/events/calendar.ics") == [
        "Northfield open day", "Beat surgery at Mill End", "Have your say in Oldtown", "Beat surgery at the market"]
    assert titles("main/northfield/teams/oldtown/calendar.ics") == [
        "Beat surgery at Mill End", "Have your say in Oldtown", "Beat surgery at the market"]
    assert titles("riverside/teams/quayside/calendar.ics") == ["Quayside web chat"]
    assert titles("main/events/2026-12-11-christmas-tweetathon/2026-12-11-christmas-tweetathon.ics") == [
        "Christmas tweetathon"]


def test_event_properties_come_from_the_content(events_build):
    chat = events_of((events_build / "main/events/calendar.ics").read_bytes())[
        "force/events/2026-11-10-web-chat-with-the-chief-constable@www.testshire.police.example"]
    assert chat.decoded("DTSTART") == dt.datetime(2026, 11, 10, 18, 30, tzinfo=LONDON)
    assert chat["DTSTART"].params["TZID"] == "Europe/London"
    assert chat.decoded("DTEND") == dt.datetime(2026, 11, 10, 19, 30, tzinfo=LONDON)
    # DTSTAMP and LAST-MODIFIED from the event's 'updated' field, in UTC; never the clock.
    assert chat.decoded("DTSTAMP") == dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    assert chat.decoded("LAST-MODIFIED") == dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    assert str(chat["LOCATION"]) == "https://webchat.testshire.police.example/chief"
    assert str(chat["URL"]) == "https://www.testshire.police.example/events/2026-11-10-web-chat-with-the-chief-constable/"
    assert chat["CATEGORIES"].cats == ["Live web chat"]
    assert "Join online: https://webchat.testshire.police.example/chief" in str(chat["DESCRIPTION"])
    # Without 'updated', DTSTAMP is the start; a team meeting's UID comes from its LPU, date and title.
    oldtown = events_of((events_build / "main/northfield/teams/oldtown/calendar.ics").read_bytes())
    meeting = oldtown["northfield/events/2026-12-03-have-your-say-in-oldtown@www.testshire.police.example"]
    assert meeting.decoded("DTSTAMP") == dt.datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    assert str(meeting["LOCATION"]) == "Oldtown Library, Market Square"
    assert "LAST-MODIFIED" not in meeting


def test_an_event_has_one_uid_in_every_calendar_that_holds_it(events_build):
    uids: dict[str, set[bytes]] = {}
    for name, data in calendars(events_build).items():
        for uid, event in events_of(data).items():
            uids.setdefault(uid, set()).add(event.to_ical())
    assert len(uids) == 7
    # Each event is written the same in its own file, its team's, its LPU's (or the force's) calendar.
    assert all(len(versions) == 1 for versions in uids.values())


def test_summer_and_winter_times_mean_the_same_instant_to_vobject(events_build):
    # vobject reads the times through our VTIMEZONE, so this checks the zone's offsets.
    for rel, utc in (("main/northfield/events/calendar.ics", {
        "Northfield open day": dt.datetime(2026, 6, 20, 9, 0, tzinfo=UTC),       # BST
        "Beat surgery at Mill End": dt.datetime(2026, 10, 1, 9, 0, tzinfo=UTC),  # BST
        "Have your say in Oldtown": dt.datetime(2026, 12, 3, 18, 30, tzinfo=UTC),  # GMT
    }),):
        cal = vobject.readOne((events_build / rel).read_bytes().decode())
        starts = {e.summary.value: e.dtstart.value.astimezone(UTC) for e in cal.vevent_list}
        for title, instant in utc.items():
            assert starts[title] == instant, title


def test_vtimezone_changes_at_the_right_local_times():
    zone = vtimezone(LONDON, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    parts = {(p.name, str(p["TZNAME"])): p for p in zone.subcomponents}
    # Clocks go forward at 01:00 GMT and back at 02:00 BST, written in the time before the change.
    spring = parts[("DAYLIGHT", "BST")]
    assert spring.decoded("DTSTART") == dt.datetime(2026, 3, 29, 1, 0)
    assert (spring.decoded("TZOFFSETFROM"), spring.decoded("TZOFFSETTO")) == (dt.timedelta(0), dt.timedelta(hours=1))
    autumn = [p for p in zone.subcomponents if p.name == "STANDARD" and p.decoded("TZOFFSETFROM") == dt.timedelta(hours=1)]
    assert [p.decoded("DTSTART") for p in autumn] == [dt.datetime(2026, 10, 25, 2, 0)]
    # Years with the same rules share a sub-component, with RDATEs.
    longer = vtimezone(LONDON, dt.date(2025, 1, 1), dt.date(2028, 1, 1)).to_ical().decode()
    assert "RDATE:20260329T010000,20270328T010000" in longer


def test_two_builds_give_identical_calendars_and_the_build_date_does_not_change_them(events_site, events_build,
                                                                                      tmp_path):
    again, later = tmp_path / "again", tmp_path / "later"
    pipeline.build(events_site, again, now=NOW)
    pipeline.build(events_site, later, now=dt.datetime(2027, 3, 1))
    digest = lambda out: {n: hashlib.sha256(d).hexdigest() for n, d in calendars(out).items()}
    assert digest(again) == digest(events_build)
    assert digest(later) == digest(events_build)


def test_a_calendar_without_events_is_still_valid(minimal_build):
    # Quayside has no meetings, yet offers a calendar to subscribe to; RFC 5545 wants one component.
    data = (minimal_build / "riverside/teams/quayside/calendar.ics").read_bytes()
    assert_valid("quayside", data)
    cal = icalendar.Calendar.from_ical(data)
    assert not cal.walk("VEVENT") and len(cal.walk("VTIMEZONE")) == 1
    assert cal["X-WR-CALNAME"] == "Quayside neighbourhood team"
    assert cal["URL"] == "https://riverside.testshire.police.example/teams/quayside/"
    assert cal["REFRESH-INTERVAL"].to_ical() == b"P1D"
