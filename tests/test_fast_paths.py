"""The fast paths of issue 14 compute what the slower code they replace computed."""

from __future__ import annotations

import numpy as np


def test_severity_bounds_count_as_searchsorted_does():
    """The severity classes count bounds by comparisons; that is searchsorted's answer,
    exact bounds, NaN and infinities included."""
    from karstsim.model import severity

    rng = np.random.default_rng(0)
    for bounds in (severity.EXPOSURE_BOUNDS, severity.COVER_BOUNDS):
        edges = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0])
        values = np.concatenate(
            [rng.random(5000) * 1.2 - 0.1, bounds, np.nextafter(bounds, 0), edges]
        )
        expected = np.searchsorted(bounds, values, side="right")
        assert np.array_equal(severity.bounds_at_or_below(bounds, values), expected)


def test_habitat_reach_dilation_is_binary_dilation():
    from scipy import ndimage

    from karstsim.model.corridors import dilate_four

    rng = np.random.default_rng(1)
    for shape in [(1, 1), (1, 9), (6, 5), (40, 30)]:
        for share in (0.02, 0.3, 0.8):
            mask = rng.random(shape) < share
            for steps in range(4):
                expected = ndimage.binary_dilation(mask, iterations=steps) if steps else mask
                assert np.array_equal(dilate_four(mask, steps), expected)


def test_owned_cells_follow_the_owner_layer():
    """Plots can change hands during a run (households relocating leave their plots to the
    collective): the households' owned cells are read from the owner layer each time."""
    from karstsim import KarstModel
    from karstsim.model.layers import LandCover

    model = KarstModel("plan14", rng=3, grid="40x30")
    households, land = model.households, model.landscape
    crops = land["land_cover"] == LandCover.CROPLAND
    before = households._owned(crops)
    land["owner"].flat[before[:5]] = -1
    assert np.array_equal(households._owned(crops), before[5:])


def _random_keys(rng: np.random.Generator, size: int) -> np.ndarray:
    """Uniform draws, small integers (many ties), booleans or draws with NaN."""
    kind = rng.integers(0, 4)
    if kind == 0:
        return rng.random(size)
    if kind == 1:
        return rng.integers(-2, 3, size).astype(float)
    if kind == 2:
        return rng.random(size) < rng.random()
    keys = rng.random(size)
    keys[rng.random(size) < 0.1] = np.nan
    return keys


def test_stable_order_head_is_the_head_of_a_stable_argsort():
    from karstsim.model.streams import stable_order_head

    rng = np.random.default_rng(2)
    for _ in range(1500):
        size = int(rng.integers(1, 300))
        keys = _random_keys(rng, size)
        for n in (0, 1, int(rng.integers(0, size + 2)), size // 10, size):
            assert np.array_equal(stable_order_head(keys, n), np.argsort(keys, kind="stable")[:n])


def test_lexsort_head_is_the_head_of_a_lexsort():
    from karstsim.model.streams import lexsort_head

    rng = np.random.default_rng(3)
    for _ in range(1500):
        size = int(rng.integers(1, 300))
        keys = tuple(_random_keys(rng, size) for _ in range(int(rng.integers(1, 4))))
        for n in (0, 1, int(rng.integers(0, size + 2)), size // 10, size):
            assert np.array_equal(lexsort_head(keys, n), np.lexsort(keys)[:n])


def test_the_step_timer_times_every_sub_model_and_changes_nothing():
    """``benchmarks/profile_run.py --by-step`` wraps the sub-models of a year: each is
    timed, they make up most of the year, and the run's results are the untimed run's."""
    import importlib.util
    from pathlib import Path

    from karstsim import KarstModel
    from karstsim.model import corridors

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "profile_run.py"
    spec = importlib.util.spec_from_file_location("profile_run", path)
    profile_run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(profile_run)

    timed = KarstModel("plan14", rng=3, grid="classroom")
    total, spent = profile_run.time_steps(timed, 2023)
    untimed = KarstModel("plan14", rng=3, grid="classroom")
    untimed.run_to_year(2023)
    assert timed.results().equals(untimed.results())
    processes = {type(p).__name__ for p in timed.processes}
    assert processes | {"households.decide", "corridors.find_patches"} <= set(spent)
    assert all(seconds > 0 for seconds in spent.values())
    assert 0.5 * total < sum(spent.values()) <= total
    assert corridors.find_patches.__module__ == "karstsim.model.corridors"  # put back


CODE_ENUMS = ("LandCover", "Severity", "Treatment", "EcoCrop", "MineStatus")


def test_a_code_layer_compared_with_a_plain_int_stays_in_its_dtype():
    """Why layers are compared with ``int(member)``: numpy makes an IntEnum member a strong
    int64 and casts the whole int8 layer up first; a plain int compares in int8. Should a
    numpy release treat IntEnum members as Python ints, this fails and the ``int()`` can go."""
    from karstsim.model.layers import LandCover

    layer = np.array([0, 3, 7], dtype=np.int8)
    assert np.result_type(layer, LandCover.CROPLAND) == np.int64
    assert np.result_type(layer, int(LandCover.CROPLAND)) == np.int8
    assert np.array_equal(layer == LandCover.CROPLAND, layer == int(LandCover.CROPLAND))


def test_no_layer_is_compared_with_a_bare_code_member():
    """``land["land_cover"] == LandCover.FOREST`` (a layer of the landscape against an
    IntEnum member) casts the layer to int64; the model writes ``int(LandCover.FOREST)``."""
    import ast
    from pathlib import Path

    def is_layer(node: ast.AST) -> bool:  # land[...], landscape[...], land.on_land(land[...])
        while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
            if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") in (
                "land",
                "landscape",
            ):
                return True
            node = node.func if isinstance(node, ast.Call) else node.value
        return False

    def is_member(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and getattr(node.value, "id", "") in CODE_ENUMS

    found = []
    for path in sorted((Path(__file__).parents[1] / "karstsim").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(map(is_member, sides)) and any(map(is_layer, sides)):
                    found.append(f"{path.name}:{node.lineno}")
    assert not found, f"layers compared with a bare IntEnum member: {found}"


def test_the_fused_kernel_probe_is_the_models_soil_carbon_year():
    """``benchmarks/probe_fused_kernel.py`` times SoilCarbon's year as one loop against the
    model's: that comparison means something only while the loop is the model's update, bit
    for bit, on a map where every branch of it is taken (grazed and sown grass, severe
    desertification, built land, protected and unprotected natural wetland)."""
    import importlib.util
    from pathlib import Path

    from karstsim import KarstModel
    from karstsim.model.layers import LandCover, Severity, Treatment

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "probe_fused_kernel.py"
    spec = importlib.util.spec_from_file_location("probe_fused_kernel", path)
    probe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(probe)

    model = KarstModel("plan14", rng=2, grid="classroom")
    model.run_to_year(2023)
    land = model.landscape
    natural, _ = model.soil_carbon._wetland_sites(land)
    grass = land["land_cover"] == int(LandCover.GRASS)
    for branch in (
        grass & land["grazed"],
        grass & (land["treatment_mode"] == int(Treatment.GRASS_PLANTING)),
        land["severity"] >= int(Severity.SEVERE),
        np.isnan(model.soil_carbon.equilibrium(land)),
        natural & land["wetland_protected"],
        natural & ~land["wetland_protected"],
    ):
        assert branch.any()
    (layer, sinks), (fused_layer, fused_sinks) = probe.both_ways(model)
    assert np.array_equal(layer.view(np.int64), fused_layer.view(np.int64))
    assert fused_sinks == sinks
    assert not np.array_equal(layer, land["soil_carbon_tC_ha"])  # the year changed the layer
