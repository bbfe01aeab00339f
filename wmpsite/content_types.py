"""One schema per kind of content file: where it lives, its fields, and what each means.

docs/content.md is written from these lists (`python build.py fields`), so the
editors' guide and the checks can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model
from .config import SOCIAL
from .schema import Choice, Date, DateTime, Email, Field, ListOf, Phone, Record, Slug, Text, Url

IMAGE = Record([
    Field("src", Text(pattern=r"[A-Za-z0-9_./-]+\.(?:jpe?g|png|webp|avif|gif|svg)",
                      expected="a path under static/ to an image file, like 'images/news/bikes.jpg'"),
          "The image file, as a path under static/.", required=True),
    Field("alt", Text(max_length=250), "What the image shows, for people who cannot see it.", required=True),
], make=model.Image, expected="an image (src, alt)")

STATION = Record([
    Field("name", Text(), "The station's name.", required=True),
    Field("address", Text(), "Its address on one line, with the postcode.", required=True),
    Field("opening_hours", Text(), "When the front counter is open, e.g. 'Monday to Friday, 9am to 5pm'."),
], make=model.Station, expected="a station (name, address, opening_hours)")

CONTACT = Record([
    Field("phone", Phone(), "A phone number for this LPU or team (101 is always shown as well)."),
    Field("email", Email(), "An email address the team reads."),
    Field("stations", ListOf(STATION), "Police stations or front counters to visit.", default=()),
], make=lambda **v: model.Contact(**v), expected="contact details (phone, email, stations)")

MEMBER = Record([
    Field("name", Text(), "The officer's name as it should appear, e.g. 'PC Sam Okafor'.", required=True),
    Field("role", Text(), "Their role, e.g. 'Sergeant', 'Police Community Support Officer'.", required=True),
    Field("email", Email(), "Their work email, if residents may use it."),
    Field("social", SOCIAL, "Their work social account, if they have one."),
], make=model.Member, expected="a team member (name, role, email, social)")

MEETING = Record([
    Field("title", Text(), "What the meeting is, e.g. 'Have your say: Selly Oak'.", required=True),
    Field("start", DateTime(), "When it starts, e.g. 2025-03-14 18:30 (local time).", required=True),
    Field("end", DateTime(), "When it ends."),
    Field("location", Text(), "Where: a venue and address, or 'Online'.", required=True),
    Field("summary", Text(max_length=300), "One or two sentences about it."),
    Field("kind", Choice(*model.EVENT_KINDS), "What sort of event: a 'have your say' public meeting, a beat "
          "surgery, a live web chat, a tweetathon or a community event. Left out: 'web-chat' when the location "
          "is 'Online', else 'public-meeting'."),
    Field("online", Url(), "For a web chat: the address where residents join it."),
], make=model.Meeting, expected="a meeting (title, start, end, location, summary, kind, online)")

ACTION = Record([
    Field("date", Date(), "When it was done.", required=True),
    Field("text", Text(), "What was done, in a sentence or two.", required=True),
], make=model.Action, expected="an action (date, text)")

TAGS = ListOf(Slug())
SUMMARY = Field("summary", Text(max_length=300),
                "One or two sentences shown in lists, search results and link previews.", required=True)
SLUG = Field("slug", Slug(), "The last part of the page's web address; the file name without its date by default.")


@dataclass(frozen=True)
class ContentType:
    """A kind of content file: a pattern for where it lives, and its front matter fields."""

    name: str
    where: str          # documented location, e.g. content/news/DATE-SLUG.md
    about: str
    fields: tuple[Field, ...]


PAGE = ContentType("page", "content/pages/SLUG.md", "A page of the main site, such as 'About us'.", (
    Field("title", Text(max_length=120), "The page's title.", required=True),
    SUMMARY, SLUG,
    Field("updated", Date(), "When the page was last reviewed."),
))

_NEWS_COMMON = (
    Field("title", Text(max_length=150), "The headline.", required=True),
    Field("date", DateTime(), "When it was published: a date, or a date and time (local time).", required=True),
    SUMMARY, SLUG,
    Field("updated", DateTime(), "When it was last changed in a way readers should know about."),
    Field("tags", TAGS, "Topics, in lower case with dashes, e.g. 'knife-crime'.", default=()),
    Field("image", IMAGE, "A picture shown with the story."),
    Field("post", Text(max_length=1000), "Your own text for the social media posts of this story, instead of "
          "the headline; the link is added at the end if you leave it out. The build refuses a text too long "
          "for a network it goes to."),
)

NEWS = ContentType("news", "content/news/DATE-SLUG.md",
                   "Force-wide news or a press release, on the main site.", _NEWS_COMMON + (
    Field("kind", Choice("news", "press-release"), "'press-release' for press releases.", default="news"),
    Field("lpus", ListOf(Slug()), "LPUs whose local sites show this story too (their folder names).",
          default=()),
))

LOCAL_NEWS = ContentType("local news", "content/lpus/LPU/news/DATE-SLUG.md",
                         "News on one LPU's local site.", _NEWS_COMMON + (
    Field("team", Slug(), "The neighbourhood team it is about (its file name), if one."),
))

ADVICE = ContentType("advice", "content/advice/SLUG.md", "A crime prevention advice page.", (
    Field("title", Text(max_length=120), "The page's title.", required=True),
    SUMMARY, SLUG,
    Field("category", Text(max_length=60), "The group it is listed under, e.g. 'Home and property'.",
          required=True),
    Field("tags", TAGS, "Topics, in lower case with dashes.", default=()),
    Field("updated", Date(), "When the advice was last reviewed."),
))

LPU = ContentType("LPU", "content/lpus/LPU/_index.md",
                  "A Local Policing Unit; the folder name is its short name (e.g. 'birmingham-south').", (
    Field("name", Text(max_length=80), "The LPU's name, e.g. 'Birmingham South'.", required=True),
    SUMMARY,
    Field("contact", CONTACT, "How to reach the LPU.", required=True),
    Field("social", ListOf(SOCIAL), "The LPU's social accounts.", default=()),
    Field("base_url", Text(pattern=r"https://[^\s/]+/(?:[^\s]*/)?",
                           expected="a web address starting with https:// and ending with /"),
          "Set only when the local site is deployed on its own address."),
))

TEAM = ContentType("team", "content/lpus/LPU/teams/TEAM.md",
                   "A neighbourhood team; the file name is its short name (e.g. 'selly-oak').", (
    Field("name", Text(max_length=80), "The team's name, e.g. 'Selly Oak'.", required=True),
    SUMMARY,
    Field("areas", ListOf(Text(), min_items=1), "Places the team covers, as residents name them.",
          required=True),
    Field("postcodes", ListOf(Text(pattern=r"[A-Z]{1,2}[0-9][0-9A-Z]?(?: [0-9])?",
                                   expected="a postcode district like 'B30' or sector like 'B30 2'")),
          "Postcode districts or sectors the team covers.", default=()),
    Field("contact", CONTACT, "How to reach the team.", required=True),
    Field("social", ListOf(SOCIAL), "The team's social accounts.", default=()),
    Field("members", ListOf(MEMBER), "The officers, PCSOs and specials on the team.", default=()),
    Field("meetings", ListOf(MEETING), "Public meetings and surgeries, past and upcoming.", default=()),
))

PRIORITY = ContentType("priority", "content/lpus/LPU/priorities/SLUG.md",
                       "A local priority: what residents raised and what the team did.", (
    Field("title", Text(max_length=120), "The problem in a few words, e.g. 'Speeding on Bristol Road'.",
          required=True),
    Field("team", Slug(), "The neighbourhood team that owns it (its file name).", required=True),
    Field("raised", Date(), "When residents raised it.", required=True),
    Field("status", Choice("open", "in-progress", "resolved"), "Where it stands.", required=True),
    SUMMARY, SLUG,
    Field("actions", ListOf(ACTION), "What was done, each with its date ('we did').", default=()),
))

# Events (issue 4): one file each; a team's simple meetings stay in its `meetings` field.
_EVENT_COMMON = (
    Field("title", Text(max_length=120), "What it is, e.g. 'Live web chat with the Chief Constable'.",
          required=True),
    Field("kind", Choice(*model.EVENT_KINDS), "What sort of event: a 'have your say' public meeting, a beat "
          "surgery, a live web chat, a tweetathon (questions and answers on X) or a community event.",
          required=True),
    Field("start", DateTime(), "When it starts, e.g. 2026-03-14 18:30 (local time).", required=True),
    Field("end", DateTime(), "When it ends; after the start."),
    Field("location", Text(), "Where: a venue and its address. An event needs a location, an online link "
          "or both."),
    Field("online", Url(), "Where to join or follow it online: the web chat page, the live stream, the X account."),
    Field("hashtag", Text(pattern=r"#[A-Za-z0-9_]+", expected="a hashtag like '#AskWMP'"),
          "The hashtag residents ask their questions with; a tweetathon needs one."),
    SUMMARY,
    Field("slug", Slug(), "The last part of the page's web address; the file name, date included, by default."),
    Field("updated", DateTime(), "When the time or place last changed: calendar apps use it to notice changes."),
)

EVENT = ContentType("event", "content/events/DATE-SLUG.md",
                    "A force-wide event, on the main site. For a web chat or tweetathon, end the text with a "
                    "'## Transcript' section: the page shows it once the event is over.", _EVENT_COMMON)

LOCAL_EVENT = ContentType("local event", "content/lpus/LPU/events/DATE-SLUG.md",
                          "An event of one LPU, or of one of its teams; otherwise as a force-wide event.",
                          _EVENT_COMMON + (
    Field("team", Slug(), "The neighbourhood team holding it (its file name), if one: it shows on the "
          "team's page and calendar."),
))

CONTENT_TYPES = (PAGE, NEWS, LOCAL_NEWS, ADVICE, LPU, TEAM, PRIORITY, EVENT, LOCAL_EVENT)


def describe() -> str:
    """The field reference of docs/content.md, written from the schemas above."""
    from .schema import document_fields

    out = []
    for kind in CONTENT_TYPES:
        out += [f"### {kind.name.capitalize()}: `{kind.where}`", "", kind.about, ""]
        out += document_fields(list(kind.fields)) + [""]
    return "\n".join(out)


if __name__ == "__main__":  # python -m wmpsite.content_types > the reference part of docs/content.md
    print(describe(), end="")
