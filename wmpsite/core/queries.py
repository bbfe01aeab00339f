"""Questions several stages ask of the Force: every item, an LPU's news, a team's items, the file of an LPU or team."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from wmpsite.core.model import Force, NewsItem, Unit, per_force

#: Tags that make a story an appeal: it goes in the appeals feed and to the force's main accounts.
APPEAL_TAGS = frozenset({"appeal", "witness-appeal", "missing-person"})


def local_news_of(force: Force, lpu: str) -> tuple[NewsItem, ...]:
    """An LPU's news: its own local news and force news marked for it, newest first."""
    return _local_news(force).get(lpu, ())


@per_force
def _local_news(force: Force) -> dict[str, tuple[NewsItem, ...]]:
    """Every LPU's news, in one pass over the stories (plan, feeds and social posts each ask for it)."""
    groups: dict[str, list[NewsItem]] = defaultdict(list)
    for news in force.news:
        for lpu in (news.lpu,) if news.lpu else dict.fromkeys(news.lpus):
            groups[lpu].append(news)
    return {lpu: tuple(news) for lpu, news in groups.items()}


def lpu_file(lpu: str) -> str:
    """The content file that makes the LPU `lpu` (its folder's _index.md): what a reference to it looks for."""
    return f"content/lpus/{lpu}/_index.md"


def team_file(lpu: str, team: str) -> str:
    """The content file that makes the team `team` of `lpu` (a team's short name is its file name)."""
    return f"content/lpus/{lpu}/teams/{team}.md"


def by_team(items) -> dict[tuple[str, str], list]:
    """Items that belong to a team (news, priorities) grouped by (lpu, team), each group in the given order."""
    groups: dict[tuple[str, str], list] = {}
    for item in items:
        if item.lpu is not None and getattr(item, "team", None) is not None:
            groups.setdefault((item.lpu, item.team), []).append(item)
    return groups


def all_items(force: Force) -> tuple:
    """Every item loaded from content/, of every kind: the one list that the checks, rendering and
    reuse share, so that what `check` passes is exactly what `build` can render."""
    return tuple(item for f in dataclasses.fields(force) if f.name != "static_files"
                 for item in getattr(force, f.name))


def with_pages(force: Force) -> tuple:
    """The items whose file becomes a page of its own: what a Markdown link may lead to. Units have
    no page (their accounts are listed in the social media directories)."""
    return tuple(item for item in all_items(force) if not isinstance(item, Unit))
