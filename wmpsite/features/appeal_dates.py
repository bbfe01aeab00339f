"""The year of every date an appeal names, and the weekday written beside it.

Editors write an appeal's dates as people say them: 'last seen Friday 20 November', 'log 2104 of
20 November'. A resident may read it weeks later, or in another year, and a witness needs the day
itself, so every date an appeal shows names its year. An appeal speaks of what has happened, now
and then of what is coming soon (a vigil, a reconstruction), so a date is the latest one no more
than AHEAD days after the day the appeal opened: a 30 December on an appeal opened on 2 January is
last year's, a 3 January on one opened on 30 December next year's, a 1 May on one opened in
November this year's. A weekday
written beside a date must be that date's: a wrong one sends a witness's memory to the wrong day,
so it is an error for the editor, not a guess.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from wmpsite.core.errors import ContentError
from wmpsite.core.kind import Parsed
from wmpsite.core.parts import Body

#: English names, not the locale's: the same file gives the same pages on every machine.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
#: How far after its opening an appeal's date without a year may be.
AHEAD = 61
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# 'Friday 20 November', 'Friday, 20th November', 'Friday the 20th of November', '20 November 2025'.
_DATE = re.compile(r"\b(?:(?P<weekday>" + "|".join(WEEKDAYS) + r"),?\s+(?:the\s+)?)?"
                   r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>" + "|".join(MONTHS) + r")\b"
                   r"(?P<year>,?\s+\d{4}\b)?")
_TAG = re.compile(r"(<[^>]*>)")


def nearest(day: int, month: int, around: dt.date) -> dt.date | None:
    """The latest date of `day` `month` at most AHEAD days after `around`, in the year before, the same
    or the next; None if there is none (31 June)."""
    found = []
    for year in (around.year - 1, around.year, around.year + 1):
        try:
            found.append(dt.date(year, month, day))
        except ValueError:
            continue
    found = [d for d in found if d <= around + dt.timedelta(days=AHEAD)]
    return max(found) if found else None


def with_years(text: str, around: dt.date) -> tuple[str, list[tuple[str, str]]]:
    """`text` with the year after each date that has none, and what is wrong with its dates, as
    (the words as written, what is wrong).

        >>> with_years("Friday 20 November at 7pm", dt.date(2026, 11, 21))
        ('Friday 20 November 2026 at 7pm', [])
    """
    problems: list[tuple[str, str]] = []

    def add_year(match: re.Match) -> str:
        month = MONTHS.index(match["month"]) + 1
        if match["year"]:
            year = int(match["year"].strip(", \n\t"))
            try:
                date = dt.date(year, month, int(match["day"]))
            except ValueError:
                date = None
        else:
            date = nearest(int(match["day"]), month, around)
        words = match[0].strip()
        if date is None:
            problems.append((words, f"'{words}': there is no {match['day']} {match['month']}"))
            return match[0]
        if match["weekday"] and WEEKDAYS[date.weekday()] != match["weekday"]:
            problems.append((words, f"'{words}': {date.day} {match['month']} {date.year} is a "
                                    f"{WEEKDAYS[date.weekday()]}, not a {match['weekday']}"))
        return match[0] if match["year"] else f"{match[0]} {date.year}"

    return _DATE.sub(add_year, text), problems


def html_with_years(html: str, around: dt.date) -> tuple[str, list[tuple[str, str]]]:
    """As with_years, for HTML: only the text between tags changes, never a tag or its attributes."""
    problems: list[tuple[str, str]] = []
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):  # the even parts are text, the odd ones tags
        parts[i], found = with_years(parts[i], around)
        problems += found
    return "".join(parts), problems


#: The fields whose words residents read, where an editor may write a date without its year.
_WORDED = ("title", "summary", "last_seen", "reference", "post")


def dated(parsed: Parsed, values: dict, body: Body) -> tuple[dict, Body]:
    """The appeal's words and text with the year after every date (with_years), and an error for
    each weekday that is not its date's."""
    around = values["history"][0].date.date()
    hint = "check the day and the date, or write the year"

    def fix(text: str | None, where: tuple, html: bool = False) -> str | None:
        if text is None:
            return None
        text, problems = (html_with_years if html else with_years)(text, around)
        for words, problem in problems:
            field = f"'{where[0]}'" if where else "the text"
            parsed.errors.append(ContentError(parsed.source.path, f"{field}: {problem}",
                                              parsed.line_of(where) if where else parsed.text_line(words), hint))
        return text

    values = dict(values, **{name: fix(values.get(name), (name,)) for name in _WORDED if values.get(name)})
    values["history"] = tuple(dataclasses.replace(c, note=fix(c.note, ("history", i, "note")))
                              for i, c in enumerate(values["history"]))
    if values.get("update") and values["update"].text:
        values["update"] = dataclasses.replace(values["update"], text=fix(values["update"].text, ("update", "text")))
    return values, dataclasses.replace(body, html=fix(body.html, (), html=True))
