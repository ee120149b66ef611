"""Unit conversions used across the package, declared once (a leaf module: imports nothing).

Chinese land statistics count in mu (亩); the model's areas are in hectares and km².
"""

MU_PER_HA = 15.0
"""Mu (亩) per hectare: 1 mu = 1/15 ha ≈ 666.7 m²."""

HA_PER_KM2 = 100.0
"""Hectares per square kilometre."""
