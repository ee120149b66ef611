"""Imports flow one way: viz → experiments → the model class → agents and processes →
leaf modules (DESIGN.md, principle 10)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "karstsim"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n.startswith("karstsim")}


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
