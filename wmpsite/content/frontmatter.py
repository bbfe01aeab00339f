"""Split a Markdown file into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

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
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        # Build the values from the same node tree: the text is parsed once.
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 1
        problem = exc.problem or "it could not be read"
        return None, [ContentError(path, f"the front matter is not valid YAML: {problem}", line,
                                   _yaml_hint(problem))]
    finally:
        loader.dispose()
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode):
        return None, [ContentError(path, "expected the front matter to be a list of 'field: value' lines",
                                   node.start_mark.line + 2)]
    errors: list[ContentError] = []
    line_map: dict[Path_, int] = {(): 1}
    _map_lines(path, node, (), line_map, errors)
    data = data or {}
    body = "\n".join(lines[end + 1:])
    return Document(path, data, line_map, body, end + 2), errors


def _map_lines(path: str, node: yaml.Node, at: Path_, out: dict, errors: list) -> None:
    # The YAML starts on line 2 of the file (after '---'); marks are 0-based.
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 2
            if key in seen:
                errors.append(ContentError(path, f"'{key}' is given twice", line,
                                           "keep one of them"))
            seen.add(key)
            out[at + (key,)] = line
            _map_lines(path, value_node, at + (key,), out, errors)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[at + (i,)] = item.start_mark.line + 2
            _map_lines(path, item, at + (i,), out, errors)


def _yaml_hint(problem: str) -> str | None:
    if "mapping values are not allowed" in problem:
        return "a value that contains ': ' must be put in quotes"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return None
