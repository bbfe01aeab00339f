"""Resolved priorities' archives ("you said, we did"): one per team, one per LPU.

Team pages and the LPU's priorities page list what is open or in progress and
link here for what was resolved: /<lpu>/you-said-we-did/ and
/<lpu>/teams/<team>/you-said-we-did/, each planned only when it has something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wmpsite.core.kind import Kind
from wmpsite.core.model import Force, Priority
from wmpsite.core.page import Built, PlannedPage
from wmpsite.core.urls import Location, Urls
from wmpsite.present.views import ActionView, Link, PriorityView, when_date


def lpu_archive(urls: Urls, lpu: str) -> Location:
    return urls.lpu_page(lpu, "you-said-we-did/")


def team_archive(urls: Urls, lpu: str, team: str) -> Location:
    return urls.lpu_page(lpu, f"teams/{team}/you-said-we-did/")


def resolved(priorities) -> tuple[Priority, ...]:
    """The resolved ones, most recently updated first (then by title)."""
    done = [p for p in priorities if p.status == "resolved"]
    return tuple(sorted(done, key=lambda p: (-p.updated.toordinal(), p.title, p.slug)))


def plan_archives(force: Force, urls: Urls) -> list[PlannedPage]:
    """An archive page for each LPU and team that has resolved priorities."""
    pages = []
    for lpu in force.lpus:
        done = resolved(p for p in force.priorities if p.lpu == lpu.slug)
        if done:
            pages.append(PlannedPage(lpu_archive(urls, lpu.slug), "priorities-archive", lpu=lpu.slug, items=done))
        for team in (t for t in force.teams if t.lpu == lpu.slug):
            done = resolved(p for p in force.priorities if p.lpu == lpu.slug and p.team == team.slug)
            if done:
                pages.append(PlannedPage(team_archive(urls, lpu.slug, team.slug), "priorities-archive",
                                         team.source.path, team, lpu=lpu.slug, team=team.slug, items=done))
    return pages


def archive_link(r, lpu: str, team: str | None, site: str) -> Link | None:
    """The link to an LPU's or team's archive, with how many it holds; None when there is none."""
    count = len(resolved(p for p in r.force.priorities if p.lpu == lpu and (team is None or p.team == team)))
    if not count:
        return None
    where = team_archive(r.urls, lpu, team) if team else lpu_archive(r.urls, lpu)
    noun = "priority" if count == 1 else "priorities"
    return Link(f"{count} resolved {noun}: you said, we did", r.link(where, site))


@dataclass(frozen=True)
class ArchiveContext:
    WHERE: ClassVar[str] = "`/<lpu>/you-said-we-did/`, `/<lpu>/teams/<team>/you-said-we-did/`"

    resolved: tuple[PriorityView, ...]     # latest update first; their `body_html` is empty
    current: Link                          # back to the current priorities


def priorities_archive(r, page: PlannedPage, site: str) -> Built[ArchiveContext]:
    items = tuple(PriorityView(r.priority_card(p, site), "",
                               tuple(ActionView(when_date(a.date), a.text)
                                     for a in sorted(p.actions, key=lambda a: a.date)))
                  for p in page.items)
    lpu = r.look.lpus[page.lpu]
    if page.team:
        team = r.look.teams[(page.lpu, page.team)]
        back = Link(f"{team.name} neighbourhood team", r.link(r.urls.of(team), site))
        title = f"{team.name}: resolved priorities"
        description = f"What residents asked the {team.name} team to tackle, and what was done: resolved priorities."
        current = Link(f"Current priorities of the {team.name} team", back.url + "#priorities")
    else:
        back = Link("Priorities", r.link(r.urls.lpu_page(lpu.slug, "priorities/"), site))
        title = f"{lpu.name}: resolved priorities"
        description = f"What residents in {lpu.name} asked us to tackle, and what was done: resolved priorities."
        current = Link(f"Current priorities in {lpu.name}", back.url)
    return Built(ArchiveContext(items, current), title, description, (back,))


KIND = Kind(
    "resolved priorities",
    plan=lambda config, force, urls, now: plan_archives(force, urls),
    builders={"priorities-archive": priorities_archive},
)
