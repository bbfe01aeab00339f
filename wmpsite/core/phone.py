"""Phone numbers and email addresses as residents tap them: `tel:` links in E.164, and finding both in text."""

from __future__ import annotations

import re

#: UK numbers as editors write them: '0121 496 0441', '0800 555 111', '+44 121 496 0441'.
UK_NUMBER = re.compile(r"(?<![\w+])(?:\+44 ?|0)\d{2,4}(?: ?\d{3,4}){1,2}(?![\w])")
#: The short numbers, linked in prose only after 'call' or 'ring' ('Room 101' is no phone number).
SHORT_NUMBER = re.compile(r"(?i:\b(?:call|ring|phone|dial)(?: us)?(?: on)? )(101|999|111|105)\b")
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")


def tel_href(number: str) -> str:
    """The `tel:` link for a number as written: E.164 for UK numbers, the digits for short ones.

    Example: ``tel_href("0121 496 0441") == "tel:+441214960441"``; ``tel_href("101") == "tel:101"``.
    A phone dials E.164 from anywhere, also from a phone set to another country.
    """
    digits = re.sub(r"[^\d+]", "", number)
    if digits.startswith("+"):
        return f"tel:{digits}"
    if digits.startswith("0") and len(digits) in (10, 11) and not digits.startswith("00"):
        return f"tel:+44{digits[1:]}"
    return f"tel:{digits}"


def is_uk_number(text: str) -> bool:
    """A full UK number (10 or 11 digits from the 0, or +44 and 9 or 10 more), as UK_NUMBER found it."""
    digits = re.sub(r"\D", "", text)
    return (text.startswith("0") and len(digits) in (10, 11)) or (text.startswith("+44") and len(digits) in (11, 12))


def contact_spans(text: str) -> list[tuple[int, int, str]]:
    """Where `text` names a phone number or an email address: (start, end, href), in order, not overlapping.

    Example: ``contact_spans("call 0121 496 0441")`` == ``[(5, 18, "tel:+441214960441")]``.
    """
    found = [(m.start(), m.end(), f"mailto:{m.group(0)}") for m in EMAIL.finditer(text)]
    found += [(m.start(), m.end(), tel_href(m.group(0))) for m in UK_NUMBER.finditer(text) if is_uk_number(m.group(0))]
    found += [(m.start(1), m.end(1), tel_href(m.group(1))) for m in SHORT_NUMBER.finditer(text)]
    spans: list[tuple[int, int, str]] = []
    for span in sorted(found):
        if not spans or span[0] >= spans[-1][1]:
            spans.append(span)
    return spans
