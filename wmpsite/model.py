"""The force as plain data: what editors wrote, checked and typed. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """Where an item was written: its file (from the project root), and the line
    of each top-level front matter field, for errors found after loading."""

    path: str
    lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, 1)


@dataclass(frozen=True)
class Body:
    """An item's Markdown converted to HTML.

    Links to other content files and to files under static/ are left as
    `wmp:content/...` and `wmp:static/...` markers in `html`, resolved to URLs
    when a page is rendered; `links` lists each target with the file line it
    was written on, for the cross-file check.
    """

    html: str
    links: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class SocialAccount:
    """An account the force runs on a social network."""

    network: str   # one of NETWORKS
    handle: str    # as the network shows it, e.g. @WMPolice
    url: str       # the account's public page


@dataclass(frozen=True)
class Image:
    """An image under static/, with the text that replaces it for screen readers."""

    src: str   # path under static/, e.g. images/news/bike-marking.jpg
    alt: str


@dataclass(frozen=True)
class Station:
    """A police station or front counter residents can visit."""

    name: str
    address: str
    opening_hours: str | None = None


@dataclass(frozen=True)
class Contact:
    """How residents reach an LPU or a team (always shown beside 999 and 101)."""

    phone: str | None = None
    email: str | None = None
    stations: tuple[Station, ...] = ()


@dataclass(frozen=True)
class Member:
    """A named officer, PCSO or special constable on a neighbourhood team."""

    name: str
    role: str
    email: str | None = None
    social: SocialAccount | None = None


@dataclass(frozen=True)
class Meeting:
    """A public meeting, beat surgery or web chat a team holds."""

    title: str
    start: dt.datetime
    location: str
    end: dt.datetime | None = None
    summary: str | None = None
    kind: str | None = None            # one of EVENT_KINDS; None: 'web-chat' if Online, else 'public-meeting'
    online: str | None = None          # where to join online, for a web chat


#: What sort of event an Event (or a team's Meeting) is, in editors' words (issue 4).
EVENT_KINDS = ("public-meeting", "beat-surgery", "web-chat", "tweetathon", "community-event")


@dataclass(frozen=True)
class Event:
    """A public meeting, beat surgery, live web chat, tweetathon or community event.

    Written as its own file (content/events/ for the force, content/lpus/LPU/events/
    for an LPU or one of its teams), or derived from one of a team's `meetings`
    (`meeting` is then its index there; see events.all_events).
    """

    source: Source
    slug: str                          # its address; for files, the file name with its date
    title: str
    kind: str                          # one of EVENT_KINDS
    start: dt.datetime
    body: Body
    summary: str | None = None
    end: dt.datetime | None = None
    location: str | None = None        # a venue and address, or 'Online'
    online: str | None = None          # https:// link to join or follow
    hashtag: str | None = None         # for tweetathons, e.g. '#AskWMP'
    lpu: str | None = None             # None: force-wide, on the main site
    team: str | None = None
    transcript: Body | None = None     # the body's '## Transcript' section, shown once it is over
    updated: dt.datetime | None = None  # when the details last changed (the calendar's DTSTAMP)
    meeting: int | None = None         # derived from the team's meetings[meeting]

    @property
    def finish(self) -> dt.datetime:
        """When it is over: its end, else its start. 'Upcoming' means finish >= the build date."""
        return self.end or self.start


@dataclass(frozen=True)
class Action:
    """One thing the police did about a priority ("we did"), and when."""

    date: dt.date
    text: str


@dataclass(frozen=True)
class Page:
    """A page of the main site, such as 'About us' or 'Contact us'."""

    source: Source
    slug: str
    title: str
    summary: str
    body: Body
    updated: dt.date | None = None


@dataclass(frozen=True)
class NewsItem:
    """A news story or press release: force-wide when `lpu` is None, else local."""

    source: Source
    slug: str
    title: str
    date: dt.datetime
    summary: str
    body: Body
    kind: str = "news"                 # 'news' or 'press-release'
    lpu: str | None = None             # the LPU whose local news this is
    team: str | None = None            # the team it is about, for local news
    lpus: tuple[str, ...] = ()         # force news also shown on these LPU sites
    tags: tuple[str, ...] = ()
    image: Image | None = None
    updated: dt.datetime | None = None
    post: str | None = None            # the editor's own social media text


@dataclass(frozen=True)
class Advice:
    """A crime prevention advice page."""

    source: Source
    slug: str
    title: str
    summary: str
    category: str
    body: Body
    tags: tuple[str, ...] = ()
    updated: dt.date | None = None


@dataclass(frozen=True)
class Lpu:
    """A Local Policing Unit, with its own local site."""

    source: Source
    slug: str
    name: str
    summary: str
    body: Body
    contact: Contact
    social: tuple[SocialAccount, ...] = ()
    base_url: str | None = None       # set when the local site is deployed on its own


@dataclass(frozen=True)
class Team:
    """A neighbourhood team within an LPU."""

    source: Source
    slug: str
    lpu: str
    name: str
    summary: str
    body: Body
    contact: Contact
    areas: tuple[str, ...] = ()        # place names residents use
    postcodes: tuple[str, ...] = ()    # districts ('B30') or sectors ('B30 2')
    members: tuple[Member, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    social: tuple[SocialAccount, ...] = ()


@dataclass(frozen=True)
class Priority:
    """A local priority: what residents raised ("you said") and what was done ("we did")."""

    source: Source
    slug: str
    lpu: str
    team: str
    title: str
    raised: dt.date
    status: str                        # 'open', 'in-progress' or 'resolved'
    summary: str
    body: Body
    actions: tuple[Action, ...] = ()

    @property
    def updated(self) -> dt.date:
        return max([self.raised] + [a.date for a in self.actions])


@dataclass(frozen=True)
class Force:
    """Everything loaded from content/, each tuple sorted for reproducible output."""

    pages: tuple[Page, ...] = ()
    news: tuple[NewsItem, ...] = ()
    advice: tuple[Advice, ...] = ()
    lpus: tuple[Lpu, ...] = ()
    teams: tuple[Team, ...] = ()
    priorities: tuple[Priority, ...] = ()
    static_files: tuple[str, ...] = field(default=())  # paths under static/
    events: tuple[Event, ...] = ()     # event files only; with teams' meetings: events.all_events
