"""Open data: the force, its neighbourhood teams, their officers, priorities and events as JSON files
in the shapes data.police.uk publishes them, under /api/ of the main site (docs/open-data.md).

police.uk's neighbourhood data starts on the force's own site, so it is made from the same content
as the pages: the Force the pipeline gives every stage, with drafts and scheduled items already
withheld (content/schedule.py) and ended appeals settled. Nothing goes in that the team pages do not
show: no former officers, and an officer's contact details only where the team page lists them.

The files mirror the upstream methods, so a client of data.police.uk needs only another address:

    /api/forces/{force}                  -> api/force.json
    /api/{force}/neighbourhoods          -> api/neighbourhoods.json
    /api/{force}/{id}                    -> api/{id}/index.json
    /api/{force}/{id}/people             -> api/{id}/people.json
    /api/{force}/{id}/priorities         -> api/{id}/priorities.json
    /api/{force}/{id}/events             -> api/{id}/events.json

A neighbourhood's id is `<lpu>.<team>`: team slugs repeat across LPUs (two LPUs have a Willenhall),
and a dot, unlike a slash, keeps the id one part of an address.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from wmpsite.core.events import of_team, slugify
from wmpsite.core.kind import Kind
from wmpsite.core.model import Force, Lpu, Team
from wmpsite.core.moment import Moment
from wmpsite.core.page import Task
from wmpsite.core.parts import Contact, SocialAccount, Station
from wmpsite.core.urls import MAIN, Location, Urls
from wmpsite.present.views import NETWORK_NAMES

#: The folder of the open data on the main site.
API = "api/"
#: Our networks that upstream's `contact_details` has a key for; the others are only in `links`.
CONTACT_KEYS = {"x": "twitter", "facebook": "facebook", "youtube": "youtube"}


def force_id(config) -> str:
    """The force's id on data.police.uk (site.toml's `police_uk_id`), else a slug of its name."""
    return config.force.police_uk_id or slugify(config.force.name)


def neighbourhood_id(team: Team) -> str:
    """A team's id in the open data: `birmingham-south.selly-oak`."""
    return f"{team.lpu}.{team.slug}"


def local_time(when: dt.datetime, zone: ZoneInfo) -> str:
    """A moment as upstream writes it: ISO 8601 in the force's local time, with no zone."""
    return when.astimezone(zone).replace(tzinfo=None).isoformat(timespec="seconds")


def day(date: dt.date) -> str:
    """A date as upstream writes it: midnight, local time, with no zone."""
    return f"{date.isoformat()}T00:00:00"


def _account_link(account: SocialAccount) -> dict[str, Any]:
    return {"url": account.url, "title": NETWORK_NAMES[account.network], "description": account.handle}


def _contact_details(email: str | None, phone: str | None, social=()) -> dict[str, str]:
    details = {key: value for key, value in (("email", email), ("telephone", phone)) if value}
    for account in social:
        key = CONTACT_KEYS.get(account.network)
        if key:
            details.setdefault(key, account.url)
    return details


def force_record(config) -> dict[str, Any]:
    """The force, as upstream's `forces/{force}` gives it."""
    force = config.force
    return {"id": force_id(config), "name": force.name, "description": force.description,
            "url": force.base_url, "telephone": force.non_emergency_number,
            "engagement_methods": [_account_link(a) for a in force.social]}


def _location(station: Station) -> dict[str, Any]:
    # The content gives no coordinates or postcode of its own: upstream leaves those null too.
    return {"name": station.name, "address": station.address, "postcode": None, "latitude": None,
            "longitude": None, "type": "station", "description": station.opening_hours}


def neighbourhood_record(team: Team, lpu: Lpu, urls: Urls) -> dict[str, Any]:
    """A team, as upstream's `{force}/{id}` gives a neighbourhood.

    Its stations come first, then its LPU's, as the team page shows them; `centre` is null, as the
    content gives no point for a team.
    """
    stations = list(team.contact.stations)
    stations += [s for s in lpu.contact.stations if s.name not in {t.name for t in stations}]
    return {"id": neighbourhood_id(team), "name": team.name, "url_force": urls.absolute(urls.of(team)),
            "description": team.summary,
            "contact_details": _contact_details(team.contact.email, _phone(team.contact, lpu), team.social),
            "centre": None, "locations": [_location(s) for s in stations],
            "links": [_account_link(a) for a in team.social]}


def _phone(contact: Contact, lpu: Lpu) -> str | None:
    return contact.phone or lpu.contact.phone  # as find your team gives it


def people(team: Team) -> list[dict[str, Any]]:
    """The team's officers, as upstream's `{force}/{id}/people`: only those the team page lists."""
    return [{"name": m.name, "rank": m.role, "bio": None,
             "contact_details": _contact_details(m.email, None, (m.social,) if m.social else ())}
            for m in team.members]


def priorities(force: Force, team: Team) -> list[dict[str, Any]]:
    """The team's priorities, resolved ones too, as upstream's `{force}/{id}/priorities`:
    what residents said (`issue`) and the latest thing done about it (`action`)."""
    found = []
    for p in force.priorities:
        if p.lpu == team.lpu and p.team == team.slug:
            latest = max(p.actions, key=lambda a: a.date, default=None)
            found.append({"issue": p.summary, "issue-date": day(p.raised),
                          "action": latest.text if latest else None,
                          "action-date": day(latest.date) if latest else None})
    return found


def events(force: Force, team: Team, lpu: Lpu, moment: Moment, zone: ZoneInfo) -> list[dict[str, Any]]:
    """The team's upcoming meetings and events, soonest first, as upstream's `{force}/{id}/events`."""
    upcoming, _past = moment.split(of_team(force, team.lpu, team.slug))
    found = []
    for e in upcoming:
        contact = _contact_details(team.contact.email, _phone(team.contact, lpu))
        if e.online:
            contact["web"] = e.online
        found.append({"title": e.title, "description": e.summary, "address": e.location or "Online",
                      "type": e.kind, "start_date": local_time(e.start, zone),
                      "end_date": local_time(e.end, zone) if e.end else None, "contact_details": contact})
    return found


def data_bytes(data: Any) -> bytes:
    """JSON as every other JSON output writes it: stable keys and indentation, UTF-8."""
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def open_data_files(config, force: Force, urls: Urls, moment: Moment) -> Iterator[tuple[str, bytes]]:
    """Every file of the open data: (its path in the output folder, its bytes)."""
    zone = ZoneInfo(config.force.time_zone)
    lpus = {lpu.slug: lpu for lpu in force.lpus}
    teams = sorted(force.teams, key=neighbourhood_id)
    yield _file("force.json"), data_bytes(force_record(config))
    yield _file("neighbourhoods.json"), data_bytes([{"id": neighbourhood_id(t), "name": t.name} for t in teams])
    for team in teams:
        folder, lpu = neighbourhood_id(team) + "/", lpus[team.lpu]
        yield _file(folder + "index.json"), data_bytes(neighbourhood_record(team, lpu, urls))
        yield _file(folder + "people.json"), data_bytes(people(team))
        yield _file(folder + "priorities.json"), data_bytes(priorities(force, team))
        yield _file(folder + "events.json"), data_bytes(events(force, team, lpu, moment, zone))


def _file(path: str) -> str:
    return Location(MAIN, API + path).file


KIND = Kind(
    "open data",  # no pages: data files, outside the sitemaps
    tasks=lambda config, force, urls, moment, cache_file, social: [
        Task("open data", lambda: open_data_files(config, force, urls, moment))],  # api/ on the main site
)
