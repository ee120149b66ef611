"""The state of one browser session: lever sets, seed, map size, the year shown, the models.

Plain Python (no Solara), so it can be tested and benchmarked on its own. Every run is
built through :func:`karstsim.experiments.run.simulate` from a
:class:`~karstsim.experiments.run.RunSpec`, exactly as the command line builds one; the
controller then steps the models a year at a time so the page can show each year.

A change of lever, preset, seed or map rebuilds the affected runs from the start year and
replays them to the year shown, so the page always shows runs of the current settings;
the start landscape comes from the server's shared cache when the seed and map are the
same (:mod:`karstsim.viz.server_state`, :mod:`karstsim.model.landscape_cache`).
Bad input never raises: it is kept as a message for the page (:attr:`Arm.error`,
:attr:`Controller.setup_error`) and the run it concerns is left out until it is fixed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

import karstsim.viz.server_state as server_state
from karstsim.experiments.run import RunSpec, simulate
from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.grid import PRESETS, GridSpec, parse_grid
from karstsim.model.karst_model import KarstModel
from karstsim.model.landscape_cache import LandscapeCache, reusing
from karstsim.model.parameters import InputError
from karstsim.model.regions import PROVINCE_CODE, Region, all_regions
from karstsim.viz.server_state import HeavyMapGate

ARMS = ("A", "B")
"""Lever sets: A, and B in compare mode."""
DEFAULT_PRESET = "plan14"
GRID_PRESETS = tuple(PRESETS)
"""Named maps: ``classroom`` (Guanling), ``county`` (synthetic 200 × 200), ``province``."""
MAX_CUSTOM_CELLS = 200 * 200
"""Largest synthetic ``WxH`` map the app runs (cells); bigger ones are for the command line.
Real maps (the province, a prefecture, a county) are always allowed."""
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
    error: InputError | None = None

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
    setup_error: InputError | None = field(init=False, default=None)
    region: str | None = field(init=False, default=None)
    """Adcode of the region whose cards and charts are shown (``None``: the whole map)."""
    region_error: InputError | None = field(init=False, default=None)
    seed_error: InputError | None = field(init=False, default=None)
    """Why the seed typed last is not valid: the runs do not step until it is fixed (they
    would go on with the seed before it)."""
    no_effect: tuple[str, tuple[str, ...], int] | None = field(init=False, default=None)
    """(lever set, parameters, year) of the last lever change if it left every result up to
    that year as it was (nothing if it changed something, or the runs were at their start
    year, where nothing has happened yet)."""
    lock: threading.RLock = field(init=False, repr=False, default_factory=threading.RLock)
    _runs_started: int = field(init=False, repr=False, default=0)
    landscapes: LandscapeCache = field(repr=False, default=server_state.LANDSCAPES)
    """Start landscapes (the server's, shared by its sessions): a lever moved, lever set B
    or another page on the same seed and map builds its run from a copy instead of
    generating the map again."""
    gate: HeavyMapGate | None = field(repr=False, default=None)
    """The server's limit on sessions running the whole province (``None``: no limit)."""

    def __post_init__(self) -> None:
        self._grid_spec = parse_grid(self.grid)
        if self._grid_spec.is_real and self.grid not in GRID_PRESETS:
            self.grid = self._grid_spec.region
        try:
            self._claim(self._grid_spec)
        except InputError as error:  # the server is full: the page opens on the classroom map
            self.grid, self._grid_spec, self.setup_error = (
                "classroom",
                parse_grid("classroom"),
                error,
            )
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

    @property
    def region_level(self) -> str | None:
        """Level of the map's regions in the results by region: ``prefecture`` on the
        province, ``county`` on a prefecture or county, ``None`` on a synthetic map."""
        spec = self._grid_spec
        if not spec.is_real:
            return None
        return "prefecture" if spec.region == PROVINCE_CODE else "county"

    @property
    def map_region(self) -> Region | None:
        """The region the map is of (``None``: a synthetic map)."""
        spec = self._grid_spec
        return all_regions()[spec.region] if spec.is_real else None

    def regions(self) -> list[Region]:
        """The map's regions (of :attr:`region_level`) that can be shown; none on a
        synthetic map."""
        for model in self.models().values():
            if model.regional is not None:
                return list(model.regional.table)
        return []

    def shown_results(self) -> dict[str, pd.DataFrame]:
        """Yearly results of what the cards and charts show, by lever set: the whole map,
        or the rows of the chosen :attr:`region` (of the results by region, which have no
        budget or carbon revenue: those are the whole map's only)."""
        if self.region is None:
            return self.results()
        shown = {}
        for name, table in self.regional_results().items():
            rows = table[table["adcode"] == self.region]
            shown[name] = rows.drop(columns=["level"]).reset_index(drop=True)
        return shown

    def regional_results(self) -> dict[str, pd.DataFrame]:
        """Every year's row of every region, by lever set (none on a synthetic map)."""
        return {
            name: model.regional.table_frame()
            for name, model in self.models().items()
            if model.regional is not None
        }

    def region_table(self) -> dict[str, pd.DataFrame]:
        """Each region's row for the year shown, by lever set (in the map's region order)."""
        return {
            name: table[table["year"] == self.year].reset_index(drop=True)
            for name, table in self.regional_results().items()
        }

    def errors(self, lang: str = "en") -> list[tuple[str, str]]:
        """``(lever set or "", message in lang)`` for each input problem to show."""
        return [(name, error.text(lang)) for name, error in self._problems()]

    def problems(self) -> list[InputError]:
        """Each input problem to show (:meth:`errors` has their texts)."""
        return [error for _, error in self._problems()]

    def _problems(self) -> list[tuple[str, InputError]]:
        found = [("", e) for e in (self.seed_error, self.setup_error, self.region_error) if e]
        return found + [(name, arm.error) for name, arm in self.arms.items() if arm.error]

    # --- changing the set-up ---------------------------------------------------------------
    def set_value(self, arm: str, name: str, value: Any) -> None:
        """Set parameter ``name`` of lever set ``arm`` and rebuild that run."""
        self.set_values(arm, {name: value})

    def set_values(self, arm: str, values: Mapping[str, Any]) -> None:
        """Set parameters of lever set ``arm`` (by name) and rebuild that run once;
        :attr:`no_effect` then says whether the change left its results so far unchanged."""
        with self.lock:
            target = self.arms[arm]
            before = target.model.results() if target.model is not None else None
            try:
                for name, value in values.items():
                    target.values[name] = parameters.get(name).coerce(value)
            except InputError as error:
                target.error = error
                target.model = None
                return
            self._rebuild({arm: target})
            after = target.model.results() if target.model is not None else None
            unchanged = (
                self.year > self.start_year
                and before is not None
                and after is not None
                and before.equals(after)
            )
            self.no_effect = (arm, tuple(values), self.year) if unchanged else None

    def set_preset(self, arm: str, name: str) -> None:
        """Fill lever set ``arm`` with the shipped scenario ``name`` and rebuild its run."""
        with self.lock:
            try:
                values = preset_values(name)
            except InputError as error:
                self.arms[arm].error = error
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
                self.seed_error = InputError(
                    f"seed {seed}: allowed 0 to {MAX_SEED}; the runs wait for a valid seed",
                    zh=f"种子 {seed}：允许 0 至 {MAX_SEED}；输入有效的种子后才能继续运行",
                )
                return
            self.seed = seed
            self.seed_error = None
            self._rebuild(self.arms)

    def set_grid(self, grid: str) -> None:
        """Use map ``grid`` (a preset, ``WxH``, or a prefecture or county by name or
        adcode) for every run and rebuild them; the cards show the whole new map."""
        with self.lock:
            try:
                spec = self._check_grid(grid)
                self._claim(spec)
            except InputError as error:
                self.setup_error = error
                return
            if spec.is_real and grid not in GRID_PRESETS:
                grid = spec.region  # a region by its adcode, however it was named
            self.grid, self._grid_spec, self.setup_error = grid, spec, None
            self.region = self.region_error = None
            self._rebuild(self.arms)

    def set_region(self, adcode: str | None) -> None:
        """Show the cards and charts of region ``adcode`` of the map (``None``: the whole
        map)."""
        with self.lock:
            if adcode is not None and adcode not in {r.adcode for r in self.regions()}:
                self.region_error = InputError(
                    f"region {adcode}: not a region of this map",
                    zh=f"区域 {adcode}：不在本地图内",
                )
                return
            self.region, self.region_error = adcode, None

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
            if not models or self.year >= LAST_YEAR or self.seed_error is not None:
                return False
            self.year += 1
            for model in models.values():
                while model.year < self.year:
                    model.step()
                    if model.regional is not None:
                        model.regional.record()
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

    def close(self) -> None:
        """The session is over: stop its runs and give back its place on the province."""
        self.stop()
        if self.gate is not None:
            self.gate.release(self)

    # --- internals -------------------------------------------------------------------------
    def _claim(self, spec: GridSpec) -> None:
        """Take a place on the heavy maps' gate for ``spec`` (raises :class:`InputError`
        when the server is full), or give it back for a light map."""
        if self.gate is None:
            return
        if server_state.is_heavy(spec):
            self.gate.claim(self)
        else:
            self.gate.release(self)

    def _check_grid(self, grid: str) -> GridSpec:
        spec = parse_grid(grid)
        synthetic = not spec.is_real and grid not in GRID_PRESETS
        if synthetic and spec.width * spec.height > MAX_CUSTOM_CELLS:
            raise InputError(
                f"grid {grid}: the app runs custom maps up to {MAX_CUSTOM_CELLS:,} cells; "
                "use the command line for larger ones (real maps, the province included, "
                "run at any size)",
                zh=f"地图 {grid}：本应用的自定义地图最多 {MAX_CUSTOM_CELLS:,} 个格子；"
                "更大的地图请用命令行（真实地图，包括全省，大小不限）",
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
                by=self.region_level or "prefecture",
            )
            try:
                with reusing(self.landscapes):
                    arm.model, arm.error = simulate(spec, by_region=True), None
            except InputError as error:
                arm.model, arm.error = None, error
