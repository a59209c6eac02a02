"""The workshop's charts as plotly figures (plain dicts, rendered in the browser without a CDN).

One line per scenario (the mean over its runs) with a band (95% interval of that mean); colour and
line style both tell the scenarios apart (Okabe-Ito palette, safe for colour-blindness); a dotted
mark where a lever changed. Figures are built as dicts: plotly's validation would cost seconds per
tick on the workshop laptop.
"""

from __future__ import annotations

import numpy as np

from abm.app.formatting import plotly_separators
from abm.app.metrics import Chart
from abm.app.text import t

COLOURS = ("#0072B2", "#E69F00", "#009E73")  # blue, orange, bluish green
DASHES = ("solid", "dash", "dot")


def rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _json(values) -> object:
    """An array for the browser: JSON has no NaN, so a gap becomes None."""
    values = np.asarray(values, dtype=float)
    if np.isfinite(values).all():
        return values
    return [None if not np.isfinite(v) else float(v) for v in values]


def _axis_suffix(p: int) -> str:
    return "" if p == 1 else str(p)


def figure(chart: Chart, bands: dict[str, list[dict]], names: list[str], lang: str, years: float,
           changes: list[tuple[float, int]] = (), height: int = 300, font: int = 14) -> dict:
    """``bands[column][k]``: scenario k's arrays (year, mean, low, high); ``changes``: (year, scenario)."""
    n = len(chart.panels)
    gap = 0.08 if n > 1 else 0.0
    width = (1.0 - gap * (n - 1)) / n
    data, layout = [], {}
    annotations, shapes = [], []
    for p, (column, label) in enumerate(chart.panels, start=1):
        xa, ya = f"x{_axis_suffix(p)}", f"y{_axis_suffix(p)}"
        for k, band in enumerate(bands[column]):
            colour = COLOURS[k % len(COLOURS)]
            x = band["year"]
            common = dict(type="scatter", mode="lines", xaxis=xa, yaxis=ya, legendgroup=names[k], showlegend=False)
            data.append(dict(common, y=_json(band["high"]), x=x, line=dict(width=0), hoverinfo="skip"))
            low = np.clip(band["low"], 0.0, None)  # every charted quantity is >= 0: a t-band stops at zero
            data.append(dict(common, y=_json(low), x=x, line=dict(width=0), fill="tonexty",
                             fillcolor=rgba(colour, 0.2), hoverinfo="skip", name=f"band {names[k]}"))
            data.append(dict(common, y=_json(band["mean"]), x=x, name=names[k],
                             line=dict(color=colour, dash=DASHES[k % len(DASHES)], width=3)))
        lo = (p - 1) * (width + gap)
        yaxis = dict(anchor=xa, rangemode="tozero", automargin=True, gridcolor="#e5e5e5")
        if chart.unit == "share":
            yaxis.update(tickformat=".0%", hoverformat=".1%")
        elif chart.unit == "euro":
            yaxis.update(tickprefix="€ " if lang == "nl" else "€", tickformat=",.0f")
        else:
            yaxis.update(tickformat=",.0f")
        layout[f"yaxis{_axis_suffix(p)}"] = yaxis
        layout[f"xaxis{_axis_suffix(p)}"] = dict(anchor=ya, domain=[lo, lo + width], range=[0, years], dtick=1 if years <= 10 else 2,
                                                 title=dict(text=t("year", lang)), gridcolor="#e5e5e5", automargin=True)
        if n > 1:
            annotations.append(dict(text=t(label, lang), x=lo + width / 2, y=1.0, xref="paper", yref="paper",
                                    xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=font)))
        for year, k in changes:
            if year > 0:
                shapes.append(dict(type="line", x0=year, x1=year, y0=0, y1=1, xref=xa, yref=f"{ya} domain",
                                   line=dict(color=COLOURS[k % len(COLOURS)], dash="dot", width=2)))
    layout.update(height=height, margin=dict(l=10, r=10, t=30 if n > 1 else 10, b=10), showlegend=False,
                  separators=plotly_separators(lang), font=dict(size=font), hovermode="x unified",
                  plot_bgcolor="white", paper_bgcolor="white", annotations=annotations, shapes=shapes)
    return {"data": data, "layout": layout}
