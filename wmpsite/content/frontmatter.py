"""Split a Markdown file into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Any

import yaml
import yaml.constructor

from wmpsite.content import limits
from wmpsite.core.errors import ContentError

Path_ = tuple  # a key path into the front matter, e.g. ("members", 0, "name")


@dataclass(frozen=True)
class Document:
    """A parsed content file.

    `lines` maps a key path to the 1-based line of the file where that key
    (or list item) starts, so that a schema error can point at it.
    `body_line` is the file line on which the Markdown body starts.
    """

    path: str
    data: dict[str, Any]
    lines: dict[Path_, int]
    body: str
    body_line: int

    def line_of(self, key_path: Path_) -> int:
        """Return the line of `key_path`, or of its nearest parent that has one."""
        key_path = tuple(key_path)
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            key_path = key_path[:-1]
        return self.lines.get((), 1)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that leaves dates like 2025-03-14 to our own schema checks.

    PyYAML turns `2025-03-14` into a date but `2025-03-14 10:30` into a string;
    keeping every scalar a string lets one parser give one clear message.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


def parse_document(path: str, text: str) -> tuple[Document | None, list[ContentError]]:
    """Parse `text` (the whole file) into a Document, or return why not.

    A file must start with a line of three dashes, the YAML, and a closing line
    of three dashes; the rest is the Markdown body.
    """
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, [ContentError(
            path, "expected front matter: the file must start with a line '---'", 1,
            "put the fields between two lines of three dashes, then the text")]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return None, [ContentError(
            path, "the front matter is not closed: expected a second line '---'", 1,
            "did you forget the closing '---' after the fields?")]
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:])
    refused = _refuse_text(path, yaml_text)
    if refused:
        return None, [refused]
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node() or yaml.MappingNode("tag:yaml.org,2002:map", [])
        if not isinstance(node, yaml.MappingNode):
            return None, [ContentError(path, "expected the front matter to be a list of 'field: value' lines",
                                       node.start_mark.line + 2)]
        walk = _Walk(path)
        walk.map_lines(node, ())
        if walk.refused:
            return None, walk.refused + walk.errors  # its values could be too many to build, or loop back
        data = _construct(path, loader, node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 1
        problem = exc.problem or "it could not be read"
        return None, [ContentError(path, f"the front matter is not valid YAML: {problem}", line,
                                   _yaml_hint(problem))]
    except _Unreadable as exc:
        return None, [exc.error]
    finally:
        loader.dispose()
    if not isinstance(data, dict):  # a tag such as !!set or !!omap on the whole front matter
        return None, [ContentError(path, "expected the front matter to be a list of 'field: value' lines", 2)]
    return Document(path, data, walk.lines, body, end + 2), walk.errors


#: YAML's own rule for the characters a file may hold (PyYAML's Reader), tab and line ends aside.
_NOT_YAML = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


class _Unreadable(Exception):
    """A value YAML reads but cannot make (`!!int x`): carries the error naming its line."""

    def __init__(self, error: ContentError):
        self.error = error


def _refuse_text(path: str, yaml_text: str) -> ContentError | None:
    """An error when the front matter is too long, or holds a character YAML never allows."""
    if len(yaml_text) > limits.MAX_FRONT_MATTER_CHARS:
        return ContentError(path, f"the front matter is {len(yaml_text):,} characters long; at most "
                            f"{limits.MAX_FRONT_MATTER_CHARS:,} are allowed", 2,
                            "keep long texts in the body, below the closing '---'")
    if bad := _NOT_YAML.search(yaml_text):
        return ContentError(path, f"the front matter contains the control character "
                            f"{limits.describe(bad.group())}", yaml_text.count("\n", 0, bad.start()) + 2,
                            "delete it: it often comes from pasting")
    return None


def _construct(path: str, loader: yaml.BaseLoader, node: yaml.Node) -> Any:
    """Build the values from the node tree, or raise _Unreadable naming the line of a value that
    has a tag its text does not fit (`title: !!int x`)."""
    try:
        return loader.construct_document(node)
    except (ValueError, TypeError, ArithmeticError):
        pass
    for at in _walk(node):
        try:
            _build(at)
        except (ValueError, TypeError, ArithmeticError, yaml.YAMLError):
            tag = at.tag.replace("tag:yaml.org,2002:", "!!")
            raise _Unreadable(ContentError(path, f"the value '{at.value}' does not fit its tag '{tag}'",
                                           at.start_mark.line + 2, "leave out the tag that starts with '!'"))
    raise AssertionError("a document failed to build, but every one of its values builds")


def _walk(node: yaml.Node):
    """Yield every scalar under `node` (aliases are refused before this runs, so each once)."""
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(key)
            yield from _walk(value)


def _build(node: yaml.Node) -> Any:
    """Build one node's value alone, as the whole document builds it."""
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


@dataclass
class _Walk:
    """One walk over a front matter's nodes: the line of every key and list item, what is wrong,
    and what makes building its values unbounded (refused: the values are never built)."""

    path: str
    lines: dict[Path_, int] = field(default_factory=lambda: {(): 1})
    errors: list[ContentError] = field(default_factory=list)
    refused: list[ContentError] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)

    def map_lines(self, node: yaml.Node, at: Path_) -> None:
        # The YAML starts on line 2 of the file (after '---'); marks are 0-based.
        line = self.lines[at] if at in self.lines else node.start_mark.line + 2
        if id(node) in self.seen:  # an alias: its values could expand to millions, or loop back on themselves
            self.refused.append(ContentError(self.path, "a value repeats another with '*'", line,
                                             "write the value out again instead"))
            return
        self.seen.add(id(node))
        if len(at) > limits.MAX_FIELD_DEPTH:
            self.refused.append(ContentError(self.path, f"fields are nested more than {limits.MAX_FIELD_DEPTH} "
                                             "deep", line))
        elif isinstance(node, yaml.ScalarNode):
            if bad := limits.unprintable(node.value):
                self.errors.append(ContentError(self.path, "the value contains the control character "
                                                f"{limits.describe(bad.group())}", node.start_mark.line + 2,
                                                "leave out escapes such as \\0 in quoted text"))
        elif isinstance(node, yaml.MappingNode):
            keys: set = set()
            for key_node, value_node in node.value:
                key = _key(key_node)
                key_line = key_node.start_mark.line + 2
                if key in keys:
                    self.errors.append(ContentError(self.path, f"'{key_node.value}' is given twice", key_line,
                                                    "keep one of them"))
                keys.add(key)
                self.lines[at + (key,)] = key_line
                self.map_lines(value_node, at + (key,))
        elif len(node.value) > limits.MAX_LIST_ITEMS:
            self.refused.append(ContentError(self.path, f"the list has {len(node.value):,} items; at most "
                                             f"{limits.MAX_LIST_ITEMS} are allowed", line,
                                             "split it, or keep the list elsewhere and link to it"))
        else:
            for i, item in enumerate(node.value):
                self.lines[at + (i,)] = item.start_mark.line + 2
                self.map_lines(item, at + (i,))


def _key(key_node: yaml.Node) -> Any:
    """The key as the document's values will have it (`1:` is the number 1, `~:` is None)."""
    if not isinstance(key_node, yaml.ScalarNode):
        return key_node.start_mark.index  # a list or group as a key: unhashable, refused as it builds
    try:
        return _build(key_node)
    except (ValueError, TypeError, ArithmeticError, yaml.YAMLError):
        return key_node.value  # a key that does not fit its tag: _construct names it


def _yaml_hint(problem: str) -> str | None:
    if "mapping values are not allowed" in problem:
        return "a value that contains ': ' must be put in quotes"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return None
