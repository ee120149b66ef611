"""What ``karstsim optimise`` writes: the front and every evaluation as tables, a manifest
with the problem and its provenance, and a figure of the front."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from karstsim.experiments import ensemble_data, provenance
from karstsim.experiments.optimise import Problem


def manifest(problem: Problem, result: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """The problem, the settings, the reference's verdict and the provenance, as plain data."""
    reference = result.get("reference")
    return {
        "scenario": problem.scenario.name,
        "grid": problem.grid,
        "years": [problem.start_year, problem.end_year],
        "levers": [f.spec() for f in problem.levers],
        "objectives": [o.label for o in problem.objectives],
        "constraints": [c.label for c in problem.constraints],
        "members": len(problem.members),
        **settings,
        "evaluated": len(result["evaluations"]),
        "front_size": len(result["front"]),
        "reference": None if reference is None else json.loads(reference.to_json()),
        "reference_dominated": result.get("reference_dominated"),
        "reference_on_front": result.get("reference_on_front"),
        "provenance": provenance.record(
            seeds=[seed for seed, _ in problem.members],
            scenario=provenance.scenario_text(problem.scenario.name),
        ),
    }


def write(problem: Problem, result: dict[str, Any], info: dict[str, Any], out: Path) -> list[Path]:
    """``front.csv``, ``evaluations.csv``, ``optimise.json``, ``front.png`` and
    ``evaluations.nc`` (every candidate along a ``candidate`` dimension, with ``on_front``
    and the manifest as attributes) in ``out``."""
    paths = [out / "front.csv", out / "evaluations.csv", out / "optimise.json", out / "front.png"]
    evaluations: pd.DataFrame = result["evaluations"]
    result["front"].to_csv(paths[0], index=False)
    evaluations.to_csv(paths[1], index=False)
    paths[2].write_text(json.dumps(info, indent=2, ensure_ascii=False), "utf-8")
    _figure(problem, result, paths[3])
    return [*paths, ensemble_data.save(_dataset(problem, result, info), out / "evaluations.nc")]


def _dataset(problem: Problem, result: dict[str, Any], info: dict[str, Any]) -> Any:
    import xarray as xr

    evaluations: pd.DataFrame = result["evaluations"]
    names = [f.name for f in problem.levers]
    on_front = (
        evaluations[names]
        .apply(tuple, axis=1)
        .isin(set(result["front"][names].apply(tuple, axis=1)))
    )
    table = evaluations.assign(on_front=on_front.astype("int8"))
    dataset = xr.Dataset.from_dataframe(table.rename_axis("candidate"))
    dataset.attrs.update(
        {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in info.items()}
    )
    return dataset


def _figure(problem: Problem, result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x, y = (o.name for o in problem.objectives[:2])
    evaluated: pd.DataFrame = result["evaluations"]
    front: pd.DataFrame = result["front"]
    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    ax.scatter(evaluated[x], evaluated[y], s=10, color="0.7", label="evaluated")
    ax.plot(front[x], front[y], "o-", color="#1b7837", ms=5, label="Pareto front")
    reference = result.get("reference")
    if reference is not None:
        ax.scatter(
            [reference[x]], [reference[y]], marker="*", s=160, color="#b2182b", label="reference"
        )
    ax.set(xlabel=problem.objectives[0].label, ylabel=problem.objectives[1].label)
    ax.set_title(f"karstsim optimise: {problem.scenario.name}, grid {problem.grid}", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def summary_lines(problem: Problem, result: dict[str, Any], reference_name: str) -> list[str]:
    """The front in a few lines, and how it compares with the reference's levers."""
    front: pd.DataFrame = result["front"]
    evaluated = len(result["evaluations"])
    lines = [
        f"karstsim optimise: {evaluated} candidates × {len(problem.members)} runs on grid "
        f"{problem.grid}; Pareto front of {len(front)} feasible candidate(s)"
    ]
    names = [f.name for f in problem.levers] + [o.name for o in problem.objectives]
    if front.empty:
        lines.append("  no candidate met every constraint in every run: widen the levers' ranges")
    else:
        lines.append("  " + front[names].to_string(index=False).replace("\n", "\n  "))
    reference = result.get("reference")
    if reference is not None:
        values = ", ".join(f"{o.name} {reference[o.name]:,.4g}" for o in problem.objectives)
        if result.get("reference_dominated"):
            verdict = "dominated by the front (a front point is as good in every objective and better in one)"
        elif result.get("reference_on_front"):
            verdict = "on the front found: no candidate evaluated improves on it in every objective"
        elif reference["constraint_violation"] > 0:
            verdict = "infeasible: it does not meet every constraint in every run"
        else:
            verdict = (
                "not dominated: it lies on or beyond the front found (more generations or a "
                "larger population may find better points)"
            )
        lines.append(f"  {reference_name}'s levers: {values}: {verdict}")
    return lines
