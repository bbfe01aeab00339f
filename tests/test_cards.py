"""Share cards: each public item's page has card.png (its og:image) and card.jpg (its posts' picture),
1200x630 in the force's colours with the item's title, its owner and the force; Welsh accents draw;
long titles wrap and end with '…'; the same input gives the same bytes, serial or parallel; an item
that has ended gets none."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from conftest import TESTS, copy_site
from structured_check import blocks
from wmpsite.build import pipeline
from wmpsite.features import card_image
from wmpsite.features.card_image import CardWords, Colours

GOLDEN = TESTS / "sites" / "golden"
NOW = "2026-11-25T12:00"
WELSH = "Cyfarfod ŵyr a ŷd â chroeso yn Llanfair"
OVERLAY = {
    # A team's story in Welsh: its card names the team.
    "content/lpus/northfield/news/2026-11-21-cyfarfod.md":
        f"---\ntitle: {WELSH}\ndate: 2026-11-21\nsummary: Croeso.\nteam: oldtown\n---\nCroeso.\n",
    # A force story with a JPEG of its own: its posts show that, not a card.
    "content/news/2026-11-22-autumn-patrols.md":
        "---\ntitle: Autumn patrols in the wood\ndate: 2026-11-22 09:00\nsummary: Patrols.\n"
        "kind: press-release\nimage: {src: images/gallery/autumn-wood.jpg, alt: A wood in autumn}\n---\nPatrols.\n",
    # A page past its unpublish_on: its address keeps a notice, with no card and no word of it.
    "content/pages/old-campaign.md":
        "---\ntitle: Quillwort campaign\nsummary: Gone.\nunpublish_on: 2026-11-01\n---\nGone.\n",
}
BACKGROUND, ACCENT = (0x0b, 0x2f, 0x5b), (0xff, 0xdd, 0x00)  # the defaults of site.toml's colour, accent_colour


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = copy_site(GOLDEN, tmp_path_factory.mktemp("cards") / "site", OVERLAY)
    out = tmp_path_factory.mktemp("cards-out") / "out"
    pipeline.build(site, out, now=dt.datetime.fromisoformat(NOW), cache=False)
    return site, out


def head(out: Path, page: str) -> dict[str, str]:
    html = (out / page).read_text(encoding="utf-8")
    return {m[1]: m[2] for m in re.finditer(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html)}


def test_an_items_page_has_its_card_as_png_and_jpeg_in_the_force_colours(built):
    _, out = built
    for name, fmt in (("card.png", "PNG"), ("card.jpg", "JPEG")):
        with Image.open(out / "main/northfield/news/cyfarfod" / name) as card:
            assert card.format == fmt and card.size == (1200, 630)
            rgb = card.convert("RGB")
            near = (lambda a, b: max(abs(x - y) for x, y in zip(a, b)) <= 3)
            assert near(rgb.getpixel((5, 315)), ACCENT)        # the band down the left edge
            assert near(rgb.getpixel((1190, 20)), BACKGROUND)  # the top right corner
            assert near(rgb.getpixel((600, 625)), BACKGROUND)
    words = f"{WELSH}. Oldtown neighbourhood team. Testshire Police."
    with Image.open(out / "main/northfield/news/cyfarfod/card.png") as card:
        assert card.info["Description"] == words
    with Image.open(out / "main/northfield/news/cyfarfod/card.jpg") as card:
        assert card.info["comment"] == words.encode("utf-8")
    # The force's own card, for posts with no card of their own: its name, and where its site is.
    with Image.open(out / "main/card.png") as card:
        assert card.size == (1200, 630)
        assert card.info["Description"] == "Testshire Police. www.testshire.police.example."


def test_the_page_shows_its_card_in_link_previews(built):
    _, out = built
    meta = head(out, "main/northfield/news/cyfarfod/index.html")
    assert meta["og:image"] == "https://www.testshire.police.example/northfield/news/cyfarfod/card.png"
    assert meta["og:image:alt"] == f"{WELSH}. Oldtown neighbourhood team. Testshire Police."
    assert (meta["og:image:type"], meta["og:image:width"], meta["og:image:height"]) == ("image/png", "1200", "630")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    # An LPU on its own address: the card is on that site.
    meta = head(out, "riverside/news/marina-patrols/index.html")
    assert meta["og:image"] == "https://riverside.testshire.police.example/news/marina-patrols/card.png"
    assert (out / "riverside/news/marina-patrols/card.png").is_file()


def test_every_og_image_is_a_file_of_the_build(built):
    _, out = built
    bases = {"main": "https://www.testshire.police.example/", "riverside": "https://riverside.testshire.police.example/"}
    cards = 0
    for page in sorted(out.rglob("index.html")):
        src = head(out, str(page.relative_to(out))).get("og:image")
        if src is None:
            continue
        site = next(s for s, base in bases.items() if src.startswith(base))
        assert (out / site / src.removeprefix(bases[site])).is_file(), f"{page}: {src}"
        cards += src.endswith("/card.png")
    assert cards >= 15


def test_every_social_feed_item_has_an_image_and_its_alt(built):
    _, out = built
    bases = {"https://www.testshire.police.example/": "main", "https://riverside.testshire.police.example/": "riverside"}
    items = {}
    for feed in sorted(out.glob("*/social/*.json")):
        for item in json.loads(feed.read_text(encoding="utf-8"))["items"]:
            assert item["image"].startswith("https://"), item["id"]
            assert item["_wmpsite"]["post"]["image_alt"], item["id"]
            base = next(b for b in bases if item["image"].startswith(b))
            with Image.open(out / bases[base] / item["image"].removeprefix(base)) as picture:
                assert picture.format == "JPEG"
            items[item["id"].rsplit(":", 1)[-1]] = (item["image"], item["_wmpsite"]["post"]["image_alt"])
    assert items["news/cyfarfod"] == ("https://www.testshire.police.example/northfield/news/cyfarfod/card.jpg",
                                      f"{WELSH}. Oldtown neighbourhood team. Testshire Police.")
    # Its own JPEG, with its own alt text.
    assert items["news/autumn-patrols"] == ("https://www.testshire.police.example/images/gallery/autumn-wood.jpg",
                                            "A wood in autumn")
    # An SVG of its own is no use to Instagram: the card.
    assert items["news/bike-marking"][0].endswith("/news/bike-marking/card.jpg")
    # The news that an appeal ended: no card of the ended appeal, but its LPU's.
    assert items["appeal/missing-man-mill-end/resolved"] == (
        "https://www.testshire.police.example/northfield/card.jpg", "Northfield. Testshire Police.")


def test_only_a_card_that_a_post_shows_has_its_jpeg(built):
    _, out = built
    bases = {"https://www.testshire.police.example/": "main", "https://riverside.testshire.police.example/": "riverside"}
    shown = set()
    for feed in sorted(out.glob("*/social/*.json")):
        for item in json.loads(feed.read_text(encoding="utf-8"))["items"]:
            base = next(b for b in bases if item["image"].startswith(b))
            shown.add(out / bases[base] / item["image"].removeprefix(base))
    jpegs = set(out.rglob("card.jpg"))
    assert jpegs and jpegs <= shown
    # Items in no account's feed: their page's card, and no JPEG of it.
    for page in ("main/northfield/events/2026-12-05-market-surgery", "main/northfield/teams/oldtown",
                 "main/northfield/priorities/speeding", "main/about-us", "riverside/teams/quayside"):
        assert (out / page / "card.png").is_file(), page
        assert not (out / page / "card.jpg").exists(), page
    # The ended appeal's news shows its LPU's card, though the LPU itself is in no feed.
    assert (out / "main/northfield/card.jpg").is_file()


def test_the_json_ld_of_an_item_shows_its_card_with_its_size(built):
    _, out = built
    pixels = lambda n: {"@type": "QuantitativeValue", "value": n, "unitCode": "E37"}  # E37: pixels
    card = lambda page: [{"@type": "ImageObject", "url": f"https://www.testshire.police.example/{page}card.png",
                          "width": pixels(1200), "height": pixels(630)}]
    [article] = blocks((out / "main/northfield/news/cyfarfod/index.html").read_bytes())
    assert json.loads(article)["image"] == card("northfield/news/cyfarfod/")
    [event] = blocks((out / "main/northfield/events/2026-12-05-market-surgery/index.html").read_bytes())
    assert json.loads(event)["image"] == card("northfield/events/2026-12-05-market-surgery/")
    # Its own picture first; an item that has ended has no card: the force's share image, which this
    # force has not got.
    [own] = blocks((out / "main/news/autumn-patrols/index.html").read_bytes())
    assert json.loads(own)["image"] == ["https://www.testshire.police.example/images/gallery/autumn-wood.jpg"]
    [over] = blocks((out / "main/northfield/events/2026-10-01-oldtown-beat-surgery-at-mill-end/index.html").read_bytes())
    assert "image" not in json.loads(over)
    [ended] = blocks((out / "main/northfield/appeals/missing-man-mill-end/index.html").read_bytes())
    assert "image" not in json.loads(ended)


def test_an_ended_item_gets_no_card(built):
    _, out = built
    assert not list((out / "main/northfield/appeals/missing-man-mill-end").glob("card.*"))   # resolved appeal
    assert (out / "main/alerts/riverside-flooding/index.html").is_file()
    assert not list((out / "main/alerts/riverside-flooding").glob("card.*"))   # an alert that has ended
    assert not list((out / "main/events/2026-11-10-web-chat-with-the-chief-constable").glob("card.*"))  # over
    assert (out / "main/alerts/high-street-closed/card.png").is_file()  # an alert that is on has one
    meta = head(out, "main/northfield/appeals/missing-man-mill-end/index.html")
    assert not meta.get("og:image", "").endswith("/card.png")
    assert "no longer available" in (out / "main/old-campaign/index.html").read_text(encoding="utf-8")
    assert not list((out / "main/old-campaign").glob("card.*"))   # unpublished
    assert "Quillwort" not in (out / "main/old-campaign/index.html").read_text(encoding="utf-8")


def test_the_same_input_gives_the_same_cards_serial_or_parallel(built, tmp_path):
    site, out = built
    again = tmp_path / "again"
    pipeline.build(site, again, now=dt.datetime.fromisoformat(NOW), cache=False, jobs=2)
    cards = sorted(p.relative_to(out) for p in out.rglob("card.*"))
    assert len(cards) >= 30
    assert sorted(p.relative_to(again) for p in again.rglob("card.*")) == cards
    for rel in cards:
        assert (out / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_a_cached_card_is_the_card_drawn_again(built, tmp_path, monkeypatch):
    site, out = built
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    first, second = tmp_path / "first", tmp_path / "second"
    pipeline.build(site, first, now=dt.datetime.fromisoformat(NOW))
    drawn = []
    monkeypatch.setattr(card_image, "render", lambda *a: drawn.append(a) or pytest.fail("drawn again"))
    pipeline.build(site, second, now=dt.datetime.fromisoformat(NOW))
    assert drawn == []
    for card in out.rglob("card.*"):
        rel = card.relative_to(out)
        assert (first / rel).read_bytes() == (second / rel).read_bytes() == card.read_bytes()


def test_the_force_colours_come_from_site_toml(tmp_path):
    text = (GOLDEN / "site.toml").read_text(encoding="utf-8").replace(
        'name = "Testshire Police"', 'name = "Testshire Police"\ncolour = "#1e6b35"\naccent_colour = "#f0f0f0"', 1)
    site = copy_site(GOLDEN, tmp_path / "site", {"site.toml": text})
    out = tmp_path / "out"
    pipeline.build(site, out, now=dt.datetime.fromisoformat(NOW), cache=False)
    with Image.open(out / "main/news/new-chief/card.png") as card:
        rgb = card.convert("RGB")
        assert rgb.getpixel((1190, 20)) == (0x1e, 0x6b, 0x35)
        assert rgb.getpixel((5, 315)) == (0xf0, 0xf0, 0xf0)
    assert 'name="theme-color" content="#1e6b35"' in (out / "main/index.html").read_text(encoding="utf-8")


def test_text_reads_on_a_light_colour():
    ground, text, accent = card_image.inks(Colours("#ffdd00", "#ffffff"))
    assert card_image.contrast(ground, text) >= 7 and text != (255, 255, 255)
    assert accent == text  # white on yellow would not read: the owner's name takes the text's ink


@pytest.mark.parametrize("letter", ["ŵ", "ŷ", "â", "Ŵ", "Ŷ"])
def test_welsh_letters_are_drawn_not_boxes(letter):
    font = card_image._font(84)
    missing = font.getmask("\ue000")  # a private-use character no font has: the 'missing glyph' box
    drawn = font.getmask(letter)
    assert drawn.size != missing.size or bytes(drawn) != bytes(missing)
    bare = unicodedata.normalize("NFD", letter)[0]  # the letter without its accent
    colours = Colours("#0b2f5b", "#ffdd00")
    plain = card_image.draw(CardWords(f"Cwm {bare}", None, "T"), colours)
    accented = card_image.draw(CardWords(f"Cwm {letter}", None, "T"), colours)
    assert ImageChops.difference(plain, accented).getbbox() is not None


def test_a_combining_accent_draws_as_the_composed_letter():
    colours = Colours("#0b2f5b", "#ffdd00")
    composed = card_image.render(CardWords("Tŷ Ŵyn", None, "Heddlu"), colours)
    combining = card_image.draw(CardWords("Ty\u0302 W\u0302yn", None, "Heddlu"), colours)
    assert ImageChops.difference(card_image.draw(CardWords("Tŷ Ŵyn", None, "Heddlu"), colours),
                                 combining).getbbox() is None
    assert Image.open(io.BytesIO(composed["png"])).size == (1200, 630)


def test_a_long_title_wraps_and_ends_with_an_ellipsis():
    width = 1200 - 20 - 2 * 72 + 12
    size, lines = card_image.title_lines(" ".join(["neighbourhood"] * 40), width)
    assert size == card_image.TITLE_SIZES[-1][0] and len(lines) == card_image.TITLE_SIZES[-1][1]
    assert lines[-1].endswith("…")
    assert all(card_image._font(size).getlength(line) <= width for line in lines)
    size, lines = card_image.title_lines("Speed checks", width)
    assert (size, lines) == (card_image.TITLE_SIZES[0][0], ["Speed checks"])
    # One word wider than the card is broken, not drawn off its edge.
    size, lines = card_image.title_lines("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch", width)
    assert len(lines) >= 2 and all(card_image._font(size).getlength(line) <= width for line in lines)


def test_the_title_is_drawn_as_written_never_as_html():
    words = CardWords("Fish &amp; chips <b>night</b>", "Oldtown neighbourhood team", "Testshire Police")
    assert words.alt == "Fish &amp; chips <b>night</b>. Oldtown neighbourhood team. Testshire Police."
    with Image.open(io.BytesIO(card_image.render(words, Colours("#0b2f5b", "#ffdd00"))["png"])) as card:
        assert card.info["Description"] == words.alt
