"""The one place that maps an item to its site, output path and URL.

Every deployable site is a folder under the output directory: `main` for the
force's site, and an LPU's folder name for an LPU whose local site has its own
`base_url`. Other LPU sites live under the main site at `/<lpu>/`.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from urllib.parse import urlsplit

from wmpsite.core.model import (
    Advice, Alert, Appeal, AppealNotice, Event, Force, Lpu, NewsItem, Page, Photo, Priority, Question, Team,
)

MAIN = "main"


@dataclass(frozen=True)
class Site:
    """A separately deployable site: its name, address and output folder."""

    name: str        # 'main' or an LPU's folder name
    base_url: str    # always ends with '/'
    title: str

    @property
    def base_path(self) -> str:
        """The path part of base_url ('/' or '/wmp/'), which every internal link starts with."""
        return urlsplit(self.base_url).path or "/"


@dataclass(frozen=True)
class Location:
    """Where a page is: which site, and its path within that site ('' is the home page)."""

    site: str
    path: str

    @property
    def file(self) -> str:
        """The output file, relative to the output folder."""
        if self.path.endswith(".html") or self.path.endswith(".xml") or "." in self.path.rsplit("/", 1)[-1]:
            return f"{self.site}/{self.path}"
        return f"{self.site}/{self.path}index.html"


class Urls:
    """Locations and URLs for everything in a Force; `single_origin` folds every
    LPU site into the main site (used by `serve`, which has one address)."""

    def __init__(self, base_url: str, force_title: str, force: Force, single_origin: bool = False):
        self.sites: dict[str, Site] = {MAIN: Site(MAIN, _slashed(base_url), force_title)}
        self.lpu_site: dict[str, str] = {}
        self.lpu_prefix: dict[str, str] = {}
        for lpu in force.lpus:
            if lpu.base_url and not single_origin:
                self.sites[lpu.slug] = Site(lpu.slug, _slashed(lpu.base_url), lpu.name)
                self.lpu_site[lpu.slug], self.lpu_prefix[lpu.slug] = lpu.slug, ""
            else:
                self.lpu_site[lpu.slug], self.lpu_prefix[lpu.slug] = MAIN, f"{lpu.slug}/"

    # Locations of listing pages -------------------------------------------------
    def main(self, path: str = "") -> Location:
        return Location(MAIN, path)

    def lpu_page(self, lpu: str, path: str = "") -> Location:
        return Location(self.lpu_site[lpu], self.lpu_prefix[lpu] + path)

    def paged(self, first: Location, number: int) -> Location:
        """The location of page `number` (from 1) of a paginated list whose first page is `first`."""
        return first if number == 1 else Location(first.site, f"{first.path}page/{number}/")

    # Locations of content items -------------------------------------------------
    def of(self, item) -> Location:
        if isinstance(item, Page):
            return self.main(f"{item.slug}/")
        if isinstance(item, Advice):
            return self.main(f"advice/{item.slug}/")
        if isinstance(item, NewsItem):
            if item.lpu is None:
                return self.main(f"news/{item.slug}/")
            return self.lpu_page(item.lpu, f"news/{item.slug}/")
        if isinstance(item, Lpu):
            return self.lpu_page(item.slug)
        if isinstance(item, Team):
            return self.lpu_page(item.lpu, f"teams/{item.slug}/")
        if isinstance(item, Priority):
            return self.lpu_page(item.lpu, f"priorities/{item.slug}/")
        if isinstance(item, Event):
            return self.lpu_page(item.lpu, f"events/{item.slug}/") if item.lpu else self.main(f"events/{item.slug}/")
        if isinstance(item, Question):  # rate your local police
            where = f"rate-your-local-police/{item.slug}/"
            return self.lpu_page(item.lpu, where) if item.lpu else self.main(where)
        if isinstance(item, Alert):  # the full message, on the main site (alerts.plan_alerts)
            return self.main(f"alerts/{item.slug}/")
        if isinstance(item, Photo):
            return self.main(f"gallery/{item.slug}/")
        if isinstance(item, (Appeal, AppealNotice)):
            path = f"appeals/{item.slug}/"
            return self.lpu_page(item.lpu, path) if item.lpu else self.main(path)
        raise TypeError(f"no location for {type(item).__name__}")

    # URLs -------------------------------------------------------------------------
    def absolute(self, location: Location) -> str:
        """The full URL of a location, for canonical links, feeds and sitemaps."""
        return self.sites[location.site].base_url + _web_path(location.path)

    def link(self, location: Location, from_site: str) -> str:
        """The URL to use in a page of `from_site`: a path on the same site, else absolute."""
        if location.site == from_site:
            return self.sites[from_site].base_path + _web_path(location.path)
        return self.absolute(location)

    def static(self, path: str, from_site: str) -> str:
        """The URL of a file under static/, which every site carries."""
        return self.sites[from_site].base_path + path


def _slashed(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _web_path(path: str) -> str:
    return path.removesuffix("index.html")


def account_key(network: str, handle: str) -> str:
    """The feed's file name for an account: account_key('x', '@WMPolice') == 'x-wmpolice'."""
    return f"{network}-{re.sub(r'[^a-z0-9]+', '-', handle.lower()).strip('-')}"


#: Where a video plays once a resident asks for it (YouTube's privacy-enhanced mode).
EMBED_ORIGIN = "https://www.youtube-nocookie.com"
