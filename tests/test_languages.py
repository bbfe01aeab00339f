"""The interface in Welsh: every string of the code has a Welsh translation, and a force whose
language is 'cy' shows its interface in Welsh (docs/languages.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from lxml import html as lxml_html

from conftest import REPO, build_overlaid
from wmpsite.core import i18n

WELSH_DAY = re.compile(r"Dydd (Llun|Mawrth|Mercher|Iau|Gwener|Sadwrn|Sul) \d{1,2} "
                       r"(Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}")


def extracted() -> set[str]:
    """The msgids of the catalogue template, extracted afresh from the code and templates with babel.cfg."""
    with (REPO / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    ids = set()
    for folder in ("wmpsite", "templates"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                REPO / folder, method_map, options_map, keywords={"_": None, "gettext": None, "N_": None}):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def welsh() -> dict[str, str]:
    with i18n.catalogue_path("cy").open("rb") as po:
        catalog = read_po(po, locale="cy")
    assert not [m.id for m in catalog if m.id and m.fuzzy], "no Welsh translation is marked fuzzy"
    return {m.id: m.string for m in catalog if m.id}


def test_every_interface_string_has_a_welsh_translation():
    ids, cy = extracted(), welsh()
    assert len(ids) > 150  # the whole interface, not a corner of it
    missing = sorted(i for i in ids if not cy.get(i))
    assert not missing, f"strings without Welsh (run `make translations`, then translate): {missing}"


def test_the_welsh_catalogue_compiles_and_keeps_its_placeholders():
    cy = welsh()
    for msgid, msgstr in cy.items():
        assert sorted(re.findall(r"%\(\w+\)s|\{\w+\}", msgid)) == sorted(re.findall(r"%\(\w+\)s|\{\w+\}", msgstr)), msgid
    assert i18n.translations("cy").gettext("News") == "Newyddion"
    assert i18n.translations("en-GB").gettext("News") == "News"


def test_welsh_dates_name_the_weekday_and_month_in_welsh():
    import datetime as dt
    assert i18n.day_text(dt.date(2026, 11, 19), "cy") == "Dydd Iau 19 Tachwedd 2026"
    assert i18n.clock_text(dt.datetime(2026, 11, 19, 18, 30), "cy") == "18:30"
    assert i18n.clock_text(dt.datetime(2026, 11, 19, 12, 0), "cy") == "canol dydd"


@pytest.fixture(scope="module")
def welsh_build(tmp_path_factory) -> Path:
    toml = (REPO / "tests" / "sites" / "minimal" / "site.toml").read_text(encoding="utf-8")
    return build_overlaid(tmp_path_factory, "welsh", {"site.toml": toml.replace("[force]\n", '[force]\nlanguage = "cy"\n', 1)})


def visible_text(page: Path) -> list[str]:
    tree = lxml_html.fromstring(page.read_bytes())
    for hidden in tree.xpath("//script|//style"):
        hidden.drop_tree()
    texts = [t.strip() for t in tree.xpath("//body//text()") if t.strip()]
    texts += [v.strip() for v in tree.xpath("//body//@aria-label | //body//@alt")]
    return texts


def test_a_welsh_force_shows_its_interface_in_welsh(welsh_build):
    home = (welsh_build / "main" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="cy">' in home
    nav = lxml_html.fromstring(home).xpath("//nav[contains(@class, 'site-nav')]//a/text()")
    assert nav[:2] == ["Hafan", "Newyddion"] and "Chwilio" in nav
    assert "Cysylltu â ni" in home and "Argyfwng" in home
    news = (welsh_build / "main" / "news" / "index.html").read_text(encoding="utf-8")
    assert WELSH_DAY.search(news), "a news list's dates are in Welsh"
    cy = welsh()
    # Whole English strings of the catalogue that differ in Welsh: none may be left on any page.
    english = {i for i, s in cy.items() if i != s and not re.search(r"%\(|\{", i)}
    left = {}
    for page in sorted(welsh_build.rglob("*.html")):
        found = sorted(set(visible_text(page)) & english)
        if found:
            left[str(page.relative_to(welsh_build))] = found
    assert not left, f"English interface text on Welsh pages: {left}"
