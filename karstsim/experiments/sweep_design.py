"""Sweep designs: which parameters a sweep varies, how they are sampled, and what it keeps.

A design is a TOML file, checked against the parameter declaration
(:data:`karstsim.model.parameters.PARAMETERS`) and sampled into one row per run::

    [sweep]
    name = "levers_morris"
    scenario = "plan14"        # shipped scenario, or a scenario .toml (relative to this file)
    grid = "county"            # classroom, county, province or WxH
    years = "2020:2035"        # optional; the scenario's years otherwise
    sampler = "morris"         # full_factorial, latin_hypercube (or lhs), sobol or morris
    samples = 10               # morris: trajectories; sobol: base samples (a power of 2);
                               # latin_hypercube: runs; not used by full_factorial
    morris_levels = 4          # morris only (even, default 4)
    second_order = true        # sobol only (default true)
    replicates = 2             # seeds per sample; replicate r runs with seed + r
    seed = 1
    keep = "both"              # final (one row per run), yearly (every year) or both
    regions = "county"         # real maps only: results by county (default), prefecture, or
                               # "none"; kept in regions.parquet and ensemble.nc
    vary_roles = ["lever"]     # optional: vary every parameter with these roles ...
    exclude = []               # ... except these

    [parameters]               # the varied parameters (add to / override vary_roles)
    treatment_ha_per_year = { range = [0, 300000] }                  # uniform
    grazing_pressure = { range = [0.3, 1.0], distribution = "triangular", mode = 0.8 }
    enclosure_years = { range = [1, 15] }                             # ints are rounded
    grazing_ban_severe = {}                                           # bools: false / true
    afforestation_ha_per_year = { levels = [30000, 60000, 120000] }   # discrete levels

    [fixed]                    # optional: values for every run, on top of the scenario
    grass_years = 6

An entry ``{}`` varies a parameter over its whole declared range; a parameter in
``[fixed]`` is not varied by ``vary_roles``. Distributions:
``uniform`` (default), ``loguniform`` (low > 0), ``triangular`` (``mode``) and ``normal``
(``mean``, ``sd``, truncated to the range). Integers are drawn over [low − ½, high + ½] and
rounded, so every integer gets its share; booleans and ``levels`` are discrete. A full
factorial design needs ``levels`` (or ``steps = n`` evenly spaced values) for every
non-boolean parameter.

Every run uses common random numbers: replicate ``r`` of every sample runs with seed
``seed + r``, so differences between samples come from the parameters, not the noise.

An XLRM design adds ``[policies]`` (and/or ``[policy_sample]``): named sets of levers, each
run on every sample of the uncertainties in ``[parameters]`` with the same seeds
(:mod:`karstsim.experiments.sweep_policies`); its table has a ``policy`` column and a column
per lever the policies set, and ``sample`` numbers the futures, the same in every policy.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments import provenance, sweep_policies
from karstsim.experiments.sweep_catalog import shipped_names
from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.grid import parse_grid
from karstsim.model.initial_states import start_state
from karstsim.model.parameters import InputError, Parameter, ParameterError

SAMPLERS = ("full_factorial", "latin_hypercube", "sobol", "morris")
SAMPLER_ALIASES = {"lhs": "latin_hypercube"}
"""Other names of the samplers, as EMA Workbench and SALib call them."""
KEEP = ("final", "yearly", "both")
REGIONS = ("county", "prefecture", "none")
DISTRIBUTIONS = ("uniform", "loguniform", "triangular", "normal")
RUN_COLUMNS = ("run_id", "sample", "replicate", "seed", "policy")
"""The columns of a sampled design that are not parameters."""
MAX_RUNS = 1_000_000
"""Most runs one sweep may hold (its design table is sampled into memory at the start)."""

_SWEEP_KEYS = {
    "name",
    "scenario",
    "grid",
    "years",
    "sampler",
    "samples",
    "morris_levels",
    "second_order",
    "replicates",
    "seed",
    "keep",
    "vary_roles",
    "exclude",
    "regions",
}
_FACTOR_KEYS = {"range", "levels", "steps", "distribution", "mode", "mean", "sd"}
_FORMAT = 1  # bump when the meaning of a design changes
_POLICY_SECTIONS = ("policies", "policy_sample")


class DesignError(InputError):
    """A design file that cannot be read, parsed or sampled; the message names the entry."""


@dataclass(frozen=True)
class Factor:
    """One varied parameter: discrete ``levels`` (sorted), or a range with a distribution.

    Values are in the parameter's own unit (see its declaration).
    """

    name: str
    kind: str
    levels: tuple[float | int | bool, ...] | None = None
    low: float | None = None
    high: float | None = None
    distribution: str = "uniform"
    shape: Mapping[str, float] = field(default_factory=dict)

    def from_unit(self, unit: np.ndarray) -> np.ndarray:
        """Values for points ``unit`` in [0, 1], monotone in ``unit`` (what samplers give)."""
        unit = np.clip(np.asarray(unit, dtype=float), 0.0, 1.0)
        if self.levels is not None:
            index = np.minimum((unit * len(self.levels)).astype(int), len(self.levels) - 1)
            return np.asarray(self.levels, dtype=_dtype(self.kind))[index]
        assert self.low is not None and self.high is not None
        margin = 0.5 if self.kind == "int" else 0.0
        values = _ppf(self.distribution, unit, self.low - margin, self.high + margin, self.shape)
        if self.kind == "int":
            return np.clip(np.floor(values + 0.5), self.low, self.high).astype(np.int64)
        return np.clip(values, self.low, self.high)

    def spec(self) -> dict[str, Any]:
        """The factor as plain data (for the manifest and the design hash)."""
        if self.levels is not None:
            return {"name": self.name, "levels": list(self.levels)}
        return {
            "name": self.name,
            "range": [self.low, self.high],
            "distribution": self.distribution,
            **dict(self.shape),
        }


def _dtype(kind: str) -> type:
    return {"bool": bool, "int": np.int64}.get(kind, float)


def _ppf(
    distribution: str, unit: np.ndarray, low: float, high: float, shape: Mapping[str, float]
) -> np.ndarray:
    from scipy import stats

    if distribution == "uniform":
        return low + unit * (high - low)
    if distribution == "loguniform":
        return np.exp(np.log(low) + unit * (np.log(high) - np.log(low)))
    if distribution == "triangular":
        peak = (shape["mode"] - low) / (high - low)
        return stats.triang(peak, loc=low, scale=high - low).ppf(unit)
    mean, sd = shape["mean"], shape["sd"]
    return stats.truncnorm((low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd).ppf(unit)


@dataclass(frozen=True)
class Design:
    """A checked sweep design. ``sample()`` gives its runs; ``hash`` identifies it."""

    name: str
    origin: str
    scenario: scenario_module.Scenario
    grid: str
    start_year: int
    end_year: int
    sampler: str
    samples: int | None
    replicates: int
    seed: int
    keep: str
    factors: tuple[Factor, ...]
    morris_levels: int = 4
    second_order: bool = True
    regions: str | None = None
    """The level of the results by region kept (real maps), or None."""
    policies: tuple[sweep_policies.Policy, ...] = ()
    """An XLRM design's policies, each run on every sample (none: a plain design)."""
    source: str = field(default="", compare=False)
    """The design's TOML text (for the manifest's provenance)."""
    scenario_source: str | None = field(default=None, compare=False)
    """The base scenario's TOML text (None for the defaults)."""

    @property
    def factor_names(self) -> list[str]:
        """The varied parameters, in the design's order."""
        return [f.name for f in self.factors]

    @property
    def keeps_yearly(self) -> bool:
        """Whether every year's row is kept (``keep`` is yearly or both)."""
        return self.keep in ("yearly", "both")

    @property
    def keeps_final(self) -> bool:
        """Whether the final year's values are kept per run (``keep`` is final or both)."""
        return self.keep in ("final", "both")

    def spec(self) -> dict[str, Any]:
        """Everything that decides the runs and their results, as plain data."""
        return {
            "format": _FORMAT,
            "name": self.name,
            "scenario": {
                "name": self.scenario.name,
                "parameters": _plain(self.scenario.parameters),
            },
            "grid": self.grid,
            "years": [self.start_year, self.end_year],
            "sampler": self.sampler,
            "samples": self.samples,
            "morris_levels": self.morris_levels if self.sampler == "morris" else None,
            "second_order": self.second_order if self.sampler == "sobol" else None,
            "replicates": self.replicates,
            "seed": self.seed,
            "keep": self.keep,
            "factors": [f.spec() for f in self.factors],
            # only where kept, so that designs without regions keep their hash
            **({"regions": self.regions} if self.regions else {}),
            **({"policies": [p.spec() for p in self.policies]} if self.policies else {}),
        }

    @property
    def hash(self) -> str:
        """SHA-256 of :meth:`spec` without the name: equal hashes, equal runs."""
        spec = {k: v for k, v in self.spec().items() if k != "name"}
        text = json.dumps(spec, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def runs(self) -> int:
        """How many runs the design holds: the sampler's points times the replicates."""
        k = len(self.factors)
        if self.sampler == "full_factorial":
            points = math.prod(len(f.levels or ()) for f in self.factors)
        elif self.sampler == "sobol":
            points = (self.samples or 0) * (2 * k + 2 if self.second_order else k + 2)
        elif self.sampler == "morris":
            points = (self.samples or 0) * (k + 1)
        else:
            points = self.samples or 0
        return points * max(len(self.policies), 1) * self.replicates

    def unit_sample(self) -> np.ndarray:
        """The sampler's points in the unit hypercube, one row per sample (not replicate)."""
        from SALib.sample import latin
        from SALib.sample import morris as morris_sampler
        from SALib.sample import sobol as sobol_sampler

        problem = {
            "num_vars": len(self.factors),
            "names": self.factor_names,
            "bounds": [[0.0, 1.0]] * len(self.factors),
        }
        if self.sampler == "latin_hypercube":
            return latin.sample(problem, self.samples, seed=self.seed)
        if self.sampler == "sobol":
            return sobol_sampler.sample(
                problem, self.samples, calc_second_order=self.second_order, seed=self.seed
            )
        return morris_sampler.sample(
            problem, self.samples, num_levels=self.morris_levels, seed=self.seed
        )

    def sample(self) -> pd.DataFrame:
        """One row per run: ``run_id, sample, replicate, seed`` and each factor's value.

        Runs are sample-major: ``run_id = sample × replicates + replicate``.
        """
        if self.sampler == "full_factorial":
            assert all(f.levels is not None for f in self.factors)
            points = list(itertools.product(*(f.levels for f in self.factors)))
            columns = {
                f.name: np.asarray([p[i] for p in points], dtype=_dtype(f.kind))
                for i, f in enumerate(self.factors)
            }
        else:
            unit = self.unit_sample()
            columns = {f.name: f.from_unit(unit[:, i]) for i, f in enumerate(self.factors)}
        n_samples = len(next(iter(columns.values())))
        n_policies, n_replicates = max(len(self.policies), 1), self.replicates
        per_policy = n_samples * n_replicates
        sample = np.tile(np.repeat(np.arange(n_samples, dtype=np.int64), n_replicates), n_policies)
        replicate = np.tile(np.arange(n_replicates, dtype=np.int64), n_samples * n_policies)
        policy = np.repeat(np.arange(n_policies), per_policy)
        table = pd.DataFrame(
            {
                "run_id": np.arange(per_policy * n_policies, dtype=np.int64),
                "sample": sample,
                "replicate": replicate,
                "seed": self.seed + replicate,
                **self._policy_columns(policy),
                **{name: values[sample] for name, values in columns.items()},
            }
        )
        self._check_runs(table)
        return table

    def _policy_columns(self, policy: np.ndarray) -> dict[str, Any]:
        """``policy`` (names) and each lever the policies set, for runs of policy index
        ``policy``; nothing for a design without policies."""
        if not self.policies:
            return {}
        levers = sweep_policies.lever_columns(self.policies, self.scenario.parameters)
        names = np.asarray([p.name for p in self.policies], dtype=object)
        return {
            "policy": names[policy],
            **{name: np.asarray(values)[policy] for name, values in levers.items()},
        }

    @property
    def lever_names(self) -> list[str]:
        """The levers the policies set (columns of the sampled table)."""
        return sorted({name for p in self.policies for name in p.levers})

    def run_parameters(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The parameter overrides of one run (scenario and fixed values, the policy's
        levers, then the factors)."""
        return {
            **self.scenario.parameters,
            **{name: _python(row[name]) for name in self.lever_names},
            **{name: _python(row[name]) for name in self.factor_names},
        }

    def _check_runs(self, table: pd.DataFrame) -> None:
        keys = ["policy", "sample"] if self.policies else ["sample"]
        for row in table.drop_duplicates(keys).to_dict("records"):
            try:
                parameters.resolve(self.run_parameters(row))
            except ParameterError as error:
                values = ", ".join(f"{n}={_python(row[n])}" for n in self.factor_names)
                raise DesignError(
                    f"{self.origin}: sample {row['sample']} ({values}) is not a valid run: "
                    f"{error}; narrow the ranges so that every combination is valid"
                ) from None


def _python(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _python(v) for k, v in sorted(values.items())}


def load(path: str | Path) -> Design:
    """Read and check a design file, or a shipped design by name (raises :class:`DesignError`)."""
    path = Path(path)
    if not path.exists() and str(path) in shipped_names():
        source = (resources.files("karstsim") / "designs" / f"{path}.toml").read_text("utf-8")
        return parse(source, origin=f"shipped design {path}")
    origin = f"design file {path}"
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as error:
        hint = f"; shipped designs: {', '.join(shipped_names())}" if not path.exists() else ""
        raise DesignError(f"{origin}: cannot be read ({error.strerror or error}){hint}") from None
    except UnicodeDecodeError as error:
        raise DesignError(
            f"{origin}: not UTF-8 text (byte {error.object[error.start]:#04x} at offset "
            f"{error.start}); save the design as UTF-8"
        ) from None
    return parse(source, origin=origin, folder=path.parent)


def parse(source: str, origin: str = "design", folder: Path | None = None) -> Design:
    """A :class:`Design` from TOML text; errors start with ``origin`` and name the entry.

    A relative scenario path is taken relative to ``folder`` (the design file's folder).
    """
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise DesignError(f"{origin}: not valid TOML ({error})") from None
    unknown = sorted(set(data) - {"sweep", "parameters", "fixed", *_POLICY_SECTIONS})
    if unknown:
        raise DesignError(
            f"{origin}: unknown section(s) {unknown}; allowed: [sweep], [parameters], [fixed], "
            "[policies], [policy_sample]"
        )
    head = _table(data, "sweep", origin)
    bad_keys = sorted(set(head) - _SWEEP_KEYS)
    if bad_keys:
        raise DesignError(
            f"{origin}: [sweep] unknown key(s) {bad_keys}; allowed: {', '.join(sorted(_SWEEP_KEYS))}"
        )
    raw = head.get("sampler")
    named = {**head, "sampler": SAMPLER_ALIASES.get(raw, raw) if isinstance(raw, str) else raw}
    sampler = _choice(named, "sampler", SAMPLERS, None, origin)
    keep = _choice(head, "keep", KEEP, "final", origin)
    fixed = _table(data, "fixed", origin)
    scenario, scenario_source = _scenario(head, fixed, origin, folder)
    start, end = _years(head, scenario, origin)
    grid = _grid(head, origin)
    factors = _factors(head, _table(data, "parameters", origin), set(fixed), sampler, origin)
    samples = _samples(head, sampler, origin)
    morris_levels = _integer(head, "morris_levels", 4, 2, origin)
    if morris_levels % 2:
        raise DesignError(f"{origin}: [sweep] morris_levels = {morris_levels}: must be even")
    second_order = head.get("second_order", True)
    if not isinstance(second_order, bool):
        raise DesignError(f"{origin}: [sweep] second_order must be true or false")
    if sampler == "sobol" and second_order and len(factors) < 2:
        raise DesignError(f"{origin}: second-order Sobol indices need at least 2 parameters")
    result = Design(
        name=str(head.get("name", scenario.name)),
        origin=origin,
        scenario=scenario,
        grid=grid,
        start_year=start,
        end_year=end,
        sampler=sampler,
        samples=samples,
        replicates=_integer(head, "replicates", 1, 1, origin),
        seed=_integer(head, "seed", 0, 0, origin),
        keep=keep,
        factors=tuple(factors),
        morris_levels=morris_levels,
        second_order=second_order,
        regions=_regions(head, grid, origin),
        policies=_policies(data, scenario, sampler, factors, head, origin),
        source=source,
        scenario_source=scenario_source,
    )
    if result.runs > MAX_RUNS:
        raise DesignError(
            f"{origin}: the design holds {result.runs:,} runs; a sweep holds at most "
            f"{MAX_RUNS:,} runs: lower [sweep] samples or replicates, or split it into sweeps"
        )
    return result


def _policies(
    data: Mapping[str, Any],
    scenario: scenario_module.Scenario,
    sampler: str,
    factors: Sequence[Factor],
    head: Mapping[str, Any],
    origin: str,
) -> tuple[sweep_policies.Policy, ...]:
    """An XLRM design's policies (checked: the sampled parameters are uncertainties)."""
    if not set(data) & set(_POLICY_SECTIONS):
        return ()

    def factor(p: Parameter, entry: Any, where: str) -> Factor:
        if not isinstance(entry, dict):
            raise DesignError(f"{where}: must be a table such as {{ range = [low, high] }}")
        return _factor(p, entry, "latin_hypercube", where)

    seed = _integer(head, "seed", 0, 0, origin)
    policies = sweep_policies.parse(data, scenario.parameters, seed, origin, factor)
    if sampler not in ("latin_hypercube", "full_factorial"):
        raise DesignError(
            f"{origin}: [sweep] sampler {sampler!r}: a design with policies samples its "
            "uncertainties with latin_hypercube or full_factorial (sobol and morris designs "
            "are for sensitivity analyses, without policies)"
        )
    levers = [f.name for f in factors if parameters.get(f.name).role == "lever"]
    if levers:
        raise DesignError(
            f"{origin}: [parameters] {', '.join(levers)}: a lever, but a design with policies "
            "samples uncertainties only; set levers in [policies] or [policy_sample]"
        )
    if not policies:
        raise DesignError(f"{origin}: [policies] is empty; name at least one policy")
    return policies


def _regions(head: Mapping[str, Any], grid: str, origin: str) -> str | None:
    """The level of results by region to keep: a real map keeps counties unless told."""
    real = parse_grid(grid).is_real
    level = _choice(head, "regions", REGIONS, "county" if real else "none", origin)
    if level != "none" and not real:
        raise DesignError(
            f"{origin}: [sweep] regions = {level!r}: results by region need a real map "
            f"(province, a prefecture or a county), not grid {grid!r}; remove it"
        )
    return None if level == "none" else level


def _table(data: Mapping[str, Any], key: str, origin: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise DesignError(f"{origin}: [{key}] must be a table")
    return value


def _choice(
    head: Mapping[str, Any], key: str, allowed: Sequence[str], default: str | None, origin: str
) -> str:
    value = head.get(key, default)
    if value not in allowed:
        shown = "missing" if value is None else repr(value)
        raise DesignError(f"{origin}: [sweep] {key} {shown}; allowed: {', '.join(allowed)}")
    return value


def _integer(head: Mapping[str, Any], key: str, default: int, minimum: int, origin: str) -> int:
    value = head.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DesignError(f"{origin}: [sweep] {key} = {value!r}: must be an integer ≥ {minimum}")
    return value


def _samples(head: Mapping[str, Any], sampler: str, origin: str) -> int | None:
    if sampler == "full_factorial":
        if "samples" in head:
            raise DesignError(
                f"{origin}: [sweep] samples does not apply to full_factorial (every "
                "combination of levels is run once per replicate); remove it"
            )
        return None
    if "samples" not in head:
        raise DesignError(f"{origin}: [sweep] samples is missing; the {sampler} sampler needs it")
    samples = _integer(head, "samples", 0, 1, origin)
    if sampler == "sobol" and samples & (samples - 1):
        raise DesignError(
            f"{origin}: [sweep] samples = {samples}: Sobol sampling needs a power of 2 "
            f"(e.g. {2 ** math.ceil(math.log2(samples))})"
        )
    return samples


def _scenario(
    head: Mapping[str, Any], fixed: Mapping[str, Any], origin: str, folder: Path | None
) -> tuple[scenario_module.Scenario, str | None]:
    """The design's scenario with its [fixed] values, and the scenario's TOML text."""
    reference = head.get("scenario")
    if reference is not None and not isinstance(reference, str):
        raise DesignError(f"{origin}: [sweep] scenario must be a name or a file path")
    if reference is not None and folder is not None and reference.endswith(".toml"):
        candidate = folder / reference
        reference = str(candidate) if candidate.exists() else reference
    try:
        base = scenario_module.load(reference)
    except ParameterError as error:
        raise DesignError(f"{origin}: [sweep] scenario: {error}") from None
    for name, value in fixed.items():
        try:
            parameters.get(name).coerce(value)
        except ParameterError as error:
            raise DesignError(f"{origin}: [fixed] {name}: {error}") from None
    scenario = scenario_module.Scenario(
        name=base.name,
        start_year=base.start_year,
        end_year=base.end_year,
        parameters={**base.parameters, **fixed},
        texts=base.texts,
    )
    return scenario, provenance.scenario_text(reference)


def _years(
    head: Mapping[str, Any], scenario: scenario_module.Scenario, origin: str
) -> tuple[int, int]:
    from karstsim.experiments.run import MAX_YEAR, parse_years

    if "years" not in head:
        return scenario.start_year, scenario.end_year
    try:
        start, end = parse_years(str(head["years"]))
        start = scenario.start_year if start is None else start
        start_state(start)
    except ParameterError as error:
        raise DesignError(f"{origin}: [sweep] years: {error}") from None
    if not start <= end <= MAX_YEAR:
        raise DesignError(
            f"{origin}: [sweep] years {head['years']!r}: need start ≤ end ≤ {MAX_YEAR}"
        )
    return start, end


def _grid(head: Mapping[str, Any], origin: str) -> str:
    grid = str(head.get("grid", "classroom"))
    try:
        parse_grid(grid)
    except ParameterError as error:
        raise DesignError(f"{origin}: [sweep] grid: {error}") from None
    return grid


def _factors(
    head: Mapping[str, Any],
    entries: Mapping[str, Any],
    fixed: set[str],
    sampler: str,
    origin: str,
) -> list[Factor]:
    roles = head.get("vary_roles", [])
    exclude = head.get("exclude", [])
    for key, names in (("vary_roles", roles), ("exclude", exclude)):
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise DesignError(f"{origin}: [sweep] {key} must be a list of names")
    for role in roles:
        if role not in ("lever", "uncertainty"):
            raise DesignError(
                f"{origin}: [sweep] vary_roles: unknown role {role!r}; allowed: lever, uncertainty"
            )
    for name in exclude:
        _declared(name, "[sweep] exclude", origin)
    chosen: dict[str, Any] = {
        p.name: {}
        for p in parameters.PARAMETERS.values()
        if p.role in roles and p.name not in exclude and p.name not in fixed
    }
    chosen.update(entries)
    if not chosen:
        raise DesignError(
            f"{origin}: no parameters to vary; add entries to [parameters] or set vary_roles"
        )
    factors = []
    for name, entry in chosen.items():
        where = f"[parameters] {name}"
        declared = _declared(name, where, origin)
        if name in fixed:
            raise DesignError(f"{origin}: {where} is also in [fixed]; keep one of the two")
        if not isinstance(entry, dict):
            raise DesignError(
                f"{origin}: {where} must be a table such as {{ range = [low, high] }} or {{}}"
            )
        factors.append(_factor(declared, entry, sampler, f"{origin}: {where}"))
    return factors


def _declared(name: str, where: str, origin: str) -> Parameter:
    try:
        return parameters.get(name)
    except ParameterError as error:
        raise DesignError(f"{origin}: {where}: {error}") from None


def _factor(p: Parameter, entry: Mapping[str, Any], sampler: str, where: str) -> Factor:
    bad = sorted(set(entry) - _FACTOR_KEYS)
    if bad:
        raise DesignError(
            f"{where}: unknown key(s) {bad}; allowed: {', '.join(sorted(_FACTOR_KEYS))}"
        )

    def value(x: Any, what: str) -> float | int | bool:
        try:
            return p.coerce(x)
        except ParameterError as error:
            raise DesignError(f"{where}: {what}: {error}") from None

    if "levels" in entry or p.kind == "bool":
        if set(entry) - {"levels"}:
            raise DesignError(f"{where}: give either levels or a range, not both")
        raw = entry.get("levels", [False, True])
        if not isinstance(raw, list) or not raw:
            raise DesignError(f"{where}: levels must be a non-empty list")
        levels = tuple(sorted({value(x, f"level {x!r}") for x in raw}))
        if sampler != "full_factorial" and len(levels) < 2:
            raise DesignError(f"{where}: the {sampler} sampler needs at least 2 levels")
        return Factor(p.name, p.kind, levels=levels)
    low, high = p.low, p.high
    if "range" in entry:
        bounds = entry["range"]
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise DesignError(f"{where}: range must be [low, high]")
        low, high = (value(x, f"range {bounds}") for x in bounds)
    if not low < high:
        raise DesignError(f"{where}: range [{low}, {high}]: low must be below high")
    if "steps" in entry:
        steps = entry["steps"]
        if set(entry) - {"steps", "range"}:
            raise DesignError(f"{where}: steps gives evenly spaced levels; drop the distribution")
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
            raise DesignError(f"{where}: steps = {steps!r}: must be an integer ≥ 2")
        points = np.linspace(low, high, steps)
        levels = sorted({round(float(x)) if p.kind == "int" else float(x) for x in points})
        return Factor(p.name, p.kind, levels=tuple(levels))
    if sampler == "full_factorial":
        raise DesignError(
            f"{where}: full_factorial needs levels = [...] or steps = n for a {p.kind} parameter"
        )
    return Factor(p.name, p.kind, low=low, high=high, **_distribution(entry, low, high, where))


def _distribution(entry: Mapping[str, Any], low: float, high: float, where: str) -> dict[str, Any]:
    name = entry.get("distribution", "uniform")
    needs = {"uniform": (), "loguniform": (), "triangular": ("mode",), "normal": ("mean", "sd")}
    if name not in needs:
        raise DesignError(
            f"{where}: unknown distribution {name!r}; allowed: {', '.join(DISTRIBUTIONS)}"
        )
    given = set(entry) & {"mode", "mean", "sd"}
    if given != set(needs[name]):
        wanted = ", ".join(needs[name]) or "no shape values"
        raise DesignError(f"{where}: distribution {name} takes {wanted}; got {sorted(given)}")
    shape = {}
    for key in needs[name]:
        x = entry[key]
        if isinstance(x, bool) or not isinstance(x, int | float):
            raise DesignError(f"{where}: {key} must be a number")
        shape[key] = float(x)
    if name == "loguniform" and low <= 0:
        raise DesignError(f"{where}: loguniform needs a range above 0")
    if name == "triangular" and not low <= shape["mode"] <= high:
        raise DesignError(f"{where}: mode {shape['mode']} is outside the range [{low}, {high}]")
    if name == "normal" and shape["sd"] <= 0:
        raise DesignError(f"{where}: sd must be above 0")
    return {"distribution": name, "shape": shape}
