"""The run's summary figure (four panels) from the model-level table.

With replications (a ``replication`` column, ``abm run --replications N``) every line is the mean
over replications and a shaded band its 95% interval.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from abm.config.units import WEEKS_PER_YEAR  # noqa: E402
from abm.core.levels import SERVED_COLUMNS  # noqa: E402
from abm.experiments.replications import bands  # noqa: E402
from abm.files import atomic_write  # noqa: E402


def _line(ax, table: pd.DataFrame, col: str, **kw) -> None:
    """Mean line and (if there are replications) its 95% band."""
    (line,) = ax.plot(table["year"], table[col], **kw)
    low, high = table[f"{col}_low"], table[f"{col}_high"]
    if low.notna().any():  # every plotted quantity is >= 0: the band stops at zero
        ax.fill_between(table["year"], low.clip(lower=0), high, color=line.get_color(), alpha=0.2, lw=0)


def summary_figure(df: pd.DataFrame, path: Path | str, title: str = "Buurtkracht") -> Path:
    """Loneliness by district, formal demand by level, waiting and escalations, costs."""
    path = Path(path)
    df = df.assign(
        escalations_13wk=df.groupby(["district", *(["replication"] if "replication" in df else [])], sort=False)
        ["escalations"].transform(lambda s: s.rolling(13, min_periods=1).mean()),
        formal_cost_per_resident=df["formal_care_cost"] * WEEKS_PER_YEAR / df["population"],
        intervention_cost_per_resident=df["intervention_cost"] * WEEKS_PER_YEAR / df["population"],
    )
    cols = ["lonely_share", *SERVED_COLUMNS, "waiting_list", "escalations_13wk", "formal_cost_per_resident",
            "intervention_cost_per_resident"]
    table = bands(df, cols, by=("district", "district_type", "year"))
    everyone = table[table["district"] == "all"]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)
    ax = axes[0, 0]
    for name, part in table[table["district"] != "all"].groupby("district", sort=False):
        _line(ax, part, "lonely_share", label=f"{name} ({part['district_type'].iloc[0]})", lw=1)
    _line(ax, everyone, "lonely_share", color="black", lw=2, label="municipality")
    ax.set(title="Lonely adults (De Jong Gierveld >= 3)", xlabel="year", ylabel="share")
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    for col in SERVED_COLUMNS:
        _line(ax, everyone, col, label=col.removeprefix("served_"))
    ax.set(title="Formal care clients by level", xlabel="year", ylabel="clients")
    ax.legend(fontsize=8)
    ax = axes[1, 0]
    _line(ax, everyone, "waiting_list", label="waiting list")
    _line(ax, everyone, "escalations_13wk", label="escalations / week (13-week mean)")
    ax.set(title="Waiting and escalation", xlabel="year", ylabel="persons / events")
    ax.legend(fontsize=8)
    ax = axes[1, 1]
    _line(ax, everyone, "formal_cost_per_resident", label="formal care")
    _line(ax, everyone, "intervention_cost_per_resident", label="interventions")
    ax.set(title="Cost per resident (annualised)", xlabel="year", ylabel="euro / resident / year")
    ax.legend(fontsize=8)
    n = df["replication"].nunique() if "replication" in df else 1
    fig.suptitle(title + (f"\nlines: means of {n} replications; bands: 95% intervals of the mean" if n > 1 else ""))
    try:
        atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110))
    finally:
        plt.close(fig)
    return path


DOSE_PARAM = "param:interventions.network_developers.fte"


def dose_response_table(folder: Path | str, residents: int, baseline: str = "baseline") -> pd.DataFrame:
    """Paired effects (variant minus baseline, 95% CI over replications) per developer dose of a sweep
    whose design varies ``interventions.network_developers.fte``; adds ``fte_per_10000``."""
    from abm.experiments.analysis import effect_table
    from abm.experiments.sweep import load_metrics

    table = effect_table(load_metrics(folder), baseline)
    table = table[table["district"] == "all"].copy()
    table["fte_per_10000"] = table[DOSE_PARAM] * 10_000 / residents
    return table.sort_values(["metric", "fte_per_10000"]).reset_index(drop=True)


def dose_response_figure(table: pd.DataFrame, path: Path | str, reference_per_10000: float,
                         panels: dict[str, tuple[str, float]]) -> Path:
    """Effect against dose with 95% intervals, one panel per metric: ``panels`` maps a metric to
    (label, scale factor applied to the effect); a dotted line marks the reference dose."""
    path = Path(path)
    fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 3.4), constrained_layout=True)
    for ax, (metric, (label, scale)) in zip(axes, panels.items()):
        part = table[table["metric"] == metric]
        mean, lo, hi = (part[c].to_numpy() * scale for c in ("mean", "ci_low", "ci_high"))
        ax.errorbar(part["fte_per_10000"], mean, yerr=[mean - lo, hi - mean], marker="o", capsize=3)
        ax.axhline(0, color="grey", lw=0.8)
        ax.axvline(reference_per_10000, color="tab:red", ls=":", label="reference dose")
        ax.set_xscale("log")
        ax.set_xticks(sorted(part["fte_per_10000"].unique()), [f"{x:.3g}" for x in sorted(part["fte_per_10000"].unique())])
        ax.minorticks_off()
        ax.set(title=label, xlabel="developer FTE per 10,000 residents")
    axes[0].set_ylabel("effect vs no developers (95% CI)")
    axes[0].legend(fontsize=8)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
