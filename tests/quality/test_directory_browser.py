"""The social media directory on a phone (320 and 375 px), in the demo build: a resident can jump to
their area without JavaScript, every account is a 44 px tap target, and nothing runs off the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 375])
def test_the_directory_is_grouped_by_area_and_tappable_on_a_phone(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True,
                                  java_script_enabled=False)  # the jump list is plain links
    try:
        page = context.new_page()
        assert page.goto(site_url + "social-media/").status == 200
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        jump = page.locator("nav.jump a")
        assert jump.count() >= 12  # the force, ten LPUs, units, specials
        page.get_by_role("link", name="Birmingham South", exact=True).first.click()
        assert page.url.endswith("#birmingham-south")
        heading = page.locator("#birmingham-south")
        expect(heading).to_be_in_viewport()  # waits while the page scrolls there (smoothly, if asked to)
        south = page.locator("section.directory", has=heading)
        assert south.locator(".owner", has_text="Selly Oak team").count() == 1
        small = page.eval_on_selector_all(
            "a.account, nav.jump a",
            "links => links.map(a => [a.textContent.trim(), a.getBoundingClientRect().height])"
            ".filter(([, height]) => height < 44)")
        assert small == [], f"tap targets under 44 px high at {width} px: {small[:5]}"
        wide = page.eval_on_selector_all(
            ".owner", f"cards => cards.filter(c => c.getBoundingClientRect().right > {width}).length")
        assert wide == 0
    finally:
        context.close()
