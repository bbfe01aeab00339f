"""Events: the rules across an event's fields, teams' meetings as events, and cross-file checks.

An event is either its own file (content/events/ for the force,
content/lpus/LPU/events/ for an LPU or one of its teams) or one of a team's
`meetings`. `all_events` gives both as one sorted list of model.Event, which
the pages (event_pages.py) and the calendars (calendar.py) are made from.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from wmpsite.core.errors import ContentError
from wmpsite.core.kind import Parsed
from wmpsite.core.model import Event, Force, Team, per_force
from wmpsite.core.parts import Body, Meeting
from wmpsite.core.queries import team_file

#: How each kind is shown to residents.
KIND_LABELS = {"public-meeting": "Public meeting", "beat-surgery": "Beat surgery", "web-chat": "Live web chat",
               "tweetathon": "Tweetathon", "community-event": "Community event"}
#: Kinds that happen online and publish a transcript afterwards.
CHAT_KINDS = ("web-chat", "tweetathon")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The first heading that says just 'Transcript' starts the transcript (an h2, or h3 when the text has an h1).
_TRANSCRIPT = re.compile(r"<h([2-6])(?:\s[^>]*)?>\s*Transcript\s*</h\1>", re.IGNORECASE)


def make_event(parsed: Parsed) -> Event:
    """Build an Event from checked front matter, adding an error for each rule across fields it breaks."""
    source, stem, lpu, line_of, values, body, errors = (parsed.source, parsed.stem, parsed.lpu, parsed.line_of,
                                                        parsed.values, parsed.body, parsed.errors)
    path = source.path
    slug = values.pop("slug", None) or stem
    if not _SLUG.fullmatch(slug):
        errors.append(ContentError(path, f"the file name '{stem}' cannot be a web address", None,
                                   "name files in lower case letters, digits and dashes, like "
                                   "'2026-03-14-live-web-chat.md'"))
    start, end = values["start"], values.get("end")
    if start is not None and end is not None and end <= start:
        errors.append(ContentError(path, f"'end': expected a time after the start ({_shown(start)}), "
                                   f"found {_shown(end)}", line_of(("end",)),
                                   "write the date too if it ends on another day"))
    if not values.get("location") and not values.get("online"):
        errors.append(ContentError(path, "the event needs a 'location' (a venue and address) or an 'online' "
                                   "link", line_of(()), "give 'online' the web chat's or live stream's address"))
    if values.get("kind") == "tweetathon" and not values.get("hashtag"):
        errors.append(ContentError(path, "'hashtag' is missing: a tweetathon needs the hashtag residents ask "
                                   "their questions with", line_of(("kind",)), "for example hashtag: '#AskWMP'"))
    text, transcript = split_transcript(body)
    return Event(source=source, slug=slug, body=text, transcript=transcript, lpu=lpu, **values)


def split_transcript(body: Body) -> tuple[Body, Body | None]:
    """Split converted text at its 'Transcript' heading: (the text before, the transcript or None).

    The links of both stay on the first, for the cross-file link check.
    """
    match = _TRANSCRIPT.search(body.html)
    if match is None:
        return body, None
    before, rest = body.html[:match.start()].strip(), body.html[match.end():].strip()
    return Body(before + "\n" if before else "", body.links), (Body(rest + "\n") if rest else None)


def _shown(when) -> str:
    return f"{when:%Y-%m-%d %H:%M}"


def slugify(text: str, most: int = 60) -> str:
    """A web-address-safe version of a title: 'Have your say: Selly Oak' -> 'have-your-say-selly-oak'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > most:
            break
        slug = f"{slug}-{word}" if slug else word[:most]
    return slug or "event"


def meeting_event(team: Team, index: int, meeting: Meeting) -> Event:
    """One of a team's `meetings` as an Event on its LPU's site.

    Its address is the date and the title (with the team's name when the title
    lacks it), e.g. events/2026-09-10-have-your-say-selly-oak/.
    """
    kind = meeting.kind or ("web-chat" if meeting.location.strip().casefold() == "online" else "public-meeting")
    title = slugify(meeting.title)
    named = f"-{team.slug}-" in f"-{title}-"
    return Event(source=team.source, slug=f"{meeting.start:%Y-%m-%d}-{title if named else team.slug + '-' + title}",
                 title=meeting.title, kind=kind, start=meeting.start, body=Body(""), summary=meeting.summary,
                 end=meeting.end, location=meeting.location, online=meeting.online, lpu=team.lpu, team=team.slug,
                 meeting=index)


@per_force
def all_events(force: Force) -> tuple[Event, ...]:
    """Every event: the event files and the teams' meetings, soonest first (then by LPU, team, address)."""
    events = list(force.events)
    for team in force.teams:
        events += [meeting_event(team, i, m) for i, m in enumerate(team.meetings)]
    events.sort(key=lambda e: (e.start, e.lpu or "", e.team or "", e.slug))
    return tuple(events)


def force_wide(force: Force) -> tuple[Event, ...]:
    return tuple(e for e in all_events(force) if e.lpu is None)


def of_lpu(force: Force, lpu: str) -> tuple[Event, ...]:
    """An LPU's events, its teams' included."""
    return tuple(e for e in all_events(force) if e.lpu == lpu)


def of_team(force: Force, lpu: str, team: str) -> tuple[Event, ...]:
    return tuple(e for e in all_events(force) if e.lpu == lpu and e.team == team)


def check_events(force: Force) -> list[ContentError]:
    """Events' references to teams, meetings that end before they start, and two events on one address."""
    errors: list[ContentError] = []
    lpus = {lpu.slug for lpu in force.lpus}
    teams = {(t.lpu, t.slug) for t in force.teams}
    with_teams = lpus | {lpu for lpu, _ in teams}  # as in checks.site_errors
    for event in force.events:
        if event.team and event.lpu in with_teams and (event.lpu, event.team) not in teams:
            names = ", ".join(f"'{t}'" for l, t in sorted(teams) if l == event.lpu) or "none yet"
            errors.append(ContentError(event.source.path, f"'team': there is no team '{event.team}' in {event.lpu}",
                                       event.source.line_of("team"), f"its teams are {names}",
                                       team_file(event.lpu, event.team)))
    for team in force.teams:
        for i, meeting in enumerate(team.meetings):
            if meeting.end is not None and meeting.end <= meeting.start:
                errors.append(ContentError(
                    team.source.path, f"'meetings[{i + 1}].end': expected a time after the start "
                    f"({_shown(meeting.start)}), found {_shown(meeting.end)}", team.source.line_of("meetings"),
                    "write the date too if it ends on another day"))
    # A meeting's address comes from its date and title; event files clashing with each other are
    # reported by checks.check_site as duplicate slugs.
    places: dict[tuple, list[Event]] = defaultdict(list)
    for event in all_events(force):
        if event.lpu is None or event.lpu in lpus:
            places[(event.lpu, event.slug)].append(event)
    for (lpu, slug), clashing in places.items():
        first = clashing[0]
        for event in clashing[1:]:
            if event.meeting is None and first.meeting is None:
                continue
            meeting = event if event.meeting is not None else first
            other = first if meeting is event else event
            if other.meeting is None:
                what = f"the event {other.source.path}"
            elif other.source.path == meeting.source.path:
                what = f"meetings[{other.meeting + 1}], with the same title on the same day,"
            else:
                what = f"the meeting '{other.title}' in {other.source.path}"
            errors.append(ContentError(
                meeting.source.path, f"'meetings[{meeting.meeting + 1}]': {what} has the same address "
                f"(events/{slug}/)", meeting.source.line_of("meetings"),
                "give one of them another title, or write one as its own file with a 'slug:' field"))
    return errors
