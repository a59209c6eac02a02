"""What a child's problem does to the parents (docs/ODD.md §7.16, item 5 of abm/core/families.py).

Runs the seven district types side by side (``--population`` residents each, 1 warm-up year +
``--years``) on ``--seeds`` seeds, each seed twice: with ``youth.parent_need_per_year`` at ``--rate``
(0.3) and at 0 (no feedback, the default). Prints, per arm, at the end of the run: the share of
parents (adults in a household whose child has a problem or is placed) with a social need, with a
serious need, and lonely, beside the same shares for other parents; and the paired difference
(feedback minus none; mean and 95% t interval over seeds) of weekly means over the run of social
clients, light demand, the lonely share and informal support hours, and of the municipality's cost.
Usage: python benchmarks/measure_family_feedback.py [--seeds 4] [--population 600] [--years 3] [--rate 0.3]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from abm.config import DISTRICT_TYPES, load_config
from abm.core.families import NONE
from abm.core.model import MunicipalityModel
from abm.core.needs import SOCIAL
from abm.experiments.classroom import estimate

MEANS = ("clients_social", "demand_light", "lonely_share", "informal_support_hours")


def one(args) -> dict:
    seed, population, years, feedback, rate = args
    ds = ",".join(f"{{name: {t}, type: {t}, population: {population}}}" for t in DISTRICT_TYPES)
    sets = [f"districts=[{ds}]", "warmup_years=1", f"years={years}"] + [f"youth.parent_need_per_year={rate if feedback else 0}"]
    m = MunicipalityModel(load_config(None, [], sets), seed=seed)
    df = m.run()
    f, pop, cfg = m.families, m.pop, m.config
    youth = pop.age < cfg.demography.adult_age
    trouble = youth & ((f.problem > NONE) | f.placed)
    _, member_of = pop.households()
    in_trouble = np.bincount(member_of, weights=trouble)[member_of] > 0
    with_kids = np.bincount(member_of, weights=youth)[member_of] > 0
    groups = {"parents_of_a_child_with_a_problem": ~youth & in_trouble, "other_parents": ~youth & with_kids & ~in_trouble}
    lonely = pop.lonely()
    out = {"seed": seed, "feedback": feedback}
    for name, g in groups.items():
        out[f"{name}_n"] = int(g.sum())
        out[f"{name}_social_need"] = float((m.needs.sev[SOCIAL, g] > 0).mean())
        out[f"{name}_serious"] = float(m.needs.serious()[g].mean())
        out[f"{name}_lonely"] = float(lonely[g].mean())
    run = df[(df.district == "all") & (df.year >= 0)]
    out.update({c: float(run[c].mean()) for c in MEANS})
    out["cost_municipality_M"] = float(run["cost_municipality"].sum()) / 1e6
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--population", type=int, default=600)
    ap.add_argument("--years", type=float, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rate", type=float, default=0.3, help="youth.parent_need_per_year with the feedback")
    a = ap.parse_args()
    jobs = [(s, a.population, a.years, fb, a.rate) for s in range(1, a.seeds + 1) for fb in (True, False)]
    with ProcessPoolExecutor(a.workers) as pool:
        r = pd.DataFrame(list(pool.map(one, jobs)))
    print(f"{a.seeds} seeds, seven types x {a.population} residents, 1 warm-up + {a.years:g} years")
    print("at the end of the run, per arm (mean over seeds):")
    print(r.groupby("feedback").mean(numeric_only=True).drop(columns="seed").T.round(4).to_string())
    on, off = r[r.feedback].set_index("seed"), r[~r.feedback].set_index("seed")
    print("paired, feedback minus none, mean [95% t interval]:")
    for c in (*MEANS, "cost_municipality_M", "parents_of_a_child_with_a_problem_social_need",
              "parents_of_a_child_with_a_problem_lonely"):
        e = estimate(on[c] - off[c])
        print(f"  {c}: {e.mean:+.4g} [{e.low:+.4g}, {e.high:+.4g}]")


if __name__ == "__main__":
    main()
