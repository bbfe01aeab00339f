"""Responsive copies of gallery photos: resized JPEG and WebP, made with Pillow, cached.

Each copy is a pure function of the source bytes, its width and the format's
settings, so it is cached (wmpsite/core/cache.py) under a hash of exactly those plus
Pillow's version: a rebuild reads the bytes back and never decodes an image.
Copies carry no metadata (no EXIF, ICC or XMP) and fixed encoder settings, so
the same input always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

#: Widths (pixels) made of every photo that is at least that wide; the source's own width is always added.
WIDTHS = (320, 640, 960, 1440)
#: Encoder settings: part of the cache key, so changing one remakes every copy.
FORMATS = {
    "jpg": {"format": "JPEG", "quality": 80, "optimize": True, "progressive": True, "subsampling": "4:2:0"},
    "webp": {"format": "WEBP", "quality": 78, "method": 4},
}
VERSION = "1"  # bump when the resizing code changes in a way that changes bytes
FOLDER = "images/gallery/sizes/"


@dataclass(frozen=True)
class Variant:
    """One resized copy: its path under the site root, width, height and format ('jpg' or 'webp')."""

    path: str
    width: int
    height: int
    format: str


def widths_for(width: int) -> tuple[int, ...]:
    """The widths made of a photo `width` pixels wide, smallest first: WIDTHS below it, and its own."""
    top = min(width, WIDTHS[-1])
    return tuple(w for w in WIDTHS if w < top) + (top,)


def variants(slug: str, width: int, height: int) -> tuple[Variant, ...]:
    """Every copy of one photo, as plain data the pages and the image step share."""
    out = []
    for fmt in FORMATS:
        for w in widths_for(width):
            h = max(1, round(height * w / width))
            out.append(Variant(f"{FOLDER}{slug}-{w}.{fmt}", w, h, fmt))
    return tuple(out)


def cache_key(source: bytes, variant: Variant) -> str:
    """The key of one copy: the source's hash, the size, the format's settings and Pillow's version."""
    import PIL

    from wmpsite.core.cache import key_of
    return key_of("gallery-image", VERSION, PIL.__version__, hashlib.sha256(source).hexdigest(),
                  f"{variant.width}x{variant.height}", variant.format, repr(sorted(FORMATS[variant.format].items())))


def resize(source: bytes, variant: Variant) -> bytes:
    """Decode `source`, resize it to the variant's size and encode it without metadata."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(source)) as image:
        image = ImageOps.exif_transpose(image)  # honour the camera's rotation, then drop EXIF
        image = image.convert("RGB")
        if image.size != (variant.width, variant.height):
            image = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        clean = Image.new("RGB", image.size)  # a fresh image: nothing of the source's info or metadata
        clean.paste(image)
        buffer = io.BytesIO()
        clean.save(buffer, **FORMATS[variant.format])
        return buffer.getvalue()


def render_images(photos: Iterable, sources: dict[str, Path], sites: Iterable[str],
                  cache) -> Iterator[tuple[str, bytes]]:
    """Yield (output file, bytes) for every copy of every photo, on each site; resize only what is not cached.

    `photos` have `slug`, `photo.src`, `width` and `height`; `sources` maps paths under static/ to files.
    """
    sites = tuple(sites)
    wanted: list[tuple[Variant, str]] = []
    found: dict[str, bytes] = {}
    missing: list[tuple[str, str, Variant]] = []   # (key, path under static/, variant)
    for item in photos:
        source = sources[item.photo.src].read_bytes()
        for variant in variants(item.slug, item.width, item.height):
            key = cache_key(source, variant)
            wanted.append((variant, key))
            data = cache.get(key) if cache is not None else None
            if data is None:
                missing.append((key, item.photo.src, variant))
            else:
                found[key] = data

    made = {key: resize(sources[src].read_bytes(), variant) for key, src, variant in missing}
    if cache is not None and made:
        cache.put_many(sorted(made.items()))
    found.update(made)
    for variant, key in wanted:
        for site in sites:
            yield f"{site}/{variant.path}", found[key]


def pixel_size(path: Path) -> tuple[int, int]:
    """The (width, height) a photo shows at, after its EXIF rotation.

    It also decodes the photo (a JPEG at an eighth of its size, which is quick), so that a
    damaged or cut-off file fails `check` as it would fail the build's resizing.
    """
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
        image.draft("RGB", (1, 1))
        image.load()
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)
