"""`unpublish_on` on every kind of content: events, photos of the day and answered questions
leave lists, feeds, calendars, search and sitemaps past that date, and their pages show a short notice.

News, pages, advice and appeals are covered in test_appeals.py."""

from __future__ import annotations

import json

import pytest

from conftest import MINIMAL, NOW, copy_site
from leaks import traces
from test_gallery import write_jpeg
from wmpsite.build import pipeline

GONE_WORDS = ["Vanishingevent", "Vanishingeventbody", "Vanishinglocal", "Vanishingphoto", "Vanishingcaption",
              "Vanishingquestion", "Vanishinganswer"]

OVERLAY = {
    # A force-wide event still to come, taken down before it happens.
    "content/events/2026-12-01-cancelled-gathering.md": """---
title: Vanishingevent gathering
kind: community-event
start: 2026-12-01 10:00
location: Town Hall, Testshire
summary: A gathering that will not happen.
unpublish_on: 2026-11-20
---
Vanishingeventbody text.
""",
    # An LPU's past event, taken down at a time of day before the build.
    "content/lpus/northfield/events/2026-11-01-old-surgery.md": """---
title: Vanishinglocal surgery
kind: beat-surgery
start: 2026-11-01 10:00
location: Oldtown Market Square
summary: A surgery we no longer list.
unpublish_on: 2026-11-25 09:00
---
""",
    # The control: taken down only after the build date.
    "content/events/2026-12-02-still-on.md": """---
title: Stillonevent fair
kind: community-event
start: 2026-12-02 10:00
location: Town Hall, Testshire
summary: A fair that goes ahead.
unpublish_on: 2026-12-03
---
""",
    "content/gallery/2026-11-10-gone.md": """---
title: Vanishingphoto at dawn
date: 2026-11-10
photo: {src: images/gallery/gone.jpg, alt: A field at dawn}
caption: Vanishingcaption of a field.
unpublish_on: 2026-11-24
---
""",
    "content/gallery/2026-11-11-kept.md": """---
title: Keptphoto at dusk
date: 2026-11-11
photo: {src: images/gallery/kept.jpg, alt: A field at dusk}
caption: A field at dusk.
---
""",
    "content/lpus/northfield/questions/2026-10-03-gone.md": """---
title: Vanishingquestion about the counter
question: Why was it closed?
asked: 2026-09-30
answered: 2026-10-03
unpublish_on: 2026-11-01
---
Vanishinganswer: it was being repaired.
""",
    "content/questions/2026-10-05-kept.md": """---
title: Keptquestion about vans
question: Where are the vans?
asked: 2026-10-01
answered: 2026-10-05
---
We publish where they go.
""",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("unpublish")
    site = copy_site(MINIMAL, tmp / "site", OVERLAY)
    write_jpeg(site / "static/images/gallery/gone.jpg", colour=(200, 30, 30))
    write_jpeg(site / "static/images/gallery/kept.jpg")
    out = tmp / "_site"
    pipeline.build(site, out, now=NOW)
    return out


@pytest.mark.parametrize("rel, back", [
    ("main/events/2026-12-01-cancelled-gathering/index.html", 'href="/events/">Events</a>'),
    ("main/northfield/events/2026-11-01-old-surgery/index.html", 'href="/northfield/events/">Events</a>'),
    ("main/gallery/gone/index.html", 'href="/gallery/">Photo of the day</a>'),
    # Northfield's only question is gone, so Northfield has no list of its own: back to the force's.
    ("main/northfield/rate-your-local-police/gone/index.html",
     'href="/rate-your-local-police/">Rate your local police</a>'),
])
def test_the_address_stays_with_a_short_notice_and_noindex(built, rel, back):
    page = (built / rel).read_text()
    assert "This page is no longer available" in page and back in page
    assert '<meta name="robots" content="noindex">' in page
    assert "data-pagefind-body" not in page


def test_nothing_of_them_is_left_in_lists_feeds_calendars_search_or_sitemaps(built):
    assert traces(built, GONE_WORDS) == []
    for sitemap in built.rglob("sitemap*.xml"):
        text = sitemap.read_text()
        assert "cancelled-gathering" not in text and "old-surgery" not in text and "/gone/" not in text
    # No calendar file of their own, and the calendars to subscribe to leave them out.
    assert not list(built.rglob("2026-12-01-cancelled-gathering.ics"))
    assert not list(built.rglob("2026-11-01-old-surgery.ics"))
    for ics in ("main/events/calendar.ics", "main/northfield/events/calendar.ics"):
        assert "cancelled-gathering" not in (built / ics).read_text()
        assert "old-surgery" not in (built / ics).read_text()
    # The photo's file and its resized copies are not copied at all.
    assert not [p for p in built.rglob("gone*") if p.is_file()]


def test_items_before_their_date_and_without_one_are_unchanged(built):
    events = (built / "main/events/index.html").read_text()
    assert "Stillonevent fair" in events and "Stillonevent" in (built / "main/events/calendar.ics").read_text()
    assert "Keptphoto at dusk" in (built / "main/gallery/index.html").read_text()
    assert [p.name for p in (built / "main/images/gallery").glob("kept*")]
    feed = json.loads((built / "main/feeds/questions/feed.json").read_text())
    assert [i["title"] for i in feed["items"]] == ["Keptquestion about vans"]
