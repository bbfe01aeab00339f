"""iCalendar files: one .ics per event, and a calendar to subscribe to per team, per LPU and for the force.

Every file is reproducible: each event's UID comes from where it was written
(its LPU and address), its DTSTAMP from the content (its `updated` field, else
its start), never from the clock; times carry the force's TZID with a matching
VTIMEZONE written from the time zone database.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from wmpsite.core.config import Config
from wmpsite.core.errors import making
from wmpsite.core.events import KIND_LABELS, all_events
from wmpsite.core.model import Event, Force
from wmpsite.core.urls import Location, Urls

UTC = dt.timezone.utc


# Where each calendar is ------------------------------------------------------------------
def event_calendar(urls: Urls, event: Event) -> Location:
    """An event's own .ics, inside its page's folder: events/<slug>/<slug>.ics."""
    page = urls.of(event)
    return Location(page.site, f"{page.path}{event.slug}.ics")


def force_calendar(urls: Urls) -> Location:
    """The force-wide events (content/events/), on the main site."""
    return urls.main("events/calendar.ics")


def lpu_calendar(urls: Urls, lpu: str) -> Location:
    """An LPU's events, its teams' meetings and events included."""
    return urls.lpu_page(lpu, "events/calendar.ics")


def team_calendar(urls: Urls, lpu: str, team: str) -> Location:
    """A team's meetings, and the LPU's events that name the team."""
    return urls.lpu_page(lpu, f"teams/{team}/calendar.ics")


def event_uid(event: Event, urls: Urls) -> str:
    """A UID that stays the same from build to build: from the event's LPU and address, at the force's host.

    An event file keeps its UID when its time changes (its address is its file
    name); a team meeting's address, and so its UID, comes from its date and title.
    """
    host = urlsplit(urls.sites["main"].base_url).hostname
    return f"{event.lpu or 'force'}/events/{event.slug}@{host}"


# Rendering -------------------------------------------------------------------------------------
def render_calendars(config: Config, force: Force, urls: Urls) -> dict[str, bytes]:
    """Every .ics file of every site: {output file: bytes}.

    Each VEVENT and VTIMEZONE is serialised once and shared by the calendars that
    hold it (icalendar's line folding is slow); the bytes are what icalendar would
    write for the whole calendar (tests/test_calendar.py round-trips each file).
    """
    events = all_events(force)
    zones = b"".join(zone.to_ical() for zone in _zones(config, events))
    vevents = {}
    for event in events:
        with making(f"the calendar of {event.title}", event.source.path):
            vevents[id(event)] = _vevent(event, urls).to_ical()
    name = config.force.name
    out: dict[str, bytes] = {}

    def write(where: Location, title: str, description: str, items, page: Location | None) -> None:
        head = _calendar(config, title, description, urls.absolute(page) if page else None).to_ical()
        assert head.endswith(_END)
        out[where.file] = head[:-len(_END)] + zones + b"".join(vevents[id(e)] for e in items) + _END

    for event in events:
        write(event_calendar(urls, event), event.title, event.summary or event.title, (event,), None)
    write(force_calendar(urls), f"{name}: events", f"Force-wide events of {name}: web chats, tweetathons "
          "and public meetings.", tuple(e for e in events if e.lpu is None), urls.main("events/"))
    for lpu in force.lpus:
        write(lpu_calendar(urls, lpu.slug), f"{lpu.name} police events",
              f"Meetings, surgeries and events of {lpu.name} and its neighbourhood teams, {name}.",
              tuple(e for e in events if e.lpu == lpu.slug), urls.lpu_page(lpu.slug, "events/"))
    for team in force.teams:
        write(team_calendar(urls, team.lpu, team.slug), f"{team.name} neighbourhood team",
              f"Meetings, surgeries and web chats of the {team.name} neighbourhood team, {name}.",
              tuple(e for e in events if e.lpu == team.lpu and e.team == team.slug), urls.of(team))
    return out


_END = b"END:VCALENDAR\r\n"


def _calendar(config: Config, title: str, description: str, url: str | None) -> icalendar.Calendar:
    """A calendar's own properties; render_calendars adds the VTIMEZONEs, then the VEVENTs."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{config.force.name}//wmpsite//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", config.tz.key)
    if url:  # a calendar to subscribe to: ask apps to look for changes daily
        cal.add("url", url)
        cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "P1D")
    return cal


def _vevent(event: Event, urls: Urls) -> icalendar.Event:
    page = urls.absolute(urls.of(event))
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event, urls))
    vevent.add("dtstamp", (event.updated or event.start).astimezone(UTC))
    if event.updated:
        vevent.add("last-modified", event.updated.astimezone(UTC))
    vevent.add("dtstart", event.start)
    if event.end:
        vevent.add("dtend", event.end)
    vevent.add("summary", event.title)
    lines = [event.summary] if event.summary else []
    if event.online:
        lines.append(f"Join online: {event.online}")
    if event.hashtag:
        lines.append(f"Ask your questions with {event.hashtag}.")
    lines.append(f"Details: {page}")
    vevent.add("description", "\n\n".join(lines))
    where = event.location or event.online
    if where:
        vevent.add("location", where)
    vevent.add("url", page)
    vevent.add("categories", [KIND_LABELS[event.kind]])
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    return vevent


# Time zones ----------------------------------------------------------------------------------
def _zones(config: Config, events) -> list[icalendar.Timezone]:
    """A VTIMEZONE for the force's zone and every other zone an event uses, over the years of the events.

    Every calendar carries them, even one without events: RFC 5545 wants at least one component.
    """
    keys = {config.tz.key}
    for event in events:
        for when in (event.start, event.end, event.updated):
            if when is not None and isinstance(when.tzinfo, ZoneInfo):
                keys.add(when.tzinfo.key)
    years = [e.start.year for e in events] + [e.finish.year for e in events]
    first = dt.date(min(years, default=2000), 1, 1)
    last = dt.date(max(years, default=2000) + 1, 1, 1)
    return [vtimezone(ZoneInfo(key), first, last) for key in sorted(keys)]


def vtimezone(tz: ZoneInfo, first: dt.date, last: dt.date) -> icalendar.Timezone:
    """The VTIMEZONE of `tz` from `first` to `last`, with each change of offset from the time zone database.

    Each change's DTSTART is the local time before it, as RFC 5545 says (Europe/London
    moves to BST at 01:00 GMT, back at 02:00 BST); changes alike share one sub-component
    with RDATEs. (icalendar's Timezone.from_tzinfo puts the spring change an hour late.)
    """
    start = dt.datetime(first.year, first.month, first.day, tzinfo=tz).astimezone(UTC)
    end = dt.datetime(last.year, last.month, last.day, tzinfo=tz).astimezone(UTC)
    changes = []  # (instant, offset before, offset after, name after, daylight?)
    day, before = start, start.astimezone(tz).utcoffset()
    while day < end:
        after = (day + dt.timedelta(days=1)).astimezone(tz).utcoffset()
        if after != before:
            low, high = 0, 24 * 60  # minutes into the day: offset `before` at low, `after` at high
            while high - low > 1:
                middle = (low + high) // 2
                if (day + dt.timedelta(minutes=middle)).astimezone(tz).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            instant = day + dt.timedelta(minutes=high)
            local = instant.astimezone(tz)
            changes.append((instant, before, after, local.tzname(), bool(local.dst())))
            before = after
        day += dt.timedelta(days=1)

    zone = icalendar.Timezone()
    zone.add("tzid", tz.key)
    opening = start.astimezone(tz)
    groups: dict[tuple, list[dt.datetime]] = {}
    groups[(bool(opening.dst()), opening.utcoffset(), opening.utcoffset(), opening.tzname())] = [
        start.replace(tzinfo=None) + opening.utcoffset()]
    for instant, off_from, off_to, name, daylight in changes:
        groups.setdefault((daylight, off_from, off_to, name), []).append(instant.replace(tzinfo=None) + off_from)
    for (daylight, off_from, off_to, name), onsets in groups.items():
        part = icalendar.TimezoneDaylight() if daylight else icalendar.TimezoneStandard()
        part.add("dtstart", onsets[0])
        if onsets[1:]:
            part.add("rdate", onsets[1:])
        part.add("tzoffsetfrom", off_from)
        part.add("tzoffsetto", off_to)
        part.add("tzname", name)
        zone.add_component(part)
    return zone
