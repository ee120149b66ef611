"""The figures of ``karstsim calibrate``: marginals, pairs and predictive checks.

- ``marginals.png``: each parameter's weighted posterior histogram over its prior range
  (the prior is flat across the panel);
- ``pairs.png``: every pair of parameters, particles sized by weight (correlations the
  marginals hide: e.g. more planting with more failure);
- ``predictive.png``: each target's observed value ± 2σ beside the 5–95 % range of the
  final population's simulations (what the accepted particles simulated).
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def draw(result: dict[str, Any], out: Path) -> list[Path]:
    """Write the three figures into ``out``; their paths."""
    return [
        marginals(result, out / "marginals.png"),
        pairs(result, out / "pairs.png"),
        predictive(result, out / "predictive.png"),
    ]


def marginals(result: dict[str, Any], path: Path) -> Path:
    plt = _pyplot()
    posterior, entries = result["posterior"], result["parameters"]
    fig, axes = plt.subplots(1, len(entries), figsize=(4 * len(entries), 3.2), squeeze=False)
    for ax, (name, entry) in zip(axes[0], entries.items(), strict=True):
        bins = np.linspace(*entry["prior"], 21)
        ax.hist(
            posterior[name],
            bins=bins,
            weights=posterior["weight"],
            color="#1b7837",
            density=True,
            label="posterior",
        )
        ax.axhline(
            1 / (entry["prior"][1] - entry["prior"][0]), color="#888888", ls="--", label="prior"
        )
        ax.set_title(name, fontsize=9)
    axes[0][0].legend(fontsize=8)
    return _save(fig, plt, path)


def pairs(result: dict[str, Any], path: Path) -> Path:
    plt = _pyplot()
    posterior, names = result["posterior"], list(result["parameters"])
    combos = list(combinations(names, 2)) or [(names[0], names[0])]
    fig, axes = plt.subplots(1, len(combos), figsize=(4 * len(combos), 3.6), squeeze=False)
    size = 400 * posterior["weight"] / posterior["weight"].max()
    for ax, (x, y) in zip(axes[0], combos, strict=True):
        ax.scatter(posterior[x], posterior[y], s=size, alpha=0.5, color="#1b7837")
        ax.set_xlim(*result["parameters"][x]["prior"])
        ax.set_ylim(*result["parameters"][y]["prior"])
        ax.set_xlabel(x, fontsize=8)
        ax.set_ylabel(y, fontsize=8)
    return _save(fig, plt, path)


def predictive(result: dict[str, Any], path: Path) -> Path:
    plt = _pyplot()
    from karstsim.experiments.weighted import weighted_quantile

    posterior, targets = result["posterior"], result["setup"]["targets"]
    weights = posterior["weight"].to_numpy()
    fig, ax = plt.subplots(figsize=(max(5.0, 1.2 * len(targets)), 3.8))
    for i, t in enumerate(targets):
        simulated = posterior[t["key"]].to_numpy()
        low, mid, high = (weighted_quantile(simulated, weights, q) for q in (0.05, 0.5, 0.95))
        ax.plot(
            [i, i],
            [low, high],
            color="#1b7837",
            lw=6,
            alpha=0.5,
            label="simulated 5–95 %" if i == 0 else None,
        )
        ax.plot(i, mid, "o", color="#1b7837")
        ax.errorbar(
            i + 0.15,
            t["value"],
            yerr=2 * t["sigma"],
            fmt="ks",
            ms=4,
            label="observed ± 2σ" if i == 0 else None,
        )
    ax.set_xticks(range(len(targets)))
    ax.set_xticklabels(
        [f"{t['output']}\n{t['year']} {t.get('region', '')}" for t in targets], fontsize=7
    )
    ax.legend(fontsize=8)
    ax.set_title("Predictive check: the final population's simulations", fontsize=9)
    return _save(fig, plt, path)


def _save(fig: Any, plt: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
