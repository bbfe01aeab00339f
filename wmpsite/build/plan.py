"""Decide every page of every site: its location, its kind, and what it shows.

The plan is plain data: rendering reads it and nothing else decides what
exists. Two pages on one output path are reported here, naming both sources.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from wmpsite.core.config import Config
from wmpsite.core.errors import BuildFailed, ContentError
from wmpsite.core.model import Force
from wmpsite.core.page import PlannedPage
from wmpsite.core.kind import Kind
from wmpsite.core.urls import Urls


def plan_site(config: Config, force: Force, urls: Urls, now: dt.datetime,
              kinds: tuple[Kind, ...]) -> tuple[PlannedPage, ...]:
    """Plan every page of every site, kind by kind in the order of `kinds`; raise BuildFailed on path collisions."""
    pages = [page for kind in kinds if kind.plan is not None for page in kind.plan(config, force, urls, now)]
    _check_collisions(pages)
    return tuple(pages)


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
