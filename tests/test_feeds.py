"""Feeds: real feed readers parse them, required elements are there, links lead to built pages."""

from __future__ import annotations

import email.utils
import json
import re
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import MINIMAL, NOW, copy_site
from wmpsite.build import pipeline

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def feed_files(out: Path, name: str) -> list[Path]:
    return sorted(out.rglob(name))


MINIMAL_SITES = (("main", "https://www.testshire.police.example/"),
                 ("riverside", "https://riverside.testshire.police.example/"))
#: The second demo force (examples/dyfed-powys) has one site.
DYFED_POWYS_SITES = (("main", "https://www.dyfed-powys.police.example/"),)


def page_for(out: Path, url: str, sites=MINIMAL_SITES) -> Path:
    """The built file a URL of the minimal force (or of the force of `sites`) points to."""
    for site, base in sites:
        if url.startswith(base):
            rel = url[len(base):].split("#")[0]
            return out / site / (rel + "index.html" if rel.endswith("/") or not rel else rel)
    raise AssertionError(f"{url} is not on a site of this force")


def test_every_feed_parses_without_bozo_and_links_resolve(minimal_build):
    feeds = feed_files(minimal_build, "rss.xml") + feed_files(minimal_build, "atom.xml")
    assert len(feeds) == 2 * 8  # news, press releases, appeals, 2 LPUs, 2 teams, 1 tag
    for file in feeds:
        parsed = feedparser.parse(file.read_bytes())
        assert not parsed.bozo, (file, parsed.get("bozo_exception"))
        assert page_for(minimal_build, parsed.feed.link).is_file(), file
        for entry in parsed.entries:
            assert page_for(minimal_build, entry.link).is_file(), (file, entry.link)
            for href in lxml_html.fromstring(f"<div>{entry.content[0].value}</div>").xpath("//a/@href"):
                if "testshire" in href:
                    assert page_for(minimal_build, href).is_file(), (file, href)


def test_every_feed_of_the_second_force_parses_and_its_links_resolve(force2_build):
    feeds = feed_files(force2_build, "rss.xml") + feed_files(force2_build, "atom.xml")
    assert len(feeds) > 2 * 30  # news, press releases, appeals, 4 LPUs, 15 teams, its tags
    for file in feeds:
        parsed = feedparser.parse(file.read_bytes())
        assert not parsed.bozo, (file, parsed.get("bozo_exception"))
        assert page_for(force2_build, parsed.feed.link, DYFED_POWYS_SITES).is_file(), file
        for entry in parsed.entries:
            assert page_for(force2_build, entry.link, DYFED_POWYS_SITES).is_file(), (file, entry.link)
    for file in feed_files(force2_build, "feed.json"):
        assert json.loads(file.read_bytes())["version"] == "https://jsonfeed.org/version/1.1", file


def test_rss_has_required_elements_and_dates(minimal_build):
    for file in feed_files(minimal_build, "rss.xml"):
        channel = etree.parse(str(file)).getroot().find("channel")
        for required in ("title", "link", "description"):
            assert channel.findtext(required), (file, required)
        for item in channel.findall("item"):
            assert item.findtext("title") and item.findtext("link") and item.findtext("guid")
            assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert channel.find("{http://www.w3.org/2005/Atom}link[@rel='self']").get("href").endswith(
            file.relative_to(minimal_build).as_posix().split("/", 1)[1])


def test_atom_has_required_elements_and_dates(minimal_build):
    for file in feed_files(minimal_build, "atom.xml"):
        feed = etree.parse(str(file)).getroot()
        assert feed.tag == f"{ATOM}feed"
        assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}title")
        assert RFC3339.fullmatch(feed.findtext(f"{ATOM}updated"))
        assert feed.find(f"{ATOM}author/{ATOM}name") is not None
        for entry in feed.findall(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}id").startswith("tag:")
            assert RFC3339.fullmatch(entry.findtext(f"{ATOM}updated"))
            assert entry.find(f"{ATOM}link").get("href").startswith("https://")


def test_feed_contents_are_the_right_items_newest_first(minimal_build):
    def titles(rel):
        return [e.title for e in feedparser.parse((minimal_build / rel).read_bytes()).entries]

    assert titles("main/feeds/press-releases/rss.xml") == ["Free bike marking in Northfield", "Stay safe this winter"]
    assert titles("main/feeds/news/atom.xml") == [
        "Free bike marking in Northfield", "New Chief Constable starts work", "Stay safe this winter"]
    assert titles("main/northfield/feeds/news/rss.xml") == [
        "Speed checks on the High Street", "Free bike marking in Northfield"]
    # A team's feed carries its news and its priorities.
    assert titles("main/northfield/feeds/teams/oldtown/rss.xml") == [
        "Speed checks on the High Street", "Priority (in progress): Speeding on the High Street"]
    assert titles("main/feeds/tags/bike-theft/rss.xml") == ["Free bike marking in Northfield"]
    assert titles("main/feeds/appeals/rss.xml") == []  # no story of the minimal force is an appeal
    assert titles("riverside/feeds/news/rss.xml") == ["Extra patrols at the marina"]


def test_feed_content_is_full_html_with_absolute_links(minimal_build):
    entry = feedparser.parse((minimal_build / "main/feeds/news/atom.xml").read_bytes()).entries[0]
    assert entry.content[0].type == "text/html"
    assert 'href="https://www.testshire.police.example/advice/burglary/#lock-it"' in entry.content[0].value


def test_json_feed_is_version_1_1_with_the_same_items(minimal_build):
    for file in feed_files(minimal_build, "feed.json"):
        feed = json.loads(file.read_text(encoding="utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["feed_url"].endswith(file.relative_to(minimal_build).as_posix().split("/", 1)[1])
        rss = feedparser.parse(file.with_name("rss.xml").read_bytes())
        assert [i["id"] for i in feed["items"]] == [e.id for e in rss.entries]
        for item in feed["items"]:
            assert RFC3339.fullmatch(item["date_published"]) and item["content_html"]


def test_every_page_offers_its_feeds_for_autodiscovery(minimal_build):
    def alternates(rel):
        doc = lxml_html.fromstring((minimal_build / rel).read_bytes())
        return doc.xpath("//head/link[@rel='alternate']/@href")

    assert alternates("main/index.html") == ["/feeds/news/rss.xml", "/feeds/news/atom.xml",
                                             "/feeds/press-releases/rss.xml", "/feeds/press-releases/atom.xml"]
    assert alternates("main/northfield/teams/oldtown/index.html") == [
        "/northfield/feeds/news/rss.xml", "/northfield/feeds/news/atom.xml",
        "/northfield/feeds/teams/oldtown/rss.xml", "/northfield/feeds/teams/oldtown/atom.xml"]
    for file in minimal_build.rglob("*.html"):
        assert lxml_html.fromstring(file.read_bytes()).xpath("//head/link[@rel='alternate']"), file


def ids_and_updated(out: Path) -> dict[str, str]:
    entries = feedparser.parse((out / "main/feeds/news/atom.xml").read_bytes()).entries
    return {e.link.rsplit("/", 2)[-2]: (e.id, e.updated) for e in entries}


def test_ids_never_change_when_an_item_is_edited_or_moved(tmp_path):
    first = tmp_path / "first"
    pipeline.build(MINIMAL, first, now=NOW)
    site = copy_site(MINIMAL, tmp_path / "site")
    story = site / "content/news/2026-02-01-new-chief.md"
    story.write_text(story.read_text().replace("starts today.", "started today.")
                     .replace("date: 2026-02-01", "date: 2026-02-01\nupdated: 2026-02-03 09:00"))
    local = site / "content/lpus/northfield/news/2026-03-10-speed-checks.md"
    moved = site / "content/lpus/riverside/news/2026-03-10-speed-checks.md"
    moved.write_text(local.read_text().replace("team: oldtown", "team: quayside")
                     .replace("[our priorities](../priorities/speeding.md)", "our priorities"))
    local.unlink()
    second = tmp_path / "second"
    pipeline.build(site, second, now=NOW)
    before, after = ids_and_updated(first), ids_and_updated(second)
    assert before["new-chief"][0] == after["new-chief"][0]
    assert before["new-chief"][1] != after["new-chief"][1]  # the updated date does change
    old = feedparser.parse((first / "main/northfield/feeds/news/rss.xml").read_bytes()).entries[0]
    new = next(e for e in feedparser.parse((second / "riverside/feeds/news/rss.xml").read_bytes()).entries
               if e.title == old.title)
    assert old.title == new.title == "Speed checks on the High Street"
    assert old.id == new.id
    assert old.link != new.link


def test_feed_item_count_is_configurable(site_copy, tmp_path):
    site = site_copy()
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace("home_news_count = 2", "home_news_count = 2\nfeed_items = 1"))
    pipeline.build(site, tmp_path / "out", now=NOW)
    assert len(feedparser.parse((tmp_path / "out/main/feeds/news/rss.xml").read_bytes()).entries) == 1
