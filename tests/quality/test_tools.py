"""Prove the quality harness on hand-made pages: good pages pass, broken ones are caught.

Without these, a harness that checked nothing (a wrong folder, an axe that
never ran, a request listener never called) would pass on any build.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from . import sample_site, tools


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple:
    """A hand-made build: the good sample site plus broken pages under main/broken/."""
    root = sample_site.write_sample_site(tmp_path_factory.mktemp("sample"))
    broken = sample_site.write_broken_pages(root)
    return root, broken


@pytest.fixture(scope="module")
def sample_url(sample):
    with tools.serve(sample[0] / "main") as url:
        yield url


def test_sample_pages_finds_every_kind(sample):
    found = tools.sample_pages(sample[0] / "main")
    assert list(found) == tools.PAGE_KINDS
    assert found == {
        "home": "",
        "news-list": "news/",
        "news-page-2": "news/page/2/",
        "article": "news/2025-03-14-appeal/",
        "advice-list": "advice/",
        "advice-page": "advice/burglary/",
        "a-z": "a-z/",
        "find-team": "find-your-team/",
        "search": "search/",
        "accessibility": "accessibility/",
        "404": "404.html",
        "lpu-home": "birmingham-south/",
        "lpu-news-list": "birmingham-south/news/",
        "team": "birmingham-south/teams/selly-oak/",
        "lpu-priorities": "birmingham-south/priorities/",
        "priority": "birmingham-south/priorities/anti-social-driving/",
        "appeals": "appeals/",
        "appeal-open": "appeals/missing-man/",
        "appeal-ended": "birmingham-south/appeals/found-man/",
        "lpu-appeals": "birmingham-south/appeals/",
        "alert": "alerts/flood/",
        "gallery": "gallery/",
        "questions": "rate-your-local-police/",
    }


def test_sample_pages_reports_missing_kinds(tmp_path):
    (tmp_path / "index.html").write_text("<!DOCTYPE html>", encoding="utf-8")
    found = tools.sample_pages(tmp_path)
    assert found["home"] == ""
    assert all(found[k] is None for k in tools.PAGE_KINDS if k != "home")


def test_server_serves_pages_and_404_page(sample_url):
    with urllib.request.urlopen(sample_url + "news/") as resp:
        assert resp.status == 200
        assert b"<h1>News</h1>" in resp.read()
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(sample_url + "no/such/page/")
    assert err.value.code == 404
    assert b"Page not found" in err.value.read()


def test_is_local():
    assert tools.is_local("http://127.0.0.1:8000/x.css")
    assert tools.is_local("data:image/png;base64,AAAA")
    assert not tools.is_local("https://fonts.googleapis.com/css")
    assert not tools.is_local("http://127.0.0.2:9/pixel.gif")
    assert not tools.is_local("http://localhost:8000/")


@pytest.mark.vnu
def test_vnu_passes_good_pages_and_reports_broken_ones(sample):
    root, _ = sample
    errors = tools.run_vnu(root)
    files = {e.file for e in errors}
    # The good pages, the SVG and the feed pass; only the broken pages fail
    # (the inaccessible one too: an <img> without alt is invalid HTML).
    assert files == {"main/broken/invalid/index.html", "main/broken/inaccessible/index.html"}, [
        str(e) for e in errors
    ]
    assert any(e.line for e in errors)
    text = "\n".join(e.message for e in errors)
    assert "ul" in text and "div" in text  # a <div> straight inside <ul>
    assert "alt" in text  # <img> without alt


@pytest.mark.vnu
def test_vnu_good_pages_only(tmp_path):
    sample_site.write_sample_site(tmp_path)
    assert tools.run_vnu(tmp_path) == []


@pytest.mark.browser
def test_axe_passes_every_good_page(browser, sample, sample_url):
    found = tools.sample_pages(sample[0] / "main")
    context = tools.new_context(browser, "phone")
    try:
        for kind, path in found.items():
            page, visit = tools.open_page(context, sample_url + path)
            assert visit.status == 200, kind
            assert tools.run_axe(page) == [], kind
            assert visit.third_party == [], kind
            assert visit.requests[0] == sample_url + path
            page.close()
    finally:
        context.close()


@pytest.mark.browser
def test_axe_reports_violations(browser, sample, sample_url):
    context = tools.new_context(browser, "desktop")
    try:
        page, _ = tools.open_page(context, sample_url + sample[1]["inaccessible"])
        violations = tools.run_axe(page)
    finally:
        context.close()
    rules = {v.rule for v in violations}
    assert {"image-alt", "color-contrast"} <= rules, violations
    alt = next(v for v in violations if v.rule == "image-alt")
    assert alt.impact == "critical"
    assert alt.targets == ("img",)
    assert "image-alt" in str(alt)


@pytest.mark.browser
def test_axe_runs_under_a_strict_csp(browser, tmp_path):
    # A Content-Security-Policy that forbids inline scripts must not stop axe.
    (tmp_path / "index.html").write_text(
        sample_site.page_html("CSP", '<img src="/x.svg" width="1" height="1">').replace(
            "<head>", "<head>\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">"
        ),
        encoding="utf-8",
    )
    context = tools.new_context(browser, "phone")
    try:
        with tools.serve(tmp_path) as url:
            page, _ = tools.open_page(context, url)
            rules = {v.rule for v in tools.run_axe(page)}
    finally:
        context.close()
    assert "image-alt" in rules


@pytest.mark.browser
def test_third_party_requests_are_recorded_and_blocked(browser, sample, sample_url):
    context = tools.new_context(browser, "desktop")
    try:
        page, visit = tools.open_page(context, sample_url + sample[1]["third-party"], settle=True)
    finally:
        context.close()
    assert sorted(visit.third_party) == [
        "http://127.0.0.2:9/pixel.gif",
        "https://cdn.example.invalid/tracker.js",
    ]
    assert all(tools.is_local(u) for u in set(visit.requests) - set(visit.third_party))


def test_missing_tool_fails_in_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but no thing"):
        tools.missing_tool("no thing")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="no thing"):
        tools.missing_tool("no thing")
