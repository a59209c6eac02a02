"""Do the lessons' claims hold with care cooperatives switched on? (docs/ODD.md §7.15)

Runs the classroom design (abm.experiments.classroom: nine districts, all variants) on ``--seeds``
paired seeds twice: with ``cooperatives.enabled=false`` and ``=true``. The cooperatives draw from
their own generator, so a run in which none forms equals its pair. Prints, per arm, every lesson's
measured numbers and checks on all the seeds, then the paired on-minus-off difference (mean and 95% t
interval over seeds) of the numbers lessons 4 and 8 read, and how many districts had a cooperative.
The runs are cached under ``--cache`` (resumed when interrupted).
Usage: python benchmarks/measure_lessons_cooperatives.py [--seeds 12] [--workers 2] [--cache DIR]
[--variants baseline,developers,specialist_cut]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

# benchmarks/measure_lessons.py (this folder is on sys.path when run as a script)
from measure_lessons import arm, paired, report

from abm.experiments import classroom
from abm.experiments.lessons import LATE
from abm.experiments.spec import expand


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=12)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "buurtkracht" / "lessons_cooperatives"))
    ap.add_argument("--variants", default=",".join(classroom.VARIANTS), help="comma-separated classroom variants to run")
    a = ap.parse_args()
    arms = {flag: arm(a.seeds, [f"cooperatives.enabled={str(flag).lower()}"], Path(a.cache), a.workers,
                      a.variants.split(",")) for flag in (False, True)}
    for flag, c in arms.items():
        report(c, f"cooperatives {'on' if flag else 'off'}: {a.seeds} seeds")
    on, off = arms[True], arms[False]
    print("\n=== paired on minus off (lesson effect with cooperatives minus without) ===")
    for variant, column, kw in (("developers", "clients_dementia", {"relative": True}),
                                ("developers", "clients_social", {"relative": True}),
                                ("developers", "cost_longterm_care", {"stat": "sum"}),
                                ("developers", "cost_insurer", {"stat": "sum"}),
                                ("developers", "vulnerable_with_vital_tie_share", {})):
        years = LATE if kw.get("stat") != "sum" else (0, classroom.YEARS)
        print(f"{variant} {column} {kw}: {paired(on, off, variant, column, years, **kw)}")
    folder = classroom.cache_folder(on.spec, Path(a.cache)) / "sweep" / "timeseries"
    with_coop = pd.concat(
        pd.read_parquet(folder / f"{r.run_id}.parquet", columns=["district", "care_cooperatives"])
        .query("district != 'all'").groupby("district")["care_cooperatives"].max().to_frame()
        .assign(variant=r.variant, replication=r.replication).reset_index() for r in expand(on.spec)
    ).set_index(["variant", "replication", "district"])["care_cooperatives"]
    print("\nshare of runs with a cooperative at some point, per district (cooperatives on):")
    print(with_coop.groupby("district").mean().round(2).to_string())
    print("per variant:", with_coop.groupby("variant").mean().round(3).to_dict())


if __name__ == "__main__":
    main()
