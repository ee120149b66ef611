"""Pure decision rules of households and the income statistics (ODD+D, section "Decision").

Every rule is a vectorised function of plain numbers: no model, no randomness (callers
draw against the probabilities), so each can be tested by hand. Money is yuan; areas ha.

Households are boundedly rational: they compare a choice's expected net gain with what
they give up, discounted and weighted by risk, and choose with logit noise
(``decision_noise_yuan``); what their network neighbours do shifts the gain (social
influence, ``social_weight``), following Chen et al. (2012, 2014) on Grain-for-Green and
An et al. (2020) on payments for ecosystem services in Guizhou.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from karstsim.units import MU_PER_HA

GFG_CASH_SHARE = 0.8
"""Share of the Grain-for-Green payment paid as cash (the rest: seedlings) [F]."""
GFG_INSTALMENTS = {0: 5 / 12, 2: 3 / 12, 4: 4 / 12}
"""Cash instalments by years since enrolment: 500 / 300 / 400 of 1 200 yuan/mu [F]."""


def logistic(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^(−x)), safe for large |x|."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


def present_value(amounts_by_year: dict[int, float], discount_rate: float) -> float:
    """Σ amount / (1 + r)^t over {t: amount}."""
    return sum(a / (1.0 + discount_rate) ** t for t, a in amounts_by_year.items())


def annuity_value(yearly: np.ndarray, years: int, discount_rate: float) -> np.ndarray:
    """Present value of ``yearly`` received at the start of each of ``years`` years."""
    factor = sum(1.0 / (1.0 + discount_rate) ** t for t in range(years))
    return np.asarray(yearly, dtype=float) * factor


def gfg_cash_yuan_ha(payment_yuan_mu: float, years_enrolled: np.ndarray) -> np.ndarray:
    """Cash a household receives this year per enrolled ha, by years since enrolment."""
    years = np.asarray(years_enrolled)
    share = np.zeros(years.shape)
    for year, part in GFG_INSTALMENTS.items():
        share = np.where(years == year, part, share)
    return payment_yuan_mu * MU_PER_HA * GFG_CASH_SHARE * share


def gfg_net_benefit(
    crop_income_yuan_ha: np.ndarray,
    payment_yuan_mu: float,
    discount_rate: float,
    payment_risk: float,
    neighbour_share: np.ndarray,
    social_weight: float,
    noise_yuan_ha: float,
) -> np.ndarray:
    """Utility (in units of ``noise_yuan_ha``) of enrolling a cropland hectare in Grain-for-Green.

    Gain: the cash instalments, discounted and cut by the chance they do not arrive.
    Loss: five years of the plot's crop income. Social term: the share of network
    neighbours already enrolled × ``social_weight``.
    """
    cash = {t: payment_yuan_mu * MU_PER_HA * GFG_CASH_SHARE * p for t, p in GFG_INSTALMENTS.items()}
    gain = (1.0 - payment_risk) * present_value(cash, discount_rate)
    loss = annuity_value(crop_income_yuan_ha, 5, discount_rate)
    return (gain - loss) / noise_yuan_ha + social_weight * np.asarray(neighbour_share)


def desired_offfarm_share(
    remittance_yuan: float,
    migration_cost_yuan: float,
    farm_return_per_worker_yuan: np.ndarray,
    scale_yuan: float,
) -> np.ndarray:
    """Share of a household's workers it wants away from the farm (logit on the wage gap)."""
    gap = remittance_yuan - migration_cost_yuan - np.asarray(farm_return_per_worker_yuan)
    return logistic(gap / scale_yuan)


def adjust_towards(current: np.ndarray, target: np.ndarray, rate: float) -> np.ndarray:
    """Move ``current`` a fraction ``rate`` of the way to ``target`` (inertia)."""
    return current + rate * (target - current)


def illegal_attempt_probability(
    temptation: float,
    gain_yuan: np.ndarray,
    fine_yuan: np.ndarray,
    perceived_detection: np.ndarray,
) -> np.ndarray:
    """Chance of attempting an illegal act (grazing closed land, clearing, …).

    ``temptation`` when unwatched, scaled by how much of the gain survives the expected
    fine: temptation × max(0, 1 − detection × fine / gain).
    """
    gain = np.maximum(np.asarray(gain_yuan, dtype=float), 1e-9)
    deterred = np.asarray(perceived_detection) * np.asarray(fine_yuan) / gain
    return temptation * np.clip(1.0 - deterred, 0.0, 1.0)


def detection_probability(rangers_per_km2: np.ndarray, effectiveness: float) -> np.ndarray:
    """Chance that patrols detect an act in an area with this ranger density."""
    return 1.0 - np.exp(-effectiveness * np.asarray(rangers_per_km2, dtype=float))


def single_tree_margin_yuan(
    eligible_trees: np.ndarray, cap_trees: int, price_yuan_tree: float, join_cost_yuan: float
) -> np.ndarray:
    """Yearly net gain of a household from the single-tree scheme (0 without eligible trees)."""
    trees = np.minimum(np.asarray(eligible_trees, dtype=float), cap_trees)
    return np.where(trees > 0, trees * price_yuan_tree - join_cost_yuan, 0.0)


def carbon_project_margin_yuan_ha(
    sequestration_tCO2_ha: np.ndarray,
    price_yuan_tCO2: float,
    household_share: float,
    cost_yuan_ha: float,
) -> np.ndarray:
    """Household net income per ha per year from a forest carbon project."""
    return np.asarray(sequestration_tCO2_ha) * price_yuan_tCO2 * household_share - cost_yuan_ha


def join_probability(
    margin_yuan: np.ndarray,
    neighbour_share: np.ndarray,
    social_weight: float,
    noise_yuan: float,
    status_quo_bias: float,
) -> np.ndarray:
    """Logit probability of adopting a practice with this yearly margin (yuan).

    utility = margin / noise + social_weight × neighbours' adoption − status_quo_bias
    """
    utility = np.asarray(margin_yuan) / noise_yuan + social_weight * np.asarray(neighbour_share)
    return logistic(utility - status_quo_bias)


def lognormal_points(mean: np.ndarray, sigma: float, points: int = 9) -> np.ndarray:
    """``points`` equal-probability quantiles of a lognormal with each ``mean`` (rows: means)."""
    z = special.ndtri((np.arange(points) + 0.5) / points)  # the normal quantiles
    mu = np.log(np.maximum(np.asarray(mean, dtype=float), 1e-9)) - 0.5 * sigma**2
    return np.exp(mu[:, None] + sigma * z[None, :])


def share_below_line(mean_income_pc: np.ndarray, sigma: float, line: float) -> np.ndarray:
    """Each group's share of people below ``line`` when its income per person is
    lognormal with mean ``mean_income_pc`` and log-sd ``sigma``."""
    mean = np.maximum(np.asarray(mean_income_pc, dtype=float), 1e-9)
    if sigma == 0:
        return (mean < line).astype(float)
    return special.ndtr((np.log(line) - np.log(mean) + 0.5 * sigma**2) / sigma)  # normal cdf


def poverty_share(
    mean_income_pc: np.ndarray, sigma: float, line: float, weights: np.ndarray
) -> float:
    """Share of people below ``line`` when each group's income per person is lognormal."""
    return float(np.average(share_below_line(mean_income_pc, sigma, line), weights=weights))


GINI_BINS = 2000


def gini(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Gini coefficient of ``values`` (≥ 0), each counted ``weights`` times.

    Exact up to grouping the values into ``GINI_BINS`` log-spaced bins (error well under
    0.001 for incomes), so it costs one pass instead of a sort.
    """
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    # not x @ w == 0: that is the one BLAS call of a year, and multi-threaded OpenBLAS made
    # it cost 10 ms instead of 0.05 (and its spinning threads slowed what came next)
    if x.size == 0 or w.sum() == 0 or not np.any(x * w):
        return 0.0
    logs = np.log(np.maximum(x, 1e-9))
    low, span = logs.min(), max(logs.max() - logs.min(), 1e-12)
    index = np.minimum(((logs - low) / span * GINI_BINS).astype(np.int64), GINI_BINS - 1)
    bin_w = np.bincount(index, weights=w, minlength=GINI_BINS)
    bin_xw = np.bincount(index, weights=x * w, minlength=GINI_BINS)
    cum_w = np.cumsum(bin_w)
    lorenz = np.cumsum(bin_xw) / bin_xw.sum()
    previous = np.concatenate([[0.0], lorenz[:-1]])
    area = np.sum((lorenz + previous) * bin_w) / (2.0 * cum_w[-1])
    return float(1.0 - 2.0 * area)
