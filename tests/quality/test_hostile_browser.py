"""The hostile corpus in a real browser with the page's CSP switched off: nothing runs, nothing leaves.

The site of tests/hostile.py (payloads in every body and text field of a story,
a page, an active alert shown on every page, and appeals) is built with the
editor-facing checks silenced, so only the sanitiser stands between the payloads
and chromium. Every page of every site is loaded with Playwright's bypass_csp:
a feed reader or a mail client has no CSP, and neither has a page saved to disk.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import hostile
from . import tools

pytestmark = pytest.mark.browser

#: Fires what needs a resident's hand (hover, focus, a pointer) on every element; returns the live DOM's
#: event-handler attributes and script addresses, which a click would run.
PROBE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'pointerdown', 'toggle'])
      el.dispatchEvent(new Event(type, {bubbles: true}));
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020\\u007f]/g, '').toLowerCase();
      if (attr.name.startsWith('on') || /^(javascript|vbscript|data):/.test(value))
        found.push(`<${el.localName} ${attr.name}="${attr.value}">`);
    }
  }
  return found;
}"""


@dataclass
class Visit:
    """What one page did in the browser: dialogs it opened, where its main frame went, what it found."""

    dialogs: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    live: list[str] = field(default_factory=list)
    third_party: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile-browser")
    out = tmp / "_site"
    hostile.build_unchecked(hostile.write_hostile_site(tmp / "site"), out)
    return out


@pytest.fixture(scope="module")
def csp_off(browser):
    """A browser context that ignores every page's Content-Security-Policy."""
    context = browser.new_context(bypass_csp=True, **tools.VIEWPORTS["desktop"])
    yield context
    context.close()


def visit(context, url: str) -> Visit:
    """Load url, let it settle, poke every element; report what ran and where it went."""
    seen = Visit()
    page, loaded = tools.open_page(context, "about:blank")
    page.on("dialog", lambda dialog: (seen.dialogs.append(f"{dialog.type}: {dialog.message}"),
                                      dialog.dismiss()))
    page.on("framenavigated", lambda frame: frame == page.main_frame and seen.navigations.append(frame.url))
    try:
        page.goto(url, wait_until="load")
        with contextlib.suppress(Exception):  # a page that polls never idles; load is enough
            page.wait_for_load_state("networkidle", timeout=5_000)
        try:
            seen.live = page.evaluate(PROBE)
        except Exception as exc:  # the page went elsewhere while being probed: that is a finding too
            seen.live = [f"could not probe the page: {exc}"]
        with contextlib.suppress(Exception):
            page.wait_for_load_state("networkidle", timeout=5_000)
    finally:
        page.close()
    seen.third_party = loaded.third_party
    seen.navigations = [n for n in seen.navigations if n != url]
    return seen


def test_the_probe_sees_dialogs_handlers_and_a_redirect(csp_off, tmp_path):
    """Pages with live markup, written by hand: the checks below would fail on them."""
    (tmp_path / "handlers.html").write_text(
        '<!doctype html><title>t</title><img src="nowhere.png" onerror="alert(1)">'
        '<p onmouseover="alert(2)">x</p><a href="javascript:alert(3)">x</a>', encoding="utf-8")
    (tmp_path / "redirect.html").write_text(
        '<!doctype html><title>t</title><meta http-equiv="refresh" content="0;url=https://evil.example/">',
        encoding="utf-8")
    with tools.serve(tmp_path) as base:
        handlers, redirect = visit(csp_off, base + "handlers.html"), visit(csp_off, base + "redirect.html")
    assert handlers.dialogs == ["alert: 1", "alert: 2"]
    assert handlers.live == ['<img onerror="alert(1)">', '<p onmouseover="alert(2)">', '<a href="javascript:alert(3)">']
    assert redirect.third_party == ["https://evil.example/"] and redirect.navigations


def test_no_page_opens_a_dialog_or_goes_elsewhere(csp_off, hostile_sites):
    problems, visited = [], 0
    for site in sorted(p for p in hostile_sites.iterdir() if p.is_dir()):
        with tools.serve(site) as base:
            for page in sorted(site.rglob("*.html")):
                rel = page.relative_to(site).as_posix()
                url = base + rel.removesuffix("index.html")
                seen = visit(csp_off, url)
                visited += 1
                for kind in ("dialogs", "navigations", "live", "third_party"):
                    problems += [f"{site.name}/{rel}: {kind}: {what}" for what in getattr(seen, kind)]
    assert visited > 40
    assert problems == []
