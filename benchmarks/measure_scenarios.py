"""Re-measure the MODEL §9 statements of tests/test_scenarios.py on more paired seeds (docs/ODD.md "What emerges").

Runs the tests' own designs (imported from tests/test_scenarios.py, so there is one design) as sweeps with
``--seeds`` replications into ``--out`` (resumable with the same ``--seeds``; the first 4 replications are
the tests' own seeds), then prints every figure the tests assert: paired effects (variant minus baseline on
the same seed) as mean [95% t interval] over seeds. Relative effects are the paired effect over the
baseline mean, as the tests compute them. With ``--test-seeds 4`` the same figures are printed on the
tests' own seeds, and every test of tests/test_scenarios.py is run on each subset of that many of the
measured seeds (their runs read from ``--out``, nothing run again): the share of subsets on which it
passes says how likely the tests' few seeds pass it by luck or fail it by chance, if the seeds are
typical. Run it from the repository root, heavy (through the lock):

    flock /tmp/heavy.lock python benchmarks/measure_scenarios.py --seeds 12 --out results/scenarios12 --test-seeds 4
"""

from __future__ import annotations

import argparse
import inspect
import sys
import traceback
from collections import Counter
from itertools import combinations
from pathlib import Path

import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from abm.experiments.replications import interval  # noqa: E402
from abm.experiments.spec import SweepSpec  # noqa: E402
from abm.experiments.sweep import load_metrics, run_sweep  # noqa: E402
from tests import test_scenarios  # noqa: E402
from tests.test_scenarios import DESIGNS, _metric  # noqa: E402


def sweep(design: str, seeds: int, out: Path, workers: int, overrides: list[str] = ()) -> pd.DataFrame:
    """The design's sweep with ``seeds`` paired replications (resumed if ``out`` holds part of it);
    ``overrides`` (``key=value``) apply to every arm, baseline included."""
    base, variants, metrics = DESIGNS[design]
    folder = out / design
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.yaml").write_text(yaml.safe_dump(base))
    spec = SweepSpec(name=design, base="base.yaml", replications=seeds, baseline="baseline",
                     variants=[{"name": n, "set": [*s, *overrides]} for n, s in variants.items()], metrics=metrics)
    resume = (folder / "out").exists()
    summary = run_sweep(spec, folder, folder / "out", workers=workers, resume=resume, progress=False)
    assert summary["failed"] == 0, summary["failures"]
    return load_metrics(folder / "out")


def per_seed(df, variant, column, years=None, district="all", stat="mean") -> pd.Series:
    """A variant's metric per replication (index: replication)."""
    rows = df[(df.variant == variant) & (df.metric == _metric(column, years, stat)) & (df.district == district)]
    return rows.set_index("replication")["value"].sort_index()


def fmt(x, scale=1.0, digits=2, unit="") -> str:
    m, lo, hi = (v * scale for v in interval(x))
    return f"{m:+.{digits}f}{unit} [{lo:+.{digits}f}, {hi:+.{digits}f}]"


def level(x, digits=1) -> str:
    m, lo, hi = interval(x)
    return f"{m:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def relative(df, variant, column, years, against="baseline") -> str:
    """Paired effect over the baseline mean, in percent, with the effect's interval scaled alike."""
    eff = per_seed(df, variant, column, years) - per_seed(df, against, column, years)
    base = per_seed(df, against, column, years).mean()
    return f"{fmt(eff / base, 100, 1, '%')} (effect {fmt(eff, 1, 1)} on {base:.1f}; per seed " \
           + ", ".join(f"{v / base:+.0%}" for v in eff) + ")"


def report_municipality(df: pd.DataFrame) -> None:
    def eff(variant, column, years, against="baseline"):
        return per_seed(df, variant, column, years) - per_seed(df, against, column, years)

    print("1 loneliness and social demand (structural vs baseline)")
    print("  lonely share, years 0-0.5:", fmt(eff("structural", "lonely_share", (0, 0.5)), 100, 2, " pt"))
    print("  lonely share, years 4-6:  ", fmt(eff("structural", "lonely_share", (4, 6)), 100, 2, " pt"))
    print("  social clients, years 4-6:", relative(df, "structural", "clients_social", (4, 6)))
    print("2 fade after a project")
    print("  project brokered ties 1.5-2:", level(per_seed(df, "project", "brokered_ties", (1.5, 2))))
    print("  project brokered ties 5-6:  ", level(per_seed(df, "project", "brokered_ties", (5, 6))))
    print("  structural brokered ties 5-6:", level(per_seed(df, "structural", "brokered_ties", (5, 6))))
    ratio = per_seed(df, "structural", "brokered_ties", (5, 6)) / per_seed(df, "project", "brokered_ties", (1.5, 2))
    print("  structural(5-6) / project(1.5-2), per seed:", level(ratio, 2), " ".join(f"{v:.2f}" for v in ratio))
    print("  project vital-tie share 1.5-2:", fmt(eff("project", "vulnerable_with_vital_tie_share", (1.5, 2)), 100, 1, " pt"))
    for v in ("project", "structural"):
        print(f"  {v} lonely share 5-6:", fmt(eff(v, "lonely_share", (5, 6)), 100, 2, " pt"))
    print("4 dementia / psychiatric / social clients, years 3-6")
    for v in ("structural", "project", "no_detection"):
        for c in ("clients_dementia", "clients_psychiatric", "clients_social"):
            print(f"  {v:12s} {c:20s}", relative(df, v, c, (3, 6)))
    print("5 detection, structural vs no_detection, years 0-2:",
          fmt(eff("structural", "detected", (0, 2), against="no_detection"), 1, 2, "/week"))
    print("6 specialist cut, years 1-6 (ratio of means; paired effect a week)")
    for c in ("waiting_list", "escalations", "crises"):
        b, s = per_seed(df, "baseline", c, (1, 6)), per_seed(df, "specialist_cut", c, (1, 6))
        print(f"  {c:13s} x{s.mean() / b.mean():.2f} ({b.mean():.1f} -> {s.mean():.1f}); effect {fmt(s - b)};"
              f" per-seed ratio min {(s / b).min():.2f}")
    print("7 crises per new client (baseline, sums over the run; ratio of means over seeds as the test)")
    types = sorted({d for d in df.district.unique() if d != "all"})
    crises = pd.DataFrame({d: per_seed(df, "baseline", "crises", None, d, "sum") for d in types})
    new = pd.DataFrame({d: per_seed(df, "baseline", "new_clients", None, d, "sum") for d in types})
    pooled = crises.mean() / new.mean()
    print("  " + ", ".join(f"{d} {v:.3f}" for d, v in pooled.items()))
    openw = pooled[["middle_class", "residential_village"]].mean()
    print(f"  open wards {openw:.3f}; affluent x{pooled['affluent'] / openw:.2f}; "
          f"traditional x{pooled['traditional_village'] / openw:.2f}")
    rate = crises / new
    seed_open = rate[["middle_class", "residential_village"]].mean(axis=1)
    print("  per seed, affluent - open:", fmt(rate["affluent"] - seed_open, 1, 3),
          "; traditional - open:", fmt(rate["traditional_village"] - seed_open, 1, 3))


def report_same_type(df: pd.DataFrame) -> None:
    print("3 lasting brokered ties (structural, years 3-5) per district")
    lasting = {d: per_seed(df, "structural", "brokered_ties", (3, 5), d)
               for d in ("reference", "high_turnover", "no_mixing")}
    for d, x in lasting.items():
        print(f"  {d:14s} {level(x)}  x{x.mean() / lasting['reference'].mean():.2f}")
    for d in ("high_turnover", "no_mixing"):
        print(f"  {d} - reference (paired): {fmt(lasting[d] - lasting['reference'], 1, 1)}")


def _memo(fn):
    """``fn(df, *args)`` computed once per table object (the tests recompute their tables per assertion)."""
    store: dict = {}

    def wrapped(df, *args):
        key = (id(df), args)
        if key not in store:
            store[key] = (df, fn(df, *args))  # keeps df alive, so its id is not reused
        return store[key][1]
    wrapped.clear = store.clear
    return wrapped


class NotMeasured(Exception):
    """A test reads a design that was not run (``--design``)."""


def robustness(dfs: dict[str, pd.DataFrame], seeds: int) -> None:
    """Every test of tests/test_scenarios.py on every subset of ``seeds`` of the measured replications:
    the share of subsets on which it passes, and the line of the test that fails most often."""
    reps = sorted(set.intersection(*(set(df.replication.unique()) for df in dfs.values())))
    subsets = list(combinations(reps, seeds))
    tests = sorted(((name, fn) for name, fn in vars(test_scenarios).items() if name.startswith("test_")),
                   key=lambda item: inspect.getsourcelines(item[1])[1])
    saved = {n: getattr(test_scenarios, n) for n in ("experiment", "effect_table", "variant_table")}
    effects, variants = _memo(saved["effect_table"]), _memo(saved["variant_table"])
    test_scenarios.effect_table, test_scenarios.variant_table = effects, variants
    passed, failing, own = Counter(), {name: Counter() for name, _ in tests}, {}
    try:
        for subset in subsets:
            current = {d: df[df.replication.isin(subset)] for d, df in dfs.items()}

            def experiment(design, current=current):
                if design not in current:
                    raise NotMeasured(design)
                return current[design]
            test_scenarios.experiment = experiment
            for name, fn in tests:
                own_seeds = subset == tuple(reps[:seeds])  # the tests' own seeds (replications 0..seeds-1)
                try:
                    fn()
                    passed[name] += 1
                    if own_seeds:
                        own[name] = True
                except NotMeasured:
                    failing[name]["not measured"] += 1
                except Exception as exc:  # an assertion (its line), or an error reading the runs
                    line = next(f for f in reversed(traceback.extract_tb(exc.__traceback__)) if f.name == name)
                    what = "" if isinstance(exc, AssertionError) else f" ({type(exc).__name__})"
                    failing[name][line.line + what] += 1
                    if own_seeds:
                        own[name] = False
            effects.clear()
            variants.clear()
    finally:
        for n, fn in saved.items():
            setattr(test_scenarios, n, fn)
    print(f"\n== each test on all {len(subsets)} subsets of {seeds} of the {len(reps)} seeds: share that passes")
    for name, _ in tests:
        if failing[name]["not measured"]:
            print(f"  ------  {name}: not measured")
            continue
        worst = "".join(f"\n          fails {n}x at: {line}" for line, n in failing[name].most_common(3))
        print(f"  {passed[name] / len(subsets):6.1%}  {name} (the tests' own seeds: "
              f"{'pass' if own.get(name) else 'FAIL'}){worst}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=12)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--design", choices=[*DESIGNS, "all"], default="all")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--test-seeds", type=int, default=0,
                    help="also report the first N seeds and every test's share of passing N-seed subsets")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a config override for every arm (e.g. loneliness.contagion=0); use a fresh --out")
    a = ap.parse_args()
    designs = list(DESIGNS) if a.design == "all" else [a.design]
    dfs = {}
    for design in designs:
        dfs[design] = df = sweep(design, a.seeds, a.out, a.workers, a.set)
        report = report_municipality if design == "municipality" else report_same_type
        print(f"== {design}: {a.seeds} paired seeds, {df.replication.nunique()} finished", flush=True)
        report(df)
        if 0 < a.test_seeds < a.seeds:
            print(f"== {design}: the tests' {a.test_seeds} seeds (replications 0-{a.test_seeds - 1})")
            report(df[df.replication < a.test_seeds])
        sys.stdout.flush()
    if 0 < a.test_seeds < a.seeds:
        robustness(dfs, a.test_seeds)


if __name__ == "__main__":
    main()
