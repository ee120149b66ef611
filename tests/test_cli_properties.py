"""Property tests of the whole command line: generated command lines, scenario files, sweep
designs and landscape folders, valid and broken, keep the one promise: exit 0 with
complete results, or one line of error and a non-zero exit, never a traceback.

Tiny maps, short years and few examples keep them fast; the CLI's ``main`` runs in-process
(an uncaught exception fails the test: that is the traceback a user would see).
"""

from __future__ import annotations

import contextlib
import io
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from karstsim.experiments.atomic_output import MARKER
from karstsim.experiments.cli import main
from karstsim.model.parameters import PARAMETERS

FAST = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
RUN_OUTPUTS = ("timeseries.csv", "summary.json", "dashboard.png", "maps", MARKER)


def call(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` with its exit status, stdout and stderr; argparse's exits included."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_info:
            code = exit_info.code if isinstance(exit_info.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_promise(code: int, err: str, out: Path | None = None, outputs=RUN_OUTPUTS) -> None:
    """Success with complete results in ``out``, or one line of error and nothing written."""
    assert "Traceback" not in err, err
    if code == 0:
        if out is not None:
            assert all((out / name).exists() for name in outputs), sorted(out.iterdir())
        return
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "error" in lines[0], err
    assert out is None or not out.exists(), sorted(out.iterdir())


def fresh_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="karstsim-prop-"))


# --- values --------------------------------------------------------------------------------
weird_numbers = st.sampled_from(["nan", "inf", "-inf", "1e308", "-1", "0", "1e-320", "", "x"])
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**12), 10**12).map(str),
    weird_numbers,
)
parameter_names = st.one_of(st.sampled_from(sorted(PARAMETERS)), st.text(min_size=0, max_size=8))
assignment = st.tuples(parameter_names, numbers).map(lambda pair: f"{pair[0]}={pair[1]}")
grids = st.sampled_from(
    ["8x8", "6x5", "5x9", "3x3", "0x0", "8x", "x8", "-8x8", "8x8x8", "abc", "", "99999x99999"]
)
years = st.sampled_from(
    ["2020:2021", "2020:2020", "2021", ":2021", "2021:2020", "2020:9999", "x", "2016:2017", ""]
)
seeds = st.sampled_from(["0", "3", "-1", "x", "99999999999999999999", "1.5"])


@FAST
@example(
    grid="8x8",
    year_range="2020:2021",
    seed="3",
    assignments=["grazing_pressure=0.5"],
    scenario="plan14",
)
@given(
    grid=grids,
    year_range=years,
    seed=seeds,
    assignments=st.lists(assignment, max_size=2),
    scenario=st.sampled_from(["plan14", "no_new_policy", "nope", "missing.toml"]),
)
def test_run_command_lines(grid, year_range, seed, assignments, scenario):
    out = fresh_folder() / "out"
    argv = ["run", "--grid", grid, "--years", year_range, "--seed", seed]
    argv += ["--scenario", scenario, "--out", str(out)]
    for item in assignments:
        argv += ["--set", item]
    code, _, err = call(argv)
    assert_promise(code, err, out)


toml_values = st.one_of(
    st.integers(-(10**6), 10**20).map(str),
    st.sampled_from(["nan", "inf", "-inf", "0.5", "true", '"text"', "[1, 2]", "{}", "2020"]),
)


@st.composite
def scenario_files(draw) -> str:
    """Scenario TOML: plausible, wrong types, NaN and infinities, unknown keys, or junk."""
    kind = draw(st.sampled_from(["tables", "empty", "junk"]))
    if kind == "empty":
        return ""
    if kind == "junk":
        return draw(st.text(max_size=40))
    lines = [f"[{draw(st.sampled_from(['scenario', 'parameters', 'other']))}]"]
    head = draw(st.dictionaries(st.sampled_from(["name", "start_year", "end_year"]), toml_values))
    lines += ["[scenario]", *(f"{key} = {value}" for key, value in head.items())]
    values = draw(st.dictionaries(parameter_names.filter(str.isidentifier), toml_values))
    lines += ["[parameters]", *(f"{key} = {value}" for key, value in values.items())]
    return "\n".join(lines[1:] if lines[0] == "[scenario]" else lines) + "\n"


@FAST
@example(text="[scenario]\nend_year = 2021\n[parameters]\ngrazing_pressure = 0.3\n")
@given(text=scenario_files())
def test_scenario_files(text):
    folder = fresh_folder()
    path = folder / "mine.toml"
    path.write_text(text, "utf-8")
    out = folder / "out"
    code, _, err = call(
        ["run", "--scenario", str(path), "--grid", "6x6", "--years", "2020:2021", "--out", str(out)]
    )
    assert_promise(code, err, out)


LAYER_RANGES = {
    "land_cover": (1, 7),
    "elevation_m": (300, 2000),
    "slope_deg": (0, 40),
    "carbonate": (0, 1),
    "soil_depth_cm": (5, 80),
    "bedrock_exposure": (0, 0.5),
    "village": (0, 1),
}


def good_layers(seed: int, shape: tuple[int, int] = (6, 7)) -> dict[str, np.ndarray | bytes]:
    """Every required layer, with values in range."""
    rng = np.random.default_rng(seed)
    layers: dict[str, np.ndarray | bytes] = {}
    for name, (low, high) in LAYER_RANGES.items():
        values = rng.uniform(low, high, shape)
        layers[name] = np.round(values) if name in ("land_cover", "village") else values
    return layers


@st.composite
def landscape_folders(draw) -> dict[str, np.ndarray | bytes]:
    """Layer files: good ones, with some broken (NaN, infinities, wrong shapes or dtypes,
    empty files) or missing."""
    shape = (6, 7)
    layers = good_layers(draw(st.integers(0, 1000)), shape)
    broken = draw(st.lists(st.sampled_from(sorted(LAYER_RANGES)), max_size=2, unique=True))
    for name in broken:
        damage = draw(st.sampled_from(["nan", "inf", "shape", "1d", "text", "empty", "missing"]))
        array = layers[name]
        assert isinstance(array, np.ndarray)
        if damage in ("nan", "inf"):
            array = array.copy()
            array[0, 0] = math.nan if damage == "nan" else math.inf
            layers[name] = array
        elif damage == "shape":
            layers[name] = array[:-1]
        elif damage == "1d":
            layers[name] = array.ravel()
        elif damage == "text":
            layers[name] = np.full(shape, "x")
        elif damage == "empty":
            layers[name] = b""
        else:
            del layers[name]
    return layers


@FAST
@example(layers=good_layers(0))
@given(layers=landscape_folders())
def test_landscape_folders(layers):
    folder = fresh_folder()
    for name, data in layers.items():
        if isinstance(data, bytes):
            (folder / "layers").mkdir(exist_ok=True)
            (folder / "layers" / f"{name}.npy").write_bytes(data)
        else:
            (folder / "layers").mkdir(exist_ok=True)
            np.save(folder / "layers" / f"{name}.npy", data)
    out = folder / "out"
    argv = ["run", "--landscape", str(folder / "layers"), "--years", "2020:2021", "--out", str(out)]
    code, _, err = call(argv)
    assert_promise(code, err, out)


@st.composite
def designs(draw) -> str:
    """Sweep designs: mostly small and plausible, with wrong types, huge sizes, unknown keys
    and unknown or badly ranged parameters among them."""
    sweep = {
        "grid": draw(st.sampled_from(['"6x6"', '"3x3"', "8", '"nope"'])),
        "years": draw(st.sampled_from(['"2020:2021"', '"2021:2020"', "2020", '"x"'])),
        "sampler": draw(
            st.sampled_from(['"latin_hypercube"', '"morris"', '"sobol"', '"full_factorial"', "1"])
        ),
        "samples": draw(st.sampled_from(["1", "2", "0", "-3", "nan", "1e9", "4294967296", '"2"'])),
        "replicates": draw(st.sampled_from(["1", "0", "inf", "1000000000000"])),
        "seed": draw(st.sampled_from(["1", "-1", "2.5"])),
        "keep": draw(st.sampled_from(['"final"', '"both"', '"sometimes"'])),
    }
    extra = draw(st.sampled_from(["", 'colour = "red"']))
    ranges = draw(
        st.sampled_from(
            [
                "{ range = [0, 300000] }",
                "{ range = [nan, 1] }",
                "{ range = [0, inf] }",
                "{ range = [5, 1] }",
                '{ range = "wide" }',
                "{ levels = [] }",
                "{ steps = 2 }",
                "{}",
            ]
        )
    )
    name = draw(st.sampled_from(["treatment_ha_per_year", "grazing_presure"]))
    lines = ["[sweep]", *(f"{k} = {v}" for k, v in sweep.items()), extra, "[parameters]"]
    return "\n".join([*lines, f"{name} = {ranges}"]) + "\n"


VALID_DESIGN = """[sweep]
grid = "6x6"
years = "2020:2021"
sampler = "latin_hypercube"
samples = 2
replicates = 1
seed = 1
[parameters]
treatment_ha_per_year = { range = [0, 300000] }
"""


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@example(text=VALID_DESIGN)
@example(text=VALID_DESIGN.replace("samples = 2", "samples = 4294967296"))
@given(text=designs())
def test_sweep_designs(text, thread_cluster):
    folder = fresh_folder()
    (folder / "design.toml").write_text(text, "utf-8")
    out = folder / "out"
    argv = ["sweep", str(folder / "design.toml"), "--out", str(out), "--scheduler", thread_cluster]
    code, _, err = call(argv)
    assert "Traceback" not in err, err
    if code == 0:
        assert (out / "results.parquet").exists() and (out / "design.parquet").exists()
    else:
        # the sweep's own notes (e.g. of damaged chunks) start with "karstsim sweep: "
        errors = [line for line in err.splitlines() if "error" in line]
        assert len(errors) == 1, err


@FAST
@given(
    outputs=st.text(max_size=20),
    folder=st.sampled_from(["missing", "empty", "file"]),
)
def test_sensitivity_and_status_of_folders_that_hold_no_sweep(outputs, folder):
    base = fresh_folder()
    target = base / "x"
    if folder == "empty":
        target.mkdir()
    elif folder == "file":
        target.write_text("not a sweep")
    for argv in (["sensitivity", str(target), "--outputs", outputs], ["sweep-status", str(target)]):
        code, _, err = call(argv)
        assert code != 0
        assert_promise(code, err)


@pytest.mark.parametrize("out", ["/proc/karstsim-out", "FILE/sub"])
def test_an_unwritable_output_path_is_one_line(out, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = out.replace("FILE", str(blocker))
    code, _, err = call(["run", "--grid", "6x6", "--years", "2020:2021", "--out", target])
    assert code == 2 and target in err
    assert_promise(code, err)


def test_a_fresh_process_shows_one_line_and_no_traceback():
    done = subprocess.run(
        [sys.executable, "-m", "karstsim", "run", "--grid", "3x3", "--set", "grazing_pressure=nan"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
