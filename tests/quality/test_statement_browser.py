"""The accessibility statement on a 375 px phone, in the demo build: every part it names as not yet
accessible is a page a resident can open, and what it says about testing is what the record holds."""

from __future__ import annotations

import tomllib

import pytest

from . import tools

pytestmark = pytest.mark.browser


def test_the_statement_names_real_pages_and_the_recorded_test_run(browser, site_url):
    record = tomllib.loads((tools.REPO_ROOT / "accessibility-tested.toml").read_text(encoding="utf-8"))
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        assert page.goto(site_url + "accessibility/").status == 200
        known = page.locator("main h2:has-text('How accessible') + p + ul > li")
        assert known.count() >= 2  # the demo has a video without checked captions and a PDF
        for n in range(known.count()):
            link = known.nth(n).locator("a")
            if link.count():  # an issue on a page of the site: the page exists
                href = link.get_attribute("href")
                assert context.request.get(site_url + href.lstrip("/")).status == 200, href
        text = page.locator("main").inner_text()
        assert "interactive map" not in text  # the find-your-team page has none
        for tool in record["tools"]:
            assert f"{tool['name']} {tool['version']}" in text and f"on {tool['pages']} pages" in text
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"the statement is {width} px wide on a 375 px phone"
    finally:
        context.close()
