"""schema.org vocabulary as plain dicts: addresses and opening hours read from editors' words,
contact points, organisations, websites, news articles and events, from plain values.

Nothing here knows about pages, sites or URLs; `structured.py` decides which page gets what.

    >>> postal_address("1 High Street, Northfield TS1 1AA")["postalCode"]
    'TS1 1AA'
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from wmpsite.core.parts import Contact, SocialAccount, Station

SCHEMA = "https://schema.org"
ORG = "GovernmentOrganization"
# A full postcode ('B30 1QX'), a sector ('B29 6') or a district ('B29') at the end of an address.
_POSTCODE = re.compile(r"\s*,?\s*\b([A-Z]{1,2}[0-9][A-Z0-9]? ?(?:[0-9](?:[A-Z]{2})?)?)$")
_DAYS = {"monday": "Mo", "tuesday": "Tu", "wednesday": "We", "thursday": "Th", "friday": "Fr",
         "saturday": "Sa", "sunday": "Su"}
_TIME = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|midday|noon)"
_HOURS = re.compile(rf"(?P<days>.+?),\s*(?P<open>{_TIME})\s*(?:to|-|–)\s*(?P<close>{_TIME})", re.I)
_ONLINE = {"online", "on line", "online (web chat)", "web chat", "twitter", "x (twitter)"}


def international_phone(number: str) -> str:
    """A UK number in international form ('0121 496 0337' -> '+44 121 496 0337'); short codes as they are."""
    digits = number.replace(" ", "")
    if digits.startswith("0") and digits.isdigit() and len(digits) >= 10:
        return "+44 " + number.strip()[1:]
    return number


def postal_address(text: str) -> dict:
    """A PostalAddress from one written line: 'Bournville Lane, Stirchley, Birmingham B30 1QX'."""
    address: dict = {"@type": "PostalAddress"}
    rest = text.strip()
    match = _POSTCODE.search(rest)
    if match:
        address["postalCode"] = match.group(1)
        rest = rest[:match.start()].strip().rstrip(",")
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    if match and len(parts) >= 2:  # UK addresses end '..., post town POSTCODE'
        address["streetAddress"] = ", ".join(parts[:-1])
        address["addressLocality"] = parts[-1]
    elif parts:
        address["streetAddress"] = ", ".join(parts)
    address["addressCountry"] = "GB"
    return address


def opening_hours(text: str | None) -> list[str]:
    """schema.org openingHours from editors' words, or [] when they cannot be read for sure.

    >>> opening_hours("Monday to Friday, 8am to 8pm; Saturday, 10am to 4pm")
    ['Mo-Fr 08:00-20:00', 'Sa 10:00-16:00']
    >>> opening_hours("Open 24 hours, every day")
    ['Mo-Su']
    """
    if not text:
        return []
    clean = text.strip().rstrip(".")
    if re.fullmatch(r"(?:open )?24 hours(?:,| a day,)? (?:every day|7 days a week)", clean, re.I):
        return ["Mo-Su"]
    specs = []
    for part in re.split(r";\s*", clean):
        match = _HOURS.fullmatch(part.strip())
        days = _days(match.group("days")) if match else None
        if not days:
            return []
        specs.append(f"{days} {_clock(match.group('open'))}-{_clock(match.group('close'))}")
    return specs


def _days(text: str) -> str | None:
    words = text.strip().lower()
    if words in ("every day", "daily", "monday to sunday"):
        return "Mo-Su"
    span = re.fullmatch(r"(\w+) to (\w+)", words)
    if span and span.group(1) in _DAYS and span.group(2) in _DAYS:
        return f"{_DAYS[span.group(1)]}-{_DAYS[span.group(2)]}"
    names = [w for w in re.split(r",\s*|\s+and\s+", words) if w]
    if names and all(n in _DAYS for n in names):
        return ",".join(_DAYS[n] for n in names)
    return None


def _clock(text: str) -> str:
    text = text.strip().lower()
    if text in ("midday", "noon"):
        return "12:00"
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)", text)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    hour = hour % 12 + (12 if half == "pm" else 0)
    return f"{hour:02d}:{minute:02d}"


def police_station(station: Station) -> dict:
    """A PoliceStation with its address and, when they can be read, its opening hours."""
    data = {"@type": "PoliceStation", "name": station.name, "address": postal_address(station.address)}
    hours = opening_hours(station.opening_hours)
    if hours:
        data["openingHours"] = hours
    return data


def contact_points(emergency: str, non_emergency: str, textphone: str | None = None,
                   own: tuple[str, str | None, str | None] | None = None) -> list[dict]:
    """ContactPoints: 999 and 101 always, the textphone, and `own` = (contactType, phone, email)."""
    points = [{"@type": "ContactPoint", "contactType": "emergency", "telephone": emergency,
               "areaServed": "GB"},
              {"@type": "ContactPoint", "contactType": "non-emergency", "telephone": non_emergency,
               "areaServed": "GB"}]
    if textphone:
        points.append({"@type": "ContactPoint", "contactType": "textphone", "telephone": textphone,
                       "areaServed": "GB"})
    if own and (own[1] or own[2]):
        point = {"@type": "ContactPoint", "contactType": own[0]}
        if own[1]:
            point["telephone"] = international_phone(own[1])
        if own[2]:
            point["email"] = own[2]
        points.append(point)
    return points


def org_ref(url: str, name: str) -> dict:
    """A short reference to an organisation described in full on its own page."""
    return {"@type": ORG, "@id": url + "#organization", "name": name, "url": url}


def organization(*, name: str, url: str, description: str | None, contact: Contact | None,
                 social: Iterable[SocialAccount], emergency: str, non_emergency: str,
                 textphone: str | None = None, contact_type: str = "enquiries",
                 parent: dict | None = None, areas: Iterable[str] = (), postcodes: Iterable[str] = (),
                 teams: Iterable[dict] = (), alternate_name: str | None = None) -> dict:
    """A GovernmentOrganization (the force, an LPU or a team) with how to reach it.

    Its stations are PoliceStations under `location`; `areas` and `postcodes` become areaServed.
    """
    data: dict = {"@type": ORG, "@id": url + "#organization", "name": name, "url": url}
    if alternate_name:
        data["alternateName"] = alternate_name
    if description:
        data["description"] = description
    if contact and contact.phone:
        data["telephone"] = international_phone(contact.phone)
    if contact and contact.email:
        data["email"] = contact.email
    own = (contact_type, contact.phone, contact.email) if contact else None
    data["contactPoint"] = contact_points(emergency, non_emergency, textphone, own)
    if contact and contact.stations:
        data["location"] = [police_station(s) for s in contact.stations]
    served = [{"@type": "Place", "name": a} for a in areas]
    served += [{"@type": "Place", "name": p,
                "address": {"@type": "PostalAddress", "postalCode": p, "addressCountry": "GB"}}
               for p in postcodes]
    if served:
        data["areaServed"] = served
    same_as = [a.url for a in social]
    if same_as:
        data["sameAs"] = same_as
    if parent:
        data["parentOrganization"] = parent
    teams = list(teams)
    if teams:
        data["subOrganization"] = teams
    return data


def website(*, name: str, url: str, description: str | None, language: str, publisher: dict) -> dict:
    return {"@type": "WebSite", "@id": url + "#website", "name": name, "url": url,
            **({"description": description} if description else {}),
            "inLanguage": language, "publisher": {"@id": publisher["@id"]}}


def image_object(url: str, width: int | None, height: int | None) -> dict:
    """An ImageObject: a picture with its size, where the build knows it. schema.org's `width` and
    `height` take a Distance or a QuantitativeValue, not a bare number: a value in pixels (E37, the
    UN/CEFACT code for a pixel)."""
    def pixels(n: int) -> dict:
        return {"@type": "QuantitativeValue", "value": n, "unitCode": "E37"}
    return {"@type": "ImageObject", "url": url, **({"width": pixels(width)} if width else {}),
            **({"height": pixels(height)} if height else {})}


def news_article(*, headline: str, url: str, description: str, published: dt.datetime,
                 modified: dt.datetime | None, images: list, publisher: dict, author: dict,
                 language: str, section: str | None = None, keywords: Iterable[str] = ()) -> dict:
    """A NewsArticle: headline (at most 110 characters, as Google asks), dates with their offset."""
    data = {"@context": SCHEMA, "@type": "NewsArticle", "@id": url + "#article",
            "headline": headline if len(headline) <= 110 else headline[:109].rstrip() + "…",
            "description": description, "url": url, "mainEntityOfPage": url,
            "datePublished": _iso(published), "dateModified": _iso(modified or published),
            "author": author, "publisher": publisher, "inLanguage": language}
    if images:  # the article's own picture, else its share card, else the force's share image
        data["image"] = images
    if section:
        data["articleSection"] = section
    keywords = [k.replace("-", " ") for k in keywords]
    if keywords:
        data["keywords"] = keywords
    return data


def event(*, name: str, url: str, start: dt.datetime, end: dt.datetime | None = None,
          location: str | None = None, description: str | None = None, organizer: dict | None = None,
          images: Iterable = (), online_url: str | None = None, cancelled: bool = False,
          language: str | None = None) -> dict:
    """An Event (a public meeting, beat surgery, live web chat or Twitter event), with @context.

    No location, or 'Online', makes it an online event at a VirtualLocation (`online_url`, else
    the event's own page); a venue and an `online_url` make it a mixed one (both locations); a
    venue alone, an offline one at a Place. Times must be timezone-aware.

    Example, for an event page:
        to_script(event(name=e.title, url=page_url, start=e.start, end=e.end, location=e.location,
                        online_url=e.online, organizer=org_ref(team_url, team_name)))
    """
    where = (location or "").strip()
    online_only = not where or where.lower() in _ONLINE or where.lower().startswith("online")
    data: dict = {"@context": SCHEMA, "@type": "Event", "@id": url + "#event", "name": name, "url": url,
                  "startDate": _iso(start)}
    if end:
        data["endDate"] = _iso(end)
    data["eventStatus"] = f"{SCHEMA}/EventCancelled" if cancelled else f"{SCHEMA}/EventScheduled"
    virtual = {"@type": "VirtualLocation", "url": online_url or url}
    place = {"@type": "Place", "name": where.split(",")[0].strip() or where, "address": postal_address(where)}
    if online_only:
        data["eventAttendanceMode"] = f"{SCHEMA}/OnlineEventAttendanceMode"
        data["location"] = virtual
    elif online_url:
        data["eventAttendanceMode"] = f"{SCHEMA}/MixedEventAttendanceMode"
        data["location"] = [place, virtual]
    else:
        data["eventAttendanceMode"] = f"{SCHEMA}/OfflineEventAttendanceMode"
        data["location"] = place
    if description:
        data["description"] = description
    images = list(images)
    if images:
        data["image"] = images
    if organizer:
        data["organizer"] = organizer
    data["isAccessibleForFree"] = True
    if language:
        data["inLanguage"] = language
    return data


def _iso(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()
