"""``karstsim compare A B``: two scenarios over the same seeds, side by side."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from karstsim.experiments.ensemble import band, run_seeds
from karstsim.model.landscape_cache import LandscapeCache, reusing
from karstsim.model.outputs import KEY_OUTPUTS, PLAN_TARGETS


def compare(
    a: str, b: str, seeds: Sequence[int], grid: str, end_year: int | None = None
) -> dict[str, pd.DataFrame]:
    """Both scenarios' yearly results over ``seeds`` (stacked, with a ``seed`` column); B's
    runs start from A's landscapes where the scenarios generate the same ones."""
    with reusing(LandscapeCache()):
        return {name: run_seeds(name, seeds, grid=grid, end_year=end_year) for name in (a, b)}


def side_by_side(runs: dict[str, pd.DataFrame], years: Sequence[int]) -> pd.DataFrame:
    """Mean and sd over seeds of the key outputs in ``years``, and the difference B − A."""
    (a, ra), (b, rb) = runs.items()
    rows = []
    for output in KEY_OUTPUTS:
        column, label = output.name, output.title
        for year in years:
            va = ra.loc[ra["year"] == year, column]
            vb = rb.loc[rb["year"] == year, column]
            if va.empty or vb.empty:
                continue
            rows.append(
                {
                    "output": column,
                    "label": label,
                    "year": year,
                    f"{a}_mean": va.mean(),
                    f"{a}_sd": va.std(ddof=1) if len(va) > 1 else 0.0,
                    f"{b}_mean": vb.mean(),
                    f"{b}_sd": vb.std(ddof=1) if len(vb) > 1 else 0.0,
                    "difference": vb.mean() - va.mean(),
                }
            )
    return pd.DataFrame(rows)


def figure(runs: dict[str, pd.DataFrame], path: Path) -> Path:
    """The key outputs over time: each scenario's mean and 90 % band."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    rows = -(-len(KEY_OUTPUTS) // 4)  # four panels a row
    fig, axes = plt.subplots(rows, 4, figsize=(16, 3.5 * rows), squeeze=False)
    colours = ("#1b7837", "#b2182b")
    for ax in axes.ravel()[len(KEY_OUTPUTS) :]:
        ax.set_visible(False)
    for ax, output in zip(axes.ravel(), KEY_OUTPUTS, strict=False):
        column = output.name
        for colour, (name, table) in zip(colours, runs.items(), strict=True):
            b = band(table, column)
            ax.fill_between(b.index, b["low"], b["high"], color=colour, alpha=0.2)
            ax.plot(b.index, b["mean"], color=colour, lw=2, label=name)
        for target in PLAN_TARGETS:
            if target.column == column and not target.scaled:
                ax.axhline(target.threshold, color="k", ls="--", lw=1)
        ax.set_title(output.title, fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=9)
    first = runs[next(iter(runs))]
    over = (
        f"{first.groupby(['draw', 'seed']).ngroups} runs (posterior × seeds)"
        if "draw" in first
        else f"{first['seed'].nunique()} seeds"
    )
    fig.suptitle(f"{' vs '.join(runs)} — mean and 90 % band over {over}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def markdown(table: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table, numbers to 4 significant figures."""

    def cell(value: object) -> str:
        return f"{value:,.4g}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)
    ]
    return "\n".join(lines) + "\n"


def write(runs: dict[str, pd.DataFrame], out: Path) -> pd.DataFrame:
    """comparison.csv, comparison.md, comparison.png and the runs' yearly tables."""
    out.mkdir(parents=True, exist_ok=True)
    last = int(min(t["year"].max() for t in runs.values()))
    years = sorted({y for y in (2025, 2030, last) if y <= last})
    table = side_by_side(runs, years)
    table.to_csv(out / "comparison.csv", index=False)
    (out / "comparison.md").write_text(markdown(table), "utf-8")
    for name, frame in runs.items():
        frame.to_csv(out / f"{name}_runs.csv", index=False)
    figure(runs, out / "comparison.png")
    return table
