"""The reach report (`build.py reach`) with real tools: the Nu Html Checker, and axe-core in Chromium
at phone width, on a report drawn from the made-up readings of scripts/reach_sample.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.quality import tools

SAMPLE = tools.REPO_ROOT / "scripts" / "reach_sample.py"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("reach_sample", SAMPLE)
    sample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sample)
    tmp = tmp_path_factory.mktemp("reach")
    sample.write_sample(tmp / "state", tmp / "report")
    return tmp / "report"


@pytest.mark.vnu
def test_the_report_is_valid_html(report):
    errors = tools.run_vnu(report)
    assert errors == [], "\n".join(str(e) for e in errors)


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390])
def test_the_report_is_accessible_and_fits_a_phone(report, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    try:
        with tools.serve(report) as base:
            page, visit = tools.open_page(context, base + "index.html")
            assert visit.status == 200 and visit.third_party == []
            violations = tools.run_axe(page)
            tools.fail_on_axe(violations, "index.html", f"{width} px")
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
            charts = page.eval_on_selector_all("figure img", "imgs => imgs.map(i => [i.alt, i.naturalWidth > 0])")
            assert len(charts) == 3 and all(alt.startswith("Line chart of ") and shown for alt, shown in charts)
            # Each chart's text alternative follows it: a table of each line's first and latest figure.
            assert page.locator("figure + .scroll table").count() == 3
            # A wide table scrolls inside its own region, which a keyboard can reach.
            region = page.locator(".scroll").first
            region.focus()
            assert page.evaluate("() => document.activeElement.classList.contains('scroll')")
            assert page.get_by_role("heading", name="The accounts that reached few").count() == 1
            assert page.get_by_text("instagram:@wmpolice (23 November 2026, 09:00)").count() == 1
    finally:
        context.close()
