"""The interface's languages: the gettext catalogues of wmpsite/locale/ and dates written in a language.

The interface is written in British English in the code and the templates; those strings are the
catalogue's msgids. A force whose `language` has a catalogue (wmpsite/locale/<language>/LC_MESSAGES/
wmpsite.po) shows its interface in that language; any other shows it in English. Translations are
looked up per page (build/render.py makes one Jinja environment per language and the kit
translates in the page's language), so a site can later carry pages in two languages.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
from io import BytesIO
from pathlib import Path

#: Where the catalogues live: <language>/LC_MESSAGES/wmpsite.po, compiled in memory at build time
#: (so there is no .mo to fall out of date with its .po).
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "wmpsite"


def N_(message: str) -> str:
    """Mark interface text written in Python for the catalogue (babel.cfg extracts `N_`), without
    translating it yet: it is translated when a page is rendered, in that page's language.

    Example: ``STATUS_LABELS = {"open": N_("Open")}``, then ``r._(STATUS_LABELS[status])`` in a builder.
    """
    return message


def base_language(tag: str) -> str:
    """The language of a tag, without its region: 'cy' for 'cy-GB', 'en' for 'en-GB'."""
    return tag.split("-")[0].lower()


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / base_language(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> tuple[str, ...]:
    """The languages the interface has a catalogue for, besides English."""
    return tuple(sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()))


@functools.lru_cache(maxsize=None)
def translations(language: str) -> _gettext.NullTranslations:
    """The interface catalogue of `language`, compiled from its .po with Babel; for English, or a
    language without a catalogue, the msgids themselves."""
    path = catalogue_path(language)
    if base_language(language) == "en" or not path.is_file():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as po:
        catalog = read_po(po, locale=base_language(language), domain=DOMAIN)
    mo = BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


#: Weekday names in English whatever the machine's locale, so every build writes the same bytes.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_text(value: dt.date, language: str = "en") -> str:
    """A day as residents read it, weekday first: 'Thursday 20 November 2026', 'Dydd Iau 20 Tachwedd 2026'.

    English keeps its own spelling (no locale data needed); other languages come from Babel's CLDR
    data, which names the weekday and month in that language whatever the machine's locale.
    """
    if base_language(language) == "en":
        return f"{WEEKDAYS[value.weekday()]} {value.day} {value:%B %Y}"
    from babel.dates import format_date
    return format_date(value, "EEEE d MMMM y", locale=base_language(language))


def clock_text(value: dt.datetime, language: str = "en") -> str:
    """A time of day: '6:30pm', 'midday' in English; the language's own clock otherwise ('18:30', 'canol dydd')."""
    if (value.hour, value.minute) == (12, 0):
        return translations(language).gettext("midday")
    if base_language(language) == "en":
        hour = value.hour % 12 or 12
        minutes = f":{value.minute:02d}" if value.minute else ""
        return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"
    from babel.dates import format_time
    return format_time(value, "HH:mm", locale=base_language(language))
