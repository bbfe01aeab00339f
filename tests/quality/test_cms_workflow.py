"""The press office's approval step, for real: Decap CMS's editorial workflow in headless chromium over
decap-server in git mode, which keeps a branch per unpublished change as a real host keeps a branch and
pull request. A saved story waits on its own branch, not on main, until someone sets it ready and
publishes it; then it is on main and its branch is gone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .cms import NOW, admin, check, choose, git, make_clone, new_entry, open_route

STORY_SLUG = "2026-12-03-selly-oak-speed-watch-results"
BRANCH = f"cms/news-birmingham-south/{STORY_SLUG}"
STORY = f"content/lpus/birmingham-south/news/{STORY_SLUG}.md"


@pytest.fixture(scope="module")
def workflow(tmp_path_factory, browser):
    repo = tmp_path_factory.mktemp("cms-git") / "force"
    port = make_clone(repo)
    with admin(browser, repo, port, tmp_path_factory.mktemp("cms-git-out") / "_site", mode="git") as (page, base, _):
        yield page, repo, base


def branches(repo) -> list[str]:
    return git(repo, "branch", "--format=%(refname:short)").split()


def on_main(repo, path: str) -> bool:
    return git(repo, "ls-tree", "--name-only", "main", path).strip() == path


def test_a_saved_story_waits_for_review_on_its_own_branch_until_published(workflow):
    page, repo, base = workflow
    new_entry(page, base, "news-birmingham-south", "Selly Oak speed watch results",
              "Volunteers checked 1,200 cars on Bristol Road; 64 drivers will get letters.", NOW)
    choose(page, "team", "Selly Oak")
    page.get_by_role("button", name="Save").first.click()
    status = page.get_by_role("button", name=re.compile("^Status: "))
    expect(status).to_be_visible()  # the entry is saved as a draft: the workflow's status menu appears
    assert BRANCH in branches(repo), branches(repo)
    assert not on_main(repo, STORY)
    assert git(repo, "show", f"{BRANCH}:{STORY}").count("team: selly-oak") == 1

    status.click()
    page.get_by_role("menuitem", name="In review").click()
    expect(status).to_have_text(re.compile("In review"))
    open_route(page, base, "/workflow", wait_for_form=False)
    expect(page.get_by_text("1 entry waiting for review, 0 ready to go live.")).to_be_visible()
    expect(page.get_by_role("heading", name="Selly Oak speed watch results")).to_be_visible()
    expect(page.get_by_role("button", name="Publish new entry")).to_be_disabled()  # not until it is ready
    assert not on_main(repo, STORY), "in review is not published"

    open_route(page, base, f"/collections/news-birmingham-south/entries/{STORY_SLUG}")
    status = page.get_by_role("button", name=re.compile("^Status: "))
    status.click()
    page.get_by_role("menuitem", name="Ready").click()
    expect(status).to_have_text(re.compile("Ready"))
    page.get_by_role("button", name=re.compile("^Publish")).first.click()
    page.get_by_text("Publish now").click()
    for _ in range(300):
        if on_main(repo, STORY):
            break
        page.wait_for_timeout(50)
    assert on_main(repo, STORY), "published: the story is on main"
    assert BRANCH not in branches(repo)
    checked = check(repo)
    assert checked.returncode == 0, checked.stderr
