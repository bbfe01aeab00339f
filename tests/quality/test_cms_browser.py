"""The editors' CMS for real: Decap CMS in headless chromium, saving through decap-server (Decap's local
backend, writing files straight to disk) into a throw-away git repository holding a copy of the demo;
the files it writes must pass `build.py check`, and a build must show what was saved, and not what
waits for its moment. The harness is in cms.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect  # waits in Playwright, which goes on answering the page's requests

from .cms import NOW, admin, build, check, choose, control, make_clone, new_entry, open_route, wait_for

TOMORROW = NOW + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def cms(tmp_path_factory, browser):
    """The admin page open in the browser on a clone of the demo; yields (page, repo, what the browser
    reported, the base URL)."""
    repo = tmp_path_factory.mktemp("cms") / "force"
    port = make_clone(repo)
    with admin(browser, repo, port, tmp_path_factory.mktemp("cms-out") / "_site") as (page, base, reported):
        yield page, repo, reported, base


STORY = "content/lpus/birmingham-south/news/2026-12-03-selly-oak-bike-marking-day.md"
RELEASE = "content/news/2026-12-03-officers-honoured-at-force-awards.md"
PRIORITY = "content/lpus/birmingham-south/priorities/e-scooter-riding-bristol-road.md"
ACTION = "Twelve e-scooters seized on Bristol Road in one week of evening patrols."


def publish(page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()


def test_the_cms_opens_with_no_configuration_error(cms):
    page, repo, reported, base = cms
    assert page.get_by_text("Config Errors").count() == 0
    assert not [line for line in reported if "Content Security Policy" in line or "pageerror" in line], reported


def test_a_story_without_its_summary_cannot_be_saved(cms):
    page, repo, reported, base = cms
    new_entry(page, base, "news-birmingham-south", "A story with no summary", None, NOW)
    publish(page)
    page.get_by_text("missed a required field").first.wait_for()
    assert not list((repo / "content/lpus/birmingham-south/news").glob("*no-summary*"))
    page.goto(base + "admin/")  # and leave it unsaved


def test_a_news_story_for_the_selly_oak_team(cms):
    page, repo, reported, base = cms
    new_entry(page, base, "news-birmingham-south", "Selly Oak bike marking day", "Bring your bike to "
              "Selly Oak police station on Saturday to have it marked for free.", NOW)
    choose(page, "team", "Selly Oak")
    publish(page)
    text = wait_for(page, repo / STORY)
    assert "team: selly-oak" in text and "title: Selly Oak bike marking day" in text


def test_a_we_did_action_added_to_a_priority(cms):
    page, repo, reported, base = cms
    open_route(page, base, "/collections/priority-birmingham-south/entries/e-scooter-riding-bristol-road")
    before = (repo / PRIORITY).read_text(encoding="utf-8")
    expect(control(page, "title")).to_have_value(re.compile("^Illegal e-scooter riding"))
    page.get_by_role("button", name="Add actions").click()
    control(page, "date", last=True).fill("2026-12-02")
    control(page, "text", last=True).fill(ACTION)
    publish(page)
    after = wait_for(page, repo / PRIORITY, ACTION)
    assert ACTION in after and before.count("- date:") + 1 == after.count("- date:")


def test_a_press_release_scheduled_for_tomorrow(cms):
    page, repo, reported, base = cms
    new_entry(page, base, "news", "Officers honoured at force awards", "Twelve officers and staff were "
              "recognised for bravery and service at this year's awards.", NOW)
    choose(page, "kind", "press-release")
    control(page, "publish_at").fill(TOMORROW.strftime("%Y-%m-%dT%H:%M"))
    publish(page)
    text = wait_for(page, repo / RELEASE)
    assert "kind: press-release" in text and f"publish_at: {TOMORROW:%Y-%m-%d %H:%M}" in text


def test_what_the_cms_wrote_passes_check_and_builds(cms, tmp_path):
    page, repo, reported, base = cms
    for rel in (STORY, RELEASE):
        assert (repo / rel).is_file(), rel
    checked = check(repo)
    assert checked.returncode == 0, checked.stderr
    out = tmp_path / "_site"
    built = build(repo, out)
    assert built.returncode == 0, built.stderr
    main = out / "main"
    pages = {path: path.read_text(encoding="utf-8") for path in main.rglob("*.html")}
    assert any("Selly Oak bike marking day" in text for text in pages.values())
    assert any(ACTION in text for text in pages.values())
    assert not any("Officers honoured at force awards" in text for text in pages.values())
    assert "Officers honoured at force awards" in checked.stdout + checked.stderr  # listed as waiting
    assert not reported or all("Content Security Policy" not in line for line in reported)
