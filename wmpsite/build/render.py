"""Render the plan into bytes: the Jinja environment and one context builder per page kind."""

from __future__ import annotations

import copy
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from wmpsite import __version__
from wmpsite.core import parallel
from wmpsite.build import reuse
from wmpsite.present import structured
from wmpsite.features import alerts
from wmpsite.core.config import Config
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.outputs.feeds import FORMATS, render_feeds
from wmpsite.core.page import FeedSpec
from wmpsite.core.static import static_sources
from wmpsite.core.moment import Moment
from wmpsite.core.queries import with_pages
from wmpsite.outputs.sitemap import render_sitemaps
from wmpsite.core.page import Task
from wmpsite.core.model import Contact, Force, Lpu, NewsItem, Priority, SocialAccount, Team
from wmpsite.core.page import PlannedPage
from wmpsite.core.urls import MAIN, Location, Urls
from wmpsite.present.views import (
    NETWORK_NAMES,
    STATUS_LABELS,
    ActionView,
    BuildView,
    ContactView,
    FeedLink,
    ImageView,
    Link,
    LpuView,
    NewsCard,
    PageView,
    Pagination,
    PriorityCard,
    SiteView,
    SocialView,
    StationView,
    TeamCard,
    page_numbers,
    when_date,
)

_MARKER = re.compile(r'(href|src)="wmp:((?:content|static)/[^"#]*)(#[^"]*)?"')
STYLESHEET = "css/site.css"


def make_environment(templates: list[Path]) -> jinja2.Environment:
    """A Jinja environment where a missing variable fails the build instead of vanishing."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # a build's templates do not change; `serve` makes a new environment when they do
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class _Lookups:
    """Indexes over the Force that context builders share (built once per render)."""

    lpus: dict[str, Lpu]
    teams: dict[tuple[str, str], Team]
    locations: dict[str, Location]       # content file -> where its page is
    stylesheet_version: str


class Renderer:
    """Turns planned pages into HTML bytes for one build."""

    def __init__(self, config: Config, force: Force, urls: Urls, moment: Moment,
                 feeds: tuple[FeedSpec, ...] = (), env: jinja2.Environment | None = None):
        self.config, self.force, self.urls = config, force, urls
        self.moment = moment  # pages never see the clock itself (moment.py)
        self.feeds = {spec.key: spec for spec in feeds}
        self.builders = builders()
        self._lpu_views: dict[tuple[str, str], tuple[LpuView, list]] = {}
        self._site_views: dict[tuple[str, str | None], tuple[SiteView, list]] = {}
        self._shown: list | None = None  # while a page renders: the bodies it shows (reuse.py)
        self.env = env or make_environment(config.layers("templates"))  # `serve` keeps one until templates change
        self.static = static_sources(config)
        css = self.static.get(STYLESHEET)
        self.look = _Lookups(
            lpus={lpu.slug: lpu for lpu in force.lpus},
            teams={(t.lpu, t.slug): t for t in force.teams},
            locations={item.source.path: urls.of(item) for item in with_pages(force)},  # what checks.linkable allows
            stylesheet_version=hashlib.sha256(css.read_bytes()).hexdigest()[:10] if css else "0",
        )

    def but(self, **changes) -> "Renderer":
        """A copy with some attributes changed (`serve`: new templates, an edited item) and the views
        made once per site forgotten."""
        other = copy.copy(self)
        for name, value in changes.items():
            setattr(other, name, value)
        other._lpu_views, other._site_views = {}, {}
        return other

    # Helpers ---------------------------------------------------------------------------
    def link(self, location: Location, site: str) -> str:
        return self.urls.link(location, site)

    def body(self, item, site: str | None, field: str = "body") -> str:
        """The HTML of `item`'s converted Markdown (`field`: 'body', or an event's 'transcript'), its
        `wmp:` markers resolved to URLs for `site` (absolute URLs if None).

        The page being rendered notes it as shown (reuse.py keeps a page whose bodies are unchanged).
        """
        html = getattr(item, field).html
        if self._shown is not None:
            self._shown.append((reuse.body_key(item, field), reuse.digest(html)))

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
            phone=contact.phone, phone_href=f"tel:{contact.phone.replace(' ', '')}" if contact.phone else None,
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
                        "Press release" if news.kind == "press-release" else "News", place, image)

    def team_card(self, team: Team, site: str) -> TeamCard:
        return TeamCard(team.name, self.link(self.urls.of(team), site), team.summary, team.areas)

    def priority_card(self, priority: Priority, site: str) -> PriorityCard:
        team = self.look.teams[(priority.lpu, priority.team)]
        latest = max(priority.actions, key=lambda a: a.date, default=None)
        return PriorityCard(
            priority.title, self.link(self.urls.of(priority), site), priority.status,
            STATUS_LABELS[priority.status], when_date(priority.raised), when_date(priority.updated),
            priority.summary, Link(team.name, self.link(self.urls.of(team), site)),
            ActionView(when_date(latest.date), latest.text) if latest else None)

    def lpu_view(self, lpu: Lpu, site: str) -> LpuView:
        # the same on every page of the LPU: made once
        return self._once(self._lpu_views, (lpu.slug, site), lambda: self._lpu_view(lpu, site))

    def _once(self, views: dict, key, make):
        """`views[key]`, made by `make()` the first time; each page that uses it shows its bodies."""
        if key not in views:
            outer, self._shown = self._shown, []
            try:
                views[key] = (make(), self._shown)
            finally:
                self._shown = outer
        view, shown = views[key]
        if self._shown is not None:
            self._shown.extend(shown)
        return view

    def _lpu_view(self, lpu: Lpu, site: str) -> LpuView:
        return LpuView(
            lpu.name, self.link(self.urls.of(lpu), site), lpu.summary, self.body(lpu, site),
            self.contact(lpu.contact, lpu.social),
            tuple(self.team_card(t, site) for t in self.force.teams if t.lpu == lpu.slug),
            self.link(self.urls.lpu_page(lpu.slug, "news/"), site),
            self.link(self.urls.lpu_page(lpu.slug, "priorities/"), site))

    # The page ----------------------------------------------------------------------------
    def render(self, page: PlannedPage, shown: list | None = None) -> bytes:
        """Render one planned page, or raise BuildFailed naming its content file and template.
        Each body the page shows is added to `shown` as (body key, digest of its HTML)."""
        template_name = f"{page.kind}.html"
        self._shown = shown
        try:
            context = self.context(page)
            html = self.env.get_template(template_name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise BuildFailed([ContentError(f"templates/{exc.name or template_name}",
                                            f"template error: {exc.message}", exc.lineno)]) from None
        except (jinja2.TemplateError, KeyError, AttributeError) as exc:
            where = page.source or page.location.file
            raise BuildFailed([ContentError(where, f"could not render with templates/{template_name}: {exc}",
                                            hint="this is a template problem; tell the site's developers")]) from None
        finally:
            self._shown = None
        return html.encode("utf-8")

    def context(self, page: PlannedPage) -> dict[str, Any]:
        """The template context: site, page, lpu, team, nav, build, and the kind's own names."""
        site = page.location.site
        lpu = self.look.lpus[page.lpu] if page.lpu else None
        team = self.look.teams[(page.lpu, page.team)] if page.team else None
        own, title, description, crumbs, image = self.builders[page.kind](self, page, site)
        home = self.urls.lpu_page(lpu.slug) if lpu else self.urls.main()
        if lpu:
            crumbs = (Link(self.config.force.name, self.link(self.urls.main(), site)),
                      Link(lpu.name, self.link(home, site)), *crumbs) if page.kind != "lpu-home" else \
                (Link(self.config.force.name, self.link(self.urls.main(), site)),)
        elif page.kind != "home":
            crumbs = (Link("Home", self.link(home, site)), *crumbs)
        site_title = f"{lpu.name} – {self.config.force.name}" if lpu else self.config.force.name
        head_title = title if page.kind in ("home",) else f"{title} – {site_title}"
        if page.kind == "lpu-home":
            head_title = site_title
        force = self.config.force
        if image is None and force.share_image:
            image = ImageView(self.urls.sites[site].base_url + force.share_image, force.share_image_alt or "")
        return {
            "site": self.site_view(site, lpu),
            "page": PageView(page.kind, title, head_title, description,
                             self.urls.absolute(page.location), tuple(crumbs), image,
                             self.feed_links(page, site),
                             structured_data=structured.page_data(self, page, site)),
            "lpu": self.lpu_view(lpu, site) if lpu else None,
            "team": self.team_card(team, site) if team else None,
            "nav": self.nav(page, site, lpu),
            "build": BuildView(f"wmpsite {__version__}", when_date(self.moment.date)),
            "alerts": alerts.banner(self, page.lpu, site),  # active major-incident messages
            **own,
        }

    def site_view(self, site: str, lpu: Lpu | None) -> SiteView:
        # the same on every page of a site: made once
        return self._once(self._site_views, (site, lpu.slug if lpu else None), lambda: self._site_view(site, lpu))

    def _site_view(self, site: str, lpu: Lpu | None) -> SiteView:
        from wmpsite.features.questions import footer_links  # rate your local police, photo of the day
        force = self.config.force
        home = self.urls.lpu_page(lpu.slug) if lpu else self.urls.main()
        return SiteView(
            force_name=force.name, short_name=force.short_name,
            title=f"{lpu.name} – {force.name}" if lpu else force.name,
            home_url=self.link(home, site), force_home_url=self.link(self.urls.main(), site),
            language=force.language, emergency_number=force.emergency_number,
            non_emergency_number=force.non_emergency_number, textphone=force.textphone,
            report_online_url=force.report_online_url,
            accessibility_url=self.link(
                self.urls.lpu_page(lpu.slug, "accessibility/") if lpu and site != MAIN
                else self.urls.main("accessibility/"), site),
            a_z_url=self.link(self.urls.main("a-z/"), site),
            stylesheet_url=self.urls.static(STYLESHEET, site) + f"?v={self.look.stylesheet_version}",
            favicon_url=self.urls.static("favicon.svg", site),
            social=self.social(force.social),
            social_directory_url=self.link(  # the LPU's directory on its pages, else the force's
                self.urls.lpu_page(lpu.slug, "social-media/") if lpu else self.urls.main("social-media/"), site),
            engagement=footer_links(self, lpu, site))

    def nav(self, page: PlannedPage, site: str, lpu: Lpu | None) -> tuple[Link, ...]:
        if lpu:
            entries = [("Local home", self.urls.lpu_page(lpu.slug), ("lpu-home",)),
                       ("Local news", self.urls.lpu_page(lpu.slug, "news/"), ("news-list", "article")),
                       ("Priorities", self.urls.lpu_page(lpu.slug, "priorities/"),
                        ("priorities", "priority", "priorities-archive")),
                       # the LPU's appeals list (appeals.list_location), as the main site has
                       ("Appeals", self.urls.lpu_page(lpu.slug, "appeals/"), ("appeals", "appeal")),
                       ("Events", self.urls.lpu_page(lpu.slug, "events/"), ("events", "event")),
                       ("Find your team", self.urls.main("find-your-team/"), ("find-team",))]
        else:
            entries = [("Home", self.urls.main(), ("home",)),
                       ("News", self.urls.main("news/"), ("news-list", "article")),
                       ("Crime prevention", self.urls.main("advice/"), ("advice-list", "advice")),
                       ("Appeals", self.urls.main("appeals/"), ("appeals", "appeal")),
                       ("Events", self.urls.main("events/"), ("events", "event")),
                       ("Local policing A to Z", self.urls.main("a-z/"), ("a-z",))]
        entries.append(("Search", self.urls.main("search/"), ("search",)))  # on every site
        return tuple(Link(text, self.link(loc, site), page.kind in kinds) for text, loc, kinds in entries)

def builders() -> dict:
    """Every page kind and the function that builds its context (the template is `<kind>.html`)."""
    from wmpsite.features import finder, pages
    from wmpsite.outputs import search
    from wmpsite.features import event_pages, priorities
    from wmpsite.features import accounts
    from wmpsite.features import appeals, gallery, questions

    return {
        "home": pages.home, "news-list": pages.news_list, "article": pages.article,
        "advice-list": pages.advice_list, "advice": pages.advice, "page": pages.page, "a-z": pages.a_z,
        "accessibility": pages.accessibility, "not-found": pages.not_found, "lpu-home": pages.lpu_home,
        "team": pages.team, "priorities": pages.priorities, "priority": pages.priority,
        "find-team": finder.page, "search": search.page,
        "events": event_pages.events_list, "event": event_pages.event,  # events
        "priorities-archive": priorities.priorities_archive,  # resolved priorities
        "social-directory": accounts.directory,  # social media directories
        "alert": alerts.page,  # a major-incident message's own page
        "gallery": gallery.gallery, "photo": gallery.photo,  # photo of the day
        "questions": questions.questions_list, "question": questions.question,  # rate your local police
        **appeals.BUILDERS,  # appeal, appeals, unpublished
    }


def render_tasks(config: Config, force: Force, plan: tuple[PlannedPage, ...], feeds: tuple[FeedSpec, ...],
                 urls: Urls, moment: Moment, *, jobs: int = 1, keep: frozenset[str] = frozenset()) -> list[Task]:
    """Every page, feed, calendar, index, sitemap and static copy of the build, as tasks for `write_tasks`;
    the pages whose files are in `keep` stay as the last build wrote them (reuse.kept).

    The one-off families come first so that they run beside the page slices
    rather than after them; pages go in slices small enough to share out evenly.
    """
    from wmpsite.outputs.calendar import render_calendars
    from wmpsite.features.finder import index_files

    renderer = Renderer(config, force, urls, moment, feeds)

    def render_pages(pages: tuple[PlannedPage, ...]) -> list[tuple[str, bytes, tuple]]:
        done, errors = [], []
        for page in pages:
            shown: list = []
            try:
                done.append((page.location.file, renderer.render(page, shown), tuple(sorted(set(shown)))))
            except BuildFailed as failed:
                errors.extend(failed.errors)
        if errors:
            raise BuildFailed(errors)
        return done

    def static_files():
        for name in force.static_files:
            data = renderer.static[name].read_bytes()
            for site in urls.sites:
                yield f"{site}/{name}", data

    tasks = [
        Task("sitemaps", lambda: render_sitemaps(config, force, plan, urls).items()),  # and robots.txt, per site
        Task("feeds", lambda: render_feeds(config, force, urls, feeds,
                                           lambda item: renderer.body(item, None)).items()),
        Task("calendars", lambda: render_calendars(config, force, urls).items()),  # .ics files
        Task("team finder", lambda: index_files(force, urls, moment)),  # find-your-team/teams.json
        Task("static files", static_files),
    ]
    pages = tuple(page for page in plan if page.location.file not in keep)
    size = parallel.chunk_size(len(pages), jobs, most=200)
    tasks.extend(Task("pages", functools.partial(render_pages, chunk), len(chunk))
                 for chunk in parallel.chunks(pages, size))
    return tasks
