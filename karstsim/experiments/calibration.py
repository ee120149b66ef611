"""``karstsim calibrate``: ABC-SMC (pyabc) of chosen parameters on chosen observations.

**What is fitted, to what** comes from a calibration file and an observations CSV
(:mod:`karstsim.experiments.calibration_setup`); the shipped pair
(``karstsim/data/calibration.toml``, ``calibration_observations.csv``) fits the hindcast
(2016 → 2020, on the province) to the record of forest cover 2017–2020. Nothing after the
cutoff year (2020) may enter: every later observation is out-of-sample validation
(:mod:`karstsim.experiments.validation`).

**Method: ABC-SMC with pyabc** (Klinger, Rickert & Hasenauer 2018, *Bioinformatics* 34,
3591; Schälte et al. 2022, *JOSS* 7, 4304). Priors are uniform over each parameter's bounds
(its declared range unless the calibration file narrows it, with a source). Each particle
runs the calibration scenario once with its own seed (the stochastic model is part of the
likelihood). The distance (:func:`distance`) is the root mean square of the standardised
errors, √(mean(((simulated − observed)/σ)²)), σ being each observation's standard error:
1 means "within one standard error on average". Populations shrink ε (pyabc's median
epsilon) until a stopping rule of the file holds (``max_populations``, ``min_epsilon``,
``min_acceptance_rate``, ``max_simulations``); which one stopped it is reported.

**Parallel and reproducible**: particles run on local workers or a Dask scheduler through
:class:`~karstsim.experiments.abc_sampler.OrderedSampler`, which gives the same posterior
for the same seed on any number of workers. **Resumable**: pyabc keeps every population
in an SQLite database beside the results (``OUT.abc.db`` while running, ``OUT/abc.db``
after); ``--resume`` continues from the last finished population.

**What the record can and cannot say.** Forest cover constrains the 2016–20 afforestation
strongly; the planting failure rate and the desertified land's planting priority barely
move it, so their posteriors stay close to their priors (the report gives each one's sd
over its prior sd): that is the honest statement of what the data before 2021 know, and
:mod:`karstsim.experiments.forecast` carries it into the bands.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments.calibration_setup import Setup, Target, load_setup
from karstsim.experiments.observations import Observation, load_observations
from karstsim.experiments.run import RunSpec, simulate
from karstsim.experiments.weighted import weighted_quantile
from karstsim.model.parameters import InputError

CALIBRATION_CUTOFF_YEAR = 2020
"""The last year whose observations may enter the shipped calibration."""
HINDCAST = "hindcast13"
"""The shipped calibration's run (2016 → 2020)."""
DATABASE = "abc.db"
"""pyabc's database of every population, in the results folder."""
DIAGNOSTIC_COLUMNS = ("weight", "distance", "seed")
"""Columns of ``posterior.csv`` that are not parameters (besides ``OUTPUT@YEAR[@REGION]``)."""


def targets(observations: Sequence[Observation] | None = None) -> list[Observation]:
    """The record the shipped calibration fits, as observations of the record
    (``observations.toml``): the shipped CSV's rows, matched by output and year."""
    record = observations if observations is not None else load_observations()
    fitted = {(t.output, t.year) for t in load_setup().targets if t.region is None}
    return [o for o in record if (o.column, o.year) in fitted]


def distance(simulated: np.ndarray, observed: np.ndarray, sigma: np.ndarray) -> float:
    """Root mean square of the standardised errors (simulated − observed)/σ."""
    z = (np.asarray(simulated, float) - observed) / sigma
    return float(np.sqrt(np.mean(np.square(z))))


class SimulateTargets:
    """pyabc's model: a parameter vector in, the simulated value of every target out.

    Each call runs the setup's scenario with a seed drawn from numpy's global state (which
    the sampler sets per particle), ``int`` parameters rounded."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup

    def overrides(self, values: dict[str, float]) -> dict[str, float | int]:
        return {
            p.name: round(values[p.name]) if p.is_int else float(values[p.name])
            for p in self.setup.parameters
        }

    def __call__(self, values: dict[str, float]) -> dict[str, Any]:
        seed = int(np.random.randint(0, 2**31 - 1))
        return {"y": np.array(self.simulate(dict(values), seed)), "seed": seed}

    def simulate(self, values: dict[str, float], seed: int) -> list[float]:
        """The targets' simulated values with parameter ``values`` and ``seed``."""
        s = self.setup
        spec = RunSpec(
            scenario=s.scenario,
            overrides=self.overrides(values),
            grid=s.grid,
            end_year=s.end_year,
            seed=seed,
            by=s.by_region or "prefecture",
        )
        model = simulate(spec, by_region=s.by_region is not None)
        table = model.results().set_index("year")
        regional = model.regional.table_frame() if model.regional is not None else None
        return [_value(t, table, regional, model.area_scale) for t in s.targets]


def _value(
    target: Target, table: pd.DataFrame, regional: pd.DataFrame | None, area_scale: float
) -> float:
    if target.region is None:
        value = float(table.loc[target.year, target.output])
        return value / area_scale if target.province_scaled else value
    if regional is None:
        raise InputError(f"target {target.key}: regional targets need a real map, not this grid")
    rows = regional[(regional["adcode"].astype(str) == target.region)]
    rows = rows[rows["year"] == target.year]
    if rows.empty:
        raise InputError(f"target {target.key}: region {target.region} is not on the map")
    return float(rows[target.output].iloc[0])


def _distance_function(setup: Setup) -> Any:
    """pyabc's distance between a particle's targets ``x`` and the observed ``x0``."""
    sigma = np.array([t.sigma for t in setup.targets])

    def standardised_rms(x: dict[str, Any], x0: dict[str, Any]) -> float:
        return distance(x["y"], np.asarray(x0["y"], float), sigma)

    return standardised_rms


def working_database(out: Path) -> Path:
    """Where a running calibration keeps its populations: ``OUT.abc.db`` beside ``out``."""
    return out.with_name(f"{out.name}.{DATABASE}")


def _prior(setup: Setup) -> Any:
    import pyabc

    return pyabc.Distribution(
        **{p.name: pyabc.RV("uniform", p.low, p.high - p.low) for p in setup.parameters}
    )


@contextmanager
def _map(workers: int | None, scheduler: str | None) -> Iterator[tuple[Any, int]]:
    """An order-keeping map over the particles and its width: in this process (one
    worker), on a new local Dask cluster (``workers`` > 1) or at ``scheduler``."""
    if scheduler is None and (workers or 1) == 1:
        yield map, 1
        return
    from karstsim.experiments import sweep_cluster

    with sweep_cluster.client(workers, scheduler) as client:
        threads = sweep_cluster.check_workers(client, progress=True)

        def ordered(function: Any, items: list[int]) -> list[Any]:
            return client.gather(client.map(function, items, pure=False))

        yield ordered, threads


@contextmanager
def _pyabc_log(progress: bool) -> Iterator[None]:
    """pyabc's per-population lines (ε, acceptance, ESS, why it stopped) on stderr, prefixed;
    its own handlers and timing lines set aside while the calibration runs."""
    logger = logging.getLogger("ABC")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("karstsim calibrate: pyabc: %(message)s"))
    handler.addFilter(lambda record: not record.getMessage().startswith("Timing"))
    saved = logger.level, logger.propagate, list(logger.handlers)
    for old in saved[2]:
        logger.removeHandler(old)
    logger.setLevel(logging.INFO if progress else logging.WARNING)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        for old in saved[2]:
            logger.addHandler(old)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def calibrate(
    setup: Setup,
    out: Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = False,
) -> dict[str, Any]:
    """Run (or resume) the ABC-SMC of ``setup``; its database is :func:`working_database`
    of ``out``. Returns the posterior, the populations and the summary."""
    import pyabc

    from karstsim.experiments.abc_sampler import OrderedSampler

    database = working_database(out)
    _prepare_database(database, out, resume)
    sampler_settings = setup.sampler
    started = time.perf_counter()
    with _map(workers, scheduler) as (map_, width), _pyabc_log(progress):
        sampler = OrderedSampler(map_, seed=int(sampler_settings["seed"]), batch_size=width)
        abc = pyabc.ABCSMC(
            SimulateTargets(setup),
            _prior(setup),
            _distance_function(setup),
            population_size=int(sampler_settings["population_size"]),
            sampler=sampler,
        )
        url = f"sqlite:///{database}"
        if database.exists() and resume:
            _check_same_setup(database, setup)
            history = abc.load(url, 1)
            done = history.max_t + 1
        else:
            abc.new(url, {"y": np.array([t.value for t in setup.targets])})
            _remember_setup(database, setup)
            done = 0
        remaining = int(sampler_settings["max_populations"]) - done
        if remaining > 0 and not _stopped(abc.history, sampler_settings):
            history = abc.run(
                minimum_epsilon=float(sampler_settings["min_epsilon"]),
                max_nr_populations=remaining,
                min_acceptance_rate=float(sampler_settings["min_acceptance_rate"]),
                max_total_nr_simulations=int(sampler_settings["max_simulations"]),
            )
        history = abc.history
    return summarise(setup, history, time.perf_counter() - started, width)


def _prepare_database(database: Path, out: Path, resume: bool) -> None:
    """A new calibration needs no working database; ``--resume`` needs one (or a finished
    calibration's ``OUT/abc.db``, copied back to continue it)."""
    finished = out / DATABASE
    if resume:
        if not database.exists() and finished.exists():
            shutil.copyfile(finished, database)
            shutil.copyfile(out / f"{DATABASE}.json", _setup_file(database))
        if not database.exists():
            raise InputError(
                f"--resume: no calibration to continue at {database} or {finished}; "
                "start one without --resume"
            )
    elif database.exists():
        raise InputError(
            f"{database}: an interrupted calibration is there; add --resume to continue it, "
            "or delete the file to start again"
        )


def _setup_file(database: Path) -> Path:
    return database.with_name(f"{database.name}.json")


def _remember_setup(database: Path, setup: Setup) -> None:
    _setup_file(database).write_text(json.dumps(setup.describe(), indent=2), "utf-8")


def _check_same_setup(database: Path, setup: Setup) -> None:
    """A resumed calibration must fit the same parameters to the same targets."""
    path = _setup_file(database)
    saved = json.loads(path.read_text("utf-8")) if path.exists() else None
    now = setup.describe()
    keys = ("scenario", "grid", "parameters", "targets")
    if saved is None or any(saved.get(k) != now.get(k) for k in keys):
        raise InputError(
            f"--resume: {database} holds a calibration of other parameters, targets or map "
            "than this --config and --observations; give the same ones, or start anew"
        )


def _stopped(history: Any, settings: dict[str, float]) -> bool:
    """Whether the populations already meet a stopping rule (a resumed, finished run)."""
    return bool(history.n_populations and stopping_reason(history, settings) is not None)


def populations(history: Any) -> pd.DataFrame:
    """Per population: ε, simulations, acceptance rate and effective sample size."""
    from pyabc.weighted_statistics import effective_sample_size

    table = history.get_all_populations()
    table = table[table["t"] >= 0].reset_index(drop=True)
    rows = []
    for _, row in table.iterrows():
        t = int(row["t"])
        _, weights = history.get_distribution(m=0, t=t)
        rows.append(
            {
                "population": t,
                "epsilon": float(row["epsilon"]),
                "simulations": int(row["samples"]),
                "accepted": int(row["particles"]),
                "acceptance_rate": float(row["particles"]) / float(row["samples"]),
                "effective_sample_size": float(effective_sample_size(weights)),
            }
        )
    return pd.DataFrame(rows)


def stopping_reason(history: Any, settings: dict[str, float]) -> str | None:
    """Which of the file's stopping rules the populations meet (None: none yet)."""
    table = populations(history)
    if table.empty:
        return None
    last = table.iloc[-1]
    if last["epsilon"] <= settings["min_epsilon"]:
        return f"ε {last['epsilon']:.3g} ≤ min_epsilon {settings['min_epsilon']:g}"
    if last["acceptance_rate"] < settings["min_acceptance_rate"]:
        return (
            f"acceptance {last['acceptance_rate']:.3g} < min_acceptance_rate "
            f"{settings['min_acceptance_rate']:g}"
        )
    total = history.total_nr_simulations
    if total >= settings["max_simulations"]:
        return f"{total} simulations ≥ max_simulations {int(settings['max_simulations'])}"
    if len(table) >= settings["max_populations"]:
        return f"{len(table)} populations = max_populations {int(settings['max_populations'])}"
    return None


def posterior_table(setup: Setup, history: Any) -> pd.DataFrame:
    """The last population: each particle's parameters, weight, distance, seed and
    simulated targets (``OUTPUT@YEAR``)."""
    population = history.get_population()
    rows = []
    for particle in population.particles:
        row = {p.name: float(particle.parameter[p.name]) for p in setup.parameters}
        row["weight"] = float(particle.weight)
        row["distance"] = float(particle.distance)
        row["seed"] = int(particle.sum_stat["seed"])
        row.update(zip((t.key for t in setup.targets), particle.sum_stat["y"], strict=True))
        rows.append(row)
    table = pd.DataFrame(rows)
    table["weight"] /= table["weight"].sum()
    return table


def summarise(setup: Setup, history: Any, elapsed_s: float, workers: int) -> dict[str, Any]:
    """The posterior, the populations and what ``calibration.json`` says."""
    posterior = posterior_table(setup, history)
    table = populations(history)
    weights = posterior["weight"].to_numpy()
    summary = {}
    for p in setup.parameters:
        values = posterior[p.name].to_numpy()
        mean = float(np.average(values, weights=weights))
        sd = float(np.sqrt(np.average((values - mean) ** 2, weights=weights)))
        summary[p.name] = {
            "prior": [p.low, p.high],
            "carried_into_forecasts": p.carried,
            "posterior_median": weighted_quantile(values, weights, 0.5),
            "posterior_5_95": [weighted_quantile(values, weights, q) for q in (0.05, 0.95)],
            "sd_ratio_to_prior": sd / ((p.high - p.low) / np.sqrt(12)),
        }
    return {
        "method": "ABC-SMC (pyabc): uniform priors, one seed per particle, distance = RMS of "
        "(simulated − observed)/σ over the targets, median ε schedule, adaptive multivariate "
        "normal perturbation",
        "setup": setup.describe(),
        "populations": table.to_dict("records"),
        "total_simulations": int(history.total_nr_simulations),
        "stopped_because": stopping_reason(history, setup.sampler) or "interrupted",
        "epsilon": float(table["epsilon"].iloc[-1]),
        "effective_sample_size": float(table["effective_sample_size"].iloc[-1]),
        "parameters": summary,
        "workers": workers,
        "elapsed_s": elapsed_s,
        "posterior": posterior,
    }


def summary_lines(result: dict[str, Any]) -> list[str]:
    """What ``karstsim calibrate`` prints: the populations' end and each posterior."""
    setup = result["setup"]
    lines = [
        f"karstsim calibrate: ABC-SMC of {len(setup['parameters'])} parameters on "
        f"{len(setup['targets'])} observations ({setup['scenario']}, grid {setup['grid']}): "
        f"{len(result['populations'])} populations, {result['total_simulations']} simulations, "
        f"ε = {result['epsilon']:.3g}, ESS {result['effective_sample_size']:.0f}; stopped: "
        f"{result['stopped_because']}"
    ]
    for name, entry in result["parameters"].items():
        low, high = entry["posterior_5_95"]
        prior_low, prior_high = entry["prior"]
        lines.append(
            f"  {name}: median {entry['posterior_median']:.4g} (90 % {low:.4g}–{high:.4g}; "
            f"prior {prior_low:g}–{prior_high:g}; sd/prior sd {entry['sd_ratio_to_prior']:.2f})"
        )
    return lines


def write(result: dict[str, Any], out: Path, database: Path) -> list[Path]:
    """``posterior.csv``, ``populations.csv``, ``calibration.json``, the figures and
    pyabc's database (``abc.db``) in ``out``."""
    from karstsim.experiments import calibration_figures

    out.mkdir(parents=True, exist_ok=True)
    result["posterior"].to_csv(out / "posterior.csv", index=False)
    pd.DataFrame(result["populations"]).to_csv(out / "populations.csv", index=False)
    info = {k: v for k, v in result.items() if k != "posterior"}
    (out / "calibration.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), "utf-8")
    shutil.copyfile(database, out / DATABASE)
    shutil.copyfile(_setup_file(database), out / f"{DATABASE}.json")
    figures = calibration_figures.draw(result, out)
    return [out / "posterior.csv", out / "populations.csv", out / "calibration.json", *figures]


def finish(database: Path) -> None:
    """Remove the working database once its results folder is in place."""
    database.unlink(missing_ok=True)
    _setup_file(database).unlink(missing_ok=True)
