"""Social feeds: each declared account gets the items meant for it, with a text that fits its network."""

from __future__ import annotations

import subprocess
import sys

import pytest
from lxml import html as lxml_html

from conftest import NOW, REPO
from wmpsite.build import pipeline
from wmpsite.core.errors import BuildFailed
from wmpsite.outputs.posts import post_length
from wmpsite.publish.common import find_social_feeds


def feeds_of(out):
    return {key: feed for key, feed in find_social_feeds(out).items()}


def titles(feed):
    return [item.title for item in feed.items]


def test_each_account_gets_the_items_meant_for_it(minimal_build):
    feeds = feeds_of(minimal_build)
    assert sorted(feeds) == ["x-northfieldpolice", "x-pcsojosample", "x-testshirepolice"]
    # The force's main account: every force press release (and appeal).
    assert titles(feeds["x-testshirepolice"]) == ["Free bike marking in Northfield", "Stay safe this winter"]
    # An LPU's account: its local news, and force news marked for it.
    assert titles(feeds["x-northfieldpolice"]) == ["Speed checks on the High Street",
                                                   "Free bike marking in Northfield"]
    # An officer's account: nothing unless site.toml routes a tag to it.
    assert titles(feeds["x-pcsojosample"]) == []
    assert (minimal_build / "main/social/x-testshirepolice.json").is_file()


def test_post_texts_carry_title_link_and_hashtags(minimal_build):
    item = feeds_of(minimal_build)["x-testshirepolice"].items[0]
    assert item.text == ("Free bike marking in Northfield https://www.testshire.police.example/news/bike-marking/"
                         " #BikeTheft")
    assert item.url == "https://www.testshire.police.example/news/bike-marking/"
    assert item.id == "tag:www.testshire.police.example,2026-03-01:news/bike-marking"


def test_site_toml_routes_a_tag_to_an_account(site_copy, tmp_path):
    site = site_copy()
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace("[extra]", '[[publish.routes]]\ntag = "bike-theft"\n'
                                             'account = "x:@PCSOJoSample"\n\n[extra]'))
    pipeline.build(site, tmp_path / "out", now=NOW)
    assert titles(feeds_of(tmp_path / "out")["x-pcsojosample"]) == ["Free bike marking in Northfield"]


def test_a_route_to_an_unknown_account_is_an_error(site_copy):
    site = site_copy()
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace("[extra]", '[[publish.routes]]\ntag = "bike-theft"\n'
                                             'account = "x:@Nobody"\n\n[extra]'))
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site, now=NOW)
    assert [str(e) for e in failed.value.errors] == [
        "site.toml: 'publish.routes[1].account': no account 'x:@Nobody' is declared in site.toml or the content "
        "(write it as network:handle, e.g. 'x:@WMPolice')"]


def test_long_titles_are_cut_to_fit_x(site_copy, tmp_path):
    # Chinese characters weigh 2 on X, so a 140-character headline cannot fit whole.
    site = site_copy()
    story = site / "content/news/2026-01-05-winter-safety.md"
    sentence = "西米德兰兹警方提醒居民在冬季黑夜锁好门窗，并使用定时开关照明，以防入室盗窃。"
    long_title = (sentence * 4)[:140]
    story.write_text(story.read_text().replace("title: Stay safe this winter", f"title: {long_title}"))
    pipeline.build(site, tmp_path / "out", now=NOW)
    item = next(i for i in feeds_of(tmp_path / "out")["x-testshirepolice"].items if "winter-safety" in i.url)
    assert post_length("x", item.text) <= 280
    head, link = item.text.split("… ")
    assert link == "https://www.testshire.police.example/news/winter-safety/"
    assert long_title.startswith(head) and len(head) < len(long_title)


def test_an_editors_post_text_that_does_not_fit_is_refused_with_file_and_line(site_copy, tmp_path):
    site = site_copy()
    story = site / "content/news/2026-01-05-winter-safety.md"
    story.write_text(story.read_text().replace("kind: press-release", "kind: press-release\npost: " + "Lock up. " * 40))
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--source", str(site)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "1. content/news/2026-01-05-winter-safety.md:6: 'post': the post text is 416 of 280 weighted characters "
        "on X with the link added at the end (for @TestshirePolice) (shorten it; the link counts too)\n")


def test_an_editors_post_text_is_used_as_written(site_copy, tmp_path):
    site = site_copy()
    story = site / "content/news/2026-01-05-winter-safety.md"
    story.write_text(story.read_text().replace("kind: press-release",
                                               "kind: press-release\npost: \"Dark evenings: lights on timers 💡\""))
    pipeline.build(site, tmp_path / "out", now=NOW)
    item = next(i for i in feeds_of(tmp_path / "out")["x-testshirepolice"].items if "winter-safety" in i.url)
    assert item.text == "Dark evenings: lights on timers 💡 https://www.testshire.police.example/news/winter-safety/"


def test_every_page_has_a_link_preview_card(minimal_build):
    for file in sorted(minimal_build.rglob("*.html")):
        doc = lxml_html.fromstring(file.read_bytes())

        def meta(attr, name):
            values = doc.xpath(f"//head/meta[@{attr}='{name}']/@content")
            assert len(values) == 1 and values[0].strip(), (file, name)
            return values[0]

        for name in ("og:title", "og:description", "og:url", "og:image", "og:image:alt", "og:type"):
            meta("property", name)
        for name in ("twitter:card", "twitter:title", "twitter:description", "twitter:image:alt"):
            meta("name", name)
        assert meta("property", "og:url") == doc.xpath("//link[@rel='canonical']/@href")[0]
        assert meta("property", "og:image").startswith("https://")


def _add_force_accounts(site, *tables: str) -> None:
    text = (site / "site.toml").read_text()
    extra = "".join(f"\n[[force.social]]\n{t}\n" for t in tables)
    (site / "site.toml").write_text(text.replace("\n[accessibility]", extra + "\n[accessibility]", 1))


def test_meta_networks_get_posts_composed_to_their_own_rules(site_copy, tmp_path):
    site = site_copy()
    _add_force_accounts(site, 'network = "threads"\nhandle = "@testshirepolice"\nurl = "https://www.threads.net/@testshirepolice"',
                        'network = "instagram"\nhandle = "@testshirepolice"\nurl = "https://www.instagram.com/testshirepolice"')
    story = site / "content/news/2026-01-05-winter-safety.md"
    story.write_text(story.read_text().replace("title: Stay safe this winter", "title: Stay safe this winter\n"
                                               "tags: [burglary, dark-nights]"))
    pipeline.build(site, tmp_path / "out", now=NOW)
    feeds = feeds_of(tmp_path / "out")
    url = "https://www.testshire.police.example/news/winter-safety/"
    threads = next(i for i in feeds["threads-testshirepolice"].items if i.url == url)
    instagram = next(i for i in feeds["instagram-testshirepolice"].items if i.url == url)
    assert threads.text == f"Stay safe this winter {url} #Burglary"          # one tag: Threads' topic
    assert instagram.text == f"Stay safe this winter {url} #Burglary #DarkNights"


def test_an_editors_text_counted_as_threads_counts_emoji_is_refused_with_file_and_line(site_copy):
    site = site_copy()
    _add_force_accounts(site, 'network = "threads"\nhandle = "@testshirepolice"\nurl = "https://www.threads.net/@testshirepolice"')
    story = site / "content/news/2026-01-05-winter-safety.md"
    # 27 police officer emoji: 54 of X's 280, but 459 of Threads' 500, where each counts its 17 bytes;
    # with ' Lock up', a space and the 56-character link, 524.
    story.write_text(story.read_text().replace("kind: press-release", "kind: press-release\npost: \"" +
                                               "👮🏽‍♀️" * 27 + " Lock up\""))
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(site, now=NOW)
    assert [str(e) for e in failed.value.errors] == [
        "content/news/2026-01-05-winter-safety.md:6: 'post': the post text is 524 of 500 characters (an emoji as its "
        "UTF-8 bytes) on Threads with the link added at the end (for @testshirepolice) (shorten it; the link counts "
        "too)"]
