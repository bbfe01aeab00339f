"""Shared fixtures: the fixture sites under tests/sites/, the events site, and a helper to write small sites."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import shutil
from pathlib import Path

import pytest

from wmpsite.build import pipeline

TESTS = Path(__file__).parent
REPO = TESTS.parent
MINIMAL = TESTS / "sites" / "minimal"
INVALID = TESTS / "sites" / "invalid"
#: The second demo force, built from its own folder with the default theme (docs/forces.md).
DYFED_POWYS = REPO / "examples" / "dyfed-powys"
# Fixture sites are read-only: keep every test build's cache out of them (subprocesses inherit this).
os.environ.setdefault("WMPSITE_CACHE_DIR", tempfile.mkdtemp(prefix="wmpsite-test-cache-"))

#: The build date of every fixture build, so 'upcoming' never depends on the clock.
NOW = dt.datetime(2026, 11, 25, 12, 0)


def copy_site(source: Path, target: Path, overlay: dict[str, str | None] | None = None) -> Path:
    """Copy a fixture site to `target`, then write (or, for None, delete) the files in `overlay`."""
    shutil.copytree(source, target)
    for rel, text in (overlay or {}).items():
        path = target / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return target


def build_overlaid(tmp_path_factory, name: str, overlay: dict[str, str | None]) -> Path:
    """The minimal site with `overlay` written over it (copy_site), built at NOW in a folder of its
    own: returns the output folder. For module-scoped fixtures."""
    tmp = tmp_path_factory.mktemp(name)
    out = tmp / "_site"
    pipeline.build(copy_site(MINIMAL, tmp / "site", overlay), out, now=NOW)
    return out


#: Events written over the minimal site. Its team Oldtown (Northfield) already has two meetings:
#: 'Have your say in Oldtown' on 2026-12-03 and 'Beat surgery at Mill End' on 2026-10-01.
EVENTS = {
    "content/events/2026-11-10-web-chat-with-the-chief-constable.md": """---
title: Live web chat with the Chief Constable
kind: web-chat
start: 2026-11-10 18:30
end: 2026-11-10 19:30
online: https://webchat.testshire.police.example/chief
summary: The Chief Constable answers your questions.
updated: 2026-11-01 09:00
---
Join the chat from any device.

## Transcript

**Question:** Who is my local officer?

**Chief Constable:** Look up your team's page.
""",
    "content/events/2026-12-11-christmas-tweetathon.md": """---
title: Christmas tweetathon
kind: tweetathon
start: 2026-12-11 12:00
end: 2026-12-11 20:00
online: https://x.com/TestshirePolice
hashtag: "#AskTestshire"
summary: Ask us about staying safe at Christmas.
---
Post your questions with the hashtag.

## Transcript

Written in advance: shown once the tweetathon is over.
""",
    "content/lpus/northfield/events/2026-12-05-market-surgery.md": """---
title: Beat surgery at the market
kind: beat-surgery
team: oldtown
start: 2026-12-05 10:00
end: 2026-12-05 12:00
location: Oldtown Market Square
summary: Drop in and meet your local officers.
---
""",
    "content/lpus/northfield/events/2026-06-20-northfield-open-day.md": """---
title: Northfield open day
kind: community-event
start: 2026-06-20 10:00
end: 2026-06-20 15:00
location: Northfield Police Station
summary: Meet every Northfield team.
---
""",
    "content/lpus/riverside/events/2026-12-12-quayside-web-chat.md": """---
title: Quayside web chat
kind: web-chat
team: quayside
start: 2026-12-12 19:00
online: https://webchat.testshire.police.example/quayside
summary: Ask the Quayside team about the marina.
---
""",
}


@pytest.fixture(scope="module")
def events_site(tmp_path_factory) -> Path:
    """The minimal site with EVENTS written over it (one copy per test module)."""
    return copy_site(MINIMAL, tmp_path_factory.mktemp("events") / "site", EVENTS)


@pytest.fixture(scope="module")
def events_build(events_site, tmp_path_factory) -> Path:
    """events_site built at NOW: returns the output folder."""
    out = tmp_path_factory.mktemp("events-out") / "_site"
    pipeline.build(events_site, out, now=NOW)
    return out


@pytest.fixture
def site_copy(tmp_path):
    """Return a function that makes a modified copy of the minimal site: site_copy({path: text})."""
    def make(overlay: dict[str, str | None] | None = None) -> Path:
        return copy_site(MINIMAL, tmp_path / "site", overlay)
    return make


@pytest.fixture(scope="session")
def minimal_build(tmp_path_factory) -> Path:
    """The minimal fixture site, built once: returns the output folder."""
    out = tmp_path_factory.mktemp("minimal") / "_site"
    pipeline.build(MINIMAL, out, now=NOW)
    return out


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Path:
    """The demo force (the repo's own content/), built once at NOW: returns the output folder."""
    out = tmp_path_factory.mktemp("demo") / "_site"
    pipeline.build(REPO, out, now=NOW, jobs=2)
    return out


@pytest.fixture(scope="session")
def force2_build(tmp_path_factory) -> Path:
    """The second demo force (examples/dyfed-powys), built once at NOW: returns the output folder."""
    out = tmp_path_factory.mktemp("dyfed-powys") / "_site"
    pipeline.build(DYFED_POWYS, out, now=NOW, jobs=2)
    return out
