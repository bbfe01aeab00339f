"""One schema per kind of content file: where it lives, its fields, and what each means.

docs/content.md is written from these lists (`python build.py fields`), so the
editors' guide and the checks can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from wmpsite.core import model, parts
from wmpsite.core.config import SOCIAL
from wmpsite.core.schema import (
    Boolean,
    Choice,
    Date,
    DateTime,
    Email,
    Field,
    ImagePath,
    ListOf,
    Phone,
    Record,
    Slug,
    Text,
    Url,
    Venue,
)

IMAGE = Record([
    Field("src", ImagePath(),
          "The image file, as a path under static/.", required=True),
    Field("alt", Text(max_length=250), "What the image shows, for people who cannot see it.", required=True),
], make=parts.Image, expected="an image (src, alt)")

STATION = Record([
    Field("name", Text(), "The station's name.", required=True),
    Field("address", Text(), "Its address on one line, with the postcode.", required=True),
    Field("opening_hours", Text(), "When the front counter is open, e.g. 'Monday to Friday, 9am to 5pm'."),
], make=parts.Station, expected="a station (name, address, opening_hours)")

CONTACT = Record([
    Field("phone", Phone(), "A phone number for this LPU or team (101 is always shown as well)."),
    Field("email", Email(), "An email address the team reads."),
    Field("stations", ListOf(STATION), "Police stations or front counters to visit.", default=()),
], make=lambda **v: parts.Contact(**v), expected="contact details (phone, email, stations)")

MEMBER = Record([
    Field("name", Text(), "The officer's name as it should appear, e.g. 'PC Sam Okafor'.", required=True),
    Field("role", Text(), "Their role, e.g. 'Sergeant', 'Police Community Support Officer'.", required=True),
    Field("email", Email(), "Their work email, if residents may use it."),
    Field("social", SOCIAL, "Their work social account, if they have one."),
], make=parts.Member, expected="a team member (name, role, email, social)")

MEETING = Record([
    Field("title", Text(), "What the meeting is, e.g. 'Have your say: Selly Oak'.", required=True),
    Field("start", DateTime(), "When it starts, e.g. 2025-03-14 18:30 (local time).", required=True),
    Field("end", DateTime(), "When it ends."),
    Field("location", Venue(), "Where: a venue and its full address with the whole postcode (residents get a "
          "map link from it), or 'Online'.", required=True),
    Field("summary", Text(max_length=300), "One or two sentences about it."),
    Field("kind", Choice(*model.EVENT_KINDS), "What sort of event: a 'have your say' public meeting, a beat "
          "surgery, a live web chat, a tweetathon or a community event. Left out: 'web-chat' when the location "
          "is 'Online', else 'public-meeting'."),
    Field("online", Url(), "For a web chat: the address where residents join it."),
], make=parts.Meeting, expected="a meeting (title, start, end, location, summary, kind, online)")

ACTION = Record([
    Field("date", Date(), "When it was done.", required=True),
    Field("text", Text(), "What was done, in a sentence or two.", required=True),
], make=parts.Action, expected="an action (date, text)")

# A YouTube video behind a click-to-load facade (wmpsite/features/videos.py), so nothing reaches YouTube until a
# resident asks; iframes are refused in the text.
VIDEO = Record([
    Field("youtube", Text(pattern=r"[A-Za-z0-9_-]{11}", expected="a YouTube video id of 11 letters, digits, "
                          "'-' and '_', like 'M7lc1UVf-VE' (from youtube.com/watch?v=M7lc1UVf-VE)"),
          "The YouTube video's id: the part after 'watch?v=' in its address.", required=True),
    Field("title", Text(max_length=120), "What the video is, e.g. 'How to mark your bike'.", required=True),
    Field("thumbnail", ImagePath("jpe?g|png|webp", expected="a path under static/ to a JPEG, PNG or WebP still, "
                                                         "like 'images/videos/bike-marking.jpg'"),
          "A still from the video, as a path under static/: shown until the resident plays it (nothing is "
          "fetched from YouTube before then).", required=True),
    Field("description", Text(max_length=300), "A sentence about what it shows."),
    Field("captions", Boolean(), "true once a person has checked the video's captions on YouTube; until then "
          "the accessibility statement lists it as a video without accurate captions.", default=False),
], make=parts.Video, expected="a video (youtube, title, thumbnail, description, captions)")
VIDEO_FIELD = Field("video", VIDEO, "A YouTube video shown under the text: residents see the still and a play "
                    "button, and nothing loads from YouTube until they press it.")

TAGS = ListOf(Slug())
SUMMARY = Field("summary", Text(max_length=300),
                "One or two sentences shown in lists, search results and link previews.", required=True)
SLUG = Field("slug", Slug(), "The last part of the page's web address; the file name without its date by default.")
DRAFT = Field("draft", Boolean(), "true keeps it out of the public site until it is set to false or removed; "
              "`serve` shows it, marked as a draft.", default=False)
PUBLISH_AT = Field("publish_at", DateTime(), "When it goes public (a press embargo, a scheduled story): until then "
                   "nothing of it is in any page, list, feed, social feed, search index, sitemap or calendar, "
                   "and its address is not found. News goes public from its `date` unless this is given.")
#: On every content type: an item can wait as a draft, or for its moment.
SCHEDULING = (DRAFT, PUBLISH_AT)
UNPUBLISH_ON = Field("unpublish_on", DateTime(), "From this date it leaves the lists, feeds, calendars, site "
                     "search and sitemaps it was in, and its address shows a short notice instead of the page.")


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
    UNPUBLISH_ON,
    VIDEO_FIELD,
) + SCHEDULING)

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
    VIDEO_FIELD,
    UNPUBLISH_ON,
)

NEWS = ContentType("news", "content/news/DATE-SLUG.md",
                   "Force-wide news or a press release, on the main site.", _NEWS_COMMON + (
    Field("kind", Choice("news", "press-release"), "'press-release' for press releases.", default="news"),
    Field("lpus", ListOf(Slug(of="lpu")), "LPUs whose local sites show this story too (their folder names).",
          default=()),
) + SCHEDULING)

LOCAL_NEWS = ContentType("local news", "content/lpus/LPU/news/DATE-SLUG.md",
                         "News on one LPU's local site.", _NEWS_COMMON + (
    Field("team", Slug(of="team"), "The neighbourhood team it is about (its file name), if one."),
) + SCHEDULING)

ADVICE = ContentType("advice", "content/advice/SLUG.md", "A crime prevention advice page.", (
    Field("title", Text(max_length=120), "The page's title.", required=True),
    SUMMARY, SLUG,
    Field("category", Text(max_length=60), "The group it is listed under, e.g. 'Home and property'.",
          required=True),
    Field("tags", TAGS, "Topics, in lower case with dashes.", default=()),
    Field("updated", Date(), "When the advice was last reviewed."),
    UNPUBLISH_ON,
) + SCHEDULING)

LPU = ContentType("LPU", "content/lpus/LPU/_index.md",
                  "A Local Policing Unit; the folder name is its short name (e.g. 'birmingham-south').", (
    Field("name", Text(max_length=80), "The LPU's name, e.g. 'Birmingham South'.", required=True),
    SUMMARY,
    Field("contact", CONTACT, "How to reach the LPU.", required=True),
    Field("social", ListOf(SOCIAL), "The LPU's social accounts.", default=()),
    Field("base_url", Text(pattern=r"https://[^\s/]+/(?:[^\s]*/)?",
                           expected="a web address starting with https:// and ending with /"),
          "Set only when the local site is deployed on its own address."),
) + SCHEDULING)

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
    Field("former", ListOf(MEMBER), "Officers who have left the team but whose work social accounts are not "
          "closed yet: move them here from 'members'; `build.py audit` lists their accounts until they go.",
          default=()),
    Field("meetings", ListOf(MEETING), "Public meetings and surgeries, past and upcoming.", default=()),
) + SCHEDULING)

PRIORITY = ContentType("priority", "content/lpus/LPU/priorities/SLUG.md",
                       "A local priority: what residents raised and what the team did.", (
    Field("title", Text(max_length=120), "The problem in a few words, e.g. 'Speeding on Bristol Road'.",
          required=True),
    Field("team", Slug(of="team"), "The neighbourhood team that owns it (its file name).", required=True),
    Field("raised", Date(), "When residents raised it.", required=True),
    Field("status", Choice("open", "in-progress", "resolved"), "Where it stands.", required=True),
    SUMMARY, SLUG,
    Field("actions", ListOf(ACTION), "What was done, each with its date ('we did').", default=()),
) + SCHEDULING)

# Events with a page of their own, one file each; a team's simple meetings stay in its `meetings` field.
_EVENT_COMMON = (
    Field("title", Text(max_length=120), "What it is, e.g. 'Live web chat with the Chief Constable'.",
          required=True),
    Field("kind", Choice(*model.EVENT_KINDS), "What sort of event: a 'have your say' public meeting, a beat "
          "surgery, a live web chat, a tweetathon (questions and answers on X) or a community event.",
          required=True),
    Field("start", DateTime(), "When it starts, e.g. 2026-03-14 18:30 (local time).", required=True),
    Field("end", DateTime(), "When it ends; after the start."),
    Field("location", Venue(), "Where: a venue and its full address with the whole postcode (residents get a "
          "map link from it). An event needs a location, an online link "
          "or both."),
    Field("online", Url(), "Where to join or follow it online: the web chat page, the live stream, the X account."),
    Field("hashtag", Text(pattern=r"#[A-Za-z0-9_]+", expected="a hashtag like '#AskWMP'"),
          "The hashtag residents ask their questions with; a tweetathon needs one."),
    SUMMARY,
    Field("slug", Slug(), "The last part of the page's web address; the file name, date included, by default."),
    Field("updated", DateTime(), "When the time or place last changed: calendar apps use it to notice changes."),
    UNPUBLISH_ON,
)

EVENT = ContentType("event", "content/events/DATE-SLUG.md",
                    "A force-wide event, on the main site. For a web chat or tweetathon, end the text with a "
                    "'## Transcript' section: the page shows it once the event is over.", _EVENT_COMMON + SCHEDULING)

LOCAL_EVENT = ContentType("local event", "content/lpus/LPU/events/DATE-SLUG.md",
                          "An event of one LPU, or of one of its teams; otherwise as a force-wide event.",
                          _EVENT_COMMON + (
    Field("team", Slug(of="team"), "The neighbourhood team holding it (its file name), if one: it shows on the "
          "team's page and calendar."),
) + SCHEDULING)

# Major-incident messages: a banner on every page of the sites concerned while active.
ALERT = ContentType("alert", "content/alerts/DATE-SLUG.md",
                    "A major-incident message: while it is active (from its start until its end, against the "
                    "build date) every page of the sites it concerns shows it in a banner at the top, it is the "
                    "first item of their news feeds, and their social accounts get a post. The text below the "
                    "front matter is shown in the banner.", (
    Field("title", Text(max_length=120), "The message in a few words, e.g. 'Major incident: M6 closed at "
          "junction 6'.", required=True),
    Field("severity", Choice(*model.ALERT_SEVERITIES), "How serious: 'critical' (danger to life: act now), "
          "'major' (a major incident affecting the area) or 'advisory' (disruption to know about).",
          required=True),
    Field("start", DateTime(), "When the banner appears, e.g. 2026-03-14 06:30 (local time).", required=True),
    Field("end", DateTime(), "When it goes: the first build after this time shows no banner. After the start.",
          required=True),
    Field("lpus", ListOf(Slug(of="lpu")), "The LPUs it concerns (their folder names); every LPU when left out. The "
          "force's main site always shows it.", default=()),
    Field("summary", Text(max_length=300), "One or two sentences for feeds and the banner's first line."),
    Field("updated", DateTime(), "When the message last changed in a way readers should know about."),
) + SCHEDULING)

# Photo of the day: one file per photo; resized copies are made at build time (wmpsite/features/images.py).
GALLERY_PHOTO = Record([
    Field("src", ImagePath("jpe?g|png|webp",
                           expected="a path under static/ to a JPEG, PNG or WebP photo, like 'images/gallery/canal.jpg'"),
          "The photo file, as a path under static/; the build makes smaller copies of it.", required=True),
    Field("alt", Text(max_length=250), "What the photo shows, for people who cannot see it.", required=True),
], make=parts.Image, expected="a photo (src, alt)")

PHOTO = ContentType("photo of the day", "content/gallery/DATE-SLUG.md",
                    "A photo for the gallery, shown on /gallery/ and on a page of its own; the text below the "
                    "fields, if any, is shown under it.", (
    Field("title", Text(max_length=120), "A short title, e.g. 'Morning over the canal'.", required=True),
    Field("date", Date(), "The day it is the photo of.", required=True),
    Field("photo", GALLERY_PHOTO, "The photo and its alt text.", required=True),
    Field("caption", Text(max_length=300), "One or two sentences shown under the photo.", required=True),
    Field("credit", Text(max_length=120), "Who took it, e.g. 'PC Sam Okafor'."),
    SLUG,
    UNPUBLISH_ON,
) + SCHEDULING)

# Appeals: wmpsite/features/appeals.py ends them, removing personal details everywhere.
STATUS_CHANGE = Record([
    Field("date", DateTime(), "When it changed.", required=True),
    Field("status", Choice(*model.APPEAL_STATUSES), "Where the appeal stands from then on.", required=True),
    Field("note", Text(max_length=500), "A sentence about the change. Once the appeal ends only the last "
          "note is shown: for a missing person, say nothing about where or how they were found unless you "
          "mean to."),
], make=parts.StatusChange, expected="a status change (date, status, note)")

APPEAL_UPDATE = Record([
    Field("text", Text(max_length=500), "A sentence shown on the ended appeal's page."),
    Field("url", Url(), "A page with the outcome, e.g. a news story about a charge."),
], make=parts.AppealUpdate, expected="an update (text, url)")

_APPEAL_FIELDS = (
    Field("title", Text(max_length=150), "The appeal's headline, e.g. 'Have you seen Jo?'.", required=True),
    Field("kind", Choice(*model.APPEAL_KINDS), "What the appeal is for.", required=True),
    SUMMARY, SLUG,
    Field("history", ListOf(STATUS_CHANGE, min_items=1), "Its status changes, oldest first, starting with "
          "'open'. Add 'resolved' or 'withdrawn' to end it: its page then keeps its address but shows no "
          "personal details.", required=True),
    Field("name", Text(max_length=120), "The person's name (personal: never shown once the appeal ends)."),
    Field("photo", IMAGE, "Their photo (personal: not even copied into the site once the appeal ends)."),
    Field("description", Text(max_length=1000), "How they look: height, build, clothing (personal)."),
    Field("age", Text(max_length=40), "Their age, e.g. '34'."),
    Field("last_seen", Text(max_length=300), "When and where they were last seen, e.g. 'Friday 20 November at "
          "about 7pm on Sutton Road': the page adds the year, and a weekday must be its date's."),
    Field("area", Text(max_length=120), "The area the appeal concerns, e.g. 'Aston, Birmingham'."),
    Field("reference", Text(max_length=60), "The log or crime number to quote, e.g. 'log 1234 of 14 March'."),
    Field("personal", ListOf(Choice(*model.APPEAL_DETAILS)), "Which of age, last_seen, area and reference are "
          "personal: left out everywhere once the appeal ends (name, photo and description always are).",
          default=()),
    Field("update", APPEAL_UPDATE, "What to show once it has ended: a sentence, a link, or both."),
    Field("expires", DateTime(), "From this date the appeal leaves lists, feeds, search and sitemaps, and "
          "its page shows a short notice."),
    UNPUBLISH_ON,
    Field("tags", TAGS, "Topics, in lower case with dashes.", default=()),
    Field("post", Text(max_length=1000), "Your own text for the social media posts of the appeal."),
)

APPEAL = ContentType("appeal", "content/appeals/DATE-SLUG.md",
                     "A force-wide appeal, on /appeals/. Keep names out of the file name: it is the address.",
                     _APPEAL_FIELDS + (
    Field("lpus", ListOf(Slug(of="lpu")), "LPUs the appeal concerns (their folder names): while it is open, their "
          "appeals pages and home pages show it too; their social accounts post it, and its ending.", default=()),
) + SCHEDULING)
LOCAL_APPEAL = ContentType("local appeal", "content/lpus/LPU/appeals/DATE-SLUG.md",
                           "An appeal of one LPU, on its local site; also posted by the LPU's accounts.",
                           _APPEAL_FIELDS + SCHEDULING)

# Units' and specials' social accounts, so the force's account registry and directories list them too.
UNIT = ContentType("unit", "content/units/SLUG.md",
                   "A force unit (e.g. the Football Unit) or the specials, and the social accounts it runs; they "
                   "appear in the social media directories.", (
    Field("name", Text(max_length=80), "The unit's name, e.g. 'Football Unit'.", required=True),
    Field("summary", Text(max_length=300), "What it does, in a sentence: the purpose of its accounts.",
          required=True),
    Field("kind", Choice("unit", "specials"), "'specials' for special constables' accounts.", default="unit"),
    Field("lpu", Slug(of="lpu"), "The LPU it serves (its folder name), if one: that LPU's directory lists it; "
          "otherwise it is force-wide."),
    Field("social", ListOf(SOCIAL), "Its social accounts.", default=()),
) + SCHEDULING)

# "Rate your local police": a resident's question and the force's answer (the text), wmpsite/features/questions.py.
_QUESTION_COMMON = (
    Field("title", Text(max_length=120), "A short headline for lists, e.g. 'Why did the front counter close "
          "early?'.", required=True),
    Field("question", Text(max_length=1500), "The question as the resident asked it, edited only to remove "
          "personal details (never publish the asker's name).", required=True),
    Field("asked", Date(), "When it was asked.", required=True),
    Field("answered", DateTime(), "When the answer (the text below the fields) was published.", required=True),
    Field("department", Text(max_length=80), "The department that answered, e.g. 'Contact centre' or 'Roads "
          "policing': questions are listed by department too."),
    Field("slug", Slug(), "The last part of the page's web address; the file name without its date by default."),
    Field("updated", DateTime(), "When the answer last changed in a way readers should know about."),
    UNPUBLISH_ON,
)
QUESTION = ContentType("question", "content/questions/DATE-SLUG.md",
                       "A question to the whole force, with its answer, on the main site's 'Rate your local "
                       "police' pages and feed.", _QUESTION_COMMON + SCHEDULING)
LOCAL_QUESTION = ContentType("local question", "content/lpus/LPU/questions/DATE-SLUG.md",
                             "A question to one LPU, with its answer, on the LPU's 'Rate your local police' page "
                             "and feed and the force-wide one.", _QUESTION_COMMON + SCHEDULING)

CONTENT_TYPES = (PAGE, NEWS, LOCAL_NEWS, ADVICE, LPU, TEAM, PRIORITY, EVENT, LOCAL_EVENT, ALERT,
                 PHOTO, APPEAL, LOCAL_APPEAL, UNIT, QUESTION, LOCAL_QUESTION)


def describe() -> str:
    """The field reference of docs/content.md, written from the schemas above."""
    from wmpsite.core.schema import document_fields

    out = []
    for kind in CONTENT_TYPES:
        out += [f"### {kind.name.capitalize()}: `{kind.where}`", "", kind.about, ""]
        out += document_fields(list(kind.fields)) + [""]
    return "\n".join(out)


if __name__ == "__main__":  # python -m wmpsite.content.content_types > the reference part of docs/content.md
    print(describe(), end="")
