"""axe-core on the 'Rate your local police' pages of the demo build."""

from __future__ import annotations

import pytest

from . import tools

PATHS = ["rate-your-local-police/", "rate-your-local-police/departments/contact-centre/",
         "birmingham-south/rate-your-local-police/",
         "birmingham-south/rate-your-local-police/selly-oak-front-counter/"]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("path", PATHS)
def test_question_pages_pass_axe(browser, main_site, site_url, path, viewport):
    assert (main_site / path / "index.html").is_file(), path
    with tools.visit_page(browser, site_url + path, viewport) as (page, visit):
        assert visit.status == 200 and visit.third_party == []
        violations = tools.run_axe(page)
        assert not violations, "\n".join(str(v) for v in violations)
