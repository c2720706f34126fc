"""Every module the package imports is provided by a declared dependency (issue: a fresh venv).

The import graph is read from the source with :mod:`ast`: every ``import x`` / ``from x import``
anywhere in ``src/leftbehind`` (inside functions too) and every ``optional_import("x")``. Each
third-party top-level module is mapped to the distribution that installs it
(:func:`importlib.metadata.packages_distributions`), and that distribution must be named in
``[project] dependencies`` -- or, for the optional features, in the extra that feature documents.
A module that only arrives as another package's dependency (patsy through statsmodels, click
through old Typer) fails here, whatever happens to be installed.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "leftbehind"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: Extras a module may come from, and where: (extra, path prefix inside src/leftbehind or None
#: for "only through optional_import", which names the install command when it is missing).
OPTIONAL_FEATURES = {
    "psycopg": ("postgres", None),   # the PostgreSQL store: optional_import in qual/store.py
    "fastapi": ("web", "web/"),      # the browser workbench
    "uvicorn": ("web", "web/"),
}

#: Runtime dependencies that the package uses without importing them by name.
USED_INDIRECTLY = {
    "pyarrow": "the engine of pandas.read_parquet / DataFrame.to_parquet",
}


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _normal(distribution: str) -> str:
    return distribution.lower().replace("_", "-").replace(".", "-")


RUNTIME = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
EXTRAS = {extra: {_name(r) for r in reqs}
          for extra, reqs in PYPROJECT["project"]["optional-dependencies"].items()}


def imports_of(path: Path) -> list[tuple[str, int, bool]]:
    """(top-level module, line, through optional_import) of every absolute import in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno, False) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], node.lineno, False))
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "optional_import"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((str(node.args[0].value).split(".")[0], node.lineno, True))
    return found


def third_party_imports() -> list[tuple[str, str, int, bool]]:
    """(module, file relative to src/leftbehind, line, optional) for every non-stdlib import."""
    rows = []
    for path in sorted(SOURCE.rglob("*.py")):
        for module, line, optional in imports_of(path):
            if module in sys.stdlib_module_names or module in ("leftbehind", "__future__"):
                continue
            rows.append((module, path.relative_to(SOURCE).as_posix(), line, optional))
    return rows


def distributions_of(module: str) -> set[str]:
    return {_normal(d) for d in packages_distributions().get(module, [])}


def test_the_import_graph_is_not_empty():
    """Guards the test below against reading nothing (a moved source tree)."""
    modules = {row[0] for row in third_party_imports()}
    assert {"numpy", "pandas", "typer", "patsy", "sqlalchemy"} <= modules


def test_every_imported_module_is_a_declared_dependency():
    problems = []
    for module, where, line, optional in third_party_imports():
        dists = distributions_of(module)
        place = f"src/leftbehind/{where}:{line} imports {module}"
        if not dists:
            problems.append(f"{place}, which no installed distribution provides")
            continue
        if dists & RUNTIME and not optional:
            continue
        feature = OPTIONAL_FEATURES.get(module)
        if feature is None:
            problems.append(f"{place} ({', '.join(sorted(dists))}), not in [project] dependencies")
            continue
        extra, prefix = feature
        if not dists & EXTRAS.get(extra, set()):
            problems.append(f"{place}, not in the '{extra}' extra")
        elif prefix is None and not optional:
            problems.append(f"{place} plainly; an optional feature is imported with optional_import")
        elif prefix is not None and not where.startswith(prefix):
            problems.append(f"{place}, an optional module outside {prefix}")
    assert not problems, "\n".join(problems)


def test_hard_dependencies_are_imported_plainly():
    """optional_import is for extras only: a declared dependency is always there."""
    misuse = [f"src/leftbehind/{where}:{line} optional_import({module!r})"
              for module, where, line, optional in third_party_imports()
              if optional and distributions_of(module) & RUNTIME]
    assert not misuse, "\n".join(misuse)


def test_no_private_module_of_another_package_is_imported():
    private = [f"src/leftbehind/{path.relative_to(SOURCE).as_posix()}:{node.lineno}"
               for path in sorted(SOURCE.rglob("*.py"))
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, (ast.Import, ast.ImportFrom))
               for name in ([a.name for a in node.names] if isinstance(node, ast.Import)
                            else [node.module or ""])
               if name and not name.startswith("leftbehind") and not name.startswith("_")
               and any(part.startswith("_") and not part.startswith("__") for part in name.split(".")[1:])]
    assert not private, "\n".join(private)


def test_every_runtime_dependency_is_used_by_the_package():
    """A dependency only the tests need belongs in the 'test' extra."""
    imported = set()
    for module, *_ in third_party_imports():
        imported |= distributions_of(module)
    unused = RUNTIME - imported - set(USED_INDIRECTLY)
    assert not unused, f"declared but never imported by src/leftbehind: {sorted(unused)}"


@pytest.mark.parametrize("module", sorted(set(USED_INDIRECTLY) | {"psycopg"}))
def test_indirect_and_optional_modules_are_installable(module):
    """The test extra installs every optional module, so their tests run."""
    assert distributions_of(module), f"{module} is not installed by '.[test,web]'"


def test_minimum_versions_file_pins_every_lower_bound():
    """.ci/minimum-versions.txt, which CI installs once, pins exactly the lower bounds declared."""
    declared = {}
    for requirement in PYPROJECT["project"]["dependencies"] + [
            r for reqs in PYPROJECT["project"]["optional-dependencies"].values() for r in reqs]:
        match = re.search(r">=\s*([\w.]+)", requirement)
        assert match, f"{requirement!r} has no lower bound (>=)"
        declared[_name(requirement)] = match.group(1)
    pins = {}
    for line in (ROOT / ".ci" / "minimum-versions.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[_name(name)] = version.strip()
    # further pins (of packages the declared ones bring) may follow; the declared ones must match
    assert {name: pins.get(name) for name in declared} == declared
