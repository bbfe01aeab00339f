"""The security header files of each deployable site: what a meta tag cannot say, and no less than the pages need.

The same headers served by a real nginx are checked in tests/quality/test_headers_nginx.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html

from wmpsite.outputs import headers


def csp(text: str) -> dict[str, set[str]]:
    """A Content-Security-Policy as directive -> its sources."""
    parts = (part.split() for part in text.split(";") if part.strip())
    return {name: set(sources) for name, *sources in parts}


def netlify(site: Path) -> dict[str, str]:
    """The headers of a site's `_headers` file (its one rule, for every path)."""
    lines = [line for line in (site / "_headers").read_text().splitlines() if not line.startswith("#")]
    assert lines[0] == "/*"
    return dict(line.strip().split(": ", 1) for line in lines[1:])


def meta_policy(page: Path) -> dict[str, set[str]]:
    return csp(html.fromstring(page.read_bytes()).xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0])


def test_the_header_policy_never_blocks_what_a_page_allows_and_forbids_framing(demo_build):
    """A browser applies the header's policy and the page's meta policy both: each page must stay as
    its meta tag says (search's WebAssembly, a video's player), and only the header can forbid framing."""
    sites = [folder for folder in sorted(demo_build.iterdir()) if folder.is_dir()]
    assert sites
    checked = 0
    for site in sites:
        policy = csp(netlify(site)["Content-Security-Policy"])
        assert policy["frame-ancestors"] == {"'none'"}
        for page in site.rglob("*.html"):
            for name, sources in meta_policy(page).items():
                allowed = policy.get(name, policy["default-src"])
                assert sources <= allowed, f"{page.relative_to(demo_build)}: {name} {sources - allowed}"
            checked += 1
    assert checked > 100
    main = csp(netlify(demo_build / "main")["Content-Security-Policy"])
    assert "'wasm-unsafe-eval'" in main["script-src"] and main["frame-src"] == {"https://www.youtube-nocookie.com"}


def test_each_site_gets_all_the_headers_in_each_hosts_form(minimal_build):
    for name in ("main", "riverside"):
        site = minimal_build / name
        found = netlify(site)
        assert list(found) == ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                               "Permissions-Policy", "Strict-Transport-Security"]
        assert found["X-Content-Type-Options"] == "nosniff"
        assert found["Referrer-Policy"] == "strict-origin-when-cross-origin"  # as the pages' meta tag
        assert "camera=()" in found["Permissions-Policy"] and "geolocation=()" in found["Permissions-Policy"]
        assert found["Strict-Transport-Security"] == "max-age=31536000"
        apache = (site / ".htaccess").read_text()
        nginx = (site / ".nginx-headers.conf").read_text()
        for header, value in found.items():
            assert f'  Header always set {header} "{value}"\n' in apache
            assert f'add_header {header} "{value}" always;\n' in nginx
    # The local site has no search page and no video: its policy allows neither.
    riverside = csp(netlify(minimal_build / "riverside")["Content-Security-Policy"])
    assert riverside["script-src"] == {"'self'"} and "frame-src" not in riverside


def test_the_header_files_are_not_pages_and_not_in_the_sitemap(minimal_build):
    sitemap = (minimal_build / "main/sitemap.xml").read_text()
    assert "_headers" not in sitemap and "htaccess" not in sitemap and "nginx" not in sitemap
    apache = (minimal_build / "main/.htaccess").read_text()
    assert re.search(r'RedirectMatch 404 "/\(_headers\|\\\.nginx-headers\\\.conf\)\$"', apache)


def test_no_hsts_for_a_site_on_plain_http():
    assert "Strict-Transport-Security" not in dict(headers.headers("http://127.0.0.1:8000/", ()))
    assert "Strict-Transport-Security" in dict(headers.headers("https://www.example.police.uk/", ()))

