"""Drafts and scheduled items: before their moment no byte of them is in any output, and their
addresses are not found; after it they are there like any other item; `check` and `build` list
them; `next-change.json` says when to build again.

Every content kind is scheduled in turn: a copy of one of the golden force's files of that kind,
with words of its own and `publish_at` (a story's `date`, a team `draft: true`), so the test covers
each kind the way an editor would write it."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import REPO, TESTS, copy_site
from leaks import traces
from wmpsite.build import pipeline
from wmpsite.core.errors import BuildFailed
from wmpsite.serve.devsite import DevSite

GOLDEN = TESTS / "sites" / "golden"
NOW = dt.datetime(2026, 11, 25, 12, 0)
LIVE = "2026-12-05 09:00"            # when every scheduled copy goes public
AFTER = dt.datetime(2026, 12, 6, 12, 0)
#: (file of the golden force to copy, where the copy goes, how it is scheduled, the copy's title field)
COPIES = [
    ("news/2026-11-02-bike-marking.md", "news/2026-12-05-zymurgy-story.md", {"date": LIVE}, "title"),
    ("lpus/northfield/news/2026-11-10-speed-checks.md", "lpus/northfield/news/2026-11-20-zymurgy-local.md",
     {"publish_at": LIVE}, "title"),
    ("pages/about-us.md", "pages/zymurgy-page.md", {"publish_at": LIVE}, "title"),
    ("advice/burglary.md", "advice/zymurgy-advice.md", {"publish_at": LIVE}, "title"),
    ("events/2026-11-10-web-chat-with-the-chief-constable.md", "events/2026-12-20-zymurgy-chat.md",
     {"publish_at": LIVE, "start": "2026-12-20 18:00", "end": "2026-12-20 19:00"}, "title"),
    ("lpus/riverside/events/2026-12-12-quayside-web-chat.md", "lpus/riverside/events/2026-12-21-zymurgy-local-chat.md",
     {"publish_at": LIVE, "start": "2026-12-21 18:00", "end": "2026-12-21 19:00"}, "title"),
    ("appeals/2026-11-20-witness-appeal-market-square.md", "appeals/2026-11-21-zymurgy-appeal.md",
     {"publish_at": LIVE}, "title"),
    ("lpus/northfield/appeals/2026-11-01-missing-man-mill-end.md", "lpus/northfield/appeals/2026-11-02-zymurgy-missing.md",
     {"publish_at": LIVE, "history": [{"date": dt.datetime(2026, 11, 2, 8, 0), "status": "open"}]}, "title"),
    ("alerts/2026-11-25-high-street-closed.md", "alerts/2026-11-24-zymurgy-alert.md",
     {"publish_at": LIVE, "start": "2026-11-24 06:00", "end": "2026-12-31 18:00"}, "title"),
    ("gallery/2026-11-24-autumn-wood.md", "gallery/2026-11-23-zymurgy-photo.md", {"publish_at": LIVE}, "title"),
    ("questions/2026-11-18-response-times.md", "questions/2026-11-19-zymurgy-question.md", {"publish_at": LIVE}, "title"),
    ("lpus/northfield/questions/2026-11-12-front-counter.md", "lpus/northfield/questions/2026-11-13-zymurgy-counter.md",
     {"publish_at": LIVE}, "title"),
    ("lpus/northfield/priorities/speeding.md", "lpus/northfield/priorities/zymurgy-priority.md", {"publish_at": LIVE},
     "title"),
    ("units/football-unit.md", "units/zymurgy-unit.md", {"publish_at": LIVE, "social": [
        {"network": "x", "handle": "@TPZymurgy", "url": "https://x.com/TPZymurgy"}]}, "name"),
]
#: Dropped from every copy: what would tie it to the file it copies (accounts, people, an ending).
DROPPED = ("social", "members", "former", "meetings", "expires", "unpublish_on", "slug", "history_note")


def copy_of(source: str, number: int, changes: dict, title_field: str) -> tuple[str, str]:
    """The copy's text, and its distinctive title."""
    text = (GOLDEN / "content" / source).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    fields = yaml.safe_load(front)
    for name in DROPPED:
        fields.pop(name, None)
    title = f"Zymurgist quillwort{number}"
    fields[title_field] = title
    fields.update({k: (dt.datetime.fromisoformat(v) if isinstance(v, str) and v[:4].isdigit() and " " in v else v)
                   for k, v in changes.items()})
    words = f"Embargoed words hornbeam{number} xylophonic."
    return f"---\n{yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)}---\n{words}\n\n{body}", title


def overlay() -> tuple[dict[str, str], list[str]]:
    files, secrets = {}, []
    for number, (source, target, changes, title_field) in enumerate(COPIES, 1):
        text, title = copy_of(source, number, changes, title_field)
        files[f"content/{target}"] = text
        secrets += [title, f"hornbeam{number}", re.sub(r"^\d{4}-\d\d-\d\d-", "", Path(target).stem)]
    # A draft team, with a priority of its own: both wait while the team is a draft.
    team = (GOLDEN / "content/lpus/northfield/teams/oldtown.md").read_text(encoding="utf-8")
    _, front, body = team.split("---\n", 2)
    fields = {k: v for k, v in yaml.safe_load(front).items() if k not in DROPPED}
    fields.update(name="Hawfinch Vale", draft=True, postcodes=["TS9"], areas=["Hawfinch Vale"])
    files["content/lpus/northfield/teams/zymurgy-vale.md"] = f"---\n{yaml.safe_dump(fields)}---\nhornbeamvale\n"
    priority = (GOLDEN / "content/lpus/northfield/priorities/park-litter.md").read_text(encoding="utf-8")
    _, front, body = priority.split("---\n", 2)
    fields = yaml.safe_load(front)
    fields.update(title="Hawfinch valeberry", team="zymurgy-vale")
    files["content/lpus/northfield/priorities/zymurgy-vale-litter.md"] = f"---\n{yaml.safe_dump(fields)}---\n{body}"
    secrets += ["Hawfinch Vale", "hornbeamvale", "Hawfinch valeberry", "zymurgy-vale", "TPZymurgy"]
    return files, secrets


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory):
    files, secrets = overlay()
    site = copy_site(GOLDEN, tmp_path_factory.mktemp("schedule") / "site", files)
    return site, secrets


def test_nothing_of_a_scheduled_or_draft_item_is_in_any_output_before_its_moment(scheduled, tmp_path):
    site, secrets = scheduled
    out = tmp_path / "out"
    checked = pipeline.build(site, out, now=NOW)
    assert traces(out, secrets) == []
    assert not [p for p in out.rglob("*") if "zymurgy" in p.name or "zymurgist" in p.name.lower()]
    waiting = {w.path for w in checked.waiting}
    assert waiting == {f"content/{target}" for _, target, _, _ in COPIES} | {
        "content/lpus/northfield/teams/zymurgy-vale.md", "content/lpus/northfield/priorities/zymurgy-vale-litter.md"}


def test_after_its_moment_each_scheduled_item_is_built_like_any_other(scheduled, tmp_path):
    site, secrets = scheduled
    out = tmp_path / "out"
    checked = pipeline.build(site, out, now=AFTER)
    for number, (_, target, _, _) in enumerate(COPIES, 1):
        assert traces(out, [f"quillwort{number}"]), f"{target} is public after its moment"
    # A share card carries its words as text (its PNG and JPEG description), so the search for a
    # scheduled item's words before its moment searches its picture too.
    found = traces(out, ["quillwort1"])
    assert any(line.startswith(("main/news/zymurgy-story/card.png:", "main/news/zymurgy-story/card.jpg:"))
               for line in found), found
    assert traces(out, ["Hawfinch Vale", "hornbeamvale", "valeberry"]) == []  # the draft team waits, whatever the moment
    assert {w.path for w in checked.waiting} == {"content/lpus/northfield/teams/zymurgy-vale.md",
                                                 "content/lpus/northfield/priorities/zymurgy-vale-litter.md"}


def test_check_and_build_list_what_waits_and_next_change_says_when_to_build_again(scheduled, tmp_path):
    site, _ = scheduled
    run = [sys.executable, str(REPO / "build.py")]
    check = subprocess.run([*run, "check", "--source", str(site), "--now", "2026-11-25T12:00"],
                           capture_output=True, text=True)
    build = subprocess.run([*run, "build", "--source", str(site), "--output", str(tmp_path / "out"),
                            "--now", "2026-11-25T12:00", "--verbose"], capture_output=True, text=True)
    assert check.returncode == build.returncode == 0, check.stderr + build.stderr
    listed = [line for line in check.stdout.splitlines() if line.startswith("  content/")]
    assert len(listed) == len(COPIES) + 2
    assert "  content/news/2026-12-05-zymurgy-story.md: 'Zymurgist quillwort1' goes live Saturday 5 December " \
           "2026 at 09:00" in listed
    assert "  content/lpus/northfield/teams/zymurgy-vale.md: 'Hawfinch Vale' is a draft" in listed
    assert ("  content/lpus/northfield/priorities/zymurgy-vale-litter.md: 'Hawfinch valeberry' is a draft "
            "(with content/lpus/northfield/teams/zymurgy-vale.md)") in listed
    assert all(line in build.stdout for line in listed)
    due = json.loads((tmp_path / "out/next-change.json").read_text())
    assert due["why"] == "an alert ends"  # the golden alert's end; the reason names no item
    assert due["next_change"] <= "2026-11-26T18:00:00+00:00"  # the golden alert's end comes first
    assert "Next change: " in build.stdout


def test_next_change_is_the_first_moment_due(scheduled):
    site, _ = scheduled
    checked = pipeline.check(site, now=dt.datetime(2026, 11, 27, 12, 0))
    moments = [checked.next_change.moment]
    later = pipeline.check(site, now=checked.next_change.moment.replace(tzinfo=None))
    assert later.next_change.moment > moments[0]
    at_live = pipeline.check(site, now=dt.datetime(2026, 12, 5, 8, 0)).next_change
    assert at_live.moment == dt.datetime(2026, 12, 5, 9, 0, tzinfo=at_live.moment.tzinfo) and "goes live" in at_live.why


def test_a_public_item_that_links_to_a_waiting_one_is_an_error_in_check_and_build(scheduled, tmp_path):
    site, _ = scheduled
    linking = copy_site(site, tmp_path / "site", {"content/pages/about-us.md": (
        (site / "content/pages/about-us.md").read_text(encoding="utf-8")
        + "\nRead [the news](../news/2026-12-05-zymurgy-story.md).\n")})
    for stage in (pipeline.check, lambda root, now: pipeline.build(root, tmp_path / "out", now=now)):
        with pytest.raises(BuildFailed) as failed:
            stage(linking, now=NOW)
        assert [str(e) for e in failed.value.errors] == [
            "content/pages/about-us.md:" + str(len((site / "content/pages/about-us.md").read_text().splitlines()) + 2)
            + ": the link to 'content/news/2026-12-05-zymurgy-story.md' leads to an item that is not public until "
            "5 December 2026 09:00 (link to it once it is public, or give this item the same 'publish_at')"]
    assert not (tmp_path / "out").exists()
    assert pipeline.check(linking, now=AFTER).waiting  # once the story is public the link is fine


def test_serve_shows_what_waits_to_the_editor_marked_and_only_there(scheduled, tmp_path):
    """`serve` previews drafts and scheduled items, each page and list card saying why it is not public;
    `build` never does (the first test: not a byte of them)."""
    site, _ = scheduled
    dev = DevSite(site, now=NOW)
    kind, story = dev.file("main/news/zymurgy-story/index.html")
    assert kind == "page" and b"Zymurgist quillwort1" in story
    assert b'<p class="preview-note" role="status"><strong>Preview.</strong> Not public until Saturday 5 December 2026, ' \
           b"9am.</p>" in story
    _, listing = dev.file("main/news/index.html")
    assert b'<span class="tag tag--preview">Not public until Saturday 5 December 2026, 9am</span>' in listing
    _, team = dev.file("main/northfield/teams/zymurgy-vale/index.html")
    assert b"<strong>Preview.</strong> Draft: not on the public site." in team
    _, public = dev.file("main/news/bike-marking/index.html")
    assert b"preview-note" not in public
    out = tmp_path / "out"
    pipeline.build(site, out, now=NOW)
    assert not [p for p in out.rglob("*.html") if b"preview-note" in p.read_bytes()]


@pytest.mark.parametrize("listing, title", [
    ("main/events/index.html", "Zymurgist quillwort5"),
    ("main/appeals/index.html", "Zymurgist quillwort7"),
    ("main/rate-your-local-police/index.html", "Zymurgist quillwort11"),
    ("main/gallery/index.html", "Zymurgist quillwort10"),
    ("main/advice/index.html", "Zymurgist quillwort4"),
    ("main/northfield/priorities/index.html", "Zymurgist quillwort13"),
    ("main/northfield/index.html", "Hawfinch Vale"),
])
def test_serve_marks_what_waits_in_every_kind_of_list(scheduled, listing, title):
    site, _ = scheduled
    _, page = DevSite(site, now=NOW).file(listing)
    cards = lxml.html.fromstring(page).xpath(f"//li[.//a[normalize-space()='{title}']]")
    assert cards, f"no card of {title!r} in {listing}"
    tag = cards[0].xpath(".//span[contains(@class, 'tag--preview')]")
    assert tag and tag[0].text_content().startswith(("Not public until", "Draft")), lxml.html.tostring(cards[0])
