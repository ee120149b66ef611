"""Scores of an out-of-sample row: the ensemble against the record and against null models.

The **continuous ranked probability score** (CRPS) of a forecast distribution F against an
observation y is ∫ (F(t) − 1{t ≥ y})² dt, in the unit of the values (lower is better; 0 is
a perfect point forecast). For an ensemble of m equally likely members it is the sample
form E|X − y| − ½ E|X − X′| (Gneiting & Raftery 2007, eq. 21), and for a point forecast x
it is |x − y|. The **skill score** of the model against a null is 1 − CRPS_model / CRPS_null:
positive when the model beats the null, 0 for a tie, negative when the null is better.

The null models (see :mod:`karstsim.experiments.validation`): ``no_new_policy`` over the same
seeds (does the policy matter for what was observed?) and persistence, the run's start
value carried forward (does the model beat "nothing changes"?).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

BEATS = "beats the null"
DOES_NOT_BEAT = "does not beat the null"


def crps_ensemble(members: np.ndarray, observed: float) -> float:
    """Sample CRPS of equally weighted ``members`` against ``observed`` (their unit):
    E|X − y| − ½ E|X − X′| over all pairs of members, the member with itself included."""
    values = np.asarray(members, dtype=float).ravel()
    if values.size == 0:
        raise ValueError("crps_ensemble: no ensemble members")
    spread = np.abs(values[:, None] - values[None, :]).mean()
    return float(np.abs(values - observed).mean() - 0.5 * spread)


def crps_point(forecast: float, observed: float) -> float:
    """CRPS of a point forecast: the absolute error |x − y| (the values' unit)."""
    return float(abs(forecast - observed))


def skill(model_crps: float, null_crps: float) -> float | None:
    """1 − ``model_crps`` / ``null_crps``; None when the null is exact (CRPS 0), where no
    model can beat it."""
    if null_crps == 0.0:
        return None
    return 1.0 - model_crps / null_crps


def inside_band(
    members: np.ndarray, observed: float, low: float = 0.05, high: float = 0.95
) -> bool:
    """Whether ``observed`` lies in the ensemble's ``low``–``high`` quantile band (90 %)."""
    values = np.asarray(members, dtype=float)
    return bool(np.quantile(values, low) <= observed <= np.quantile(values, high))


def null_score(model_crps: float, null_crps: float) -> dict[str, object]:
    """The model against one null: the null's CRPS, the skill score and the verdict (the
    model beats the null only with a strictly lower CRPS)."""
    return {
        "crps": null_crps,
        "skill": skill(model_crps, null_crps),
        "verdict": BEATS if model_crps < null_crps else DOES_NOT_BEAT,
    }


def score(
    members: np.ndarray,
    observed: float,
    null_ensembles: Mapping[str, np.ndarray],
    null_points: Mapping[str, float],
) -> dict[str, object]:
    """Band test, the model's CRPS and its score against every null: ensembles (CRPS of
    their members; ``forecast`` their mean) and point forecasts (absolute error)."""
    model_crps = crps_ensemble(members, observed)
    scored = {
        **{
            name: {
                **null_score(model_crps, crps_ensemble(values, observed)),
                "forecast": float(np.mean(values)),
            }
            for name, values in null_ensembles.items()
        },
        **{
            name: {**null_score(model_crps, crps_point(value, observed)), "forecast": value}
            for name, value in null_points.items()
        },
    }
    return {
        "inside_band": inside_band(members, observed),
        "crps_model": model_crps,
        "nulls": scored,
        "beats_every_null": all(s["verdict"] == BEATS for s in scored.values()),
    }
