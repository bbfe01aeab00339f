"""The own template names of the site's own pages (features/pages.py builds them): one frozen dataclass
per page kind, whose fields are the names its template gets besides those every page gets.

`WHERE` says where pages of the kind are; docs/templates.md is written from these classes
(`make docs`), so a field's comment is what the guide says it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wmpsite.core.config import AccessibilityConfig
from wmpsite.core.tested import Tested
from wmpsite.features.appeals import AppealCard
from wmpsite.features.questions import Feature
from wmpsite.features.videos import VideoView
from wmpsite.present.views import (
    AdviceCard,
    AdviceGroup,
    ArticleView,
    EventCard,
    Link,
    NewsCard,
    Pagination,
    PriorityCard,
    PriorityView,
    TeamView,
    When,
)


@dataclass(frozen=True)
class HomeContext:
    WHERE: ClassVar[str] = "main `/`"

    news: tuple[NewsCard, ...]             # the force's newest news
    news_url: str                          # the force's news list
    advice: tuple[AdviceCard, ...]         # the first six advice pages
    advice_url: str                        # the advice list
    lpus: tuple[Link, ...]                 # the LPUs' home pages, by name
    find_team_url: str                     # find your team
    get_involved: tuple[Feature, ...]      # rate your local police and the gallery, when there are any


@dataclass(frozen=True)
class NewsListContext:
    WHERE: ClassVar[str] = "`/news/`, `/news/page/N/`, `/<lpu>/news/...`"

    news: tuple[NewsCard, ...]             # this page's news, newest first
    pagination: Pagination                 # this page among the list's pages; `_macros.html`'s `pager` shows it


@dataclass(frozen=True)
class ArticleContext:
    WHERE: ClassVar[str] = "`/news/<slug>/`, `/<lpu>/news/<slug>/`"

    article: ArticleView                   # the story
    video: VideoView | None                # its video behind a click-to-load facade (see below), or None


@dataclass(frozen=True)
class AdviceListContext:
    WHERE: ClassVar[str] = "`/advice/`"

    groups: tuple[AdviceGroup, ...]        # the advice by category, categories A to Z


@dataclass(frozen=True)
class AdviceContext:
    WHERE: ClassVar[str] = "`/advice/<slug>/`"

    advice: AdviceCard                     # the advice page's title, summary and category
    body_html: str                         # its text: HTML made from the editor's Markdown (see below)
    updated: When | None                   # when it was last changed, if the editor said


@dataclass(frozen=True)
class PlainPageContext:
    WHERE: ClassVar[str] = "`/<slug>/`"

    body_html: str                         # its text: HTML made from the editor's Markdown (see below)
    updated: When | None                   # when it was last changed, if the editor said
    video: VideoView | None                # its video behind a click-to-load facade (see below), or None


@dataclass(frozen=True)
class AToZContext:
    WHERE: ClassVar[str] = "`/a-z/`"

    letters: tuple[tuple[str, tuple[Link, ...]], ...]  # (letter, links) to every LPU and team, A to Z


@dataclass(frozen=True)
class KnownIssue:
    """One part of the site that is not yet accessible (features/statement.py finds them)."""

    text: str                              # what is wrong, in a sentence
    page: Link | None                      # the page it is on, if it is on one


@dataclass(frozen=True)
class AccessibilityContext:
    WHERE: ClassVar[str] = "`/accessibility/` (and on each LPU with an address of its own)"

    statement: AccessibilityConfig         # site.toml's `[accessibility]`
    statement_prepared: When
    last_reviewed: When
    site_url: str                          # the address of the site the statement is about
    compliance: str                        # 'full', 'partial' or 'not': never 'full' with a known issue
    known_issues: tuple[KnownIssue, ...]   # the test run's failures, the content's, then site.toml's
    tested: Tested | None                  # the last test run's record, if site.toml names one
    tested_on: When | None                 # the day of that run


@dataclass(frozen=True)
class NotFoundContext:
    WHERE: ClassVar[str] = "`/404.html` (and on each LPU with an address of its own)"

    search_url: str                        # ways on from a missing page: search
    find_team_url: str                     # and find your team


@dataclass(frozen=True)
class LpuHomeContext:
    WHERE: ClassVar[str] = "`/<lpu>/`"

    news: tuple[NewsCard, ...]             # the LPU's newest news
    priorities: tuple[PriorityCard, ...]   # its current priorities (open or in progress)
    appeals: tuple[AppealCard, ...]        # its newest open appeals, at most 3
    appeals_url: str                       # its appeals list
    meetings: tuple[EventCard, ...]        # its teams' next meetings and surgeries, soonest first, at most 3
    events_url: str                        # all its events and meetings
    get_involved: tuple[Feature, ...]      # its appeals, events, questions, the gallery


@dataclass(frozen=True)
class TeamContext:
    WHERE: ClassVar[str] = "`/<lpu>/teams/<team>/`"

    team_page: TeamView                    # the team: its members, contact, meetings and priorities
    news: tuple[NewsCard, ...]             # its newest news, at most 5
    calendar_url: str                      # the team's .ics
    archive: Link | None                   # its resolved priorities, with their count, or None when none


@dataclass(frozen=True)
class PrioritiesContext:
    WHERE: ClassVar[str] = "`/<lpu>/priorities/`"

    current: tuple[PriorityCard, ...]      # open or in progress
    resolved: tuple[PriorityCard, ...]
    archive: Link | None                   # the LPU's resolved priorities, or None when none


@dataclass(frozen=True)
class PriorityContext:
    WHERE: ClassVar[str] = "`/<lpu>/priorities/<slug>/`"

    priority: PriorityView                 # the priority, with what was done, oldest action first
