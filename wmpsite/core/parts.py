"""The parts items are made of: where an item was written, its converted text, and the small records
(accounts, images, contacts, officers, meetings, actions, videos, an appeal's history) that the
items of core/model.py hold. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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


@dataclass(frozen=True)
class Action:
    """One thing the police did about a priority ("we did"), and when."""

    date: dt.date
    text: str


@dataclass(frozen=True)
class Video:
    """A YouTube video shown through a click-to-load facade: nothing loads from YouTube until asked."""

    youtube: str                       # the video's id, e.g. 'dQw4w9WgXcQ'
    title: str
    thumbnail: str                     # a path under static/: a local still, never fetched from YouTube
    description: str | None = None
    captions: bool = False             # checked by a person: the accessibility statement lists it until then


@dataclass(frozen=True)
class StatusChange:
    """One step of an appeal's history: open, updated, resolved or withdrawn, and when."""

    date: dt.datetime
    status: str                        # one of APPEAL_STATUSES
    note: str | None = None


@dataclass(frozen=True)
class AppealUpdate:
    """Where to read what happened after an appeal: a sentence, a link, or both."""

    text: str | None = None
    url: str | None = None
