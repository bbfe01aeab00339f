"""The tables of docs/templates.md, written from the template contexts themselves: the names every page
gets (present/views.PageContext and what kinds add), each page kind's own names (the dataclass its
builder's `-> Built[...]` names) and the view objects they hold.

A name's type comes from its field's annotation and what it is from the comment on the field's line,
so the guide cannot drift from what templates get. `make docs` writes the tables in (scripts/refresh_docs.py);
tests/test_docs.py fails when the committed guide differs.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import textwrap
import types
import typing
from typing import Any, Callable, Iterator

from wmpsite.build.kinds import KINDS
from wmpsite.core.kind import Kind
from wmpsite.core.page import Built
from wmpsite.present.views import PageContext


def context_of(builder: Callable) -> type:
    """The context dataclass a page builder returns, from its annotation `-> Built[HomeContext]`."""
    returns = typing.get_type_hints(builder).get("return")
    if typing.get_origin(returns) is not Built or not dataclasses.is_dataclass(typing.get_args(returns)[0]):
        raise TypeError(f"the page builder {builder.__module__}.{builder.__qualname__} must say which context it "
                        "returns: annotate it `-> Built[SomeContext]`, SomeContext a frozen dataclass")
    return typing.get_args(returns)[0]


def added_by(kind: Kind) -> type:
    """The dataclass of the names `kind` adds to every page, from its every_page's return annotation."""
    returns = typing.get_type_hints(kind.every_page).get("return")
    if not dataclasses.is_dataclass(returns):
        raise TypeError(f"the every_page of the kind '{kind.name}' must be annotated with the dataclass it returns")
    return returns


def page_kinds(kinds: tuple[Kind, ...] = KINDS) -> dict[str, type]:
    """Every page kind, in the order of the kinds' table, and the context class of its builder."""
    return {name: context_of(builder) for kind in kinds for name, builder in kind.builders.items()}


def every_page(kinds: tuple[Kind, ...] = KINDS) -> tuple[type, ...]:
    """PageContext, then the dataclasses of what kinds add to every page."""
    return (PageContext, *(added_by(kind) for kind in kinds if kind.every_page))


def field_docs(cls: type) -> dict[str, str]:
    """Each field's comment, from the end of the line that declares it (`title: str  # the h1`)."""
    source = textwrap.dedent(inspect.getsource(cls))
    lines = source.encode("utf-8").splitlines()  # ast counts columns in UTF-8 bytes
    node = ast.parse(source).body[0]
    docs = {}
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            rest = lines[stmt.end_lineno - 1][stmt.end_col_offset:].decode("utf-8").strip()
            docs[stmt.target.id] = rest[1:].strip() if rest.startswith("#") else ""
    return docs


def class_doc(cls: type) -> str:
    """The first line of a class's own docstring (dataclasses make one up when there is none)."""
    doc = ast.get_docstring(ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0])
    return doc.splitlines()[0] if doc else ""


def type_text(hint: Any, inner: bool = False) -> str:
    """A field's type as the guide writes it: 'list of `NewsCard`', '`Link` or None'."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        shown = [type_text(a, True) for a in args if a is not type(None)]
        text = " or ".join(shown) + (" or None" if type(None) in args else "")
        return f"({text})" if inner else text
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return f"list of {type_text(args[0], True)}"
    if origin is tuple:
        return "(" + ", ".join(type_text(a) for a in args) + ")"
    if hint is Any:
        return "any"
    return f"`{hint.__name__}`"


def _fields(cls: type) -> Iterator[tuple[str, Any, str]]:
    """(name, type, what it is) of each field of a dataclass but PageContext's `added`."""
    hints, docs = typing.get_type_hints(cls), field_docs(cls)
    for f in dataclasses.fields(cls):
        if not (cls is PageContext and f.name == "added"):
            yield f.name, hints[f.name], docs[f.name]


def _cell(text: str) -> str:
    """Text for a table cell: `|` escaped, and `<head>` and the like shown, not taken for HTML, outside `code`."""
    pieces = text.replace("|", "\\|").split("`")
    return "`".join(piece if n % 2 else piece.replace("<", "&lt;") for n, piece in enumerate(pieces))


def every_page_table(kinds: tuple[Kind, ...] = KINDS) -> str:
    rows = ["| name | type | what it is |", "|---|---|---|"]
    for cls in every_page(kinds):
        rows += [f"| `{name}` | {type_text(hint)} | {_cell(doc)} |" for name, hint, doc in _fields(cls)]
    return "\n".join(rows) + "\n"


def page_kinds_table(kinds: tuple[Kind, ...] = KINDS) -> str:
    rows = ["| kind (template) | where | name | type | what it is |", "|---|---|---|---|---|"]
    for kind, cls in page_kinds(kinds).items():
        first = f"`{kind}` (`{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}`) | {_cell(cls.WHERE)}"
        for name, hint, doc in _fields(cls):
            rows.append(f"| {first} | `{name}` | {type_text(hint)} | {_cell(doc)} |")
            first = " | "
    return "\n".join(rows) + "\n"


def views(kinds: tuple[Kind, ...] = KINDS) -> list[type]:
    """Every dataclass the contexts hold, however deep, by name."""
    found: dict[str, type] = {}

    def visit(hint: Any) -> None:
        for arg in typing.get_args(hint):
            visit(arg)
        if dataclasses.is_dataclass(hint) and hint.__name__ not in found:
            found[hint.__name__] = hint
            for _, inner, _ in _fields(hint):
                visit(inner)

    for cls in (*every_page(kinds), *page_kinds(kinds).values()):
        for _, hint, _ in _fields(cls):
            visit(hint)
    return [found[name] for name in sorted(found)]


def views_table(kinds: tuple[Kind, ...] = KINDS) -> str:
    rows = ["| view | field | type | what it is |", "|---|---|---|---|"]
    for cls in views(kinds):
        about = class_doc(cls)
        first = f"`{cls.__name__}`" + (f": {_cell(about)}" if about else "")
        for name, hint, doc in _fields(cls):
            rows.append(f"| {first} | `{name}` | {type_text(hint)} | {_cell(doc)} |")
            first = ""
    return "\n".join(rows) + "\n"


def parts(kinds: tuple[Kind, ...] = KINDS) -> dict[str, str]:
    """The generated parts of docs/templates.md, by the name of their markers (`<!-- NAME:start -->`)."""
    return {"every-page": every_page_table(kinds), "page-kinds": page_kinds_table(kinds),
            "views": views_table(kinds)}


def between(text: str, name: str) -> str:
    """The part of a guide between its `<!-- NAME:start -->` and `<!-- NAME:end -->` lines."""
    return text.split(f"<!-- {name}:start -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]


def fill(text: str, name: str, part: str) -> str:
    """The guide with `part` between its NAME markers instead of what was there."""
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    return head + start + part + end + rest.split(end, 1)[1]
