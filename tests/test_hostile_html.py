"""Nothing an editor types reaches a resident as live markup: not on a page, not in any feed.

The editor-facing checks name what is not allowed (tests/sites/invalid/hidden-html
pins the messages); here the checks are silenced (hostile.build_unchecked) so that
every payload of the corpus reaches the sanitiser, and every page and feed is parsed.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hostile
from conftest import MINIMAL, NOW, copy_site
from wmpsite.build import pipeline
from wmpsite.content.markdown import convert_body
from wmpsite.content.sanitise import sanitise
from wmpsite.core.errors import BuildFailed

RSS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
ATOM = "{http://www.w3.org/2005/Atom}"
STORY = "content/news/2026-11-20-hostile-story.md"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    out = tmp / "_site"
    hostile.build_unchecked(hostile.write_hostile_site(tmp / "site"), out)
    return out


def test_the_report_reproducer_never_reaches_a_page_or_feed():
    body, errors = convert_body(STORY, '<!--><meta http-equiv="refresh" content="0;url=https://evil.example/">-->'
                                "\n\n<![CDATA[><img src=x onerror=alert(1)>]]>\n", 6)
    tree = hostile.html_fragment(body.html)
    assert hostile.live_markup(tree, STORY, page=False) == []
    assert not tree.xpath("//meta | //img[@onerror]")
    assert [(e.line, e.message) for e in errors] == [
        (6, "the HTML tag <meta> is not allowed in content"), (8, "the HTML tag <img> is not allowed in content")]


@pytest.mark.parametrize("name,text", hostile.CORPUS, ids=[name for name, _ in hostile.CORPUS])
def test_each_payload_is_inert_and_live_ones_are_named_to_the_editor(name, text):
    source = f"Opening words.\n\n{text}\n"
    body, errors = convert_body("content/pages/x.md", source, 5)
    assert hostile.live_markup(hostile.html_fragment(body.html), name, page=False) == []
    unsanitised = hostile.html_fragment(_markdown_alone(source))
    if hostile.live_markup(unsanitised, name, page=False):
        assert errors, f"{name}: Markdown alone makes live markup, and the editor is told nothing"
        assert {e.line for e in errors} == {7}, [str(e) for e in errors]


def _markdown_alone(source: str) -> str:
    """What our Markdown makes of `source` without the sanitiser: is there something to stop?"""
    import markdown

    from wmpsite.content.markdown import EXTENSION_CONFIGS, EXTENSIONS
    return markdown.markdown(source, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def test_the_checked_build_fails_naming_every_hostile_file(tmp_path):
    root = hostile.write_hostile_site(tmp_path / "site")
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(root, now=NOW, cache=False)
    named = {e.path for e in failed.value.errors}
    assert named == set(hostile.hostile_files())


def test_every_hostile_item_has_its_page_with_the_payload_as_text(hostile_build):
    for path in ("news/hostile-story/", "hostile-page/", "alerts/hostile-alert/", "appeals/hostile-appeal/",
                 "appeals/hostile-ended/"):
        page = hostile_build / "main" / path / "index.html"
        text = hostile.page_tree(page).text_content()
        assert "Opening words" in text or "ended" in path, path
    story = hostile.page_tree(hostile_build / "main/news/hostile-story/index.html")
    assert '<meta http-equiv="refresh"' in story.findtext(".//h1")  # the title, shown as the words typed


def test_no_page_has_live_markup(hostile_build):
    pages = sorted(hostile_build.rglob("*.html"))
    assert len(pages) > 20
    found = [problem for page in pages
             for problem in hostile.live_markup(hostile.page_tree(page), str(page.relative_to(hostile_build)),
                                                page=True)]
    assert found == []


def test_no_feed_has_live_markup(hostile_build):
    found, checked = [], 0
    for feed in sorted(hostile_build.rglob("rss.xml")):
        where = str(feed.relative_to(hostile_build))
        channel = hostile.xml_tree(feed).getroot().find("channel")
        # a reader reads an RSS title and description as HTML
        for el in channel.iter("title", "description", RSS_CONTENT):
            checked += 1
            found += hostile.live_markup(hostile.html_fragment(el.text), where, page=False)
    for feed in sorted(hostile_build.rglob("atom.xml")):
        where = str(feed.relative_to(hostile_build))
        for el in hostile.xml_tree(feed).getroot().iter(f"{ATOM}content", f"{ATOM}title", f"{ATOM}summary",
                                                         f"{ATOM}subtitle"):
            checked += 1
            if el.tag == f"{ATOM}content":
                assert el.get("type") == "html"
                found += hostile.live_markup(hostile.html_fragment(el.text), where, page=False)
            else:
                assert el.get("type") in (None, "text"), (where, el.tag)  # plain text: never read as HTML
    for feed in sorted(hostile_build.rglob("*.json")):
        data = json.loads(feed.read_bytes())
        for item in data.get("items", ()) if isinstance(data, dict) else ():
            checked += 1
            found += hostile.live_markup(hostile.html_fragment(item.get("content_html", "")), str(feed),
                                         page=False)
    assert checked > 100
    assert found == []


def test_rss_summary_and_title_are_plain_text(tmp_path):
    summary = "x<img src=x onerror=alert(11)>"
    root = copy_site(MINIMAL, tmp_path / "site", {STORY: f"""---
title: "Fish & chips <b>night</b>"
date: 2026-11-20 10:00
summary: "{summary}"
---
Words.
"""})
    pipeline.build(root, tmp_path / "out", now=NOW, cache=False)
    channel = hostile.xml_tree(tmp_path / "out/main/feeds/news/rss.xml").getroot().find("channel")
    item = next(i for i in channel.iter("item") if "hostile-story" in i.findtext("link"))
    for field, typed in (("description", summary), ("title", "Fish & chips <b>night</b>")):
        shown = hostile.html_fragment(item.findtext(field))
        assert len(shown) == 0, (field, lxml.html.tostring(shown))  # no elements: the reader shows text
        assert shown.text_content() == typed
    atom = hostile.xml_tree(tmp_path / "out/main/feeds/news/atom.xml").getroot()
    entry = next(e for e in atom.iter(f"{ATOM}entry") if "hostile-story" in e.findtext(f"{ATOM}id"))
    assert entry.findtext(f"{ATOM}summary") == summary  # Atom's text type: the words as typed
    feed = json.loads((tmp_path / "out/main/feeds/news/feed.json").read_bytes())
    assert next(i for i in feed["items"] if "hostile-story" in i["id"])["summary"] == summary


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.sampled_from([text for _, text in hostile.CORPUS]),
                          st.text(alphabet="<>/=\"' !-[]()&#;:xjavscriptonerlgmd\n", max_size=30)),
                min_size=1, max_size=6))
def test_any_mix_of_payloads_and_markup_characters_is_inert(pieces):
    body, _ = convert_body("content/pages/x.md", "".join(pieces), 5)
    assert hostile.live_markup(hostile.html_fragment(body.html), repr(pieces), page=False) == []
    assert sanitise(body.html) == body.html  # what reaches residents is already the sanitiser's own output


def test_a_problem_in_a_long_html_block_is_named_on_its_own_line():
    _, errors = convert_body("content/pages/x.md", "Words.\n\n<div>\n<p>Fine</p>\n<p onclick=\"go()\">Not</p>\n"
                             "</div>\n", 5)
    assert [(e.line, e.message) for e in errors] == [(9, "the attribute 'onclick' on <p> is not allowed in content")]
