"""Editors' Markdown to HTML: Python-Markdown, plus the checks and link markers we need.

A Treeprocessor turns links to content files (`../advice/burglary.md`) and
to static files (`/images/map.png`) into `wmp:` markers that the renderer
resolves per site, and refuses what would hurt residents: images without alt
text, `javascript:` links, and raw HTML outside a small allow-list. What
reaches a resident is what the sanitiser keeps (sanitise.py), whatever the
checks here let through.
"""

from __future__ import annotations

import posixpath
import re
from html import unescape
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from xml.etree import ElementTree as etree

from wmpsite.content.limits import check_body
from wmpsite.core.errors import ContentError
from wmpsite.core.parts import Body
from wmpsite.core.phone import contact_spans
from wmpsite.content.sanitise import (
    SAFE_SCHEMES, SANITISER_VERSION, allowed_attribute, raw_html_problems, sanitise)

EXTENSIONS = ["extra", "sane_lists", "toc"]
EXTENSION_CONFIGS = {"toc": {"permalink": False}}
#: Part of every cache key for converted bodies: bump when conversion changes.
RENDERER_VERSION = f"python-markdown {markdown.__version__}; {SANITISER_VERSION}; wmpsite-body 3"

_STASH = re.compile(r"\x02wzxhzdk:(\d+)\x03")


class _Checks(Treeprocessor):
    """Resolve links to markers, demote headings under the page's h1, check images."""

    def run(self, root):
        state = self.md.wmp
        if any(el.tag == "h1" for el in root.iter()):
            for el in root.iter():
                if re.fullmatch(r"h[1-5]", el.tag):
                    el.tag = f"h{int(el.tag[1]) + 1}"
        for el in root.iter():
            for name in el.keys():  # `{: onclick="..."}` (attr_list) sets any attribute
                if not allowed_attribute(el.tag, name):
                    state.error(name, f"the attribute '{name}' on <{el.tag}> is not allowed in content",
                                "scripts and event handlers can never run on the force's sites")
            if el.tag == "img":
                src = el.get("src", "")
                if not el.get("alt", "").strip():
                    state.error(src, f"the image '{src}' has no alt text",
                                "write what it shows: ![a marked bicycle](/images/bike.jpg)")
                el.set("src", state.resolve(src, "image"))
                el.set("loading", "lazy")
            elif el.tag == "a" and el.get("href") is not None:
                el.set("href", state.resolve(el.get("href"), "link"))


class _Contacts(Treeprocessor):
    """Link the phone numbers and email addresses written in prose ('call us on 0121 496 0441'), so a
    resident on a phone calls or writes with one tap: `tel:` in E.164 with the number as written."""

    SKIP = frozenset({"a", "code", "pre", "script", "style"})

    def run(self, root):
        self._walk(root)

    def _walk(self, el):
        if el.tag in self.SKIP:
            return
        el.text = self._link(el, 0, el.text)
        for child in list(el):
            self._walk(child)
            child.tail = self._link(el, list(el).index(child) + 1, child.tail)

    def _link(self, parent, at: int, text: str | None) -> str | None:
        """Turn the contacts in `text` (parent's text before its child number `at`) into <a> children."""
        spans = contact_spans(text) if text else []
        if not spans:
            return text
        before, last = text[:spans[0][0]], None
        for n, (start, end, href) in enumerate(spans):
            link = etree.Element("a", {"href": href})
            link.text = text[start:end]
            link.tail = text[end:spans[n + 1][0] if n + 1 < len(spans) else len(text)]
            parent.insert(at + n, link)
            last = link
        assert last is not None
        return before


class _State:
    """Per-file state for one conversion: where it is, what it links to, what is wrong."""

    def __init__(self, path: str, body: str, body_line: int, static_files: frozenset[str]):
        self.path, self.body, self.body_line = path, body, body_line
        self.static_files = static_files
        self.links: list[tuple[str, int]] = []
        self.errors: list[ContentError] = []

    def line_of(self, needle: str) -> int:
        index = -1
        # an address is best found where Markdown takes it from, '](address' or '<address>', and not
        # inside an earlier, longer one ('//evil.example/' in 'https://evil.example/')
        for candidate in (f"]({needle}", f"<{needle}>", needle) if needle else ():
            index = self.body.find(candidate)
            if index >= 0:
                break
        return self.body_line + (self.body.count("\n", 0, index) if index >= 0 else 0)

    def error(self, needle: str, message: str, hint: str | None = None) -> None:
        self.errors.append(ContentError(self.path, message, self.line_of(needle), hint))

    def resolve(self, href: str, what: str) -> str:
        parts = urlsplit(unescape(href))  # a browser reads `jav&#x61;script:` as `javascript:`
        if parts.scheme:
            if parts.scheme.lower() not in SAFE_SCHEMES:
                self.error(href, f"the {what} '{href}' uses '{parts.scheme}:', which is not allowed",
                           "use an https:// address")
            elif parts.scheme.lower() in ("http", "https"):  # checks.own_host_errors: one on our own host
                self.links.append((href, self.line_of(href)))  # must be a page the build makes
            return href
        if parts.netloc:  # '//evil.example/': a browser goes to that host
            self.error(href, f"the {what} '{href}' has no 'https:' at its start",
                       f"write the whole address, like 'https://{parts.netloc}{parts.path}'")
            return href
        if href.startswith("#") or not parts.path:
            return href
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if parts.path.endswith(".md"):
            base = "content" if parts.path.startswith("/") else posixpath.dirname(self.path)
            target = posixpath.normpath(posixpath.join(base, parts.path.lstrip("/")))
            if not target.startswith("content/"):  # '../../../../etc/passwd.md': never a page of this site
                self.error(href, f"the {what} '{href}' leads outside the content/ folder",
                           "link to a page by its file under content/, like '../advice/burglary.md'")
                return href
            self.links.append((target, self.line_of(href)))
            return f"wmp:{target}{fragment}"
        if parts.path.startswith("/"):
            target = posixpath.normpath("static" + parts.path)
            if target.removeprefix("static/") in self.static_files:
                return f"wmp:{target}{fragment}"
            self.error(href, f"the {what} '{href}' points to no file under static/",
                       f"put the image under static/ as {target}, or check the spelling of its name"
                       if what == "image" else f"put the file under static/ as {target}, or link to another "
                       "page by its file, like '../advice/burglary.md'")
            return href
        if what == "image":  # images are never content files: they live under static/
            from_static = posixpath.normpath(re.sub(r"^(\.\.?/)*(static/)?", "", parts.path))
            self.error(href, f"the image '{href}' is not a file this site knows",
                       f"give its path from static/, starting with '/': '/{from_static}'"
                       if from_static in self.static_files else
                       "put images under static/ and give their path from there, starting with '/', "
                       "like '/images/map.png'")
            return href
        self.error(href, f"the link '{href}' is not a file this site knows",
                   "link to a page by its file, like '../advice/burglary.md', or to a file "
                   "under static/ like '/images/map.png'")
        return href


class _Extension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_Checks(md), "wmp-checks", 1)
        md.treeprocessors.register(_Contacts(md), "wmp-contacts", 0.5)  # after the links are resolved


def new_converter() -> markdown.Markdown:
    """Make a Markdown converter with our extensions; reuse it for many files."""
    return markdown.Markdown(extensions=EXTENSIONS + [_Extension()],
                             extension_configs=EXTENSION_CONFIGS, output_format="html")


_CONVERTER: markdown.Markdown | None = None


def convert_body(path: str, body: str, body_line: int,
                 static_files: frozenset[str] = frozenset()) -> tuple[Body, list[ContentError]]:
    """Convert one file's Markdown body; return the Body and what is wrong with it.

    A body past a limit (limits.py) is not converted at all: those are the shapes that
    would make Python-Markdown run for minutes.
    """
    if refused := check_body(path, body, body_line):
        return Body(html="", links=()), refused
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = new_converter()
    md = _CONVERTER
    md.reset()
    state = _State(path, body, body_line, static_files)
    md.wmp = state
    html = md.convert(body)
    for raw in md.htmlStash.rawHtmlBlocks:
        text = str(raw).strip()
        for needle, message, hint in raw_html_problems(text):
            at = text.lower().find(needle.lower())  # the line in the block, which may span many
            line = state.line_of(text[:40]) + (text.count("\n", 0, at) if at > 0 else 0)
            state.errors.append(ContentError(path, message, line, hint))
    return Body(html=sanitise(html), links=tuple(state.links)), state.errors
