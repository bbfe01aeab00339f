"""The accessibility statement, which the law requires to describe the site as built.

So its facts are found rather than typed: what was tested, with which tools and when, and each failure
found, come from the test record (core/tested.py, written by `make accessibility`); the content itself
shows the videos whose captions no one has checked and the links to documents (PDF, Word, spreadsheets)
that may not be accessible. site.toml's `known_issues` adds only what neither can see.
"""

from __future__ import annotations

import re

from wmpsite.core.page import Built, PlannedPage
from wmpsite.core.queries import with_pages
from wmpsite.core.urls import MAIN
from wmpsite.features.contexts import AccessibilityContext, KnownIssue
from wmpsite.present.kit import Kit
from wmpsite.present.views import Link, when_date

#: Links to files that are documents rather than web pages, with the name residents know them by.
DOCUMENTS = {"pdf": "PDF", "doc": "Word", "docx": "Word", "odt": "OpenDocument", "rtf": "Word",
             "xls": "spreadsheet", "xlsx": "spreadsheet", "ods": "spreadsheet", "csv": "spreadsheet",
             "ppt": "slides", "pptx": "slides", "odp": "slides"}
_DOCUMENT_LINK = re.compile(r'<a [^>]*href="([^"]+?\.(' + "|".join(DOCUMENTS) + r'))(?:[?#][^"]*)?"', re.I)


def accessibility(r: Kit, page: PlannedPage, site: str) -> Built[AccessibilityContext]:
    statement = r.config.accessibility
    issues = known_issues(r, site)
    compliance = statement.compliance if statement.compliance == "not" or not issues else "partial"
    tested = statement.tested
    return Built(AccessibilityContext(statement, when_date(statement.statement_prepared),
                                      when_date(statement.last_reviewed), r.urls.sites[site].base_url,
                                      compliance, issues, tested, when_date(tested.tested_on) if tested else None),
                 r._("Accessibility statement"), r._("How accessible this website is and how to report a problem."))


def known_issues(r: Kit, site: str) -> tuple[KnownIssue, ...]:
    """What is not accessible on `site`: the test run's failures, then the content's, then site.toml's."""
    statement = r.config.accessibility
    base = r.urls.sites[MAIN].base_url.rstrip("/")  # the test run is of the main site's pages
    found = [KnownIssue(failure.problem, Link(failure.page, base + failure.page))
             for failure in (statement.tested.failures if statement.tested else ())]
    for item in sorted(with_pages(r.force), key=lambda item: item.source.path):
        location = r.urls.of(item)
        if location.site != site:
            continue
        where = Link(getattr(item, "title", None) or item.name, r.link(location, site))
        video = getattr(item, "video", None)
        if video is not None and not video.captions:
            found.append(KnownIssue(f"The video ‘{video.title}’ does not yet have captions checked by a person.",
                                    where))
        body = getattr(item, "body", None)
        for href, extension in dict.fromkeys(_DOCUMENT_LINK.findall(body.html if body else "")):
            name = href.rsplit("/", 1)[-1]
            found.append(KnownIssue(f"The {DOCUMENTS[extension.lower()]} document {name} may not be accessible "
                                    "to screen readers: ask us for it in another format.", where))
    return (*found, *(KnownIssue(text, None) for text in statement.known_issues))
