"""What HTML may reach a resident: the nh3 (ammonia) sanitiser, and the raw HTML editors may write.

nh3 parses HTML as a browser does, so markup hidden from a simpler parser
(`<!--><meta ...>-->`, `<![CDATA[><img ...>]]>`) is seen and removed. It is
the one thing that decides what reaches a page or a feed: every converted body
passes through `sanitise`. The editor-facing check (`raw_html_problems`) reads
raw HTML with lxml, whose tokenizer (libxml2 2.14 and later) also follows the
HTML standard, so editors are told about the markup a browser would run.
"""

from __future__ import annotations

import re

import lxml.etree
import nh3

#: Attributes any element may carry, in Markdown's output and in editors' raw HTML.
COMMON_ATTRIBUTES = frozenset({"title", "lang", "dir", "id", "class"})

#: Raw HTML editors may write in Markdown, with the attributes each may carry besides COMMON_ATTRIBUTES.
ALLOWED_HTML: dict[str, frozenset[str]] = {
    tag: COMMON_ATTRIBUTES | extra
    for tag, extra in {
        "abbr": frozenset(), "br": frozenset(), "details": frozenset({"open"}),
        "summary": frozenset(), "sub": frozenset(), "sup": frozenset(), "kbd": frozenset(),
        "mark": frozenset(), "small": frozenset(), "s": frozenset(), "del": frozenset(),
        "ins": frozenset(), "dl": frozenset(), "dt": frozenset(), "dd": frozenset(),
        "figure": frozenset(), "figcaption": frozenset(), "span": frozenset(),
        "div": frozenset(), "p": frozenset(), "strong": frozenset(), "em": frozenset(),
        "time": frozenset({"datetime"}), "address": frozenset(), "cite": frozenset(),
        "q": frozenset({"cite"}),
    }.items()
}

#: What our Markdown makes (extra, sane_lists, toc and our link and image rewriting), beside the raw HTML.
MARKDOWN_HTML: dict[str, frozenset[str]] = {
    **{tag: frozenset() for tag in (
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "li", "blockquote", "pre", "code", "hr",
        "table", "thead", "tbody", "tr")},
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"style"}),  # tables: style="text-align: ..." for aligned columns
    "td": frozenset({"style"}),
}

#: Everything a resident's page or feed reader may get: tag -> its attributes.
RESIDENT_HTML: dict[str, frozenset[str]] = {
    tag: COMMON_ATTRIBUTES | ALLOWED_HTML.get(tag, frozenset()) | MARKDOWN_HTML.get(tag, frozenset())
    for tag in sorted(ALLOWED_HTML.keys() | MARKDOWN_HTML.keys())
}

#: URL schemes a link, image or quotation may use; `wmp:` is our marker for a content or static file.
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_MARKER_SCHEME = "wmp"
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
#: What a browser ignores in a URL: spaces and controls at its ends, tabs and newlines inside.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")


def allowed_attribute(tag: str, name: str) -> bool:
    """Tell whether a resident may get attribute `name` on element `tag`."""
    return name in RESIDENT_HTML.get(tag, COMMON_ATTRIBUTES)


def unsafe_url(url: str) -> bool:
    """True for an address a resident must not follow: a scheme outside SAFE_SCHEMES (`javascript:`,
    `data:`, `vbscript:`) or one with no scheme that leaves the site (`//evil.example/`, `/\\evil.example/`).

    Reads the address as a browser does, which ignores tabs and newlines inside it and reads `\\` as `/`.
    """
    compact = _IGNORED_IN_URL.sub("", url).replace("\\", "/")
    if compact.startswith("//"):
        return True
    scheme = _SCHEME.match(compact)
    return scheme is not None and scheme.group(1).lower() not in (*SAFE_SCHEMES, _MARKER_SCHEME)


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    return None if name in _URL_ATTRIBUTES and unsafe_url(value) else value


_CLEANER = nh3.Cleaner(
    tags=set(RESIDENT_HTML),
    attributes={tag: set(names) for tag, names in RESIDENT_HTML.items()},
    attribute_filter=_filter_attribute,
    url_schemes={*SAFE_SCHEMES, _MARKER_SCHEME},
    filter_style_properties={"text-align"},
    link_rel=None,  # our links open in the same tab and carry no rel, as before
    strip_comments=True,
)

#: Part of every cache key for converted bodies: what the sanitiser is and how it is set.
SANITISER_VERSION = f"nh3 {nh3.__version__}; lxml {lxml.etree.LXML_VERSION}; allow-list 1"


def sanitise(html: str) -> str:
    """Keep only the HTML in RESIDENT_HTML, with safe addresses: what may reach a resident.

    >>> sanitise('<!--><meta http-equiv="refresh" content="0;url=https://evil.example/">-->')
    '--&gt;'
    """
    return _CLEANER.clean(html)


_TAG_HINT = "allowed tags: " + ", ".join(sorted(ALLOWED_HTML))
_HANDLER_HINT = "scripts and event handlers can never run on the force's sites"


def raw_html_problems(raw: str) -> list[tuple[str, str, str]]:
    """What is wrong with one piece of an editor's raw HTML, as a browser reads it: [(needle, message, hint)].

    The needle is the text to look for in `raw` to find the line.
    """
    root = lxml.etree.fromstring(raw, lxml.etree.HTMLParser()) if raw.strip() else None
    problems: list[tuple[str, str, str]] = []
    for el in root.iter() if root is not None else ():
        if not isinstance(el.tag, str) or (el.tag in ("html", "head", "body") and not el.attrib):
            continue  # a comment, or a wrapper the parser added around the fragment
        if el.tag not in ALLOWED_HTML:
            problems.append((f"<{el.tag}", f"the HTML tag <{el.tag}> is not allowed in content", _TAG_HINT))
            continue
        for name, value in el.attrib.items():
            if name not in ALLOWED_HTML[el.tag]:
                problems.append((name, f"the attribute '{name}' on <{el.tag}> is not allowed in content",
                                 _HANDLER_HINT))
            elif name in _URL_ATTRIBUTES and unsafe_url(value):
                problems.append((value, f"the address '{value}' on <{el.tag}> is not allowed in content",
                                 "use an https:// address"))
    return problems
