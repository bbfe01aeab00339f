"""sitemap.xml and robots.txt for each separately deployable site.

Each site lists its own pages at absolute URLs on its own address, with `<lastmod>` taken from
the content's dates (never the clock, so builds stay reproducible) and without its 404 page. A
site with more URLs than one sitemap may hold (50,000, or 50 MB) gets `sitemap-1.xml`,
`sitemap-2.xml`, ... and `sitemap.xml` becomes their sitemap index, so robots.txt always names
`sitemap.xml`. Valid against the sitemaps.org 0.9 schemas (tests/schemas/sitemaps/).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable
from xml.sax.saxutils import escape

from wmpsite.core.config import Config
from wmpsite.core.model import Force
from wmpsite.core.page import PlannedPage
from wmpsite.core.urls import Location, Urls

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000                 # per sitemap file, sitemaps.org
MAX_BYTES = 50 * 1024 * 1024      # per sitemap file, uncompressed
#: Page kinds no search engine should list.
EXCLUDED_KINDS = frozenset({"not-found", "unpublished"})  # an unpublished address holds only a notice


@dataclass(frozen=True)
class Entry:
    """One URL of a sitemap, and when its page last changed (None: no content date to say)."""

    loc: str
    lastmod: dt.date | dt.datetime | None = None


def render_sitemaps(config: Config, force: Force, plan: Iterable[PlannedPage], urls: Urls, *,
                    max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> dict[str, bytes]:
    """sitemap.xml (and its parts, if it must be split) and robots.txt for every site: {output file: bytes}."""
    plan = tuple(plan)
    # A new item shifts every page of a paginated list: each page changed when the newest item came.
    lists: dict[tuple, list] = {}
    for page in plan:
        if page.count > 1:
            lists.setdefault(_list_key(page), []).extend(page.items)
    newest = {key: _newest(items) for key, items in lists.items()}  # once a list, not once a page of it
    dates = _Dates.of(force)
    per_site: dict[str, list[Entry]] = {name: [] for name in urls.sites}
    for page in plan:
        if page.kind in EXCLUDED_KINDS:
            continue
        lastmod = newest[_list_key(page)] if page.count > 1 else last_modified(config, dates, page)
        per_site[page.location.site].append(Entry(urls.absolute(page.location), lastmod))
    out: dict[str, bytes] = {}
    for name, entries in per_site.items():
        base = urls.sites[name].base_url
        out.update(_sitemap_files(name, base, entries, max_urls, max_bytes))
        if "robots.txt" not in force.static_files:  # a project's own static/robots.txt wins
            out[Location(name, "robots.txt").file] = robots_txt(base)
    return out


def robots_txt(base_url: str) -> bytes:
    """Let every crawler in, and name the site's sitemap."""
    return (f"# {base_url}\nUser-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n").encode("utf-8")


@dataclass(frozen=True)
class _Dates:
    """What team and LPU pages show besides their own item, indexed once: {(lpu, team) or lpu: items}."""

    of_team: dict[tuple[str, str], list]
    priorities_of_lpu: dict[str, list]

    @classmethod
    def of(cls, force: Force) -> "_Dates":
        of_team: dict[tuple[str, str], list] = {}
        of_lpu: dict[str, list] = {}
        for item in (*force.news, *force.priorities):
            if item.lpu and item.team:
                of_team.setdefault((item.lpu, item.team), []).append(item)
        for priority in force.priorities:
            of_lpu.setdefault(priority.lpu, []).append(priority)
        return cls(of_team, of_lpu)


def last_modified(config: Config, dates: _Dates, page: PlannedPage) -> dt.date | dt.datetime | None:
    """When a page's content last changed, from the dates of what it shows; None when nothing says."""
    item = page.item
    if page.kind == "accessibility":
        return config.accessibility.last_reviewed
    if page.kind == "team":  # its news and priorities
        return _newest(dates.of_team.get((item.lpu, item.slug), ()))
    if page.kind == "lpu-home":  # its news and its teams' priorities
        return _newest([*page.items, *dates.priorities_of_lpu.get(item.slug, ())])
    if item is not None:
        return _date_of(item)
    return _newest(page.items)


def _list_key(page: PlannedPage) -> tuple:
    return (page.kind, page.location.site, page.lpu, page.team, page.count)


def _date_of(item) -> dt.date | dt.datetime | None:
    """An item's own date: `updated` if it has one, else `date`."""
    updated = getattr(item, "updated", None)
    return updated if updated is not None else getattr(item, "date", None)


def _newest(items: Iterable) -> dt.date | dt.datetime | None:
    dates = [d for d in map(_date_of, items) if d is not None]
    return max(dates, key=_sort_key) if dates else None


def _sort_key(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)


def w3c_date(value: dt.date | dt.datetime) -> str:
    """A W3C Datetime (https://www.w3.org/TR/NOTE-datetime): '2025-03-14' or '2025-03-14T18:30:00+00:00'."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"a sitemap date needs a time zone: {value}")
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _url_element(entry: Entry) -> str:
    lastmod = f"<lastmod>{w3c_date(entry.lastmod)}</lastmod>" if entry.lastmod else ""
    return f"  <url><loc>{escape(entry.loc)}</loc>{lastmod}</url>\n"


_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n'
_TAIL = "</urlset>\n"


def _sitemap_files(site: str, base_url: str, entries: list[Entry], max_urls: int,
                   max_bytes: int) -> dict[str, bytes]:
    """One sitemap.xml, or sitemap-N.xml parts and a sitemap.xml index when one file would be too big."""
    parts: list[list[str]] = [[]]
    lastmods: list[list] = [[]]
    size = len(_HEAD) + len(_TAIL)
    for entry in entries:
        line = _url_element(entry)
        if parts[-1] and (len(parts[-1]) >= max_urls or size + len(line.encode("utf-8")) > max_bytes):
            parts.append([])
            lastmods.append([])
            size = len(_HEAD) + len(_TAIL)
        parts[-1].append(line)
        size += len(line.encode("utf-8"))
        if entry.lastmod:
            lastmods[-1].append(entry.lastmod)
    if len(parts) == 1:
        return {Location(site, "sitemap.xml").file: (_HEAD + "".join(parts[0]) + _TAIL).encode("utf-8")}
    out = {}
    index = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n']
    for number, (lines, dates) in enumerate(zip(parts, lastmods), start=1):
        name = f"sitemap-{number}.xml"
        out[Location(site, name).file] = (_HEAD + "".join(lines) + _TAIL).encode("utf-8")
        lastmod = f"<lastmod>{w3c_date(max(dates, key=_sort_key))}</lastmod>" if dates else ""
        index.append(f"  <sitemap><loc>{escape(base_url + name)}</loc>{lastmod}</sitemap>\n")
    index.append("</sitemapindex>\n")
    out[Location(site, "sitemap.xml").file] = "".join(index).encode("utf-8")
    return out
