"""Events: teams' meetings and event files, their lists and pages, upcoming against the build date."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from conftest import NOW, REPO
from wmpsite.build import pipeline
from wmpsite.core.events import meeting_event, slugify, split_transcript
from wmpsite.core.model import Team
from wmpsite.core.parts import Body, Contact, Meeting, Source

LONDON = ZoneInfo("Europe/London")


def page(out: Path, rel: str):
    return lxml_html.fromstring((out / rel).read_bytes())


def texts(doc, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def test_force_events_page_lists_force_wide_events_upcoming_then_past(events_build):
    doc = page(events_build, "main/events/index.html")
    assert texts(doc, "//h1") == ["Events and live web chats"]
    assert texts(doc, "//section[@aria-labelledby='upcoming']//h3") == ["Christmas tweetathon"]
    assert texts(doc, "//section[@aria-labelledby='past']//li/a[1]") == ["Live web chat with the Chief Constable"]
    # A past chat with a transcript says so; LPU events are not listed here, but their pages are linked.
    assert doc.xpath("//section[@aria-labelledby='past']//a[starts-with(., 'read the transcript')]/@href") == [
        "/events/2026-11-10-web-chat-with-the-chief-constable/#transcript"]
    assert doc.xpath("//section[@aria-labelledby='elsewhere']//a/@href") == [
        "/northfield/events/", "https://riverside.testshire.police.example/events/"]
    assert doc.xpath("//a[starts-with(., 'Subscribe')]/@href") == ["/events/calendar.ics"]


def test_lpu_events_page_holds_its_events_and_its_teams_meetings(events_build):
    doc = page(events_build, "main/northfield/events/index.html")
    assert texts(doc, "//h1") == ["Northfield events and meetings"]
    # Soonest first: a team meeting (from oldtown.md) and an LPU event naming the team.
    assert texts(doc, "//section[@aria-labelledby='upcoming']//h3") == [
        "Have your say in Oldtown", "Beat surgery at the market"]
    assert texts(doc, "//section[@aria-labelledby='upcoming']//span[@class='tag']") == [
        "Public meeting", "Beat surgery"]
    # Latest first.
    assert texts(doc, "//section[@aria-labelledby='past']//li/a[1]") == [
        "Beat surgery at Mill End", "Northfield open day"]
    assert doc.xpath("//section[@aria-labelledby='calendars']//a/@href") == [
        "/northfield/events/calendar.ics", "/northfield/teams/oldtown/calendar.ics"]
    assert doc.xpath("//section[@aria-labelledby='elsewhere']//a/@href") == ["/events/"]


def test_team_page_lists_its_meetings_and_the_events_that_name_it(events_build):
    doc = page(events_build, "main/northfield/teams/oldtown/index.html")
    section = "//section[@aria-labelledby='meetings']"
    assert texts(doc, f"{section}//h3") == ["Have your say in Oldtown", "Beat surgery at the market"]
    assert doc.xpath(f"{section}//h3/a/@href") == [
        "/northfield/events/2026-12-03-have-your-say-in-oldtown/", "/northfield/events/2026-12-05-market-surgery/"]
    assert texts(doc, f"{section}//li/p[1]") == ["Thursday 3 December 2026, 6:30pm to 8pm", "Saturday 5 December 2026, 10am to midday"]
    assert texts(doc, f"{section}//details[@class='past']//li/a") == ["Beat surgery at Mill End"]
    assert doc.xpath(f"{section}//a[starts-with(., 'Add to calendar')]/@href") == [
        "/northfield/events/2026-12-03-have-your-say-in-oldtown/2026-12-03-have-your-say-in-oldtown.ics",
        "/northfield/events/2026-12-05-market-surgery/2026-12-05-market-surgery.ics"]
    assert doc.xpath(f"{section}//p[@class='subscribe']/a/@href") == ["/northfield/teams/oldtown/calendar.ics"]
    # The LPU-wide open day is not the team's.
    assert "Northfield open day" not in doc.xpath(section)[0].text_content()


def test_event_page_shows_what_when_where_and_calendar_links(events_build):
    doc = page(events_build, "main/northfield/events/2026-12-05-market-surgery/index.html")
    assert texts(doc, "//h1") == ["Beat surgery at the market"]
    facts = dict(zip(texts(doc, "//dl[@class='event__facts']/dt"), texts(doc, "//dl[@class='event__facts']/dd")))
    assert facts == {"When": "Saturday 5 December 2026, 10am to midday", "Where": "Oldtown Market Square Find it on a map: Oldtown Market Square (OpenStreetMap)",
                     "Team": "Oldtown neighbourhood team"}
    assert doc.xpath("//a[text()='Add to calendar']/@href") == [
        "/northfield/events/2026-12-05-market-surgery/2026-12-05-market-surgery.ics"]
    assert doc.xpath("//p[@class='subscribe']/a/@href") == ["/northfield/teams/oldtown/calendar.ics"]
    assert texts(doc, "//nav[@aria-label='Breadcrumb']//a") == ["Testshire Police", "Northfield", "Events"]
    # A meeting from a team's front matter gets a page too.
    meeting = page(events_build, "main/northfield/events/2026-12-03-have-your-say-in-oldtown/index.html")
    assert texts(meeting, "//h1") == ["Have your say in Oldtown"]


def test_tweetathon_page_links_its_hashtag_and_promises_a_transcript(events_build):
    doc = page(events_build, "main/events/2026-12-11-christmas-tweetathon/index.html")
    assert doc.xpath("//dl[@class='event__facts']//a/@href") == [
        "https://x.com/TestshirePolice", "https://x.com/hashtag/AskTestshire"]
    # Written in advance, the transcript stays hidden until the tweetathon is over.
    assert not doc.xpath("//*[@id='transcript']")
    assert "Written in advance" not in doc.text_content()
    assert texts(doc, "//p[@class='transcript-due']") == [
        "After the event, its transcript will be published on this page."]


def test_transcript_is_shown_once_the_event_is_over(events_build, events_site, tmp_path):
    chat = page(events_build, "main/events/2026-11-10-web-chat-with-the-chief-constable/index.html")
    assert texts(chat, "//section[@class='transcript']/h2") == ["Transcript"]
    assert "Look up your team's page." in chat.xpath("//section[@class='transcript']")[0].text_content()
    # The text before the transcript stays in the page's body, without the transcript.
    assert texts(chat, "//article/div[@class='prose']/p") == ["Join the chat from any device."]
    assert "This event is over." in chat.text_content()
    later = tmp_path / "later"
    pipeline.build(events_site, later, now=dt.datetime(2026, 12, 11, 20, 1))
    tweets = page(later, "main/events/2026-12-11-christmas-tweetathon/index.html")
    assert "Written in advance" in tweets.xpath("//section[@class='transcript']")[0].text_content()
    assert not tweets.xpath("//a[text()='Add to calendar']")


def test_upcoming_is_decided_by_now_and_an_event_is_upcoming_until_it_ends(events_site, tmp_path):
    def upcoming(now: str) -> list[str]:
        out = tmp_path / now.replace(":", "")
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--source", str(events_site),
                                 "--output", str(out), "--now", now, "--quiet"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return texts(page(out, "main/northfield/events/index.html"), "//section[@aria-labelledby='upcoming']//h3")

    assert upcoming("2026-11-25") == ["Have your say in Oldtown", "Beat surgery at the market"]
    assert upcoming("2026-12-03T19:59") == ["Have your say in Oldtown", "Beat surgery at the market"]
    assert upcoming("2026-12-03T20:01") == ["Beat surgery at the market"]
    assert upcoming("2026-12-06") == []


def test_every_calendar_and_event_link_leads_to_a_built_file(events_build):
    for site, base in (("main", "/"), ("riverside", "/")):
        for file in sorted((events_build / site).rglob("*.html")):
            for href in lxml_html.fromstring(file.read_bytes()).xpath("//a/@href"):
                if href.startswith(base) and ("/events/" in href or href.endswith(".ics")):
                    target = events_build / site / href.split("#")[0].lstrip("/")
                    assert target.is_file() or (target / "index.html").is_file(), (file, href)


def test_separate_lpu_site_has_its_own_events_and_calendars(events_build):
    doc = page(events_build, "riverside/events/index.html")
    assert texts(doc, "//section[@aria-labelledby='upcoming']//h3") == ["Quayside web chat"]
    assert (events_build / "riverside/events/2026-12-12-quayside-web-chat/2026-12-12-quayside-web-chat.ics").is_file()
    assert (events_build / "riverside/teams/quayside/calendar.ics").is_file()
    assert doc.xpath("//section[@aria-labelledby='elsewhere']//a/@href") == [
        "https://www.testshire.police.example/events/"]
    team = page(events_build, "riverside/teams/quayside/index.html")
    # Online, with no venue: shown as 'Online'.
    assert texts(team, "//section[@aria-labelledby='meetings']//p[@class='card__meta']") == ["Live web chat Online"]


def test_navigation_links_the_events_pages(events_build):
    main = page(events_build, "main/index.html")
    assert "/events/" in main.xpath("//nav[@aria-label='Main']//a/@href")
    local = page(events_build, "main/northfield/events/index.html")
    current = local.xpath("//nav[@aria-label='Local']//a[@aria-current='page']/@href")
    assert current == ["/northfield/events/"]


def _team(slug: str = "oldtown") -> Team:
    return Team(source=Source("content/lpus/northfield/teams/oldtown.md"), slug=slug, lpu="northfield",
                name="Oldtown", summary="", body=Body(""), contact=Contact())


def test_a_meeting_kind_defaults_from_its_location():
    start = dt.datetime(2026, 12, 3, 18, 30, tzinfo=LONDON)
    online = meeting_event(_team(), 0, Meeting("Live web chat", start, "Online"))
    assert online.kind == "web-chat"
    assert meeting_event(_team(), 1, Meeting("Have your say", start, "The library")).kind == "public-meeting"
    surgery = meeting_event(_team(), 2, Meeting("Surgery", start, "The library", kind="beat-surgery"))
    assert surgery.kind == "beat-surgery"
    assert (online.lpu, online.team, online.meeting) == ("northfield", "oldtown", 0)


def test_a_meetings_address_names_its_team_once():
    start = dt.datetime(2026, 12, 3, 18, 30, tzinfo=LONDON)
    assert meeting_event(_team(), 0, Meeting("Have your say: Oldtown", start, "x")).slug == \
        "2026-12-03-have-your-say-oldtown"
    assert meeting_event(_team(), 0, Meeting("Beat surgery", start, "x")).slug == "2026-12-03-oldtown-beat-surgery"
    # 'old' is in 'oldtown' but is not the team's name.
    assert meeting_event(_team("old"), 0, Meeting("Oldtown fair", start, "x")).slug == "2026-12-03-old-oldtown-fair"


def test_slugify_is_url_safe_and_short():
    assert slugify("Have your say: Selly Oak") == "have-your-say-selly-oak"
    assert slugify("Café & “crime” Q&A — Ærø") == "cafe-crime-q-a-r"
    assert slugify("!!!") == "event"
    assert len(slugify("word " * 40)) <= 60


def test_split_transcript_takes_the_first_heading_that_says_transcript():
    body = Body('<p>Intro</p>\n<h2 id="transcript">Transcript</h2>\n<p>Q and A</p>\n<h3 id="x">More</h3>\n',
                (("content/pages/a.md", 3),))
    text, transcript = split_transcript(body)
    assert text == Body("<p>Intro</p>\n", body.links)
    assert transcript == Body('<p>Q and A</p>\n<h3 id="x">More</h3>\n')
    # Demoted under an h1 in the text, it is an h3; a heading that says more is not the transcript.
    assert split_transcript(Body('<h3 id="t">transcript</h3><p>A</p>'))[1] == Body("<p>A</p>\n")
    assert split_transcript(Body("<h2>Transcript of the chat</h2><p>A</p>"))[1] is None
    assert split_transcript(Body('<h2 id="transcript">Transcript</h2>')) == (Body(""), None)


def test_demo_force_has_events_of_every_kind_and_past_chats_with_transcripts():
    checked = pipeline.check(REPO, now=NOW)
    from wmpsite.core.events import all_events
    events = all_events(checked.force)
    assert {e.kind for e in events} == {"public-meeting", "beat-surgery", "web-chat", "tweetathon",
                                        "community-event"}
    chats = [e for e in checked.force.events if e.kind in ("web-chat", "tweetathon") and e.finish < checked.now]
    assert chats and all(e.transcript is not None for e in chats)
    assert any(e.lpu is None for e in checked.force.events) and any(e.team for e in checked.force.events)
