"""Benchmark: the CPU cost of one model step of the workshop app's district (the fixed per-step cost).

    python benchmarks/bench_step.py [--population 1000] [--warmup 60] [--steps 300] [--seed 1]

Builds the first preset's district with its last scenario (the app's default view, with network
developers), steps ``--warmup`` weeks untimed, then times ``--steps`` weeks and prints the CPU time
per step (process time: unlike wall time it does not count waiting for a core on a shared machine).
Issue 10's target: at most 10 ms per step for 1,000 residents.
"""

from __future__ import annotations

import argparse
import os
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--population", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from abm.app.settings import config_for
    from abm.app.text import PRESETS
    from abm.core.model import MunicipalityModel

    settings = PRESETS[0]["settings"].with_(population=args.population, years=(args.warmup + args.steps) / 52 + 1)
    model = MunicipalityModel(config_for(settings, settings.scenarios[-1]), seed=args.seed)
    for _ in range(args.warmup):
        model.step()
    c0 = time.process_time()
    for _ in range(args.steps):
        model.step()
    per_step = (time.process_time() - c0) / args.steps * 1e3
    print(f"{model.pop.n:,} residents, {args.steps} steps after {args.warmup}: {per_step:.2f} ms CPU per step")


if __name__ == "__main__":
    main()
