"""Benchmark: time and memory per resident-week from 10,000 to 650,000 residents.

Municipalities: the reference (configs/default.yaml, 44,000) scaled to 10,000 and 176,000 (every
district's population times the same factor), the 650,000-resident city
(configs/cities/city_650k.yaml, 70 districts) and a single middle-class district of 200,000
(what grows faster than linearly inside one district shows there). Each runs in its own process
(peak memory is per process): build, ``--skip`` weeks untimed, then ``--weeks`` weeks timed.

    python benchmarks/bench_scale.py [--weeks 26] [--skip 13] [--only 10k 44k] [--json out.json] [--figure out.png]

Prints per municipality: build time, time per week, time per resident-week (us; wall and CPU:
on a shared machine wall time includes waiting for a core), peak memory (resident set, whole
process) and memory per resident (kB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

CASES = {  # label: (config file or None for the default, population factor, single district size)
    "10k": (None, 10_000 / 44_000, None),
    "44k": (None, 1.0, None),
    "176k": (None, 4.0, None),
    "650k city": ("cities/city_650k.yaml", 1.0, None),
    "district 200k": (None, 1.0, 200_000),
}


def config_for(label: str):
    from abm.config import configs_dir, load_config

    path, factor, single = CASES[label]
    cfg = load_config(None if path is None else configs_dir() / path)
    if single is not None:
        middle = next(d for d in cfg.districts if d.type == "middle_class")
        return cfg.model_copy(update={"districts": [middle.model_copy(update={"population": single})]})
    if factor != 1.0:
        districts = [d.model_copy(update={"population": round(d.population * factor)}) for d in cfg.districts]
        cfg = cfg.model_copy(update={"districts": districts})
    return cfg


def measure(label: str, skip: int, weeks: int) -> dict:
    """Run in this process: build, ``skip`` weeks, then ``weeks`` timed weeks."""
    from abm import MunicipalityModel

    cfg = config_for(label)
    t0 = time.perf_counter()
    model = MunicipalityModel(cfg)
    build = time.perf_counter() - t0
    for _ in range(skip):
        model.step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(weeks):
        model.step()
    run, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = model.pop.n
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kB
    return {
        "case": label, "residents": n, "districts": model.pop.n_districts, "ties": model.ties.count,
        "build_s": build, "weeks": weeks, "per_week_s": run / weeks, "per_resident_week_us": run / weeks / n * 1e6,
        "cpu_per_resident_week_us": cpu / weeks / n * 1e6,
        "peak_rss_mb": peak / 1e6, "kb_per_resident": peak / n / 1e3,
    }


def figure(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key, label in ((axes[0], "cpu_per_resident_week_us", "CPU time per resident-week (us)"),
                           (axes[1], "kb_per_resident", "peak memory per resident (kB)")):
        city = [r for r in rows if not r["case"].startswith("district")]
        ax.plot([r["residents"] for r in city], [r[key] for r in city], "o-", label="municipalities")
        for r in rows:
            ax.annotate(r["case"], (r["residents"], r[key]), textcoords="offset points", xytext=(4, 4), fontsize=8)
        single = [r for r in rows if r["case"].startswith("district")]
        ax.plot([r["residents"] for r in single], [r[key] for r in single], "s", color="C3", label="one district")
        ax.set_xscale("log")
        ax.set_ylim(0, max(r[key] for r in rows) * 1.3)
        ax.set_xlabel("residents")
        ax.set_ylabel(label)
        ax.legend(fontsize=8)
    fig.suptitle("python benchmarks/bench_scale.py")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weeks", type=int, default=26, help="timed weeks")
    parser.add_argument("--skip", type=int, default=13, help="weeks run before timing")
    parser.add_argument("--only", nargs="+", choices=list(CASES), help="run only these cases")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--figure", type=Path, help="write a figure (PNG) to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.skip, args.weeks)))
        return
    rows = []
    print(f"{'case':>14} {'residents':>10} {'build s':>8} {'s/week':>8} {'us/res-week':>12} {'cpu us':>7} {'peak MB':>8} {'kB/res':>7}")
    for label in args.only or CASES:
        cmd = [sys.executable, __file__, "--child", label, "--skip", str(args.skip), "--weeks", str(args.weeks)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        rows.append(r)
        print(f"{r['case']:>14} {r['residents']:>10,} {r['build_s']:>8.1f} {r['per_week_s']:>8.3f} "
              f"{r['per_resident_week_us']:>12.2f} {r['cpu_per_resident_week_us']:>7.2f} {r['peak_rss_mb']:>8.0f} {r['kb_per_resident']:>7.2f}", flush=True)
    for key in ("per_resident_week_us", "cpu_per_resident_week_us"):
        city = [r[key] for r in rows if not r["case"].startswith("district")]
        if len(city) > 1:
            mid = sorted(city)[len(city) // 2]
            print(f"{key} across municipalities: {min(city):.2f}-{max(city):.2f} us "
                  f"({min(city) / mid - 1:+.0%} .. {max(city) / mid - 1:+.0%} around the median)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if args.figure:
        figure(rows, args.figure)


if __name__ == "__main__":
    main()
