"""How a network developer's contacts get going as they become known (docs/ODD.md §7.7).

Runs the lessons' classroom districts (``abm.experiments.classroom``: nine districts, one developer
per district, staying) for ``--years`` after one warm-up year, on ``--seeds`` seeds, and prints per
quarter year: brokered ties (live, all districts) and the share of the districts' vulnerable residents
within a developer's reach (knowing them, or with a durable tie to someone who does), mean over seeds.
Usage: python benchmarks/measure_developer_reach.py [--seeds 2] [--years 2] [--set key=value ...]
"""

from __future__ import annotations

import argparse

import numpy as np
import yaml

from abm.config import load_config
from abm.config.units import WEEKS_PER_YEAR
from abm.core.model import MunicipalityModel
from abm.experiments import classroom

QUARTER = WEEKS_PER_YEAR // 4


def one(seed: int, years: float, extra: list[str]) -> tuple[list[float], list[float]]:
    ds = yaml.safe_dump(classroom.district_list(), default_flow_style=True, width=10**6).strip()
    cfg = load_config(None, [], [f"districts={ds}", f"years={years}", "warmup_years=1", *classroom.DEVELOPERS, *extra])
    m = MunicipalityModel(cfg, seed=seed)
    ties, reach = [], []
    while m.steps < m.total_steps:
        m.step()
        if m.steps > m.config.warmup_steps and (m.steps - m.config.warmup_steps) % QUARTER == 0:
            ties.append(float(m.ties.brokered[m.ties.live()].sum()))
            share = [dev.warm()[m.status.vulnerable_in(dev.district)].mean() for dev in m.developers()]
            reach.append(float(np.mean(share)))
    return ties, reach


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--years", type=float, default=2)
    ap.add_argument("--set", action="append", default=[])
    a = ap.parse_args()
    runs = [one(seed, a.years, a.set) for seed in range(1, a.seeds + 1)]
    ties, reach = (np.mean([r[k] for r in runs], axis=0) for k in (0, 1))
    print(f"{a.seeds} seeds; end of each quarter year after warm-up")
    print("year            " + " ".join(f"{(q + 1) / 4:6.2f}" for q in range(len(ties))))
    print("brokered ties   " + " ".join(f"{t:6.1f}" for t in ties))
    print("vulnerable within reach " + " ".join(f"{r:5.0%}" for r in reach))


if __name__ == "__main__":
    main()
