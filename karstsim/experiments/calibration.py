"""``karstsim calibrate``: approximate Bayesian computation on the record up to 2020.

**Only the past.** The targets are the observations of ``karstsim/data/observations.toml``
from years up to :data:`CALIBRATION_CUTOFF_YEAR` (2020) that the 2016 → 2020 hindcast
simulates: forest cover 2017–2020. Nothing after 2020 may enter (``targets()`` refuses it;
a test checks it); every later observation is out-of-sample validation
(:mod:`karstsim.experiments.validation`).

**Method: rejection ABC on karstsim's own ensemble runner.** Each of ``draws`` parameter
vectors is drawn from the priors (uniform over each parameter's declared range, see
``karstsim params``), the hindcast runs with it (one seed per draw: the stochastic
ensemble is part of the likelihood), and the distance to the record is the root mean
square of (simulated − observed) / σ over the targets (σ = 1 percentage point: the
precision of the published figures, and about the size of the 2012 definition break).
The ``accept`` fraction of draws closest to the record is the posterior sample; its
threshold ε is reported. A library (pyabc, ELFI) would add an SMC sampler, but needs its
own storage or model wrappers and runs the model through its own process pools; runs
here are cheap (a county hindcast ≈ 0.3 s) and the rejection scheme is transparent, runs
on the same runner as validation and forecasts, and keeps common random numbers.

**What the record can and cannot say.** Forest cover constrains the new afforestation of
2016–20 strongly; the recovery of exposed rock, the soil works' cut and the planting
priority barely move it, so their posteriors stay close to their priors: that is the
honest statement of what the data before 2021 know about desertification dynamics, and
:mod:`karstsim.experiments.forecast` carries that uncertainty into the bands.

The 14th plan's new afforestation is an input, not a fit: the 2021 record of 361 万亩 of
afforestation and forest management (营造林), times the new-planting share of 营造林 the
posterior implies for 2016–20 (the 13th plan's 2 988 万亩 in five years).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments.ensemble import run_seeds, value_at
from karstsim.experiments.observations import Observation, load_observations
from karstsim.model import parameters
from karstsim.model.parameters import InputError
from karstsim.units import MU_PER_HA

CALIBRATION_CUTOFF_YEAR = 2020
"""The last year whose observations may enter the calibration."""
HINDCAST = "hindcast13"
HINDCAST_YEARS = (2017, 2020)
"""Years of the hindcast compared with the record (2016 is its start state)."""
TARGET_COLUMNS = ("forest_cover_pct",)
SIGMA = {"forest_cover_pct": 1.0}
"""Standard error of each target column, in its unit."""
YINGZAOLIN_2016_20_HA_YR = 2988e4 / MU_PER_HA / 5
"""13th plan: 2 988 万亩 of afforestation and forest management in five years [F], ha/yr."""
YINGZAOLIN_2021_HA = 361e4 / MU_PER_HA
"""2021: 361 万亩 of afforestation and forest management (Xinhua, Mar 2022) [F], ha."""


@dataclass(frozen=True)
class Prior:
    """An uncertain quantity: uniform over its declared range, and what it sets."""

    name: str
    sets: tuple[str, ...]
    upper: float | None = None
    """A tighter upper bound than the declared range's, from a source (see PRIORS)."""

    @property
    def parameter(self) -> parameters.Parameter:
        return parameters.get(self.sets[0])

    @property
    def bounds(self) -> tuple[float, float]:
        high = self.parameter.high if self.upper is None else self.upper
        return float(self.parameter.low), float(high)


PRIORS = (
    # new planting cannot exceed all of the 13th plan's afforestation and forest management
    Prior(
        "afforestation_2016_20_ha_per_year",
        ("afforestation_ha_per_year",),
        upper=YINGZAOLIN_2016_20_HA_YR,
    ),
    Prior("afforestation_failure_prob", ("afforestation_failure_prob",)),
    Prior("desert_planting_priority", ("desert_planting_priority",)),
)
"""The fitted quantities; the first is the hindcast's ``afforestation_ha_per_year`` (a lever
of 2016–20: it sets nothing in a scenario that starts in 2020)."""


def targets(observations: Sequence[Observation] | None = None) -> list[Observation]:
    """The record the calibration may use: hindcast years, target columns, ≤ 2020."""
    chosen = [
        o
        for o in (observations if observations is not None else load_observations())
        if o.column in TARGET_COLUMNS and HINDCAST_YEARS[0] <= o.year <= HINDCAST_YEARS[1]
    ]
    late = [o for o in chosen if o.year > CALIBRATION_CUTOFF_YEAR]
    if late:
        raise InputError(
            f"calibration target {late[0].column} {late[0].year}: observations after "
            f"{CALIBRATION_CUTOFF_YEAR} are for out-of-sample validation only"
        )
    return chosen


def scenario_overrides(values: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Parameter overrides for fitted ``values``: of the hindcast (whose afforestation
    lever is the fitted 2016–20 planting) and of any 2020 scenario (the uncertainties
    only: its levers are the scenario's)."""
    uncertain = {p: values[prior.name] for prior in PRIORS[1:] for p in prior.sets}
    return {
        HINDCAST: {**uncertain, "afforestation_ha_per_year": values[PRIORS[0].name]},
        "2020": uncertain,
    }


def afforestation_2021_25(values: dict[str, float]) -> dict[str, float]:
    """The 14th plan's yearly new planting from the 2021 record and the fitted share."""
    share = values[PRIORS[0].name] / YINGZAOLIN_2016_20_HA_YR
    return {"afforestation_ha_per_year": share * YINGZAOLIN_2021_HA}


def sample_priors(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` draws from the uniform priors."""
    return pd.DataFrame({p.name: rng.uniform(*p.bounds, size=n) for p in PRIORS})


def sigma(observation: Observation) -> float:
    """Standard error of ``observation``: the column's :data:`SIGMA` and, where the record
    changed its basis, the observation's own ``basis_error`` (a share of its value), added
    in quadrature (so the 2020 change of basis is observation error, not growth)."""
    own = observation.basis_error * observation.value
    return float(np.hypot(SIGMA[observation.column], own))


def distance(simulated: Sequence[float], record: Sequence[Observation]) -> float:
    """Root mean square of the standardised errors (:func:`sigma`)."""
    z = [(s - o.value) / sigma(o) for s, o in zip(simulated, record, strict=True)]
    return float(np.sqrt(np.mean(np.square(z))))


def simulate_record(
    values: dict[str, float], seed: int, grid: str, record: Sequence[Observation]
) -> list[float]:
    """The hindcast's value of each target with parameter ``values`` and ``seed``."""
    runs = run_seeds(
        HINDCAST,
        [seed],
        grid=grid,
        end_year=HINDCAST_YEARS[1],
        overrides=scenario_overrides(values)[HINDCAST],
    )
    return [float(value_at(runs, o.column, o.year)[0]) for o in record]


def calibrate(
    draws: int = 200, accept: float = 0.1, grid: str = "county", seed: int = 0
) -> dict[str, Any]:
    """Rejection ABC: the posterior sample, the prior draws and diagnostics."""
    if draws < 2 or not 0 < accept <= 1:
        raise InputError(
            f"calibrate: --draws {draws} and --accept {accept}: need ≥ 2 draws and 0 < accept ≤ 1"
        )
    record = targets()
    rng = np.random.default_rng(seed)
    prior = sample_priors(draws, rng)
    run_seeds_ = rng.integers(0, 2**31, size=draws)
    simulated = [
        simulate_record(row, int(s), grid, record)
        for row, s in zip(prior.to_dict("records"), run_seeds_, strict=True)
    ]
    prior["seed"] = run_seeds_
    prior["distance"] = [distance(s, record) for s in simulated]
    for i, o in enumerate(record):
        prior[f"{o.column}@{o.year}"] = [s[i] for s in simulated]
    n_accept = max(2, round(accept * draws))
    posterior = prior.nsmallest(n_accept, "distance").reset_index(drop=True)
    epsilon = float(posterior["distance"].max())
    summary = {}
    for p in PRIORS:
        low, high = p.bounds
        prior_sd = (high - low) / np.sqrt(12)
        summary[p.name] = {
            "prior": [low, high],
            "posterior_median": float(posterior[p.name].median()),
            "posterior_5_95": [float(posterior[p.name].quantile(q)) for q in (0.05, 0.95)],
            "sd_ratio_to_prior": float(posterior[p.name].std(ddof=1) / prior_sd),
        }
    return {
        "method": "rejection ABC (uniform priors over declared ranges, one seed per draw, "
        "RMS of standardised errors, closest fraction accepted)",
        "grid": grid,
        "seed": seed,
        "draws": draws,
        "accepted": n_accept,
        "epsilon": epsilon,
        "targets": [
            {"column": o.column, "year": o.year, "observed": o.value, "sigma": sigma(o)}
            for o in record
        ],
        "cutoff_year": CALIBRATION_CUTOFF_YEAR,
        "parameters": summary,
        "implied_2021_25_afforestation_ha_per_year": float(
            np.median(
                [
                    afforestation_2021_25(r)["afforestation_ha_per_year"]
                    for r in posterior.to_dict("records")
                ]
            )
        ),
        "posterior": posterior,
        "prior_draws": prior,
    }


def summary_lines(result: dict[str, Any]) -> list[str]:
    """What ``karstsim calibrate`` prints: the acceptance and each posterior."""
    lines = [
        f"karstsim calibrate: rejection ABC on the record up to {result['cutoff_year']}, "
        f"{result['accepted']} of {result['draws']} draws accepted (ε = {result['epsilon']:.2f})"
    ]
    for name, entry in result["parameters"].items():
        low, high = entry["posterior_5_95"]
        prior_low, prior_high = entry["prior"]
        lines.append(
            f"  {name}: median {entry['posterior_median']:.4g} (90 % {low:.4g}–{high:.4g}; "
            f"prior {prior_low:g}–{prior_high:g}; sd/prior sd {entry['sd_ratio_to_prior']:.2f})"
        )
    return lines


def write(result: dict[str, Any], out: Path) -> list[Path]:
    """``posterior.csv``, ``prior_draws.csv``, ``calibration.json`` and ``posterior.png``."""
    out.mkdir(parents=True, exist_ok=True)
    result["posterior"].to_csv(out / "posterior.csv", index=False)
    result["prior_draws"].to_csv(out / "prior_draws.csv", index=False)
    info = {k: v for k, v in result.items() if k not in ("posterior", "prior_draws")}
    (out / "calibration.json").write_text(json.dumps(info, indent=2), "utf-8")
    figure = _figure(result, out / "posterior.png")
    return [out / "posterior.csv", out / "prior_draws.csv", out / "calibration.json", figure]


def _figure(result: dict[str, Any], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    prior, posterior = result["prior_draws"], result["posterior"]
    fig, axes = plt.subplots(1, len(PRIORS) + 1, figsize=(4 * (len(PRIORS) + 1), 3.4))
    for ax, p in zip(axes, PRIORS, strict=False):
        bins = np.linspace(*p.bounds, 16)
        ax.hist(prior[p.name], bins=bins, color="#cccccc", label="prior draws")
        ax.hist(posterior[p.name], bins=bins, color="#1b7837", label="posterior")
        ax.set_title(p.name, fontsize=9)
    axes[0].legend(fontsize=8)
    ax = axes[-1]
    years = [t["year"] for t in result["targets"]]
    observed = [t["observed"] for t in result["targets"]]
    columns = [f"{t['column']}@{t['year']}" for t in result["targets"]]
    ax.plot(years, observed, "ko", label="record")
    ax.fill_between(
        years,
        posterior[columns].quantile(0.05),
        posterior[columns].quantile(0.95),
        color="#1b7837",
        alpha=0.3,
        label="posterior 5–95 %",
    )
    ax.set_title("forest cover %, hindcast", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
