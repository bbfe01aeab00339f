"""What templates see: small view objects with URLs resolved and dates formatted.

Templates never query the model; every list arrives sorted. The names here are
the template context documented in docs/templates.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup

from wmpsite.core import i18n


@dataclass(frozen=True)
class Link:
    text: str                           # what the link says
    url: str                            # where it goes, for the site the page is on
    current: bool = False               # it is the page's own section (the navigation)


@dataclass(frozen=True)
class When:
    """A date or time, ready to show: `iso` for <time datetime>, `text` for people."""

    iso: str                            # for `<time datetime>`
    text: str                           # for people: 'Friday 14 March 2025', 'Thursday 3 December 2026, 6:30pm'
    value: dt.date | None = field(default=None, compare=False)  # the moment itself, so the `when` filter can write it in the page's language
    clock_only: bool = field(default=False, compare=False)  # just the time ('8pm'): the end of something on the day it starts


@dataclass(frozen=True)
class ImageView:
    src: str                            # its URL
    alt: str                            # its text alternative
    width: int | None = None            # its size in pixels, where the build knows it (share cards)
    height: int | None = None
    type: str | None = None             # its media type, where the build knows it, e.g. 'image/png'


@dataclass(frozen=True)
class SocialView:
    network: str     # the network's name as people say it, e.g. 'X (Twitter)'
    handle: str
    url: str


@dataclass(frozen=True)
class StationView:
    name: str
    address: str
    opening_hours: str | None           # as the editor wrote them


@dataclass(frozen=True)
class ContactView:
    phone: str | None
    phone_href: str | None              # the `tel:` link
    email: str | None
    stations: tuple[StationView, ...]
    social: tuple[SocialView, ...]


@dataclass(frozen=True)
class NewsCard:
    title: str
    url: str                            # its page
    date: When
    summary: str
    kind_label: str                 # 'News' or 'Press release'
    place: Link | None              # the LPU (and team) it is from, if local
    image: ImageView | None             # its picture, if one
    preview: str | None = None          # only in `serve`: 'Draft' or 'Not public until ...' for an item that waits


@dataclass(frozen=True)
class ArticleView:
    card: NewsCard
    body_html: str                      # the story's text (see below)
    updated: When | None                # when it was last changed, if the editor said
    tags: tuple[str, ...]               # its tags, as written
    team: Link | None                   # the team it is from, if one


@dataclass(frozen=True)
class AdviceCard:
    title: str
    url: str                            # its page
    summary: str
    category: str
    preview: str | None = None          # only in `serve`: 'Draft' or 'Not public until ...' for an item that waits


@dataclass(frozen=True)
class AdviceGroup:
    category: str
    items: tuple[AdviceCard, ...]


@dataclass(frozen=True)
class MemberView:
    name: str
    role: str                           # e.g. 'Police Community Support Officer'
    email: str | None                   # the officer's own address, if given
    social: SocialView | None           # the officer's own account, if one


@dataclass(frozen=True)
class EventCard:
    """An event in a list: a team's meetings, an LPU's or the force's events."""

    title: str
    url: str                 # its page
    kind: str                # 'public-meeting', 'beat-surgery', 'web-chat', 'tweetathon', 'community-event'
    kind_label: str          # 'Public meeting', 'Beat surgery', 'Live web chat', 'Tweetathon', 'Community event'
    start: When
    end: When | None         # just the time when it ends on the day it starts
    where: str               # the venue and address, or 'Online'
    map_url: str | None      # an OpenStreetMap search for the venue (a link: nothing loads from it), or None online
    summary: str | None
    team: Link | None        # the team holding it, if one
    calendar_url: str        # its own .ics file ('Add to calendar')
    has_transcript: bool     # over, and its transcript is on its page
    preview: str | None = None          # only in `serve`: 'Draft' or 'Not public until ...' for an item that waits


@dataclass(frozen=True)
class EventView:
    """One event's page."""

    card: EventCard
    body_html: str                      # its text: HTML made from the editor's Markdown (see below)
    over: bool                      # it has finished (against the build date)
    location: str | None            # the venue, if one
    online: str | None              # the link to join or follow it
    hashtag: str | None
    hashtag_url: str | None
    transcript_html: str | None     # only once it is over
    transcript_due: bool            # a web chat or tweetathon without a transcript to show yet
    events: Link                    # the list it belongs to
    subscribe: Link                 # the calendar of its team, LPU or the force


@dataclass(frozen=True)
class ActionView:
    date: When                          # when it was done
    text: str                           # what was done


@dataclass(frozen=True)
class PriorityCard:
    title: str
    url: str                            # its page
    status: str            # 'open', 'in-progress', 'resolved' (for the CSS class)
    status_label: str      # 'Open', 'In progress', 'Resolved'
    raised: When
    updated: When
    summary: str
    team: Link                          # the team working on it
    latest_action: ActionView | None    # what was done last, if anything
    preview: str | None = None          # only in `serve`: 'Draft' or 'Not public until ...' for an item that waits


@dataclass(frozen=True)
class PriorityView:
    card: PriorityCard
    body_html: str                      # its text: HTML made from the editor's Markdown (see below)
    actions: tuple[ActionView, ...]     # what was done, oldest first


@dataclass(frozen=True)
class TeamCard:
    name: str
    url: str                            # its page
    summary: str
    areas: tuple[str, ...]              # the places it covers
    preview: str | None = None          # only in `serve`: 'Draft' or 'Not public until ...' for an item that waits


@dataclass(frozen=True)
class TeamView:
    card: TeamCard
    body_html: str                      # the team's own text
    postcodes: tuple[str, ...]
    contact: ContactView
    members: tuple[MemberView, ...]
    upcoming: tuple[EventCard, ...]     # its meetings and events, soonest first
    past: tuple[EventCard, ...]         # latest first
    priorities: tuple[PriorityCard, ...] # current ones (open or in progress)
    resolved: tuple[PriorityCard, ...]  # "you said, we did" done


@dataclass(frozen=True)
class LpuView:
    name: str
    url: str                            # its home page
    summary: str
    body_html: str                      # the LPU's own text
    contact: ContactView
    teams: tuple[TeamCard, ...]         # its neighbourhood teams
    news_url: str                       # its news list
    priorities_url: str                 # its priorities


@dataclass(frozen=True)
class SiteView:
    """The deployable site a page belongs to, and the force's fixed facts."""

    force_name: str                     # the force's full name
    short_name: str                     # site.toml's force.short_name, e.g. 'WMP'
    title: str                      # the force's name, or an LPU's with it: 'Birmingham South – West Midlands Police'
    home_url: str                   # this site's home
    force_home_url: str             # the main site's home
    language: str                       # for `<html lang>`
    theme_colour: str                   # the force's colour (site.toml `colour`), for `<meta name="theme-color">`
    emergency_number: str
    non_emergency_number: str
    textphone: str | None
    report_online_url: str | None
    report_url: str | None              # the top of every page: the page of every way to report, else online
    accessibility_url: str              # this site's accessibility statement
    a_z_url: str                        # the local policing A to Z
    stylesheet_url: str                 # with its version for caches
    favicon_url: str
    social: tuple[SocialView, ...]      # the force's own accounts
    force_stylesheet_url: str | None = None  # the force's own colours (static/css/force.css), after the theme's
    logo_url: str | None = None         # site.toml's force.logo, shown before the force's name
    social_directory_url: str | None = None  # the site's social media directory
    engagement: tuple[Link, ...] = ()  # photo of the day, rate your local police (footer links)
    footer_links: tuple[Link, ...] = ()  # site.toml's: contact, privacy, cookies, complaints


@dataclass(frozen=True)
class Pagination:
    number: int                         # this page's number, from 1
    count: int                          # how many pages the list has
    previous_url: str | None            # None on the first page
    next_url: str | None                # None on the last page
    pages: tuple[Link | None, ...]  # the first, the last and those near this one; None where pages are left out


def page_numbers(number: int, count: int, around: int = 2) -> list[int | None]:
    """Which page links a pager shows: 1, the last, and `around` either side of `number`, None for a gap.

    A list of 600 pages linking every page from each would be 600 links a page (and 360,000 for
    the list): unusable on a phone, and quadratic to build.
    """
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    out: list[int | None] = []
    last = 0
    for n in shown:
        if n - last == 2:  # a gap of one page: show the page, not an ellipsis
            out.append(n - 1)
        elif n - last > 2:
            out.append(None)
        out.append(n)
        last = n
    return out


@dataclass(frozen=True)
class FeedLink:
    """A feed offered in the page's <head> for feed readers to discover."""

    title: str
    url: str
    type: str                           # its media type, e.g. 'application/atom+xml'


@dataclass(frozen=True)
class PageView:
    """The page being rendered: what goes in <head> and the breadcrumbs."""

    kind: str                           # the page kind, which names the template
    title: str                      # the page's own title (h1)
    head_title: str                 # the <title>: page, then site
    description: str
    canonical_url: str                  # the page's own absolute URL
    breadcrumbs: tuple[Link, ...]       # from the site's home to the page's parent
    image: ImageView | None = None  # absolute URL, for link previews
    feeds: tuple[FeedLink, ...] = ()    # for `<link rel=alternate>`
    structured_data: str | None = None  # schema.org JSON-LD, escaped for its <script> block (structured.py)


@dataclass(frozen=True)
class BuildView:
    generator: str                      # e.g. 'wmpsite 0.1.0'
    date: When                      # the build date that decides 'upcoming'


@dataclass(frozen=True)
class PageContext:
    """The names every page's template gets, whatever its kind; a kind's own names come from its builder."""

    site: SiteView                 # the site the page is on, and the force's fixed facts
    page: PageView                 # the page itself: titles, description, breadcrumbs, preview image, feeds, JSON-LD
    lpu: LpuView | None            # the LPU whose local site the page is on, or None on the main site
    team: TeamCard | None          # the team the page is about, if one
    nav: tuple[Link, ...]          # the site's navigation; `current` marks this page's section
    build: BuildView               # the generator, and the build date
    preview: str | None = None     # only in `serve`: why the item this page shows is not on the public site yet
    added: tuple[Any, ...] = ()    # what kinds add to every page (Kind.every_page): dataclasses, whose fields are names


def template_names(context: Any) -> dict[str, Any]:
    """A context dataclass as template names: its fields, shallow, so the views stay the objects they are
    (dataclasses.asdict would copy every view into dicts). A PageContext gives its kinds' additions too."""
    names = {f.name: getattr(context, f.name) for f in fields(context)}
    if isinstance(context, PageContext):
        del names["added"]
        for more in context.added:
            names.update(template_names(more))
    return names


def day_text(value: dt.date, language: str = "en") -> str:
    """A day as residents read it, weekday first: 'Thursday 20 November 2026'.

    Every date a page shows comes through here (when_date, when_time), so a resident never has to
    work out which day of the week a meeting or an appeal's date falls on.
    """
    return i18n.day_text(value, language)


#: Where residents are sent to see a venue on a map: OpenStreetMap's own search page, as a plain link,
#: so the page itself makes no request to anyone and no map is embedded.
MAP_SEARCH = "https://www.openstreetmap.org/search"


def map_url(address: str | None) -> str | None:
    """A link to OpenStreetMap's search for an address, or None for none or 'Online'.

    Example: ``map_url("Bournville Library, Birmingham B30 2TA")`` ==
    ``"https://www.openstreetmap.org/search?query=Bournville%20Library%2C%20Birmingham%20B30%202TA"``
    """
    if not address or address.strip().casefold() == "online":
        return None
    return f"{MAP_SEARCH}?{urlencode({'query': address}, quote_via=quote)}"


def when_date(value: dt.date) -> When:
    if isinstance(value, dt.datetime):
        value = value.date()
    return When(value.isoformat(), day_text(value), value)


def when_time(value: dt.datetime, same_day_as: dt.datetime | None = None) -> When:
    """A local date and time: 'Friday 14 March 2025, 6:30pm'; just '8pm' when it is on the day of `same_day_as`."""
    clock_only = same_day_as is not None and same_day_as.date() == value.date()
    return When(value.isoformat(timespec="minutes"), when_text(value, clock_only), value, clock_only)


def when_text(value: dt.date, clock_only: bool = False, language: str = "en") -> str:
    """The words of a When in `language`: the day, or the day and time, or the time alone."""
    if not isinstance(value, dt.datetime):
        return day_text(value, language)
    clock = i18n.clock_text(value, language)
    return clock if clock_only else f"{day_text(value, language)}, {clock}"


def in_language(when: When, language: str) -> str:
    """A When's words in `language`: its English `text` as it is, any other language written again
    from its moment (Welsh weekday and month names, the Welsh clock)."""
    if i18n.base_language(language) == "en" or when.value is None:
        return when.text
    return when_text(when.value, when.clock_only, language)


def time_element(when: When, language: str = "en") -> Markup:
    """A When as the page shows it: `<time datetime="2026-11-20">Friday 20 November 2026</time>`.

    The templates' one way to write a date (the `when` filter, build/render.make_environment, which
    gives it the language of the page), so every page marks its dates up alike for people and for machines.
    """
    return Markup('<time datetime="{}">{}</time>').format(when.iso, in_language(when, language))


NETWORK_NAMES = {
    "x": "X (Twitter)", "facebook": "Facebook", "instagram": "Instagram", "mastodon": "Mastodon",
    "bluesky": "Bluesky", "youtube": "YouTube", "threads": "Threads", "tiktok": "TikTok",
    "nextdoor": "Nextdoor", "linkedin": "LinkedIn",
}
STATUS_LABELS = {"open": "Open", "in-progress": "In progress", "resolved": "Resolved"}


#: How pages, feeds and JSON-LD name an alert's severity and an appeal's kind.
SEVERITY_LABELS = {"critical": "Critical incident", "major": "Major incident", "advisory": "Police advisory"}
APPEAL_KIND_LABELS = {"missing-person": "Missing person", "witness-appeal": "Appeal for witnesses",
               "wanted": "Wanted", "stolen-property": "Stolen property"}
