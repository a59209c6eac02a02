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
from collections.abc import Generator
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from abm.config import ConfigError, _format_error, load_config
from abm.config.errors import excerpt_text
from abm.experiments import engines
from abm.experiments.estimate import Estimate, estimate
from abm.experiments.spec import Run, SweepSpec
from abm.files import atomic_write, folder_problem

if TYPE_CHECKING:  # pandas is imported where runs are read or written: a refused sweep never loads it
    import pandas as pd

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
    import pandas as pd

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


def stored_files(folder: Path, pattern: str = "*.parquet") -> list[Path]:
    """Complete files in ``folder``: a write killed mid-way leaves its hidden temporary file
    (``.name.PID.tmp.parquet``, ``abm.files.atomic_write``), which is not a result."""
    return sorted(p for p in Path(folder).glob(pattern) if not p.name.startswith("."))


def finished(out: Path) -> set[str]:
    return {p.stem for p in stored_files(out / "runs")}


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


def read_manifest(out: Path) -> dict | None:
    """The manifest of the sweep in ``out`` (None if there is none); SweepError if it is unreadable."""
    path = Path(out) / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else exc
        raise SweepError(f"{path} is damaged ({reason}); it cannot be resumed: choose another --out") from None
    if not isinstance(data, dict) or not isinstance(data.get("spec"), dict) or "spec_hash" not in data:
        raise SweepError(f"{path} is not a sweep manifest (no spec and spec_hash); choose another --out")
    return data


def to_do(out: Path, spec: SweepSpec, runs: list[Run], resume: bool) -> list[Run]:
    """Check (without writing anything) that ``out`` can take this sweep; return the runs still to do."""
    problem = folder_problem(out)
    if problem:
        raise SweepError(f"--out: {problem}")
    old = read_manifest(out)
    if old is None:
        return runs
    if not resume:
        raise SweepError(f"{out} already holds a sweep ({old['spec'].get('name')}); "
                         "use --resume to continue it or choose another --out")
    if old["spec_hash"] != spec.hash():
        raise SweepError(f"{out} holds a sweep of a different spec (hash {old['spec_hash']}, this spec "
                         f"{spec.hash()}); resuming would mix results: choose another --out")
    done = finished(out)
    return [r for r in runs if r.run_id not in done]


def start(out: Path, spec: SweepSpec, n_runs: int) -> None:
    """Create the sweep folder and its manifest (kept if it exists: a resumed sweep)."""
    if not (out / MANIFEST).exists():
        atomic_write(out / MANIFEST, lambda p: p.write_text(json.dumps(manifest(spec, n_runs), indent=2)))


# ---------------------------------------------------------------- running


def run_sweep(spec: SweepSpec, spec_dir: Path | str, out: Path | str, workers: int | None = None,
              scheduler: str | None = None, resume: bool = False, progress: bool = True) -> dict:
    """Run (or resume) a sweep. Returns counts: total, skipped, done, failed, failures (ids).

    Everything that can be checked is checked before anything is written: the config of one run
    per variant, the output folder, an existing manifest, the scheduler connection.
    """
    from abm.experiments.spec import expand

    out = Path(out)
    runs = expand(spec)
    workers = workers or os.cpu_count() or 1
    for variant in spec.variants:
        sample = next(r for r in runs if r.variant == variant.name)
        try:
            config = run_config(spec, str(spec_dir), sample)
        except ConfigError as exc:
            raise SweepError(f"variant {variant.name!r}, design point {sample.point}: {exc}") from None
        need = estimate(config)
        parallel = 1 if scheduler else min(workers, len(runs))
        problem = Estimate(need.residents, need.districts, need.weeks, need.seconds, need.bytes * parallel).problem()
        if problem:
            raise SweepError(f"variant {variant.name!r} with {parallel} worker(s): {problem}"
                             + (" or --workers" if parallel > 1 else ""))
    todo = to_do(out, spec, runs, resume)
    spec_json = spec.model_dump_json()
    tasks = [(spec_json, str(spec_dir), json.dumps(asdict(r))) for r in todo]
    try:
        if scheduler:
            with engines.dask_client(scheduler) as client:
                start(out, spec, len(runs))
                results = engines.on_dask(client, execute, tasks, spec.hash(), lambda t: json.loads(t[2])["run_id"])
                return collect(out, spec, results, len(runs), len(todo), progress)
        start(out, spec, len(runs))
        results = engines.local(execute, tasks, workers)
        return collect(out, spec, results, len(runs), len(todo), progress)
    except engines.EngineError as exc:
        kept = f"; finished runs are kept in {out}: continue with --resume" if (out / MANIFEST).exists() else ""
        raise SweepError(f"{exc}{kept}") from None
    except OSError as exc:
        raise SweepError(f"cannot write in {out}: {exc.strerror or exc}") from None


def collect(out: Path, spec: SweepSpec, results: Generator[dict, None, None], total: int, todo: int,
            progress: bool) -> dict:
    """Store each result as it arrives; return the counts."""
    from tqdm import tqdm

    failed: list[str] = []
    bar = tqdm(total=total, initial=total - todo, unit="run", desc=spec.name, disable=not progress, mininterval=0.5)
    try:
        for result in results:
            store(out, result)
            if not result["ok"]:
                failed.append(result["run_id"])
            bar.update(1)
            bar.set_postfix(failed=len(failed))
    finally:  # on an error or interrupt here, the engine stops its workers now
        results.close()
        bar.close()
    return {"total": total, "skipped": total - todo, "done": todo - len(failed), "failed": len(failed),
            "failures": failed}


# ---------------------------------------------------------------- reading a sweep back


METRIC_COLUMNS = ("run_id", "variant", "point", "replication", "seed", "metric", "district", "district_type", "value")


def sweep_folder(out: Path | str) -> Path:
    """``out`` if it holds a sweep; SweepError naming what it is instead."""
    out = Path(out)
    if not out.exists():
        raise SweepError(f"{out} does not exist")
    if not out.is_dir():
        raise SweepError(f"{out} is a file; give the sweep folder written by 'abm sweep'")
    if read_manifest(out) is None:
        raise SweepError(f"{out} is not a sweep folder (no {MANIFEST})")
    return out


def load_metrics(out: Path | str) -> pd.DataFrame:
    """All finished runs' metrics as one long DataFrame (only complete files are ever read)."""
    import pandas as pd

    files = stored_files(Path(out) / "runs")
    if not files:
        raise SweepError(f"no finished runs in {out}")
    return pd.concat([read_run_file(f, METRIC_COLUMNS) for f in files], ignore_index=True)


def read_run_file(path: Path, required: tuple[str, ...] | list[str], columns: list[str] | None = None) -> pd.DataFrame:
    """One run's parquet file (``columns`` of it, or all); SweepError if damaged or lacking ``required``."""
    import pandas as pd

    advice = "delete it and run the sweep again with --resume"
    try:
        frame = pd.read_parquet(path, columns=columns)
    except Exception as exc:  # pyarrow raises its own types for damaged files
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise SweepError(f"{path} is damaged ({excerpt_text(reason, 120)}); {advice}") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SweepError(f"{path} lacks the columns {missing}; {advice}")
    return frame


def load_manifest(out: Path | str) -> dict:
    """The manifest of the sweep folder ``out`` (SweepError if ``out`` is not one)."""
    return read_manifest(sweep_folder(out))


def recorded_spec(manifest_data: dict, out: Path | str) -> SweepSpec:
    """The spec recorded in a sweep's manifest."""
    try:
        return SweepSpec.model_validate(manifest_data["spec"])
    except ValidationError as exc:
        raise SweepError(f"{Path(out) / MANIFEST}: the recorded spec is not valid: {_format_error(exc)}") from None
