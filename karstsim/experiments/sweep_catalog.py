"""What the command line needs to know about sweeps without loading the sweep engine
(pandas, pyarrow, Dask): the shipped designs and the scheduler's environment variable."""

from __future__ import annotations

from importlib import resources

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
"""Environment variable naming a running Dask scheduler to send sweeps to."""


def shipped_names() -> list[str]:
    """Names of the example designs shipped in ``karstsim/designs/``."""
    folder = resources.files("karstsim") / "designs"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )
