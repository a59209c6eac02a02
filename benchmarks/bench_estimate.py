"""Measure the coefficients of the resource estimate (abm/experiments/estimate.py) on this machine.

Each size runs in a fresh process (so peak memory is that run's own) and the measured build time,
time per week and peak memory are printed next to what ``abm.experiments.estimate`` predicts. Update the
constants in abm/experiments/estimate.py from these figures after the model's speed changes.

    python benchmarks/bench_estimate.py                     # the default sizes
    python benchmarks/bench_estimate.py 300000:1:4 100000:1000:4   # residents:districts:weeks
"""

from __future__ import annotations

import json
import subprocess
import sys

SIZES = ["10000:1:52", "100000:1:13", "300000:1:4", "100000:1000:4"]

CHILD = r"""
import json, resource, sys, time
from abm import MunicipalityModel, load_config
from abm.config import DISTRICT_TYPES
from abm.experiments.estimate import estimate
residents, n, weeks = map(int, sys.argv[1:4])
districts = [{"name": f"d{i}", "type": DISTRICT_TYPES[i % len(DISTRICT_TYPES)], "population": residents // n}
             for i in range(n)]
cfg = load_config(overrides=[f"districts={json.dumps(districts)}", f"years={weeks / 52}", "warmup_years=0"])
t0 = time.perf_counter()
model = MunicipalityModel(cfg)
t1 = time.perf_counter()
model.run()
t2 = time.perf_counter()
need = estimate(cfg)
print(json.dumps({"residents": residents, "districts": n, "weeks": weeks, "build_s": t1 - t0,
                  "s_per_week": (t2 - t1) / weeks, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "estimate_s": need.seconds, "estimate_mib": need.bytes / 2**20}))
"""


def main(sizes: list[str]) -> None:
    print(f"{'residents':>10} {'districts':>9} {'weeks':>5} {'build s':>8} {'s/week':>7} {'peak MiB':>9} "
          f"{'est. s':>7} {'est. MiB':>9}")
    for size in sizes:
        out = subprocess.run([sys.executable, "-c", CHILD, *size.split(":")], capture_output=True, text=True,
                             check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        total_s = r["build_s"] + r["s_per_week"] * r["weeks"]
        print(f"{r['residents']:>10,} {r['districts']:>9,} {r['weeks']:>5} {r['build_s']:>8.1f} {r['s_per_week']:>7.3f} "
              f"{r['peak_mib']:>9.0f} {r['estimate_s']:>7.0f} {r['estimate_mib']:>9.0f}   (measured total {total_s:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:] or SIZES)
