"""Photo of the day: the photos' sizes, the gallery's pages, their context, and the resized copies.

The gallery lives on the main site: /gallery/ (newest first, paginated) and a
page per photo at /gallery/<slug>/. Every photo is shown through <picture>
with WebP beside JPEG in several widths (wmpsite/features/images.py).
"""

from __future__ import annotations

from wmpsite.content import content_types as ct
from wmpsite.core.kind import Collection, Kind
import dataclasses
import functools
from dataclasses import dataclass
from typing import ClassVar

from wmpsite.features import images
from wmpsite.core.errors import ContentError
from wmpsite.core.model import Force, Photo
from wmpsite.core.page import Built, PlannedPage, Task, paginate
from wmpsite.core.urls import MAIN, Urls
from wmpsite.present.views import ImageView, Link, Pagination, When, when_date

PATH = "gallery/"
PER_PAGE = 24
#: How wide the photo is shown, for the browser to pick a copy (matches site.css).
LIST_SIZES = "(min-width: 48em) 20em, 100vw"
PAGE_SIZES = "(min-width: 60em) 56em, 100vw"


def measure(config, photos: list[Photo], errors: list) -> tuple[Photo, ...]:
    """The photos newest first, each with its pixel size; add an error for an unreadable file (a missing
    one is the loader's error, as for any image field)."""
    from wmpsite.core.static import static_sources

    sources = static_sources(config)
    out = []
    for photo in photos:
        path = sources.get(photo.photo.src)
        line = photo.source.line_of("photo")
        if path is None:
            continue  # the loader has reported it, at the line of 'src'
        try:
            width, height = images.pixel_size(path)
        except Exception:  # Pillow raises several types for a damaged or mislabelled file
            errors.append(ContentError(photo.source.path, f"'photo.src': static/{photo.photo.src} is not a photo "
                                       "the build can read", line, "save it again as a JPEG, PNG or WebP file"))
            continue
        out.append(dataclasses.replace(photo, width=width, height=height))
    return tuple(sorted(out, key=lambda p: (-p.date.toordinal(), p.slug)))


def location(urls: Urls, photo: Photo):
    return urls.of(photo)  # /gallery/<slug>/ (urls.py, the one place)


def plan_gallery(force: Force, urls: Urls) -> list[PlannedPage]:
    """The gallery's list pages, then a page per photo."""
    photos = force.photos
    if not photos:
        return []
    pages = paginate(urls, urls.main(PATH), "gallery", photos, PER_PAGE)
    pages += [PlannedPage(location(urls, p), "photo", p.source.path, p) for p in photos]
    return pages


# Views ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PictureView:
    """A responsive picture: `<source type="image/webp" srcset=webp>` then `<img src srcset=jpeg>`."""

    src: str          # the largest JPEG
    jpeg_srcset: str  # "url 320w, url 640w"
    webp_srcset: str
    width: int        # of the largest copy: sets the aspect ratio before it loads
    height: int
    alt: str
    sizes: str


@dataclass(frozen=True)
class PhotoCard:
    title: str
    url: str                            # its page
    date: When                          # its day
    caption: str
    credit: str | None                  # who took it, if named
    picture: PictureView
    preview: str | None = None          # only in `serve`: 'Draft' or 'Not public until ...' for an item that waits


def picture(r, photo: Photo, site: str, sizes: str) -> PictureView:
    variants = images.variants(photo.slug, photo.width, photo.height)

    def srcset(fmt: str) -> str:
        return ", ".join(f"{r.urls.static(v.path, site)} {v.width}w" for v in variants if v.format == fmt)
    largest = [v for v in variants if v.format == "jpg"][-1]
    return PictureView(r.urls.static(largest.path, site), srcset("jpg"), srcset("webp"), largest.width,
                       largest.height, photo.photo.alt, sizes)


def photo_card(r, photo: Photo, site: str, sizes: str = LIST_SIZES) -> PhotoCard:
    return PhotoCard(photo.title, r.link(location(r.urls, photo), site), when_date(photo.date), photo.caption,
                     photo.credit, picture(r, photo, site, sizes), r.preview(photo.source.path))


@dataclass(frozen=True)
class GalleryContext:
    WHERE: ClassVar[str] = "`/gallery/`, `/gallery/page/N/`"

    photos: tuple[PhotoCard, ...]          # this page's photos, newest first
    pagination: Pagination


@dataclass(frozen=True)
class PhotoContext:
    WHERE: ClassVar[str] = "`/gallery/<slug>/`"

    photo: PhotoCard                       # the photo, in the page's sizes
    body_html: str                         # its text: HTML made from the editor's Markdown (see below)
    newer: Link | None                     # the next newer photo, if one
    older: Link | None                     # the next older photo, if one
    gallery: Link                          # the gallery


def gallery(r, page: PlannedPage, site: str) -> Built[GalleryContext]:
    first = r.urls.main(PATH)
    pagination = r.pagination(first, page, site)
    title = "Photo of the day" + (f" (page {page.number} of {page.count})" if page.count > 1 else "")
    description = f"Photos of the places {r.config.force.name} polices, one a day, taken by our officers and staff."
    return Built(GalleryContext(tuple(photo_card(r, p, site) for p in page.items), pagination), title, description)


def photo(r, page: PlannedPage, site: str) -> Built[PhotoContext]:
    item: Photo = page.item
    photos = r.force.photos
    at = photos.index(item)
    newer = Link(photos[at - 1].title, r.link(location(r.urls, photos[at - 1]), site)) if at > 0 else None
    older = Link(photos[at + 1].title, r.link(location(r.urls, photos[at + 1]), site)) \
        if at + 1 < len(photos) else None
    card = photo_card(r, item, site, PAGE_SIZES)
    largest = card.picture
    share = images_view(r, largest)
    gallery_link = Link("Photo of the day", r.link(r.urls.main(PATH), site))
    return Built(PhotoContext(card, r.body(item, site), newer, older, gallery_link),
                 item.title, item.caption, (gallery_link,), share)


def images_view(r, picture: PictureView) -> ImageView:
    """The link-preview image of a photo page: its largest JPEG, absolute."""
    return ImageView(r.urls.sites[MAIN].base_url + picture.src.removeprefix(r.urls.sites[MAIN].base_path),
                     picture.alt)


# Output --------------------------------------------------------------------------------
def image_tasks(config, force: Force, cache_file) -> list[Task]:
    """One task per photo: its resized copies for the main site, reused from the cache at `cache_file`
    when there (None: no cache)."""
    from wmpsite.core.cache import Cache
    from wmpsite.core.static import static_sources

    sources = static_sources(config)

    def copies(photo: Photo) -> list[tuple[str, bytes]]:
        store = Cache(cache_file)
        try:
            return list(images.render_images((photo,), sources, (MAIN,), store))
        finally:
            store.close()

    return [Task(f"photo {photo.slug}", functools.partial(copies, photo)) for photo in force.photos]


KIND = Kind(
    "photo of the day",
    makers=((ct.PHOTO, lambda p: Photo(source=p.source, slug=p.slug(), body=p.body, **p.values)),),
    collections=(Collection("photos", (ct.PHOTO,)),),
    finish=lambda config, fields, errors: {"photos": measure(config, fields["photos"], errors)},  # pixel sizes
    plan=lambda config, force, urls, now: plan_gallery(force, urls),
    builders={"gallery": gallery, "photo": photo},
    tasks=lambda config, force, urls, moment, cache_file, social:  # resized copies
        image_tasks(config, force, cache_file),
)
