"""Common random numbers: each process and agent kind draws from its own stream, keyed by
name and year, in draws of fixed size, so a lever changes only what it touches."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from karstsim.experiments.run import run
from karstsim.model.karst_model import KarstModel
from karstsim.model.streams import RandomStreams, smallest

MINE_OUTPUTS = ["mines_active", "green_mine_share", "mine_restored_ha_cum", "mine_area_ha"]


def test_streams_are_keyed_by_name_and_year_not_by_order():
    a, b = RandomStreams(np.random.default_rng(5)), RandomStreams(np.random.default_rng(5))
    first = a.uniform("fire", 2021, 4)
    b.uniform("a new process", 2021, 1000)  # drawing elsewhere shifts nothing
    assert np.array_equal(b.uniform("fire", 2021, 4), first)
    assert not np.array_equal(a.uniform("fire", 2022, 4), first)
    assert not np.array_equal(a.uniform("households", 2021, 4), first)
    other_seed = RandomStreams(np.random.default_rng(6)).uniform("fire", 2021, 4)
    assert not np.array_equal(other_seed, first)


def test_streams_made_ahead_are_the_streams_made_on_demand():
    """The streams a year makes ahead (the names of the year before) are handed out once
    each and equal ones made alone, whatever the order, repeats and years skipped; those
    not asked for are dropped when the next year begins."""
    ahead = RandomStreams(np.random.default_rng(7))

    def alone(name: str, year: int) -> np.ndarray:
        return RandomStreams(np.random.default_rng(7)).generator(name, year).random(5)

    asks = [
        ("fire", 2021),
        ("households", 2021),
        ("fire", 2021),
        ("fire", 2022),
        ("mines", 2022),
        ("households", 2022),
        ("households", 2022),
        ("fire", 2024),
        ("households", 2024),
        ("new", 2024),
        ("fire", 2023),
    ]
    for name, year in asks:
        assert np.array_equal(ahead.generator(name, year).random(5), alone(name, year))
    assert sorted(ahead._made) == ["households", "new"]  # made for 2023, not yet asked for
    ahead.generator("fire", 2025)
    assert sorted(ahead._made) == []  # a new year drops them (2023 asked for "fire" only)


def test_per_index_draws_are_prefix_stable_as_agents_are_added():
    """New mines take the next indices; the old ones keep their numbers."""
    streams = RandomStreams(np.random.default_rng(1))
    assert np.array_equal(
        streams.uniform("mines/closure", 2023, 10)[:7], streams.uniform("mines/closure", 2023, 7)
    )


def test_smallest_picks_nested_sets():
    keys = np.random.default_rng(0).random(50)
    candidates = np.arange(0, 50, 2)
    assert set(smallest(candidates, 3, keys)) < set(smallest(candidates, 4, keys))
    assert smallest(candidates, 0, keys).size == 0


@pytest.mark.parametrize(
    "lever",
    [{"grazing_pressure": 0.6}, {"treatment_ha_per_year": 90_000}, {"fire_ignition_prob": 0.002}],
)
def test_land_levers_leave_the_mines_bit_identical(lever):
    """Mines' status changes use only their own streams and do not read the land, so
    levers of land use cannot move them (with one shared stream they did)."""
    base = run({}, 3, scenario="plan14", grid="60x60", end_year=2026)
    changed = run(lever, 3, scenario="plan14", grid="60x60", end_year=2026)
    pd.testing.assert_frame_equal(base[MINE_OUTPUTS], changed[MINE_OUTPUTS])


def test_a_higher_ignition_chance_burns_the_same_cells_and_more():
    low = KarstModel("plan14", rng=4, grid="60x60", fire_ignition_prob=0.002)
    high = KarstModel("plan14", rng=4, grid="60x60", fire_ignition_prob=0.004)
    low.step()
    high.step()
    assert low.fire.ignited.size > 0
    assert set(low.fire.ignited) < set(high.fire.ignited)


def test_more_treatment_treats_the_same_cells_and_more_in_the_first_year():
    low = KarstModel("plan14", rng=4, grid="60x60")
    high = KarstModel("plan14", rng=4, grid="60x60", treatment_ha_per_year=140_000)
    before = low.landscape["treatment_mode"].copy()
    low.step()
    high.step()
    started_low = (low.landscape["treatment_mode"] != before) & (before == 0)
    started_high = (high.landscape["treatment_mode"] != before) & (before == 0)
    assert started_low.sum() > 0
    assert (started_high[started_low]).mean() > 0.9  # nearly all kept (modes may differ)


def test_a_small_lever_change_moves_outputs_far_less_than_a_seed_change():
    """+1 % of treatment on a 60×60 grid, desertified area 2027, five seeds. Measured when
    written: mean |lever effect| 1.4 km² against a seed sd of 9.1 km² (one shared stream
    before: 2.4 km² against 8.1 km²)."""
    base, lever = [], []
    # without the red line and the herds of issue 13: with them, treatment that closes a
    # cell moves real pressure elsewhere (a treated red-line cropland cell hands its
    # Grain-for-Green place to another; grass closed to the herds is grazed harder next
    # door), a real one-cell effect of either sign; nor the featured crops (issue 13, item 6),
    # which are planted on land no treatment holds, so a cell the extra treatment takes sends
    # its oil-tea or rosa roxburghii to another cell
    no_zones = {
        "red_line_share": 0.0,
        "protected_area_share": 0.0,
        "livestock_herds": False,
        "oil_tea_ha_per_year": 0.0,
        "rosa_ha_per_year": 0.0,
    }
    for seed in range(1, 6):
        base.append(run(no_zones, seed, scenario="plan14", grid="60x60", end_year=2027))
        lever.append(
            run({**no_zones, "treatment_ha_per_year": 71_000 * 1.01}, seed, scenario="plan14",
                grid="60x60", end_year=2027)
        )  # fmt: skip
    b = np.array([t["desertified_km2"].iloc[-1] for t in base])
    v = np.array([t["desertified_km2"].iloc[-1] for t in lever])
    assert np.abs(v - b).mean() <= 0.2 * b.std(ddof=1)
    # and more treatment means no more desert on average; a seed may go the other way by at
    # most a cell (treated land closed to grazing moves the herds to other cells)
    assert (v - b).mean() <= 0.0
    assert (v - b).max() <= 1.0
