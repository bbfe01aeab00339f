"""The helper kit of page builders: one object per build with the links, bodies, cards and shared views
that every page kind's context is built from. Plain data in, view records (present/views.py) out."""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass
from typing import Callable

from wmpsite.core import i18n
from wmpsite.core.phone import tel_href
from wmpsite.core.cache import body_key, digest
from wmpsite.core.config import Config
from wmpsite.core.model import Force, Lpu, NewsItem, Priority, Team
from wmpsite.core.parts import Contact, SocialAccount
from wmpsite.core.moment import Moment
from wmpsite.core.page import FORMATS, FeedSpec, PlannedPage
from wmpsite.core.queries import with_pages
from wmpsite.core.static import static_sources
from wmpsite.core.urls import MAIN, Location, Urls
from wmpsite.present.views import (
    NETWORK_NAMES,
    STATUS_LABELS,
    ActionView,
    ContactView,
    FeedLink,
    ImageView,
    Link,
    LpuView,
    NewsCard,
    Pagination,
    PriorityCard,
    SiteView,
    SocialView,
    StationView,
    TeamCard,
    in_language,
    page_numbers,
    when_date,
    when_time,
)


_MARKER = re.compile(r'(href|src)="wmp:((?:content|static)/[^"#]*)(#[^"]*)?"')
STYLESHEET = "css/site.css"
#: A force's own colours (and any other overrides), linked after the theme's stylesheet when it has one.
FORCE_STYLESHEET = "css/force.css"


@dataclass(frozen=True)
class _Lookups:
    """Indexes over the Force that context builders share (built once per render)."""

    lpus: dict[str, Lpu]
    teams: dict[tuple[str, str], Team]
    locations: dict[str, Location]       # content file -> where its page is
    stylesheet_version: str
    force_stylesheet_version: str | None  # None: the force has no css/force.css


class Kit:
    """What page builders build a page's context with: links, bodies with their links resolved, cards,
    and the views every page of a site or LPU shares (made once a build).

    The render stage (build/render.Renderer) is a Kit that also renders pages.
    """

    def __init__(self, config: Config, force: Force, urls: Urls, moment: Moment,
                 feeds: tuple[FeedSpec, ...] = (), footer: Callable[..., tuple] = lambda kit, lpu, site: (),
                 waiting: tuple = ()):
        self.config, self.force, self.urls = config, force, urls
        self.moment = moment  # pages never see the clock itself (moment.py)
        # The language of the pages this kit builds (a site in two languages will make a kit per language,
        # as `recording` makes one per page); its interface text is translated with that catalogue.
        self.language = config.force.language
        self.feeds = {spec.key: spec for spec in feeds}
        self.footer = footer  # the links every page's footer carries beside the standard ones
        self.waiting = {w.path: w for w in waiting}  # `serve` only: drafts and scheduled items it shows (schedule.py)
        self._lpu_views: dict[tuple[str, str], tuple[LpuView, list]] = {}
        self._site_views: dict[tuple[str, str | None], tuple[SiteView, list]] = {}
        self.shown: list | None = None  # the recorder of the one page this kit is for (recording)
        self.static = static_sources(config)
        css, own = self.static.get(STYLESHEET), self.static.get(FORCE_STYLESHEET)
        self.look = _Lookups(
            lpus={lpu.slug: lpu for lpu in force.lpus},
            teams={(t.lpu, t.slug): t for t in force.teams},
            locations={item.source.path: urls.of(item) for item in with_pages(force)},  # what checks.linkable allows
            stylesheet_version=hashlib.sha256(css.read_bytes()).hexdigest()[:10] if css else "0",
            force_stylesheet_version=hashlib.sha256(own.read_bytes()).hexdigest()[:10] if own else None,
        )


    def recording(self, shown: list) -> "Kit":
        """A copy of this kit for one page, which adds to `shown` each body the page shows, as
        (body key, digest of its HTML): reuse.py keeps a page whose bodies are unchanged. The copy
        shares the views made once a build."""
        other = copy.copy(self)
        other.shown = shown
        return other

    def but(self, **changes) -> "Kit":
        """A copy with some attributes changed (`serve`: new templates, an edited item) and the views
        made once per site forgotten."""
        other = copy.copy(self)
        for name, value in changes.items():
            setattr(other, name, value)
        other._lpu_views, other._site_views = {}, {}
        return other

    # Helpers ---------------------------------------------------------------------------
    def _(self, message: str, **values) -> str:
        """Interface text in the page's language: `r._("{lpu} news", lpu=lpu.name)`.

        Only for the interface: an editor's words are never looked up in the catalogue.
        """
        text = i18n.translations(self.language).gettext(message)
        return text.format(**values) if values else text

    def date_text(self, when) -> str:
        """A When's words in the page's language, for text that is not in a `<time>` (a JSON value, a sentence)."""
        return in_language(when, self.language)

    def link(self, location: Location, site: str) -> str:
        return self.urls.link(location, site)

    def body(self, item, site: str | None, field: str = "body") -> str:
        """The HTML of `item`'s converted Markdown (`field`: 'body', or an event's 'transcript'), its
        `wmp:` markers resolved to URLs for `site` (absolute URLs if None).

        A kit made by `recording` notes it as shown.
        """
        html = getattr(item, field).html
        if self.shown is not None:
            self.shown.append((body_key(item, field), digest(html)))

        def replace(match: re.Match) -> str:
            attr, target, fragment = match.group(1), match.group(2), match.group(3) or ""
            if target.startswith("static/"):
                path = target.removeprefix("static/")
                url = self.urls.static(path, site) if site else self.urls.sites[MAIN].base_url + path
            else:
                location = self.look.locations[target]
                url = self.link(location, site) if site else self.urls.absolute(location)
            return f'{attr}="{url}{fragment}"'
        return _MARKER.sub(replace, html)

    def preview(self, path: str | None) -> str | None:
        """For an editor's preview: why the item written in `path` is not on the public site yet, or None."""
        waiting = self.waiting.get(path) if path else None
        if waiting is None:
            return None
        if waiting.until is None:
            return "Draft: not on the public site" + (f" (with {waiting.because})" if waiting.because else "")
        return f"Not public until {when_time(waiting.until).text}"

    def feed_links(self, page: PlannedPage, site: str) -> tuple[FeedLink, ...]:
        """The feeds a page offers for autodiscovery: its site's news, and its team's feed."""
        keys = [f"lpu:{page.lpu}"] if page.lpu else ["news", "press-releases"]
        if page.kind == "team":
            keys.append(f"team:{page.lpu}/{page.team}")
        links = []
        for key in keys:
            spec = self.feeds.get(key)
            if spec:
                for name, label in (("rss.xml", "RSS"), ("atom.xml", "Atom")):
                    url = self.link(Location(spec.folder.site, spec.folder.path + name), site)
                    links.append(FeedLink(f"{spec.title} ({label})", url, FORMATS[name]))
        return tuple(links)

    def pagination(self, first: Location, page: PlannedPage, site: str) -> Pagination:
        """The pager of page `page.number` of a list whose first page is at `first`."""
        def url(n: int) -> str:
            return self.link(self.urls.paged(first, n), site)
        return Pagination(page.number, page.count, url(page.number - 1) if page.number > 1 else None,
                          url(page.number + 1) if page.number < page.count else None,
                          tuple(n and Link(str(n), url(n), n == page.number)
                                for n in page_numbers(page.number, page.count)))

    def social(self, accounts: tuple[SocialAccount, ...]) -> tuple[SocialView, ...]:
        return tuple(SocialView(NETWORK_NAMES[a.network], a.handle, a.url) for a in accounts)

    def contact(self, contact: Contact, social: tuple[SocialAccount, ...]) -> ContactView:
        return ContactView(
            phone=contact.phone, phone_href=tel_href(contact.phone) if contact.phone else None,
            email=contact.email,
            stations=tuple(StationView(s.name, s.address, s.opening_hours) for s in contact.stations),
            social=self.social(social))

    def news_card(self, news: NewsItem, site: str) -> NewsCard:
        place = None
        if news.lpu:
            lpu = self.look.lpus[news.lpu]
            place = Link(lpu.name, self.link(self.urls.of(lpu), site))
        image = ImageView(self.urls.static(news.image.src, site), news.image.alt) if news.image else None
        return NewsCard(news.title, self.link(self.urls.of(news), site), when_date(news.date), news.summary,
                        self._("Press release") if news.kind == "press-release" else self._("News"), place, image,
                        self.preview(news.source.path))

    def team_card(self, team: Team, site: str) -> TeamCard:
        return TeamCard(team.name, self.link(self.urls.of(team), site), team.summary, team.areas,
                        self.preview(team.source.path))

    def priority_card(self, priority: Priority, site: str) -> PriorityCard:
        team = self.look.teams[(priority.lpu, priority.team)]
        latest = max(priority.actions, key=lambda a: a.date, default=None)
        return PriorityCard(
            priority.title, self.link(self.urls.of(priority), site), priority.status,
            STATUS_LABELS[priority.status], when_date(priority.raised), when_date(priority.updated),
            priority.summary, Link(team.name, self.link(self.urls.of(team), site)),
            ActionView(when_date(latest.date), latest.text) if latest else None, self.preview(priority.source.path))

    def lpu_view(self, lpu: Lpu, site: str) -> LpuView:
        # the same on every page of the LPU: made once
        return self._once(self._lpu_views, (lpu.slug, site), lambda kit: kit._lpu_view(lpu, site))

    def _once(self, views: dict, key, make):
        """`views[key]`, made by `make(kit)` the first time, with the bodies it shows; each page that
        uses it shows those bodies too."""
        if key not in views:
            bodies: list = []
            views[key] = (make(self.recording(bodies)), bodies)
        view, bodies = views[key]
        if self.shown is not None:
            self.shown.extend(bodies)
        return view

    def _lpu_view(self, lpu: Lpu, site: str) -> LpuView:
        return LpuView(
            lpu.name, self.link(self.urls.of(lpu), site), lpu.summary, self.body(lpu, site),
            self.contact(lpu.contact, lpu.social),
            tuple(self.team_card(t, site) for t in self.force.teams if t.lpu == lpu.slug),
            self.link(self.urls.lpu_page(lpu.slug, "news/"), site),
            self.link(self.urls.lpu_page(lpu.slug, "priorities/"), site))

    def site_view(self, site: str, lpu: Lpu | None) -> SiteView:
        # the same on every page of a site: made once
        return self._once(self._site_views, (site, lpu.slug if lpu else None), lambda kit: kit._site_view(site, lpu))

    def _site_view(self, site: str, lpu: Lpu | None) -> SiteView:
        force = self.config.force
        home = self.urls.lpu_page(lpu.slug) if lpu else self.urls.main()
        return SiteView(
            force_name=force.name, short_name=force.short_name,
            title=f"{lpu.name} – {force.name}" if lpu else force.name,
            home_url=self.link(home, site), force_home_url=self.link(self.urls.main(), site),
            language=force.language, theme_colour=force.colour, emergency_number=force.emergency_number,
            non_emergency_number=force.non_emergency_number, textphone=force.textphone,
            report_online_url=force.report_online_url,
            report_url=self.setting_link(force.report_page, site) if force.report_page else force.report_online_url,
            accessibility_url=self.link(
                self.urls.lpu_page(lpu.slug, "accessibility/") if lpu and site != MAIN
                else self.urls.main("accessibility/"), site),
            a_z_url=self.link(self.urls.main("a-z/"), site),
            stylesheet_url=self.urls.static(STYLESHEET, site) + f"?v={self.look.stylesheet_version}",
            force_stylesheet_url=(self.urls.static(FORCE_STYLESHEET, site) + f"?v={self.look.force_stylesheet_version}"
                                  if self.look.force_stylesheet_version else None),
            favicon_url=self.urls.static("favicon.svg", site),
            logo_url=self.urls.static(force.logo, site) if force.logo else None,
            social=self.social(force.social),
            social_directory_url=self.link(  # the LPU's directory on its pages, else the force's
                self.urls.lpu_page(lpu.slug, "social-media/") if lpu else self.urls.main("social-media/"), site),
            engagement=self.footer(self, lpu, site),
            footer_links=tuple(Link(link.text, self.setting_link(link.url, site)) for link in force.footer_links))

    def setting_link(self, url: str, site: str) -> str:
        """A link set in site.toml, for a page of `site`: a path ('/privacy/') is on the main site."""
        return self.link(self.urls.main(url.lstrip("/")), site) if url.startswith("/") else url

    def nav(self, page: PlannedPage, site: str, lpu: Lpu | None) -> tuple[Link, ...]:
        if lpu:
            entries = [(self._("Local home"), self.urls.lpu_page(lpu.slug), ("lpu-home",)),
                       (self._("Local news"), self.urls.lpu_page(lpu.slug, "news/"), ("news-list", "article")),
                       (self._("Priorities"), self.urls.lpu_page(lpu.slug, "priorities/"),
                        ("priorities", "priority", "priorities-archive")),
                       # the LPU's appeals list (appeals.list_location), as the main site has
                       (self._("Appeals"), self.urls.lpu_page(lpu.slug, "appeals/"), ("appeals", "appeal")),
                       (self._("Events"), self.urls.lpu_page(lpu.slug, "events/"), ("events", "event")),
                       (self._("Find your team"), self.urls.main("find-your-team/"), ("find-team",))]
        else:
            entries = [(self._("Home"), self.urls.main(), ("home",)),
                       (self._("News"), self.urls.main("news/"), ("news-list", "article")),
                       (self._("Crime prevention"), self.urls.main("advice/"), ("advice-list", "advice")),
                       (self._("Appeals"), self.urls.main("appeals/"), ("appeals", "appeal")),
                       (self._("Events"), self.urls.main("events/"), ("events", "event")),
                       (self._("Local policing A to Z"), self.urls.main("a-z/"), ("a-z",))]
        entries.append((self._("Search"), self.urls.main("search/"), ("search",)))  # on every site
        return tuple(Link(text, self.link(loc, site), page.kind in kinds) for text, loc, kinds in entries)

