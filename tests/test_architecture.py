"""The layering holds: every import points down, and the contracts that say so are enforced.

Layers, lowest first: core, accounts, plans, outcomes, reporting; reporting/render sees only the
built report (reporting.report), its own package and core. docs/architecture.md explains why.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PROJECT_PACKAGES = ("core", "accounts", "plans", "outcomes", "reporting", "thurrock_irp")
LAYERS = ["core", "accounts", "plans", "outcomes", "reporting"]
RENDERERS_MAY_IMPORT = ("reporting.render", "reporting.report", "core")


def _contracts(pyproject: Path) -> list[dict]:
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def _contract_name(pyproject: Path, *, type: str, source: str | None = None) -> str:
    (name,) = [
        contract["name"]
        for contract in _contracts(pyproject)
        if contract["type"] == type and (source is None or source in contract.get("source_modules", []))
    ]
    return name


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    # PYTHONPATH first, so the packages analysed are the ones under `cwd`, never the installed tree.
    return subprocess.run(
        [str(LINT_IMPORTS), str(cwd / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=cwd,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(cwd), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )


# --------------------------------------------------------------------------- import-linter's contracts


def test_the_layers_and_renderer_contracts_are_declared():
    pyproject = ROOT / "pyproject.toml"
    layers = [c for c in _contracts(pyproject) if c["type"] == "layers"]
    assert [c["layers"] for c in layers] == [list(reversed(LAYERS))]
    renderers = [c for c in _contracts(pyproject) if "reporting.render" in c.get("source_modules", [])]
    (renderer,) = renderers
    assert renderer["type"] == "forbidden"
    assert {"plans", "outcomes", "accounts", "reporting.builder"} <= set(renderer["forbidden_modules"])


def test_lint_imports_keeps_every_contract_on_the_real_tree():
    # Passes once the renderers import only reporting.report and core (issue 12's reporting work).
    result = _lint_imports(ROOT)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    kept = re.search(r"Contracts: (\d+) kept, 0 broken\.", output)
    assert kept and int(kept.group(1)) >= 2, output


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """The project's packages and its pyproject.toml, copied where a test may break them."""
    for package in PROJECT_PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "templates", "static", "migrations"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layers_contract_is_kept_by_the_unchanged_copy(project_copy):
    """The control for the tests below: the copy itself keeps the layers contract."""
    name = _contract_name(project_copy / "pyproject.toml", type="layers")

    output = _lint_imports(project_copy).stdout

    assert f"{name} KEPT" in output


def test_an_upward_import_from_core_breaks_the_layers_contract(project_copy):
    (project_copy / "core" / "reaches_up.py").write_text("import reporting\n")
    name = _contract_name(project_copy / "pyproject.toml", type="layers")

    result = _lint_imports(project_copy)

    assert result.returncode != 0
    assert f"{name} BROKEN" in result.stdout
    assert "core.reaches_up -> reporting" in result.stdout


def test_a_renderer_importing_outcomes_breaks_the_renderer_contract(project_copy):
    (project_copy / "reporting" / "render" / "reaches_back.py").write_text("import outcomes\n")
    name = _contract_name(project_copy / "pyproject.toml", type="forbidden", source="reporting.render")

    result = _lint_imports(project_copy)

    assert result.returncode != 0
    assert f"{name} BROKEN" in result.stdout
    assert "reporting.render.reaches_back -> outcomes" in result.stdout


# ----------------------------------------------------------------------------- the rule, read from the source


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, as (line, dotted name); `from a import b` gives a.b."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_no_layer_imports_a_higher_one(layer):
    higher = LAYERS[LAYERS.index(layer) + 1 :]
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _sources(layer)
        for line, name in _imports(path)
        if any(_within(name, above) for above in higher)
    ]
    assert upward == []


def test_the_lowest_layers_exist_and_are_scanned():
    # An import scan of an empty or renamed directory would pass for the wrong reason.
    for layer in LAYERS:
        assert _sources(layer), layer


def test_renderers_import_only_the_built_report_their_own_package_and_core():
    # Passes once reporting/render/ is cut loose from the builder and outcomes (issue 12's reporting work).
    project_imports = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _sources("reporting/render")
        for line, name in _imports(path)
        if name.split(".")[0] in PROJECT_PACKAGES
        and not any(_within(name, allowed) for allowed in RENDERERS_MAY_IMPORT)
    ]
    assert project_imports == []


# --------------------------------------------------------------------------------------------- the tests


def test_no_test_module_imports_another():
    # Shared data lives in tests/scenarios.py and fixtures in conftest.py, so a module can be
    # read, moved or deleted without breaking another.
    tests = ROOT / "tests"
    crossing = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted(tests.rglob("*.py"))
        for line, name in _imports(path)
        if any(part.startswith("test_") for part in name.split(".")[1:]) and _within(name, "tests")
    ]
    assert crossing == []


def test_the_suite_runs_the_slow_tests_unless_asked_not_to():
    # `make test` runs plain pytest: the 6,100-criteria tests are marked slow, never deselected.
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]
    assert "slow" not in options["ini_options"]["addopts"]
