"""The policies of an XLRM design: named sets of lever values, run on every sampled future.

In EMA Workbench's XLRM terms a design's ``[parameters]`` are the uncertainties X (sampled),
and its ``[policies]`` the levers L: each policy runs on the same sample of futures with the
same seeds (common random numbers), so that policies are compared on the same futures::

    [policies]
    plan14 = {}                                        # the base scenario as it is
    double_treatment = { treatment_ha_per_year = 142000 }
    no_new_policy = { scenario = "no_new_policy" }     # a scenario's levers
    market = { scenario = "carbon_market", carbon_price_yuan_t = 80 }

    [policy_sample]                                    # and/or policies drawn at random
    samples = 8                                        # named lever_sample_00 ...
    levers = { treatment_ha_per_year = { range = [0, 300000] }, rangers = {} }

A policy's entries must be levers (``karstsim params`` shows each parameter's role); a
``scenario`` entry takes that scenario's lever values (its other parameters, and any
``[schedule]``, are not taken: the futures are the design's). The policy sample is a Latin
hypercube over the levers' ranges, seeded by the design's seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.parameters import InputError, ParameterError

SAMPLE_PREFIX = "lever_sample_"
MAX_POLICIES = 1000


class PolicyError(InputError):
    """A policy that cannot be read; the message names the entry and the allowed form."""


@dataclass(frozen=True)
class Policy:
    """A named set of lever values (on top of the design's scenario)."""

    name: str
    levers: Mapping[str, Any]

    def spec(self) -> dict[str, Any]:
        """The policy as plain data (for the manifest and the design hash)."""
        return {"name": self.name, "levers": {k: self.levers[k] for k in sorted(self.levers)}}


def parse(
    data: Mapping[str, Any],
    base: Mapping[str, Any],
    seed: int,
    origin: str,
    factor: Any,
) -> tuple[Policy, ...]:
    """The policies of a design's ``[policies]`` and ``[policy_sample]`` tables.

    ``base`` holds the design's scenario parameter values; ``factor(parameter, entry,
    where)`` turns a ``[policy_sample]`` entry into a sampled factor (as for ``[parameters]``).
    """
    named = data.get("policies", {})
    if not isinstance(named, dict):
        raise PolicyError(f"{origin}: [policies] must be a table of NAME = {{ lever = value }}")
    policies = [_named(name, entry, base, origin) for name, entry in named.items()]
    if "policy_sample" in data:
        policies += _sampled(data["policy_sample"], seed, origin, factor)
    names = [p.name for p in policies]
    if len(set(names)) != len(names):
        raise PolicyError(f"{origin}: policy names must differ; {names} repeats one")
    if len(policies) > MAX_POLICIES:
        raise PolicyError(f"{origin}: {len(policies)} policies; at most {MAX_POLICIES}")
    return tuple(policies)


def declared_lever(
    name: str,
    where: str,
    hint: str = "a policy sets levers only (sample uncertainties in [parameters])",
) -> parameters.Parameter:
    """The declaration of lever ``name``; an error starting with ``where`` (and ending with
    ``hint``) if it is not a declared parameter or not a lever."""
    try:
        declared = parameters.get(name)
    except ParameterError as error:
        raise PolicyError(f"{where}: {error}") from None
    if declared.role != "lever":
        raise PolicyError(f"{where}: {name} is an uncertainty, not a lever; {hint}")
    return declared


def _named(name: str, entry: Any, base: Mapping[str, Any], origin: str) -> Policy:
    where = f"{origin}: [policies] {name}"
    if not isinstance(entry, dict):
        raise PolicyError(
            f"{where}: must be a table such as {{ treatment_ha_per_year = 142000 }}, "
            '{ scenario = "no_new_policy" } or {}'
        )
    levers: dict[str, Any] = {}
    if "scenario" in entry:
        levers.update(_scenario_levers(entry["scenario"], base, where))
    for lever, value in entry.items():
        if lever == "scenario":
            continue
        declared = declared_lever(lever, where)
        try:
            levers[lever] = declared.coerce(value)
        except ParameterError as error:
            raise PolicyError(f"{where}: {error}") from None
    return Policy(name, levers)


def _scenario_levers(reference: Any, base: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The lever values of a scenario that differ from the design's scenario."""
    if not isinstance(reference, str):
        raise PolicyError(f"{where}: scenario must be a shipped scenario's name or a file path")
    try:
        chosen = parameters.resolve(scenario_module.load(reference).parameters)
        resolved = parameters.resolve(base)
    except ParameterError as error:
        raise PolicyError(f"{where}: scenario: {error}") from None
    return {
        name: chosen[name]
        for name, p in parameters.PARAMETERS.items()
        if p.role == "lever" and chosen[name] != resolved[name]
    }


def _sampled(entry: Any, seed: int, origin: str, factor: Any) -> list[Policy]:
    where = f"{origin}: [policy_sample]"
    if not isinstance(entry, dict) or set(entry) != {"samples", "levers"}:
        raise PolicyError(f"{where}: needs samples = N and levers = {{ lever = {{ range }} }}")
    samples, levers = entry["samples"], entry["levers"]
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise PolicyError(f"{where}: samples = {samples!r}: must be an integer ≥ 1")
    if not isinstance(levers, dict) or not levers:
        raise PolicyError(f"{where}: levers must be a non-empty table of lever = {{ range }}")
    factors = [
        factor(declared_lever(name, f"{where} {name}"), spec, f"{where} {name}")
        for name, spec in levers.items()
    ]
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(factors), seed=np.random.default_rng(seed)).random(samples)
    values = [f.from_unit(unit[:, i]) for i, f in enumerate(factors)]
    width = len(str(samples - 1))
    return [
        Policy(
            f"{SAMPLE_PREFIX}{k:0{width}d}",
            {f.name: _python(values[i][k]) for i, f in enumerate(factors)},
        )
        for k in range(samples)
    ]


def _python(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def lever_columns(policies: tuple[Policy, ...], base: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Each lever any policy sets, with its value in every policy (the base value where a
    policy leaves it), in policy order."""
    resolved = parameters.resolve(base)
    names = sorted({name for p in policies for name in p.levers})
    return {name: [p.levers.get(name, resolved[name]) for p in policies] for name in names}
