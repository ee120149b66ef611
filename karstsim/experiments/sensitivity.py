"""Sensitivity indices from a finished Sobol or Morris sweep, and which levers matter.

Outputs are named ``column@year`` (``forest_cover_pct@2025``) or ``column`` for the final
year. Each sample's value is the mean over its replicates (same seeds for every sample, so
the noise is common). Sobol gives first-order ``S1``, total ``ST`` and second-order ``S2``
indices (shares of the output's variance, with confidence intervals); Morris gives
``mu_star`` (mean absolute elementary effect, in the output's unit per step of
``morris_levels``) and ``sigma`` (its spread: non-linearity or interactions). Indices come
from SALib.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from karstsim.experiments.sweep_design import RUN_COLUMNS
from karstsim.experiments.sweep_store import RESULTS, YEARLY, SweepStore
from karstsim.model import parameters
from karstsim.model.parameters import InputError

SOBOL_MATTERS = 0.05
"""A total index ST at or above this share of variance means a parameter matters."""
SOBOL_INTERACTS = 0.05
"""ST − S1 at or above this share of variance means a parameter acts through interactions."""
MORRIS_MATTERS = 0.1
"""mu* at or above this fraction of the largest mu* means a parameter matters."""


_NOT_OUTPUTS = ("year", "status", "error", "traceback", "elapsed_s")


class SensitivityError(InputError):
    """A sweep or an output name that sensitivity analysis cannot use."""


@dataclass(frozen=True)
class Output:
    """An output column at a year (``None``: the final year)."""

    column: str
    year: int | None

    @property
    def label(self) -> str:
        """``column@year`` or ``column``."""
        return self.column if self.year is None else f"{self.column}@{self.year}"

    @property
    def slug(self) -> str:
        """A file-name-safe form of the label."""
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", self.label.replace("@", "_"))


def parse_outputs(text: str) -> list[Output]:
    """``"forest_cover_pct@2025,carbon_stock_MtC"`` → outputs; a clear error if malformed."""
    outputs = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        column, sep, year = item.partition("@")
        if not column or (sep and not year.strip().isdigit()):
            raise SensitivityError(
                f"--outputs {item!r}: expected COLUMN or COLUMN@YEAR, e.g. forest_cover_pct@2025"
            )
        outputs.append(Output(column.strip(), int(year) if sep else None))
    if not outputs:
        raise SensitivityError("--outputs: name at least one output, e.g. forest_cover_pct@2025")
    return outputs


def interacts(s1: float, s1_conf: float, st: float, st_conf: float) -> bool:
    """Whether ST exceeds S1 by at least :data:`SOBOL_INTERACTS` and by more than the two
    confidence intervals together allow (half-widths added in quadrature): only then do
    the indices support interactions (ST 0.958 ± 0.347 against S1 0.895 ± 0.410 do not)."""
    gap = st - s1
    return gap >= SOBOL_INTERACTS and gap > float(np.hypot(s1_conf, st_conf))


@dataclass
class Analysis:
    """The indices of one output: ``table`` (one row per parameter), ``pairs`` (Sobol S2)."""

    output: Output
    method: str
    table: pd.DataFrame
    pairs: pd.DataFrame | None
    constant: bool

    def important(self) -> pd.DataFrame:
        """The rows of the parameters that matter (see the module's thresholds)."""
        if self.constant:
            return self.table.iloc[0:0]
        if self.method == "sobol":
            return self.table[self.table["ST"] >= SOBOL_MATTERS]
        top = self.table["mu_star"].max()
        return self.table[(top > 0) & (self.table["mu_star"] >= MORRIS_MATTERS * top)]

    def sentence(self) -> str:
        """Which levers and uncertainties matter for this output, in one paragraph."""
        if self.constant:
            return f"{self.output.label}: does not vary in this sweep; no parameter matters."
        key = "ST" if self.method == "sobol" else "mu_star"
        shown = "ST" if self.method == "sobol" else "mu*"
        important = self.important()
        parts = []
        for role, title in (("lever", "levers"), ("uncertainty", "uncertainties")):
            rows = important[important["role"] == role]
            if len(rows):
                items = ", ".join(
                    f"{r.parameter} ({shown} {getattr(r, key):.3g}{self._note(r)})"
                    for r in rows.itertuples()
                )
                parts.append(f"{title} that matter: {items}")
        rest = self.table.loc[~self.table["parameter"].isin(important["parameter"]), "parameter"]
        if len(rest):
            parts.append(f"little effect: {', '.join(rest)}")
        return f"{self.output.label}: " + "; ".join(parts or ["no parameter stands out"]) + "."

    def _note(self, row: Any) -> str:
        if self.method == "sobol" and interacts(row.S1, row.S1_conf, row.ST, row.ST_conf):
            share = "mostly" if row.ST - row.S1 > row.S1 else "partly"
            return f", {share} through interactions"
        if self.method == "morris" and row.sigma > row.mu_star:
            return ", non-linear or interacting"
        return ""


def analyse(folder: Path, outputs: Sequence[Output], conf_level: float = 0.95) -> list[Analysis]:
    """Sobol or Morris indices of each output from the finished sweep in ``folder``."""
    store = SweepStore(folder)
    manifest = store.read_manifest()
    spec = manifest["design"]
    sampler = spec["sampler"]
    if sampler not in ("sobol", "morris"):
        raise SensitivityError(
            f"{folder}: the sweep used the {sampler} sampler; sensitivity indices need a "
            'sweep made with sampler = "sobol" or "morris"'
        )
    if spec.get("policies"):
        raise SensitivityError(
            f"{folder}: the sweep crosses policies with uncertainties; sensitivity indices "
            "need a sobol or morris design without policies (try 'karstsim discover' on it)"
        )
    if manifest.get("state") != "complete":
        raise SensitivityError(
            f"{folder}: the sweep is not complete ({manifest.get('state')}); finish it with "
            "'karstsim sweep DESIGN --out DIR --resume'"
        )
    design = store.read_design()
    names = [f["name"] for f in spec["factors"]]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    first = design.drop_duplicates("sample").sort_values("sample")
    return [
        _analyse_one(
            output,
            _sample_means(store, design, output, spec),
            problem,
            first[names].to_numpy(dtype=float),
            spec,
            conf_level,
        )
        for output in outputs
    ]


def _sample_means(
    store: SweepStore, design: pd.DataFrame, output: Output, spec: dict[str, Any]
) -> np.ndarray:
    """The output's value per sample (mean over replicates), in sample order."""
    values = _values(store, output, spec)
    merged = design[["run_id", "sample"]].merge(values, on="run_id", how="left")
    means = merged.groupby("sample")["value"].mean().sort_index()
    missing = means.index[means.isna()]
    if len(missing):
        raise SensitivityError(
            f"{store.folder}: {output.label}: sample(s) {list(missing[:5])} have no successful "
            "run; see the status and error columns of results.parquet"
        )
    return means.to_numpy(dtype=float)


def _values(store: SweepStore, output: Output, spec: dict[str, Any]) -> pd.DataFrame:
    """``run_id, value`` of the output for every successful run."""
    start, end = spec["years"]
    year = end if output.year is None else output.year
    if not start <= year <= end:
        raise SensitivityError(f"{output.label}: the sweep ran {start}–{end}; pick a year in it")
    if spec["keep"] == "final" or (year == end and spec["keep"] == "both"):
        if year != end:
            raise SensitivityError(
                f"{output.label}: the sweep kept only final ({end}) values; use "
                f'{output.column}@{end}, or rerun it with keep = "both"'
            )
        path = store.folder / RESULTS
        with _readable(path, store.folder):
            _check_column(path, output, spec)
            table = pq.read_table(path, columns=["run_id", "status", output.column]).to_pandas()
        table = table[table["status"] == "ok"]
    else:
        path = store.folder / YEARLY
        with _readable(path, store.folder):
            _check_column(path, output, spec)
            table = pq.read_table(
                path, columns=["run_id", "year", output.column], filters=[("year", "==", year)]
            ).to_pandas()
    return table[["run_id", output.column]].rename(columns={output.column: "value"})


@contextlib.contextmanager
def _readable(path: Path, folder: Path) -> Iterator[None]:
    """Turn a file that cannot be read (cut short, damaged) into one line saying how to
    rebuild it."""
    try:
        yield
    except (OSError, pa.ArrowException) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SensitivityError(
            f"{path}: cannot be read ({first}); rebuild it from the sweep's chunks with "
            f"'karstsim sweep DESIGN --out {folder} --resume'"
        ) from None


def _check_column(path: Path, output: Output, spec: dict[str, Any]) -> None:
    if not path.is_file():
        raise SensitivityError(f"{path}: missing; the sweep did not finish writing its results")
    inputs = {*RUN_COLUMNS, *_NOT_OUTPUTS, *(f["name"] for f in spec["factors"])}
    available = [c for c in pq.read_schema(path).names if c not in inputs]
    if output.column not in available:
        raise SensitivityError(
            f"{output.label}: no output {output.column!r} in {path.name}; available: "
            f"{', '.join(available)}"
        )


def _roles(names: Sequence[str]) -> list[str]:
    return [parameters.PARAMETERS[n].role if n in parameters.PARAMETERS else "-" for n in names]


def _analyse_one(
    output: Output,
    values: np.ndarray,
    problem: dict[str, Any],
    inputs: np.ndarray,
    spec: dict[str, Any],
    conf_level: float,
) -> Analysis:
    from SALib.analyze import morris, sobol

    names = problem["names"]
    constant = bool(np.ptp(values) <= 1e-12 * max(1.0, float(np.abs(values).max())))
    base = pd.DataFrame({"parameter": names, "role": _roles(names)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if spec["sampler"] == "sobol":
            indices = sobol.analyze(
                problem,
                values,
                calc_second_order=bool(spec["second_order"]),
                conf_level=conf_level,
                seed=spec["seed"],
            )
            table = base.assign(
                S1=indices["S1"],
                S1_conf=indices["S1_conf"],
                ST=indices["ST"],
                ST_conf=indices["ST_conf"],
            ).sort_values("ST", ascending=False)
            pairs = None
            if spec["second_order"]:
                rows = [
                    (names[i], names[j], indices["S2"][i, j], indices["S2_conf"][i, j])
                    for i in range(len(names))
                    for j in range(i + 1, len(names))
                ]
                pairs = pd.DataFrame(rows, columns=["parameter", "parameter_2", "S2", "S2_conf"])
            return Analysis(output, "sobol", table.reset_index(drop=True), pairs, constant)
        indices = morris.analyze(
            problem,
            inputs,
            values,
            num_levels=int(spec["morris_levels"]),
            conf_level=conf_level,
            seed=spec["seed"],
        )
    table = base.assign(
        mu=indices["mu"],
        mu_star=indices["mu_star"],
        mu_star_conf=indices["mu_star_conf"],
        sigma=indices["sigma"],
    ).sort_values("mu_star", ascending=False)
    return Analysis(output, "morris", table.reset_index(drop=True), None, constant)


def figure(analysis: Analysis, path: Path) -> None:
    """A horizontal bar chart of the indices: S1 and ST, or mu* and sigma."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = analysis.table.iloc[::-1]
    labels = [f"{p} ({r})" for p, r in zip(table["parameter"], table["role"], strict=True)]
    rows = np.arange(len(table))
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.38 * len(table)))
    if analysis.method == "sobol":
        bars = (("ST", "total (ST)", "#2166ac"), ("S1", "first order (S1)", "#92c5de"))
        xlabel = "share of output variance"
    else:
        bars = (("mu_star", "μ* (mean |effect|)", "#1b7837"), ("sigma", "σ (spread)", "#a6dba0"))
        xlabel = f"change in {analysis.output.column} per Morris step"
    for offset, (column, label, colour) in zip((0.2, -0.2), bars, strict=True):
        conf = table.get(f"{column}_conf")
        ax.barh(rows + offset, table[column], height=0.4, color=colour, label=label, xerr=conf)
    ax.set_yticks(rows, labels, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_title(f"{analysis.method.title()} sensitivity of {analysis.output.label}")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(analyses: Sequence[Analysis], out: Path) -> list[Path]:
    """A CSV and a figure per output (plus ``_S2.csv`` for Sobol) and ``summary.txt``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for analysis in analyses:
        stem = out / analysis.output.slug
        analysis.table.to_csv(stem.with_suffix(".csv"), index=False)
        written.append(stem.with_suffix(".csv"))
        if analysis.pairs is not None:
            pairs_path = stem.with_name(f"{stem.name}_S2.csv")
            analysis.pairs.to_csv(pairs_path, index=False)
            written.append(pairs_path)
        figure(analysis, stem.with_suffix(".png"))
        written.append(stem.with_suffix(".png"))
    summary = out / "summary.txt"
    summary.write_text("\n".join(plain_summary(analyses)) + "\n", "utf-8")
    written.append(summary)
    return written


def plain_summary(analyses: Sequence[Analysis]) -> list[str]:
    """One line per output, then one line per lever saying which outputs it matters for."""
    lines = [analysis.sentence() for analysis in analyses]
    matters: dict[str, list[str]] = {}
    for analysis in analyses:
        for row in analysis.important().itertuples():
            if row.role == "lever":
                matters.setdefault(row.parameter, []).append(analysis.output.label)
    levers = [n for n in analyses[0].table["parameter"] if parameters.PARAMETERS.get(n)]
    levers = [n for n in levers if parameters.PARAMETERS[n].role == "lever"]
    if levers:
        lines.append("")
        lines.append("By lever:")
        for name in sorted(levers, key=lambda n: (-len(matters.get(n, [])), n)):
            goals = matters.get(name)
            lines.append(
                f"  {name}: matters for {', '.join(goals)}"
                if goals
                else f"  {name}: little effect on any of these outputs"
            )
    return lines
