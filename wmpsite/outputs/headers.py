"""The security headers of each deployable site, in the files hosts read: `_headers` (Netlify,
Cloudflare Pages), `.htaccess` (Apache) and `.nginx-headers.conf` (an nginx include).

Every page carries its Content-Security-Policy in a <meta> tag (templates/base.html), but a
policy in a meta tag cannot say `frame-ancestors`: only a header can stop another site from
framing ours (to dress a fake appeal in the force's pages, or to trick a click). The header's
policy is the meta tags' own, widened to what any page of that site needs (the search page's
WebAssembly, a video's frame) and with `frame-ancestors 'none'` added: a browser applies both
policies, so each page stays as strict as its meta tag says, and the header adds only what a
meta tag cannot. tests/test_headers.py holds every built page's meta policy to that.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Iterable, Mapping

from wmpsite.core.page import PlannedPage
from wmpsite.core.urls import EMBED_ORIGIN, Urls

NETLIFY, APACHE, NGINX = "_headers", ".htaccess", ".nginx-headers.conf"

#: The directives of templates/base.html's meta policy, as every page has them.
BASE_POLICY = (("default-src", "'self'"), ("img-src", "'self' data:"), ("style-src", "'self'"),
               ("script-src", "'self'"), ("object-src", "'none'"), ("base-uri", "'self'"),
               ("form-action", "'self'"))
#: No page uses these: a framed or injected script can never ask the resident for them.
PERMISSIONS = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
               "payment=(), usb=()")
#: A year, and not the force's other hosts (includeSubDomains could lock out one still on http).
HSTS = "max-age=31536000"


def policy(pages: Iterable[PlannedPage], files: Mapping[str, str] = MappingProxyType({})) -> str:
    """The Content-Security-Policy header of a site with these pages, and with files whose meta tags allow
    `files` (directive -> sources, as the CMS's admin page): what all their meta tags allow, and no framing."""
    directives = dict(BASE_POLICY)
    pages = tuple(pages)
    if any(page.kind == "search" for page in pages):  # Pagefind runs WebAssembly (templates/search.html)
        directives["script-src"] += " 'wasm-unsafe-eval'"
    if any(getattr(page.item, "video", None) for page in pages):  # a video's player (templates/article.html)
        directives["frame-src"] = EMBED_ORIGIN
    for name, sources in files.items():
        known = directives.get(name, directives["default-src"]).split()
        directives[name] = " ".join(known + [source for source in sources.split() if source not in known])
    directives["frame-ancestors"] = "'none'"
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


def headers(base_url: str, pages: Iterable[PlannedPage],
            files: Mapping[str, str] = MappingProxyType({})) -> list[tuple[str, str]]:
    """The security headers of the site at `base_url` with these pages (and files, see `policy`), as (name, value)."""
    found = [("Content-Security-Policy", policy(pages, files)), ("X-Content-Type-Options", "nosniff"),
             ("Referrer-Policy", "strict-origin-when-cross-origin"), ("Permissions-Policy", PERMISSIONS)]
    if base_url.startswith("https://"):  # browsers ignore HSTS sent over plain http
        found.append(("Strict-Transport-Security", HSTS))
    return found


def header_files(urls: Urls, plan: Iterable[PlannedPage],
                 extra: Mapping[str, Mapping[str, str]] = MappingProxyType({})) -> list[tuple[str, bytes]]:
    """The three header files of every deployable site, at the top of its folder; `extra` is, by site,
    what files other than pages need in its policy."""
    plan = tuple(plan)
    files = []
    for name, site in urls.sites.items():
        found = headers(site.base_url, (page for page in plan if page.location.site == name), extra.get(name, {}))
        head = f"Security headers of {site.base_url}, written by wmpsite on every build (docs/deploying.md)."
        files += [(f"{name}/{NETLIFY}", _netlify(head, found)), (f"{name}/{APACHE}", _apache(head, found)),
                  (f"{name}/{NGINX}", _nginx(head, found))]
    return files


def _netlify(head: str, found: list[tuple[str, str]]) -> bytes:
    lines = [f"# {head}", "/*", *(f"  {name}: {value}" for name, value in found)]
    return ("\n".join(lines) + "\n").encode()


def _apache(head: str, found: list[tuple[str, str]]) -> bytes:
    lines = [f"# {head}", "# Needs mod_headers (a2enmod headers) and AllowOverride FileInfo for this folder.",
             "<IfModule mod_headers.c>", *(f'  Header always set {name} "{value}"' for name, value in found),
             "</IfModule>", "# The other hosts' header files are not pages.", "<IfModule mod_alias.c>",
             f'  RedirectMatch 404 "/({_escaped(NETLIFY)}|{_escaped(NGINX)})$"', "</IfModule>"]
    return ("\n".join(lines) + "\n").encode()


def _nginx(head: str, found: list[tuple[str, str]]) -> bytes:
    lines = [f"# {head}", "# Include it in the site's server block (and in any location with add_header of its own).",
             *(f'add_header {name} "{value}" always;' for name, value in found),
             "# The header files are not pages.",
             f'location ~ "/({_escaped(NETLIFY)}|{_escaped(APACHE)}|{_escaped(NGINX)})$" {{ return 404; }}']
    return ("\n".join(lines) + "\n").encode()


def _escaped(name: str) -> str:
    return name.replace(".", r"\.")
