"""Calibration targets (configs/calibration/targets.yaml) and the statistics that map a run to them.

A *statistic* is a named number computed from one model run over a measurement window (the last
``window_years`` of the horizon, after warm-up):

- table statistics: from the output table (municipality rows, or per district), averaged over the
  window's weeks;
- state statistics: from the model's state through its public attributes (``model.pop``,
  ``model.network()``), measured every ``every_weeks`` weeks in the window and averaged;
- derived statistics: ratios of the two above.

``measure(config)`` runs a config and returns every statistic it can compute; ``score`` turns a
statistic and its target into a signed standardised discrepancy. Statistics that need model parts
not there yet (a column or a measurement added by later work) are left out of ``measure``'s
result and reported as missing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, model_validator

from abm.config import Config, ConfigError, _format_error, configs_dir, read_yaml
from abm.config.base import Strict

TARGETS_FILE = "calibration/targets.yaml"


# ---------------------------------------------------------------- statistics


def _muni(col: str) -> Callable[[pd.DataFrame], float]:
    return lambda w: float(w.loc[w.district == "all", col].mean())


def _district_range(w: pd.DataFrame) -> tuple[float, float]:
    per = w[w.district != "all"].groupby("district")["lonely_share"].mean()
    return float(per.min()), float(per.max())


def _of_type(col: str, district_type: str) -> Callable[[pd.DataFrame], float]:
    def f(w: pd.DataFrame) -> float:
        part = w[w.district_type == district_type]
        if part.empty:
            raise MissingStatistic(f"no {district_type} district in the run")
        return float(part[col].mean())
    return f


def _heavy_carers(w: pd.DataFrame) -> float:
    col = "heavy_carers" if "heavy_carers" in w else "heavily_burdened_carers"
    return float(w.loc[w.district == "all", col].mean())


def _column(col: str) -> Callable[[pd.DataFrame], float]:
    def f(w: pd.DataFrame) -> float:
        if col not in w:
            raise MissingStatistic(f"the model has no output column {col!r} yet")
        return float(w.loc[w.district == "all", col].mean())
    return f


TABLE: dict[str, Callable[[pd.DataFrame], float | tuple]] = {
    "lonely_share": _muni("lonely_share"),
    "severely_lonely_share": _muni("severely_lonely_share"),
    "lonely_share_65plus": _muni("elderly_lonely_share"),
    "lonely_share_district_range": _district_range,
    "lonely_share_65plus_deprived_urban": _of_type("elderly_lonely_share", "deprived_urban"),
    "clustering": _muni("clustering"),
    "mean_degree": _muni("mean_degree"),
    "volunteers": _muni("volunteers"),
    "heavy_carers": _heavy_carers,
    "carers": _column("carers"),
    "informal_support_hours": _muni("informal_support_hours"),
}


def _share_of(age_min: float, which: str) -> Callable:
    def f(model) -> float:
        pop = model.pop
        group = pop.age >= age_min
        flag = pop.lonely() if which == "lonely" else pop.severely_lonely()
        return float(flag[group].mean()) if group.any() else np.nan
    return f


def _count_age(age_min: float) -> Callable:
    return lambda model: float((model.pop.age >= age_min).sum())


def _assortativity(model) -> float:
    import networkx as nx

    g = model.network()
    return float(nx.degree_assortativity_coefficient(g)) if g.number_of_edges() else np.nan


def _contagion(model) -> np.ndarray:
    try:
        from abm.experiments.measures import contagion_gradient
    except ImportError:  # arrives with the loneliness-contagion work (issue 9)
        raise MissingStatistic("abm.experiments.measures.contagion_gradient is not in this version of the model") from None
    edges = np.array(model.network().edges(), dtype=np.int64).reshape(-1, 2)
    pop = model.pop
    return contagion_gradient(edges[:, 0], edges[:, 1], pop.lonely(), pop.age >= 18, distances=3,
                              rng=np.random.default_rng([model.config.seed, 104729]))


def partnered_adults(model) -> np.ndarray:
    """Bool (n,): adults with a partner at home (an adult of their household tied to them)."""
    from abm.core.loneliness import partners

    pop = model.pop
    return partners(model.config, pop, model.ties.view(), np.ones(pop.n, dtype=bool)) & (pop.age >= model.config.demography.adult_age)


def severe_partnered_ratio(model) -> float:
    """Severely lonely share of adults with a partner at home over that of all adults (the CBS contrast)."""
    pop = model.pop
    severe, adult = pop.severely_lonely(), pop.age >= model.config.demography.adult_age
    partnered = partnered_adults(model)
    all_adults = severe[adult].mean() if adult.any() else 0.0
    return float(severe[partnered].mean() / all_adults) if partnered.any() and all_adults > 0 else np.nan


def trait_variance_share(model) -> float:
    """Share of the adults' loneliness-score variance the fixed personal trait explains: the squared
    correlation of trait (capped at the scale's maximum, which the score cannot pass) and score."""
    pop = model.pop
    adult = pop.age >= model.config.demography.adult_age
    trait = np.minimum(pop.trait[adult], model.config.loneliness.max_score)
    return float(np.corrcoef(trait, pop.loneliness[adult])[0, 1] ** 2) if adult.sum() > 1 else np.nan


STATE: dict[str, Callable] = {
    "lonely_share_75plus": _share_of(75, "lonely"),
    "severely_lonely_share_75plus": _share_of(75, "severe"),
    "residents_15plus": _count_age(15),
    "residents_16plus": _count_age(16),
    "adults": _count_age(18),
    "degree_assortativity": _assortativity,
    "contagion_gradient": _contagion,
    "severely_lonely_partnered_ratio": severe_partnered_ratio,
    "trait_variance_share": trait_variance_share,
}

DERIVED: dict[str, Callable[[dict], float]] = {
    "volunteer_share": lambda s: s["volunteers"] / s["residents_15plus"],
    "heavy_carer_share": lambda s: s["heavy_carers"] / s["adults"],
    "carer_share": lambda s: s["carers"] / s["residents_16plus"],
    "carer_hours": lambda s: s["informal_support_hours"] / s["carers"] if s["carers"] > 0 else np.nan,
    "contagion_gradient_d1": lambda s: float(s["contagion_gradient"][0]),
    "contagion_gradient_d2": lambda s: float(s["contagion_gradient"][1]),
    "contagion_gradient_d3": lambda s: float(s["contagion_gradient"][2]),
}

# the table and state statistics each derived statistic is computed from
DEPENDS: dict[str, tuple[str, ...]] = {
    "volunteer_share": ("volunteers", "residents_15plus"),
    "heavy_carer_share": ("heavy_carers", "adults"),
    "carer_share": ("carers", "residents_16plus"),
    "carer_hours": ("informal_support_hours", "carers"),
    "contagion_gradient_d1": ("contagion_gradient",),
    "contagion_gradient_d2": ("contagion_gradient",),
    "contagion_gradient_d3": ("contagion_gradient",),
}

STATISTICS = sorted([*TABLE, *STATE, *DERIVED])


class MissingStatistic(RuntimeError):
    """A statistic the current model cannot produce (the message says what is missing)."""


def measure(config: Config, window_years: float = 2.0, every_weeks: int = 13,
            state_names: set[str] | None = None) -> tuple[dict[str, float | tuple], dict[str, str]]:
    """Run ``config`` and compute the statistics over the last ``window_years`` of the horizon.

    Returns (values, missing): values by statistic name, and for statistics the model cannot
    produce yet, the reason. ``state_names`` limits the state statistics measured (default: all;
    they cost time, a network snapshot for some).
    """
    from abm.core.model import MunicipalityModel

    model = MunicipalityModel(config)
    total = model.total_steps
    start = total - min(int(round(window_years * 52)), config.steps)
    state = {k: f for k, f in STATE.items() if state_names is None or k in state_names}
    samples: dict[str, list] = {name: [] for name in state}
    missing: dict[str, str] = {}
    while model.steps < total:
        model.step()
        if model.steps > start and (total - model.steps) % every_weeks == 0:
            for name, f in state.items():
                if name in missing:
                    continue
                try:
                    samples[name].append(f(model))
                except MissingStatistic as exc:
                    missing[name] = str(exc)
    table = model.results()
    window = table[table.step > start]
    values: dict[str, float | tuple] = {}
    for name, f in TABLE.items():
        try:
            values[name] = f(window)
        except MissingStatistic as exc:
            missing[name] = str(exc)
    for name, got in samples.items():
        if got and name not in missing:
            values[name] = np.nanmean(np.asarray(got, dtype=float), axis=0)
    for name, f in DERIVED.items():
        try:
            values[name] = f(values)
        except KeyError as exc:
            missing[name] = missing.get(exc.args[0], f"needs {exc.args[0]}")
    return values, missing


# ---------------------------------------------------------------- targets


class Target(Strict):
    statistic: str
    value: float | tuple[float, float]
    interval: tuple[float, float] | None = None
    year: int | None = None
    n: int | None = Field(None, ge=1, description="sample size, where the source gives it")
    scale: float = Field(gt=0, description="discrepancy counted as one unit")
    scale_source: str
    role: Literal["fitted", "held_out", "pending"]
    source: str = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _known(self) -> Target:
        if self.statistic not in STATISTICS:
            raise ValueError(f"statistic {self.statistic!r} is not known; choose from {STATISTICS}")
        if self.interval is not None and not self.interval[0] <= self.interval[1]:
            raise ValueError(f"interval low must not exceed high, got {list(self.interval)}")
        return self


class Targets(Strict):
    targets: dict[str, Target] = Field(min_length=1)

    def with_role(self, role: str) -> dict[str, Target]:
        return {k: t for k, t in self.targets.items() if t.role == role}


def load_targets(path: Path | str | None = None) -> Targets:
    """Read and validate a targets file (default: configs/calibration/targets.yaml)."""
    path = Path(path) if path is not None else configs_dir() / TARGETS_FILE
    try:
        return Targets.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_format_error(exc)}") from None


def score(target: Target, value) -> float:
    """Signed discrepancy in units of ``target.scale``: model minus target, or the distance outside
    the target's interval (0 inside). A (low, high) statistic is scored end by end against the
    interval (the distance of either end outside it)."""
    if isinstance(value, (tuple, list, np.ndarray)) and np.size(value) == 2:
        lo, hi = target.interval if target.interval is not None else target.value
        return float((max(0.0, lo - value[0]) + max(0.0, value[1] - hi)) / target.scale)
    value = float(value)
    if target.interval is not None:
        lo, hi = target.interval
        return float((min(0.0, value - lo) + max(0.0, value - hi)) / target.scale)
    return float((value - target.value) / target.scale)
