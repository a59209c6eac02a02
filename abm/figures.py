"""The run's summary figure (four panels) from the model-level table."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from abm.config.units import WEEKS_PER_YEAR  # noqa: E402
from abm.core.levels import DEMAND_COLUMNS  # noqa: E402
from abm.files import atomic_write  # noqa: E402


def summary_figure(df: pd.DataFrame, path: Path | str, title: str = "Buurtkracht") -> Path:
    """Loneliness by district, formal demand by level, waiting and escalations, costs."""
    path = Path(path)
    everyone = df[df["district"] == "all"]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)
    ax = axes[0, 0]
    for name, part in df[df["district"] != "all"].groupby("district", sort=False):
        ax.plot(part["year"], part["lonely_share"], label=f"{name} ({part['district_type'].iloc[0]})", lw=1)
    ax.plot(everyone["year"], everyone["lonely_share"], color="black", lw=2, label="municipality")
    ax.set(title="Lonely adults (De Jong Gierveld >= 3)", xlabel="year", ylabel="share")
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    for col in DEMAND_COLUMNS:
        ax.plot(everyone["year"], everyone[col], label=col.removeprefix("demand_"))
    ax.set(title="Formal care clients by level", xlabel="year", ylabel="clients")
    ax.legend(fontsize=8)
    ax = axes[1, 0]
    ax.plot(everyone["year"], everyone["waiting_list"], label="waiting list")
    weekly = everyone.set_index("year")["escalations"].rolling(13, min_periods=1).mean()
    ax.plot(weekly.index, weekly.values, label="escalations / week (13-week mean)")
    ax.set(title="Waiting and escalation", xlabel="year", ylabel="persons / events")
    ax.legend(fontsize=8)
    ax = axes[1, 1]
    per_resident = WEEKS_PER_YEAR / everyone["population"]
    ax.plot(everyone["year"], everyone["formal_care_cost"] * per_resident, label="formal care")
    ax.plot(everyone["year"], everyone["intervention_cost"] * per_resident, label="interventions")
    ax.set(title="Cost per resident (annualised)", xlabel="year", ylabel="euro / resident / year")
    ax.legend(fontsize=8)
    fig.suptitle(title)
    try:
        atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110))
    finally:
        plt.close(fig)
    return path
