"""Lever optimisation: the Pareto front of several objectives over chosen levers (NSGA-II).

Each candidate (a value for every chosen lever, the rest as in the scenario) runs on every
member of an ensemble: seeds, or posterior draws × seeds with ``posterior`` (robust
optimisation), the same members for every candidate (common random numbers). An objective
is the mean over the members (:mod:`karstsim.experiments.objectives`); a constraint (e.g.
``forest_cover_pct@2025 >= 64``) must hold in every member. Runs go to Dask workers (a new
local cluster, or one at an address) in the sweep's chunks, so a run that raises marks its
candidate infeasible instead of stopping the search.

NSGA-II is pymoo's (``pymoo.algorithms.moo.nsga2``): a maintained, tested implementation
with an ask-and-tell interface, which lets karstsim send each generation's runs to Dask
itself. The front reported is the non-dominated set of every candidate evaluated.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments import sweep_cluster
from karstsim.experiments.discover import Target
from karstsim.experiments.objectives import Objective
from karstsim.experiments.run import run
from karstsim.experiments.sweep_design import Factor
from karstsim.experiments.sweep_policies import declared_lever
from karstsim.experiments.sweep_worker import Runner, RunSettings, run_chunk
from karstsim.model import scenario as scenario_module
from karstsim.model.parameters import InputError

Member = tuple[int, Mapping[str, Any]]
"""One member of the ensemble: a seed and the (posterior) parameter values it runs with."""


class OptimiseError(InputError):
    """An optimisation that cannot start; the message names the input and the allowed form."""


@dataclass(frozen=True)
class Problem:
    """What is optimised: levers (with ranges), objectives, constraints, and on what runs."""

    scenario: scenario_module.Scenario
    grid: str
    start_year: int
    end_year: int
    levers: tuple[Factor, ...]
    objectives: tuple[Objective, ...]
    members: tuple[Member, ...]
    constraints: tuple[Target, ...] = ()

    def parameters_of(self, unit: np.ndarray) -> dict[str, Any]:
        """The lever values of a point ``unit`` in [0, 1]^levers."""
        return {
            f.name: _python(f.from_unit(np.array([u]))[0])
            for f, u in zip(self.levers, unit, strict=True)
        }

    def unit_of(self, values: Mapping[str, Any]) -> np.ndarray:
        """The point in [0, 1]^levers of lever ``values`` (clipped to the ranges)."""
        low = np.array([float(f.low or 0.0) for f in self.levers])
        high = np.array([float(f.high or 0.0) for f in self.levers])
        point = np.array([float(values[f.name]) for f in self.levers])
        return np.clip((point - low) / (high - low), 0.0, 1.0)


def _python(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def lever(name: str, bounds: tuple[float, float] | None = None) -> Factor:
    """A lever to optimise over its declared range, or over ``bounds``."""
    hint = "optimise levers only (`karstsim params` shows each parameter's role)"
    declared = declared_lever(name, "--levers", hint)
    low, high = bounds if bounds is not None else (declared.low, declared.high)
    if declared.kind == "bool":
        low, high = 0, 1
    if low is None or high is None or not low < high:
        raise OptimiseError(f"--levers: {name}: range [{low}, {high}]: low must be below high")
    kind = "int" if declared.kind in ("int", "bool") else declared.kind
    return Factor(name, kind, low=float(low), high=float(high))


def evaluate(
    problem: Problem,
    candidates: Sequence[Mapping[str, Any]],
    client: Any,
    runner: Runner = run,
) -> pd.DataFrame:
    """One row per candidate: its levers, each objective's mean over the members, the
    worst constraint violation (≤ 0: met in every member) and the failed runs."""
    settings = RunSettings(
        problem.scenario, problem.grid, problem.start_year, problem.end_year, False, True
    )
    chunks = []
    for i, levers in enumerate(candidates):
        payload = [
            (i * len(problem.members) + j, seed, {**problem.scenario.parameters, **draw, **levers})
            for j, (seed, draw) in enumerate(problem.members)
        ]
        chunks.append(client.submit(run_chunk, payload, settings, runner, pure=False))
    rows = []
    for levers, future in zip(candidates, chunks, strict=True):
        result = future.result()
        rows.append({**levers, **_scores(problem, result.runs, result.yearly)})
    return pd.DataFrame(rows)


def _scores(problem: Problem, runs: pd.DataFrame, yearly: pd.DataFrame | None) -> dict[str, Any]:
    failed = int((runs["status"] != "ok").sum())
    tables = [] if yearly is None else [t for _, t in yearly.groupby("run_id")]
    scores: dict[str, Any] = {}
    for objective in problem.objectives:
        values = np.array([objective.value(t) for t in tables])
        ok = len(values) == len(problem.members) and np.isfinite(values).all()
        scores[objective.name] = float(values.mean()) if ok else float("nan")
    violation = 0.0
    for constraint in problem.constraints:
        at = [t.loc[t["year"] == constraint.year, constraint.column] for t in tables]
        values = np.array([float(v.iloc[0]) if len(v) else np.nan for v in at])
        gaps = (
            constraint.threshold - values if ">" in constraint.op else values - constraint.threshold
        )
        violation = max(violation, float(np.nanmax(gaps)) if len(gaps) else np.inf)
    scores["constraint_violation"] = violation if not failed else float("inf")
    scores["failed_runs"] = failed
    areas = [float(t["land_area_km2"].iloc[0]) for t in tables if "land_area_km2" in t]
    scores["land_area_km2"] = float(np.mean(areas)) if areas else float("nan")
    return scores


def optimise(
    problem: Problem,
    *,
    population: int = 16,
    generations: int = 5,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    runner: Runner = run,
    reference: Mapping[str, Any] | None = None,
    progress: Any = None,
) -> dict[str, Any]:
    """NSGA-II over ``problem``, started from a Latin hypercube that holds the
    ``reference``'s levers; returns ``evaluations`` (every candidate), ``front`` (the
    non-dominated feasible ones) and, if given, the ``reference`` candidate's row and
    whether a front point dominates it."""
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.evaluator import Evaluator
    from pymoo.core.problem import Problem as PymooProblem
    from pymoo.problems.static import StaticProblem

    if scheduler:
        sweep_cluster.check_address(scheduler)
    k, m = len(problem.levers), len(problem.objectives)
    space = PymooProblem(n_var=k, n_obj=m, n_ieq_constr=1, xl=np.zeros(k), xu=np.ones(k))
    algorithm = NSGA2(
        pop_size=population,
        sampling=_first_population(problem, population, seed, reference),
        eliminate_duplicates=True,
    )
    algorithm.setup(space, termination=("n_gen", generations), seed=seed, verbose=False)
    tables = []
    with sweep_cluster.client(workers, scheduler) as client:
        reference_row = None
        if reference is not None:
            reference_row = evaluate(problem, [dict(reference)], client, runner).iloc[0]
        for generation in itertools.count():
            if not algorithm.has_next():
                break
            offspring = algorithm.ask()
            candidates = [problem.parameters_of(x) for x in offspring.get("X")]
            table = evaluate(problem, candidates, client, runner).assign(generation=generation)
            tables.append(table)
            f, g = _minimised(problem, table)
            Evaluator().eval(StaticProblem(space, F=f, G=g), offspring)
            algorithm.tell(infills=offspring)
            if progress is not None:
                progress(generation, generations, table)
    evaluations = pd.concat(tables, ignore_index=True)
    front = pareto_front(problem, evaluations)
    result: dict[str, Any] = {"evaluations": evaluations, "front": front}
    if reference_row is not None:
        result["reference"] = reference_row
        result["reference_dominated"] = dominated(problem, reference_row, front)
        names = [f.name for f in problem.levers]
        point = reference_row[names].to_numpy(dtype=float)
        result["reference_on_front"] = bool(
            len(front) and np.isclose(front[names].to_numpy(dtype=float), point).all(axis=1).any()
        )
    return result


def _first_population(
    problem: Problem, size: int, seed: int, reference: Mapping[str, Any] | None
) -> np.ndarray:
    """A Latin hypercube over the levers' ranges, with the reference's levers as its first
    member (a warm start: the front found is then at least as good as the reference)."""
    from scipy.stats import qmc

    k = len(problem.levers)
    points = qmc.LatinHypercube(d=k, seed=np.random.default_rng(seed)).random(size)
    if reference is not None:
        points[0] = problem.unit_of(reference)
    return points


def _minimised(problem: Problem, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Objectives to minimise (failed candidates: +inf) and the constraint column."""
    f = np.column_stack(
        [o.to_minimise(table[o.name].to_numpy(dtype=float)) for o in problem.objectives]
    )
    f[~np.isfinite(f)] = np.inf
    f[np.isinf(f).any(axis=1)] = 1e300
    g = table["constraint_violation"].to_numpy(dtype=float).reshape(-1, 1)
    return f, np.where(np.isfinite(g), g, 1e300)


def pareto_front(problem: Problem, evaluations: pd.DataFrame) -> pd.DataFrame:
    """The feasible candidates no other feasible candidate dominates, without repeats."""
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    names = [f.name for f in problem.levers]
    feasible = evaluations[
        (evaluations["constraint_violation"] <= 0) & (evaluations["failed_runs"] == 0)
    ].drop_duplicates(names)
    if feasible.empty:
        return feasible
    f, _ = _minimised(problem, feasible)
    best = NonDominatedSorting().do(f, only_non_dominated_front=True)
    first = problem.objectives[0].name
    return feasible.iloc[best].sort_values(first).reset_index(drop=True)


def dominated(problem: Problem, row: pd.Series, front: pd.DataFrame) -> bool:
    """Whether a point of ``front`` is at least as good as ``row`` in every objective and
    better in one."""
    if front.empty:
        return False
    point, _ = _minimised(problem, row.to_frame().T)
    f, _ = _minimised(problem, front)
    return bool(((f <= point).all(axis=1) & (f < point).any(axis=1)).any())


def members(seeds: Sequence[int], draws: Sequence[Mapping[str, Any]] = ()) -> tuple[Member, ...]:
    """The ensemble: every seed, or every posterior draw's values × seed (seed
    ``1000 × draw + s``, as ``karstsim forecast`` numbers them)."""
    if not draws:
        return tuple((int(s), {}) for s in seeds)
    return tuple((1000 * d + int(s), dict(draw)) for d, draw in enumerate(draws) for s in seeds)
