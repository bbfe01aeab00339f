"""Finding a value anywhere in a built tree, in any form a page, feed or index could give it: what the
tests of ended appeals and of scheduled items assert is nowhere."""

from __future__ import annotations

import gzip
import html
import json
import urllib.parse
import xml.sax.saxutils
import zlib
from pathlib import Path


def encodings(value: str) -> set[bytes]:
    """Every form `value` could take in the output: raw, HTML, XML, JSON and URL encodings."""
    forms = {value, html.escape(value), html.escape(value, quote=False),
             html.escape(value).replace("&#x27;", "&#39;"), xml.sax.saxutils.escape(value),
             xml.sax.saxutils.escape(value, {"'": "&apos;", '"': "&quot;"}),
             json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
             urllib.parse.quote(value), urllib.parse.quote_plus(value), urllib.parse.quote(value, safe=""),
             value.encode("ascii", "xmlcharrefreplace").decode(),
             "".join(c if ord(c) < 128 else f"&#x{ord(c):x};" for c in value)}
    # Each distinctive word alone too (a template could split a value), in the same forms.
    words = {w.strip(",.'\"<>") for w in value.split() if len(w.strip(",.'\"<>&")) >= 5}
    for word in words:
        forms |= {word, html.escape(word), json.dumps(word)[1:-1], urllib.parse.quote(word),
                  word.encode("ascii", "xmlcharrefreplace").decode()}
    return {f.encode("utf-8") for f in forms if f} | {f.encode("utf-16-le") for f in forms if len(f) > 4}


def contents(out: Path):
    """(path, bytes) of every file under `out`, and the unpacked bytes of compressed ones (Pagefind)."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield path, data
        if data[:2] == b"\x1f\x8b":
            yield path, gzip.decompress(data)
        else:
            try:
                yield path, zlib.decompress(data)
            except zlib.error:
                pass


def traces(out: Path, values) -> list[str]:
    found = []
    patterns = {v: encodings(v) for v in values}
    for path, data in contents(out):
        lowered = data.lower()
        for value, forms in patterns.items():
            for form in forms:
                if form.lower() in lowered:
                    found.append(f"{path.relative_to(out)}: {form!r} (from {value!r})")
    return found
