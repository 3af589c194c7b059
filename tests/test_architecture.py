"""The package layout keeps its layers: the core and the views know nothing of MkDocs or Jinja, no module imports
another's private names, and no import cycle exists — counting imports inside functions (lazy ones) too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "xuncha_site"
ENGINE_PACKAGES = ("mkdocs", "material", "jinja2", "properdocs")
# Layers that must run without the site engine (a move to MkDocs' successor replaces only the adapter).
ENGINE_FREE = ("core", "views", "outputs", "search", "importer", "federation")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(absolute module, imported names, line) for every import in the file, at any depth (lazy ones included)."""
    name = module_name(path) if path.is_relative_to(PACKAGE.parent) else path.stem
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module, [alias.name for alias in node.names], node.lineno


def internal_targets(module: str, names: list[str]) -> list[str]:
    """The package modules an import statement loads: ``from xuncha_site.core import routes`` loads
    ``xuncha_site.core.routes``."""
    if module not in MODULES:
        return []
    submodules = [f"{module}.{name}" for name in names if f"{module}.{name}" in MODULES]
    return submodules or [module]


def test_core_and_views_import_nothing_from_the_site_engine() -> None:
    offending = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {module}"
        for name, path in MODULES.items()
        if name.split(".")[1:2] and name.split(".")[1] in ENGINE_FREE
        for module, _, line in imports(path)
        if module.split(".")[0] in ENGINE_PACKAGES
    ]
    assert offending == []


@pytest.mark.parametrize("layer", ENGINE_FREE)
def test_engine_free_layers_import_no_adapter_or_command(layer: str) -> None:
    offending = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {module}"
        for name, path in MODULES.items()
        if name.startswith(f"xuncha_site.{layer}")
        for module, _, line in imports(path)
        if module.startswith(("xuncha_site.mkdocs_plugin", "xuncha_site.commands"))
    ]
    assert offending == []


def test_no_module_imports_another_modules_private_names() -> None:
    offending = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {module}.{imported}"
        for path in MODULES.values()
        for module, names, line in imports(path)
        if module.startswith("xuncha_site")
        for imported in names
        if imported.startswith("_") and not imported.startswith("__")
    ]
    offending += [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {module}"
        for path in MODULES.values()
        for module, _, line in imports(path)
        if module.startswith("xuncha_site") and any(part.startswith("_") for part in module.split(".")[1:])
        and module != "xuncha_site.__main__"
    ]
    assert offending == []


def test_there_is_no_import_cycle_lazy_imports_included() -> None:
    graph = {
        name: {target for module, names, _ in imports(path) for target in internal_targets(module, names)} - {name}
        for name, path in MODULES.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == [], "\n".join(" → ".join(cycle) for cycle in cycles)


def test_the_checker_sees_lazy_imports_and_cycles(tmp_path: Path) -> None:
    """The cycle test would pass vacuously if it read only top-level imports: prove it reads a function's too."""
    path = tmp_path / "lazy.py"
    path.write_text("def f():\n    from xuncha_site.core import routes\n", encoding="utf-8")
    found = [(module, names) for module, names, _ in imports(path)]
    assert ("xuncha_site.core", ["routes"]) in found
    assert internal_targets("xuncha_site.core", ["routes"]) == ["xuncha_site.core.routes"]
