"""Benchmark: sweep speed-up with 1 and 2 workers, and the sweep machinery's overhead.

Runs the same set of configs (32 runs of about a second each by default) three ways:
a plain in-process loop over ``MunicipalityModel(config).run()``, ``abm sweep`` machinery with
1 worker, and with 2 workers; prints the speed-up (target >= 1.8 on 2 cores) and the overhead of
the 1-worker sweep against the plain loop (target < 5%).

    python benchmarks/bench_sweep.py [--runs 32] [--population 3000] [--years 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

from abm.config import configs_dir  # noqa: E402
from abm.core.model import MunicipalityModel  # noqa: E402
from abm.experiments.spec import SweepSpec, expand  # noqa: E402
from abm.experiments.sweep import run_config, run_sweep  # noqa: E402


def make_spec(runs: int, population: int, years: float) -> SweepSpec:
    return SweepSpec.model_validate({
        "name": "bench",
        "base": str(configs_dir() / "default.yaml"),
        "set": [f"districts=[{{name: A, type: storp, population: {population}}}]", f"years={years}", "warmup_years=0.5"],
        "variants": [{"name": "run"}],
        "parameters": {},
        "replications": runs,
        "seed": 1,
        "metrics": [{"column": "lonely_share", "stat": "mean"}, {"column": "demand_light", "stat": "last"}],
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=32)
    parser.add_argument("--population", type=int, default=3000)
    parser.add_argument("--years", type=float, default=2.0)
    args = parser.parse_args()
    spec = make_spec(args.runs, args.population, args.years)
    runs = expand(spec)
    configs = [run_config(spec, ".", r) for r in runs]

    t0 = time.perf_counter()
    for cfg in configs:
        MunicipalityModel(cfg).run()
    loop = time.perf_counter() - t0

    timings = {}
    for workers in (1, 2):
        folder = Path(tempfile.mkdtemp(prefix="bench_sweep_"))
        try:
            t0 = time.perf_counter()
            run_sweep(spec, ".", folder, workers=workers, progress=False)
            timings[workers] = time.perf_counter() - t0
        finally:
            shutil.rmtree(folder)
    per_run = loop / len(configs)
    print(f"{len(configs)} runs of {args.population} residents, {args.years:g} years + 0.5 warm-up "
          f"({per_run:.2f} s per run in a plain loop)")
    print(f"plain loop: {loop:.1f} s; sweep, 1 worker: {timings[1]:.1f} s; sweep, 2 workers: {timings[2]:.1f} s")
    overhead = (timings[1] - loop) / loop
    speedup = timings[1] / timings[2]
    print(f"speed-up 1 -> 2 workers: {speedup:.2f} (target >= 1.8: {'met' if speedup >= 1.8 else 'MISSED'})")
    print(f"overhead of the sweep machinery (1 worker vs plain loop): {overhead * 100:+.1f}% "
          f"(target < 5%: {'met' if overhead < 0.05 else 'MISSED'})")


if __name__ == "__main__":
    main()
