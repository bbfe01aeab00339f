"""axe-core on the pages for events and resolved priorities, in the demo build.

test_built_site.py samples one page of each older kind; these are the events
lists, an event page with its transcript, and the archives of resolved priorities.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import tools


def _first(main: Path, pattern: str) -> str:
    found = sorted(main.glob(pattern))
    if not found:
        pytest.fail(f"the demo build has no page like main/{pattern}", pytrace=False)
    return found[0].parent.relative_to(main).as_posix() + "/"


KINDS = {
    "events": lambda main: "events/",
    "lpu-events": lambda main: _first(main, "*/events/index.html"),
    "event-with-transcript": lambda main: "events/2026-10-14-web-chat-with-the-chief-constable/",
    "team-event": lambda main: _first(main, "*/events/*-web-chat/index.html"),
    "lpu-archive": lambda main: _first(main, "*/you-said-we-did/index.html"),
    "team-archive": lambda main: _first(main, "*/teams/*/you-said-we-did/index.html"),
}


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_no_axe_violations_on_events_and_archives(browser, main_site, site_url, kind, viewport):
    path = KINDS[kind](main_site)
    assert (main_site / path / "index.html").is_file(), path
    visit, violations = tools.axe_check(browser, site_url + path, viewport)
    assert visit.status == 200
    tools.fail_on_axe(violations, path, viewport)
