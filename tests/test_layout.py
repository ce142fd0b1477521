"""The package's layout (issue 15): the stages as subpackages, reading → model → checks → pages →
search → interfaces, adapters at the edge. Walked with ``ast`` (nothing imported): every import
of every module under plugins/portail, relative ones resolved, those inside functions included.

- no cycle between modules (a cycle is named, module by module);
- no module over ``MAX_LINES`` lines (the ~400 target, with some slack);
- the core (everything but ``adapters/``) never imports mkdocs or Material.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "portail"
MAX_LINES = 450


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: dict[str, Path]) -> tuple[set[str], set[str]]:
    """The package's modules that ``name`` imports, and the top-level names of everything it
    imports (for the mkdocs rule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    ours: set[str] = set()
    tops: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                tops.add(alias.name.split(".")[0])
                if alias.name in known:
                    ours.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            tops.add(target.split(".")[0])
            # ``from . import urls`` imports the module ``urls``; ``from .x import y`` the module x.
            for candidate in [target] + [f"{target}.{alias.name}" for alias in node.names]:
                if candidate in known and candidate != name:
                    ours.add(candidate)
    # A package's __init__ runs before any of its modules: importing ``a.b`` imports ``a``, which
    # is not a cycle of ours, so packages are left out of the graph's edges.
    return {m for m in ours if known[m].name != "__init__.py"}, tops


def graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    known = modules()
    edges, tops = {}, {}
    for name, path in known.items():
        edges[name], tops[name] = imported(name, path, known)
    return edges, tops


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``edges`` as the list of its modules (first one repeated at the end)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_walk_sees_the_package() -> None:
    edges, _ = graph()
    assert "portail.reading.context" in edges and "portail.adapters.mkdocs_portail" in edges
    assert "portail.model.kb" in edges["portail.reading.context"]


def test_find_cycle_names_the_modules() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle() -> None:
    edges, _ = graph()
    cycle = find_cycle(edges)
    assert cycle is None, "cycle d'imports : " + " → ".join(cycle)


def test_no_module_over_the_size_limit() -> None:
    over = {
        str(path.relative_to(PACKAGE.parent.parent)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not over, f"modules de plus de {MAX_LINES} lignes : {over}"


def test_the_core_never_imports_mkdocs_or_material() -> None:
    _, tops = graph()
    offenders = {
        name: sorted(top & {"mkdocs", "material"})
        for name, top in tops.items()
        if not name.startswith("portail.adapters") and top & {"mkdocs", "material"}
    }
    assert not offenders, offenders


STAGES = ("model", "reading", "checks", "pages", "search", "interfaces", "adapters")


def test_stages_import_only_stages_below_them() -> None:
    """The flow in the file list: a module imports its own stage and the stages before it, in
    ``STAGES`` order (model, reading, checks, pages, search, interfaces, adapters)."""
    edges, _ = graph()
    upward = []
    for name, targets in edges.items():
        parts = name.split(".")
        if len(parts) < 3:
            continue
        for target in targets:
            tparts = target.split(".")
            if len(tparts) >= 3 and STAGES.index(tparts[1]) > STAGES.index(parts[1]):
                upward.append(f"{name} → {target}")
    assert not upward, "imports vers une étape plus haute :\n" + "\n".join(sorted(upward))
