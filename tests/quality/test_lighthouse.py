"""Lighthouse (npm lighthouse 12.2.3, Debian chromium) scores at least 95 in accessibility, best
practices and SEO on the main home page, an LPU home, a team page and the find-your-team page of
the demo.

Performance is not asserted: it is a timing, and the same page scored 71, 92 and 98 on a busy
2-core machine. `make lighthouse` measures it with the rest and reports it in docs/quality.md."""

from __future__ import annotations

import pytest

from . import lighthouse, tools


@pytest.fixture(scope="module")
def lighthouse_pages(main_site):
    return lighthouse.pages_in(main_site)


@pytest.mark.browser
@pytest.mark.parametrize("label", list(lighthouse.PAGES))
def test_lighthouse_accessibility_best_practices_and_seo_at_least_95(site_url, lighthouse_pages, label):
    lighthouse.require_lighthouse()
    path = lighthouse_pages[label]
    if path is None:
        pytest.fail(f"the build has no {label.lower()} to check (looked for /{lighthouse.PAGES[label]})",
                    pytrace=False)
    with tools.Timer.measure("lighthouse (page runs)"):
        report = lighthouse.run_lighthouse(site_url + path, categories=lighthouse.ASSERTED)
    assert sorted(report.scores) == sorted(lighthouse.ASSERTED)
    low = report.below(lighthouse.TARGET)
    if low:
        listing = "\n".join(str(a) for a in report.imperfect)
        pytest.fail(f"Lighthouse scored /{path} {report.scores}; below {lighthouse.TARGET}: {low}\n"
                    f"audits not passed:\n{listing}", pytrace=False)


def test_lighthouse_report_parsing_catches_low_scores_and_errors():
    """The harness reads scores and failed audits from Lighthouse's JSON, and refuses a failed run."""
    def category(score, audits):
        return {"score": score, "auditRefs": [{"id": a, "weight": 1} for a in audits]}
    data = {
        "finalDisplayedUrl": "http://127.0.0.1/x/", "lighthouseVersion": "12.2.3",
        "categories": {"performance": category(0.5, ["lcp"]), "accessibility": category(1, []),
                       "best-practices": category(0.96, ["errors-in-console"]), "seo": category(0.94, ["meta"])},
        "audits": {"lcp": {"score": 0.2, "title": "Largest Contentful Paint", "displayValue": "6.1 s"},
                   "errors-in-console": {"score": 0, "title": "Errors logged"},
                   "meta": {"score": 0, "title": "Document does not have a meta description"}},
    }
    report = lighthouse.parse_report(data)
    assert report.scores == {"performance": 50, "accessibility": 100, "best-practices": 96, "seo": 94}
    assert report.below(95) == {"performance": 50, "seo": 94}
    assert report.below(95, lighthouse.ASSERTED) == {"seo": 94}
    assert [a.id for a in report.imperfect] == ["lcp", "errors-in-console", "meta"]
    with pytest.raises(RuntimeError, match="could not test"):
        lighthouse.parse_report({**data, "runtimeError": {"code": "NO_FCP"}})
    with pytest.raises(RuntimeError, match="no seo score"):
        lighthouse.parse_report({**data, "categories": {**data["categories"], "seo": category(None, [])}})
    # Find your team on a busy machine: performance 92 (the median of 71, 92 and 98) is reported, not failed.
    busy = {**data, "categories": {"performance": category(0.92, ["lcp"]),
                                   **{c: category(1, []) for c in lighthouse.ASSERTED}}}
    report = lighthouse.parse_report(busy)
    assert report.below(95) == {"performance": 92}
    assert report.below(95, lighthouse.ASSERTED) == {}
    # A run of the asserted categories only: no performance score is read, or needed.
    asserted = {**data, "categories": {c: data["categories"][c] for c in lighthouse.ASSERTED}}
    report = lighthouse.parse_report(asserted, lighthouse.ASSERTED)
    assert report.scores == {"accessibility": 100, "best-practices": 96, "seo": 94}
    assert report.below(95) == {"seo": 94}
    assert [a.id for a in report.imperfect] == ["errors-in-console", "meta"]
    assert "--only-categories=accessibility,best-practices,seo" in lighthouse.command("http://x/", "r.json",
                                                                                     lighthouse.ASSERTED)
