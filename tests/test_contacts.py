"""Phone numbers and email addresses: `tel:` in E.164, and linked wherever editors write them in prose."""

from __future__ import annotations

import pytest

from wmpsite.content.markdown import new_converter
from wmpsite.core.phone import contact_spans, tel_href


@pytest.mark.parametrize("number, href", [
    ("0121 496 0441", "tel:+441214960441"), ("024 7696 0100", "tel:+442476960100"),
    ("0800 555 111", "tel:+44800555111"), ("+44 121 496 0441", "tel:+441214960441"),
    ("101", "tel:101"), ("999", "tel:999"), ("18001 101", "tel:18001101"),
])
def test_tel_links_are_e164_for_uk_numbers_and_digits_for_short_ones(number, href):
    assert tel_href(number) == href


def test_contacts_are_found_in_prose_but_not_house_numbers():
    text = ("Email us at team@west-midlands.police.example, call us on 0121 496 0441, or call 101. "
            "Room 101 at 999 High Street, B30 2TA.")
    assert [(text[a:b], href) for a, b, href in contact_spans(text)] == [
        ("team@west-midlands.police.example", "mailto:team@west-midlands.police.example"),
        ("0121 496 0441", "tel:+441214960441"), ("101", "tel:101")]


def convert(text: str) -> str:
    from wmpsite.content.markdown import _State
    md = new_converter()
    md.wmp = _State("content/pages/x.md", text, 1, frozenset())
    return md.convert(text)


def test_markdown_links_contacts_in_prose_and_leaves_links_and_code_alone():
    html = convert("Call us on **0121 496 0441** or email a@b.example.\n\n"
                   "[0121 496 0000](tel:01214960000) and `0121 496 1111`.")
    assert '<strong><a href="tel:+441214960441">0121 496 0441</a></strong>' in html
    assert '<a href="mailto:a@b.example">a@b.example</a>.' in html
    assert '<a href="tel:01214960000">0121 496 0000</a>' in html  # the editor's own link stays
    assert "<code>0121 496 1111</code>" in html
