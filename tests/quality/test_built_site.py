"""Check a real build of each demo force with real tools: vnu, axe-core in chromium.

Both forces get the same checks (conftest.FORCES): the first demo, and the second built from its own
folder, examples/dyfed-powys, by the same wmpsite. The browser checks open one page of each kind.
"""

from __future__ import annotations

import pytest

from . import tools
from .conftest import FORCES


@pytest.mark.vnu
@pytest.mark.parametrize("force", FORCES)
def test_html_is_valid(force_site, force, request):
    """Every HTML file of every site in the build passes the Nu Html Checker."""
    built = force_site(force, request).built
    with tools.Timer.measure("vnu (whole build)"):
        errors = tools.run_vnu(built)
    if errors:
        files = len({e.file for e in errors})
        listing = "\n".join(f"  {e}" for e in errors)
        pytest.fail(f"vnu found {len(errors)} error(s) in {files} file(s) of {force}:\n{listing}", pytrace=False)


def _page_url(site, kind):
    path = site.pages[kind]
    if path is None:
        pytest.fail(
            f"the build has no {kind!r} page to check: looked for {tools.PAGE_KIND_PLACES[kind]}",
            pytrace=False,
        )
    return site.url + path


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("kind", tools.PAGE_KINDS)
@pytest.mark.parametrize("force", FORCES)
def test_no_axe_violations(browser, force_site, force, kind, viewport, request):
    """A sampled page of each kind has no WCAG 2.2 A/AA violations axe-core can find."""
    site = force_site(force, request)
    url = _page_url(site, kind)
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
            f"axe-core found {len(violations)} violation(s) on {force}'s /{site.pages[kind]} at {viewport} "
            f"width:\n{listing}",
            pytrace=False,
        )


#: The second force's pages come from the same templates and scripts as the first's: its own content
#: and static/ can only add requests on the pages that show them (its logo, photos, share picture).
SECOND_FORCE_KINDS = ("home", "article", "team", "appeal-open", "gallery", "find-team", "search")


@pytest.mark.browser
@pytest.mark.parametrize("force, kind", [("west-midlands", kind) for kind in tools.PAGE_KINDS]
                         + [("dyfed-powys", kind) for kind in SECOND_FORCE_KINDS])
def test_no_third_party_requests(browser, force_site, force, kind, request):
    """A sampled page of each kind makes requests to 127.0.0.1 only (no CDN, font, tracker)."""
    site = force_site(force, request)
    url = _page_url(site, kind)
    context = tools.new_context(browser, "phone")
    try:
        with tools.Timer.measure("third-party check (page loads)"):
            page, visit = tools.open_page(context, url, settle=True)
            # Scroll to the end so lazy images and late scripts ask too.
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(200)
    finally:
        context.close()
    assert visit.status == 200, f"{force}'s /{site.pages[kind]} answered {visit.status}"
    if visit.third_party:
        listing = "\n".join(f"  {u}" for u in sorted(set(visit.third_party)))
        pytest.fail(f"{force}'s /{site.pages[kind]} asked for resources off this server:\n{listing}", pytrace=False)
