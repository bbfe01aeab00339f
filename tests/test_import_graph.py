"""wmpsite's imports form no loop, and they run one way between the stage folders.

Every `import` and `from ... import` counts, wherever it stands: at the top of a module, inside a
function or under `if TYPE_CHECKING:`. An import deferred into a function still ties the two
modules together, and a loop hidden that way is still a loop.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "wmpsite"

#: The stages that run the build, publish it and serve it, and the command line over them all.
TOP = {"build", "publish", "serve", "cli"}
#: The stages each lower stage must not import. `wmpsite` (the package's own __init__, its
#: version) is below them all.
ABOVE = {
    "core": {"content", "present", "features", "outputs"} | TOP,
    "content": TOP,
    "present": TOP,
    "features": TOP,
    "outputs": TOP,
}


def module_files() -> dict[str, Path]:
    """Every module of the package by its dotted name; a package's __init__.py is the package itself."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = module_files()


def absolute(module: str, node: ast.ImportFrom) -> str:
    """The module a `from ... import` reads from, with a relative import resolved against `module`.

    In a package's __init__ one dot means the package itself; in any other module, its package.
    """
    if not node.level:
        return node.module or ""
    package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    base = package[:len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported(module: str, text: str) -> set[str]:
    """The package's modules that `module`, whose source is `text`, imports.

    `from wmpsite.core import model` imports the submodule wmpsite.core.model; it is an import of
    wmpsite.core's __init__ only for names defined there. Python also runs each parent package's
    __init__ first, but that is no edge: the parent is already loaded when its module's code runs.
    """
    names = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = absolute(module, node)
            names += [f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                      for alias in node.names]
    found = set()
    for name in names:
        while name and name not in MODULES:  # `import wmpsite.core.model.Force` style names
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


GRAPH = {module: imported(module, path.read_text(encoding="utf-8")) for module, path in MODULES.items()}


def shortest_loop(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """The shortest import loop through `start`, as start -> ... -> start, or None (breadth first)."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target in sorted(graph[module]):
            if target == start:
                path = [module]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1] + [start]
            if target not in came_from:
                came_from[target] = module
                queue.append(target)
    return None


def import_loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The shortest loop through each module that is in one, each loop once: every module caught in
    a loop is named, and each line is a real chain of imports."""
    loops, seen = [], set()
    for module in sorted(graph):
        loop = shortest_loop(graph, module)
        if loop and frozenset(loop) not in seen:
            seen.add(frozenset(loop))
            loops.append(loop)
    return loops


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "wmpsite"


def layers() -> dict[str, set[str]]:
    """For each stage folder, the other stages its modules import."""
    found: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        found.setdefault(stage(module), set()).update(stage(t) for t in targets if stage(t) != stage(module))
    return found


def describe_layers() -> str:
    return "\n".join(f"  {name:9} imports {', '.join(sorted(uses)) or 'nothing of wmpsite'}"
                     for name, uses in sorted(layers().items()))


def test_the_graph_sees_deferred_relative_and_submodule_imports():
    # The walk must see what a plain top-level scan would miss, or the tests below prove nothing.
    sample = ("from typing import TYPE_CHECKING\n"
              "if TYPE_CHECKING:\n    import wmpsite.build.plan\n"
              "def later():\n    from ..core import model\n    from . import frontmatter\n"
              "from wmpsite.core.urls import MAIN\n")
    assert imported("wmpsite.content.loader", sample) == {
        "wmpsite.build.plan", "wmpsite.core.model", "wmpsite.content.frontmatter", "wmpsite.core.urls"}
    # A name from a package's __init__ is an import of the package; `from . import x` there is x.
    assert imported("wmpsite.content", "from . import loader\nfrom wmpsite import __version__\n") == {
        "wmpsite.content.loader", "wmpsite"}
    assert import_loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert import_loops({"a": {"b"}, "b": {"a", "c"}, "c": {"b"}}) == [["a", "b", "a"], ["c", "b", "c"]]
    assert import_loops({"a": {"b"}, "b": set()}) == []


def test_no_import_loops():
    print("layers:\n" + describe_layers())
    loops = import_loops(GRAPH)
    assert not loops, "import loops:\n" + "\n".join(" -> ".join(loop) for loop in loops)


def test_every_stage_has_a_place():
    # A new stage folder must be placed in ABOVE or TOP, or the rule below would not cover it.
    assert {stage(module) for module in MODULES} == set(ABOVE) | TOP | {"wmpsite"}


@pytest.mark.parametrize("low", sorted(ABOVE))
def test_imports_run_one_way_between_stages(low):
    # core is what every stage shares, so it imports no stage; content, present, features and
    # outputs describe the site and never reach up to the stages that build, publish or serve it.
    upward = sorted(f"{module} imports {target}" for module, targets in GRAPH.items() if stage(module) == low
                    for target in targets if stage(target) in ABOVE[low])
    assert not upward, "imports up the stages:\n" + "\n".join(upward) + "\nlayers:\n" + describe_layers()


def dynamic_imports(text: str, name: str) -> list[str]:
    """`__import__` and importlib's import machinery in one file's text, as 'name:line: what'.

    importlib.metadata is allowed: it reads installed packages' versions and imports nothing.
    """
    found = []
    for node in ast.walk(ast.parse(text)):
        what = None
        if isinstance(node, ast.Name) and node.id == "__import__" or \
                isinstance(node, ast.Attribute) and node.attr == "__import__":
            what = "__import__"
        elif isinstance(node, ast.Import):
            what = ", ".join(a.name for a in node.names if a.name.split(".")[0] == "importlib"
                             and not a.name.startswith("importlib.metadata")) or None
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "importlib":
            if node.module == "importlib":
                what = ", ".join(f"importlib.{a.name}" for a in node.names if a.name != "metadata") or None
            elif not node.module.startswith("importlib.metadata"):
                what = node.module
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "importlib" \
                and node.attr != "metadata":
            what = f"importlib.{node.attr}"
        if what:
            found.append((node.lineno, f"{name}:{node.lineno}: {what}"))
    return [line for _, line in sorted(found)]


def test_dynamic_imports_are_found():
    # The rule must tell machinery from the allowed version look-up.
    sample = ("import importlib.metadata\nfrom importlib.metadata import version\n"
              "from importlib import metadata\nimportlib.metadata.version('x')\n"
              "import importlib\nfrom importlib import import_module\n"
              "m = __import__('os')\nimportlib.import_module('os')\nimport importlib.util\n")
    assert [line.split(": ", 1)[0] for line in dynamic_imports(sample, "sample.py")] == \
        [f"sample.py:{n}" for n in (5, 6, 7, 8, 9)]


def test_no_dynamic_imports():
    # An import built from a string hides an edge from the graph above (and from readers).
    found = [line for path in MODULES.values()
             for line in dynamic_imports(path.read_text(encoding="utf-8"), path.relative_to(PACKAGE.parent).as_posix())]
    assert not found, "dynamic imports:\n" + "\n".join(found)
