"""Event pages: where the lists and pages of events go, and their context builders.

The main site has /events/ (force-wide events) and each LPU /<lpu>/events/
(its own and its teams' events, meetings included); every event has a page
at <list>/<address>/ beside its .ics file. Upcoming or past is decided
against the build date, as on team pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wmpsite.content import content_types as ct
from wmpsite.core.events import make_event
from wmpsite.core.kind import Collection, Kind
from wmpsite.core.page import Built, Task
from wmpsite.outputs.calendar import render_calendars
from wmpsite.outputs.calendar import event_calendar, force_calendar, lpu_calendar, team_calendar
from wmpsite.core.events import CHAT_KINDS, KIND_LABELS, force_wide, of_lpu
from wmpsite.core.model import Event, Force
from wmpsite.core.page import PlannedPage
from wmpsite.core.urls import Urls
from wmpsite.present.views import EventCard, EventView, Link, map_url, when_time


def plan_events(force: Force, urls: Urls) -> list[PlannedPage]:
    """The events lists and a page per event, force-wide first, then LPU by LPU."""
    main = force_wide(force)
    pages = [PlannedPage(urls.main("events/"), "events", items=main)]
    pages += [PlannedPage(urls.of(e), "event", e.source.path, e) for e in main]
    for lpu in force.lpus:
        local = of_lpu(force, lpu.slug)
        pages.append(PlannedPage(urls.lpu_page(lpu.slug, "events/"), "events", lpu=lpu.slug, items=local))
        pages += [PlannedPage(urls.of(e), "event", e.source.path, e, lpu=lpu.slug, team=e.team) for e in local]
    return pages


def event_card(r, event: Event, site: str) -> EventCard:
    """An event as lists show it: on team pages and the events lists."""
    team = r.look.teams[(event.lpu, event.team)] if event.team else None
    return EventCard(
        event.title, r.link(r.urls.of(event), site), event.kind, KIND_LABELS[event.kind],
        when_time(event.start), when_time(event.end, event.start) if event.end else None,
        event.location or "Online", map_url(event.location), event.summary,
        Link(team.name, r.link(r.urls.of(team), site)) if team else None,
        r.link(event_calendar(r.urls, event), site),
        event.transcript is not None and r.moment.over(event), r.preview(event.source.path))


def event_cards(r, events, site: str) -> tuple[tuple[EventCard, ...], tuple[EventCard, ...]]:
    """(upcoming soonest first, past latest first) as cards."""
    upcoming, past = r.moment.split(events)
    return tuple(event_card(r, e, site) for e in upcoming), tuple(event_card(r, e, site) for e in past)


@dataclass(frozen=True)
class EventsContext:
    WHERE: ClassVar[str] = "`/events/`, `/<lpu>/events/`"

    upcoming: tuple[EventCard, ...]        # soonest first
    past: tuple[EventCard, ...]            # latest first
    calendar: Link                         # the .ics to subscribe to
    calendars: tuple[Link, ...]            # its teams' calendars, on an LPU's site
    places: tuple[Link, ...]               # the LPUs' events pages, or on an LPU's the force-wide one


@dataclass(frozen=True)
class EventContext:
    WHERE: ClassVar[str] = "`/events/<slug>/`, `/<lpu>/events/<slug>/`"

    event: EventView                       # the event; its transcript once it is over


def events_list(r, page: PlannedPage, site: str) -> Built[EventsContext]:
    upcoming, past = event_cards(r, page.items, site)
    if page.lpu:
        lpu = r.look.lpus[page.lpu]
        calendar = Link(f"{lpu.name} events calendar", r.link(lpu_calendar(r.urls, lpu.slug), site))
        calendars = tuple(Link(f"{t.name} team calendar", r.link(team_calendar(r.urls, t.lpu, t.slug), site))
                          for t in r.force.teams if t.lpu == lpu.slug)
        places = (Link(f"Force-wide events of {r.config.force.name}", r.link(r.urls.main("events/"), site)),)
        title = f"{lpu.name} events and meetings"
        description = (f"Public meetings, beat surgeries and live web chats with the neighbourhood teams "
                       f"of {lpu.name}: what is coming up, and what happened.")
    else:
        calendar = Link(f"{r.config.force.name} events calendar", r.link(force_calendar(r.urls), site))
        calendars = ()
        places = tuple(Link(f"Events in {lpu.name}", r.link(r.urls.lpu_page(lpu.slug, "events/"), site))
                       for lpu in r.force.lpus)
        title = "Events and live web chats"
        description = (f"Live web chats, tweetathons and public meetings of {r.config.force.name}, "
                       "with transcripts of past chats.")
    return Built(EventsContext(upcoming, past, calendar, calendars, places), title, description)


def event(r, page: PlannedPage, site: str) -> Built[EventContext]:
    event: Event = page.item
    card = event_card(r, event, site)
    over = r.moment.over(event)
    if event.lpu:
        lpu = r.look.lpus[event.lpu]
        events = Link(r._("Events"), r.link(r.urls.lpu_page(lpu.slug, "events/"), site))
        if event.team:
            team = r.look.teams[(event.lpu, event.team)]
            subscribe = Link(f"{team.name} team calendar", r.link(team_calendar(r.urls, team.lpu, team.slug), site))
        else:
            subscribe = Link(f"{lpu.name} events calendar", r.link(lpu_calendar(r.urls, lpu.slug), site))
    else:
        events = Link(r._("Events"), r.link(r.urls.main("events/"), site))
        subscribe = Link(f"{r.config.force.name} events calendar", r.link(force_calendar(r.urls), site))
    view = EventView(
        card, r.body(event, site), over, event.location, event.online, event.hashtag,
        f"https://x.com/hashtag/{event.hashtag[1:]}" if event.hashtag else None,
        r.body(event, site, "transcript") if over and event.transcript else None,
        event.kind in CHAT_KINDS and not (over and event.transcript), events, subscribe)
    description = event.summary or f"{card.kind_label}, {card.start.text}: {card.where}."
    return Built(EventContext(view), event.title, description, (events,))


KIND = Kind(
    "events",
    makers=((ct.EVENT, make_event),
            (ct.LOCAL_EVENT, make_event)),
    collections=(Collection("events", (ct.EVENT, ct.LOCAL_EVENT), lambda e: (e.start, e.lpu or "", e.slug)),),
    plan=lambda config, force, urls, now: plan_events(force, urls),
    builders={"events": events_list, "event": event},
    tasks=lambda config, force, urls, moment, cache_file, social: [
        Task("calendars", lambda: render_calendars(config, force, urls).items())],  # .ics files
)
