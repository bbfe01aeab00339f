"""Decide every page of every site: its location, its kind, and what it shows.

The plan is plain data: rendering reads it and nothing else decides what
exists. Two pages on one output path are reported here, naming both sources.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from wmpsite.features import finder
from wmpsite.outputs import search
from wmpsite.core.config import Config
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.model import Force
from wmpsite.core.page import PlannedPage
from wmpsite.core.queries import local_news_of
from wmpsite.core.urls import Location, Urls


def plan_site(config: Config, force: Force, urls: Urls, now: dt.datetime) -> tuple[PlannedPage, ...]:
    """Plan every page of every site, in a stable order; raise BuildFailed on path collisions."""
    per_page = config.build.news_per_page
    pages: list[PlannedPage] = []
    add = pages.append
    force_news = tuple(n for n in force.news if n.lpu is None)

    add(PlannedPage(urls.main(), "home", items=force_news[:config.build.home_news_count]))
    pages.extend(_paginate(urls, urls.main("news/"), "news-list", force_news, per_page))
    for news in force_news:
        add(PlannedPage(urls.of(news), "article", news.source.path, news))
    add(PlannedPage(urls.main("advice/"), "advice-list", items=force.advice))
    for advice in force.advice:
        add(PlannedPage(urls.of(advice), "advice", advice.source.path, advice))
    for page in force.pages:
        add(PlannedPage(urls.of(page), "page", page.source.path, page))
    add(PlannedPage(urls.main("a-z/"), "a-z"))
    add(PlannedPage(urls.main(finder.PATH), "find-team"))      # find your team
    add(PlannedPage(urls.main(search.PATH), "search"))         # full-text search
    add(PlannedPage(urls.main("accessibility/"), "accessibility"))
    add(PlannedPage(urls.main("404.html"), "not-found"))

    for lpu in force.lpus:
        local_news = local_news_of(force, lpu.slug)
        add(PlannedPage(urls.of(lpu), "lpu-home", lpu.source.path, lpu, lpu=lpu.slug,
                        items=local_news[:config.build.home_news_count]))
        pages.extend(_paginate(urls, urls.lpu_page(lpu.slug, "news/"), "news-list", local_news,
                               per_page, lpu=lpu.slug))
        for news in local_news:
            if news.lpu == lpu.slug:
                add(PlannedPage(urls.of(news), "article", news.source.path, news, lpu=lpu.slug, team=news.team))
        for team in (t for t in force.teams if t.lpu == lpu.slug):
            add(PlannedPage(urls.of(team), "team", team.source.path, team, lpu=lpu.slug, team=team.slug))
        priorities = tuple(p for p in force.priorities if p.lpu == lpu.slug)
        add(PlannedPage(urls.lpu_page(lpu.slug, "priorities/"), "priorities", lpu=lpu.slug, items=priorities))
        for priority in priorities:
            add(PlannedPage(urls.of(priority), "priority", priority.source.path, priority,
                            lpu=lpu.slug, team=priority.team))
        if urls.lpu_site[lpu.slug] != "main":
            add(PlannedPage(urls.lpu_page(lpu.slug, "404.html"), "not-found", lpu=lpu.slug))
            add(PlannedPage(urls.lpu_page(lpu.slug, "accessibility/"), "accessibility", lpu=lpu.slug))
    from wmpsite.features.event_pages import plan_events  # events lists and pages (imports PlannedPage)
    from wmpsite.features.priorities import plan_archives  # resolved priorities' archives
    pages.extend(plan_events(force, urls))
    pages.extend(plan_archives(force, urls))
    from wmpsite.features.gallery import plan_gallery  # photo of the day
    pages.extend(plan_gallery(force, urls))
    from wmpsite.features.questions import plan_questions  # rate your local police
    pages.extend(plan_questions(force, urls))
    from wmpsite.features.appeals import plan_appeals  # appeals, and notices for unpublished items
    pages.extend(plan_appeals(force, urls))
    from wmpsite.features.accounts import plan_directories  # social media directories
    pages.extend(plan_directories(force, urls))
    from wmpsite.features.alerts import plan_alerts  # each major-incident message's own page
    pages.extend(plan_alerts(force, urls, now))
    _check_collisions(pages)
    return tuple(pages)


def _paginate(urls: Urls, first: Location, kind: str, items: tuple, per_page: int, **extra) -> list[PlannedPage]:
    count = max(1, -(-len(items) // per_page))
    return [PlannedPage(urls.paged(first, n), kind, items=items[(n - 1) * per_page:n * per_page],
                        number=n, count=count, **extra)
            for n in range(1, count + 1)]


def _check_collisions(pages: list[PlannedPage]) -> None:
    by_file: dict[str, list[PlannedPage]] = defaultdict(list)
    for page in pages:
        by_file[page.location.file].append(page)
    errors = []
    for file, clashing in by_file.items():
        if len(clashing) > 1:
            names = [p.source or f"the generated {p.kind.replace('-', ' ')} page" for p in clashing]
            for page in clashing:
                if page.source:
                    others = ", ".join(n for n in names if n != page.source)
                    errors.append(ContentError(page.source, f"this page would be written to {file}, "
                                               f"where {others} is written too",
                                               hint="give it another file name or a 'slug:' field"))
    if errors:
        raise BuildFailed(errors)
