"""Every content kind of the build, in order: the one table the stages read (core/kind.Kind says what
each part of a record is for).

The order is the order of the plan, and so of every sitemap: the sites' own pages first, then
events, resolved priorities, the gallery, questions, appeals, the social media directories and the
alerts; the open data, the content manager and the share cards have files but no pages. To add a kind, write its
module under features/ with a `KIND` and add it here (docs/developers.md, "Add a content kind").
"""

from __future__ import annotations

from wmpsite.core.kind import Kind
from wmpsite.features import (
    accounts,
    alerts,
    appeals,
    cards,
    cms,
    event_pages,
    finder,
    gallery,
    open_data,
    pages,
    priorities,
    questions,
)

KINDS: tuple[Kind, ...] = (
    pages.KIND,        # pages, news, advice, LPUs, teams, priorities; the pages every site has
    finder.KIND,       # find your team
    event_pages.KIND,  # events, meetings, web chats; their calendars
    priorities.KIND,   # the archives of resolved priorities
    gallery.KIND,      # photo of the day
    questions.KIND,    # rate your local police
    appeals.KIND,      # appeals, and the notices of items taken down
    accounts.KIND,     # the directories of the force's social media accounts
    alerts.KIND,       # major-incident messages, on every page at once
    open_data.KIND,    # the neighbourhood teams as open data, in data.police.uk's shapes
    cms.KIND,          # the editors' content manager at /admin/, when site.toml has [cms]
    cards.KIND,        # a share card of every public item, for link previews and posts
)
