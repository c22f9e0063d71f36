"""The generator's modules: no import cycle among them, and every one named in the README.

A cycle makes the import order matter (a module half-initialised when another reads it) and
ties two concepts together that should have one direction; the README's "How it works" is where
a newcomer learns what each module is for, so a module missing from it is a module nobody finds.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _top_level_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The generator modules ``name`` imports when it is imported (imports inside functions,
    which run later, are left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                out.add(candidate if candidate in known else base)
    return {m for m in out if m in known and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
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

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_module_of_the_generator_imports_itself_through_others() -> None:
    modules = _modules()
    graph = {name: _top_level_imports(name, path, set(modules)) for name, path in modules.items()}
    # a package's __init__ that lists its submodules, and submodules that read the package's
    # shared types, are one unit only when the package imports them back
    assert _cycles(graph) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_readme_names_every_module() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How it works") :]
    section = section[: section.index("\n## ", 1)] if "\n## " in section[1:] else section
    named = set(re.findall(r"`(generator/[\w/]+\.py)`", section))
    missing = [
        path.relative_to(ROOT).as_posix()
        for path in _modules().values()
        if path.name != "__main__.py" and path.relative_to(ROOT).as_posix() not in named
    ]
    assert missing == [], f"README 'How it works' does not name: {missing}"


STAGES = "load -> validate -> analyse -> snapshot -> story -> chart -> render -> write"


def test_the_stage_order_is_told_the_same_everywhere() -> None:
    import generator
    import generator.build

    assert STAGES in " ".join((generator.__doc__ or "").split())
    assert STAGES in " ".join((generator.build.__doc__ or "").split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert STAGES.replace("->", "→") in readme
    # and the build runs them in that order: each stage's function is called after the one before
    source = (PACKAGE / "build.py").read_text(encoding="utf-8")
    calls = ["load_dataset(", "analyse(", "make_snapshots(", "reports(", "Catalogue(", "write_site("]
    positions = [source.index(call, source.index("def build(")) for call in calls]
    assert positions == sorted(positions)
