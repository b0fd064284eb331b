"""The import contract of slackctl's layers (run by `make lint` and by tests/test_layers.py).

Rules, from CONTRIBUTING.md:
  1. slackctl.slack (Slack's protocols) imports nothing else of slackctl: it could be published on its own.
  2. slackctl.core (what slackctl does) imports nothing of slackctl.cli, and none of the terminal libraries
     (typer, click, rich, questionary): it never does terminal I/O of its own.
  3. No import cycles between slackctl's modules, counting every import that runs (module level and inside
     functions), but not those under `if TYPE_CHECKING:`, which never run.
  4. slackctl.emulator (the local Slack) imports only slackctl.slack and the foundations (FOUNDATIONS below):
     never the CLI, the core or the dev loop, so it runs as a library inside tests and other programs.
  5. slackctl.devloop (run, exec, forward, reload) imports nothing of slackctl.cli and no terminal library, not
     even under `if TYPE_CHECKING:`: it is typed against the core's Session and told the rest as parameters.

Usage: python scripts/check_imports.py [PACKAGE_DIR]   exit 0 when the contract holds, 1 with one line a breach.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TERMINAL_LIBS = ("typer", "click", "rich", "questionary")
# The modules every layer may use (settings, errors, configuration, credentials, certificates, signals).
FOUNDATIONS = ("settings", "errors", "config", "credentials", "secretservice", "certs", "interrupts")


def module_name(path: Path, package_dir: Path) -> str:
    rel = path.relative_to(package_dir.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(tree: ast.AST, this: str, is_package: bool, *, typing: bool = False) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import that can run; with TYPING, also those only type checkers read."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node) and not typing:
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = this.split(".") if is_package else this.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            for alias in node.names:
                # `from pkg import module` depends on pkg.module; `from module import name` on module. (A
                # package's __init__ running first is Python's business, not a dependency between layers.)
                yield f"{prefix}.{alias.name}\0{prefix}", node.lineno
        stack.extend(ast.iter_child_nodes(node))


def build_graph(package_dir: Path, *, typing: bool = False) -> tuple[dict[str, dict[str, int]], dict[str, Path]]:
    files = {module_name(p, package_dir): p for p in sorted(package_dir.rglob("*.py"))}
    graph: dict[str, dict[str, int]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        edges: dict[str, int] = {}
        for found, line in imports_of(tree, name, path.name == "__init__.py", typing=typing):
            target, _, parent = found.partition("\0")
            if target not in files and parent:
                target = parent
            if target in files and target != name:
                edges.setdefault(target, line)
            elif target.split(".")[0] in TERMINAL_LIBS:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph, files


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def breaches(package_dir: Path) -> list[str]:
    graph, files = build_graph(package_dir)
    top = package_dir.name
    out: list[str] = []
    for name, edges in graph.items():
        where = files[name].relative_to(package_dir.parent)
        for target, line in sorted(edges.items(), key=lambda e: e[1]):
            if _inside(name, f"{top}.slack") and _inside(target, top) and not _inside(target, f"{top}.slack"):
                out.append(f"{where}:{line}: the Slack layer imports {target} (rule 1: slack/ imports nothing else)")
            if _inside(name, f"{top}.core"):
                if _inside(target, f"{top}.cli"):
                    out.append(f"{where}:{line}: the core imports {target} (rule 2: core/ never imports cli/)")
                elif target.split(".")[0] in TERMINAL_LIBS:
                    out.append(f"{where}:{line}: the core imports {target} (rule 2: no terminal libraries)")
            if (
                _inside(name, f"{top}.emulator")
                and _inside(target, top)
                and target != top
                and not any(_inside(target, f"{top}.{allowed}") for allowed in ("emulator", "slack", *FOUNDATIONS))
            ):
                out.append(
                    f"{where}:{line}: the emulator imports {target} "
                    "(rule 4: emulator/ imports only slack/ and the foundations)"
                )
    typed, _ = build_graph(package_dir, typing=True)
    for name, edges in typed.items():
        if not _inside(name, f"{top}.devloop"):
            continue
        where = files[name].relative_to(package_dir.parent)
        for target, line in sorted(edges.items(), key=lambda e: e[1]):
            if _inside(target, f"{top}.cli"):
                out.append(
                    f"{where}:{line}: the dev loop imports {target} (rule 5: devloop/ never imports cli/; "
                    "type it against core.session.Session)"
                )
            elif target.split(".")[0] in TERMINAL_LIBS:
                out.append(f"{where}:{line}: the dev loop imports {target} (rule 5: no terminal libraries)")
    internal = {n: {t for t in e if t in files} for n, e in graph.items()}
    for cycle in _cycles(internal):
        out.append("import cycle (rule 3) among: " + ", ".join(cycle))
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as a list of its members."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
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
                found.append(sorted(component))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main(argv: list[str]) -> int:
    package_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "slackctl"
    found = breaches(package_dir)
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} breach(es) of the import contract (see scripts/check_imports.py)")
        return 1
    print("import contract holds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
