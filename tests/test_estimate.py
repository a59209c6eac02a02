"""The up-front resource estimate: it grows with the run's size, and refuses only what cannot fit."""

from __future__ import annotations

import json

from abm.config import load_config
from abm.experiments.estimate import GIB, estimate


def city(residents: int, districts: int, years: float = 10) -> dict:
    return load_config(overrides=[
        "districts=" + json.dumps([{"name": f"D{i}", "type": "middle_class", "population": residents // districts}
                                   for i in range(districts)]),
        f"years={years}",
    ])


def test_estimate_grows_with_residents_districts_and_weeks():
    base = estimate(city(20_000, 4))
    for bigger in (city(40_000, 4), city(20_000, 40), city(20_000, 4, years=20)):
        need = estimate(bigger)
        assert need.seconds > base.seconds and need.bytes > base.bytes
    cfg = city(20_000, 4)
    assert base.residents == sum(d.population for d in cfg.districts)
    assert base.weeks == cfg.warmup_steps + cfg.steps


def test_a_650000_resident_city_fits_in_24_gib_and_forty_million_residents_do_not():
    machine = 24 * GIB
    assert estimate(city(650_000, 20)).problem(machine) is None
    refused = estimate(city(40_000_000, 40)).problem(machine)
    assert refused is not None and "40,000,000 residents" in refused and "24 GiB" in refused
