"""Check a real build of the demo force with real tools: vnu, axe-core in chromium."""

from __future__ import annotations

import pytest

from . import tools


@pytest.mark.vnu
def test_html_is_valid(built_site):
    """Every HTML file of every site in the build passes the Nu Html Checker."""
    with tools.Timer.measure("vnu (whole build)"):
        errors = tools.run_vnu(built_site)
    if errors:
        files = len({e.file for e in errors})
        listing = "\n".join(f"  {e}" for e in errors)
        pytest.fail(f"vnu found {len(errors)} error(s) in {files} file(s):\n{listing}", pytrace=False)


def _page_url(pages, site_url, kind):
    path = pages[kind]
    if path is None:
        pytest.fail(
            f"the build has no {kind!r} page to check: looked for {tools.PAGE_KIND_PLACES[kind]}",
            pytrace=False,
        )
    return site_url + path


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("kind", tools.PAGE_KINDS)
def test_no_axe_violations(browser, site_url, pages, kind, viewport):
    """A sampled page of each kind has no WCAG 2.2 A/AA violations axe-core can find."""
    url = _page_url(pages, site_url, kind)
    context = tools.new_context(browser, viewport)
    try:
        with tools.Timer.measure("axe (page loads + runs)"):
            page, visit = tools.open_page(context, url)
            violations = tools.run_axe(page)
    finally:
        context.close()
    if violations:
        listing = "\n".join(str(v) for v in violations)
        pytest.fail(
            f"axe-core found {len(violations)} violation(s) on /{pages[kind]} at {viewport} width:\n{listing}",
            pytrace=False,
        )


@pytest.mark.browser
@pytest.mark.parametrize("kind", tools.PAGE_KINDS)
def test_no_third_party_requests(browser, site_url, pages, kind):
    """A sampled page of each kind makes requests to 127.0.0.1 only (no CDN, font, tracker)."""
    url = _page_url(pages, site_url, kind)
    context = tools.new_context(browser, "phone")
    try:
        with tools.Timer.measure("third-party check (page loads)"):
            page, visit = tools.open_page(context, url, settle=True)
            # Scroll to the end so lazy images and late scripts ask too.
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(200)
    finally:
        context.close()
    assert visit.status == 200, f"/{pages[kind]} answered {visit.status}"
    if visit.third_party:
        listing = "\n".join(f"  {u}" for u in sorted(set(visit.third_party)))
        pytest.fail(f"/{pages[kind]} asked for resources off this server:\n{listing}", pytrace=False)
