"""What a resident reads on an appeal: how to help while it is open, the year of every date, and one
thank-you once it has ended."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import NOW
from wmpsite.build import pipeline
from wmpsite.core.errors import BuildFailed
from wmpsite.features.appeal_dates import html_with_years, nearest, with_years

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
#: A day and month that no year follows: what a resident cannot place in time.
NO_YEAR = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTHS})\b(?!,? \d{{4}})")


def appeal(last_seen: str, history: str = "", note: str = "") -> str:
    return f"""---
title: Have you seen Jo?
kind: missing-person
summary: We are worried about Jo.
history:
  - {{date: 2026-11-21 09:30, status: open}}
{history}name: Jo Invented
last_seen: {last_seen}
reference: log 2104 of 20 November
---
Jo was last seen on 20 November.{note}
"""


def main_of(path: Path):
    return lxml_html.fromstring(path.read_bytes()).xpath("//main")[0]


# --- the year of every date -------------------------------------------------------------------

@pytest.mark.parametrize("day, month, around, expected", [
    (20, 11, dt.date(2026, 11, 21), dt.date(2026, 11, 20)),
    (30, 12, dt.date(2027, 1, 2), dt.date(2026, 12, 30)),    # last year's, a few days before
    (3, 1, dt.date(2026, 12, 30), dt.date(2027, 1, 3)),      # next year's, a few days after
    (1, 5, dt.date(2026, 11, 21), dt.date(2026, 5, 1)),      # this year's, months before
    (29, 2, dt.date(2029, 3, 1), dt.date(2028, 2, 29)),      # the only 29 February a year either side
    (31, 6, dt.date(2026, 6, 1), None),
])
def test_a_date_without_a_year_is_the_latest_up_to_two_months_after_the_opening(day, month, around, expected):
    assert nearest(day, month, around) == expected


def test_years_are_added_and_weekdays_checked():
    around = dt.date(2026, 11, 21)
    assert with_years("Friday 20 November at about 7pm", around) == ("Friday 20 November 2026 at about 7pm", [])
    assert with_years("log 2104 of 20th November", around) == ("log 2104 of 20th November 2026", [])
    assert with_years("on 14 March 2025, and on 1 May", around) == ("on 14 March 2025, and on 1 May 2026", [])
    assert with_years("Thursday 20 November", around) == ("Thursday 20 November 2026", [
        ("Thursday 20 November", "'Thursday 20 November': 20 November 2026 is a Friday, not a Thursday")])
    assert with_years("Sunday 15 November 2026", around) == ("Sunday 15 November 2026", [])
    assert with_years("Monday 15 November 2026", around)[1] == [
        ("Monday 15 November 2026", "'Monday 15 November 2026': 15 November 2026 is a Sunday, not a Monday")]
    assert with_years("on 31 June", around)[1] == [("31 June", "'31 June': there is no 31 June")]
    assert with_years("in May we met", around) == ("in May we met", [])
    assert with_years("Friday the 20th of November, Friday, 20 November", around) == (
        "Friday the 20th of November 2026, Friday, 20 November 2026", [])
    assert with_years("Thursday the 19th of November", around)[1] == []


def test_only_the_text_of_html_changes():
    html, problems = html_with_years('<p title="20 November">Seen <a href="/20-November/">20 November</a></p>',
                                     dt.date(2026, 11, 21))
    assert html == '<p title="20 November">Seen <a href="/20-November/">20 November 2026</a></p>'
    assert problems == []


def test_an_appeal_names_the_year_of_every_date(site_copy, tmp_path):
    site = site_copy({"content/appeals/2026-11-21-jo.md": appeal("Friday 20 November at 7pm near the canal")})
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW)
    main = main_of(out / "main/appeals/jo/index.html")
    text = " ".join(main.itertext())
    assert "Friday 20 November 2026 at 7pm near the canal" in text
    assert "log 2104 of 20 November 2026" in text and "last seen on 20 November 2026." in text
    assert NO_YEAR.findall(text) == []


def test_a_weekday_that_is_not_its_dates_is_an_error_naming_file_and_line(site_copy):
    site = site_copy({"content/appeals/2026-11-21-jo.md": appeal("Thursday 20 November at 7pm")})
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site, now=NOW)
    (error,) = failed.value.errors
    assert (error.path, error.line) == ("content/appeals/2026-11-21-jo.md", 8)
    assert "'last_seen': 'Thursday 20 November': 20 November 2026 is a Friday, not a Thursday" in str(error)


def test_every_date_on_the_demos_appeals_names_its_year(demo_build):
    pages = sorted(demo_build.glob("main/**/appeals/*/index.html"))
    assert len(pages) >= 7
    for page in pages:
        text = " ".join(main_of(page).itertext())
        assert NO_YEAR.findall(text) == [], page


# --- how you can help, while the appeal is open ------------------------------------------------

def calls(main) -> list[tuple[str, str]]:
    return [(a.get("href"), " ".join(a.text_content().split())) for a in main.xpath(".//*[@class='help']//a")]


def test_an_open_appeal_has_a_help_box_with_numbers_to_tap_and_the_reference(demo_build):
    main = main_of(demo_build / "main/appeals/missing-woman-erdington/index.html")
    (box,) = main.xpath(".//section[@class='help']")
    assert box.xpath("string(h2)") == "How you can help"
    assert calls(main) == [("tel:101", "Police non-emergency 101"), ("tel:+44800555111", "Crimestoppers 0800 555 111"),
                           ("tel:999", "Emergency 999")]
    words = " ".join(box.text_content().split())
    assert "Quote the reference log 2104 of 20 November 2026 when you call." in words
    assert "anonymously" in words and "danger" in words
    assert box.get("data-pagefind-ignore") is not None  # the same on every appeal: not what a search finds


def test_the_crimestoppers_number_comes_from_site_toml(site_copy, tmp_path):
    site = site_copy({"content/appeals/2026-11-21-jo.md": appeal("Friday 20 November")})
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW)  # the minimal site sets no [extra] crimestoppers_number
    assert [href for href, _ in calls(main_of(out / "main/appeals/jo/index.html"))] == ["tel:101", "tel:999"]
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace("[extra]\n", '[extra]\ncrimestoppers_number = "0800 123 4567"\n'))
    pipeline.build(site, tmp_path / "again", now=NOW)
    for page in ("main/appeals/jo/index.html", "main/appeals/index.html"):
        assert ("tel:+448001234567", "Crimestoppers 0800 123 4567") in calls(main_of(tmp_path / "again" / page)), page


def test_the_help_box_is_gone_once_the_appeal_ends(site_copy, tmp_path):
    site = site_copy({"content/appeals/2026-11-21-jo.md": appeal(
        "Friday 20 November", "  - {date: 2026-11-23 10:00, status: resolved}\n")})
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW)
    main = main_of(out / "main/appeals/jo/index.html")
    assert main.xpath(".//*[@class='help']") == [] and main.xpath(".//a[starts-with(@href, 'tel:')]") == []
    assert "log 2104 of 20 November 2026" in main.text_content()  # not marked personal: still in the details


# --- an ended appeal thanks people once ---------------------------------------------------------

@pytest.mark.parametrize("note, update", [
    ("Thank you to everyone who shared our appeal.", ""),
    ("", "update: {text: 'Thanks to all who shared it.'}\n"),
    ("", ""),
])
def test_an_ended_appeal_thanks_people_once(site_copy, tmp_path, note, update):
    noted = f", note: \"{note}\"" if note else ""
    text = appeal("Friday 20 November", f"  - {{date: 2026-11-23 10:00, status: resolved{noted}}}\n")
    site = site_copy({"content/appeals/2026-11-21-jo.md": text.replace("name: Jo", update + "name: Jo")})
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW)
    words = " ".join(main_of(out / "main/appeals/jo/index.html").text_content().split()).casefold()
    assert words.count("thank") == 1, words
    assert "this appeal has ended: resolved on monday 23 november 2026." in words


def test_the_demos_ended_appeals_thank_people_once(demo_build):
    for rel in ("main/appeals/missing-man-selly-oak/index.html", "main/dudley/appeals/missing-teenager-brierley-hill/index.html",
                "main/coventry/appeals/witnesses-foleshill-road-burglary/index.html"):
        words = main_of(demo_build / rel).text_content().casefold()
        assert words.count("thank") == 1, rel
