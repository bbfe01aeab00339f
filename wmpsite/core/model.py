"""The force as plain data: what editors wrote, checked and typed. No I/O here."""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from dataclasses import dataclass, field

from wmpsite.core.parts import Action, AppealUpdate, Body, Contact, Image, Meeting, Member, SocialAccount, Source, StatusChange, Video


#: What sort of event an Event (or a team's Meeting) is, in editors' words.
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
    unpublish_on: dt.datetime | None = None  # past this, only a notice at its address
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before

    @property
    def finish(self) -> dt.datetime:
        """When it is over: its end, else its start. 'Upcoming' means finish >= the build date."""
        return self.end or self.start


@dataclass(frozen=True)
class Page:
    """A page of the main site, such as 'About us' or 'Contact us'."""

    source: Source
    slug: str
    title: str
    summary: str
    body: Body
    updated: dt.date | None = None
    video: "Video | None" = None       # a video shown under the text
    unpublish_on: dt.datetime | None = None  # past this, only a notice at its address
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before


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
    video: "Video | None" = None       # a video shown under the text
    unpublish_on: dt.datetime | None = None  # past this, lists and feeds drop it; its page a notice
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before


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
    unpublish_on: dt.datetime | None = None  # past this, only a notice at its address
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before


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
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before


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
    former: tuple[Member, ...] = ()    # officers who left; `audit` lists their accounts until closed
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before


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
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before

    @property
    def updated(self) -> dt.date:
        return max([self.raised] + [a.date for a in self.actions])


@dataclass(frozen=True)
class Question:
    """"Rate your local police": a question a resident asked, published with the force's answer."""

    source: Source
    slug: str
    title: str                         # a short headline for lists
    question: str                      # what was asked, as published
    asked: dt.date
    answered: dt.datetime              # when the answer was published: its date in lists and feeds
    body: Body                         # the force's answer
    lpu: str | None = None             # the LPU asked (from the folder), or None for a force-wide question
    department: str | None = None      # the department that answered, e.g. 'Contact centre'
    updated: dt.datetime | None = None
    tags: tuple[str, ...] = ()         # never set: feeds read it
    image: "Image | None" = None       # never set: feeds read it
    unpublish_on: dt.datetime | None = None  # past this, only a notice at its address
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before

    @property
    def date(self) -> dt.datetime:     # feeds and sitemaps date items by `date`
        return self.answered

    @property
    def summary(self) -> str:
        return self.question if len(self.question) <= 300 else self.question[:297].rsplit(" ", 1)[0] + "..."


@dataclass(frozen=True)
class Photo:
    """A photo of the day: a picture under static/ with its caption, alt text and credit."""

    source: Source
    slug: str
    title: str
    date: dt.date
    photo: Image                       # src under static/ (JPEG, PNG or WebP) and its alt text
    caption: str
    body: Body
    credit: str | None = None          # who took it
    width: int = 0                     # pixel size of the source, read by the loader (gallery.measure)
    height: int = 0
    unpublish_on: dt.datetime | None = None  # past this, only a notice at its address
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before


#: How serious a major-incident message is, most serious first: the banner shows the most serious on top.
ALERT_SEVERITIES = ("critical", "major", "advisory")


@dataclass(frozen=True)
class Alert:
    """A major-incident message: a banner on every page, a first feed item and a post while active."""

    source: Source
    slug: str                          # the file name without its date
    title: str
    severity: str                      # one of ALERT_SEVERITIES
    start: dt.datetime
    end: dt.datetime                   # active while start <= build date < end
    body: Body
    summary: str | None = None         # the banner's short text; the body when left out
    lpus: tuple[str, ...] = ()         # the LPUs it concerns; () means every LPU
    updated: dt.datetime | None = None

    @property
    def date(self) -> dt.datetime:     # feeds and social feeds sort and date items by `date`
        return self.start

    tags: tuple[str, ...] = ()         # never set: alerts have no topics
    post: str | None = None            # never set: the post is the title
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before


#: What an appeal asks for, and where it stands.
APPEAL_KINDS = ("missing-person", "witness-appeal", "wanted", "stolen-property")
APPEAL_STATUSES = ("open", "updated", "resolved", "withdrawn")
#: Fields an editor may mark `personal`, beside name, photo and description (always personal).
APPEAL_DETAILS = ("age", "last_seen", "area", "reference")


@dataclass(frozen=True)
class Appeal:
    """A missing person, witness, wanted or stolen property appeal.

    Once resolved or withdrawn, appeals.settle replaces it with a copy that has
    no personal details at all (`redacted`), so no later stage can leak them.
    """

    source: Source
    slug: str
    title: str
    kind: str                          # one of APPEAL_KINDS
    summary: str
    body: Body
    history: tuple[StatusChange, ...]  # oldest first; the last is where it stands
    lpu: str | None = None             # None: force-wide
    lpus: tuple[str, ...] = ()         # a force-wide appeal's LPUs: their appeals lists show it too
    name: str | None = None
    photo: Image | None = None
    description: str | None = None
    age: str | None = None
    last_seen: str | None = None
    area: str | None = None
    reference: str | None = None       # the log or crime number to quote
    personal: tuple[str, ...] = ()     # of APPEAL_DETAILS, left out once it ends
    update: AppealUpdate | None = None
    expires: dt.datetime | None = None
    unpublish_on: dt.datetime | None = None
    tags: tuple[str, ...] = ()
    post: str | None = None
    redacted: bool = False             # personal details removed (ended)
    gone: bool = False                 # past expires or unpublish_on: its page is a notice
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before

    @property
    def date(self) -> dt.datetime:
        return self.history[0].date

    @property
    def status(self) -> str:
        return self.history[-1].status

    @property
    def ended(self) -> bool:
        return self.status in ("resolved", "withdrawn")

    @property
    def updated(self) -> dt.datetime | None:
        return self.history[-1].date if len(self.history) > 1 else None


@dataclass(frozen=True)
class AppealNotice:
    """An appeal as a feed item: the appeal itself (`stage` 'appeal'), or the news that it
    ended (`stage` 'resolved'/'withdrawn'), which gets an id of its own so the accounts that
    posted the appeal post its ending as a new item."""

    appeal: Appeal
    stage: str
    title: str
    date: dt.datetime
    summary: str
    body: Body
    updated: dt.datetime | None = None
    post: str | None = None
    tags: tuple[str, ...] = ()
    image: Image | None = None
    kind: str = "appeal"
    team: str | None = None
    lpus: tuple[str, ...] = ()

    @property
    def source(self) -> Source:
        return self.appeal.source

    @property
    def slug(self) -> str:
        return self.appeal.slug

    @property
    def lpu(self) -> str | None:
        return self.appeal.lpu


@dataclass(frozen=True)
class Unit:
    """A force unit or the specials, with social accounts of its own, e.g. the Football Unit."""

    source: Source
    slug: str
    name: str
    summary: str                       # what the unit does; its accounts' purpose
    body: Body
    kind: str = "unit"                 # 'unit' or 'specials'
    lpu: str | None = None             # the LPU it serves, whose directory lists it; None: force-wide
    social: tuple[SocialAccount, ...] = ()
    draft: bool = False                # kept out of the public site (content/schedule.py)
    publish_at: dt.datetime | None = None  # public from then, not a second before


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
    alerts: tuple[Alert, ...] = ()     # major-incident messages, by start
    units: tuple[Unit, ...] = ()       # units and specials with social accounts
    photos: tuple[Photo, ...] = ()     # photo of the day gallery, newest first
    questions: tuple[Question, ...] = ()  # 'Rate your local police', newest answer first
    appeals: tuple[Appeal, ...] = ()   # appeals, newest first; ended ones redacted by appeals.settle
    unpublished: tuple = ()            # items past unpublish_on (appeals.settle): only a notice at its address


def per_force(derive):
    """Memoize `derive(force)` for the latest Force it was given (one Force per build; `serve`
    makes a new one per edit, and the old one's result is dropped with it)."""
    memo: dict[int, tuple[weakref.ref, object]] = {}

    @functools.wraps(derive)
    def once(force: Force):
        known = memo.get(id(force))
        if known is not None and known[0]() is force:
            return known[1]
        result = derive(force)
        memo.clear()
        memo[id(force)] = (weakref.ref(force), result)
        return result
    return once
