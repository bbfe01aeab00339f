"""Dates as residents read them: the weekday first, from one formatter, written by one template filter."""

from __future__ import annotations

import datetime as dt
import locale
import re
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from conftest import REPO
from wmpsite.build.render import make_environment
from wmpsite.present.views import When, day_text, time_element, when_date, when_time

LONDON = ZoneInfo("Europe/London")
GOLDEN = REPO / "tests" / "golden" / "tree"
WEEKDAY_DATE = re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ \d{4}")


def test_a_day_names_its_weekday():
    assert day_text(dt.date(2026, 11, 20)) == "Friday 20 November 2026"
    assert when_date(dt.date(2026, 11, 19)) == When("2026-11-19", "Thursday 19 November 2026")
    # A datetime is shown as its day.
    assert when_date(dt.datetime(2026, 3, 1, 23, 30, tzinfo=LONDON)).text == "Sunday 1 March 2026"


def test_a_time_names_its_weekday_but_not_twice_on_the_same_day():
    start = dt.datetime(2026, 12, 3, 18, 30, tzinfo=LONDON)
    assert when_time(start).text == "Thursday 3 December 2026, 6:30pm"
    assert when_time(dt.datetime(2026, 12, 3, 20, 0, tzinfo=LONDON), start).text == "8pm"
    assert when_time(dt.datetime(2026, 12, 4, 12, 0, tzinfo=LONDON), start).text == "Friday 4 December 2026, midday"
    # British Summer Time: the local day, not UTC's.
    assert when_time(dt.datetime(2026, 7, 1, 0, 30, tzinfo=LONDON)).text == "Wednesday 1 July 2026, 12:30am"


def test_the_weekday_is_english_whatever_the_locale():
    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            assert day_text(dt.date(2026, 11, 20)).startswith("Friday 20 ")
    finally:
        locale.setlocale(locale.LC_TIME, before)


def test_the_when_filter_writes_a_time_element_and_escapes():
    assert str(time_element(When("2026-11-20", "Friday 20 November 2026"))) == \
        '<time datetime="2026-11-20">Friday 20 November 2026</time>'
    env = make_environment([REPO / "templates"])
    out = env.from_string("{{ d | when }}").render(d=When('2026"x', "<b>"))
    assert out == '<time datetime="2026&#34;x">&lt;b&gt;</time>'


def test_every_date_of_an_event_meeting_appeal_or_news_item_in_the_golden_force_names_its_weekday():
    """Every <time> on the pages of events, teams (meetings), appeals, news and the lists of them."""
    checked = 0
    for path in sorted(GOLDEN.rglob("index.html")):
        rel = path.relative_to(GOLDEN).as_posix()
        if not re.search(r"/(events|teams|appeals|news)/", "/" + rel):
            continue
        doc = lxml_html.fromstring(path.read_bytes())
        for element in doc.xpath("//main//time"):
            text = " ".join(element.text_content().split())
            if re.fullmatch(r"\d{1,2}(:\d\d)?(am|pm)|midday", text):  # the end of a meeting, on its day
                continue
            assert WEEKDAY_DATE.match(text), f"{rel}: <time>{text}</time> does not name its weekday"
            checked += 1
    assert checked > 40


def test_templates_write_dates_through_the_when_filter():
    """A date written by hand in a template would miss the shared markup; the appeals' templates excepted,
    whose dates still come from the same formatter."""
    by_hand = []
    for template in sorted((REPO / "templates").glob("*.html")):
        if template.name in ("appeal.html", "appeals.html", "lpu-home.html"):
            continue
        for n, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"<time datetime=\"\{\{ [a-z_.]+\.iso \}\}\"", line):
                by_hand.append(f"templates/{template.name}:{n}")
    assert by_hand == []
