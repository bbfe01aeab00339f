"""Write small hand-made builds, good and broken, to prove the quality checks themselves.

`write_sample_site(root)` lays out `root/main/` like a real build (every page
kind the quality tests sample) with valid, accessible HTML. `write_broken_pages`
adds pages that each real tool must reject. The tests in test_tools.py run the
checks on both, so a harness that silently checks nothing cannot pass.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

CSS = """
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font: 1.125rem/1.5 system-ui, sans-serif; color: #0b0c0c; background: #fff; }
a { color: #1d3f91; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
.skip { position: absolute; left: -9999px; }
.skip:focus { position: static; }
header, footer { background: #1d3f91; color: #fff; padding: 1rem; }
header a, footer a { color: #fff; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
nav a { display: inline-block; min-height: 44px; padding: .5rem .75rem; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
"""

NAV = [("/", "Home"), ("/news/", "News"), ("/advice/", "Advice"), ("/a-z/", "A to Z")]


def page_html(title: str, body: str, *, lang: str = "en-GB") -> str:
    """Return a whole valid, accessible page around body (HTML)."""
    nav = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in NAV)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | Sample Police</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header>
<p><a href="/">Sample Police</a></p>
<nav aria-label="Main"><ul>{nav}</ul></nav>
</header>
<main id="main">
<h1>{escape(title)}</h1>
{body}
</main>
<footer><p><a href="/accessibility/">Accessibility</a></p></footer>
</body>
</html>
"""


# Output path (relative to main/) -> (title, body HTML).
PAGES: dict[str, tuple[str, str]] = {
    "index.html": ("Home", '<p>Welcome. Read the <a href="/news/">latest news</a>.</p>'),
    "news/index.html": (
        "News",
        '<ul><li><a href="/news/2025-03-14-appeal/">Appeal for witnesses</a></li></ul>'
        '<p><a href="/news/page/2/">Older news</a></p>',
    ),
    "news/page/2/index.html": ("News, page 2", "<p>Older news.</p>"),
    "news/2025-03-14-appeal/index.html": (
        "Appeal for witnesses",
        "<p><time datetime=\"2025-03-14\">14 March 2025</time></p><p>We are appealing for witnesses.</p>",
    ),
    "advice/index.html": ("Advice", '<p><a href="/advice/burglary/">Burglary</a></p>'),
    "advice/burglary/index.html": ("Burglary", "<p>Lock your doors.</p>"),
    "a-z/index.html": ("A to Z", '<ul><li><a href="/advice/burglary/">Burglary</a></li></ul>'),
    "find-your-team/index.html": ("Find your team", '<p><a href="/birmingham-south/teams/selly-oak/">Selly Oak</a></p>'),
    "search/index.html": ("Search", '<p>Search needs JavaScript: try the <a href="/a-z/">A to Z</a>.</p>'),
    "accessibility/index.html": ("Accessibility statement", "<p>We aim to meet WCAG 2.2 AA.</p>"),
    "404.html": ("Page not found", '<p>Try the <a href="/">home page</a>.</p>'),
    "birmingham-south/index.html": ("Birmingham South", '<p><a href="/birmingham-south/teams/selly-oak/">Selly Oak</a></p>'),
    "birmingham-south/news/index.html": ("Birmingham South news", "<p>No news yet.</p>"),
    "birmingham-south/teams/selly-oak/index.html": (
        "Selly Oak team",
        '<img src="/team.svg" alt="The Selly Oak team" width="120" height="60">'
        "<p>Your local officers.</p>",
    ),
    "birmingham-south/priorities/index.html": (
        "Our priorities",
        '<p><a href="/birmingham-south/priorities/anti-social-driving/">Anti-social driving</a></p>',
    ),
    "birmingham-south/priorities/anti-social-driving/index.html": ("Anti-social driving", "<p>We are acting.</p>"),
    # Appeals, alerts and the engagement pages.
    "appeals/index.html": ("Appeals", '<p><a href="/appeals/missing-man/">Missing man</a></p>'),
    "appeals/missing-man/index.html": ("Have you seen him?", '<article class="appeal"><p>Call 101.</p></article>'),
    "birmingham-south/appeals/index.html": ("Birmingham South appeals", '<ul class="cards"><li>'
                                            '<a href="/birmingham-south/appeals/found-man/">Ended</a></li></ul>'),
    "birmingham-south/appeals/found-man/index.html": (
        "Missing person appeal: resolved", '<article class="appeal appeal--ended"><p>It has ended.</p></article>'),
    "alerts/flood/index.html": ("Flooding (ended)", "<p>This message has ended.</p>"),
    "gallery/index.html": ("Photo of the day", "<p>No photos yet.</p>"),
    "rate-your-local-police/index.html": ("Rate your local police", "<p>No questions yet.</p>"),
}

TEAM_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">'
    '<rect width="120" height="60" fill="#1d3f91"/></svg>\n'
)


def write_sample_site(root: Path) -> Path:
    """Write a good hand-made build under root (root/main/...); return root."""
    main = root / "main"
    for rel, (title, body) in PAGES.items():
        path = main / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_html(title, body), encoding="utf-8")
    (main / "style.css").write_text(CSS, encoding="utf-8")
    (main / "team.svg").write_text(TEAM_SVG, encoding="utf-8")
    # Non-HTML files the checker must skip.
    (main / "news" / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"></rss>\n', encoding="utf-8")
    return root


# Pages each tool must reject. Name -> HTML.
INVALID_HTML = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Broken</title></head>
<body>
<p>An unclosed <span>paragraph
<ul><div>not a list item</div></ul>
<img src="/team.svg">
</body>
</html>
"""

INACCESSIBLE_HTML = page_html(
    "Inaccessible",
    '<img src="/team.svg" width="120" height="60">'
    '<p style="color:#bbb;background:#fff">Pale grey text that fails contrast.</p>',
)

THIRD_PARTY_HTML = page_html(
    "Third party",
    '<p>Tracked.</p><script src="https://cdn.example.invalid/tracker.js"></script>'
    '<img src="http://127.0.0.2:9/pixel.gif" alt="" width="1" height="1">',
)


def write_broken_pages(root: Path) -> dict[str, str]:
    """Add broken pages under root/main/broken/; return kind -> URL path."""
    main = root / "main"
    out = {}
    for kind, html in {
        "invalid": INVALID_HTML,
        "inaccessible": INACCESSIBLE_HTML,
        "third-party": THIRD_PARTY_HTML,
    }.items():
        path = main / "broken" / kind / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        out[kind] = f"broken/{kind}/"
    return out
