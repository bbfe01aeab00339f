"""Typed field specs for front matter and site.toml, and the check that applies them.

Each content type declares its fields once (in `content_types.py`); this module
turns raw YAML/TOML values into checked Python values and says, in plain words,
what was expected where a value is wrong.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable
from zoneinfo import ZoneInfo

from wmpsite.core.errors import ContentError


class Invalid(Exception):
    """A value does not fit its field; `expected` says what would."""

    def __init__(self, expected: str, hint: str | None = None):
        self.expected = expected
        self.hint = hint


@dataclass(frozen=True)
class Context:
    """Where values come from, so errors can name the file and line."""

    path: str
    line_of: Callable[[tuple], int | None]
    tz: ZoneInfo
    errors: list[ContentError]

    def error(self, at: tuple, message: str, hint: str | None = None) -> None:
        self.errors.append(ContentError(self.path, message, self.line_of(at), hint))


class Kind:
    expected = "a value"

    def convert(self, value: Any, at: tuple, ctx: Context) -> Any:
        raise NotImplementedError


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if value else "an empty text"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes/no (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return repr(value)


class Text(Kind):
    expected = "a text"

    def __init__(self, max_length: int | None = None, pattern: str | None = None,
                 expected: str | None = None):
        self.max_length = max_length
        self.pattern = re.compile(pattern) if pattern else None
        if expected:
            self.expected = expected

    def convert(self, value, at, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and self.pattern is None:
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise Invalid(self.expected)
        value = value.strip()
        if self.pattern and not self.pattern.fullmatch(value):
            raise Invalid(self.expected)
        if self.max_length and len(value) > self.max_length:
            raise Invalid(f"{self.expected} of at most {self.max_length} characters",
                          f"it has {len(value)}")
        return value


class Slug(Text):
    """A short name; `of` says what it names when it names content ('team', 'lpu'), so the CMS offers a choice."""

    def __init__(self, of: str | None = None):
        super().__init__(pattern=r"[a-z0-9]+(?:-[a-z0-9]+)*",
                         expected="a short name in lower case letters, digits and dashes, like 'selly-oak'")
        self.of = of


class ImagePath(Text):
    """A path under static/ to a picture, so the CMS can offer an upload instead of a text box."""

    def __init__(self, extensions: str = "jpe?g|png|webp|avif|gif|svg",
                 expected: str = "a path under static/ to an image file, like 'images/news/bikes.jpg'"):
        super().__init__(pattern=rf"[A-Za-z0-9_./-]+\.(?:{extensions})", expected=expected)


class Url(Text):
    def __init__(self):
        super().__init__(pattern=r"https://[^\s/$.?#][^\s]*",
                         expected="a web address starting with https://")


class Email(Text):
    def __init__(self):
        super().__init__(pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+", expected="an email address")


class Phone(Text):
    def __init__(self):
        super().__init__(pattern=r"\+?[0-9][0-9 ]{1,18}[0-9]",
                         expected="a phone number in digits and spaces, like '0121 626 5000' or '101'")

    def convert(self, value, at, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return super().convert(value, at, ctx)


#: A full UK postcode: outward code, space, inward code ('B30 2TA').
FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}\b")
# Only its first part at the end of an address: a district ('B15') or a sector ('B15 2').
_PART_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)(?: ([0-9]))?$")


class Venue(Text):
    """Where an event or meeting is: 'Online', or a venue and its address. A postcode there must be
    whole: residents open a map from it, and no map can find 'B15 2'."""

    def __init__(self):
        super().__init__(expected="a venue and its full address, with the whole postcode, like 'Bournville "
                                  "Library, Bournville Lane, Birmingham B30 2TA', or 'Online'")

    def convert(self, value, at, ctx):
        value = super().convert(value, at, ctx)
        if value.casefold() == "online" or FULL_POSTCODE.search(value):
            return value
        part = _PART_POSTCODE.search(value)
        if part:
            example = f"{part.group(1)} {part.group(2) or '1'}AB"
            raise Invalid(self.expected, f"'{part.group(0)}' is only the first part of a postcode, which no map "
                          f"can find: write all of it, like '{example}'")
        return value


class Boolean(Kind):
    expected = "true or false"

    def convert(self, value, at, ctx):
        if not isinstance(value, bool):
            raise Invalid(self.expected)
        return value


class Integer(Kind):
    def __init__(self, minimum: int = 0, maximum: int | None = None):
        self.minimum, self.maximum = minimum, maximum
        top = f" and at most {maximum}" if maximum is not None else ""
        self.expected = f"a whole number of at least {minimum}{top}"

    def convert(self, value, at, ctx):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(self.expected)
        if value < self.minimum or (self.maximum is not None and value > self.maximum):
            raise Invalid(self.expected)
        return value


class Money(Kind):
    """An amount of money, such as 20 or 0.20, kept exact (a Decimal, never a float)."""

    def __init__(self, minimum: Decimal = Decimal(0), maximum: Decimal = Decimal(100_000)):
        self.minimum, self.maximum = minimum, maximum
        self.expected = f"an amount in dollars like 20 or 0.20, of at least {minimum} and at most {maximum}"

    def convert(self, value, at, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid(self.expected)
        amount = Decimal(str(value))      # the number as written: 0.2, never 0.2000000000000000111
        if not (self.minimum <= amount <= self.maximum) or amount != amount.quantize(Decimal("0.0001")):
            raise Invalid(self.expected)
        return amount


class Choice(Kind):
    def __init__(self, *choices: str):
        self.choices = choices
        self.expected = "one of " + ", ".join(f"'{c}'" for c in choices)

    def convert(self, value, at, ctx):
        if value not in self.choices:
            close = difflib.get_close_matches(str(value), self.choices, n=1) or \
                [c for c in self.choices if str(value) and c.startswith(str(value))]
            raise Invalid(self.expected, f"did you mean '{close[0]}'?" if close else None)
        return value


#: The years a date may fall in: wide for any news, event or appeal, and far enough from Python's
#: own ends (years 1 and 9999) that moving a time between zones, or adding days, never overflows.
YEARS = range(1900, 2200)


def _in_years(value: dt.date, expected: str) -> dt.date:
    if value.year not in YEARS:
        raise Invalid(expected, f"the year must be from {YEARS.start} to {YEARS.stop - 1}")
    return value


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\b")


def _no_such_day(text: str) -> str | None:
    """Why a date written the right way cannot be read, if that is why: '2026-02-30' is no day."""
    written = _DAY.match(text)
    if written is None:
        return None
    year, month, day = (int(part) for part in written.groups())
    if year not in YEARS:
        return f"the year must be from {YEARS.start} to {YEARS.stop - 1}"
    if not 1 <= month <= 12:
        return f"there is no month {month}: months go from 01 to 12"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"that day does not exist: {dt.date(year, month, 1):%B %Y} has {days} days"
    return None


class Date(Kind):
    expected = "a date like 2025-03-14"

    def convert(self, value, at, ctx):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return _in_years(value, self.expected)
        if isinstance(value, str):
            try:
                return _in_years(dt.date.fromisoformat(value.strip()), self.expected)
            except ValueError:
                raise Invalid(self.expected, _no_such_day(value.strip())) from None
        raise Invalid(self.expected)


class DateTime(Kind):
    """A date, or a date and time; local times are in the force's time zone."""

    expected = "a date like 2025-03-14 or a date and time like 2025-03-14 18:30"

    def convert(self, value, at, ctx):
        if isinstance(value, str):
            text = value.strip()
            try:
                value = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
            except ValueError:
                raise Invalid(self.expected, _no_such_day(text)) from None
        if isinstance(value, dt.datetime):
            _in_years(value, self.expected)
            if value.tzinfo is None:
                return value.replace(tzinfo=ctx.tz)
            return value.astimezone(ctx.tz)
        if isinstance(value, dt.date):
            _in_years(value, self.expected)
            return dt.datetime(value.year, value.month, value.day, tzinfo=ctx.tz)
        raise Invalid(self.expected)


class ListOf(Kind):
    def __init__(self, item: Kind, min_items: int = 0):
        self.item = item
        self.min_items = min_items
        self.expected = "a list of texts" if item.expected == "a text" else f"a list, each {item.expected}"

    def convert(self, value, at, ctx):
        if not isinstance(value, list):
            raise Invalid(self.expected, "start each item on its own line with '- '")
        if len(value) < self.min_items:
            raise Invalid(f"{self.expected} with at least {self.min_items} item(s)")
        out = []
        for i, item in enumerate(value):
            converted = convert_field(self.item, item, at + (i,), ctx, label(at + (i,)))
            if converted is not _BAD:
                out.append(converted)
        return tuple(out)


@dataclass(frozen=True)
class Field:
    """One front-matter or site.toml field: its name, kind, default and meaning."""

    name: str
    kind: Kind
    doc: str
    required: bool = False
    default: Any = None


class Record(Kind):
    """A group of named fields, turned into `make(**values)` when all are valid."""

    def __init__(self, fields: list[Field], make: Callable[..., Any] = dict,
                 expected: str = "a group of fields"):
        self.fields = {f.name: f for f in fields}
        self.make = make
        self.expected = expected

    def convert(self, value, at, ctx):
        if not isinstance(value, dict):
            raise Invalid(self.expected + " (" + ", ".join(self.fields) + ")")
        before = len(ctx.errors)
        values = check_fields(value, self.fields, at, ctx)
        if len(ctx.errors) > before:
            return _BAD
        return self.make(**values)

    def unfilled(self, value) -> bool:
        """True for a group whose every value is empty or its field's default: what a form (the CMS)
        writes for a group the editor never opened, e.g. a switch left off and nothing else."""
        return isinstance(value, dict) and all(
            name in self.fields and (given in (None, "", [], {}) or given == self.fields[name].default)
            for name, given in value.items())


_BAD = object()


def label(at: tuple) -> str:
    """Name a key path as an editor would read it: members[2].name (items count from 1)."""
    out = ""
    for part in at:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def convert_field(kind: Kind, value: Any, at: tuple, ctx: Context, shown: str) -> Any:
    """Convert one value, recording an error (and returning _BAD) if it does not fit."""
    try:
        return kind.convert(value, at, ctx)
    except Invalid as exc:
        ctx.error(at, f"'{shown}': expected {exc.expected}, found {_show(value)}", exc.hint)
        return _BAD


def check_fields(data: dict, fields: dict[str, Field], at: tuple, ctx: Context) -> dict:
    """Check `data` against `fields`: unknown keys, missing required fields, kinds."""
    values: dict[str, Any] = {}
    for key in data:
        if key not in fields:
            close = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else \
                "the fields here are " + ", ".join(f"'{f}'" for f in fields)
            ctx.error(at + (key,), f"unknown field '{key}'", hint)
    for name, spec in fields.items():
        name_label = label(at + (name,))
        given = data.get(name)
        # An optional field left empty ('summary: ""', as a form writes a box that was cleared, or a group
        # it never opened) is one not given.
        if given is None or (not spec.required and (given == "" or (
                isinstance(spec.kind, Record) and spec.kind.unfilled(given)))):
            if spec.required:  # a key given with no value ('title:', 'title: ~') is named at its own line
                ctx.error(at + (name,) if name in data else at,
                          f"'{name_label}' is missing: expected {spec.kind.expected}",
                          spec.doc[:1].lower() + spec.doc[1:].rstrip(".") if spec.doc else None)
            values[name] = spec.default
            continue
        converted = convert_field(spec.kind, data[name], at + (name,), ctx, name_label)
        values[name] = spec.default if converted is _BAD else converted
    return values


def document_fields(fields: list[Field], indent: str = "") -> list[str]:
    """Describe fields as Markdown list items (for docs/content.md)."""
    out = []
    for f in fields:
        need = "required" if f.required else f"optional{'' if f.default in (None, (), '') else f', default {f.default!r}'}"
        out.append(f"{indent}- `{f.name}` ({need}): {f.doc} Expected: {f.kind.expected}.")
        inner = f.kind.item if isinstance(f.kind, ListOf) else f.kind
        if isinstance(inner, Record):
            out.extend(document_fields(list(inner.fields.values()), indent + "  "))
    return out


def toml_lines(text: str):
    """Map a key path like ('force', 'name') to its line in site.toml (best effort): site.toml's and
    any TOML file checked with these fields. In an array of tables the index counts too:
    ('publish', 'accounts', 2, 'monthly_cap') is that key of the third [[publish.accounts]]."""
    lines: dict[tuple, int] = {}
    table: tuple = ()
    arrays: dict[tuple, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.fullmatch(r"(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?.*", stripped)
        if header:
            table = tuple(header.group(2).split("."))
            lines.setdefault(table, number)
            if header.group(1) == "[[":
                arrays[table] = arrays.get(table, -1) + 1
                table = table + (arrays[table],)
                lines[table] = number
            continue
        key = re.match(r"([A-Za-z0-9_\-]+)\s*=", stripped)
        if key:
            lines.setdefault(table + (key.group(1),), number)
            bare = tuple(p for p in table if isinstance(p, str)) + (key.group(1),)
            lines.setdefault(bare, number)

    def line_of(at: tuple) -> int | None:
        for path in (tuple(at), tuple(p for p in at if isinstance(p, str))):
            while path:
                if path in lines:
                    return lines[path]
                path = path[:-1]
        return None

    return line_of
