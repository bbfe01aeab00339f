"""Properties over generated forces: nothing dropped, nothing doubled, same bytes every time."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from conftest import MINIMAL, NOW
from test_build import tree_digest
from wmpsite.build import pipeline

TITLE = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P"),
                                       exclude_characters="\"'\\:#{}[]&*!|>%@`,?-"),
                min_size=3, max_size=40).map(str.strip).filter(lambda t: len(t) >= 3)
DATES = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2026, 11, 1)).map(
    lambda d: d.replace(second=0, microsecond=0))
STORIES = st.lists(st.tuples(TITLE, DATES), min_size=0, max_size=18, unique_by=lambda s: s[0].casefold())


def write_force(root: Path, stories, per_page: int) -> None:
    shutil.copytree(MINIMAL, root)
    shutil.rmtree(root / "content/news")
    (root / "content/news").mkdir()
    toml = (root / "site.toml").read_text().replace("news_per_page = 2", f"news_per_page = {per_page}")
    (root / "site.toml").write_text(toml)
    for i, (title, when) in enumerate(stories):
        (root / f"content/news/story-{i}.md").write_text(
            f"---\ntitle: \"{title}\"\ndate: {when:%Y-%m-%d %H:%M}\nsummary: Story number {i}.\n---\nBody {i}.\n",
            encoding="utf-8")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories=STORIES, per_page=st.integers(1, 5))
def test_news_lists_hold_every_story_once_newest_first(stories, per_page):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        write_force(root, stories, per_page)
        out = Path(tmp) / "out"
        pipeline.build(root, out, now=NOW)
        listed = []
        page_dirs = [out / "main/news"] + sorted(
            (out / "main/news/page").iterdir(), key=lambda p: int(p.name)) if (out / "main/news/page").exists() \
            else [out / "main/news"]
        for folder in page_dirs:
            doc = lxml_html.fromstring((folder / "index.html").read_bytes())
            items = doc.xpath("//main//li[@class='card']")
            assert len(items) <= per_page
            listed += [(" ".join(li.xpath(".//h2")[0].text_content().split()), li.xpath(".//time/@datetime")[0])
                       for li in items]
        # Newest first; stories published at the same minute are ordered by slug.
        # Times are the force's local time (a time in the spring-forward gap counts as GMT).
        london = ZoneInfo("Europe/London")
        expected = sorted(stories, key=lambda s: (-s[1].replace(tzinfo=london).timestamp(),
                                                  f"story-{stories.index(s)}"))
        assert [t for t, _ in listed] == [" ".join(t.split()) for t, _ in expected]
        assert [d for _, d in listed] == sorted((d for _, d in listed), reverse=True)
        assert len(page_dirs) == max(1, -(-len(stories) // per_page))
        for i in range(len(stories)):
            assert (out / f"main/news/story-{i}/index.html").is_file()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories=STORIES, per_page=st.integers(1, 5))
def test_two_builds_of_any_force_are_byte_identical(stories, per_page):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        write_force(root, stories, per_page)
        pipeline.build(root, Path(tmp) / "a", now=NOW)
        pipeline.build(root, Path(tmp) / "b", now=NOW)
        assert tree_digest(Path(tmp) / "a") == tree_digest(Path(tmp) / "b")
