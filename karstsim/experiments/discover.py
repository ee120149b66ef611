"""Scenario discovery: the boxes of uncertain parameters where a target fails, by PRIM.

``karstsim discover SWEEP --target "forest_cover_pct@2025 < 64"`` marks every run of a
finished sweep whose output meets the condition (here: the 64 % goal missed) and lets PRIM
(the Patient Rule Induction Method, Friedman & Fisher 1999, as used for scenario discovery
by Bryant & Lempert 2010) peel the space of the sweep's varied parameters down to a box
where those runs concentrate. Each step of the peeling trajectory trades coverage (the share
of all marked runs inside the box) for density (the share of the box's runs that are
marked); the box reported is the one of highest coverage whose density reaches
``min_density`` (or, if none does, the densest).

PRIM is EMA Workbench's (``ema_workbench.analysis.prim``): the implementation maintained by
the authors of the method's use in exploratory modelling, with peeling, pasting and
categorical inputs (a design's ``policy``), and the one researchers in this field cite.
"""

from __future__ import annotations

import json
import operator
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments.sweep_store import SweepStore
from karstsim.model.parameters import InputError

OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}
_TARGET = re.compile(
    r"^\s*(?P<column>[A-Za-z_][A-Za-z0-9_]*)(?:@(?P<year>\d{4}))?\s*"
    r"(?P<op><=|>=|<|>)\s*(?P<q>q)?(?P<threshold>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$"
)


class DiscoverError(InputError):
    """A target or sweep that scenario discovery cannot use; the message says why."""


@dataclass(frozen=True)
class Target:
    """A condition on one output in one year: the runs PRIM looks for."""

    column: str
    year: int | None
    op: str
    threshold: float
    quantile: bool = False
    """Whether ``threshold`` is a quantile of the runs' values (``q0.25``: their lowest
    quarter lies below it) rather than a value."""

    @property
    def label(self) -> str:
        """``forest_cover_pct@2025 < 64`` or ``forest_cover_pct@2025 < q0.25``."""
        at = f"@{self.year}" if self.year is not None else ""
        return f"{self.column}{at} {self.op} {'q' if self.quantile else ''}{self.threshold:g}"

    def holds(self, values: np.ndarray) -> np.ndarray:
        """Whether each value meets the condition."""
        threshold = np.quantile(values, self.threshold) if self.quantile else self.threshold
        return np.asarray(OPERATORS[self.op](values, threshold), dtype=bool)


def parse_target(text: str) -> Target:
    """``"OUTPUT@YEAR < NUMBER"`` (or ``<=``, ``>``, ``>=``; no ``@YEAR``: the last year);
    ``qNUMBER`` instead of a number is a quantile of the runs' values (0 < q < 1)."""
    match = _TARGET.match(text)
    if not match:
        raise DiscoverError(
            f"--target {text!r}: expected OUTPUT@YEAR OP NUMBER (or OP qQUANTILE) with OP one "
            'of <, <=, >, >=, e.g. "forest_cover_pct@2025 < 64" or "forest_cover_pct@2025 < q0.25"'
        )
    year, threshold, quantile = match["year"], float(match["threshold"]), bool(match["q"])
    if quantile and not 0 < threshold < 1:
        raise DiscoverError(f"--target {text!r}: a quantile is between 0 and 1, e.g. q0.25")
    return Target(match["column"], int(year) if year else None, match["op"], threshold, quantile)


@dataclass
class Discovery:
    """What PRIM found: the cases, the peeling trajectory and the chosen box."""

    target: Target
    year: int
    cases: int
    marked: int
    dropped: int
    trajectory: pd.DataFrame
    chosen: int
    limits: pd.DataFrame
    """One row per restricted input: ``input``, ``low``, ``high``, ``full_low``,
    ``full_high`` (categorical inputs: the kept ``levels``)."""
    note: str = ""
    """What a quantile target came to (its value), for the summary."""

    @property
    def coverage(self) -> float:
        return float(self.trajectory.loc[self.chosen, "coverage"])

    @property
    def density(self) -> float:
        return float(self.trajectory.loc[self.chosen, "density"])


def cases(
    folder: Path, target: Target, policy: str | None = None
) -> tuple[pd.DataFrame, np.ndarray, int, int]:
    """The sweep's varied inputs (one row per successful run), each run's value of the
    target's output, the year used and the number of runs dropped (failed, or no value)."""
    from karstsim.experiments import ensemble_data

    store = SweepStore(folder)
    manifest = store.read_manifest()
    if manifest.get("state") != "complete":
        raise DiscoverError(
            f"{folder}: the sweep is not complete ({manifest.get('state')}); finish it with "
            "'karstsim sweep DESIGN --out DIR --resume'"
        )
    spec = manifest["design"]
    start, end = spec["years"]
    year = end if target.year is None else target.year
    if not start <= year <= end:
        raise DiscoverError(
            f"--target {target.label}: the sweep ran {start}–{end}; pick a year in it"
        )
    dataset = ensemble_data.open_or_build(store)
    if target.column not in dataset.data_vars or dataset[target.column].dims != ("run", "year"):
        shown = ", ".join(
            sorted(str(v) for v in dataset.data_vars if dataset[v].dims == ("run", "year"))
        )
        raise DiscoverError(
            f"--target {target.label}: no output {target.column!r}; available: {shown}"
        )
    if year not in dataset["year"].values:
        raise DiscoverError(
            f"--target {target.label}: the sweep kept no values for {year}; use "
            f'{target.column}@{end}, or rerun it with keep = "both"'
        )
    values = dataset[target.column].sel(year=year).to_numpy()
    inputs = [f["name"] for f in spec["factors"]]
    table = pd.DataFrame({name: dataset[name].to_numpy() for name in inputs})
    if spec.get("policies"):
        table["policy"] = pd.Categorical(dataset["policy"].to_numpy().astype(str))
        if policy is not None:
            names = [p["name"] for p in spec["policies"]]
            if policy not in names:
                raise DiscoverError(
                    f"--policy {policy!r}: not a policy of this sweep; its policies: {', '.join(names)}"
                )
            keep = (table["policy"] == policy).to_numpy()
            table, values = table[keep].drop(columns="policy"), values[keep]
    elif policy is not None:
        raise DiscoverError(f"--policy {policy!r}: this sweep has no policies")
    finite = np.isfinite(values)
    table = table[finite].reset_index(drop=True)
    for name in table.columns:
        if table[name].dtype == bool:
            table[name] = table[name].astype(int)
    return table, values[finite], year, int((~finite).sum())


def discover(
    folder: Path,
    target: Target,
    min_density: float = 0.8,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
    policy: str | None = None,
) -> Discovery:
    """Run PRIM on the sweep in ``folder`` for the runs meeting ``target``."""
    x, values, year, dropped = cases(folder, target, policy)
    found = find_box(
        x, target.holds(values), target, year, dropped, min_density, peel_alpha, mass_min
    )
    if target.quantile:
        found.note = f"below the runs' {100 * target.threshold:g} % quantile, {np.quantile(values, target.threshold):.4g}"
    return found


def find_box(
    x: pd.DataFrame,
    y: np.ndarray,
    target: Target,
    year: int,
    dropped: int = 0,
    min_density: float = 0.8,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> Discovery:
    """PRIM's peeling trajectory for cases ``x`` of interest where ``y``, and the box of
    highest coverage with density ≥ ``min_density`` (else the densest)."""
    if not y.any():
        raise DiscoverError(
            f"--target {target.label}: no run of the sweep meets it; nothing to find"
        )
    if y.all():
        raise DiscoverError(
            f"--target {target.label}: every run of the sweep meets it; nothing sets them apart"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EMA's notes on its optional dependencies
        from ema_workbench.analysis import prim

        box = prim.Prim(x, y, peel_alpha=peel_alpha, mass_min=mass_min).find_box()
    trajectory = box.peeling_trajectory.copy().reset_index(drop=True)
    dense = trajectory[trajectory["density"] >= min_density]
    chosen = int(dense["coverage"].idxmax() if len(dense) else trajectory["density"].idxmax())
    return Discovery(
        target=target,
        year=year,
        cases=len(y),
        marked=int(y.sum()),
        dropped=dropped,
        trajectory=trajectory[["id", "coverage", "density", "mass", "res_dim", "n", "k"]],
        chosen=chosen,
        limits=_limits(box.box_lims[0], box.box_lims[chosen]),
    )


def _limits(initial: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name in chosen.columns:
        low, high = chosen[name].iloc[0], chosen[name].iloc[1]
        full_low, full_high = initial[name].iloc[0], initial[name].iloc[1]
        if isinstance(low, set):
            if low != full_low:
                rows.append({"input": name, "levels": ", ".join(sorted(map(str, low)))})
            continue
        if low > full_low or high < full_high:
            rows.append(
                {
                    "input": name,
                    "low": low,
                    "high": high,
                    "full_low": full_low,
                    "full_high": full_high,
                }
            )
    return pd.DataFrame(rows)


def summary_lines(found: Discovery) -> list[str]:
    """The finding in a few plain lines."""
    lines = [
        f"{found.marked} of {found.cases} runs meet {found.target.label} (year {found.year}"
        + (f"; {found.note}" if found.note else "")
        + ")"
        + (f"; {found.dropped} failed run(s) left out" if found.dropped else ""),
        f"box {found.chosen} of the peeling trajectory: coverage {found.coverage:.2f}, "
        f"density {found.density:.2f}, {int(found.trajectory.loc[found.chosen, 'n'])} runs",
    ]
    for row in found.limits.to_dict("records"):
        if isinstance(row.get("levels"), str):
            lines.append(f"  {row['input']} in {{{row['levels']}}}")
        else:
            lines.append(
                f"  {row['low']:.4g} ≤ {row['input']} ≤ {row['high']:.4g} "
                f"(of {row['full_low']:.4g}–{row['full_high']:.4g})"
            )
    if found.limits.empty:
        lines.append("  no input restricted: the runs meeting the target are spread over the space")
    return lines


def write(found: Discovery, out: Path) -> list[Path]:
    """``trajectory.csv``, ``box.csv``, ``discover.json``, ``tradeoff.png`` and ``box.png``."""
    paths = [out / "trajectory.csv", out / "box.csv", out / "discover.json"]
    found.trajectory.to_csv(paths[0], index=False)
    found.limits.to_csv(paths[1], index=False)
    info = {
        "target": found.target.label,
        "target_note": found.note,
        "year": found.year,
        "cases": found.cases,
        "cases_meeting_target": found.marked,
        "failed_runs_left_out": found.dropped,
        "chosen_box": found.chosen,
        "coverage": found.coverage,
        "density": found.density,
        "limits": json.loads(found.limits.to_json(orient="records")),
        "method": "PRIM (ema_workbench.analysis.prim), lenient1 objective",
    }
    paths[2].write_text(json.dumps(info, indent=2, ensure_ascii=False), "utf-8")
    paths.append(_tradeoff_figure(found, out / "tradeoff.png"))
    paths.append(_box_figure(found, out / "box.png"))
    return paths


def _tradeoff_figure(found: Discovery, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = found.trajectory
    fig, ax = plt.subplots(figsize=(6, 4.5))
    points = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=22)
    ax.scatter([found.coverage], [found.density], s=140, facecolors="none", edgecolors="red")
    ax.annotate(
        f"box {found.chosen}",
        (found.coverage, found.density),
        xytext=(6, -12),
        textcoords="offset points",
    )
    fig.colorbar(points, ax=ax, label="inputs restricted")
    ax.set(xlabel="coverage", ylabel="density", xlim=(0, 1.02), ylim=(0, 1.02))
    ax.set_title(f"PRIM peeling trajectory: {found.target.label}", fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _box_figure(found: Discovery, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    numeric = [r for r in found.limits.to_dict("records") if not isinstance(r.get("levels"), str)]
    fig, ax = plt.subplots(figsize=(6, 0.6 * max(len(numeric), 1) + 1.4))
    for i, row in enumerate(numeric):
        span = (row["full_high"] - row["full_low"]) or 1.0
        low = (row["low"] - row["full_low"]) / span
        high = (row["high"] - row["full_low"]) / span
        ax.plot([0, 1], [i, i], color="0.8", lw=6, solid_capstyle="butt")
        ax.plot([low, high], [i, i], color="#b2182b", lw=6, solid_capstyle="butt")
        ax.text(low, i + 0.25, f"{row['low']:.3g}", ha="center", fontsize=8)
        ax.text(high, i + 0.25, f"{row['high']:.3g}", ha="center", fontsize=8)
    ax.set_yticks(range(len(numeric)), [r["input"] for r in numeric])
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.7, max(len(numeric), 1) - 0.3)
    ax.set_xlabel("share of the sampled range")
    ax.set_title(
        f"box {found.chosen}: coverage {found.coverage:.2f}, density {found.density:.2f}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
