"""Major-incident messages: a banner on every page while active, first in feeds, posted; gone after."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import REPO
from quality.tools import copy_demo
from wmpsite.features import cms
from wmpsite.build import pipeline

ALERT = """---
title: "Major incident: chemical fire at Tyseley"
severity: critical
start: 2026-11-25 06:00
end: 2026-11-26 06:00
summary: "Keep doors and windows closed if you live near Tyseley."
---
A large fire is producing smoke. [Advice on staying safe indoors](https://www.gov.uk/).
"""
DURING = dt.datetime(2026, 11, 25, 12, 0)
AFTER = dt.datetime(2026, 11, 26, 6, 0)   # the end itself: no longer active
ALERT_ID = "tag:www.west-midlands.police.example,2026-11-25:alert/tyseley-fire"


@pytest.fixture(scope="module")
def demo_with_alert(tmp_path_factory) -> Path:
    """A copy of the demo force with one force-wide alert added."""
    root = copy_demo(tmp_path_factory.mktemp("demo-alert") / "site")
    (root / "content/alerts/2026-11-25-tyseley-fire.md").write_text(ALERT, encoding="utf-8")
    return root


def build(root: Path, out: Path, now) -> Path:
    pipeline.build(root, out, now=now, jobs=2, cache=False)
    return out


def html_files(out: Path) -> list[Path]:
    """Every page a resident can open: not the editors' content manager at /admin/."""
    files = sorted(p for p in out.rglob("*.html") if not p.relative_to(out).as_posix().startswith(f"main/{cms.FOLDER}/"))
    assert len(files) > 100
    return files


def test_banner_is_on_every_page_of_every_site_during_the_incident(demo_with_alert, tmp_path):
    out = build(demo_with_alert, tmp_path / "out", DURING)
    for path in html_files(out):
        html = path.read_text(encoding="utf-8")
        assert '<section class="alert alert--critical" id="alert-tyseley-fire" ' \
               'aria-labelledby="alert-tyseley-fire-title">' in html, path
        assert "chemical fire at Tyseley" in html
        # It comes before the masthead, and is not a live region (no alarm for screen readers).
        assert html.index('id="alert-tyseley-fire"') < html.index('<header class="masthead">')
        assert "aria-live" not in html.split('<header class="masthead">')[0]
        assert 'role="alert"' not in html


def test_banner_is_gone_at_the_first_build_after_the_end(demo_with_alert, tmp_path):
    out = build(demo_with_alert, tmp_path / "out", AFTER)
    for path in html_files(out):
        assert 'class="alert ' not in path.read_text(encoding="utf-8"), path
    feed = json.loads((out / "main/feeds/news/feed.json").read_text(encoding="utf-8"))
    assert ALERT_ID not in [item["id"] for item in feed["items"]]


def test_the_normal_demo_build_shows_no_banner(demo_build):
    # The demo's own incident (content/alerts/) is in the past, ready to be switched on.
    assert list((REPO / "content/alerts").glob("*.md"))
    for path in html_files(demo_build):
        assert 'class="alert ' not in path.read_text(encoding="utf-8"), path


def test_the_demos_past_incident_switches_on_by_changing_its_dates(tmp_path):
    # As its own comment says: set `start` to now and `end` to later, build. Nothing else to edit.
    root = copy_demo(tmp_path / "site")
    path = root / "content/alerts/2026-02-03-birmingham-flooding.md"
    text = path.read_text(encoding="utf-8")
    assert "start: 2026-02-03 06:30\n" in text and "end: 2026-02-04 18:00\n" in text
    path.write_text(text.replace("start: 2026-02-03 06:30", "start: 2026-11-25 06:00")
                    .replace("end: 2026-02-04 18:00", "end: 2026-11-26 06:00"), encoding="utf-8")
    out = build(root, tmp_path / "out", DURING)
    others = {p.name for p in (REPO / "content/lpus").iterdir()} - {"birmingham-south"}
    banner = '<section class="alert alert--major" id="alert-birmingham-flooding" '
    shown, not_shown = 0, 0
    for page in html_files(out):
        rel = page.relative_to(out).parts
        html = page.read_text(encoding="utf-8")
        if rel[0] == "main" and len(rel) > 2 and rel[1] in others:   # another LPU's local site
            assert 'class="alert ' not in html, page
            not_shown += 1
        else:                                                       # the main site and Birmingham South's
            assert banner in html and "Bristol Road closed" in html, page
            shown += 1
    assert shown > 50 and not_shown > 50
    alert_id = "tag:www.west-midlands.police.example,2026-11-25:alert/birmingham-flooding"
    for feed in ("main/feeds/news/feed.json", "main/birmingham-south/feeds/news/feed.json",
                 "main/social/x-brumsouthpolice.json", "main/social/x-wmpolice.json"):
        assert json.loads((out / feed).read_text(encoding="utf-8"))["items"][0]["id"] == alert_id, feed
    assert "birmingham-flooding" not in (out / "main/coventry/feeds/news/feed.json").read_text(encoding="utf-8")


def test_alert_is_the_first_item_of_the_news_feeds_with_a_stable_id(demo_with_alert, tmp_path):
    out = build(demo_with_alert, tmp_path / "out", DURING)
    for feed_dir in (out / "main/feeds/news", out / "main/birmingham-south/feeds/news"):
        feed = json.loads((feed_dir / "feed.json").read_text(encoding="utf-8"))
        first = feed["items"][0]
        assert first["id"] == ALERT_ID
        assert first["title"] == "Critical incident: Major incident: chemical fire at Tyseley"
        assert first["url"] == "https://www.west-midlands.police.example/alerts/tyseley-fire/"  # its own page
        rss = (feed_dir / "rss.xml").read_text(encoding="utf-8")
        assert rss.index(ALERT_ID) < rss.index("<item>", rss.index("<item>") + 1) if rss.count("<item>") > 1 \
            else ALERT_ID in rss


def _social(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*/social/*.json")}


def test_alert_is_posted_by_the_main_lpu_and_team_accounts_but_not_officers(demo_with_alert, tmp_path):
    out = build(demo_with_alert, tmp_path / "out", DURING)
    feeds = _social(out)
    first = {key: (f["items"][0]["id"] if f["items"] else None) for key, f in feeds.items()}
    assert first["x-wmpolice"] == ALERT_ID                 # the force's main account
    assert first["x-brumsouthpolice"] == ALERT_ID          # an LPU's
    assert first["x-wmpsellyoak"] == ALERT_ID              # a team's
    officers = [k for k, f in feeds.items() if f["_wmpsite"]["account"]["owner"].startswith(("PC ", "Sgt ", "PCSO "))]
    assert officers and all(first[k] != ALERT_ID for k in officers)
    post = feeds["x-wmpolice"]["items"][0]["_wmpsite"]["post"]["text"]
    assert post.startswith("Major incident: chemical fire at Tyseley")


def test_alert_for_one_lpu_shows_on_its_pages_and_the_main_site_only(site_copy, tmp_path):
    site = site_copy({"content/alerts/2026-11-25-flood.md": ALERT.replace(
        "severity: critical", "severity: major\nlpus:\n  - northfield")})
    out = build(site, tmp_path / "out", DURING)
    shown = {p.relative_to(out).as_posix() for p in out.rglob("*.html") if 'class="alert ' in p.read_text()}
    assert "main/index.html" in shown and "main/northfield/index.html" in shown
    assert not any(p.startswith("riverside/") for p in shown)          # the LPU on its own address
    riverside = json.loads((out / "riverside/feeds/news/feed.json").read_text(encoding="utf-8"))
    assert all("alert/" not in item["id"] for item in riverside["items"])
    northfield = json.loads((out / "main/northfield/feeds/news/feed.json").read_text(encoding="utf-8"))
    assert northfield["items"][0]["url"] == "https://www.testshire.police.example/alerts/flood/"


# --- the alert's own page -------------------------------------------------------------------------

def test_banner_links_to_the_alerts_own_page_with_the_full_message(site_copy, tmp_path):
    site = site_copy({"content/alerts/2026-11-25-flood.md": ALERT.replace(
        "severity: critical", "severity: major\nlpus:\n  - northfield")})
    out = build(site, tmp_path / "out", DURING)
    banner = (out / "main/northfield/index.html").read_text()
    assert '<a href="/alerts/flood/">Read the full message' in banner
    page = (out / "main/alerts/flood/index.html").read_text()
    main = page[page.index("<main"):page.index("</main>")]
    assert "<h1>Major incident: chemical fire at Tyseley</h1>" in main
    assert "Advice on staying safe indoors" in main                      # the full text
    assert '<time datetime="2026-11-25T06:00+00:00">Wednesday 25 November 2026, 6am</time>' in main
    assert "Expected to end" in main and '<a href="/northfield/">Northfield</a>' in main
    assert "has ended" not in main
    assert "https://www.testshire.police.example/alerts/flood/" in (out / "main/sitemap.xml").read_text()


def test_after_it_ends_the_page_stays_and_says_so(demo_with_alert, tmp_path):
    out = build(demo_with_alert, tmp_path / "out", AFTER)
    page = (out / "main/alerts/tyseley-fire/index.html").read_text()
    main = page[page.index("<main"):page.index("</main>")]
    assert "(ended)</h1>" in main and "This message has ended." in main
    assert "All of West Midlands Police" in main and "Keep doors and windows closed" in main
    assert 'class="alert ' not in page                                   # no banner any more


def test_an_alert_not_started_yet_has_no_page(demo_with_alert, tmp_path):
    out = build(demo_with_alert, tmp_path / "out", dt.datetime(2026, 11, 24, 12, 0))
    assert not (out / "main/alerts/tyseley-fire").exists()
    # The demo's past incident keeps its page, which says it ended.
    assert "This message has ended." in (out / "main/alerts/birmingham-flooding/index.html").read_text()
