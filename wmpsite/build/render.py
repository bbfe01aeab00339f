"""Render the plan into bytes: the Jinja environment and one context builder per page kind."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from wmpsite import __version__
from wmpsite.core import i18n, parallel
from wmpsite.present import structured
from wmpsite.core.kind import Kind
from wmpsite.core.config import Config
from wmpsite.core.errors import BuildFailed, ContentError, making
from wmpsite.outputs.feeds import render_feeds
from wmpsite.core.page import Built, FeedSpec, PlannedPage, Task
from wmpsite.core.moment import Moment
from wmpsite.core.phone import tel_href
from wmpsite.present.kit import Kit
from wmpsite.outputs.sitemap import render_sitemaps
from wmpsite.core.model import Force
from wmpsite.core.urls import Urls
from wmpsite.present.views import (
    BuildView,
    ImageView,
    Link,
    PageContext,
    PageView,
    template_names,
    time_element,
    when_date,
)

def make_environment(templates: list[Path], language: str = "en-GB") -> jinja2.Environment:
    """A Jinja environment for pages in `language`, where a missing variable fails the build instead of vanishing.

    Its `_()`, `gettext` and `{% trans %}` translate the interface with that language's catalogue
    (core/i18n.py), newstyle, so `_("%(n)s results", n=n)` escapes what it puts in; one environment
    per language, so each page is rendered in its own.
    """
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # a build's templates do not change; `serve` makes a new environment when they do
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(i18n.translations(language), newstyle=True)
    env.globals["N_"] = i18n.N_  # text marked for the catalogue where a template names it, translated where it is shown
    # {{ event.start | when }}: every date, weekday first, in <time>, in the page's language
    env.filters["when"] = functools.partial(time_element, language=language)
    env.filters["tel"] = tel_href       # {{ site.textphone | tel }}: 'tel:' in E.164 for a number as written
    return env


class Renderer(Kit):
    """The render stage: turns planned pages into HTML bytes for one build, with the builders of the page
    kinds of `kinds` and the Jinja environment."""

    def __init__(self, config: Config, force: Force, urls: Urls, moment: Moment, kinds: tuple[Kind, ...],
                 feeds: tuple[FeedSpec, ...] = (), env: jinja2.Environment | None = None, waiting: tuple = ()):
        footers = tuple(kind.footer for kind in kinds if kind.footer)
        super().__init__(config, force, urls, moment, feeds,
                         footer=lambda kit, lpu, site: tuple(link for links in footers for link in links(kit, lpu, site)),
                         waiting=waiting)
        self.builders = {name: build for kind in kinds for name, build in kind.builders.items()}
        self.every_page = tuple(kind.every_page for kind in kinds if kind.every_page)  # the alert banner
        self.share_cards = tuple(kind.share_card for kind in kinds if kind.share_card)
        self.env = env or make_environment(config.layers("templates"), config.force.language)  # `serve` keeps one until templates change

    # The page ----------------------------------------------------------------------------
    def render(self, page: PlannedPage, shown: list | None = None) -> bytes:
        """Render one planned page, or raise BuildFailed naming its content file and template.
        Each body the page shows is added to `shown` as (body key, digest of its HTML)."""
        template_name = f"{page.kind}.html"
        kit = self.recording(shown) if shown is not None else self
        try:
            with making(f"the page {page.location.file}", page.source, passing=(jinja2.TemplateError,)):
                context = kit.context(page)
                html = self.env.get_template(template_name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise BuildFailed([ContentError(f"templates/{exc.name or template_name}",
                                            f"template error: {exc.message}", exc.lineno)]) from None
        except jinja2.TemplateError as exc:  # a name the template uses that its context lacks, and the like
            where = page.source or page.location.file
            raise BuildFailed([ContentError(where, f"could not render with templates/{template_name}: {exc}",
                                            hint="this is a template problem; tell the site's developers")]) from None
        return html.encode("utf-8")

    def context(self, page: PlannedPage) -> dict[str, Any]:
        """The template context: the names every page gets (PageContext: site, page, lpu, team, nav, build,
        and what kinds add, the alert banner), then the page kind's own, from its builder."""
        site = page.location.site
        lpu = self.look.lpus[page.lpu] if page.lpu else None
        team = self.look.teams[(page.lpu, page.team)] if page.team else None
        built: Built = self.builders[page.kind](self, page, site)
        title, crumbs, image = built.title, built.crumbs, built.image
        home = self.urls.lpu_page(lpu.slug) if lpu else self.urls.main()
        if lpu:
            crumbs = (Link(self.config.force.name, self.link(self.urls.main(), site)),
                      Link(lpu.name, self.link(home, site)), *crumbs) if page.kind != "lpu-home" else \
                (Link(self.config.force.name, self.link(self.urls.main(), site)),)
        elif page.kind != "home":
            crumbs = (Link(self._("Home"), self.link(home, site)), *crumbs)
        site_title = f"{lpu.name} – {self.config.force.name}" if lpu else self.config.force.name
        head_title = title if page.kind in ("home",) else f"{title} – {site_title}"
        if page.kind == "lpu-home":
            head_title = site_title
        force = self.config.force
        card = self.card_image(page) if page.item is not None else None  # drawn with the item's title
        if image is None:
            image = card
        if image is None and force.share_image:
            image = ImageView(self.urls.sites[site].base_url + force.share_image, force.share_image_alt or "")
        every = PageContext(
            site=self.site_view(site, lpu),
            page=PageView(page.kind, title, head_title, built.description,
                          self.urls.absolute(page.location), tuple(crumbs), image,
                          self.feed_links(page, site),
                          structured_data=structured.page_data(self, page, site, card)),
            lpu=self.lpu_view(lpu, site) if lpu else None,
            team=self.team_card(team, site) if team else None,
            nav=self.nav(page, site, lpu),
            build=BuildView(f"wmpsite {__version__}", when_date(self.moment.date)),
            preview=self.preview(page.source),
            added=tuple(names(self, page, site) for names in self.every_page))
        return {**template_names(every), **template_names(built.context)}

    def card_image(self, page: PlannedPage) -> ImageView | None:
        """The link-preview image of the page of an item that has no picture of its own: its share card."""
        for card_of in self.share_cards:
            card = card_of(self.config, self.force, self.urls, self.moment, page.item)
            if card is not None and card.page == page.location:
                return ImageView(self.urls.absolute(card.png), card.alt, card.width, card.height, "image/png")
        return None


def render_tasks(config: Config, force: Force, plan: tuple[PlannedPage, ...], feeds: tuple[FeedSpec, ...],
                 urls: Urls, moment: Moment, kinds: tuple[Kind, ...], *, jobs: int = 1, keep: frozenset[str] = frozenset()) -> list[Task]:
    """Every page, feed, sitemap and static copy of the build, as tasks for `write_tasks`;
    the pages whose files are in `keep` stay as the last build wrote them (reuse.kept).

    The one-off families come first so that they run beside the page slices
    rather than after them; pages go in slices small enough to share out evenly.
    """
    renderer = Renderer(config, force, urls, moment, kinds, feeds)

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
        Task("static files", static_files),
    ]
    pages = tuple(page for page in plan if page.location.file not in keep)
    size = parallel.chunk_size(len(pages), jobs, most=200)
    tasks.extend(Task("pages", functools.partial(render_pages, chunk), len(chunk))
                 for chunk in parallel.chunks(pages, size))
    return tasks
