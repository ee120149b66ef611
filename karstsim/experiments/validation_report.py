"""What ``karstsim validate`` writes and prints: validation.json, report.md, the figures and
the terminal summary. The rows that fail come first, everywhere."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from karstsim.experiments.ensemble import band
from karstsim.experiments.observations import PROVINCE_SCALED, load_observations
from karstsim.experiments.validation_relations import RELATIONS

COLOURS = {
    "hindcast13": "#1b7837",
    "plan14": "#2166ac",
    "record": "#b2182b",
    "no_new_policy": "#777777",
}
"""Each run's colour in the figures (the null in grey)."""


def province_column(column: str) -> str:
    """The column holding ``column``'s province-equivalent value (areas scaled up)."""
    return f"{column}_province" if column in PROVINCE_SCALED else column


def figure(runs: dict[str, pd.DataFrame], column: str, path: Path, title: str, unit: str) -> Path:
    """Observed points against each run's mean and 90 % band (the null's included)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for scenario, table in runs.items():
        b = band(table, province_column(column))
        ax.fill_between(b.index, b["low"], b["high"], color=COLOURS[scenario], alpha=0.25)
        ax.plot(
            b.index, b["mean"], color=COLOURS[scenario], lw=2, label=f"{scenario} (mean, 90 % band)"
        )
    observed = [o for o in load_observations() if o.column == column]
    ax.scatter(
        [o.year for o in observed],
        [o.value for o in observed],
        color="k",
        zorder=5,
        label="observed",
    )
    ax.set_title(title)
    ax.set_xlabel("year")
    ax.set_ylabel(unit)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _amount(value: float, relative: bool) -> str:
    return f"{100 * value:.0f} %" if relative else f"±{value:.2f}"


def _goal_error(goal: dict[str, Any]) -> str:
    return f"{100 * goal['relative_error']:+.1f} %" if goal["relative"] else f"{goal['error']:+.2f}"


def goal_verdict(goal: dict[str, Any]) -> str:
    """met, met only within the observation's own error, or not met."""
    if goal["met_model_tolerance"]:
        return "met"
    return "met only within the observation's error" if goal["met"] else "NOT met"


def null_verdict(goal: dict[str, Any]) -> str:
    """Whether no_new_policy meets the goal too, in words."""
    return {None: "no null (starts 2016)", True: "yes: cannot tell policies apart", False: "no"}[
        goal["null_meets"]
    ]


def _skill(null: dict[str, Any]) -> str:
    value = null["skill"]
    return "undefined (null exact)" if value is None else f"{value:+.2f}"


def _null_cell(null: dict[str, Any]) -> str:
    return f"{null['forecast']:,.2f}, {null['crps']:,.3g} ({_skill(null)})"


def failure_lines(result: dict[str, Any]) -> list[str]:
    """The section of rows that fail (or a line saying none does)."""
    lines = ["## Rows that fail", ""]
    if not result["failures"]:
        return [*lines, "None: every goal is met and every out-of-sample row beats the nulls.", ""]
    lines += ["| row | relation | why it fails |", "|---|---|---|"]
    lines += [
        f"| {f['row']} | {f['relation']} | {'; '.join(f['reasons'])} |" for f in result["failures"]
    ]
    return [*lines, ""]


def goal_lines(result: dict[str, Any]) -> list[str]:
    """The goals table: relation, tolerance test and whether the null meets it too."""
    lines = [
        "## Goals",
        "",
        "| goal | relation | observed | simulated mean (5–95 %) | error | tolerance | "
        "+ observation error (2σ) | met | no_new_policy meets it too |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for g in result["goals"]:
        widened = (
            f"{_amount(g['observation_error_2sigma'], g['relative'])} → "
            f"{_amount(g['tolerance_with_observation_error'], g['relative'])}"
            if g["observation_error_2sigma"]
            else "—"
        )
        met = goal_verdict(g)
        lines.append(
            f"| {g['name']} | {g['relation']} | {g['observed']:,.2f} | {g['simulated_mean']:,.2f} "
            f"({g['simulated_p5']:,.2f}–{g['simulated_p95']:,.2f}) | {_goal_error(g)} | "
            f"{_amount(g['tolerance'], g['relative'])} | {widened} | "
            f"{met if met != 'NOT met' else '**no**'} | {null_verdict(g)} |"
        )
    notes = "; ".join(f"{g['name']}: {g['note']}" for g in result["goals"])
    return [*lines, "", f"Notes: {notes}", ""]


def score_lines(result: dict[str, Any]) -> list[str]:
    """The out-of-sample rows' scores: band, CRPS of the model and of each null, skill."""
    lines = [
        "## Out-of-sample rows against the null models",
        "",
        "CRPS (continuous ranked probability score, the output's unit; lower is better) of the "
        "ensemble over seeds, of `no_new_policy` over the same seeds and of persistence (the "
        "run's 2020 value carried forward: CRPS = |x − y|); skill = 1 − CRPS_model / CRPS_null "
        "(> 0: the model beats the null). The band spans the seeds only, not the parameters' "
        "or the observation's uncertainty.",
        "",
        "| run | output | year | observed | 90 % band | inside | CRPS model | "
        "no_new_policy: mean, CRPS (skill) | persistence: value, CRPS (skill) | "
        "beats both nulls |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in result["comparisons"]:
        found = c["scores"]
        if found is None:
            continue
        nulls = found["nulls"]
        null = nulls.get("no_new_policy")
        persistence = nulls["persistence"]
        lines.append(
            f"| {c['scenario']} | {c['column']} | {c['year']} | {c['observed']:,.2f} | "
            f"{c['simulated_p5']:,.2f}–{c['simulated_p95']:,.2f} | "
            f"{'yes' if found['inside_band'] else '**no**'} | {found['crps_model']:,.3g} | "
            + (_null_cell(null) if null else "—")
            + f" | {_null_cell(persistence)} | {'yes' if found['beats_every_null'] else '**no**'} |"
        )
    return [*lines, ""]


def comparison_lines(result: dict[str, Any]) -> list[str]:
    """Every observation in a simulated year, with its relation to the model."""
    lines = [
        "## Every observation in a simulated year",
        "",
        "Relations: " + ", ".join(f"**{r}**" for r in RELATIONS) + ". An observation that "
        "built (or was interpolated into) a start state is never out-of-sample.",
        "",
        "| run | output | year | relation | why | observed | simulated mean | error | source |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {c['scenario']} | {c['column']} | {c['year']} | {c['relation']} | "
        f"{c['relation_detail']} | {c['observed']:,.2f} | {c['simulated_mean']:,.2f} | "
        f"{c['error']:+,.2f} | [{c['tag']}] {c['source']} |"
        for c in result["comparisons"]
    ]
    return [*lines, ""]


def write_report(
    result: dict[str, Any],
    runs: dict[str, pd.DataFrame],
    out: Path,
    seeds: Sequence[int],
    grid: str,
) -> None:
    """validation.json (every field), report.md (the failing rows first) and the figures."""
    out.mkdir(parents=True, exist_ok=True)
    payload = {"grid": grid, "seeds": list(seeds), "relations": list(RELATIONS), **result}
    (out / "validation.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False), "utf-8")
    figure(
        runs,
        "forest_cover_pct",
        out / "forest_cover.png",
        "Forest cover: observed and simulated",
        "% of land",
    )
    figure(
        runs, "desertified_km2", out / "desertified.png", "Rocky-desertified area (province)", "km²"
    )
    lines = [
        "# karstsim validation",
        "",
        f"Grid `{grid}`, seeds {list(seeds)}. Simulated values are the mean over seeds; areas "
        "are province-equivalent (scaled by land area). Regenerate with `karstsim validate`.",
        "",
        *failure_lines(result),
        *goal_lines(result),
        *score_lines(result),
        *comparison_lines(result),
        "![forest cover](forest_cover.png)",
        "",
        "![desertified area](desertified.png)",
        "",
    ]
    (out / "report.md").write_text("\n".join(lines), "utf-8")


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The terminal summary: the rows that fail, then every goal and every scored row."""
    lines = [f"  rows that fail ({len(result['failures'])}):"]
    lines += [
        f"    {f['row']} [{f['relation']}]: {'; '.join(f['reasons'])}" for f in result["failures"]
    ]
    lines.append("  goals:")
    for g in result["goals"]:
        lines.append(
            f"    {g['name']} [{g['relation']}]: observed {g['observed']:,.2f}, simulated "
            f"{g['simulated_mean']:,.2f} ({_goal_error(g)}) — {goal_verdict(g)}; "
            f"no_new_policy meets it too: {null_verdict(g)}"
        )
    lines.append("  out-of-sample rows (CRPS; skill against each null):")
    for c in result["comparisons"]:
        if c["scores"] is not None:
            found = c["scores"]
            against = ", ".join(
                f"{name} {_skill(null)} ({null['verdict']})"
                for name, null in found["nulls"].items()
            )
            band_text = "inside" if found["inside_band"] else "OUTSIDE"
            lines.append(
                f"    {c['scenario']} {c['column']} {c['year']}: record {band_text} the 90 % "
                f"band, CRPS {found['crps_model']:,.3g}; {against}"
            )
    return lines
