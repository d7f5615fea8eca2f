"""The package's import graph: no module takes part in an import cycle (imports inside
functions count), and no module uses another module's ``_private`` names."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from itertools import pairwise
from pathlib import Path

import grimp
import pytest

import euregionet_desktop

PACKAGE = "euregionet_desktop"
ROOT = Path(euregionet_desktop.__file__).parent


# --- cycles ----------------------------------------------------------------------------------


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of a directed graph that hold a cycle (two or
    more nodes, or one node that imports itself), each sorted; Tarjan's algorithm, without
    recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in edges:
                    continue
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges[node]:
                        found.append(sorted(component))
    return sorted(found)


def one_cycle(edges: Mapping[str, Iterable[str]], component: list[str]) -> list[str]:
    """A shortest cycle through the component's first module, as the path of imports."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(edges[node]):
                if target not in members or target in came_from:
                    continue
                came_from[target] = node
                if target == start:
                    path = [start]
                    while path[-1] != start or len(path) == 1:
                        path.append(came_from[path[-1]])
                    return path[::-1]
                following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # a component always has one


def import_edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    modules = set(graph.modules)
    return {m: set(graph.find_modules_directly_imported_by(m)) & modules for m in modules}


def describe(graph: grimp.ImportGraph, cycle: list[str]) -> str:
    """One line per import of the cycle, with where it is written."""
    lines = []
    for importer, imported in pairwise(cycle):
        details = graph.get_import_details(importer=importer, imported=imported)
        where = ", ".join(f"line {d['line_number']}: {d['line_contents'].strip()}"
                          for d in details) or "?"
        lines.append(f"  {importer} -> {imported}  ({where})")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, cache_dir=None)


def test_imports_inside_functions_are_part_of_the_graph(graph):
    """Positive control: the CLI imports its services inside functions (so ``--help``
    stays fast), and the graph holds those imports, so a cycle hidden that way is seen."""
    source = (ROOT / "cli" / "sync_commands.py").read_text(encoding="utf-8")
    assert "    from euregionet_desktop.services import partners\n" in source
    assert graph.direct_import_exists(importer=f"{PACKAGE}.cli.sync_commands",
                                      imported=f"{PACKAGE}.services.partners")


def test_the_cycle_finder_finds_a_cycle_and_names_it():
    """Positive control of the finder on a small graph: a -> b -> c -> a (and d -> a, not
    in it), a module importing itself, and a chain without a cycle."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": {"g"},
             "g": set()}
    assert strongly_connected(edges) == [["a", "b", "c"], ["e"]]
    assert one_cycle(edges, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert one_cycle(edges, ["e"]) == ["e", "e"]
    assert strongly_connected({"f": {"g"}, "g": set()}) == []


def test_no_module_takes_part_in_an_import_cycle(graph):
    """No import cycle among the package's modules, not even through an import written
    inside a function (an import there still ties the two modules together)."""
    edges = import_edges(graph)
    assert {f"{PACKAGE}.services.records", f"{PACKAGE}.sync.wire", f"{PACKAGE}.ui.main_window",
            f"{PACKAGE}.cli"} <= set(edges)  # the whole package was read
    cycles = strongly_connected(edges)
    report = "\n\n".join(
        f"Import cycle among {', '.join(component)}:\n"
        f"{describe(graph, one_cycle(edges, component))}" for component in cycles)
    assert not cycles, "\n" + report


# --- private names -------------------------------------------------------------------------


def is_private(name: str) -> bool:
    """``_name``, but not gettext's ``_`` and not ``__dunder__`` names."""
    return name.startswith("_") and name != "_" and not (
        name.startswith("__") and name.endswith("__"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module an ``import from`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def private_reach_ins(path: Path, modules: set[str]) -> list[str]:
    """Where the module at ``path`` imports or uses a private name of another module of
    the package (``from m import _x``, or ``m._x`` with ``m`` an imported module)."""
    module = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    module_aliases: dict[str, str] = {}  # local name -> package module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = absolute(node, module, path.name == "__init__.py")
            if source != PACKAGE and not source.startswith(PACKAGE + "."):
                continue
            for alias in node.names:
                if f"{source}.{alias.name}" in modules:
                    module_aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
                elif is_private(alias.name) and source != module:
                    found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: "
                                 f"imports {alias.name} from {source}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules and alias.asname:
                    module_aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in module_aliases and is_private(node.attr)
                and module_aliases[node.value.id] != module):
            found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: uses "
                         f"{module_aliases[node.value.id]}.{node.attr}")
    return found


def package_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def test_the_private_name_check_sees_both_kinds_of_reach_in(tmp_path, monkeypatch):
    """Positive control: a module of the package that imports ``_x`` from another one, and
    one that calls ``other._y`` on an imported module, are both reported; ``_`` is not."""
    package = tmp_path / PACKAGE
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "other.py").write_text("def _x(): ...\ndef _y(): ...\n")
    (package / "sub" / "user.py").write_text(
        "from euregionet_desktop.i18n import _\n"
        "from euregionet_desktop.sub.other import _x\n"
        "from . import other\n"
        "def f():\n    return other._y(), _x(), _('text')\n")
    monkeypatch.setitem(globals(), "ROOT", package)
    modules = {f"{PACKAGE}", f"{PACKAGE}.sub", f"{PACKAGE}.sub.other", f"{PACKAGE}.sub.user"}
    assert private_reach_ins(package / "sub" / "user.py", modules) == [
        f"{PACKAGE}/sub/user.py:2: imports _x from {PACKAGE}.sub.other",
        f"{PACKAGE}/sub/user.py:5: uses {PACKAGE}.sub.other._y",
    ]


def test_no_module_uses_another_modules_private_names():
    """A ``_private`` name is its module's business: no other module of the package
    imports it or calls it (make it public with a good name instead)."""
    modules = package_modules()
    assert {f"{PACKAGE}.services.records", f"{PACKAGE}.sync.wire", f"{PACKAGE}.ui.main_window",
            f"{PACKAGE}.cli"} <= set(modules)  # the whole package was read
    found = [line for path in modules.values() for line in private_reach_ins(path, set(modules))]
    assert not found, "\n" + "\n".join(found)
