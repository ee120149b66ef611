"""The state of one browser session: lever sets, seed, map size, the year shown, the models.

Plain Python (no Solara), so it can be tested and benchmarked on its own. Every run is
built through :func:`karstsim.experiments.run.simulate` from a
:class:`~karstsim.experiments.run.RunSpec`, exactly as the command line builds one; the
controller then steps the models a year at a time so the page can show each year.

A change of lever, preset, seed or map rebuilds the affected runs from the start year and
replays them to the year shown, so the page always shows runs of the current settings.
Bad input never raises: it is kept as a message for the page (:attr:`Arm.error`,
:attr:`Controller.setup_error`) and the run it concerns is left out until it is fixed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from karstsim.experiments.run import RunSpec, simulate
from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.grid import GridSpec, parse_grid
from karstsim.model.karst_model import KarstModel
from karstsim.model.parameters import InputError

ARMS = ("A", "B")
"""Lever sets: A, and B in compare mode."""
DEFAULT_PRESET = "plan14"
GRID_PRESETS = ("classroom", "county")
MAX_CUSTOM_CELLS = 200 * 200
"""Largest custom map the app runs (cells); bigger ones are for the command line."""
LAST_YEAR = 2050
"""Latest year the app runs to."""
MAX_SEED = 2**32 - 1


def preset_values(name: str) -> dict[str, Any]:
    """Every parameter's value under the shipped scenario ``name``."""
    return parameters.resolve(scenario_module.load(name).parameters)


@dataclass
class Arm:
    """One lever set and its run."""

    preset: str
    values: dict[str, Any]
    model: KarstModel | None = None
    error: str | None = None

    def overrides(self) -> dict[str, Any]:
        """The values that differ from the preset's."""
        base = preset_values(self.preset)
        return {k: v for k, v in self.values.items() if base.get(k) != v}


@dataclass
class Controller:
    """Runs of one session; every public method is safe to call from any thread."""

    preset: str = DEFAULT_PRESET
    seed: int = 0
    grid: str = "classroom"
    arms: dict[str, Arm] = field(init=False)
    year: int = field(init=False)
    setup_error: str | None = field(init=False, default=None)
    lock: threading.RLock = field(init=False, repr=False, default_factory=threading.RLock)
    _runs_started: int = field(init=False, repr=False, default=0)

    def __post_init__(self) -> None:
        self._grid_spec = parse_grid(self.grid)
        self.arms = {"A": Arm(self.preset, preset_values(self.preset))}
        self.year = self.start_year
        self._rebuild(self.arms)

    # --- reading ---------------------------------------------------------------------------
    @property
    def start_year(self) -> int:
        """The first year of the runs (their presets' start year)."""
        return max(scenario_module.load(arm.preset).start_year for arm in self.arms.values())

    @property
    def compare(self) -> bool:
        """Whether lever set B runs beside A."""
        return "B" in self.arms

    def models(self) -> dict[str, KarstModel]:
        """The valid runs by lever set."""
        return {name: arm.model for name, arm in self.arms.items() if arm.model is not None}

    def results(self) -> dict[str, pd.DataFrame]:
        """Yearly results of the valid runs by lever set."""
        return {name: model.results() for name, model in self.models().items()}

    def errors(self) -> list[tuple[str, str]]:
        """``(lever set or "", message)`` for each input problem to show."""
        found = [("", self.setup_error)] if self.setup_error else []
        return found + [(name, arm.error) for name, arm in self.arms.items() if arm.error]

    # --- changing the set-up ---------------------------------------------------------------
    def set_value(self, arm: str, name: str, value: Any) -> None:
        """Set parameter ``name`` of lever set ``arm`` and rebuild that run."""
        with self.lock:
            target = self.arms[arm]
            try:
                target.values[name] = parameters.get(name).coerce(value)
            except InputError as error:
                target.error = str(error)
                target.model = None
                return
            self._rebuild({arm: target})

    def set_preset(self, arm: str, name: str) -> None:
        """Fill lever set ``arm`` with the shipped scenario ``name`` and rebuild its run."""
        with self.lock:
            try:
                values = preset_values(name)
            except InputError as error:
                self.arms[arm].error = str(error)
                return
            self.arms[arm] = Arm(name, values)
            year = max(self.year, self.start_year)
            changed = self.arms if year != self.year else {arm: self.arms[arm]}
            self.year = year
            self._rebuild(changed)

    def set_seed(self, seed: int) -> None:
        """Use random seed ``seed`` for every run and rebuild them."""
        with self.lock:
            if not 0 <= seed <= MAX_SEED:
                self.setup_error = f"seed {seed}: allowed 0 to {MAX_SEED}"
                return
            self.seed = seed
            self.setup_error = None
            self._rebuild(self.arms)

    def set_grid(self, grid: str) -> None:
        """Use map ``grid`` (a preset or ``WxH``) for every run and rebuild them."""
        with self.lock:
            try:
                spec = self._check_grid(grid)
            except InputError as error:
                self.setup_error = str(error)
                return
            self.grid, self._grid_spec, self.setup_error = grid, spec, None
            self._rebuild(self.arms)

    def set_compare(self, on: bool) -> None:
        """Start lever set B as a copy of A, or drop it."""
        with self.lock:
            if on and not self.compare:
                self.copy_a_to_b()
            elif not on:
                self.arms.pop("B", None)

    def copy_a_to_b(self) -> None:
        """Make lever set B a copy of A (same run)."""
        with self.lock:
            source = self.arms["A"]
            self.arms["B"] = Arm(source.preset, dict(source.values))
            self._rebuild({"B": self.arms["B"]})

    # --- running ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Stop any run in progress and go back to the start year with the current settings."""
        with self.lock:
            self.stop()
            self.year = self.start_year
            self._rebuild(self.arms)

    def stop(self) -> None:
        """Make every :meth:`advance_to` in progress return before its next step.

        Takes no lock, so a click on "Pause" acts at once even while a run holds it."""
        self._runs_started += 1

    def step(self) -> bool:
        """Advance every valid run by one year; ``False`` if there was nothing to advance."""
        with self.lock:
            models = self.models()
            if not models or self.year >= LAST_YEAR:
                return False
            self.year += 1
            for model in models.values():
                model.run_to_year(self.year)
            return True

    def advance_to(
        self,
        target: int,
        cancel: threading.Event,
        on_step: Callable[[], None] = lambda: None,
    ) -> None:
        """Step until ``target`` (at most :data:`LAST_YEAR`), until ``cancel`` is set or until
        :meth:`stop`, calling ``on_step`` after each year."""
        with self.lock:
            run = self._runs_started
        while not cancel.is_set():
            with self.lock:
                if run != self._runs_started or self.year >= target or not self.step():
                    return
            on_step()

    # --- internals -------------------------------------------------------------------------
    def _check_grid(self, grid: str) -> GridSpec:
        spec = parse_grid(grid)
        if grid not in GRID_PRESETS and spec.width * spec.height > MAX_CUSTOM_CELLS:
            raise InputError(
                f"grid {grid}: the app runs custom maps up to {MAX_CUSTOM_CELLS:,} cells; "
                "use the command line for larger ones"
            )
        return spec

    def _rebuild(self, arms: Mapping[str, Arm]) -> None:
        for arm in arms.values():
            spec = RunSpec(
                scenario=arm.preset,
                overrides=arm.overrides(),
                grid=self._grid_spec,
                end_year=self.year,
                seed=self.seed,
            )
            try:
                arm.model, arm.error = simulate(spec), None
            except InputError as error:
                arm.model, arm.error = None, str(error)
