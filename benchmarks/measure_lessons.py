"""The lessons' claims (abm.experiments.lessons) on more paired seeds than the test's four.

Runs the classroom design (abm.experiments.classroom: nine districts, the chosen variants) on
``--seeds`` paired seeds, with optional ``--set`` overrides for every run (e.g. a mechanism switched
off, to compare with the default). A run's seed depends only on its replication, so replications
0..3 are exactly the runs tests/test_lessons.py checks: every lesson's measured numbers and checks
are printed on all the seeds and on those four (``--test-seeds``). With ``--against`` (overrides,
separated by ``;``) a second arm runs on the same seeds and the paired difference (this arm's lesson
effect minus the other arm's, mean and 95% t interval over seeds) of each number in ``PAIRED`` is
printed. How robust each check is on the test's few seeds: the share of all subsets of that many of
the seeds on which it holds. The runs are cached under ``--cache`` (resumed when interrupted).
Usage: python benchmarks/measure_lessons.py [--seeds 12] [--workers 2] [--cache DIR] [--set K=V ...]
[--variants baseline,developers] [--against "cooperatives.enabled=false;youth.parent_need_per_year=0"]
[--against-variants baseline,project]
"""

from __future__ import annotations

import argparse
from functools import cache
from itertools import combinations
from pathlib import Path

from abm.experiments import classroom, lessons
from abm.experiments.classroom import Classroom, estimate
from abm.experiments.lessons import FUNDED, LATE

TEST_SEEDS = classroom.REPLICATIONS  # tests/test_lessons.py runs replications 0..3 of the same design
# (variant, column, years, stat, relative) of lesson effects compared between arms
PAIRED = (("developers", "vulnerable_with_vital_tie_share", LATE, "mean", False),
          ("developers", "lonely_share", LATE, "mean", False),
          ("project", "vulnerable_with_vital_tie_share", FUNDED, "mean", False),
          ("project", "vulnerable_with_vital_tie_share", lessons.AFTER, "mean", False),
          ("developers", "clients_dementia", LATE, "mean", True),
          ("developers", "clients_social", LATE, "mean", True))


def arm(seeds: int, sets: list[str], cache: Path, workers: int, variants: list[str]) -> Classroom:
    """The classroom design on ``seeds`` paired seeds with ``sets`` added to every run."""
    base = classroom.spec(replications=seeds)
    the_spec = base.model_copy(update={"set": [*base.set, *sets],
                                       "variants": [v for v in base.variants if v.name in variants]})
    return classroom.load(cache, workers, progress=False, the_spec=the_spec)


def first(c: Classroom, seeds: int) -> Classroom:
    """The same runs restricted to replications 0..seeds-1."""
    return Classroom(c.table[c.table.replication < seeds], c.spec)


class Subset(Classroom):
    """The runs of some replications only, reading per-run numbers of the full set (computed once)."""

    def __init__(self, full: Classroom, replications: tuple[int, ...]):
        super().__init__(full.table, full.spec)
        self.full, self.replications = full, list(replications)

    def per_run(self, column, years=None, district="all", stat="mean"):
        return _per_run(self.full, column, years, district, stat).loc[self.replications]


@cache
def _per_run(full: Classroom, column, years, district, stat):
    return Classroom.per_run(full, column, years, district, stat)


def robustness(c: Classroom, seeds: int) -> None:
    """For every check: the share of all ``seeds``-seed subsets of the runs on which it holds (how
    likely the test's few seeds pass it, if the runs' seeds are typical)."""
    reps = sorted(c.table.replication.unique())
    subsets = list(combinations(reps, seeds))
    print(f"\n=== each check on all {len(subsets)} subsets of {seeds} of the {len(reps)} seeds: share that holds ===")
    for key, claim in lessons.CLAIMS.items():
        try:
            findings = [claim(Subset(c, s)) for s in subsets]
        except KeyError as missing:
            print(f"--- lesson {key}: not measured (variant {missing} not run)")
            continue
        for name in findings[0].checks:
            print(f"{key}: {sum(f.checks[name] for f in findings) / len(findings):6.1%}  {name}")


def report(c: Classroom, title: str) -> None:
    print(f"\n=== {title} ===")
    for key, claim in lessons.CLAIMS.items():
        try:
            f = claim(c)
        except KeyError as missing:  # a variant that was not run
            print(f"--- lesson {key}: not measured (variant {missing} not run)")
            continue
        print(f"--- lesson {key}: {'holds' if f.holds else 'FAILS'}")
        print(f.report())


def paired(a: Classroom, b: Classroom, variant: str, column: str, years, stat: str = "mean", relative: bool = False):
    """Arm a minus arm b of a lesson effect (variant minus baseline), per seed."""
    def eff(c):
        runs = c.per_run(column, years, stat=stat)
        d = runs[variant] - runs["baseline"]
        return d / runs["baseline"].mean() if relative else d
    return estimate(eff(a) - eff(b))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=12)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "buurtkracht" / "lessons_measure"))
    ap.add_argument("--set", action="append", default=[], help="override for every run, KEY=VALUE (repeatable)")
    ap.add_argument("--variants", default=",".join(classroom.VARIANTS), help="comma-separated classroom variants to run")
    ap.add_argument("--against", default=None, help="second arm's overrides, separated by ';'")
    ap.add_argument("--against-variants", default=None, help="the second arm's variants (default: --variants)")
    ap.add_argument("--test-seeds", type=int, default=TEST_SEEDS)
    a = ap.parse_args()
    variants = a.variants.split(",")
    c = arm(a.seeds, a.set, Path(a.cache), a.workers, variants)
    label = " ".join(a.set) or "default"
    report(c, f"{label}: {a.seeds} seeds")
    if a.test_seeds < a.seeds:
        report(first(c, a.test_seeds), f"{label}: the test's {a.test_seeds} seeds (replications 0-{a.test_seeds - 1})")
        robustness(c, a.test_seeds)
    if a.against is not None:
        other = [s.strip() for s in a.against.split(";") if s.strip()]
        o_variants = a.against_variants.split(",") if a.against_variants else variants
        o = arm(a.seeds, [*a.set, *other], Path(a.cache), a.workers, o_variants)
        report(o, f"against {' '.join(other)}: {a.seeds} seeds")
        print(f"\n=== paired: {label} minus {' '.join(other)} (lesson effect vs baseline) ===")
        for variant, column, years, stat, relative in PAIRED:
            if variant in variants and variant in o_variants:
                print(f"{variant} {column} years {years}{' relative' if relative else ''}: "
                      f"{paired(c, o, variant, column, years, stat, relative)}")


if __name__ == "__main__":
    main()
