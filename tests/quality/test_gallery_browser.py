"""Photo of the day in headless chromium on the demo build: axe-core, and the browser picks a WebP copy."""

from __future__ import annotations

import pytest

from . import tools


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("path", ["gallery/", "gallery/canal-at-dusk/"])
def test_gallery_pages_pass_axe_and_load_webp(browser, main_site, site_url, path, viewport):
    with tools.visit_page(browser, site_url + path, viewport, settle=True) as (page, visit):
        assert visit.status == 200 and visit.third_party == []
        violations = tools.run_axe(page)
        assert not violations, "\n".join(str(v) for v in violations)
        current = page.locator("picture img").first.evaluate("img => img.currentSrc")
        assert current.endswith(".webp"), current
        if viewport == "phone":  # a phone never needs the largest copy
            assert not current.endswith("-1440.webp"), current
