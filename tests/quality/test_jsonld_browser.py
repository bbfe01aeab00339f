"""JSON-LD in Chromium: the data blocks are read by the browser as the same JSON the build wrote,
and our Content-Security-Policy (`script-src 'self'`) reports no violation for them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import tools

#: Collect every CSP violation the page reports, from before its first byte is parsed.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' line ' + e.lineNumber));
"""
READ = "() => [...document.querySelectorAll('script[type=\"application/ld+json\"]')].map(s => JSON.parse(s.textContent))"


def open_and_read(browser, url: str):
    """Open url; return (JSON-LD blocks as the browser parsed them, CSP violations, console errors)."""
    with tools.browser_context(browser, "desktop") as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.add_init_script(LISTEN)
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status in (200, 404), (url, response and response.status)
        page.wait_for_timeout(100)  # violation events are queued as tasks
        return page.evaluate(READ), page.evaluate("() => window.__csp"), errors


def json_ld_pages(main: Path, pages: dict) -> dict[str, str]:
    events = sorted(main.glob("*/events/*/index.html"))
    found = {kind: pages[kind] for kind in ("home", "article", "lpu-home", "team", "404")}
    if events:
        found["event"] = events[0].parent.relative_to(main).as_posix() + "/"
    return found


@pytest.mark.browser
def test_json_ld_reads_back_in_chromium_without_csp_violations(browser, main_site, site_url, pages):
    problems = []
    for kind, path in json_ld_pages(main_site, pages).items():
        assert path is not None, f"no {kind} page in the build"
        read, violations, errors = open_and_read(browser, site_url + path)
        file = main_site / (path if path.endswith(".html") else path + "index.html")
        from structured_check import blocks  # tests/ is on sys.path (rootdir conftest)
        written = [json.loads(text) for text in blocks(file.read_bytes())]
        if read != written:
            problems.append(f"/{path}: the browser read {len(read)} block(s) differently from the build's JSON")
        if kind != "404" and not written:
            problems.append(f"/{path}: no JSON-LD block")
        problems += [f"/{path}: CSP violation: {v}" for v in violations]
        problems += [f"/{path}: console error: {e}" for e in errors if "Content Security Policy" in e]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_the_csp_check_catches_an_inline_script(browser, tmp_path):
    """Harness self-test: the same CSP blocks (and we see) inline code, but not a JSON-LD block."""
    csp = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\">")
    (tmp_path / "bad.html").write_text(f"<!DOCTYPE html><html lang=en><head>{csp}<title>x</title></head>"
                                       "<body><script>document.title = 'ran'</script></body></html>")
    (tmp_path / "good.html").write_text(f"<!DOCTYPE html><html lang=en><head>{csp}<title>x</title>"
                                        '<script type="application/ld+json">{"@context":"https://schema.org",'
                                        '"@type":"Thing","name":"<\\/script>"}</script></head><body></body></html>')
    with tools.serve(tmp_path) as base:
        _, bad, _ = open_and_read(browser, base + "bad.html")
        read, good, _ = open_and_read(browser, base + "good.html")
    assert bad and bad[0].startswith("script-src")
    assert good == [] and read == [{"@context": "https://schema.org", "@type": "Thing", "name": "</script>"}]
