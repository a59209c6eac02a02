"""Plotly figures in the page without a CDN and without plotly's own widget.

``PlotlyLoader`` (once per page) puts the plotly.js that ships with the plotly package into the
page; ``PlotView`` draws a figure given as JSON with ``Plotly.react`` and redraws when the JSON
changes, so a step only sends the new numbers' JSON (plotly's FigureWidget did not show its first
figure in this Solara version and cost seconds per update).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import anywidget
import plotly
import traitlets
from plotly.io.json import to_json_plotly

_LOADER = """
export default {
  render({ model, el }) {
    if (!window.Plotly && !window.__bkPlotlyLoading) {
      window.__bkPlotlyLoading = true;
      const script = document.createElement("script");
      script.textContent = model.get("source");
      document.head.appendChild(script);
    }
  }
};
"""

_VIEW = """
function whenReady(callback) {
  if (window.Plotly) { callback(); } else { setTimeout(() => whenReady(callback), 50); }
}
export default {
  render({ model, el }) {
    el.classList.add("bk-plotly");
    const draw = () => whenReady(() => {
      const fig = JSON.parse(model.get("figure") || '{"data": [], "layout": {}}');
      el.style.width = "100%";
      fig.layout.autosize = true;
      window.Plotly.react(el, fig.data, fig.layout, { displayModeBar: false, responsive: true })
        // fit the container, not plotly's default 700 px; a chart hidden or unmounted meanwhile is left alone
        .then(() => { if (el.isConnected && el.offsetParent !== null) { return window.Plotly.Plots.resize(el); } })
        .catch(() => {});
    });
    model.on("change:figure", draw);
    draw();
    return () => { if (window.Plotly) { window.Plotly.purge(el); } };
  }
};
"""


@cache
def plotly_source() -> str:
    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


class PlotlyLoader(anywidget.AnyWidget):
    _esm = _LOADER
    source = traitlets.Unicode("").tag(sync=True)


class PlotView(anywidget.AnyWidget):
    _esm = _VIEW
    figure = traitlets.Unicode("").tag(sync=True)


def to_json(fig: dict) -> str:
    """A figure dict (numpy arrays allowed; NaN becomes null) as JSON."""
    return to_json_plotly(fig)
