"""Drawing a share card: 1200x630 pixels of the force's colour with an item's title, its owner and the
force's name, as PNG for pages and JPEG for the networks that take nothing else.

A card is a pure function of its words, the colours, the vendored font and Pillow, so it is cached
(wmpsite/core/cache.py) under a hash of exactly those. The font is carried in the package
(fonts/DejaVuSans-Bold.ttf, with its licence) and laid out with FreeType alone, never Raqm, so
the same words give the same pixels on every machine. The card's words are also written into the
file (PNG iTXt 'Description', JPEG comment): what the picture says is there as text, for anyone who
reads the file, and for the tests that search every output file for words that must not be there yet.
"""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

WIDTH, HEIGHT = 1200, 630
FONT = Path(__file__).parent / "fonts" / "DejaVuSans-Bold.ttf"
VERSION = "1"  # bump when the drawing changes in a way that changes bytes
#: Encoder settings: part of the cache key. The PNG is a palette of PALETTE colours (the inks and the
#: shades of their edges, `palette`), a third of the size of full colour. The JPEG keeps full colour
#: resolution (4:4:4): halving it (4:2:0) saves a quarter but smears the accent-coloured owner into the
#: background at every letter's edge. Quality 70 is a fifth smaller than 82 with the letters as sharp at
#: the size a feed shows them and the flat colours within 2 of their value; baseline, not progressive,
#: as every network's upload takes it.
FORMATS = {
    "png": {"format": "PNG", "compress_level": 6},
    "jpg": {"format": "JPEG", "quality": 70, "subsampling": "4:4:4", "optimize": True},
}
PALETTE = 64
MARGIN = 72
BAR = 20                     # the accent band down the left edge
#: The title's sizes (pixels) and how many lines each may take: the largest that fits wins. At a
#: phone's 390 px a card shows at about a third of its size, so even the smallest stays about 18 px.
TITLE_SIZES = ((84, 3), (68, 4), (56, 5))
OWNER_SIZE = 44
FORCE_SIZE = 40


@dataclass(frozen=True)
class Colours:
    """A card's colours, as '#rrggbb'."""

    background: str
    accent: str


@dataclass(frozen=True)
class CardWords:
    """What a card says: the item's title, its owner (a team or LPU, or None for the force's own) and the force."""

    title: str
    owner: str | None
    force: str                   # the force's name; on the force's own card, its site's address

    @property
    def alt(self) -> str:
        """The card's words as one text alternative: 'Title. Owner. Force.'"""
        parts = [self.title, *([self.owner] if self.owner and self.owner != self.title else []), self.force]
        return " ".join(p if p[-1:] in ".?!…" else p + "." for p in parts)


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """The WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def inks(colours: Colours) -> tuple[tuple, tuple, tuple]:
    """(background, text, accent text): white or near-black text, whichever reads better on the
    background, and the accent for the owner only where it keeps 4.5:1 against it."""
    ground = _rgb(colours.background)
    text = max(((255, 255, 255), (11, 12, 12)), key=lambda ink: contrast(ground, ink))
    accent = _rgb(colours.accent)
    return ground, text, accent if contrast(ground, accent) >= 4.5 else text


@functools.cache
def _font(size: int):
    from PIL import ImageFont
    return ImageFont.truetype(str(FONT), size, layout_engine=ImageFont.Layout.BASIC)


@functools.cache
def font_digest() -> str:
    return hashlib.sha256(FONT.read_bytes()).hexdigest()


def plain(text: str) -> str:
    """One line of text as a card draws it: composed accents (a 'w' and a combining circumflex become
    'ŵ', which the font has), and no line breaks, tabs or runs of spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def wrap(text: str, size: int, width: int, most: int) -> tuple[list[str], bool]:
    """Break `text` into lines of at most `width` pixels at `size`: (the first `most` lines, whether
    it fitted). A word wider than a line is broken where it must be."""
    font = _font(size)
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if font.getlength(trial) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:  # a very long word: as much as fits, then the rest
            cut = 1
            while cut < len(word) and font.getlength(word[:cut + 1]) <= width:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines[:most], len(lines) <= most


def ellipsised(line: str, size: int, width: int) -> str:
    """`line` cut at a word if it can be, with '…', to fit `width` pixels at `size`."""
    font = _font(size)
    while line and font.getlength(line + "…") > width:
        shorter = line.rsplit(" ", 1)[0] if " " in line else line[:-1]
        line = shorter.rstrip(" ,;:–-")
    return line + "…"


def title_lines(title: str, width: int) -> tuple[int, list[str]]:
    """The title's size and lines: the largest size at which it fits, else the smallest, ellipsised."""
    for size, most in TITLE_SIZES:
        lines, fitted = wrap(title, size, width, most)
        if fitted:
            return size, lines
    lines[-1] = ellipsised(lines[-1], size, width)
    return size, lines


def one_line(text: str, size: int, width: int) -> str:
    return text if _font(size).getlength(text) <= width else ellipsised(text, size, width)


def _shield(draw, x: int, y: int, height: int, ink) -> None:
    """The force's mark: a shield outline, as on its share image."""
    w = height * 0.8
    outer = [(x, y + height * 0.16), (x + w / 2, y), (x + w, y + height * 0.16), (x + w, y + height * 0.53),
             (x + w / 2, y + height), (x, y + height * 0.53)]
    draw.polygon(outer, outline=ink, width=max(3, height // 9))


def draw(words: CardWords, colours: Colours):
    """The card as a Pillow image (RGB, WIDTH x HEIGHT)."""
    from PIL import Image, ImageDraw

    ground, text, accent = inks(colours)
    image = Image.new("RGB", (WIDTH, HEIGHT), ground)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, BAR - 1, HEIGHT - 1), fill=_rgb(colours.accent))
    left, width = BAR + MARGIN - 12, WIDTH - BAR - 2 * MARGIN + 12
    y = 64
    owner = plain(words.owner) if words.owner else None
    if owner and owner != plain(words.title):
        pen.text((left, y), one_line(owner, OWNER_SIZE, width), font=_font(OWNER_SIZE), fill=accent)
        y += OWNER_SIZE + 36
    else:
        y += 16
    size, lines = title_lines(plain(words.title), width)
    leading = round(size * 1.15)
    for line in lines:
        pen.text((left, y), line, font=_font(size), fill=text)
        y += leading
    foot = HEIGHT - 64 - FORCE_SIZE
    pen.line((left, foot - 36, WIDTH - MARGIN, foot - 36), fill=text, width=2)
    _shield(pen, left, foot - 4, FORCE_SIZE + 8, text)
    pen.text((left + FORCE_SIZE + 24, foot), one_line(plain(words.force), FORCE_SIZE, width - FORCE_SIZE - 24),
             font=_font(FORCE_SIZE), fill=text)
    return image


def palette(colours: Colours):
    """A palette image of the card's colours: the background, each ink exactly, and PALETTE shades
    between the background and each ink (the edges of letters), so the PNG keeps the force's colours
    to the bit."""
    from PIL import Image

    ground, text, accent = inks(colours)
    targets = list(dict.fromkeys((text, accent, _rgb(colours.accent))))
    steps = (PALETTE - 1) // len(targets)
    shades = [ground] + [tuple(round(g + (i - g) * n / steps) for g, i in zip(ground, ink))
                         for ink in targets for n in range(1, steps + 1)]
    image = Image.new("P", (1, 1))
    image.putpalette([c for shade in shades for c in shade] + [0, 0, 0] * (256 - len(shades)))
    return image


def encode(image, words: CardWords, fmt: str, colours: Colours) -> bytes:
    """The image as `fmt` ('png' or 'jpg'), with the card's words as its description and nothing else."""
    from PIL import PngImagePlugin

    buffer = io.BytesIO()
    if fmt == "png":
        from PIL import Image
        info = PngImagePlugin.PngInfo()
        info.add_itxt("Description", words.alt, lang="", tkey="", zip=False)
        image.quantize(palette=palette(colours), dither=Image.Dither.NONE).save(buffer, pnginfo=info, **FORMATS[fmt])
    else:
        image.save(buffer, comment=words.alt.encode("utf-8"), **FORMATS[fmt])
    return buffer.getvalue()


def render(words: CardWords, colours: Colours) -> dict[str, bytes]:
    """The card in both formats: {'png': ..., 'jpg': ...}."""
    image = draw(words, colours)
    return {fmt: encode(image, words, fmt, colours) for fmt in FORMATS}


def cache_key(words: CardWords, colours: Colours) -> str:
    """The key of one card: its words, colours, the font's bytes, the drawing's version, Pillow's and
    FreeType's versions and the encoders' settings."""
    import PIL
    from PIL import features

    from wmpsite.core.cache import key_of
    return key_of("share-card", VERSION, PIL.__version__, str(features.version("freetype2")),
                  str(features.version("zlib")), str(features.version("jpg")), font_digest(),
                  words.title, words.owner or "", words.force, colours.background, colours.accent,
                  str(PALETTE), repr(sorted((k, sorted(v.items())) for k, v in FORMATS.items())))
