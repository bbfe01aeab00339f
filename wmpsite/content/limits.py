"""The documented limits on one content file, checked before a slow step can read it.

Python-Markdown and PyYAML take time that grows faster than the text for a few
shapes no editor writes on purpose (thousands of unclosed '[', lists nested
hundreds deep, YAML aliases that expand to millions of values). These limits
keep every file's work bounded; docs/content.md states them to editors, and
each check costs one pass over the text.
"""

from __future__ import annotations

import re

from wmpsite.core.errors import ContentError

#: The front matter: its length, its lists, how deep its groups go.
MAX_FRONT_MATTER_CHARS = 20_000
MAX_LIST_ITEMS = 500
MAX_FIELD_DEPTH = 8
#: The Markdown body: its length, and how deep lists and quotes go.
MAX_BODY_CHARS = 100_000
MAX_BODY_NESTING = 8
#: Each '[' makes the converter read on, character by character, to the end of its
#: paragraph (or list item, or heading) looking for its ']'; a backslash there costs it
#: about as much as seven characters, a backtick two. This bounds the sum, over
#: paragraphs, of '[' times that weighted length: at the limit, at most about 3.5
#: million lines of the converter's Python (measured; tests/test_hostile_files.py).
MAX_BRACKET_WORK = 100_000
WEIGHTS = {"\\": 7, "`": 2}  # every other character counts 1

#: Characters that XML, so feeds and sitemaps, can never carry (a tab, a line end are fine).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")  # '- - -', a line across the page
#: A list item's first line (as Python-Markdown reads one: '-', '*', '+' or '1.'), and a heading's.
_ITEM = re.compile(r"[ \t>]*(?:[-*+]|\d{1,9}\.)[ \t]+")
_HEADING = re.compile(r"[ \t>]*#{1,6}(?:[ \t]|$)")
#: One level of nesting at the start of a line: a quote mark, a list marker, or four spaces of indent.
_LEVEL = re.compile(r" {0,3}>| {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+| {4}|\t")


def unprintable(text: str) -> re.Match | None:
    """The first character of `text` that no web page or feed can carry, if any."""
    return _UNPRINTABLE.search(text)


def describe(char: str) -> str:
    """Name a control character as an editor can look it up: U+0000."""
    return f"U+{ord(char):04X}"


def check_body(path: str, body: str, body_line: int) -> list[ContentError]:
    """Return what in the Markdown `body` goes past a limit; when this is empty, converting it is bounded."""
    if len(body) > MAX_BODY_CHARS:
        return [ContentError(path, f"the text is {len(body):,} characters long; at most {MAX_BODY_CHARS:,} are "
                             "allowed", body_line, "split it into several pages")]
    errors = []
    if bad := unprintable(body):
        errors.append(ContentError(path, f"the text contains the control character {describe(bad.group())}, "
                                   "which cannot be shown on a web page", _line(body, bad.start(), body_line),
                                   "delete it: it often comes from pasting"))
    lines = body.split("\n")
    deep = next((n for n, line in enumerate(lines) if _depth(line) > MAX_BODY_NESTING), None)
    if deep is not None:
        errors.append(ContentError(path, f"lists or quotes are nested more than {MAX_BODY_NESTING} deep",
                                   body_line + deep, "put fewer '>' or less indent in front of the line"))
    paragraphs = list(_paragraphs(lines))
    if sum(opened * length for opened, length, _ in paragraphs) > MAX_BRACKET_WORK:
        opened, _, first = max(paragraphs, key=lambda p: p[0] * p[1])
        errors.append(ContentError(
            path, f"the text has too many '[' in long paragraphs (this one has {opened:,})", body_line + first,
            "write \\[ for a bracket that does not start a link, or split long paragraphs with blank lines"))
    return errors


def _paragraphs(lines: list[str]):
    """Yield ('[' count, weighted length, first line index) of each run of text the converter reads as
    one: lines with no blank line between, where a heading starts a new run, and so does each item of
    a list (a block whose first line is a list item: in a paragraph, '- ' is just text)."""
    opened = length = 0
    first = None
    listed = False
    for number, line in enumerate(lines + [""]):
        if first is not None and (not line.strip() or _HEADING.match(line) or (listed and _ITEM.match(line))):
            yield opened, length, first
            opened = length = 0
            first = None
        if line.strip():
            if first is None:
                first, listed = number, bool(_ITEM.match(line))
            opened += line.count("[")
            length += len(line) + 1 + sum((weight - 1) * line.count(char) for char, weight in WEIGHTS.items())


def _depth(line: str) -> int:
    """How deep the line is nested in lists and quotes, counting to one past the limit at most."""
    if _RULE.fullmatch(line):
        return 0
    depth, at = 0, 0
    while depth <= MAX_BODY_NESTING and (level := _LEVEL.match(line, at)):
        depth, at = depth + 1, level.end()
    return depth


def _line(text: str, index: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, index)
