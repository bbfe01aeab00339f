"""An LPU's home page lists its teams' next meetings, soonest first, and links all its events."""

from __future__ import annotations

import datetime as dt

from lxml import html as lxml_html

from conftest import NOW
from wmpsite.features.pages import LPU_HOME_MEETINGS


def meetings(path) -> tuple[list[tuple[str, str]], list[str]]:
    """The meetings section of an LPU home: (title, start) of each listed, and the section's other links."""
    (section,) = lxml_html.fromstring(path.read_bytes()).xpath("//main//section[@aria-labelledby='meetings']")
    listed = [(li.xpath("string(.//h3)"), li.xpath("string(.//time/@datetime)")) for li in section.xpath(".//li")]
    links = [a.get("href") for a in section.xpath("./p/a")]
    return listed, links


def test_lpu_home_lists_its_teams_next_meetings_soonest_first(events_build):
    # Oldtown's meeting on 1 October and the LPU's own open day (no team) are not listed; the
    # market surgery (an event file of the Oldtown team) and the team's next meeting are.
    listed, links = meetings(events_build / "main/northfield/index.html")
    assert listed == [("Have your say in Oldtown", "2026-12-03T18:30+00:00"),
                      ("Beat surgery at the market", "2026-12-05T10:00+00:00")]
    assert links == ["/northfield/events/"]
    listed, links = meetings(events_build / "riverside/index.html")  # an LPU on its own site
    assert listed == [("Quayside web chat", "2026-12-12T19:00+00:00")] and links == ["/events/"]


def test_lpu_home_lists_a_few_meetings_and_says_when_there_are_none(demo_build, minimal_build):
    listed, links = meetings(demo_build / "main/birmingham-south/index.html")
    assert len(listed) == LPU_HOME_MEETINGS == 3
    starts = [dt.datetime.fromisoformat(start) for _, start in listed]
    assert starts == sorted(starts) and all(s.replace(tzinfo=None) > NOW - dt.timedelta(hours=3) for s in starts)
    assert links == ["/birmingham-south/events/"]
    # The events page has them all, the same ones first.
    events = lxml_html.fromstring((demo_build / "main/birmingham-south/events/index.html").read_bytes())
    upcoming = [h.text_content() for h in events.xpath("//main//ul[contains(@class, 'cards--events')][1]//h3")]
    assert [title for title, _ in listed] == upcoming[:3]
