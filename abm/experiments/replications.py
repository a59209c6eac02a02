"""Replications of one config: the same settings on N paired seeds, with 95% intervals.

``replicate`` runs a config N times on the sweep engine (local processes or a Dask cluster,
``abm.experiments.sweep``): it is a one-point sweep whose base is the resolved config, so the seeds
come from ``spec.run_seed`` (``SeedSequence([config.seed, 0, r])`` for replication r). Two configs
with the same seed are thus compared on the same N seeds (paired), and results do not depend on the
number of workers. The returned long table is the model table of every replication with two more
columns, ``replication`` and ``seed``.

Layout of a replication folder (resumable like a sweep)::

    DIR/config.yaml      the resolved config all replications start from
    DIR/manifest.json, DIR/runs/, DIR/timeseries/   the sweep folder of the N runs
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from abm.config import Config, dump_config
from abm.experiments.spec import Design, Parameter, SweepSpec, expand
from abm.experiments.sweep import MANIFEST, SweepError, load_manifest, run_sweep
from abm.files import atomic_write

LEVEL = 0.95
# what each replication's run record keeps besides the full table (one number per run)
RUN_METRICS = [{"column": "lonely_share", "stat": "mean"}, {"column": "formal_care_cost", "stat": "sum"}]


def replication_spec(config: Config, n: int, folder: Path, draws: pd.DataFrame | None = None) -> SweepSpec:
    """The one-point sweep of ``n`` replications of ``config`` (written to ``folder/config.yaml``);
    with ``draws`` (one row of parameter values per replication, columns dotted config keys) a
    ``zip`` sweep of one point per draw, each on its own seed."""
    text = dump_config(config)
    path = folder / "config.yaml"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]  # a changed config is a different spec
    if draws is None:
        return SweepSpec(name=f"replications-{digest}", base=str(path.resolve()), replications=n, seed=config.seed,
                         metrics=RUN_METRICS, keep_timeseries=True)
    if len(draws) != n:
        raise SweepError(f"{len(draws)} parameter draws for {n} replications")
    params = {k: Parameter(values=[float(v) for v in draws[k]]) for k in draws.columns}
    return SweepSpec(name=f"replications-{digest}", base=str(path.resolve()), parameters=params,
                     design=Design(type="zip"), seed=config.seed, metrics=RUN_METRICS, keep_timeseries=True)


def replicate(config: Config, n: int, workers: int | None = None, scheduler: str | None = None,
              out: Path | str | None = None, progress: bool = False, draws: pd.DataFrame | None = None) -> pd.DataFrame:
    """Run ``config`` on ``n`` paired seeds; returns every replication's model table, long.

    ``draws`` adds parameter uncertainty: replication r runs with the values of row r (e.g.
    posterior particles from ``abm calibrate``, ``calibration.draw_posterior``), and the table gets
    a ``param:<key>`` column per parameter.

    ``out`` keeps the runs (and resumes finished ones if the same config and n ran there before;
    a folder holding another config's replications is replaced). Without ``out`` a temporary
    folder is used. Raises SweepError if a replication fails.
    """
    if n < 1:
        raise SweepError(f"replications must be at least 1, got {n}")
    if out is None:
        with tempfile.TemporaryDirectory(prefix="buurtkracht-rep-") as tmp:
            return replicate(config, n, workers, scheduler, tmp, progress, draws)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    spec = replication_spec(config, n, folder, draws)
    if (folder / MANIFEST).exists() and load_manifest(folder).get("spec_hash") != spec.hash():
        for sub in ("runs", "timeseries", "failures"):
            shutil.rmtree(folder / sub, ignore_errors=True)
        (folder / MANIFEST).unlink()
    summary = run_sweep(spec, folder, folder, workers=workers, scheduler=scheduler, resume=True, progress=progress)
    if summary["failed"]:
        first = folder / "failures" / f"{summary['failures'][0]}.json"
        raise SweepError(f"{summary['failed']} of {n} replications failed; see {first}")
    return load_replications(folder)


def load_replications(folder: Path | str) -> pd.DataFrame:
    """The model tables of the finished replications in ``folder``, with ``replication`` and ``seed``."""
    folder = Path(folder)
    spec = SweepSpec.model_validate(load_manifest(folder)["spec"])
    frames = []
    for run in expand(spec):
        path = folder / "timeseries" / f"{run.run_id}.parquet"
        if path.exists():
            frame = pd.read_parquet(path).assign(replication=run.point * spec.replications + run.replication,
                                                 seed=run.seed)
            frames.append(frame.assign(**{f"param:{k}": v for k, v in run.values.items()}))
    if not frames:
        raise SweepError(f"no finished replications in {folder}")
    return pd.concat(frames, ignore_index=True)


def interval(values: np.ndarray | pd.Series, level: float = LEVEL) -> tuple[float, float, float]:
    """Mean and the t interval of the mean over replications (lower, upper NaN for one value)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return np.nan, np.nan, np.nan
    mean = float(v.mean())
    if len(v) < 2:
        return mean, np.nan, np.nan
    half = float(stats.t.ppf(0.5 + level / 2, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    return mean, mean - half, mean + half


def bands(df: pd.DataFrame, columns: list[str], by: tuple[str, ...] = ("district", "year"),
          level: float = LEVEL) -> pd.DataFrame:
    """Per ``by`` group (default: district and step): mean, ci_low and ci_high of each column over
    replications, as columns ``<col>``, ``<col>_low``, ``<col>_high`` (vectorised t interval).

    A table without a ``replication`` column is one replication: the bounds are NaN.
    """
    g = df.groupby(list(by), sort=False)[columns]
    mean, sd, n = g.mean(), g.std(ddof=1), g.count()
    half = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    half = half.where(n > 1)
    out = mean.copy()
    for col in columns:
        out[f"{col}_low"] = mean[col] - half[col]
        out[f"{col}_high"] = mean[col] + half[col]
    return out.reset_index()


def summary_table(df: pd.DataFrame, rows: dict[str, tuple[str, callable]]) -> pd.DataFrame:
    """Headline numbers at the first and last step, as mean and interval over replications.

    ``rows``: label -> (name, f) where f maps one replication's municipality rows to a pair
    (value at the start, value at the end). Returns one row per label: start/end mean, low, high, n.
    """
    everyone = df[df["district"] == "all"]
    reps = everyone.groupby("replication", sort=True) if "replication" in everyone else [(0, everyone)]
    values = {label: [] for label in rows}
    for _, part in reps:
        for label, (_, f) in rows.items():
            values[label].append(f(part))
    table = []
    for label, pairs in values.items():
        arr = np.asarray(pairs, dtype=float)
        start, end = interval(arr[:, 0]), interval(arr[:, 1])
        table.append({"label": label, "name": rows[label][0], "start": start[0], "start_low": start[1],
                      "start_high": start[2], "end": end[0], "end_low": end[1], "end_high": end[2], "n": len(arr)})
    return pd.DataFrame(table)
