"""Calibration of named config parameters against published targets by ABC-SMC (pyabc).

A calibration spec (YAML, validated like run configs) names a base config with overlays and
overrides (usually small districts, one per type, for speed), the targets file and which of its
targets to fit (default: every ``fitted`` one), the parameters by dotted config key with uniform
priors, and the ABC-SMC budget. ``calibrate`` runs (or resumes) ABC-SMC: the model's summary
statistics are the fitted targets' statistics (``abm.experiments.targets``), the distance is the
root sum of squared standardised discrepancies (``targets.score``), and pyabc's adaptive median
epsilon lowers the threshold from generation to generation. Each simulation's seed comes from the
spec seed and the parameter values (``SeedSequence``), so a simulation is reproducible; the order
in which pyabc samples particles is not (parallel samplers race), so two runs give two samples of
the same posterior, not the same sample.

Folder layout (``DIR``)::

    DIR/abc.db          pyabc's SQLite history: every generation, resumable (``abm calibrate --resume``)
    DIR/spec.json       the spec (and its hash) the history belongs to
    DIR/posterior.csv, posterior_summary.csv, fit.csv, calibrated.yaml, *.png, report.md
                        written by ``abm.experiments.calibration_report`` when the fit ends
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path

import numpy as np
from pydantic import Field, ValidationError, model_validator

from abm.config import Config, ConfigError, _format_error, load_config, read_yaml
from abm.config.base import Strict
from abm.experiments.targets import DEPENDS, STATE, Targets, load_targets, score

DB = "abc.db"
SPEC = "spec.json"


class Prior(Strict):
    """A uniform prior on [low, high] (pyabc RV 'uniform')."""

    range: tuple[float, float]
    integer: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Prior:
        if not self.range[0] < self.range[1]:
            raise ValueError(f"range low must be below high, got {list(self.range)}")
        return self


class ABC(Strict):
    population_size: int = Field(40, ge=4, le=100_000)
    generations: int = Field(4, ge=1, le=100, description="populations in all, a resumed run included")
    minimum_epsilon: float = Field(0.0, ge=0, description="stop early below this distance")
    max_walltime_minutes: float | None = Field(None, gt=0, description="stop a (resumed) session after this long")


class Check(Strict):
    """The calibrated point rerun for goodness of fit: at the fitting scale and at the scale of ``set``."""

    replications: int = Field(4, ge=1, le=1000, description="seeds at the calibrated point, per scale")
    posterior_draws: int = Field(8, ge=0, le=1000, description="posterior particles rerun at the fitting scale")
    set: list[str] = Field(default_factory=list, description="overrides of the full-scale check (e.g. default districts)")


class CalibrationSpec(Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    base: str | None = Field(None, description="run config (relative to the spec); default configs/default.yaml")
    scenarios: list[str] = []
    set: list[str] = Field(default_factory=list, description="overrides of the fitting scale")
    targets_file: str | None = Field(None, description="targets YAML (relative to the spec); default configs/calibration/targets.yaml")
    fit: list[str] | None = Field(None, description="targets to fit; default: every target with role 'fitted'")
    window_years: float = Field(2.0, gt=0, le=50, description="measure over the last years of each run")
    parameters: dict[str, Prior] = Field(min_length=1)
    abc: ABC = ABC()
    check: Check = Check()
    seed: int = Field(0, ge=0, lt=2**63)

    def hash(self) -> str:
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class Calibration:
    """A spec with its folder resolved: configs, targets, the model function pyabc calls."""

    def __init__(self, spec: CalibrationSpec, spec_dir: Path | str):
        self.spec = spec
        self.spec_dir = Path(spec_dir)
        self.targets: Targets = load_targets(self._path(spec.targets_file) if spec.targets_file else None)
        fitted = spec.fit if spec.fit is not None else list(self.targets.with_role("fitted"))
        unknown = sorted(set(fitted) - set(self.targets.targets))
        if unknown:
            raise ConfigError(f"fit: unknown targets {unknown}; known: {sorted(self.targets.targets)}")
        pending = [k for k in fitted if self.targets.targets[k].role == "pending"]
        if pending:
            raise ConfigError(f"fit: targets {pending} are 'pending' (the model cannot produce them yet)")
        if not fitted:
            raise ConfigError("fit: no targets to fit")
        self.fitted = fitted
        self.config(self.midpoint())  # validate base, overlays and every parameter key now

    def _path(self, name: str | None) -> str | None:
        if name is None or Path(name).is_absolute():
            return name
        return str(self.spec_dir / name)

    def midpoint(self) -> dict[str, float]:
        return {k: (p.range[0] + p.range[1]) / 2 for k, p in self.spec.parameters.items()}

    def overrides(self, params: dict[str, float]) -> list[str]:
        out = []
        for key, prior in self.spec.parameters.items():
            value = int(round(float(params[key]))) if prior.integer else float(params[key])
            out.append(f"{key}={json.dumps(value)}")
        return out

    def config(self, params: dict[str, float], seed: int | None = None, full_scale: bool = False) -> Config:
        """The run config at ``params``: base, overlays, fitting-scale (or check-scale) overrides, parameters."""
        scale = self.spec.check.set if full_scale else self.spec.set
        extra = [f"seed={seed}"] if seed is not None else []
        return load_config(self._path(self.spec.base), self.spec.scenarios, [*scale, *self.overrides(params), *extra])

    def base_values(self) -> dict[str, float]:
        """The spec's parameters at their values in the base config (the current default), for comparison."""
        data = load_config(self._path(self.spec.base), self.spec.scenarios, self.spec.set).model_dump()
        out = {}
        for key in self.spec.parameters:
            node = data
            for part in key.split("."):
                node = node[part]
            out[key] = float(node)
        return out

    def seed_for(self, params: dict[str, float], replication: int = 0) -> int:
        """A run seed from the spec seed and the parameter values (reproducible per particle)."""
        words = [int(np.float64(params[k]).view(np.uint64)) for k in sorted(self.spec.parameters)]
        return int(np.random.SeedSequence([self.spec.seed, replication, *words]).generate_state(1, np.uint64)[0] >> 1)

    def state_needed(self, names: list[str]) -> set[str]:
        stats = {self.targets.targets[n].statistic for n in names}
        return {s for s in stats | {d for s in stats for d in DEPENDS.get(s, ())} if s in STATE}

    def simulate(self, params: dict[str, float], seed: int | None = None, full_scale: bool = False,
                 names: list[str] | None = None) -> dict:
        """Run at ``params`` and return the statistic of each target in ``names`` (default: fitted)."""
        from abm.experiments.targets import measure

        names = names or self.fitted
        cfg = self.config(params, seed if seed is not None else self.seed_for(params), full_scale)
        values, missing = measure(cfg, self.spec.window_years, state_names=self.state_needed(names))
        return {n: values[self.targets.targets[n].statistic] for n in names
                if self.targets.targets[n].statistic in values}

    def distance(self, sim: dict, _observed: dict | None = None) -> float:
        """Root sum of squared standardised discrepancies over the fitted targets."""
        return float(np.sqrt(sum(score(self.targets.targets[n], sim[n]) ** 2 for n in self.fitted)))

    def model(self, params) -> dict:
        """What pyabc calls: parameters in, fitted statistics out (floats)."""
        return {k: float(v) for k, v in self.simulate(dict(params)).items()}

    def observed(self) -> dict:
        out = {}
        for n in self.fitted:
            value = self.targets.targets[n].value
            out[n] = float(np.mean(value)) if isinstance(value, tuple) else float(value)
        return out


def load_calibration(path: Path | str) -> Calibration:
    path = Path(path)
    try:
        spec = CalibrationSpec.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_format_error(exc)}") from None
    try:
        return Calibration(spec, path.parent)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _sampler(workers: int, scheduler: str | None):
    from pyabc.sampler import (
        DaskDistributedSampler,
        MulticoreEvalParallelSampler,
        SingleCoreSampler,
    )

    if scheduler:
        from distributed import Client

        return DaskDistributedSampler(dask_client=Client(scheduler, timeout="30s"))
    if workers <= 1:
        return SingleCoreSampler()
    return MulticoreEvalParallelSampler(n_procs=workers)  # daemon workers: they end with this process


def fit(cal: Calibration, out: Path | str, workers: int | None = None, scheduler: str | None = None,
        resume: bool = False):
    """Run ABC-SMC into ``out`` (or continue the history there); returns pyabc's History."""
    import pyabc

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    spec = cal.spec
    db, marker = out / DB, out / SPEC
    if marker.exists():
        old = json.loads(marker.read_text())
        if not resume:
            raise ConfigError(f"{out} already holds a calibration ({old.get('name')}); use --resume to continue "
                              "it or choose another --out")
        if old.get("hash") != spec.hash():
            raise ConfigError(f"{out} holds a calibration of a different spec (hash {old.get('hash')}, this spec "
                              f"{spec.hash()}): choose another --out")
    priors = pyabc.Distribution(**{k: pyabc.RV("uniform", p.range[0], p.range[1] - p.range[0])
                                   for k, p in spec.parameters.items()})
    abc = pyabc.ABCSMC(cal.model, priors, cal.distance,
                       population_size=spec.abc.population_size,
                       sampler=_sampler(workers or os.cpu_count() or 1, scheduler))
    np.random.seed(spec.seed % 2**32)  # pyabc draws particles from numpy's global generator
    done = 0
    if db.exists():
        done = pyabc.History(f"sqlite:///{db}").n_populations
    if done > 0:
        history = abc.load(f"sqlite:///{db}", 1)
    else:  # nothing finished yet (or a first population that was killed): start afresh
        if db.exists():
            db.unlink()
        history = abc.new(f"sqlite:///{db}", cal.observed(), meta_info={"spec_hash": spec.hash()})
        tmp = marker.with_name(f".{SPEC}.tmp")
        tmp.write_text(json.dumps({"name": spec.name, "hash": spec.hash(), "spec": spec.model_dump(mode="json")}, indent=2))
        tmp.replace(marker)
    remaining = spec.abc.generations - done
    if remaining > 0:  # after load, max_nr_populations counts further generations
        walltime = spec.abc.max_walltime_minutes
        history = abc.run(minimum_epsilon=spec.abc.minimum_epsilon, max_nr_populations=remaining,
                          max_walltime=timedelta(minutes=walltime) if walltime else None)
    return history


def posterior(history):
    """The last generation: a DataFrame of particles (one column per parameter) and their weights."""
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    return frame, np.asarray(weights, dtype=float)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q) -> np.ndarray:
    order = np.argsort(values)
    cum = np.cumsum(weights[order]) - 0.5 * weights[order]
    return np.interp(q, cum / weights.sum(), values[order])


def point_estimate(frame, weights) -> dict[str, float]:
    """The calibrated point: the weighted posterior median of each parameter."""
    return {k: float(weighted_quantile(frame[k].to_numpy(float), weights, 0.5)) for k in frame.columns}


def draw_posterior(path: Path | str, n: int, seed: int):
    """``n`` particles drawn by weight (with replacement) from a calibration's ``posterior.csv``
    (``path`` is the file or the calibration folder); a DataFrame with one column per parameter."""
    import pandas as pd

    path = Path(path)
    path = path / "posterior.csv" if path.is_dir() else path
    if not path.is_file():
        raise ConfigError(f"--posterior {path}: no posterior.csv (run abm calibrate first)")
    frame = pd.read_csv(path)
    weights = frame.pop("weight").to_numpy(float)
    rng = np.random.default_rng([seed, 31337])
    return frame.iloc[rng.choice(len(frame), n, p=weights / weights.sum())].reset_index(drop=True)
