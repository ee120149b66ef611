"""Imports flow one way: viz → experiments → the model class → agents and processes →
leaf modules (DESIGN.md, principle 11), and no module imports itself back through others,
imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).parents[1] / "karstsim"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path) -> set[str]:
    """Every karstsim module ``path`` imports, anywhere in the file (functions included)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(path.read_text("utf-8"), package)


def imports_in(source: str, package: str) -> set[str]:
    """The karstsim names imported anywhere in ``source``, a module of ``package``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {n for n in names if n.split(".")[0] == "karstsim"}


def import_graph() -> nx.DiGraph:
    """Modules of the package and which imports which (a name imported from a module is an
    edge to that module; ``from package import submodule`` an edge to the submodule)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for name, path in MODULES.items():
        for target in imported_modules(path):
            while target not in MODULES:
                target = target.rpartition(".")[0]
            if target != name:
                graph.add_edge(name, target)
    return graph


def files(subpackage: str) -> list[Path]:
    return sorted((PACKAGE / subpackage).rglob("*.py"))


FORBIDDEN = {
    "model": ("karstsim.experiments", "karstsim.viz"),
    "agents": ("karstsim.experiments", "karstsim.viz", "karstsim.model.karst_model"),
    "model/processes": ("karstsim.model.karst_model", "karstsim.agents"),
    "experiments": ("karstsim.viz",),
}


@pytest.mark.parametrize("subpackage", FORBIDDEN)
def test_no_import_against_the_flow(subpackage):
    offending = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files(subpackage)
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN[subpackage])
    ]
    assert not offending, offending


def test_no_import_cycles():
    cycles = [" → ".join([*cycle, cycle[0]]) for cycle in nx.simple_cycles(import_graph())]
    assert not cycles, cycles


def test_imports_inside_functions_and_relative_imports_count():
    source = "def f():\n    from karstsim.experiments import cli\n    from . import run\n"
    found = imports_in(source, "karstsim.experiments")
    assert {"karstsim.experiments.cli", "karstsim.experiments.run"} <= found


def test_units_is_a_leaf():
    assert not imported_modules(PACKAGE / "units.py")


def test_the_command_line_is_built_without_the_heavy_libraries():
    """`karstsim --help` must not load Mesa, pandas, SciPy, SALib, Dask, pyarrow or
    matplotlib (they take a second to import): commands load them when they run."""
    import subprocess
    import sys

    code = (
        "import sys; from karstsim.experiments.cli import build_parser; build_parser(); "
        "heavy = ('mesa', 'pandas', 'scipy', 'SALib', 'dask', 'pyarrow', 'matplotlib'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_run_loads_only_what_it_uses(tmp_path):
    """`karstsim run --no-maps` loads Mesa (and what Mesa loads: pandas, parts of SciPy)
    but not scipy.stats, scipy.optimize, matplotlib, SALib, Dask or Solara: each costs
    0.1–0.5 s to import and a run does not use them."""
    import subprocess
    import sys

    code = (
        "import sys; from karstsim.experiments.cli import main; "
        f"main(['run', '--grid', '20x20', '--years', '2020:2021', '--no-maps', "
        f"'--out', {str(tmp_path / 'out')!r}]); "
        "heavy = ('scipy.stats', 'scipy.optimize', 'matplotlib', 'SALib', 'dask', 'solara'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "timeseries.csv").exists()
    assert not (tmp_path / "out" / "maps").exists()
