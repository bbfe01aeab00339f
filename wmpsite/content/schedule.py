"""What of the content is public at the build's moment: drafts and scheduled items wait.

An item is public from its publication moment: its `publish_at` when given, else a story's `date`,
and not a second before; `draft: true` keeps it out whatever the moment. An item inside an LPU or
a team that waits waits with it. The pipeline checks every item first, so a scheduled item's
mistakes are found before it goes live, then `withhold` takes the waiting ones out of the Force
before anything is planned: no page, list, feed, social feed, sitemap, calendar, search index or
image copy can carry a byte of them, and their addresses are not found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass

from wmpsite.content.checks import linkable
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.events import all_events
from wmpsite.core.model import Alert, Force, Lpu, NewsItem, Team
from wmpsite.core.parts import Image, Video
from wmpsite.core.queries import all_items

_STATIC = re.compile(r'wmp:static/([^"#]*)')


@dataclass(frozen=True)
class Waiting:
    """An item kept out of the public site, and until when (None: a draft, until it is not)."""

    path: str
    title: str
    until: dt.datetime | None
    because: str | None = None     # the LPU or team file it waits with, if not for itself

    def __str__(self) -> str:
        when = f"goes live {self.until:%A %-d %B %Y at %H:%M}" if self.until else "is a draft"
        with_ = f" (with {self.because})" if self.because else ""
        return f"{self.path}: '{self.title}' {when}{with_}"


def public_from(item) -> dt.datetime | None:
    """The moment an item becomes public: its `publish_at`, else a story's `date`; None for no moment."""
    moment = getattr(item, "publish_at", None)
    if moment is None and isinstance(item, NewsItem):
        moment = item.date
    return moment


def _title(item) -> str:
    return getattr(item, "title", None) or getattr(item, "name", "")


def _own(item, now: dt.datetime) -> Waiting | None:
    """Whether `item` itself waits: a draft, or its moment is still to come."""
    if getattr(item, "draft", False):
        return Waiting(item.source.path, _title(item), None)
    moment = public_from(item)
    if moment is not None and moment > now:
        return Waiting(item.source.path, _title(item), moment)
    return None


def _inside(item, parent: Waiting | None) -> Waiting | None:
    """`item` waiting with the LPU or team it is in, if that waits."""
    return Waiting(item.source.path, _title(item), parent.until, parent.path) if parent else None


def waiting(force: Force, now: dt.datetime) -> tuple[Waiting, ...]:
    """Every item that is not public at `now`, in the order of the files."""
    lpus = {lpu.slug: _own(lpu, now) for lpu in force.lpus}
    teams = {(t.lpu, t.slug): _own(t, now) or _inside(t, lpus.get(t.lpu)) for t in force.teams}
    out = []
    for item in all_items(force):
        if isinstance(item, Lpu):
            held = lpus[item.slug]
        elif isinstance(item, Team):
            held = teams[(item.lpu, item.slug)]
        else:
            lpu, team = getattr(item, "lpu", None), getattr(item, "team", None)
            held = (_own(item, now) or _inside(item, teams.get((lpu, team)) if team else None)
                    or _inside(item, lpus.get(lpu) if lpu else None))
        if held is not None:
            out.append(held)
    return tuple(sorted(out, key=lambda w: w.path.split("/")))


def withhold(force: Force, now: dt.datetime) -> tuple[Force, tuple[Waiting, ...]]:
    """The Force as the public sees it at `now`, and what waits; raise BuildFailed where a public item
    links to one that waits (its page would show the address, and the title, too soon)."""
    held = waiting(force, now)
    if not held:
        return force, held
    paths = {w.path for w in held}
    fields = {f.name: tuple(i for i in getattr(force, f.name) if i.source.path not in paths)
              for f in dataclasses.fields(force) if f.name != "static_files"}
    public = dataclasses.replace(force, **fields)
    by_path = {w.path: w for w in held}
    pages = linkable(public)
    errors = [ContentError(item.source.path, f"the link to '{target}' leads to an item that "
                           + (f"is not public until {by_path[target].until:%-d %B %Y %H:%M}"
                              if by_path[target].until else "is a draft"), line,
                           "link to it once it is public, or give this item the same 'publish_at'")
              for item in all_items(public) for target, line in item.body.links
              if target in by_path and target not in pages]
    if errors:
        raise BuildFailed(errors)
    hidden = _static_files(i for i in all_items(force) if i.source.path in paths) - _static_files(all_items(public))
    return dataclasses.replace(public, static_files=tuple(f for f in force.static_files if f not in hidden)), held


def _static_files(items) -> set[str]:
    """The files under static/ the items show: their pictures, videos' stills, images in their text."""
    found = set()
    for item in items:
        for value in vars(item).values():
            if isinstance(value, Image):
                found.add(value.src)
            elif isinstance(value, Video):
                found.add(value.thumbnail)
        body = getattr(item, "body", None)
        if body is not None:
            found.update(_STATIC.findall(body.html))
    return found


@dataclass(frozen=True)
class Change:
    """The next moment at which a build's output differs from this one's, and the first reason."""

    moment: dt.datetime
    why: str


#: The file beside the built sites that says when to build again.
NEXT_CHANGE = "next-change.json"


def change_json(change: Change | None) -> bytes:
    """NEXT_CHANGE's bytes: the moment (ISO 8601, the force's time zone) and why; nulls when nothing is due."""
    data = {"next_change": change.moment.isoformat() if change else None, "why": change.why if change else None}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def next_change(force: Force, now: dt.datetime) -> Change | None:
    """The first moment after `now` that changes the output: an item going live or being unpublished,
    an event ending (it leaves 'upcoming'), an alert starting or ending, an appeal expiring. `force` is
    the whole Force, waiting items included; None when nothing is due. The reason names no item: the
    file sits beside the sites, and nothing of an item that waits may be in the output."""
    due: list[tuple[dt.datetime, str]] = []
    for item in all_items(force):
        moments = [(public_from(item), "an item goes live"), (getattr(item, "unpublish_on", None),
                                                              "an item is unpublished"),
                   (getattr(item, "expires", None), "an appeal expires")]
        if isinstance(item, Alert):
            moments += [(item.start, "an alert starts"), (item.end, "an alert ends")]
        due += [(moment, what) for moment, what in moments
                if moment is not None and moment > now and not getattr(item, "draft", False)]
    due += [(event.finish, "an event is over") for event in all_events(force) if event.finish > now]
    if not due:
        return None
    moment, why = min(due)
    return Change(moment, why)
