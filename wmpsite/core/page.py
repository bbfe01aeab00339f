"""The plain records that pass from one stage to the next: a planned page, what its builder made of it,
a feed, a task of output files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, TypeVar

from wmpsite.core.urls import Location, Urls


@dataclass(frozen=True)
class PlannedPage:
    """One output page. `kind` names its template (`kind`.html)."""

    location: Location
    kind: str
    source: str | None = None      # the content file it shows, for error messages
    item: Any = None               # the model item it shows, if one
    lpu: str | None = None         # the LPU whose local site it belongs to
    team: str | None = None
    items: tuple = ()              # for lists: the items on this page
    number: int = 1                # for lists: this page's number, from 1
    count: int = 1                 # for lists: how many pages the list has


def paginate(urls: Urls, first: Location, kind: str, items: tuple, per_page: int, **extra) -> list[PlannedPage]:
    """The pages of a list of `items`, `per_page` to a page (one page when there are none): `first`,
    then `first`page/2/ and on."""
    count = max(1, -(-len(items) // per_page))
    return [PlannedPage(urls.paged(first, n), kind, items=items[(n - 1) * per_page:n * per_page],
                        number=n, count=count, **extra)
            for n in range(1, count + 1)]


C = TypeVar("C")


@dataclass(frozen=True)
class Built(Generic[C]):
    """What a page kind's builder makes of a planned page: the kind's own template names, and what the
    render stage needs to give the page the names every page gets (build/render.Renderer.context).

    `context` is a frozen dataclass, one per page kind, beside its builder: its fields are the names
    its template gets (docs/templates.md lists them, from those dataclasses). A builder says which in
    its return annotation, `-> Built[HomeContext]`.
    """

    context: C
    title: str                     # the page's own title (its h1); the <title> adds the site's name
    description: str               # for <meta name="description"> and link previews
    crumbs: tuple = ()             # breadcrumbs (Links) after the site's home and, on an LPU's site, the LPU
    image: Any = None              # the link-preview image (an ImageView), else the force's share image


@dataclass(frozen=True)
class ShareCard:
    """An item's share card (features/cards.py): the picture of its page in link previews (PNG) and
    of its posts (JPEG), 1200x630, and the card's words as their text alternative."""

    page: Location            # the page it is the card of
    png: Location
    jpg: Location             # written only where a post shows the card (outputs/social.posted_cards)
    alt: str                  # the card's words: title, owner, force
    width: int = 1200
    height: int = 630


#: The files of every feed and their media types.
FORMATS = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml",
           "feed.json": "application/feed+json"}


@dataclass(frozen=True)
class FeedSpec:
    """One feed: where it is written, what it is called, the page it mirrors, its items (newest first)."""

    key: str                  # e.g. 'news', 'press-releases', 'lpu:coventry', 'team:coventry/foleshill', 'tag:knife-crime'
    folder: Location          # rss.xml, atom.xml and feed.json are written here
    title: str
    description: str
    page: Location            # the HTML page with the same items
    items: tuple              # NewsItem or Priority


#: (relative path, bytes), and for a page the bodies it shows: (path, bytes, shown) (reuse.Entry.shown)
Files = Iterable[tuple[str, bytes] | tuple[str, bytes, tuple]]


@dataclass(frozen=True)
class Task:
    """Some of a build's output files: `make()` returns them as (relative path, bytes) pairs
    or raises BuildFailed. `pages` is how many planned pages they are, for the progress bar."""

    name: str
    make: Callable[[], Files]
    pages: int = 0
