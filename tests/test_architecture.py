"""The import contract of the package: imports run down the layers, and no module imports
itself back through others (no import cycles).

Every ``import`` and ``from ... import`` statement of every module under ``src/positrons`` is
read from its syntax tree (relative ones resolved, those inside functions and classes
included: they run too, only later), so the check needs no import of the package.  The layers,
lowest first (``docs/architecture.md`` explains them):

  0 base        units, constants, kinematics, quadrature, cache, the package itself
  1 kernels     data, decays, cross_sections, interstellar, losses, lis
  2 physics     sources, heliosphere, magnetosphere, propagation
  3 statistics  stats (likelihoods and limit rules)
  4 drawing     plotting (draws arrays: may import only the base and data)
  5 analysis    analysis (pipelines and result records)
  6 interface   commands, cli

A module may import from its own layer or a lower one; within the physics layer only
propagation may import sources (the source terms it transports).  The self-tests at the end
write a small package to a temporary directory and show that the checker catches an upward
import, a forbidden import within a layer, an unknown module and a cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: top-level part of the package -> layer (0 lowest); "" is the package's own __init__
LAYERS = {
    "": 0, "_version": 0, "units": 0, "constants": 0, "kinematics": 0, "quadrature": 0, "cache": 0,
    "data": 1, "decays": 1, "decay_folding": 1, "cross_sections": 1, "interstellar": 1, "losses": 1, "lis": 1,
    "sources": 2, "heliosphere": 2, "magnetosphere": 2, "propagation": 2,
    "stats": 3,
    "plotting": 4,
    "analysis": 5,
    "commands": 6, "cli": 6,
}
#: layers whose parts may import one another only as listed in SAME_LAYER_ALLOWED
CLOSED_LAYERS = {2}
#: imports between different parts of a closed layer that are allowed (importer -> imported)
SAME_LAYER_ALLOWED = {("propagation", "sources")}
#: parts that may import only the parts listed (on top of their own): plotting draws arrays
ONLY_FROM = {"plotting": {"", "_version", "units", "constants", "kinematics", "quadrature", "data"}}


@dataclass(frozen=True)
class Contract:
    """The layers of a package: ``layers`` maps each top-level part to its layer number.

    Parts of one layer may import one another, except in the ``closed_layers``, where only
    the pairs ``(importer, imported)`` of ``same_layer_allowed`` may; a part named in
    ``only_from`` may import only the parts listed for it.
    """

    package: str
    layers: dict
    same_layer_allowed: frozenset = frozenset()
    only_from: dict = None
    closed_layers: frozenset = frozenset()

    def part(self, module: str) -> str:
        """``positrons.propagation.grid`` -> ``propagation``; the package itself -> ``""``."""
        parts = module.split(".")
        return parts[1] if len(parts) > 1 else ""


def module_files(src: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of ``package`` under ``src``."""
    out = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imported_modules(module: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """``(imported module, line)`` for every import statement of ``module`` (file ``path``)
    that names a module of the package (``known``).

    ``from a import b`` names ``a.b`` when that is a module, else ``a``; relative imports
    are resolved against the module's package.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    here = module.split(".") if is_package else module.split(".")[:-1]
    found = []

    def add(name: str, line: int):
        # the innermost known module that ``name`` lies in
        parts = name.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        if parts:
            found.append((".".join(parts), line))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else list(here)
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                add(full if full in known else target, node.lineno)
    return found


def import_graph(src: Path, package: str) -> tuple[dict[str, set[str]], list[tuple[str, str, int]]]:
    """(module -> modules it imports, list of (importer, imported, line)) within ``package``."""
    files = module_files(src, package)
    known = set(files)
    graph = {m: set() for m in files}
    edges = []
    for module, path in files.items():
        for target, line in imported_modules(module, path, known):
            if target != module:
                graph[module].add(target)
                edges.append((module, target, line))
    return graph, edges


def layer_violations(src: Path, contract: Contract) -> list[str]:
    """One line per import that breaks ``contract`` (or per module outside its layer table)."""
    graph, edges = import_graph(src, contract.package)
    problems = [f"{m}: not in the layer table" for m in sorted(graph) if contract.part(m) not in contract.layers]
    only_from = contract.only_from or {}
    for importer, imported, line in sorted(set(edges)):
        a, b = contract.part(importer), contract.part(imported)
        if a == b or a not in contract.layers or b not in contract.layers:
            continue
        la, lb = contract.layers[a], contract.layers[b]
        where = f"{importer} (line {line}) imports {imported}"
        if lb > la:
            problems.append(f"{where}: upward, layer {la} ({a or contract.package}) -> layer {lb} ({b})")
        elif lb == la and la in contract.closed_layers and (a, b) not in contract.same_layer_allowed:
            problems.append(f"{where}: sideways within layer {la} ({a} -> {b}), not allowed")
        elif a in only_from and b not in only_from[a]:
            problems.append(f"{where}: {a} may import only {', '.join(sorted(p or contract.package for p in only_from[a]))}")
    return problems


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of ``graph`` with more than one node (Tarjan 1972)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def one_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest cycle through the first module of ``component``: [a, b, ..., a]."""
    start, inside = component[0], set(component)
    previous, frontier = {start: None}, [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v] & inside):
                if w == start:
                    path = [v]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return path[::-1] + [start]
                if w not in previous:
                    previous[w] = v
                    following.append(w)
        frontier = following
    return component


def cycles(src: Path, package: str) -> list[str]:
    """One line per import cycle: the modules involved and one cycle through them."""
    graph, _ = import_graph(src, package)
    return [f"cycle among {', '.join(c)}: {' -> '.join(one_cycle(graph, c))}" for c in strongly_connected(graph)]


POSITRONS = Contract("positrons", LAYERS, frozenset(SAME_LAYER_ALLOWED), ONLY_FROM, frozenset(CLOSED_LAYERS))


def test_imports_run_down_the_layers():
    problems = layer_violations(SRC, POSITRONS)
    assert not problems, "import contract broken:\n  " + "\n  ".join(problems)


def test_no_import_cycles():
    found = cycles(SRC, "positrons")
    assert not found, "import cycles:\n  " + "\n  ".join(found)


def test_the_checker_reads_the_whole_package():
    """Sanity: the graph has the package's modules and sees imports inside functions."""
    graph, _ = import_graph(SRC, "positrons")
    assert {"positrons.units", "positrons.cli", "positrons.commands.belt"} <= set(graph)
    assert "positrons.magnetosphere" in graph["positrons.commands.belt"]  # imported inside a function


# --- self-tests on a synthetic package ---------------------------------------------------

TOY_LAYERS = {"": 0, "base": 0, "kernel": 1, "physics": 1, "top": 2, "draw": 2}
TOY_CLOSED = frozenset({1})


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "toy" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _toy(tmp_path, **extra):
    files = {
        "__init__.py": '"""toy"""\n',
        "base.py": "import math\n",
        "kernel/__init__.py": "from .core import f\n",
        "kernel/core.py": "from ..base import math\n\ndef f():\n    from toy import base\n    return base\n",
        "physics.py": "from .kernel import core\n",
        "top.py": "from . import physics, kernel\n",
        "draw.py": "from .base import math\n",
    }
    files.update(extra)
    return _write(tmp_path, files)


def test_checker_passes_a_clean_package(tmp_path):
    src = _toy(tmp_path)
    contract = Contract("toy", TOY_LAYERS, frozenset({("physics", "kernel")}), {"draw": {"", "base"}}, TOY_CLOSED)
    assert layer_violations(src, contract) == []
    assert cycles(src, "toy") == []


def test_checker_catches_an_upward_import_inside_a_function(tmp_path):
    src = _toy(tmp_path, **{"kernel/core.py": "def f():\n    from ..top import physics\n    return physics\n"})
    contract = Contract("toy", TOY_LAYERS, frozenset({("physics", "kernel")}), closed_layers=TOY_CLOSED)
    problems = layer_violations(src, contract)
    assert problems == ["toy.kernel.core (line 2) imports toy.top: upward, layer 1 (kernel) -> layer 2 (top)"]


def test_checker_catches_sideways_and_restricted_imports(tmp_path):
    src = _toy(tmp_path, **{"draw.py": "import toy.physics\n", "kernel/core.py": "from .. import physics\n"})
    contract = Contract("toy", TOY_LAYERS, frozenset({("physics", "kernel")}), {"draw": {"", "base"}}, TOY_CLOSED)
    problems = layer_violations(src, contract)
    assert any("toy.kernel.core (line 1) imports toy.physics: sideways" in p for p in problems)
    assert any("toy.draw (line 1) imports toy.physics: draw may import only" in p for p in problems)


def test_checker_catches_a_module_outside_the_table(tmp_path):
    src = _toy(tmp_path, **{"stray.py": "x = 1\n"})
    assert layer_violations(src, Contract("toy", TOY_LAYERS, frozenset({("physics", "kernel")}))) == [
        "toy.stray: not in the layer table"]


def test_checker_catches_a_cycle(tmp_path):
    src = _toy(tmp_path, **{"a.py": "from . import b\n", "b.py": "from .c import g\n", "c.py": "def g():\n    import toy.a\n"})
    found = cycles(src, "toy")
    assert found == ["cycle among toy.a, toy.b, toy.c: toy.a -> toy.b -> toy.c -> toy.a"]


@pytest.mark.parametrize("relative, expected", [
    ("from . import sibling", "toy.pkg.sibling"),
    ("from .sibling import name", "toy.pkg.sibling"),
    ("from .. import base", "toy.base"),
    ("from ..base import math", "toy.base"),
    ("from . import name_in_init", "toy.pkg"),
])
def test_relative_imports_are_resolved(tmp_path, relative, expected):
    src = _write(tmp_path, {"__init__.py": "", "base.py": "", "pkg/__init__.py": "", "pkg/sibling.py": "",
                            "pkg/user.py": relative + "\n"})
    graph, _ = import_graph(src, "toy")
    assert graph["toy.pkg.user"] == {expected}
