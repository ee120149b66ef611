"""Same seed, same numbers: the yearly results of three runs against stored digests.

Speed work must leave results unchanged to the last bit; this catches a change that does
not. A change of the model that *means* to change results (new processes, parameters,
calibration) updates the digests on purpose:

    .venv/bin/python tests/test_results_digest.py --update

and says so in its commit. The exact digest is of float64 bits, which a different numpy
(its vectorised exp and log) may round differently in the last place; so it is checked
only under the numpy version that wrote it, and a digest of the results rounded to 9
significant digits is checked always.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

DIGESTS = Path(__file__).parent / "data" / "results_digests.json"
RUNS = {
    "plan14/classroom/seed0": dict(scenario="plan14", grid="classroom", seed=0),
    "no_new_policy/60x50/seed3": dict(scenario="no_new_policy", grid="60x50", seed=3),
    # the real province at 1 km: the static geography, the region tables and the coarse
    # noise path of the generator (fields smoother than 8 cells), none of which the small
    # maps reach; five years keep it near a second
    "plan14/province/seed1/2025": dict(scenario="plan14", grid="province", seed=1, end=2025),
}


def digests(scenario: str, grid: str, seed: int, end: int | None = None) -> dict[str, str]:
    """Exact and rounded digests of a run's yearly results (2020→2035, or to ``end``)."""
    from karstsim.experiments.run import RunSpec, simulate

    spec = RunSpec(scenario=scenario, grid=grid, seed=seed, end_year=end)
    results = simulate(spec).results()
    values = results.to_numpy(dtype=np.float64)
    header = ",".join(results.columns).encode()
    rounded = np.array([float(f"{v:.9g}") for v in values.ravel()])
    return {
        "exact": hashlib.sha256(header + values.tobytes()).hexdigest(),
        "rounded": hashlib.sha256(header + rounded.tobytes()).hexdigest(),
    }


def _stored() -> dict:
    return json.loads(DIGESTS.read_text())


@pytest.mark.parametrize("name", list(RUNS))
def test_results_match_the_stored_digest(name):
    stored = _stored()
    got = digests(**RUNS[name])
    hint = "results changed; if meant, run: python tests/test_results_digest.py --update"
    assert got["rounded"] == stored["runs"][name]["rounded"], hint
    if stored["numpy"] == np.__version__:
        assert got["exact"] == stored["runs"][name]["exact"], hint + " (last-bit change)"


if __name__ == "__main__" and "--update" in sys.argv:
    DIGESTS.parent.mkdir(exist_ok=True)
    table = {"numpy": np.__version__, "runs": {k: digests(**v) for k, v in RUNS.items()}}
    DIGESTS.write_text(json.dumps(table, indent=1) + "\n")
    print(f"wrote {DIGESTS}")
