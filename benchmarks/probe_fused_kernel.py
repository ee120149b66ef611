"""What a compiled, fused year would gain (a script, not a test): issue 14's evidence.

Every sub-model of a year is numpy over the land cells: each operation is one pass over
all of them, with a temporary array. A compiled kernel (Numba) could fuse a sub-model's
passes into one loop. This probe measures that on one sub-model,
:class:`~karstsim.model.processes.soil_carbon.SoilCarbon`: its cell update (equilibrium,
erosion, wetland burial: 20-odd numpy passes) as one loop, then its sinks as the model
sums them. It reports

- whether the fused loop gives the model's layer bit for bit (it can: the update is
  only ``+ - * /``, ``min``/``max`` and comparisons, which IEEE 754 rounds the same way
  in any loop);
- the sub-model's time both ways at the province (and of its fused part alone: the sinks
  are numpy both ways, since numpy's pairwise sums are what the results hold), and the
  compile time;
- what Numba costs a fresh process (a ``karstsim run``, a sweep's worker) before a kernel
  runs: ``import numba``, and the first call of a kernel already in its disk cache;
- the share of values whose ``exp``, ``pow`` and ``log`` differ in the last bit between
  numpy (its SIMD loops) and the C library, which a compiled kernel calls: kernels that
  need them must take them from numpy, or every seed gives another realisation.

karstsim does not depend on Numba: without it the loop runs as plain Python (used by
``tests/test_fast_paths.py`` to check that it is still the model's update on a small map)
and the timings are skipped.

    pip install numba   # into .venv, for the timings only
    .venv/bin/python benchmarks/probe_fused_kernel.py [--grid province] [--json FILE]
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import subprocess
import sys
import time

import numpy as np

from karstsim.experiments.bench import failure_line

try:
    from numba import njit
except ImportError:  # the plain-Python loop: same arithmetic, for the equality check
    njit = None


def _update(cover, grazed, mode, severity, rock, depth, erosion, natural, protected, soc,
            land, class_factor, constants, out):  # fmt: skip
    """SoilCarbon's new soil organic carbon, tC/ha, cell by cell (``constants``: see
    :func:`soil_carbon_constants`)."""
    (f_grazed, f_improved, f_degraded, reference, scale, tau, burial, unprotected, grass,
     planting, severe, min_cm, max_cm) = constants  # fmt: skip
    for i in range(cover.size):
        code = cover[i]
        factor = class_factor[code]
        if code == grass:
            if grazed[i]:
                factor = f_grazed
            if mode[i] == planting:
                factor = factor * f_improved
        if severity[i] >= severe:
            factor = min(factor, f_degraded)
        factor = factor * reference
        factor = factor * (1.0 - rock[i])
        change = (factor - soc[i]) / tau
        change = change - min(erosion[i] * scale / min(max(depth[i], min_cm), max_cm), 1.0) * soc[i]
        if change != change:  # NaN: built land and water stay as they are
            change = 0.0
        if natural[i]:
            change = burial if protected[i] else burial * unprotected
        out[i] = max(change + soc[i], 0.0) * land[i]
    return out


fused_update = _update if njit is None else njit(_update)


def soil_carbon_constants(params) -> tuple:
    """The update's constants from the model's parameters, in :func:`_update`'s order."""
    from karstsim.model.layers import LandCover, Severity, Treatment
    from karstsim.model.processes.soil_carbon import MIN_SOIL_CM, SOC_DEPTH_CM

    p = params
    scale = p["soc_enrichment_ratio"] / (100.0 * 100.0 * p["soil_bulk_density_t_m3"])
    return (p["soc_factor_grazed"], p["soc_factor_improved_grass"], p["soc_factor_degraded"],
            p["soc_reference_tC_ha"], scale, p["soc_transition_yr"],
            p["wetland_carbon_accumulation_tC_ha_yr"], p["wetland_unprotected_factor"],
            int(LandCover.GRASS), int(Treatment.GRASS_PLANTING), int(Severity.SEVERE),
            float(MIN_SOIL_CM), float(SOC_DEPTH_CM))  # fmt: skip


def fused_run_one_year(process, land) -> None:
    """``process.run_one_year(land, rng)`` with the cell update fused into one loop."""
    natural, sites = process._wetland_sites(land)
    out = np.empty(land.shape)
    fused_update(land["land_cover"], land["grazed"], land["treatment_mode"], land["severity"],
                 land["bedrock_exposure"], land["soil_depth_cm"], land["erosion_t_km2"],
                 natural, land["wetland_protected"], land["soil_carbon_tC_ha"], land.land,
                 process.class_factor, soil_carbon_constants(process.params), out)  # fmt: skip
    land["soil_carbon_tC_ha"] = out
    process._measure_sinks(land, sites)


def both_ways(model) -> tuple[tuple, tuple]:
    """The model's SoilCarbon year and the fused one, each from the model's current state
    on copies: (new soil carbon layer, sinks) of each."""
    results = []
    for step in (lambda p, land: p.run_one_year(land, None), fused_run_one_year):
        process, land = copy.deepcopy(model.soil_carbon), model.landscape.copy()
        step(process, land)
        results.append((land["soil_carbon_tC_ha"], process.sinks_MtCO2))
    return results[0], results[1]


def last_bit_shares(n: int = 200_000, seed: int = 0) -> dict[str, float]:
    """Share of values whose numpy ``exp``/``pow``/``log`` differ from the C library's."""
    x = np.random.default_rng(seed).uniform(-5.0, 5.0, n)
    y = np.abs(x) + 0.01
    return {
        "exp": float(np.mean(np.exp(x) != np.array([math.exp(v) for v in x]))),
        "pow": float(np.mean(y**0.7 != np.array([v**0.7 for v in y]))),
        "log": float(np.mean(np.log(y) != np.array([math.log(v) for v in y]))),
    }


_FRESH = """
import time
import numpy as np
t1 = time.perf_counter()
from numba import njit
t2 = time.perf_counter()
import sys
sys.path.insert(0, {folder!r})
import probe_fused_kernel
update = njit(cache=True)(probe_fused_kernel._update)
n = 1000
flags, codes, values = np.zeros(n, bool), np.zeros(n, np.int8), np.ones(n)
t3 = time.perf_counter()
update(codes, flags, codes, codes, values, values, values, flags, flags, values, ~flags,
       np.ones(12), (1.0,) * 8 + (1, 1, 1) + (1.0, 1.0), np.empty(n))
print(t2 - t1, time.perf_counter() - t3)
"""


def fresh_process_cost() -> dict[str, float]:
    """What Numba costs a fresh process before a kernel runs: its import, and the first
    call of a kernel whose machine code is already in Numba's disk cache (the second
    process of two, so that the first compiled it), s."""
    import tempfile
    from pathlib import Path

    code = _FRESH.format(folder=str(Path(__file__).resolve().parent))
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for _ in range(2):
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env
            )
            if done.returncode:
                raise SystemExit(
                    f"probe_fused_kernel: the fresh Numba process failed: {failure_line(done)}"
                )
    import_s, first_call_s = (float(v) for v in done.stdout.split())
    return {"import_numba_s": import_s, "first_cached_call_s": first_call_s}


def _median_s(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", default="province")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    from karstsim import KarstModel

    model = KarstModel("plan14", rng=args.seed, grid=args.grid)
    model.run_to_year(model.year + 3)
    compile_s = None
    if njit is not None:
        start = time.perf_counter()
        fused_run_one_year(copy.deepcopy(model.soil_carbon), model.landscape.copy())
        compile_s = time.perf_counter() - start  # the first call compiles
    (layer, sinks), (fused_layer, fused_sinks) = both_ways(model)
    report = {
        "grid": args.grid,
        "land_cells": model.landscape.land_cells,
        "bit_identical": bool(np.array_equal(layer, fused_layer) and sinks == fused_sinks),
        "last_bit_differs_numpy_vs_libm": last_bit_shares(),
    }
    if njit is not None:
        process, land = copy.deepcopy(model.soil_carbon), model.landscape.copy()
        report["compile_s"] = compile_s
        report["numpy_ms"] = 1e3 * _median_s(lambda: process.run_one_year(land, None), args.repeat)
        report["fused_ms"] = 1e3 * _median_s(lambda: fused_run_one_year(process, land), args.repeat)
        report["ratio"] = report["numpy_ms"] / report["fused_ms"]
        sites = process._wetland_sites(land)[1]
        report["sinks_ms"] = 1e3 * _median_s(
            lambda: process._measure_sinks(land, sites), args.repeat
        )
        report["update_ratio"] = (report["numpy_ms"] - report["sinks_ms"]) / (
            report["fused_ms"] - report["sinks_ms"]
        )  # the fused part alone; the sinks (sums, gathers) are numpy both ways
        report.update(fresh_process_cost())
    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=1)


if __name__ == "__main__":
    main()
