"""Where a set of results came from: the code (commit, library versions), the inputs
(scenario and design text) and the seeds. Sweeps, forecasts and optimisations record it in
their manifests so that a result can be traced and rerun."""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Iterable
from importlib import metadata, resources
from pathlib import Path
from typing import Any

LIBRARIES = ("karstsim", "mesa", "numpy", "pandas", "scipy", "SALib", "dask", "xarray")
"""The packages whose versions decide the results (besides Python)."""
GIT_TIMEOUT_S = 5.0


def versions() -> dict[str, str | None]:
    """Python's and each of :data:`LIBRARIES`'s version (None where one is not installed)."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def git_commit(folder: Path | None = None) -> dict[str, Any] | None:
    """The commit of the checkout karstsim runs from (and whether files differ from it), or
    None when it is installed from a wheel or git is missing."""
    root = folder or Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        return None

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *args],
                capture_output=True,
                text=True,
                timeout=GIT_TIMEOUT_S,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    if not commit:
        return None
    changed = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(changed), "branch": git("branch", "--show-current")}


def scenario_text(reference: str | Path | None) -> str | None:
    """The TOML text of a shipped scenario (by name) or a scenario file; None for the
    defaults or a file that cannot be read."""
    if reference is None:
        return None
    from karstsim.model import scenario

    name = str(reference)
    try:
        if name in scenario.shipped_names():
            folder = resources.files("karstsim") / "scenarios"
            return (folder / f"{name}.toml").read_text("utf-8")
        return Path(name).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def record(
    *,
    seeds: Iterable[int],
    scenario: str | None = None,
    design: str | None = None,
    **inputs: Any,
) -> dict[str, Any]:
    """The provenance block of a manifest: code, library versions, inputs' text and seeds."""
    return {
        "git": git_commit(),
        "versions": versions(),
        "scenario_text": scenario,
        "design_text": design,
        "seeds": sorted({int(s) for s in seeds}),
        **inputs,
    }
