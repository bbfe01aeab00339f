"""RSS 2.0, Atom and JSON Feed 1.1 for news, press releases, LPUs, teams and tags, driven by FeedSpecs.

Every feed has a stable id per item (a tag URI from the publication date and
slug, so editing or moving an item never changes it), dates from the content
rather than the clock, and full HTML content with absolute links. Titles,
summaries and names are plain text in every format: RSS readers read its
<title> and <description> as HTML, so there they are escaped once more.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from html import escape
from typing import Callable
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from wmpsite.core.config import Config
from wmpsite.core.errors import making
from wmpsite.core.model import Alert, AppealNotice, Force, Priority, Question
from wmpsite.core.page import FORMATS, FeedSpec
from wmpsite.core.queries import by_team, local_news_of
from wmpsite.core.urls import Location, Urls

#: The JSON Feed version our feeds and social feeds declare, and `post` expects.
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def plan_feeds(config: Config, force: Force, urls: Urls) -> tuple[FeedSpec, ...]:
    """The news feeds of every site, in a stable order: the force's news and press releases, each LPU's
    news, each team's news and priorities, each tag's news (the other kinds add theirs: build/kinds.py)."""
    limit = config.build.feed_items
    name = config.force.name
    force_news = tuple(n for n in force.news if n.lpu is None)
    specs = [
        FeedSpec("news", urls.main("feeds/news/"), f"{name}: news",
                 f"All news and press releases from {name}.", urls.main("news/"), force_news[:limit]),
        FeedSpec("press-releases", urls.main("feeds/press-releases/"), f"{name}: press releases",
                 f"Press releases from {name}.", urls.main("news/"),
                 tuple(n for n in force_news if n.kind == "press-release")[:limit]),
    ]
    for lpu in force.lpus:
        specs.append(FeedSpec(f"lpu:{lpu.slug}", urls.lpu_page(lpu.slug, "feeds/news/"), f"{lpu.name} news",
                              f"Local news from {lpu.name}, {name}.", urls.lpu_page(lpu.slug, "news/"),
                              local_news_of(force, lpu.slug)[:limit]))
    team_items = by_team((*force.news, *force.priorities))  # one pass, not one per team: `serve` re-plans
    for team in force.teams:
        items = list(team_items.get((team.lpu, team.slug), ()))
        items.sort(key=lambda i: (-_timestamp(i, config), i.slug))
        specs.append(FeedSpec(f"team:{team.lpu}/{team.slug}", urls.lpu_page(team.lpu, f"feeds/teams/{team.slug}/"),
                              f"{team.name} neighbourhood team",
                              f"News and priorities from the {team.name} neighbourhood team, {name}.",
                              urls.of(team), tuple(items[:limit])))
    tagged: dict[str, list] = {}
    for news in force.news:
        for tag in dict.fromkeys(news.tags):
            tagged.setdefault(tag, []).append(news)
    for tag in sorted(tagged):
        specs.append(FeedSpec(f"tag:{tag}", urls.main(f"feeds/tags/{tag}/"), f"{name}: {tag.replace('-', ' ')}",
                              f"News from {name} about {tag.replace('-', ' ')}.", urls.main("news/"),
                              tuple(tagged[tag][:limit])))
    return tuple(specs)


def _timestamp(item, config: Config) -> float:
    if isinstance(item, Priority):
        return _local_day(item.updated, config).timestamp()
    return item.date.timestamp()


def _local_day(day: dt.date, config: Config) -> dt.datetime:
    """The start of a priority's date (raised, updated) in the force's time zone."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=config.tz)


def item_id(item, urls: Urls) -> str:
    """A stable id: tag URI from the force's host, the first publication date and the slug."""
    host = urlsplit(urls.sites["main"].base_url).hostname
    if isinstance(item, Priority):
        return f"tag:{host},{item.raised.isoformat()}:priority/{item.slug}"
    if isinstance(item, AppealNotice):  # the news that an appeal ended is an item of its own
        stage = "" if item.stage == "appeal" else f"/{item.stage}"
        return f"tag:{host},{item.date.date().isoformat()}:appeal/{item.slug}{stage}"
    if isinstance(item, Alert):
        return f"tag:{host},{item.start.date().isoformat()}:alert/{item.slug}"
    if isinstance(item, Question):  # rate your local police
        return f"tag:{host},{item.asked.isoformat()}:question/{item.lpu or 'force'}/{item.slug}"
    return f"tag:{host},{item.date.date().isoformat()}:news/{item.slug}"


def render_feeds(config: Config, force: Force, urls: Urls, specs: tuple[FeedSpec, ...],
                 absolute_html: Callable[[object], str]) -> dict[str, bytes]:
    """Render every spec in all three formats: {output file: bytes}.

    `absolute_html(item)` returns an item's body HTML with absolute links.
    """
    newest = max((_timestamp(n, config) for n in (*force.news, *force.priorities)), default=946684800.0)
    fallback = dt.datetime.fromtimestamp(newest, config.tz)
    out: dict[str, bytes] = {}
    for spec in specs:
        entries = []
        for item in spec.items:
            with making(f"the feed {spec.folder.file}", item.source.path):
                entries.append(_Entry.of(item, urls, config, absolute_html))
        updated = max((e.updated for e in entries), default=fallback)
        feed_url = urls.absolute(spec.folder)
        page_url = urls.absolute(spec.page)
        for name in FORMATS:
            where = Location(spec.folder.site, spec.folder.path + name)
            if name == "feed.json":
                data = _json_feed(spec, entries, feed_url + name, page_url, config)
            else:
                fg = _feedgen(spec, entries, updated, feed_url + name, page_url, config, rss=name == "rss.xml")
                data = fg.rss_str(pretty=True) if name == "rss.xml" else fg.atom_str(pretty=True)
            out[where.file] = data
    return out


@dataclass(frozen=True)
class _Entry:
    id: str
    url: str
    title: str
    summary: str
    html: str
    published: dt.datetime
    updated: dt.datetime
    tags: tuple[str, ...]
    image: str | None

    @classmethod
    def of(cls, item, urls: Urls, config: Config, absolute_html) -> "_Entry":
        url = urls.absolute(urls.of(item))
        if isinstance(item, Priority):
            status = {"open": "open", "in-progress": "in progress", "resolved": "resolved"}[item.status]
            return cls(item_id(item, urls), url, f"Priority ({status}): {item.title}", item.summary,
                       absolute_html(item), _local_day(item.raised, config), _local_day(item.updated, config),
                       (), None)
        if isinstance(item, Alert):  # a major-incident message, first in the feed while active
            from wmpsite.present.views import SEVERITY_LABELS
            return cls(item_id(item, urls), url, f"{SEVERITY_LABELS[item.severity]}: {item.title}",
                       item.summary or item.title, absolute_html(item), item.start, item.updated or item.start,
                       (), None)
        image = urls.sites[urls.of(item).site].base_url + item.image.src if item.image else None
        return cls(item_id(item, urls), url, item.title, item.summary, absolute_html(item), item.date,
                   item.updated or item.date, item.tags, image)


def _feedgen(spec: FeedSpec, entries: list[_Entry], updated: dt.datetime, feed_url: str, page_url: str,
             config: Config, rss: bool) -> FeedGenerator:
    def text(value: str) -> str:
        """Plain text as the format reads it: RSS readers take HTML, Atom's default type is text."""
        return escape(value, quote=False) if rss else value

    fg = FeedGenerator()
    fg.id(feed_url)
    fg.title(text(spec.title))
    fg.description(text(spec.description))  # feedgen: RSS <description> and Atom <subtitle>
    fg.link(href=feed_url, rel="self")
    fg.link(href=page_url, rel="alternate")  # feedgen gives RSS's <link> the last link set
    fg.language(config.force.language)
    fg.author({"name": config.force.name})
    fg.generator("wmpsite")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    # feedgen prepends entries; add oldest first so the feed reads newest first.
    for entry in reversed(entries):
        fe = fg.add_entry()
        fe.id(entry.id)
        fe.guid(entry.id, permalink=False)
        fe.title(text(entry.title))
        fe.link(href=entry.url)
        fe.summary(text(entry.summary))
        fe.content(entry.html, type="html")
        fe.published(entry.published)
        fe.updated(entry.updated)
        for tag in entry.tags:
            fe.category(term=tag, label=tag.replace("-", " "))
    return fg


def _json_feed(spec: FeedSpec, entries: list[_Entry], feed_url: str, page_url: str, config: Config) -> bytes:
    feed = {
        "version": JSON_FEED_VERSION,
        "title": spec.title,
        "home_page_url": page_url,
        "feed_url": feed_url,
        "description": spec.description,
        "language": config.force.language,
        "authors": [{"name": config.force.name}],
        "items": [{
            "id": e.id, "url": e.url, "title": e.title, "summary": e.summary, "content_html": e.html,
            "date_published": e.published.isoformat(), "date_modified": e.updated.isoformat(),
            **({"tags": list(e.tags)} if e.tags else {}), **({"image": e.image} if e.image else {}),
        } for e in entries],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
