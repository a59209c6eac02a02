"""What the cards and charts show, as tables, and the statistics over an ensemble's paired runs.

``CARDS`` and ``CHARTS`` list (column, label key, unit); a column that the model does not (yet)
produce is left out, so new output columns (the care economy's carers, admissions, QALY loss, cost
by payer) become one line each. Derived columns: ``clients`` (all formal levels), ``cost`` (the
societal cost if the model reports it, else formal care + interventions), ``cost_per_resident_year``
and ``cumulative_cost``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from abm.config.units import WEEKS_PER_YEAR
from abm.core.levels import SERVED_COLUMNS

COST_PARTS = ("formal_care_cost", "intervention_cost")  # until the model reports societal_cost
WINDOW_WEEKS = 13  # cards show the mean of the last quarter of each run


@dataclass(frozen=True)
class Metric:
    column: str
    label: str  # key in text.TEXT
    unit: str  # share | count | hours | euro
    cumulative: bool = False  # the card shows the last value, not a quarter's mean


CARDS: list[Metric] = [
    Metric("lonely_share", "lonely", "share"),
    Metric("clients", "clients", "count"),
    Metric("waiting_list", "waiting", "count"),
    Metric("informal_support_hours", "informal_hours", "hours"),
    Metric("cost_per_resident_year", "cost", "euro"),
    Metric("cumulative_cost", "cumulative_cost", "euro", cumulative=True),
    # care economy (shown once the model reports them)
    Metric("heavy_carers", "heavy_carers", "count"),
    Metric("overburdened_carers", "overburdened_carers", "count"),
    Metric("admissions", "admissions", "count"),
    Metric("qaly_loss", "qaly_loss", "count"),
]


@dataclass(frozen=True)
class Chart:
    key: str  # title key; the "wat zie ik?" text is key + "_help"
    panels: tuple[tuple[str, str], ...]  # (column, panel label key)
    unit: str


CHARTS: list[Chart] = [
    Chart("chart_lonely", (("lonely_share", "lonely"),), "share"),
    Chart("chart_kind", (("clients_dementia", "dementia"), ("clients_psychiatric", "psychiatric"),
                         ("clients_social", "social")), "count"),  # clients_chronic_illness joins when that kind is on
    Chart("chart_demand", (("clients", "clients_short"), ("waiting_list", "waiting")), "count"),
    Chart("chart_cost", (("cumulative_cost_per_resident", "cumulative_cost_short"),
                         ("cost_per_resident_year", "cost_short")), "euro"),
]


Runs = dict[str, np.ndarray]  # column -> (runs, weeks) array; "year" -> (weeks,)


def stack(frames: list[pd.DataFrame]) -> Runs:
    """The runs' tables (equally long, from year 0) as arrays, plus the derived columns."""
    first = frames[0]
    numeric = [c for c in first.columns if c != "year" and pd.api.types.is_numeric_dtype(first[c])]
    out: Runs = {c: np.stack([f[c].to_numpy(dtype=float) for f in frames]) for c in numeric}
    out["year"] = first["year"].to_numpy(dtype=float)
    out["clients"] = sum(out[c] for c in SERVED_COLUMNS)
    out["cost"] = out["societal_cost"] if "societal_cost" in out else sum(out[c] for c in COST_PARTS)
    out["cost_per_resident_year"] = out["cost"] * WEEKS_PER_YEAR / out["population"]
    # year 0 is the warm-up's last week: costs add up from the first week with levers
    out["cumulative_cost"] = np.cumsum(np.where(out["year"] > 0, out["cost"], 0.0), axis=1)
    out["cumulative_cost_per_resident"] = out["cumulative_cost"] / out["population"]
    return out


def present(items, columns) -> list:
    """The cards/charts whose columns the table has."""
    cols = set(columns)
    out = []
    for item in items:
        if isinstance(item, Metric):
            if item.column in cols:
                out.append(item)
        else:
            panels = tuple(p for p in item.panels if p[0] in cols)
            if panels:
                out.append(Chart(item.key, panels, item.unit))
    return out


def interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t-interval over runs (axis 0)."""
    values = np.asarray(values, dtype=float)
    n = values.shape[0]
    mean = values.mean(axis=0)
    if n < 2:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + level / 2, n - 1) * values.std(axis=0, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def per_run(runs: Runs, metric: Metric) -> np.ndarray:
    """One number per run: the last value (cumulative) or the last quarter's mean."""
    values = runs[metric.column]
    return values[:, -1] if metric.cumulative else values[:, -WINDOW_WEEKS:].mean(axis=1)


@dataclass
class Card:
    metric: Metric
    values: list[float]  # per scenario: the mean over runs
    diffs: list[tuple[float, float, float] | None]  # per scenario: paired mean difference to the first, CI

    def chance(self, k: int) -> bool:
        """Is scenario ``k``'s difference within chance (its interval covers 0)?"""
        d = self.diffs[k]
        return d is None or d[1] <= 0.0 <= d[2]


def cards(scenarios: list[Runs]) -> list[Card]:
    """The cards of the scenarios' runs; differences to the first scenario are paired over runs."""
    out = []
    for metric in present(CARDS, scenarios[0]):
        runs = [per_run(r, metric) for r in scenarios]
        diffs = [None] + [tuple(float(x) for x in interval(r - runs[0])) for r in runs[1:]]
        out.append(Card(metric, [float(r.mean()) for r in runs], diffs))
    return out


def bands(runs: Runs, column: str) -> dict[str, np.ndarray]:
    """Per week: the mean over runs and its 95% interval (keys year, mean, low, high)."""
    mean, low, high = interval(runs[column])
    return {"year": runs["year"], "mean": mean, "low": low, "high": high}


def cost_per_avoided_need_year(base: Runs, other: Runs) -> tuple[float, bool] | None:
    """Extra cost per year of formal care need avoided, paired over runs: (euro, avoided beyond chance).

    Need is ``demand_total`` (residents who need formal care, served or waiting), so a capacity cut
    that serves fewer while more wait avoids nothing; clients served where the model has no demand
    column. None while no need-year is avoided on average."""
    counted = base["year"] > 0
    need = "demand_total" if "demand_total" in base else "clients"
    avoided = (base[need][:, counted] - other[need][:, counted]).sum(axis=1) / WEEKS_PER_YEAR
    extra = other["cumulative_cost"][:, -1] - base["cumulative_cost"][:, -1]
    mean, low, _ = interval(avoided)
    if not np.isfinite(mean) or mean <= 0:
        return None
    return float(extra.mean() / mean), bool(low > 0)
