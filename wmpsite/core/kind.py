"""The record of one content kind: everything the build's stages do for it, in one place.

Each feature module (features/*.py) declares one `Kind`; build/kinds.KINDS lists them in order. The
stages (load, check, plan, render, feeds, social, write) read that table and call what each record
gives; none of them names a kind. Every part but `name` is optional: a kind gives only what it has.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from wmpsite.core.errors import ContentError
from wmpsite.core.model import Force
from wmpsite.core.parts import Body, Source
from wmpsite.core.page import Built, FeedSpec, PlannedPage, ShareCard, Task

_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class Parsed:
    """One content file whose fields have passed their checks: what a kind's maker turns into an item.

    A maker adds to `errors` what breaks a rule across fields; the loader reports them with the rest.
    """

    source: Source
    stem: str                               # the file name without '.md'
    lpu: str | None                         # the folder under content/lpus/ the file is in, if it is
    values: dict[str, Any]                  # the checked fields
    body: Body
    line_of: Callable[[tuple], int]         # the line of a field, from its key path
    errors: list[ContentError]
    markdown: str = ""                      # the text below the fields, as written
    body_line: int | None = None            # the file line the text starts on

    def text_line(self, words: str) -> int | None:
        """The file line of the text on which `words` first appear (else where the text starts)."""
        at = self.markdown.find(words)
        if at < 0 or self.body_line is None:
            return self.body_line
        return self.body_line + self.markdown.count("\n", 0, at)

    def slug(self) -> str:
        """The item's address: its `slug:` field, else the file name less any leading date."""
        return self.values.pop("slug", None) or file_slug(self.source.path, self.stem, self.errors)


def file_slug(rel: str, stem: str, errors: list[ContentError]) -> str:
    """The slug a file name gives (`2025-03-14-bike-marking` -> `bike-marking`); an error if it cannot be one."""
    dated = _DATED.fullmatch(stem)
    slug = dated.group(2) if dated else stem
    if not _SLUG.fullmatch(slug):
        errors.append(ContentError(rel, f"the file name '{stem}' cannot be a web address",
                                   hint="name files in lower case letters, digits and dashes, like "
                                   "'2025-03-14-bike-marking.md'"))
    return slug


def is_slug(text: str) -> bool:
    return _SLUG.fullmatch(text) is not None


@dataclass(frozen=True)
class Collection:
    """A field of the Force and the content types (content/content_types.ContentType) whose items fill
    it, in the order `key` gives (None keeps the order of the files)."""

    field: str
    types: tuple[Any, ...]
    key: Callable[[Any], Any] | None = None


#: A page builder: (the helper kit, the planned page, the site) -> Built, whose context is the page kind's
#: own dataclass of template names. The kit is present/kit.Kit, above this module.
Builder = Callable[[Any, PlannedPage, str], Built]


@dataclass(frozen=True)
class Kind:
    """What one content kind owns, stage by stage."""

    name: str
    # load: (content type, the function that makes its item) for each of its content types
    # (content/content_types.ContentType: where its files are and their fields); the Force's fields it fills
    makers: tuple[tuple[Any, Callable[[Parsed], Any]], ...] = ()
    collections: tuple[Collection, ...] = ()
    # load, once every file is in: (config, {Force field: items}, errors) -> the fields it changes
    finish: Callable[[Any, dict[str, tuple], list[ContentError]], dict[str, tuple]] | None = None
    # check: rules across files, force -> errors
    checks: tuple[Callable[[Force], Iterable[ContentError]], ...] = ()
    # check: rules across files that only warn (`build` and `check` say them; --strict fails on them),
    # force -> warnings, e.g. two teams claiming one postcode district
    warnings: tuple[Callable[[Force], Iterable[ContentError]], ...] = ()
    # plan: (force, build moment) -> the force every later stage sees (ended appeals lose personal details)
    settle: Callable[[Force, dt.datetime], Force] | None = None
    # plan: (config, force, urls, moment) -> its pages, in a stable order (sitemaps follow it)
    plan: Callable[[Any, Force, Any, dt.datetime], Iterable[PlannedPage]] | None = None
    # render: page kind -> its builder (the template is `<page kind>.html`)
    builders: Mapping[str, Builder] = field(default_factory=dict)
    # render: (kit, page, site) -> a dataclass whose fields are names every page's context gets (the
    # alert banner); its return annotation names that dataclass, for docs/templates.md
    every_page: Callable[[Any, PlannedPage, str], Any] | None = None
    # render: (kit, lpu or None, site) -> links every page's footer carries
    footer: Callable[[Any, Any, str], tuple] | None = None
    # feeds: (config, force, urls) -> its feeds; then (feeds, force, moment) -> the feeds as it changes them
    feeds: Callable[[Any, Force, Any], Iterable[FeedSpec]] | None = None
    amend_feeds: Callable[[tuple[FeedSpec, ...], Force, dt.datetime], tuple[FeedSpec, ...]] | None = None
    # social feeds: (force, lpu or None for the force's accounts) -> items those accounts also post;
    # then (config, force, account feeds, moment) -> the account feeds as it changes them
    social_items: Callable[[Force, str | None], Iterable[Any]] | None = None
    amend_social: Callable[[Any, Force, tuple, dt.datetime], tuple] | None = None
    # render and social feeds: (config, force, urls, moment, item) -> the item's share card
    # (core/page.ShareCard), or None; the item's page and posts show it when they have no picture of their own
    share_card: Callable[[Any, Force, Any, Any, Any], ShareCard | None] | None = None
    # write: (config, force, urls, moment, cache file or None, the account feeds) -> tasks of files
    # besides its pages (the share cards write a JPEG only where a post shows it)
    tasks: Callable[[Any, Force, Any, Any, Any], Iterable[Task]] | None = None
    # write: config -> {site: {directive: sources}} that its files (not pages) need in that site's
    # Content-Security-Policy header (outputs/headers.py), e.g. the CMS's admin page
    policy: Callable[[Any], Mapping[str, Mapping[str, str]]] | None = None
