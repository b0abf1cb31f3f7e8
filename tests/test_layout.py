"""The package's folders are its architecture: each subpackage of hal/ may
import only the layers below it, and no modules import each other in a circle.

The table below is the architecture drawn as data: a new subsystem gets its
own folder and its own row here."""
from __future__ import annotations

import ast
from pathlib import Path

HAL = Path(__file__).resolve().parent.parent / "hal"

# subpackage -> the other subpackages it may import (hal.errors and hal.paths
# are open to all; "" is hal/__init__.py and other top-level modules)
ALLOWED = {
    "core": set(),
    "personality": {"core"},
    "toolchain": {"core", "personality"},
    "safety": {"core"},
    "inspection": {"core", "safety", "toolchain"},
    "scheduling": {"core", "safety", "toolchain"},
    "grading": {"core", "toolchain", "safety", "personality"},
    "render": {"core", "inspection", "scheduling", "grading"},
    "debugger": {"core", "safety"},
    # the API's doors to the classroom kit (hal.exercise, hal.tour) lead into
    # hal.classroom, which in turn runs halemu only through the API
    "api": {"core", "toolchain", "safety", "inspection", "scheduling", "grading", "render",
            "personality", "debugger", "classroom"},
    "classroom": {"api", "render"},
    # the CLI runs guests, comparisons and schedules only through hal.api, so
    # the command line and Python can never give different numbers
    "cli": {"api", "render", "core", "toolchain", "safety"},
    "": {"*"},
}
OPEN = {"errors", "paths"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(HAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every hal module `path` imports, at the top or inside functions."""
    mod = _module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("hal"):
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("hal")}
    return {f for f in found if not f.startswith("hal.arch") and f != mod}


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (HAL / rel).with_suffix(".py").is_file() or (HAL / rel / "__init__.py").is_file()


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (HAL / parts[1]).is_dir()) else ""


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in HAL.rglob("*.py")}


def test_every_subpackage_imports_only_the_layers_below_it():
    wrong = []
    for mod, targets in sorted(_graph().items()):
        layer = _layer(mod)
        allowed = ALLOWED.get(layer)
        assert allowed is not None, f"{mod}: subpackage '{layer}' needs a row in ALLOWED"
        for t in sorted(targets):
            other = _layer(t)
            top = t.split(".")[1] if "." in t else ""
            if other in ("", layer) and (other == layer or top in OPEN or layer == ""):
                continue
            if "*" in allowed or other in allowed:
                continue
            wrong.append(f"{mod} imports {t}")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_no_module_imports_itself_through_a_circle():
    graph = _graph()
    # a top-level import of a package runs its __init__, so edges go to modules
    state: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for t in graph.get(m, ()):
            if t not in graph:
                continue
            if state.get(t) == 1:
                circles.append(" -> ".join(stack[stack.index(t):] + [t]))
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_each_subpackage_says_what_it_is_for_and_what_it_may_import():
    for init in sorted(HAL.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and "May import" in doc, f"{init}: docstring must say what it may import"
