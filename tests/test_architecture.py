"""The package tree reads as the pipeline: each stage imports only from the stages before it, and no cycles."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from support import REPO

PACKAGE = REPO / "scripts" / "relais"
# In pipeline order; a module may import from its own stage and from the stages before it.
STAGES = ("core", "i18n", "rules", "model", "check", "render", "export", "site", "pipeline", "importers", "cli")
RULE_ID = re.compile(r"^[A-Z]{3}\d{3}$")


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "cli"


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(relative.parts).removesuffix(".__init__")
        found[name] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """Imports under `if TYPE_CHECKING:`: annotations only, never run."""
    blocks = [n for n in ast.walk(tree) if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING"]
    return {inner for block in blocks for inner in ast.walk(block)}


def relais_imports(path: Path) -> list[tuple[int, str]]:
    """Every `relais.*` module that `path` imports when it runs, at module level or inside functions."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("relais"):
            if node.module == "relais":
                found += [(node.lineno, f"relais.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("relais")]
    return found


def test_the_top_level_holds_only_the_stage_packages_and_the_command() -> None:
    top = {p.stem for p in PACKAGE.iterdir() if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())}
    assert top == {"__init__", *STAGES}


@pytest.mark.parametrize("module", sorted(modules()))
def test_a_module_imports_only_from_its_stage_and_the_stages_before_it(module: str) -> None:
    own = STAGES.index(stage_of(module))
    later = [
        f"line {line}: {target}"
        for line, target in relais_imports(modules()[module])
        if target != "relais" and STAGES.index(stage_of(target)) > own
    ]
    assert later == [], f"{module} imports from a later stage"


# Modules that may import inside a function: the command loads only what the chosen subcommand needs, and the
# engine adapter and the PDF writer load MkDocs, Playwright and openpyxl only when they run.
LAZY_IMPORTS_ALLOWED = {
    "relais.cli",
    "relais.importers.cli_support",
    "relais.importers.sheets",
    "relais.site.engine",
    "relais.site.pdf",
}


def imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return sorted(
        {
            f"line {inner.lineno} in {function.name}()"
            for function in functions
            for inner in ast.walk(function)
            if isinstance(inner, (ast.Import, ast.ImportFrom))
        }
    )


@pytest.mark.parametrize("module", sorted(set(modules()) - LAZY_IMPORTS_ALLOWED))
def test_a_module_imports_at_the_top_so_its_dependencies_show(module: str) -> None:
    assert imports_inside_functions(modules()[module]) == []


def test_there_is_no_import_cycle_between_modules() -> None:
    known = modules()
    graph = {name: {t for _, t in relais_imports(path) if t in known and t != name} for name, path in known.items()}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> list[str] | None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                return [*trail, name, target]
            if target not in state and (cycle := visit(target, [*trail, name])):
                return cycle
        state[name] = 2
        return None

    cycles = [cycle for name in sorted(graph) if name not in state and (cycle := visit(name, []))]
    assert cycles == []


def test_every_rule_id_written_in_the_code_is_in_the_catalogue() -> None:
    from relais.rules import all_rules

    known = {r.id for r in all_rules()}
    unknown = []
    for name, path in modules().items():
        if ".catalogue." in name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_id = isinstance(node, ast.Constant) and isinstance(node.value, str) and RULE_ID.match(node.value)
            if is_id and node.value not in known:
                unknown.append(f"{name}:{node.lineno}: {node.value}")
    assert unknown == []


def test_a_rule_constant_with_a_typo_fails_at_import() -> None:
    with pytest.raises(ImportError):
        exec("from relais.rules import DIR999", {})


def test_no_test_imports_from_a_conftest() -> None:
    """Fixtures come from fixtures; shared helpers from plain modules (support.py, browser/common.py)."""
    tests = REPO / "tests"
    importing = []
    for path in sorted(tests.rglob("*.py")):
        if "node_modules" in path.parts or "fixtures" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "conftest":
                importing.append(f"{path.relative_to(tests)}:{node.lineno}")
    assert importing == []
