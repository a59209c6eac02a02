"""The lessons' figures: every line with its 95% band over seeds, every number with its interval.

``bands`` draws per-week means and bands of variants of the classroom runs; ``estimates`` draws a set
of :class:`~abm.experiments.classroom.Estimate` values as points with interval whiskers and the
per-seed values as small dots, so students see both the mean and the spread it came from.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from abm.experiments.classroom import Classroom, Estimate

COLOURS = {"baseline": "#555555", "reference_dose": "#74add1", "developers": "#1b7837", "project": "#e08214", "no_detection": "#8073ac",
           "specialist_cut": "#b2182b", "lever": "#2166ac"}


def bands(ax: plt.Axes, c: Classroom, column: str, labels: dict[str, str], district: str = "all",
          scale: float = 1.0, title: str = "", ylabel: str = "", mark_year: float | None = None) -> None:
    """Lines (means over seeds) and 95% bands of ``column`` for the variants in ``labels`` (variant -> label)."""
    table = c.bands(column, list(labels), district)
    for variant, label in labels.items():
        part = table[table.variant == variant]
        colour = COLOURS.get(variant)
        ax.plot(part.year, part[column] * scale, color=colour, label=label, lw=1.6)
        ax.fill_between(part.year, part[f"{column}_low"] * scale, part[f"{column}_high"] * scale, color=colour,
                        alpha=0.2, lw=0)
    if mark_year is not None:
        ax.axvline(mark_year, color="#999999", ls=":", lw=1)
    ax.set(title=title, xlabel="jaar / year", ylabel=ylabel, xlim=(0, None))
    ax.legend(fontsize=8, frameon=False)


def estimates(ax: plt.Axes, values: dict[str, Estimate], title: str = "", xlabel: str = "", zero: bool = True,
              scale: float = 1.0) -> None:
    """One row per label: mean (point), 95% interval (bar) and the per-seed values (dots)."""
    labels = list(values)
    for i, label in enumerate(labels):
        e = values[label].scaled(scale)
        ax.plot([e.low, e.high], [i, i], color="#2166ac", lw=3, alpha=0.6, solid_capstyle="butt")
        ax.plot(e.mean, i, "o", color="#2166ac", ms=7)
        ax.plot(e.values, [i] * len(e.values), ".", color="#000000", ms=4, alpha=0.6)
    if zero:
        ax.axvline(0, color="#999999", lw=1)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set(title=title, xlabel=xlabel)
