"""Small multi-district runs shared by tests of the emerging mechanisms (cached: each runs once per session)."""

from __future__ import annotations

import functools

from abm.config import load_config
from abm.core.model import MunicipalityModel

TYPES = ("commuter_village", "traditional_village", "deprived_urban", "storp")
SEEDS = (1, 2, 3)


def config(*extra: str):
    ds = ",".join(f"{{name: {t}, type: {t}, population: 600}}" for t in TYPES)
    return load_config(None, [], [f"districts=[{ds}]", "warmup_years=1", "years=2", *extra])


@functools.cache
def runs(*extra: str, seeds: tuple[int, ...] = SEEDS):
    """(model, table) per seed for ``config(*extra)``."""
    out = []
    for seed in seeds:
        m = MunicipalityModel(config(*extra), seed=seed)
        out.append((m, m.run()))
    return tuple(out)


def fast_founding() -> str:
    """Founding 20x the default hazard, the same for every district type: two years then show where a
    cooperative can form at all."""
    return f"cooperatives.founding_per_year={config().cooperatives.founding_per_year * 20}"


ON = "cooperatives.enabled=true"
