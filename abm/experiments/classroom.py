"""The classroom design: one small set of paired runs that every lesson reads.

Nine districts of ``POPULATION`` residents (the seven district types of docs/spec/MODEL.md §3 and
two middle-class wards that differ from the reference ward in one setting only: high turnover, or
groups that do not mix), one warm-up year and ``YEARS`` years, run as one sweep
(``abm.experiments.sweep``) on ``REPLICATIONS`` paired seeds for each variant of ``VARIANTS``.
The runs are written to a cache folder and resumed: a second lesson, or a second call, reads them
from disk instead of running them again. The folder's name holds a fingerprint of the package's code
and configs, so a changed model never reads stale runs.

``load()`` returns a :class:`Classroom` with per-run numbers (``per_run``), paired effects with 95%
intervals over the seeds (``effect``) and per-week bands (``bands``); ``exercise`` runs one
district with one lever changed, for the lessons' exercises.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from abm.experiments.replications import bands as _bands
from abm.experiments.replications import interval
from abm.experiments.spec import SweepSpec, expand
from abm.experiments.sweep import MANIFEST, SweepError, finished, load_manifest, run_sweep

POPULATION = 350  # residents per district: 3,150 in all (a quick classroom municipality)
YEARS = 4  # after one warm-up year
REPLICATIONS = 4  # paired seeds per variant
SEED = 2026
# the developers' dose of the lessons: one full-time network developer per district, staying there
# (9 FTE for 3,150 residents, about 29 per 10,000: twenty times the reference scenario's 6 FTE for
# 44,000, configs/scenarios/network_developers_structural.yaml)
REFERENCE_FTE_PER_10000 = 6 / 4.4  # configs/scenarios/network_developers_structural.yaml, 44,000 residents
# name -> (district type, overrides of the type's parameters); names are the lessons' Dutch labels
DISTRICTS: dict[str, tuple[str, dict]] = {
    "achterstandswijk": ("deprived_urban", {}),
    "middenklassewijk": ("middle_class", {"newcomer_share": 0.5}),  # half newcomers, so mixing matters
    "villawijk": ("affluent", {}),
    "forensendorp": ("commuter_village", {}),
    "storp": ("storp", {}),
    "traditioneel_dorp": ("traditional_village", {}),
    "woondorp": ("residential_village", {}),
    # the same ward, one setting changed (as tests/test_scenarios.py's same-type design)
    "verloopwijk": ("middle_class", {"newcomer_share": 0.5, "turnover_per_year": 0.2}),  # 20% move each year
    "gescheiden_wijk": ("middle_class", {"newcomer_share": 0.5, "group_mixing": 0.1}),  # groups do not mix
}
DEVELOPERS = [f"interventions.network_developers.fte={len(DISTRICTS)}", "interventions.network_developers.rotation.rule=stay"]
VARIANTS: dict[str, list[str]] = {
    "baseline": [],
    # the reference scenario's dose for these residents (6 FTE per 44,000), rotating by its default rule
    "reference_dose": [f"interventions.network_developers.fte={REFERENCE_FTE_PER_10000 * len(DISTRICTS) * POPULATION / 10_000:.3f}"],
    "developers": DEVELOPERS,  # structural funding
    "project": [*DEVELOPERS, "interventions.network_developers.end_year=2"],  # two years of project money
    "no_detection": [*DEVELOPERS, "interventions.network_developers.detection=0"],  # they pass nothing on
    "specialist_cut": ["capacity.specialist_factor=0.5"],  # half the specialist capacity
}
COLUMNS = [  # the model columns the lessons read
    "lonely_share", "severely_lonely_share", "elderly_lonely_share", "vulnerable_with_vital_tie_share",
    "brokered_ties", "network_developer_hours", "clients_social", "clients_dementia", "clients_psychiatric",
    "demand_total", "served_total", "detected", "new_clients", "new_clients_heavy", "waiting_list",
    "escalations", "crises", "admissions", "formal_care_cost", "crisis_cost", "hospital_cost", "residential_cost",
    "intervention_cost", "cost_municipality", "cost_insurer", "cost_longterm_care", "societal_cost",
    "carers", "carer_share", "heavy_carers", "overburdened_carers", "informal_support_hours", "population",
]
ENV_CACHE = "BUURTKRACHT_CLASSROOM"  # folder for the cached runs (default ~/.cache/buurtkracht/classroom)


def district_list(population: int = POPULATION) -> list[dict]:
    return [{"name": n, "type": t, "population": population, **({"overrides": o} if o else {})}
            for n, (t, o) in DISTRICTS.items()]


def spec(population: int = POPULATION, years: float = YEARS, replications: int = REPLICATIONS) -> SweepSpec:
    """The classroom sweep: every variant on the same seeds, full tables kept."""
    base = [f"districts={yaml.safe_dump(district_list(population), default_flow_style=True, width=10**6).strip()}",
            f"years={years}", "warmup_years=1"]
    return SweepSpec(name="classroom", set=base, baseline="baseline", replications=replications, seed=SEED,
                     variants=[{"name": n, "set": s} for n, s in VARIANTS.items()], keep_timeseries=True,
                     metrics=[{"column": "lonely_share", "stat": "mean"}])


def code_fingerprint() -> str:
    """Hash of the model's code and configs (abm/config, abm/core, the sweep runner, configs/): runs
    cached under another model are not reused."""
    package = Path(__file__).resolve().parents[1]
    from abm.config import configs_dir

    files = [*(package / "config").rglob("*.py"), *(package / "core").rglob("*.py"),
             package / "experiments" / "spec.py", package / "experiments" / "sweep.py",
             *Path(configs_dir()).rglob("*.yaml")]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_folder(the_spec: SweepSpec, cache: Path | str | None = None) -> Path:
    root = Path(cache or os.environ.get(ENV_CACHE) or Path.home() / ".cache" / "buurtkracht" / "classroom")
    return root / f"{the_spec.hash()}-{code_fingerprint()}"


@contextmanager
def _locked(folder: Path):
    """One process at a time runs the sweep into ``folder`` (the others then find the runs on disk)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no lock; the sweep's atomic files keep the folder consistent
        yield
        return
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load(cache: Path | str | None = None, workers: int | None = None, progress: bool = True,
         the_spec: SweepSpec | None = None) -> Classroom:
    """Run (or read back) the classroom design; returns its runs as a :class:`Classroom`."""
    the_spec = the_spec or spec()
    folder = cache_folder(the_spec, cache)
    out = folder / "sweep"
    if not _complete(out, the_spec):
        with _locked(folder):
            summary = run_sweep(the_spec, folder, out, workers=workers, resume=True, progress=progress)
        if summary["failed"]:
            raise SweepError(f"{summary['failed']} classroom runs failed; see {out / 'failures'}")
    return Classroom(read_table(out), the_spec)


def _complete(out: Path, the_spec: SweepSpec) -> bool:
    """Every run of the spec is on disk (then nothing needs to be checked or started)."""
    if not (out / MANIFEST).exists() or load_manifest(out).get("spec_hash") != the_spec.hash():
        return False
    return {r.run_id for r in expand(the_spec)} <= finished(out)


def read_table(out: Path) -> pd.DataFrame:
    """The kept tables of every run, long, with ``variant``, ``replication`` and ``seed`` columns."""
    the_spec = SweepSpec.model_validate(load_manifest(out)["spec"])
    frames = []
    for run in expand(the_spec):
        frame = pd.read_parquet(out / "timeseries" / f"{run.run_id}.parquet",
                                columns=["year", "district", "district_type", *COLUMNS])
        frames.append(frame.assign(variant=run.variant, replication=run.replication, seed=run.seed))
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class Estimate:
    """A mean over paired seeds with its 95% t interval, and the per-seed values it came from."""

    mean: float
    low: float
    high: float
    values: tuple[float, ...]

    @property
    def clear(self) -> bool:
        """The interval excludes zero."""
        return bool(self.low > 0 or self.high < 0)

    def scaled(self, factor: float) -> Estimate:
        return Estimate(self.mean * factor, self.low * factor, self.high * factor, tuple(v * factor for v in self.values))

    def __str__(self) -> str:
        return f"{self.mean:.4g} ({self.low:.4g} to {self.high:.4g})"


def estimate(values) -> Estimate:
    v = np.asarray(values, dtype=float)
    mean, low, high = interval(v)
    return Estimate(mean, low, high, tuple(float(x) for x in v))


class Classroom:
    """The classroom runs: ``table`` (one row per run, district and week) and ways to read it."""

    def __init__(self, table: pd.DataFrame, the_spec: SweepSpec):
        self.table, self.spec = table, the_spec

    @property
    def residents(self) -> int:
        first = self.table[(self.table.district == "all")]
        return int(first["population"].iloc[0])

    def per_run(self, column: str, years: tuple[float, float] | None = None, district: str = "all",
                stat: str = "mean") -> pd.DataFrame:
        """One number per run: rows replications, columns variants (``stat`` over weeks in ``years``)."""
        part = self.table[self.table.district == district]
        part = part[part.year >= 0] if years is None else part[(part.year >= years[0]) & (part.year < years[1])]
        if part.empty:
            raise KeyError(f"no rows for district {district!r} in years {years}")
        return part.groupby(["replication", "variant"])[column].agg(stat).unstack("variant")

    def level(self, variant: str, column: str, years=None, district: str = "all", stat: str = "mean") -> Estimate:
        return estimate(self.per_run(column, years, district, stat)[variant])

    def effect(self, variant: str, column: str, years=None, district: str = "all", stat: str = "mean",
               against: str = "baseline", relative: bool = False) -> Estimate:
        """``variant`` minus ``against`` on the same seeds (relative: divided by ``against``'s mean)."""
        runs = self.per_run(column, years, district, stat)
        diff = runs[variant] - runs[against]
        return estimate(diff / runs[against].mean() if relative else diff)

    def ratio(self, numerator: str, denominator: str, variant: str = "baseline", district: str = "all",
              years=None) -> Estimate:
        """Per run: sum of ``numerator`` over sum of ``denominator`` (e.g. crises per new client)."""
        top = self.per_run(numerator, years, district, "sum")[variant]
        bottom = self.per_run(denominator, years, district, "sum")[variant]
        return estimate(top / bottom)

    def bands(self, column: str, variants: list[str] | None = None, district: str = "all") -> pd.DataFrame:
        """Per variant and week: mean and 95% interval over the seeds (columns col, col_low, col_high)."""
        part = self.table[self.table.district == district]
        if variants:
            part = part[part.variant.isin(variants)]
        return _bands(part, [column], by=("variant", "year"))

    def fte_per_10000(self) -> float:
        return float(DEVELOPERS[0].split("=")[1]) / self.residents * 10_000


def exercise(district_type: str = "deprived_urban", lever: list[str] | tuple[str, ...] = (), population: int = 600,
             years: float = 4, replications: int = 3, workers: int | None = None,
             cache: Path | str | None = None) -> Classroom:
    """One district without and with ``lever`` (dotted overrides, e.g. ``["capacity.specialist_factor=0.7"]``)
    on paired seeds: variants ``baseline`` and ``lever``. For the lessons' exercises."""
    the_spec = SweepSpec(
        name="exercise", set=[f"districts=[{{name: wijk, type: {district_type}, population: {population}}}]",
                              f"years={years}", "warmup_years=1"],
        baseline="baseline", replications=replications, seed=SEED, keep_timeseries=True,
        variants=[{"name": "baseline"}, {"name": "lever", "set": list(lever)}],
        metrics=[{"column": "lonely_share", "stat": "mean"}])
    return load(cache, workers, progress=False, the_spec=the_spec)


def describe(c: Classroom) -> str:
    """A one-line account of the design, for the lessons' first cell."""
    return json.dumps({"residents": c.residents, "districts": len(DISTRICTS), "years": YEARS,
                       "seeds": REPLICATIONS, "variants": list(VARIANTS)})
