"""Start landscapes reused across runs (karstsim.model.landscape_cache): a run from a reused
landscape must equal the same run from a freshly generated one, and only a run that would
generate the same landscape may reuse it."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from karstsim.experiments import compare as compare_module
from karstsim.experiments import sweep_worker
from karstsim.experiments.ensemble import run_seeds
from karstsim.experiments.run import RunSpec, run, simulate
from karstsim.experiments.sweep_worker import (
    WORKER_LANDSCAPES,
    RunSettings,
    landscapes_mb,
    run_chunk,
)
from karstsim.model import generator, landscape_cache, parameters, scenario
from karstsim.model.grid import parse_grid
from karstsim.model.initial_states import start_state
from karstsim.model.landscape_cache import LandscapeCache, ReadRecorder, reusing, stream_state
from karstsim.viz.controller import Controller

GRID = "classroom"
END = 2023
LEVER = {"treatment_ha_per_year": 120_000.0, "gfg_payment_yuan_mu": 1800.0}
"""Levers of the schedule: the generator never reads them."""
BUILD = {"carbonate_share": 0.5}
"""A parameter the generator reads."""


def _run(params: dict, seed: int = 3) -> pd.DataFrame:
    return run(params, seed, scenario="plan14", grid=GRID, end_year=END)


def test_the_levers_are_not_read_by_the_generator_and_the_build_parameter_is():
    params = ReadRecorder(parameters.resolve())
    generator.generate(parse_grid(GRID), start_state(2020), params, np.random.default_rng(0))
    assert not set(LEVER) & params.read
    assert set(BUILD) <= params.read


def test_runs_from_a_reused_landscape_equal_fresh_runs():
    fresh = {"base": _run({}), "lever": _run(LEVER), "build": _run(BUILD)}
    cache = LandscapeCache()
    with reusing(cache):
        reused = {"base": _run({}), "lever": _run(LEVER), "build": _run(BUILD)}
        again = _run({})  # after two runs changed their copies in place
    for name, table in reused.items():
        pd.testing.assert_frame_equal(table, fresh[name])
    pd.testing.assert_frame_equal(again, fresh["base"])
    # the lever run and the last run reuse the base run's map; the build run cannot
    assert (cache.hits, cache.misses, len(cache)) == (2, 2, 2)
    assert not fresh["lever"].equals(fresh["base"])  # the lever does change the run


def test_another_seed_or_start_year_or_map_is_another_landscape():
    cache = LandscapeCache()
    with reusing(cache):
        _run({}, seed=3)
        _run({}, seed=4)
        run({}, 3, scenario="plan14", grid="12x10", end_year=2021)
        run({}, 3, scenario="hindcast13", grid=GRID, end_year=2017)
    assert (cache.hits, cache.misses) == (0, 4)


def test_without_an_open_cache_nothing_is_kept():
    cache = LandscapeCache()
    _run({})
    with reusing(cache):
        pass
    _run({})
    assert (cache.hits, cache.misses, len(cache)) == (0, 0, 0)
    assert landscape_cache._ACTIVE.get() is None


def test_a_handed_out_copy_is_the_generated_landscape_and_independent_of_the_kept_one():
    params = parameters.resolve(scenario.load("plan14").parameters)
    grid, start = parse_grid(GRID), start_state(2020)
    generated = generator.generate(grid, start, params, np.random.default_rng(9))
    cache = LandscapeCache()
    first = cache.generate(grid, start, params, np.random.default_rng(9))
    first["land_cover"][:] = 0  # a run's changes stay in its own copy
    second = cache.generate(grid, start, params, np.random.default_rng(9))
    assert cache.hits == 1
    assert second.layers.keys() == generated.layers.keys()
    for name, layer in generated.layers.items():
        np.testing.assert_array_equal(second[name], layer, err_msg=name)
        assert layer.dtype == second[name].dtype
    # static layers are shared and read-only; dynamic ones are each copy's own
    assert np.shares_memory(first["elevation_m"], second["elevation_m"])
    assert not np.shares_memory(first["land_cover"], second["land_cover"])
    with pytest.raises(ValueError, match="read-only"):
        second["elevation_m"][0] = 0.0


def test_the_memory_bound_keeps_the_most_recently_used():
    params = parameters.resolve()
    grid, start = parse_grid("10x10"), start_state(2020)
    one = LandscapeCache()
    one.generate(grid, start, params, np.random.default_rng(0))
    size_mb = one.nbytes / 2**20
    cache = LandscapeCache(max_mb=2.5 * size_mb)  # room for two
    for seed in (0, 1, 0, 2, 0, 1):
        cache.generate(grid, start, params, np.random.default_rng(seed))
    # 0 miss, 1 miss, 0 hit, 2 miss (drops 1), 0 hit, 1 miss (drops 2)
    assert (cache.hits, cache.misses, len(cache)) == (2, 4, 2)
    none = LandscapeCache(max_mb=0)
    for _ in range(2):
        none.generate(grid, start, params, np.random.default_rng(0))
    assert (none.hits, none.misses, len(none)) == (0, 2, 0)
    with pytest.raises(ValueError, match="max_mb"):
        LandscapeCache(max_mb=-1)


def test_values_are_compared_with_their_type():
    params = parameters.resolve()
    grid, start = parse_grid("10x10"), start_state(2020)
    cache = LandscapeCache()
    cache.generate(grid, start, params, np.random.default_rng(0))
    changed = {**params, "carbonate_share": params["carbonate_share"] + 1e-9}
    cache.generate(grid, start, changed, np.random.default_rng(0))
    assert (cache.hits, cache.misses) == (0, 2)


def test_the_recorder_counts_iteration_as_reading_everything():
    recorder = ReadRecorder({"a": 1, "b": 2.0})
    assert recorder["a"] == 1
    assert recorder.values_read() == (("a", 1),)
    dict(recorder)
    assert recorder.values_read() == (("a", 1), ("b", 2.0))


def test_a_name_asked_for_and_missing_is_part_of_the_key(monkeypatch):
    """A generator that asks ``params.get(name, default)`` reads the default when the name
    is missing: a later request that has the name must not reuse its landscape."""
    recorder = ReadRecorder({"a": 1})
    assert recorder.get("extra", 5) == 5 and "other" not in recorder
    missing = landscape_cache.MISSING
    assert recorder.values_read() == (("extra", missing), ("other", missing))
    original = generator.generate

    def generate(grid, start, params, rng):
        landscape = original(grid, start, params, rng)
        landscape.year += params.get("extra", 0)
        return landscape

    monkeypatch.setattr(landscape_cache.generator, "generate", generate)
    params = parameters.resolve()
    grid, start = parse_grid("10x10"), start_state(2020)
    cache = LandscapeCache()
    plain = cache.generate(grid, start, params, np.random.default_rng(0))
    extra = cache.generate(grid, start, {**params, "extra": 3}, np.random.default_rng(0))
    again = cache.generate(grid, start, params, np.random.default_rng(0))
    assert (cache.hits, cache.misses) == (1, 2)
    assert (plain.year, extra.year, again.year) == (2020, 2023, 2020)


def test_the_stream_state_tells_a_used_stream_and_a_child_apart():
    rng = np.random.default_rng(5)
    assert stream_state(rng) == stream_state(np.random.default_rng(5))
    assert stream_state(rng) != stream_state(np.random.default_rng(6))
    fresh = stream_state(rng)
    rng.spawn(1)  # the bit state is the same, the next children are not
    assert stream_state(rng) != fresh
    used = stream_state(rng)
    rng.random()
    assert stream_state(rng) != used


def test_a_sweep_worker_reuses_the_landscape_of_its_earlier_runs():
    settings = RunSettings(
        scenario.load("plan14"), GRID, 2020, END, keep_final=True, keep_yearly=False
    )
    WORKER_LANDSCAPES.clear()
    hits = WORKER_LANDSCAPES.hits
    result = run_chunk([(0, 3, {}), (1, 3, LEVER), (2, 4, LEVER)], settings)
    assert WORKER_LANDSCAPES.hits == hits + 1
    assert list(result.runs["status"]) == ["ok"] * 3
    final = _run(LEVER).iloc[-1]
    row = result.runs.set_index("run_id").loc[1, final.index]
    pd.testing.assert_series_equal(row, final, check_names=False, check_dtype=False)
    WORKER_LANDSCAPES.clear()


def test_the_app_rebuilds_a_moved_lever_from_the_sessions_landscape():
    controller = Controller(grid=GRID)
    controller.advance_to(2022, threading.Event())
    controller.set_value("A", "treatment_ha_per_year", 120_000.0)
    assert controller.landscapes.hits >= 1
    spec = RunSpec(
        scenario="plan14",
        overrides=controller.arms["A"].overrides(),
        grid=GRID,
        end_year=2022,
        seed=controller.seed,
    )
    pd.testing.assert_frame_equal(controller.models()["A"].results(), simulate(spec).results())


def _count_caches(monkeypatch, owner) -> list[LandscapeCache]:
    """The caches ``owner`` (a module) opens from now on, collected as they are made."""
    caches: list[LandscapeCache] = []

    class Counted(LandscapeCache):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            caches.append(self)

    monkeypatch.setattr(owner, "LandscapeCache", Counted)
    return caches


def test_compare_gives_what_each_scenario_gives_alone(monkeypatch):
    caches = _count_caches(monkeypatch, compare_module)
    both = compare_module.compare("plan14", "record", [0, 1], GRID, end_year=END)
    for name, table in both.items():
        pd.testing.assert_frame_equal(table, run_seeds(name, [0, 1], grid=GRID, end_year=END))
    # plan14's two seeds generate; the record changes levers only and reuses them
    assert (caches[0].hits, caches[0].misses) == (2, 2)


def test_resizing_drops_the_least_recently_used_at_once():
    params = parameters.resolve()
    grid, start = parse_grid("10x10"), start_state(2020)
    cache = LandscapeCache()
    for seed in (0, 1, 2):
        cache.generate(grid, start, params, np.random.default_rng(seed))
    cache.generate(grid, start, params, np.random.default_rng(0))  # 0 is now the newest
    cache.resize(1.5 * cache.nbytes / 3 / 2**20)
    assert len(cache) == 1
    cache.generate(grid, start, params, np.random.default_rng(0))
    assert cache.hits == 2


def test_a_workers_landscapes_take_a_quarter_of_its_memory_limit_at_most():
    assert landscapes_mb(None) == landscapes_mb(0) == landscape_cache.DEFAULT_MAX_MB
    assert landscapes_mb(2 * 2**30) == 512.0
    assert landscapes_mb(64 * 2**30) == landscape_cache.DEFAULT_MAX_MB


def test_a_dask_worker_knows_its_memory_limit():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=False,
            memory_limit="300MB",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        assert client.submit(sweep_worker._dask_memory_limit).result() == 300e6
    assert sweep_worker._dask_memory_limit() is None  # this process is no worker


def test_compare_over_the_posterior_starts_b_from_as_landscapes(tmp_path, monkeypatch):
    from karstsim.experiments import forecast
    from karstsim.experiments.cli import main
    from karstsim.model import landscape_cache as module

    caches = _count_caches(monkeypatch, module)
    posterior = forecast.read_posterior(None).head(2).assign(weight=1.0)  # the rows, in order
    posterior.to_csv(tmp_path / "posterior.csv", index=False)
    argv = ["compare", "plan14", "record", "--grid", GRID, "--seeds", "2", "--end",
            str(END), "--posterior", str(tmp_path / "posterior.csv"), "--out",
            str(tmp_path / "cmp")]  # fmt: skip
    assert main(argv) == 0
    assert (caches[0].hits, caches[0].misses) == (4, 4)
    for name in ("plan14", "record"):
        written = pd.read_csv(tmp_path / "cmp" / f"{name}_runs.csv")
        fresh = forecast.run_ensemble(name, posterior, 2, GRID, END)
        pd.testing.assert_frame_equal(written, fresh, check_dtype=False, rtol=1e-12)


@pytest.mark.parametrize("name", scenario.shipped_names())
def test_every_shipped_scenario_runs_from_a_reused_landscape_as_from_a_fresh_one(name):
    """No process writes a static layer (a reused landscape shares them read-only) and
    every scenario's run equals its fresh run."""
    end = scenario.load(name).start_year + 3
    fresh = run({}, 5, scenario=name, grid=GRID, end_year=end)
    cache = LandscapeCache()
    with reusing(cache):
        run(LEVER, 5, scenario=name, grid=GRID, end_year=end)
        reused = run({}, 5, scenario=name, grid=GRID, end_year=end)
    assert cache.hits == 1
    pd.testing.assert_frame_equal(reused, fresh)
