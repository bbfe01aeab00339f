"""The core of every site: pages, news, advice, LPUs, teams and priorities, and the pages every site has
(home, lists, A to Z, find your team, search, accessibility, 404).

The context builders, one function per page kind, take the Kit (shared helpers and lookups), the
planned page and the site it is rendered for, and return a core/page.Built: the kind's own names
(its dataclass in features/contexts.py), title, description, breadcrumbs and image. The render stage
(build/render.Renderer.context) adds the names every page gets.
"""

from __future__ import annotations

import datetime as dt

from wmpsite.content import content_types as ct
from wmpsite.core.config import Config
from wmpsite.core.kind import Collection, Kind, Parsed, file_slug, is_slug
from wmpsite.core.errors import ContentError
from wmpsite.core.model import Advice, Force, Lpu, NewsItem, Page, Priority, Team
from wmpsite.core.page import Built, PlannedPage, paginate
from wmpsite.core.queries import local_news_of
from wmpsite.core.urls import Location, Urls
from wmpsite.features import finder, statement
from wmpsite.features.contexts import (
    AdviceContext,
    AdviceListContext,
    ArticleContext,
    AToZContext,
    HomeContext,
    LpuHomeContext,
    NewsListContext,
    NotFoundContext,
    PlainPageContext,
    PrioritiesContext,
    PriorityContext,
    TeamContext,
)
from wmpsite.outputs import search
from wmpsite.outputs.feeds import plan_feeds
from wmpsite.outputs.calendar import team_calendar
from wmpsite.features.event_pages import event_card, event_cards
from wmpsite.core.events import of_lpu, of_team
from wmpsite.features.priorities import archive_link
from wmpsite.present.kit import Kit
from wmpsite.features.questions import home_links
from wmpsite.features.videos import video_view
from wmpsite.present.views import (
    ActionView,
    AdviceCard,
    AdviceGroup,
    ArticleView,
    ImageView,
    Link,
    MemberView,
    PriorityView,
    TeamView,
    when_date,
)


def home(r: Kit, page: PlannedPage, site: str) -> Built[HomeContext]:
    force = r.config.force
    own = HomeContext(news=tuple(r.news_card(n, site) for n in page.items),
                      news_url=r.link(r.urls.main("news/"), site),
                      advice=tuple(AdviceCard(a.title, r.link(r.urls.of(a), site), a.summary, a.category,
                                                     r.preview(a.source.path))
                                   for a in r.force.advice[:6]),
                      advice_url=r.link(r.urls.main("advice/"), site),
                      lpus=tuple(Link(l.name, r.link(r.urls.of(l), site)) for l in r.force.lpus),
                      find_team_url=r.link(r.urls.main("find-your-team/"), site),
                      get_involved=home_links(r, site))  # gallery and rate your local police
    return Built(own, force.name, force.description)

def news_list(r: Kit, page: PlannedPage, site: str) -> Built[NewsListContext]:
    first = r.urls.lpu_page(page.lpu, "news/") if page.lpu else r.urls.main("news/")
    pagination = r.pagination(first, page, site)
    lpu = r.look.lpus[page.lpu] if page.lpu else None
    title = r._("{lpu} news", lpu=lpu.name) if lpu else r._("News")
    if page.count > 1:
        title += f" (page {page.number} of {page.count})"
    description = r._("Latest news from {lpu} police.", lpu=lpu.name) if lpu else \
        r._("Latest news and press releases from {force}.", force=r.config.force.name)
    return Built(NewsListContext(tuple(r.news_card(n, site) for n in page.items), pagination), title, description)

def article(r: Kit, page: PlannedPage, site: str) -> Built[ArticleContext]:
    news: NewsItem = page.item
    card = r.news_card(news, site)
    team = r.look.teams[(news.lpu, news.team)] if news.team else None
    article = ArticleView(card, r.body(news, site),
                          when_date(news.updated) if news.updated else None, news.tags,
                          Link(team.name, r.link(r.urls.of(team), site)) if team else None)
    list_loc = r.urls.lpu_page(news.lpu, "news/") if news.lpu else r.urls.main("news/")
    image = ImageView(r.urls.absolute(Location(site, news.image.src)), news.image.alt) if news.image else None
    return Built(ArticleContext(article, video_view(r, news.video, site)),  # the click-to-load facade
                 news.title, news.summary,
                 (Link(r._("News") if not news.lpu else r._("Local news"), r.link(list_loc, site)),), image)

def advice_list(r: Kit, page: PlannedPage, site: str) -> Built[AdviceListContext]:
    groups: dict[str, list[AdviceCard]] = {}
    for advice in page.items:
        groups.setdefault(advice.category, []).append(
            AdviceCard(advice.title, r.link(r.urls.of(advice), site), advice.summary, advice.category,
                       r.preview(advice.source.path)))
    return Built(AdviceListContext(tuple(AdviceGroup(c, tuple(items)) for c, items in sorted(groups.items()))),
                 r._("Crime prevention advice"), r._("Advice on keeping yourself, your home and your belongings safe."))

def advice(r: Kit, page: PlannedPage, site: str) -> Built[AdviceContext]:
    advice = page.item
    own = AdviceContext(AdviceCard(advice.title, r.link(r.urls.of(advice), site), advice.summary, advice.category),
                        r.body(advice, site), when_date(advice.updated) if advice.updated else None)
    return Built(own, advice.title, advice.summary,
                 (Link(r._("Crime prevention advice"), r.link(r.urls.main("advice/"), site)),))

def page(r: Kit, page: PlannedPage, site: str) -> Built[PlainPageContext]:
    item = page.item
    return Built(PlainPageContext(r.body(item, site), when_date(item.updated) if item.updated else None,
                                  video_view(r, item.video, site)),  # the click-to-load facade
                 item.title, item.summary)

def a_z(r: Kit, page: PlannedPage, site: str) -> Built[AToZContext]:
    entries = [Link(l.name, r.link(r.urls.of(l), site)) for l in r.force.lpus]
    entries += [Link(f"{t.name} ({r.look.lpus[t.lpu].name})", r.link(r.urls.of(t), site))
                for t in r.force.teams]
    letters: dict[str, list[Link]] = {}
    for entry in sorted(entries, key=lambda e: e.text.casefold()):
        letters.setdefault(entry.text[0].upper(), []).append(entry)
    return Built(AToZContext(tuple((letter, tuple(items)) for letter, items in letters.items())),
                 r._("Local policing A to Z"), r._("Every local policing unit and neighbourhood team, from A to Z."))

def not_found(r: Kit, page: PlannedPage, site: str) -> Built[NotFoundContext]:
    return Built(NotFoundContext(r.link(r.urls.main("search/"), site),  # ways on from a 404
                                 r.link(r.urls.main("find-your-team/"), site)),
                 r._("Page not found"), r._("The page you were looking for could not be found."))

#: How many of its teams' next meetings an LPU's home page lists; its events page has them all.
LPU_HOME_MEETINGS = 3


def lpu_home(r: Kit, page: PlannedPage, site: str) -> Built[LpuHomeContext]:
    from wmpsite.features.appeals import lpu_home_appeals  # current appeals and the LPU's appeals list
    from wmpsite.features.questions import lpu_links  # rate your local police, photo of the day
    appeals, appeals_url = lpu_home_appeals(r, page.lpu, site)
    upcoming, _ = r.moment.split(tuple(e for e in of_lpu(r.force, page.lpu) if e.team))  # its teams' own
    own = LpuHomeContext(news=tuple(r.news_card(n, site) for n in page.items),
                         priorities=tuple(r.priority_card(p, site) for p in r.force.priorities
                                          if p.lpu == page.lpu and p.status != "resolved"),
                         appeals=appeals, appeals_url=appeals_url,
                         meetings=tuple(event_card(r, e, site) for e in upcoming[:LPU_HOME_MEETINGS]),
                         events_url=r.link(r.urls.lpu_page(page.lpu, "events/"), site),
                         get_involved=lpu_links(r, page.item, site))
    return Built(own, page.item.name, page.item.summary)

def team(r: Kit, page: PlannedPage, site: str) -> Built[TeamContext]:
    team: Team = page.item
    upcoming, past = event_cards(r, of_team(r.force, team.lpu, team.slug), site)  # meetings and event files
    priorities = [p for p in r.force.priorities if p.lpu == team.lpu and p.team == team.slug]
    team_view = TeamView(
        r.team_card(team, site), r.body(team, site), team.postcodes,
        r.contact(team.contact, team.social),
        tuple(MemberView(m.name, m.role, m.email,
                         r.social((m.social,))[0] if m.social else None) for m in team.members),
        upcoming, past,
        tuple(r.priority_card(p, site) for p in priorities if p.status != "resolved"),
        tuple(r.priority_card(p, site) for p in priorities if p.status == "resolved"))
    news = tuple(r.news_card(n, site) for n in r.force.news
                 if n.lpu == team.lpu and n.team == team.slug)[:5]
    own = TeamContext(team_view, news, r.link(team_calendar(r.urls, team.lpu, team.slug), site),
                      archive_link(r, team.lpu, team.slug, site))  # resolved priorities
    return Built(own, f"{team.name} neighbourhood team", team.summary)

def priorities(r: Kit, page: PlannedPage, site: str) -> Built[PrioritiesContext]:
    lpu = r.look.lpus[page.lpu]
    cards = [r.priority_card(p, site) for p in page.items]
    own = PrioritiesContext(tuple(c for c in cards if c.status != "resolved"),
                            tuple(c for c in cards if c.status == "resolved"),
                            archive_link(r, page.lpu, None, site))  # resolved ones have their own page
    return Built(own, r._("{lpu} priorities", lpu=lpu.name), r._("What residents in {lpu} told us matters, and what we did.", lpu=lpu.name))

def priority(r: Kit, page: PlannedPage, site: str) -> Built[PriorityContext]:
    priority: Priority = page.item
    view = PriorityView(r.priority_card(priority, site), r.body(priority, site),
                        tuple(ActionView(when_date(a.date), a.text)
                              for a in sorted(priority.actions, key=lambda a: a.date)))
    return Built(PriorityContext(view), priority.title, priority.summary,
                 (Link(r._("Priorities"), r.link(r.urls.lpu_page(priority.lpu, "priorities/"), site)),))


# Loading -------------------------------------------------------------------------------------
def _lpu(p: Parsed) -> Lpu:
    folder = p.lpu
    if not is_slug(folder):
        p.errors.append(ContentError(p.source.path, f"the folder name '{folder}' cannot be a web address",
                                     hint="name LPU folders in lower case letters, digits and dashes, like "
                                     "'birmingham-south'"))
    return Lpu(source=p.source, slug=folder, body=p.body, **p.values)


def _team(p: Parsed) -> Team:
    return Team(source=p.source, slug=file_slug(p.source.path, p.stem, p.errors), lpu=p.lpu, body=p.body, **p.values)


def _news(p: Parsed) -> NewsItem:
    slug = p.slug()
    return NewsItem(source=p.source, slug=slug, body=p.body, **({"lpu": p.lpu} if p.lpu else {}), **p.values)


def _newest_first(news) -> tuple:
    return (-news.date.timestamp(), news.slug)


# Planning ------------------------------------------------------------------------------------
def plan(config: Config, force: Force, urls: Urls, now: dt.datetime) -> list[PlannedPage]:
    """The main site's pages, then each LPU's: home, news and its pages, advice, pages, teams, priorities."""
    per_page = config.build.news_per_page
    pages: list[PlannedPage] = []
    add = pages.append
    force_news = tuple(n for n in force.news if n.lpu is None)

    add(PlannedPage(urls.main(), "home", items=force_news[:config.build.home_news_count]))
    pages.extend(paginate(urls, urls.main("news/"), "news-list", force_news, per_page))
    for news in force_news:
        add(PlannedPage(urls.of(news), "article", news.source.path, news))
    add(PlannedPage(urls.main("advice/"), "advice-list", items=force.advice))
    for advice_item in force.advice:
        add(PlannedPage(urls.of(advice_item), "advice", advice_item.source.path, advice_item))
    for item in force.pages:
        add(PlannedPage(urls.of(item), "page", item.source.path, item))
    add(PlannedPage(urls.main("a-z/"), "a-z"))
    add(PlannedPage(urls.main(finder.PATH), "find-team"))      # find your team
    add(PlannedPage(urls.main(search.PATH), "search"))         # full-text search
    add(PlannedPage(urls.main("accessibility/"), "accessibility"))
    add(PlannedPage(urls.main("404.html"), "not-found"))

    for lpu in force.lpus:
        local_news = local_news_of(force, lpu.slug)
        add(PlannedPage(urls.of(lpu), "lpu-home", lpu.source.path, lpu, lpu=lpu.slug,
                        items=local_news[:config.build.home_news_count]))
        pages.extend(paginate(urls, urls.lpu_page(lpu.slug, "news/"), "news-list", local_news,
                              per_page, lpu=lpu.slug))
        for news in local_news:
            if news.lpu == lpu.slug:
                add(PlannedPage(urls.of(news), "article", news.source.path, news, lpu=lpu.slug, team=news.team))
        for t in (t for t in force.teams if t.lpu == lpu.slug):
            add(PlannedPage(urls.of(t), "team", t.source.path, t, lpu=lpu.slug, team=t.slug))
        local = tuple(p for p in force.priorities if p.lpu == lpu.slug)
        add(PlannedPage(urls.lpu_page(lpu.slug, "priorities/"), "priorities", lpu=lpu.slug, items=local))
        for item in local:
            add(PlannedPage(urls.of(item), "priority", item.source.path, item, lpu=lpu.slug, team=item.team))
        if urls.lpu_site[lpu.slug] != "main":
            add(PlannedPage(urls.lpu_page(lpu.slug, "404.html"), "not-found", lpu=lpu.slug))
            add(PlannedPage(urls.lpu_page(lpu.slug, "accessibility/"), "accessibility", lpu=lpu.slug))
    return pages


KIND = Kind(
    "pages",
    makers=((ct.PAGE, lambda p: Page(source=p.source, slug=p.slug(), body=p.body, **p.values)),
            (ct.NEWS, _news),
            (ct.LOCAL_NEWS, _news),
            (ct.ADVICE, lambda p: Advice(source=p.source, slug=p.slug(), body=p.body, **p.values)),
            (ct.LPU, _lpu),
            (ct.TEAM, _team),
            (ct.PRIORITY, lambda p: Priority(source=p.source, slug=p.slug(), body=p.body, lpu=p.lpu, **p.values))),
    collections=(Collection("pages", (ct.PAGE,), lambda p: p.slug),
                 Collection("news", (ct.NEWS, ct.LOCAL_NEWS), _newest_first),
                 Collection("advice", (ct.ADVICE,), lambda a: (a.category, a.title, a.slug)),
                 Collection("lpus", (ct.LPU,), lambda lpu: lpu.name),
                 Collection("teams", (ct.TEAM,), lambda t: (t.lpu, t.name)),
                 Collection("priorities", (ct.PRIORITY,), lambda p: (p.lpu, p.team, -p.raised.toordinal(), p.slug))),
    plan=plan,
    builders={"home": home, "news-list": news_list, "article": article, "advice-list": advice_list,
              "advice": advice, "page": page, "a-z": a_z, "accessibility": statement.accessibility,
              "not-found": not_found, "lpu-home": lpu_home, "team": team, "priorities": priorities,
              "priority": priority, "search": search.page},
    feeds=plan_feeds,  # news, press releases, each LPU's, team's and tag's
)
