"""The table of content kinds (build/kinds.py) is the one place the build learns what kinds exist:
every content type is made and gathered by exactly one kind, no page kind has two builders, and a
kind added to the table reaches the plan, the pages, the sitemap, the feeds and the written files
without a change to any stage."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter

from conftest import MINIMAL, NOW, REPO, copy_site
from wmpsite import cli
from wmpsite.build import kinds as table, pipeline
from wmpsite.outputs import calendar
from wmpsite.present.kit import Kit
from wmpsite.content.content_types import CONTENT_TYPES
from wmpsite.content.loader import content_type_of, content_types
from wmpsite.core.kind import Kind
from wmpsite.core.model import Force
from wmpsite.core.page import Built, FeedSpec, PlannedPage, Task

KINDS = table.KINDS


def test_each_content_type_is_made_by_one_kind_and_gathered_into_one_field():
    made = Counter(content_type.name for kind in KINDS for content_type, _ in kind.makers)
    gathered = Counter(t.name for kind in KINDS for c in kind.collections for t in c.types)
    every = Counter(t.name for t in CONTENT_TYPES)
    assert made == every
    assert gathered == every


def test_the_collections_fill_every_field_of_the_force_once():
    filled = Counter(c.field for kind in KINDS for c in kind.collections)
    # the static files come from static/; the unpublished items are what settling sets aside
    fields = {f.name for f in dataclasses.fields(Force)} - {"static_files", "unpublished"}
    assert set(filled) == fields
    assert max(filled.values()) == 1


def test_no_page_kind_has_two_builders_and_each_has_its_template():
    names = Counter(name for kind in KINDS for name in kind.builders)
    assert [name for name, count in names.items() if count > 1] == []
    missing = [name for name in names if not (REPO / "templates" / f"{name}.html").is_file()]
    assert missing == []


def test_a_file_is_of_the_type_whose_place_it_fits():
    types = content_types(KINDS)
    cases = {("pages", "about-us.md"): "page", ("lpus", "coventry", "_index.md"): "LPU",
             ("lpus", "coventry", "teams", "foleshill.md"): "team",
             ("lpus", "coventry", "news", "2026-03-01-bikes.md"): "local news",
             ("lpus", "coventry", "questions", "2026-03-01-q.md"): "local question",
             ("gallery", "2026-03-01-canal.md"): "photo of the day"}
    assert {parts: content_type_of(parts, types).name for parts in cases} == cases
    assert content_type_of(("lpus", "coventry", "teams", "extra", "x.md"), types) is None
    assert content_type_of(("recipes", "cake.md"), types) is None


# A kind the project has never had: a notice board of the force's press releases, with a page on the
# main site, a feed, a file of its own and a name on every page. Nothing outside this test knows it.
def _plan(config, force, urls, now):
    return [PlannedPage(urls.main("notice-board/"), "notice-board", items=force.news[:2])]


@dataclasses.dataclass(frozen=True)
class BoardContext:
    titles: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class BoardNote:
    board_note: str


def _page(kit, page, site) -> Built[BoardContext]:
    titles = tuple(news.title for news in page.items)
    return Built(BoardContext(titles), "Notice board", "What the force has said lately.")


def _feeds(config, force, urls):
    return [FeedSpec("notice-board", urls.main("feeds/notice-board/"), "Notice board", "Lately.",
                     urls.main("notice-board/"), force.news[:2])]


def _tasks(config, force, urls, moment, cache_file, social):
    data = json.dumps([news.slug for news in force.news], sort_keys=True).encode()
    return [Task("notice board", lambda: [("main/notice-board/slugs.json", data)])]


NOTICE_BOARD = Kind("notice board", plan=_plan, builders={"notice-board": _page}, feeds=_feeds, tasks=_tasks,
                    every_page=lambda kit, page, site: BoardNote("Notice board open"))

TEMPLATE = """{% extends "base.html" %}
{% block main %}
<h1>{{ page.title }}</h1>
<ul>{% for title in titles %}<li>{{ title }}</li>{% endfor %}</ul>
<p>{{ board_note }}</p>
{% endblock %}
"""


def test_a_kind_added_to_the_table_reaches_every_stage(tmp_path, monkeypatch):
    site = copy_site(MINIMAL, tmp_path / "site", {"templates/notice-board.html": TEMPLATE})
    monkeypatch.setattr(pipeline, "KINDS", (*KINDS, NOTICE_BOARD))
    out = tmp_path / "out"
    checked = pipeline.build(site, out, now=NOW)

    assert [p.kind for p in checked.plan][-1] == "notice-board"  # planned after every kind before it
    page = (out / "main/notice-board/index.html").read_text(encoding="utf-8")
    newest = checked.force.news[0].title
    assert f"<li>{newest}</li>" in page and "<p>Notice board open</p>" in page
    assert "/notice-board/</loc>" in (out / "main/sitemap.xml").read_text(encoding="utf-8")
    feed = json.loads((out / "main/feeds/notice-board/feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["title"] == newest
    assert json.loads((out / "main/notice-board/slugs.json").read_bytes()) == [n.slug for n in checked.force.news]


def test_without_the_kind_its_outputs_are_gone(tmp_path):
    out = tmp_path / "out"
    pipeline.build(copy_site(MINIMAL, tmp_path / "site"), out, now=NOW)
    assert not (out / "main/notice-board").exists()
    assert not (out / "main/feeds/notice-board").exists()



def _build_with_a_bug(tmp_path, capsys) -> tuple[int, str]:
    code = cli.main(["build", "--source", str(copy_site(MINIMAL, tmp_path / "site")), "--output",
                     str(tmp_path / "out"), "--now", "2026-11-25", "--quiet"])
    return code, capsys.readouterr().err


def test_a_bug_met_on_a_story_names_the_story_and_what_was_being_made(tmp_path, monkeypatch, capsys):
    """A KeyError inside wmpsite is exit 3 and a wmpsite bug: the report names the content file and the
    output it was making, and blames neither the content nor the template."""
    real = Kit.body

    def body(self, item, site, field="body"):
        if item.slug == "new-chief":
            raise KeyError("no-such-key")
        return real(self, item, site, field)

    monkeypatch.setattr(Kit, "body", body)
    code, err = _build_with_a_bug(tmp_path, capsys)
    assert code == 3, err
    assert "KeyError: 'no-such-key' (while making the " in err
    assert " from content/news/2026-02-01-new-chief.md)" in err
    assert "This is a bug in wmpsite, not in your content" in err and "template" not in err
    assert not (tmp_path / "out").exists()


def test_a_bug_met_on_a_meeting_names_the_team_file_it_came_from(tmp_path, monkeypatch, capsys):
    real = calendar._vevent

    def vevent(event, urls):
        if event.title == "Have your say in Oldtown":
            raise KeyError("no-such-key")
        return real(event, urls)

    monkeypatch.setattr(calendar, "_vevent", vevent)
    code, err = _build_with_a_bug(tmp_path, capsys)
    assert code == 3, err
    assert ("KeyError: 'no-such-key' (while making the calendar of Have your say in Oldtown from "
            "content/lpus/northfield/teams/oldtown.md)") in err
