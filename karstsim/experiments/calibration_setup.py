"""What a calibration fits, to what, and how: its TOML file and its observations CSV.

A calibration file (the shipped one is ``karstsim/data/calibration.toml``; copy it and pass
the copy with ``karstsim calibrate --config``) names

- ``[calibration]``: the run that simulates the calibration years (``scenario``, a shipped
  name or a .toml file; ``grid``), the observations (``observations``: a CSV path, relative
  to the calibration file) and ``cutoff_year`` (2020: later observations are refused);
- ``[[parameter]]``: each fitted quantity: ``name`` (a declared parameter, see
  ``karstsim params``), optional tighter ``low``/``high`` bounds than the declared range
  (with a ``source``); its prior is uniform over the bounds. A *lever* fitted here is the
  calibration run's own input (e.g. the hindcast's afforestation of 2016–20) and is not
  carried into forecasts; an *uncertainty* is;
- ``[sampler]``: pyabc's ABC-SMC settings and its stopping rule: ``population_size``,
  ``max_populations``, ``min_epsilon``, ``min_acceptance_rate``, ``max_simulations``
  (whichever comes first) and ``seed``.

The observations CSV is tidy: ``year, output, value, sigma`` and an optional ``region``
(a prefecture or county by name or adcode; empty: the whole map). ``output`` is a declared
output (``karstsim outputs``), ``sigma`` the observation's standard error in the output's
unit (> 0). Areas of the whole map (:data:`PROVINCE_SCALED`) are compared province-equivalent.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from karstsim.experiments.observations import PROVINCE_SCALED
from karstsim.model import parameters, scenario
from karstsim.model.grid import parse_grid
from karstsim.model.outputs import OUTPUT_BY_NAME
from karstsim.model.parameters import InputError
from karstsim.model.regions import find_region

COLUMNS = ("year", "output", "value", "sigma")
"""The observations CSV's required columns (``region`` is optional)."""
SAMPLER_DEFAULTS: dict[str, float] = {
    "population_size": 100,
    "max_populations": 6,
    "min_epsilon": 0.0,
    "min_acceptance_rate": 0.02,
    "max_simulations": 5000,
    "seed": 0,
}
"""pyabc ABC-SMC settings a calibration file may leave out."""


@dataclass(frozen=True)
class FittedParameter:
    """A fitted quantity: a declared parameter with its prior bounds (uniform)."""

    name: str
    low: float
    high: float
    source: str = ""

    @property
    def declared(self) -> parameters.Parameter:
        return parameters.get(self.name)

    @property
    def carried(self) -> bool:
        """Whether forecasts carry it: uncertainties yes, the calibration run's levers no."""
        return self.declared.role != "lever"

    @property
    def is_int(self) -> bool:
        return self.declared.kind == "int"


@dataclass(frozen=True)
class Target:
    """One observation the calibration fits: ``output`` in ``year`` (in ``region``)."""

    year: int
    output: str
    value: float
    sigma: float
    region: str | None = None
    """An adcode (a prefecture or county), or None for the whole map."""

    @property
    def key(self) -> str:
        """The column name of the simulated value: ``output@year`` or ``output@year@region``."""
        return f"{self.output}@{self.year}" + (f"@{self.region}" if self.region else "")

    @property
    def province_scaled(self) -> bool:
        return self.region is None and self.output in PROVINCE_SCALED


@dataclass(frozen=True)
class Setup:
    """A calibration: the run, the fitted parameters, the targets and the sampler."""

    scenario: str
    grid: str
    cutoff_year: int
    parameters: tuple[FittedParameter, ...]
    targets: tuple[Target, ...]
    sampler: dict[str, float]
    config_path: str
    observations_path: str

    @property
    def end_year(self) -> int:
        return max(t.year for t in self.targets)

    @property
    def by_region(self) -> str | None:
        """The level of regional results the targets need (``county`` or ``prefecture``)."""
        levels = {find_region(t.region).level for t in self.targets if t.region}
        return "county" if "county" in levels else ("prefecture" if levels else None)

    def describe(self) -> dict[str, Any]:
        """Plain values for ``calibration.json``."""
        return {
            "config": _shown(self.config_path),
            "observations": _shown(self.observations_path),
            "scenario": self.scenario,
            "grid": self.grid,
            "cutoff_year": self.cutoff_year,
            "parameters": [
                {"name": p.name, "low": p.low, "high": p.high, "carried": p.carried}
                for p in self.parameters
            ],
            "targets": [
                {
                    "key": t.key,
                    "output": t.output,
                    "year": t.year,
                    "value": t.value,
                    "sigma": t.sigma,
                }
                | ({"region": t.region} if t.region else {})
                for t in self.targets
            ],
            "sampler": self.sampler,
        }


def _shown(path: str) -> str:
    """``path`` as a record shows it: a shipped file by its place in the package (no
    machine's folders), any other as given."""
    shipped = shipped_config().parent
    resolved = Path(path).resolve()
    if resolved.parent == shipped.resolve():
        return f"karstsim/data/{resolved.name}"
    return path


def shipped_config() -> Path:
    """The default calibration file."""
    return Path(str(resources.files("karstsim") / "data" / "calibration.toml"))


def load_setup(config: Path | None = None, observations: Path | None = None) -> Setup:
    """The calibration of ``config`` (default: the shipped one), with the observations of
    ``observations`` if given (else the file the config names); one-line errors."""
    path = Path(config) if config is not None else shipped_config()
    try:
        text = path.read_text("utf-8")
    except OSError as error:
        raise InputError(f"--config {path}: cannot be read ({error.strerror})") from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"--config {path}: not valid TOML ({error})") from None
    unknown = set(table) - {"calibration", "parameter", "sampler"}
    if unknown:
        raise InputError(
            f"--config {path}: unknown table {sorted(unknown)[0]!r}; allowed: calibration, "
            "parameter, sampler"
        )
    run = table.get("calibration", {})
    cutoff = _integer(run.get("cutoff_year", 2020), path, "cutoff_year")
    run_name = _resolve(run.get("scenario", "hindcast13"), path, suffix=".toml")
    plan = scenario.load(run_name)
    grid = str(run.get("grid", "province"))
    parse_grid(grid)
    if observations is None:
        observations = _resolve(run.get("observations"), path) if run.get("observations") else None
    if observations is None:
        raise InputError(f"--config {path}: names no observations; give --observations FILE.csv")
    fitted = tuple(_parameter(entry, path) for entry in table.get("parameter", []))
    if not fitted:
        raise InputError(f"--config {path}: needs at least one [[parameter]] to fit")
    names = [p.name for p in fitted]
    if len(set(names)) < len(names):
        raise InputError(f"--config {path}: a parameter is listed twice ({names})")
    return Setup(
        scenario=run_name,
        grid=grid,
        cutoff_year=cutoff,
        parameters=fitted,
        targets=load_targets(Path(observations), plan.start_year, cutoff),
        sampler=_sampler(table.get("sampler", {}), path),
        config_path=str(path),
        observations_path=str(observations),
    )


def _resolve(value: Any, config: Path, suffix: str = "") -> str:
    """A path in the config, relative to the config's folder (a shipped name stays a name)."""
    text = str(value)
    candidate = config.parent / text
    if (suffix and not text.endswith(suffix)) or not candidate.exists():
        return text
    return str(candidate)


def _integer(value: Any, path: Path, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"--config {path}: {key} = {value!r} is not a whole number")
    return value


def _number(value: Any, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{where}: {key} = {value!r} is not a finite number")
    return float(value)


def _parameter(entry: dict[str, Any], path: Path) -> FittedParameter:
    """A ``[[parameter]]`` entry, checked against the declaration."""
    name = str(entry.get("name", ""))
    declared = parameters.get(name)  # a one-line error for an unknown name
    if declared.kind == "bool":
        raise InputError(f"--config {path}: parameter {name} is a switch; only numbers are fitted")
    where = f"--config {path}: parameter {name}"
    low = _number(entry.get("low", declared.low), where, "low")
    high = _number(entry.get("high", declared.high), where, "high")
    if not declared.low <= low < high <= declared.high:
        raise InputError(
            f"{where}: bounds {low:g}–{high:g} must be increasing and within the declared "
            f"range {declared.low:g}–{declared.high:g} {declared.unit}"
        )
    unknown = set(entry) - {"name", "low", "high", "source"}
    if unknown:
        raise InputError(f"{where}: unknown key {sorted(unknown)[0]!r}; allowed: low, high, source")
    return FittedParameter(name, low, high, str(entry.get("source", "")))


def _sampler(entry: dict[str, Any], path: Path) -> dict[str, float]:
    unknown = set(entry) - set(SAMPLER_DEFAULTS)
    if unknown:
        raise InputError(
            f"--config {path}: [sampler] {sorted(unknown)[0]!r} is unknown; allowed: "
            f"{', '.join(SAMPLER_DEFAULTS)}"
        )
    settings = {**SAMPLER_DEFAULTS, **entry}
    for key, value in settings.items():
        _number(value, f"--config {path}: [sampler]", key)
    for key, least in (("population_size", 2), ("max_populations", 1), ("max_simulations", 2)):
        if int(settings[key]) != settings[key] or settings[key] < least:
            raise InputError(
                f"--config {path}: [sampler] {key} = {settings[key]!r}: a whole number ≥ {least}"
            )
    if not 0 <= settings["min_acceptance_rate"] < 1:
        raise InputError(f"--config {path}: [sampler] min_acceptance_rate must be in [0, 1)")
    return settings


def load_targets(path: Path, start_year: int, cutoff_year: int) -> tuple[Target, ...]:
    """The observations CSV at ``path`` as targets; every row checked, errors name the row."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    except (OSError, ValueError) as error:
        raise InputError(f"--observations {path}: cannot be read as CSV ({error})") from None
    table.columns = [c.strip() for c in table.columns]
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise InputError(
            f"--observations {path}: missing column {missing[0]!r}; needs "
            f"{', '.join(COLUMNS)} and optionally region"
        )
    extra = set(table.columns) - {*COLUMNS, "region", "source"}
    if extra:
        raise InputError(
            f"--observations {path}: unknown column {sorted(extra)[0]!r}; allowed: "
            f"{', '.join(COLUMNS)}, region, source"
        )
    if table.empty:
        raise InputError(f"--observations {path}: has no rows")
    chosen = [
        _target(row, f"--observations {path} row {i + 2}", start_year, cutoff_year)
        for i, row in enumerate(table.to_dict("records"))
    ]
    keys = [t.key for t in chosen]
    if len(set(keys)) < len(keys):
        double = next(k for k in keys if keys.count(k) > 1)
        raise InputError(f"--observations {path}: {double} is given twice")
    return tuple(chosen)


def _target(row: dict[str, str], where: str, start_year: int, cutoff_year: int) -> Target:
    try:
        year = int(row["year"])
    except ValueError:
        raise InputError(f"{where}: year {row['year']!r} is not a whole number") from None
    output = row["output"].strip()
    if output not in OUTPUT_BY_NAME:
        raise InputError(f"{where}: output {output!r} is not declared (`karstsim outputs`)")
    values = {}
    for key in ("value", "sigma"):
        try:
            values[key] = float(row[key])
        except ValueError:
            raise InputError(f"{where}: {key} {row[key]!r} is not a number") from None
        if not math.isfinite(values[key]):
            raise InputError(f"{where}: {key} {row[key]!r} is not a finite number")
    if values["sigma"] <= 0:
        raise InputError(f"{where}: sigma {row['sigma']} must be > 0 (the standard error)")
    if year > cutoff_year:
        raise InputError(
            f"{where}: {output} {year}: observations after {cutoff_year} are for "
            "out-of-sample validation only"
        )
    if year <= start_year:
        raise InputError(
            f"{where}: {output} {year}: the calibration run starts in {start_year}; "
            f"targets must be in {start_year + 1}–{cutoff_year}"
        )
    region = row.get("region", "").strip() or None
    if region is not None:
        if not OUTPUT_BY_NAME[output].per_region:
            raise InputError(f"{where}: {output} has no value by region; leave region empty")
        place = find_region(region)
        region = None if place.level == "province" else place.adcode
    return Target(year, output, values["value"], values["sigma"], region)
