"""The record of the force's last accessibility test run, which the accessibility statement reports.

A statement required by law must describe the site as built, so its facts are not typed by hand: `make
accessibility` (scripts/accessibility_audit.py) builds the site, runs the Nu Html Checker and axe-core
over it in Chromium, and writes what it ran, on how many pages, when, and every failure it found into
the file that `[accessibility] tested` names. The build reads that record here (its errors name the file
and line, as site.toml's do) and the statement shows it; failures become known issues.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.schema import Context, Date, Field, Integer, ListOf, Record, Text, check_fields, toml_lines
from wmpsite.core.text import text_of


@dataclass(frozen=True)
class Tool:
    """One tool the test run used."""

    name: str            # e.g. 'axe-core'
    version: str
    what: str            # what it tested, in the statement's words: 'the WCAG 2.2 AA rules, at 390 and 1280 px'
    pages: int           # how many pages it was run on


@dataclass(frozen=True)
class Failure:
    """A failure the test run found, which the statement lists as a known issue."""

    page: str            # the page's path on the site, e.g. '/find-your-team/'
    problem: str         # what fails, for a resident: the rule's help text


@dataclass(frozen=True)
class Tested:
    """What the last test run ran, when, and what it found."""

    tested_on: dt.date
    browser: str         # the browser the pages were run in, with its version
    tools: tuple[Tool, ...]
    failures: tuple[Failure, ...] = ()


_FIELDS = [
    Field("tested_on", Date(), "The day of the test run.", required=True),
    Field("browser", Text(max_length=80), "The browser the pages ran in, with its version.", required=True),
    Field("tools", ListOf(Record([
        Field("name", Text(max_length=60), "The tool's name.", required=True),
        Field("version", Text(max_length=40), "Its version.", required=True),
        Field("what", Text(max_length=200), "What it tested.", required=True),
        Field("pages", Integer(1), "On how many pages.", required=True),
    ], make=Tool, expected="a tool (name, version, what, pages)")), "The tools run; none while the first run is "
          "under way.", default=()),
    Field("failures", ListOf(Record([
        Field("page", Text(pattern=r"/\S*", expected="a path on the site like '/find-your-team/'"),
              "The page that fails.", required=True),
        Field("problem", Text(max_length=300), "What fails.", required=True),
    ], make=Failure, expected="a failure (page, problem)")), "What the tools found.", default=()),
]


def load_tested(root: Path, rel: str, tz: ZoneInfo, errors: list[ContentError]) -> Tested | None:
    """The record at `rel` under `root`, or None with what is wrong added to `errors`."""
    path = root / rel
    try:
        text = text_of(rel, path.read_bytes())
    except FileNotFoundError:
        errors.append(ContentError(rel, "the accessibility test record named by 'accessibility.test_record' in "
                                        "site.toml is missing", hint="run `make accessibility` to write it"))
        return None
    except BuildFailed as failed:  # not UTF-8
        errors.extend(failed.errors)
        return None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        errors.append(ContentError(rel, f"not valid TOML: {exc}", int(line.group(1)) if line else None,
                                   "run `make accessibility` to write it again"))
        return None
    before = len(errors)
    values = check_fields(raw, {f.name: f for f in _FIELDS}, (), Context(rel, toml_lines(text), tz, errors))
    return Tested(**values) if len(errors) == before else None
