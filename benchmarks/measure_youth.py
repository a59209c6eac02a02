"""Families and youth per district type (docs/ODD.md §7.16): youth care, placements, problems on both
sides and teens without supervision per resident under 18, mean [95% t interval] over seeds.

Runs the seven district types side by side (1,000 residents each, 2 warm-up years + 4 years) and
averages years 2-4. Usage: python benchmarks/measure_youth.py [--seeds 4]
"""

from __future__ import annotations

import argparse

import pandas as pd

from abm.config import DISTRICT_TYPES, load_config
from abm.core.model import MunicipalityModel
from abm.experiments.replications import interval as mean_interval

COLUMNS = ("youth_care_clients", "out_of_home_placements", "youth_problems_both_sides", "unsupervised_teens")


def interval(x: pd.Series) -> str:
    m, lo, hi = mean_interval(x)
    return f"{m:.4f} [{lo:.4f}, {hi:.4f}]"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=4)
    a = ap.parse_args()
    ds = ",".join(f"{{name: {t}, type: {t}, population: 1000}}" for t in DISTRICT_TYPES)
    rows = []
    for seed in range(1, a.seeds + 1):
        df = MunicipalityModel(load_config(None, [], [f"districts=[{ds}]", "warmup_years=2", "years=4"]), seed=seed).run()
        g = df[df.year >= 2].groupby("district_type").mean(numeric_only=True)  # the 'all' row is type 'municipality'
        rows += [(seed, t, c, g.loc[t, c] / g.loc[t, "youth"]) for c in COLUMNS for t in g.index]
        rows.append((seed, "municipality", "households_with_children", g.loc["municipality", "households_with_children"]))
        rows.append((seed, "municipality", "youth_care_cost_per_youth_year",
                     g.loc["municipality", "youth_care_cost"] * 52 / g.loc["municipality", "youth"]))
    r = pd.DataFrame(rows, columns=["seed", "type", "column", "value"])
    print(r.groupby(["column", "type"])["value"].apply(interval).to_string())


if __name__ == "__main__":
    main()
