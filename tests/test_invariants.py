"""Model invariants over many seeds and lever settings, and reproducibility."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from karstsim import KarstModel
from karstsim.model import severity
from karstsim.model.layers import LandCover
from karstsim.model.processes.vegetation import restructured


def check_invariants(model: KarstModel) -> None:
    land = model.landscape
    mask = land.land
    counts = np.bincount(land["land_cover"][mask], minlength=len(LandCover))
    assert counts.sum() == land.land_cells  # land area conserved
    for name in ("vegetation_cover", "bedrock_exposure"):
        assert ((land[name] >= 0) & (land[name] <= 1)).all(), name
    for name, array in land.layers.items():
        if array.dtype.kind == "f":
            assert np.isfinite(array).all(), name
    assert (land["carbon_tC_ha"] >= 0).all()
    assert (land["soil_depth_cm"] >= 0).all()
    assert (land["severity"] <= severity.exposure_class(land["bedrock_exposure"])).all()
    expected = (
        severity.classify(
            land["bedrock_exposure"],
            land["vegetation_cover"],
            land["carbonate"],
            land["land_cover"],
            restructured(land, model.params["eco_economic_establish_years"]),
        )
        * mask
    )
    assert (land["severity"] == expected).all()
    results = model.results()
    assert not results.isna().any().any()
    assert ((results.filter(like="_pct") >= 0) & (results.filter(like="_pct") <= 100)).all().all()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    treatment=st.floats(0, 500_000),
    afforestation=st.floats(0, 500_000),
    pressure=st.floats(0, 1),
    ban=st.booleans(),
)
def test_invariants_hold_for_any_seed_and_levers(seed, treatment, afforestation, pressure, ban):
    model = KarstModel(
        "plan14",
        rng=seed,
        grid="25x20",
        treatment_ha_per_year=treatment,
        afforestation_ha_per_year=afforestation,
        grazing_pressure=pressure,
        grazing_ban_severe=ban,
    )
    check_invariants(model)
    model.run_to_year(2028)
    check_invariants(model)


def test_same_seed_same_results_different_seed_different():
    a = KarstModel("plan14", rng=11, grid="classroom")
    b = KarstModel("plan14", rng=11, grid="classroom")
    c = KarstModel("plan14", rng=12, grid="classroom")
    for m in (a, b, c):
        m.run_to_year(2030)
    pd.testing.assert_frame_equal(a.results(), b.results())
    assert not a.results().equals(c.results())
    assert (a.landscape["land_cover"] == b.landscape["land_cover"]).all()


def test_same_seed_same_results_in_another_process():
    code = (
        "from karstsim import KarstModel; m = KarstModel('plan14', rng=11, grid='classroom'); "
        "m.run_to_year(2030); print(m.results().to_json())"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = KarstModel("plan14", rng=11, grid="classroom")
    here.run_to_year(2030)
    assert other.stdout.strip() == here.results().to_json()


def test_no_treatment_leaves_more_desertified_land_than_the_plan():
    worse = []
    for seed in range(3):
        plan = KarstModel("plan14", rng=seed, grid="county")
        none = KarstModel("no_new_policy", rng=seed, grid="county")
        plan.run_to_year(2030)
        none.run_to_year(2030)
        p, n = plan.results().iloc[-1], none.results().iloc[-1]
        worse.append(n.desertified_km2 > p.desertified_km2)
        assert n.forest_cover_pct < p.forest_cover_pct
    assert all(worse)
