"""Shared helpers: small municipalities that run in seconds."""

from __future__ import annotations

import pytest

from abm.config import Config, deep_merge, resolve


def small_config(districts=None, **overrides) -> Config:
    """A small municipality (default: two districts of 500) with dotted-key ``overrides``.

    ``overrides`` use double underscores for dots: ``interventions__gp_referral__enabled=True``.
    """
    data = {
        "seed": 7,
        "years": 1,
        "warmup_years": 0.5,
        "districts": districts or [
            {"name": "Oost", "type": "deprived_urban", "population": 500},
            {"name": "Dorp", "type": "traditional_village", "population": 500},
        ],
    }
    for key, value in overrides.items():
        parts = key.split("__")
        nested = value
        for part in reversed(parts):
            nested = {part: nested}
        data = deep_merge(data, nested)
    return resolve(data)


@pytest.fixture
def small():
    return small_config
