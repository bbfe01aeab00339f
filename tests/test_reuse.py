"""A rebuild keeps the pages of the tree before that cannot have changed (wmpsite/build/reuse.py),
and a kept page is always the page a clean build writes: every kind of edit is followed by a
comparison with a clean build, byte for byte."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pytest

from conftest import EVENTS, MINIMAL, NOW, copy_site
from test_build import tree_digest
from wmpsite.build import pipeline, render, reuse
from wmpsite.core.config import THEME_ROOT
from wmpsite.core.moment import Moment
from wmpsite.build.render import Renderer

ALERT = """---
title: "Major incident: flooding in Oldtown"
severity: critical
start: 2026-11-25 14:00
end: 2026-11-25 20:00
lpus: [northfield]
summary: "Avoid the river roads."
---
Roads by the river are closed. Follow the [advice](https://www.gov.uk/).
"""


@pytest.fixture
def rendered(monkeypatch):
    """The files of the pages rendered in this process (build with jobs=1), cleared by the test."""
    pages: list[str] = []
    real = Renderer.render

    def render(self, page, shown=None):
        pages.append(page.location.file)
        return real(self, page, shown)

    monkeypatch.setattr(Renderer, "render", render)
    return pages


@pytest.fixture
def site(tmp_path):
    """The minimal site with events, an alert and its own copy of the theme's templates."""
    root = copy_site(MINIMAL, tmp_path / "site", {**EVENTS, "content/alerts/2026-11-25-flooding.md": ALERT})
    shutil.copytree(THEME_ROOT / "templates", root / "templates")
    return root


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new))


def clean(site, tmp_path, name, now=NOW):
    out = tmp_path / "clean" / name
    pipeline.build(site, out, now=now, cache=False)
    return tree_digest(out)


def test_a_rebuild_with_nothing_changed_renders_no_page(site, tmp_path, rendered, monkeypatch):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW)      # parses every file
    pipeline.build(site, out, now=NOW)      # from the cache; the first tree is now the one to start from
    total = len(rendered)
    rendered.clear()
    feeds = []
    with monkeypatch.context() as patch:
        patch.setattr(render, "render_feeds", lambda *args: feeds.append(args) or {})
        pipeline.build(site, out, now=NOW)
        assert total > 60 and rendered == []  # both first builds render every page; this one none
        assert feeds == []  # nor feeds, calendars, sitemaps: nothing changed at all
        # Later in the same day, with no event or alert starting or ending in between: still nothing.
        pipeline.build(site, out, now=NOW + dt.timedelta(minutes=30))
        assert rendered == [] and feeds == []
    assert tree_digest(out) == clean(site, tmp_path, "same")


def test_editing_a_body_renders_only_the_pages_that_show_it(site, tmp_path, rendered, monkeypatch):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    for _ in range(2):
        pipeline.build(site, out, now=NOW)
    edit(site, "content/news/2026-02-01-new-chief.md", "starts today.", "starts *today*.")
    rendered.clear()
    pipeline.build(site, out, now=NOW)
    assert rendered == ["main/news/new-chief/index.html"]
    pipeline.build(site, out, now=NOW)  # the tree before this one lacks the edit too
    assert rendered == ["main/news/new-chief/index.html"] * 2
    assert tree_digest(out) == clean(site, tmp_path, "body")
    # An LPU's own words are on every page of its site (its view is made once per site).
    edit(site, "content/lpus/northfield/_index.md", "\n---\n", "\n---\nA new first line.\n\n")
    rendered.clear()
    pipeline.build(site, out, now=NOW)
    assert rendered and all("northfield" in page for page in rendered)
    assert tree_digest(out) == clean(site, tmp_path, "lpu")


@pytest.mark.parametrize("change", [
    "title", "template", "stylesheet", "settings", "event over", "chat over", "alert on", "alert over",
    "transcript", "new file", "deleted file"])
def test_every_kind_of_edit_gives_the_bytes_of_a_clean_build(site, tmp_path, monkeypatch, change):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    # The chief's web chat runs 18:30-19:30 on 10 November: during it, then just after (the same day,
    # and nothing else in the plan or the feeds changes, so only the pages' own sense of time does).
    now = dt.datetime(2026, 11, 10, 19) if change == "chat over" else NOW
    for _ in range(3):  # both trees (out and the one before) have records now
        pipeline.build(site, out, now=now, jobs=2)
    if change == "chat over":
        now = dt.datetime(2026, 11, 10, 19, 45)
    elif change == "title":
        edit(site, "content/news/2026-02-01-new-chief.md", "title: ", "title: Updated - ")
    elif change == "template":
        edit(site, "templates/base.html", "<main", "<!-- edited -->\n<main")
    elif change == "stylesheet":
        (site / "static/css").mkdir(parents=True, exist_ok=True)
        shutil.copy(THEME_ROOT / "static/css/site.css", site / "static/css/site.css")
        with open(site / "static/css/site.css", "a") as css:
            css.write("\n.edited { color: inherit; }\n")
    elif change == "settings":
        edit(site, "site.toml", 'name = "Testshire Police"', 'name = "Testshire Constabulary"')
    elif change == "event over":  # the market surgery (2026-12-05 10:00-12:00) has happened
        now = dt.datetime(2026, 12, 5, 12, 30)
    elif change == "alert on":
        now = dt.datetime(2026, 11, 25, 14, 0)
    elif change == "alert over":
        now = dt.datetime(2026, 11, 25, 20, 0)
    elif change == "transcript":  # shown only once the chat is over, which it is at NOW
        edit(site, "content/events/2026-11-10-web-chat-with-the-chief-constable.md",
             "Look up your team's page.", "Look up your team's page on our website.")
    elif change == "new file":
        (site / "content/news/2026-11-20-new-story.md").write_text(
            "---\ntitle: A new story\ndate: 2026-11-20\nsummary: Something happened.\n---\nThe words.\n")
    elif change == "deleted file":
        (site / "content/news/2026-01-05-winter-safety.md").unlink()
    pipeline.build(site, out, now=now, jobs=2)
    assert tree_digest(out) == clean(site, tmp_path, change, now)
    pipeline.build(site, out, now=now, jobs=2)  # and from the other tree
    assert tree_digest(out) == clean(site, tmp_path, change, now)


def test_a_site_built_alone_keeps_its_pages_too(site, tmp_path, rendered, monkeypatch):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    for _ in range(2):
        pipeline.build(site, tmp_path / "out", site="riverside", now=NOW)
    rendered.clear()
    edit(site, "content/lpus/riverside/news/2026-04-01-marina-patrols.md", "\n---\n", "\n---\nNew words.\n\n")
    pipeline.build(site, tmp_path / "out", site="riverside", now=NOW)
    assert rendered == ["riverside/news/marina-patrols/index.html"]
    pipeline.build(site, tmp_path / "whole", now=NOW, cache=False)
    assert tree_digest(tmp_path / "out" / "riverside") == tree_digest(tmp_path / "whole" / "riverside")


def test_without_the_cache_every_page_is_rendered(site, tmp_path, rendered, monkeypatch):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    for _ in range(2):
        pipeline.build(site, tmp_path / "out", now=NOW)
    rendered.clear()
    pipeline.build(site, tmp_path / "out", now=NOW, cache=False)
    assert len(rendered) > 30
    rendered.clear()
    pipeline.build(site, tmp_path / "out", now=NOW)  # and the next build keeps pages again
    assert rendered == []


def test_a_page_changed_in_the_tree_before_is_rendered_again(site, tmp_path, monkeypatch):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    for _ in range(3):
        pipeline.build(site, out, now=NOW)
    page = tmp_path / ".out.previous/main/news/new-chief/index.html"
    data = page.read_bytes()
    page.write_bytes(data.replace(b"<main", b"<MAIN"))  # same size, but the file is not the one recorded
    feed = tmp_path / ".out.previous/main/feeds/news/rss.xml"
    feed.write_bytes(feed.read_bytes().replace(b"<channel>", b"<CHANNEL>"))
    pipeline.build(site, out, now=NOW)
    assert (out / "main/news/new-chief/index.html").read_bytes() == data
    assert tree_digest(out) == clean(site, tmp_path, "by hand")


@pytest.mark.parametrize("record", [b"", b"not a pickle", None])
def test_a_missing_or_unreadable_record_keeps_nothing(site, tmp_path, rendered, monkeypatch, record):
    monkeypatch.setenv("WMPSITE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    for _ in range(2):
        pipeline.build(site, out, now=NOW)
    path = tmp_path / ".out.previous.record"
    if record is None:
        path.unlink()
    else:
        path.write_bytes(record)
    rendered.clear()
    pipeline.build(site, out, now=NOW)
    assert len(rendered) > 30
    assert tree_digest(out) == clean(site, tmp_path, "record")


def test_the_moment_tells_builds_apart_only_when_an_event_or_alert_changes(site):
    checked = pipeline.check(site, now=NOW, cache=False)

    def fingerprint(when):
        return Moment(checked.force, when.replace(tzinfo=checked.now.tzinfo)).fingerprint

    assert fingerprint(dt.datetime(2026, 11, 25, 9)) == fingerprint(dt.datetime(2026, 11, 25, 13, 59))
    assert fingerprint(dt.datetime(2026, 11, 25, 13, 59)) != fingerprint(dt.datetime(2026, 11, 25, 14))  # alert on
    assert fingerprint(dt.datetime(2026, 11, 25, 23)) != fingerprint(dt.datetime(2026, 11, 26, 0, 1))  # a new day
    assert fingerprint(dt.datetime(2026, 12, 5, 11)) != fingerprint(dt.datetime(2026, 12, 5, 12, 1))  # surgery over


def test_bodies_are_named_apart_and_a_shared_name_is_never_trusted(site):
    force = pipeline.check(site, now=NOW, cache=False).force
    digests = reuse.body_digests(force)
    news = force.news[0]
    assert digests[reuse.body_key(news, "body")] == reuse.digest(news.body.html)
    event = next(e for e in force.events if e.transcript is not None)
    assert digests[reuse.body_key(event, "transcript")] != digests[reuse.body_key(event, "body")]
    assert None not in digests.values()
    # Two bodies under one name (were there ever such items) make it unknown: no page showing it is kept.
    twin = dataclasses.replace(news, body=dataclasses.replace(news.body, html="<p>Other words.</p>"))
    assert reuse.body_digests(dataclasses.replace(force, news=(*force.news, twin)))[
        reuse.body_key(news, "body")] is None
