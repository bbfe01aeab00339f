"""Context builders for the core page kinds, one function each.

Each takes the Kit (shared helpers and lookups), the planned page and the
site it is rendered for, and returns (own context, title, description,
breadcrumbs, image): the render stage (build/render.Renderer.context) adds the names every page gets.
"""

from __future__ import annotations

from wmpsite.core.model import NewsItem, Priority, Team
from wmpsite.core.page import PlannedPage
from wmpsite.outputs.calendar import team_calendar
from wmpsite.features.event_pages import event_cards
from wmpsite.core.events import of_team
from wmpsite.features.priorities import archive_link
from wmpsite.present.kit import Kit
from wmpsite.core.urls import Location
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


def home(r: Kit, page: PlannedPage, site: str):
    force = r.config.force
    own = {"news": tuple(r.news_card(n, site) for n in page.items),
           "news_url": r.link(r.urls.main("news/"), site),
           "advice": tuple(AdviceCard(a.title, r.link(r.urls.of(a), site), a.summary, a.category)
                           for a in r.force.advice[:6]),
           "advice_url": r.link(r.urls.main("advice/"), site),
           "lpus": tuple(Link(l.name, r.link(r.urls.of(l), site)) for l in r.force.lpus),
           "find_team_url": r.link(r.urls.main("find-your-team/"), site),
           "get_involved": home_links(r, site)}  # gallery and rate your local police
    return own, force.name, force.description, (), None

def news_list(r: Kit, page: PlannedPage, site: str):
    first = r.urls.lpu_page(page.lpu, "news/") if page.lpu else r.urls.main("news/")
    pagination = r.pagination(first, page, site)
    lpu = r.look.lpus[page.lpu] if page.lpu else None
    title = f"{lpu.name} news" if lpu else "News"
    if page.count > 1:
        title += f" (page {page.number} of {page.count})"
    description = f"Latest news from {lpu.name} police." if lpu else f"Latest news and press releases from {r.config.force.name}."
    return ({"news": tuple(r.news_card(n, site) for n in page.items), "pagination": pagination},
            title, description, (), None)

def article(r: Kit, page: PlannedPage, site: str):
    news: NewsItem = page.item
    card = r.news_card(news, site)
    team = r.look.teams[(news.lpu, news.team)] if news.team else None
    article = ArticleView(card, r.body(news, site),
                          when_date(news.updated) if news.updated else None, news.tags,
                          Link(team.name, r.link(r.urls.of(team), site)) if team else None)
    list_loc = r.urls.lpu_page(news.lpu, "news/") if news.lpu else r.urls.main("news/")
    image = ImageView(r.urls.absolute(Location(site, news.image.src)), news.image.alt) if news.image else None
    return ({"article": article, "video": video_view(r, news.video, site)},  # the click-to-load facade
            news.title, news.summary,
            (Link("News" if not news.lpu else "Local news", r.link(list_loc, site)),), image)

def advice_list(r: Kit, page: PlannedPage, site: str):
    groups: dict[str, list[AdviceCard]] = {}
    for advice in page.items:
        groups.setdefault(advice.category, []).append(
            AdviceCard(advice.title, r.link(r.urls.of(advice), site), advice.summary, advice.category))
    return ({"groups": tuple(AdviceGroup(c, tuple(items)) for c, items in sorted(groups.items()))},
            "Crime prevention advice", "Advice on keeping yourself, your home and your belongings safe.",
            (), None)

def advice(r: Kit, page: PlannedPage, site: str):
    advice = page.item
    return ({"advice": AdviceCard(advice.title, r.link(r.urls.of(advice), site), advice.summary,
                                  advice.category),
             "body_html": r.body(advice, site),
             "updated": when_date(advice.updated) if advice.updated else None},
            advice.title, advice.summary,
            (Link("Crime prevention advice", r.link(r.urls.main("advice/"), site)),), None)

def page(r: Kit, page: PlannedPage, site: str):
    item = page.item
    return ({"body_html": r.body(item, site),
             "updated": when_date(item.updated) if item.updated else None,
             "video": video_view(r, item.video, site)},  # the click-to-load facade
            item.title, item.summary, (), None)

def a_z(r: Kit, page: PlannedPage, site: str):
    entries = [Link(l.name, r.link(r.urls.of(l), site)) for l in r.force.lpus]
    entries += [Link(f"{t.name} ({r.look.lpus[t.lpu].name})", r.link(r.urls.of(t), site))
                for t in r.force.teams]
    letters: dict[str, list[Link]] = {}
    for entry in sorted(entries, key=lambda e: e.text.casefold()):
        letters.setdefault(entry.text[0].upper(), []).append(entry)
    return ({"letters": tuple((letter, tuple(items)) for letter, items in letters.items())},
            "Local policing A to Z", "Every local policing unit and neighbourhood team, from A to Z.", (), None)

def accessibility(r: Kit, page: PlannedPage, site: str):
    return ({"statement": r.config.accessibility,
             "statement_prepared": when_date(r.config.accessibility.statement_prepared),
             "last_reviewed": when_date(r.config.accessibility.last_reviewed),
             "site_url": r.urls.sites[site].base_url},
            "Accessibility statement", "How accessible this website is and how to report a problem.", (), None)

def not_found(r: Kit, page: PlannedPage, site: str):
    return ({"search_url": r.link(r.urls.main("search/"), site),  # ways on from a 404
             "find_team_url": r.link(r.urls.main("find-your-team/"), site)}, "Page not found",
            "The page you were looking for could not be found.", (), None)

def lpu_home(r: Kit, page: PlannedPage, site: str):
    from wmpsite.features.appeals import lpu_home_appeals  # current appeals and the LPU's appeals list
    from wmpsite.features.questions import lpu_links  # rate your local police, photo of the day
    return ({"news": tuple(r.news_card(n, site) for n in page.items),
             "priorities": tuple(r.priority_card(p, site) for p in r.force.priorities
                                 if p.lpu == page.lpu and p.status != "resolved"),
             **lpu_home_appeals(r, page.lpu, site),
             "get_involved": lpu_links(r, page.item, site)},
            page.item.name, page.item.summary, (), None)

def team(r: Kit, page: PlannedPage, site: str):
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
    return ({"team_page": team_view, "news": news,
             "calendar_url": r.link(team_calendar(r.urls, team.lpu, team.slug), site),
             "archive": archive_link(r, team.lpu, team.slug, site)},  # resolved priorities
            f"{team.name} neighbourhood team", team.summary, (), None)

def priorities(r: Kit, page: PlannedPage, site: str):
    lpu = r.look.lpus[page.lpu]
    cards = [r.priority_card(p, site) for p in page.items]
    return ({"current": tuple(c for c in cards if c.status != "resolved"),
             "resolved": tuple(c for c in cards if c.status == "resolved"),
             "archive": archive_link(r, page.lpu, None, site)},  # resolved ones have their own page
            f"{lpu.name} priorities", f"What residents in {lpu.name} told us matters, and what we did.",
            (), None)

def priority(r: Kit, page: PlannedPage, site: str):
    priority: Priority = page.item
    view = PriorityView(r.priority_card(priority, site), r.body(priority, site),
                        tuple(ActionView(when_date(a.date), a.text)
                              for a in sorted(priority.actions, key=lambda a: a.date)))
    return ({"priority": view}, priority.title, priority.summary,
            (Link("Priorities", r.link(r.urls.lpu_page(priority.lpu, "priorities/"), site)),), None)
