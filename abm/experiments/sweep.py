"""Running sweeps: local processes or a Dask cluster, atomic per-run storage, resume, failures.

Layout of a sweep folder::

    DIR/manifest.json              spec, its hash, package version, git revision, library versions
    DIR/runs/<run_id>.parquet      one file per finished run: its metrics (long format)
    DIR/timeseries/<run_id>.parquet  the full output table, if the spec keeps it
    DIR/failures/<run_id>.json     config overrides and traceback of a failed run

Every file is written to a temporary name and renamed, so a file that exists is complete. A run is
finished when its metrics file exists; ``--resume`` runs the others (failed ones again). Results
do not depend on the number of workers, their order, or the engine: each run's config and seed are
fixed by the spec alone (``sweepspec.expand``).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from itertools import islice
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

import pandas as pd

from abm.config import ConfigError, load_config
from abm.experiments.spec import Run, SweepSpec

MANIFEST = "manifest.json"


class SweepError(RuntimeError):
    """A sweep that cannot start or continue (the message says why)."""


# ---------------------------------------------------------------- one run (runs in a worker)


def run_config(spec: SweepSpec, spec_dir: str, run: Run):
    """The resolved config of one run: base, overlays, design point, then the variant (which can so
    pin a varied parameter, e.g. a baseline without developers), then the seed."""
    variant = next(v for v in spec.variants if v.name == run.variant)
    base = spec.base if spec.base is None or Path(spec.base).is_absolute() else str(Path(spec_dir) / spec.base)
    overrides = [*spec.set, *run.overrides(), *variant.set, f"seed={run.seed}"]
    return load_config(base, [*spec.scenarios, *variant.scenarios], overrides)


def metric_rows(spec: SweepSpec, run: Run, df: pd.DataFrame) -> pd.DataFrame:
    """The run's metrics in long format: one row per metric (and district)."""
    rows = []
    for m in spec.metrics:
        part = df if m.district == "each" else df[df["district"] == m.district]
        if m.years is not None:
            part = part[(part["year"] >= m.years[0]) & (part["year"] < m.years[1])]
        for district, g in part.groupby("district", sort=False):
            if m.stat == "at":
                g = g.iloc[[int((g["year"] - m.year).abs().to_numpy().argmin())]] if len(g) else g
            values = g[m.column]
            value = {"mean": values.mean, "sum": values.sum, "last": lambda v=values: v.iloc[-1], "at": lambda v=values: v.iloc[0]}[m.stat]()
            rows.append({"metric": m.label, "district": district, "district_type": g["district_type"].iloc[0],
                         "value": float(value)})
    out = pd.DataFrame(rows)
    for key, val in (("run_id", run.run_id), ("variant", run.variant), ("point", run.point),
                     ("replication", run.replication), ("seed", run.seed)):
        out[key] = val
    for k, v in run.values.items():
        out[f"param:{k}"] = v if not isinstance(v, (list, dict)) else json.dumps(v)
    return out


def execute(spec_json: str, spec_dir: str, run_json: str) -> dict:
    """Run one sweep run; never raises. Returns metrics (and time series) or the failure."""
    spec = SweepSpec.model_validate_json(spec_json)
    run = Run(**json.loads(run_json))
    started = time.perf_counter()
    try:
        from abm.core.model import MunicipalityModel

        df = MunicipalityModel(run_config(spec, spec_dir, run)).run()
        return {"run_id": run.run_id, "ok": True, "metrics": metric_rows(spec, run, df),
                "timeseries": df if spec.keep_timeseries else None, "seconds": time.perf_counter() - started}
    except Exception as exc:  # a failing run is recorded, the sweep goes on
        return {"run_id": run.run_id, "ok": False, "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(), "overrides": run.overrides(), "variant": run.variant,
                "seconds": time.perf_counter() - started}


# ---------------------------------------------------------------- storage


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def finished(out: Path) -> set[str]:
    return {p.stem for p in (out / "runs").glob("*.parquet")}


def store(out: Path, result: dict) -> None:
    rid = result["run_id"]
    if result["ok"]:
        if result.get("timeseries") is not None:
            atomic_write(out / "timeseries" / f"{rid}.parquet", lambda p: result["timeseries"].to_parquet(p, index=False))
        atomic_write(out / "runs" / f"{rid}.parquet", lambda p: result["metrics"].to_parquet(p, index=False))
        failure = out / "failures" / f"{rid}.json"
        if failure.exists():
            failure.unlink()
    else:
        record = {k: result[k] for k in ("run_id", "variant", "overrides", "error", "traceback")}
        atomic_write(out / "failures" / f"{rid}.json", lambda p: p.write_text(json.dumps(record, indent=2)))


def git_revision() -> str:
    try:
        here = Path(__file__).resolve().parent
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True,
                              timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def manifest(spec: SweepSpec, n_runs: int) -> dict:
    libs = {}
    for lib in ("buurtkracht", "mesa", "numpy", "pandas", "networkx", "pyarrow", "SALib", "distributed"):
        try:
            libs[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            libs[lib] = None
    return {
        "spec": spec.model_dump(mode="json"), "spec_hash": spec.hash(), "runs": n_runs,
        "package_version": libs["buurtkracht"], "git_revision": git_revision(), "libraries": libs,
        "python": platform.python_version(), "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def prepare(out: Path, spec: SweepSpec, runs: list[Run], resume: bool) -> list[Run]:
    """Check the folder against the spec; return the runs still to do."""
    path = out / MANIFEST
    if path.exists():
        old = json.loads(path.read_text())
        if not resume:
            raise SweepError(f"{out} already holds a sweep ({old.get('spec', {}).get('name')}); "
                             "use --resume to continue it or choose another --out")
        if old.get("spec_hash") != spec.hash():
            raise SweepError(f"{out} holds a sweep of a different spec (hash {old.get('spec_hash')}, this spec "
                             f"{spec.hash()}); resuming would mix results: choose another --out")
    else:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda p: p.write_text(json.dumps(manifest(spec, len(runs)), indent=2)))
    done = finished(out)
    return [r for r in runs if r.run_id not in done]


# ---------------------------------------------------------------- engines


def _local(tasks: list[tuple[str, str, str]], workers: int) -> Iterator[dict]:
    if workers <= 1:
        for task in tasks:
            yield execute(*task)
        return
    # fork (where the platform has it) hands workers the already imported model: no start-up cost
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context(method)) as pool:
        pending = set()
        queue = iter(tasks)
        for task in islice(queue, workers * 2):
            pending.add(pool.submit(execute, *task))
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.add(pool.submit(execute, *nxt))


def _dask(tasks: list[tuple[str, str, str]], address: str) -> Iterator[dict]:
    from distributed import Client, as_completed

    with Client(address, timeout="30s") as client:
        futures = [client.submit(execute, *task, pure=False, key=f"buurtkracht-{json.loads(task[2])['run_id']}")
                   for task in tasks]
        for fut in as_completed(futures):
            yield fut.result()


def run_sweep(spec: SweepSpec, spec_dir: Path | str, out: Path | str, workers: int | None = None,
              scheduler: str | None = None, resume: bool = False, progress: bool = True) -> dict:
    """Run (or resume) a sweep. Returns counts: total, skipped, done, failed, failures (ids)."""
    from tqdm import tqdm

    from abm.experiments.spec import expand

    out = Path(out)
    runs = expand(spec)
    # validate the config of one run per variant before starting anything
    for variant in spec.variants:
        sample = next(r for r in runs if r.variant == variant.name)
        try:
            run_config(spec, str(spec_dir), sample)
        except ConfigError as exc:
            raise SweepError(f"variant {variant.name!r}, design point {sample.point}: {exc}") from None
    todo = prepare(out, spec, runs, resume)
    spec_json = spec.model_dump_json()
    tasks = [(spec_json, str(spec_dir), json.dumps(asdict(r))) for r in todo]
    workers = workers or os.cpu_count() or 1
    results = _dask(tasks, scheduler) if scheduler else _local(tasks, workers)
    failed: list[str] = []
    bar = tqdm(total=len(runs), initial=len(runs) - len(todo), unit="run", desc=spec.name, disable=not progress,
               mininterval=0.5)
    for result in results:
        store(out, result)
        if not result["ok"]:
            failed.append(result["run_id"])
        bar.update(1)
        bar.set_postfix(failed=len(failed))
    bar.close()
    return {"total": len(runs), "skipped": len(runs) - len(todo), "done": len(todo) - len(failed),
            "failed": len(failed), "failures": failed}


def load_metrics(out: Path | str) -> pd.DataFrame:
    """All finished runs' metrics as one long DataFrame (only complete files are ever read)."""
    files = sorted((Path(out) / "runs").glob("*.parquet"))
    if not files:
        raise SweepError(f"no finished runs in {out}")
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def load_manifest(out: Path | str) -> dict:
    path = Path(out) / MANIFEST
    if not path.exists():
        raise SweepError(f"{out} is not a sweep folder (no {MANIFEST})")
    return json.loads(path.read_text())

