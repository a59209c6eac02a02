"""Sweep specifications: what to vary, by which design, how often, and what to keep.

A spec (YAML, validated like run configs) names a base config and scenario overlays, a list of
*variants* (named sets of overlays and overrides, e.g. ``baseline`` and ``even_buurten``), the
parameters to vary by dotted key (value lists or ranges), a design (full factorial, ``zip``: the
i-th values of every list together, e.g. posterior draws; Latin hypercube, or SALib's Sobol and
Morris designs), replications per design point, and the metrics to
keep per run. ``expand`` turns a spec into the list of runs. Every run of the same design point and
replication gets the same seed whatever its variant, so variants are compared on paired seeds.
With ``seeds: common`` every design point of a replication runs on that replication's one seed
(common random numbers): the differences between design points are then the parameters' effects
on that seed, not seed noise (sensitivity indices are conditional on the seed set; replications
over a few common seeds show how much they depend on it).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, ValidationError, model_validator

from abm.config import ConfigError, _format_error, read_yaml
from abm.config.base import Strict
from abm.core.columns import NUMERIC


class Parameter(Strict):
    """A varied parameter: explicit ``values`` (any design) or a numeric ``range`` [low, high]."""

    values: list[Any] | None = Field(None, min_length=1)
    range: tuple[float, float] | None = None
    integer: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> Parameter:
        if (self.values is None) == (self.range is None):
            raise ValueError("give exactly one of 'values' (a list) or 'range' ([low, high])")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range low must be below high, got {list(self.range)}")
        return self


class Design(Strict):
    type: Literal["factorial", "zip", "lhs", "sobol", "morris"] = "factorial"
    samples: int = Field(8, ge=1, le=100_000, description="lhs: points; sobol: base samples N; morris: trajectories")
    levels: int = Field(4, ge=2, le=20, description="morris grid levels")
    second_order: bool = False


class Variant(Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    scenarios: list[str] = []
    set: list[str] = []


class Metric(Strict):
    """One number per run (and per district, if ``district: each``) taken from the output table."""

    column: str
    stat: Literal["mean", "sum", "last", "at"] = "mean"
    years: tuple[float, float] | None = None
    year: float | None = None
    district: str = "all"
    name: str | None = None

    @model_validator(mode="after")
    def _known(self) -> Metric:
        numeric = {c.name for c in NUMERIC}
        if self.column not in numeric:
            raise ValueError(f"column {self.column!r} is not an output column; choose from {sorted(numeric)}")
        if self.stat == "at" and self.year is None:
            raise ValueError("stat 'at' needs 'year'")
        return self

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.stat == "at":
            return f"{self.column}_at_{self.year:g}"
        span = "" if self.years is None else f"_{self.years[0]:g}_{self.years[1]:g}"
        return f"{self.column}_{self.stat}{span}"


class SweepSpec(Strict):
    name: str = Field(min_length=1)
    base: str | None = Field(None, description="run config path (relative to the spec file); default configs/default.yaml")
    scenarios: list[str] = []
    set: list[str] = []
    variants: list[Variant] = Field(default_factory=lambda: [Variant(name="run")], min_length=1)
    baseline: str | None = Field(None, description="variant the others are compared with")
    parameters: dict[str, Parameter] = {}
    design: Design = Design()
    replications: int = Field(1, ge=1, le=10_000)
    seed: int = Field(0, ge=0, lt=2**63)
    seeds: Literal["per_point", "common"] = Field(
        "per_point", description="per_point: each design point and replication its own seed; common: every design "
        "point of replication r runs on the seed of replication r (common random numbers)")
    metrics: list[Metric] = Field(min_length=1)
    keep_timeseries: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> SweepSpec:
        names = [v.name for v in self.variants]
        if len(set(names)) != len(names):
            raise ValueError(f"variant names must be unique, got {names}")
        if self.baseline is not None and self.baseline not in names:
            raise ValueError(f"baseline {self.baseline!r} is not one of the variants {names}")
        if self.design.type == "zip":
            lengths = {k: len(p.values or []) for k, p in self.parameters.items()}
            if not self.parameters or 0 in lengths.values() or len(set(lengths.values())) > 1:
                raise ValueError(f"design zip needs 'values' lists of one length for every parameter, got {lengths}")
        elif self.design.type != "factorial":
            loose = [k for k, p in self.parameters.items() if p.range is None]
            if loose:
                raise ValueError(f"design {self.design.type} needs a numeric 'range' for every parameter; {loose} have values")
            if not self.parameters:
                raise ValueError(f"design {self.design.type} needs at least one parameter")
        labels = [m.label for m in self.metrics]
        if len(set(labels)) != len(labels):
            raise ValueError(f"metric names must be unique, got {labels}")
        return self

    def hash(self) -> str:
        """Fingerprint of everything that determines the runs and their results."""
        data = self.model_dump(mode="json")
        if self.seeds == "per_point":  # the default leaves the fingerprints of earlier sweeps as they were
            del data["seeds"]
        text = json.dumps(data, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def problem(self) -> dict:
        """The SALib problem definition of the ranged parameters."""
        names = list(self.parameters)
        return {"num_vars": len(names), "names": names, "bounds": [list(self.parameters[k].range) for k in names]}


def load_spec(path: Path | str) -> tuple[SweepSpec, Path]:
    """Read and validate a sweep spec; returns it with the folder relative paths resolve against."""
    path = Path(path)
    data = read_yaml(path)
    try:
        return SweepSpec.model_validate(data), path.parent
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_format_error(exc)}") from None


@dataclass(frozen=True)
class Run:
    """One model run of a sweep."""

    run_id: str
    variant: str
    point: int
    replication: int
    seed: int
    values: dict[str, Any]  # parameter values of the design point

    def overrides(self) -> list[str]:
        return [f"{k}={json.dumps(v)}" for k, v in self.values.items()]


def design_points(spec: SweepSpec) -> list[dict[str, Any]]:
    """The parameter values of each design point (deterministic for the spec's seed)."""
    params = spec.parameters
    names = list(params)
    if not names:
        return [{}]
    kind = spec.design.type
    if kind == "zip":
        rows = [dict(zip(names, combo)) for combo in zip(*(p.values for p in params.values()))]
    elif kind == "factorial":
        grids = [p.values if p.values is not None else list(np.linspace(*p.range, spec.design.levels)) for p in params.values()]
        rows = [dict(zip(names, combo)) for combo in itertools.product(*grids)]
    else:
        from SALib.sample import latin, morris, sobol

        problem = spec.problem()
        if kind == "lhs":
            x = latin.sample(problem, spec.design.samples, seed=spec.seed)
        elif kind == "sobol":
            x = sobol.sample(problem, spec.design.samples, calc_second_order=spec.design.second_order, seed=spec.seed)
        else:
            x = morris.sample(problem, spec.design.samples, num_levels=spec.design.levels, seed=spec.seed)
        rows = [dict(zip(names, map(float, row))) for row in x]
    for row in rows:
        for k, v in row.items():
            if isinstance(v, (np.floating, float)) and params[k].integer:
                row[k] = int(round(float(v)))
            elif isinstance(v, np.generic):
                row[k] = v.item()
    return rows


def run_seed(sweep_seed: int, point: int, replication: int) -> int:
    """The seed of a run: from the sweep seed and the run's identity, not its variant (paired)."""
    return int(np.random.SeedSequence([sweep_seed, point, replication]).generate_state(1, np.uint64)[0] >> 1)


def expand(spec: SweepSpec) -> list[Run]:
    """All runs of the sweep, in a fixed order."""
    runs = []
    for point, values in enumerate(design_points(spec)):
        for rep in range(spec.replications):
            seed = run_seed(spec.seed, 0 if spec.seeds == "common" else point, rep)
            for variant in spec.variants:
                runs.append(Run(f"{variant.name}-p{point:05d}-r{rep:03d}", variant.name, point, rep, seed, values))
    return runs
