"""What the room looks at: the scenario legend, the cards, the network view and the charts.

Each view takes the session, the language and the step counter (so it redraws once per step);
``Live`` draws them all in one pass.
"""

from __future__ import annotations

import solara

from abm.app import formatting as fmt
from abm.app.charts import COLOURS, DASHES, figure
from abm.app.metrics import CHARTS, present
from abm.app.network_view import figure as network_figure
from abm.app.plotly_widget import PlotlyLoader, PlotView, plotly_source, to_json
from abm.app.session import Session
from abm.app.settings import SCENARIO_NAMES
from abm.app.state import colour_by, presenting, shown_chart, version
from abm.app.style import PRESENT_CARDS
from abm.app.text import describe, t


def swatch(k: int) -> str:
    dash = {"solid": "", "dash": "8,5", "dot": "2,4"}[DASHES[k % len(DASHES)]]
    return (f'<svg width="34" height="12" aria-hidden="true"><line x1="1" y1="6" x2="33" y2="6" stroke="{COLOURS[k]}" '
            f'stroke-width="4" stroke-dasharray="{dash}"/></svg>')


@solara.component
def Legend(scenarios: tuple, language: str, runs: int):
    items = "".join(f'<span class="bk-legend-item">{swatch(k)}<b>{SCENARIO_NAMES[k]}</b> {describe(lev, language)}</span>'
                    for k, lev in enumerate(scenarios))
    if presenting.value:  # the charts' bands explained once
        items += f'<span class="bk-legend-item bk-band-note">{t("band_short", language, runs=runs)}</span>'
    solara.HTML(tag="div", unsafe_innerHTML=items, classes=["bk-legend"])


@solara.component
def Cards(s: Session, language: str, step: int):
    with s.lock:
        cards = s.cards()
        per_avoided = s.cost_per_avoided()
    if presenting.value:
        cards = [c for c in cards if c.metric.column in PRESENT_CARDS]
    html = []
    for card in cards:
        rows = []
        for k, value in enumerate(card.values):
            line = f'<div class="bk-val">{swatch(k)}<b>{SCENARIO_NAMES[k]}</b>&nbsp;{fmt.value(value, card.metric.unit, language)}</div>'
            if k > 0:
                mean, low, high = card.diffs[k]
                unit = card.metric.unit
                vs = "" if presenting.value else f' {t("vs", language)}'
                diff = (f'{fmt.difference(mean, unit, language)}{vs} '
                        f'({fmt.difference(low, unit, language, short=True)} … {fmt.difference(high, unit, language, short=True)})')
                note = f'<div class="bk-chance">{t("chance", language)}</div>' if card.chance(k) else ""
                line += f'<div class="bk-diff">{diff}</div>{note}'
            rows.append(line)
        html.append(f'<div class="bk-card" data-metric="{card.metric.column}"><div class="bk-card-title">'
                    f'{t(card.metric.label, language)}</div>{"".join(rows)}</div>')
    if len(per_avoided) > 1:
        rows = []
        for k in range(1, len(per_avoided)):
            r = per_avoided[k]
            if r is None:
                text = t("none_avoided", language)
            elif r[0] <= 0:
                text = t("saving", language)
            else:
                text = fmt.euro(r[0], language) + ("" if r[1] else f'<div class="bk-chance">{t("chance", language)}</div>')
            rows.append(f'<div class="bk-val">{swatch(k)}<b>{SCENARIO_NAMES[k]}</b>&nbsp;{text}</div>')
        html.append(f'<div class="bk-card" data-metric="per_avoided"><div class="bk-card-title">'
                    f'{t("per_avoided", language)}</div>{"".join(rows)}</div>')
    solara.HTML(tag="div", unsafe_innerHTML="".join(html), classes=["bk-cards"])


@solara.component
def PlotlyScript():
    """plotly.js for every plot of the page (put in once, takes no space)."""
    with solara.Div(style={"display": "none"}):
        PlotlyLoader.element(source=plotly_source())


@solara.component
def Plot(fig: dict):
    """A plotly figure (a dict); the browser redraws it when its JSON changes."""
    with solara.Div(classes=["bk-plot"]):
        PlotView.element(figure=to_json(fig))


@solara.component
def NetworkView(s: Session, language: str, step: int):
    frame = s.frame
    labels = {k: t(k, language) for k in ("brokered", "new", "lost", "volunteer", "developer", "loneliness", "need")}
    if frame is None:
        return
    k = s.ensemble.display[0]
    with solara.Column(classes=["bk-network"], gap="4px"):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}, gap="6px"):
            solara.HTML(tag="b", unsafe_innerHTML=t("network", language, s=SCENARIO_NAMES[k]))
            solara.ToggleButtonsSingle(value=SCENARIO_NAMES[k], values=list(SCENARIO_NAMES[:len(s.settings.scenarios)]), dense=True,
                                       on_value=lambda name: (s.show(SCENARIO_NAMES.index(name)), version.set(version.value + 1)))
            choices = {t("by_loneliness", language): "loneliness", t("by_need", language): "need"}
            solara.ToggleButtonsSingle(value=next(c for c, v in choices.items() if v == colour_by.value), dense=True,
                                       values=list(choices), on_value=lambda c: colour_by.set(choices[c]))
        height = 265 if presenting.value else 520
        fig = network_figure(frame, colour_by.value, labels, height=height, font=15 if presenting.value else 13,
                             legend=not presenting.value)
        with solara.Div(classes=["network-view"]):
            Plot(fig)
        brokered = sum(1 for _, b in frame.ties.values() if b)
        solara.HTML(tag="div", classes=["bk-tie-counts"], unsafe_innerHTML=(
            f'<span class="bk-new" data-count="{len(frame.new)}">▬ {t("new", language)}: {len(frame.new)}</span> · '
            f'<span class="bk-lost" data-count="{len(frame.lost)}">┅ {t("lost", language)}: {len(frame.lost)}</span> · '
            f'<span class="bk-brokered">▬ {t("brokered", language)}: {brokered}</span>'))


@solara.component
def ChartCard(chart, s: Session, language: str, height: int, step: int):
    bands = {col: s.bands(col) for col, _ in chart.panels}
    names = [f"{SCENARIO_NAMES[k]}: {describe(lev, language)}" for k, lev in enumerate(s.settings.scenarios)]
    changes = [(c.year, c.scenario) for c in s.changes]
    fig = figure(chart, bands, names, language, s.settings.years, changes, height=height,
                 font=16 if presenting.value else 13)
    with solara.Column(classes=["bk-chart", f"bk-{chart.key}"], gap="0px"):
        solara.HTML(tag="div", unsafe_innerHTML=t(chart.key, language), classes=["bk-chart-title"])
        Plot(fig)
        solara.HTML(tag="div", classes=["bk-help"], unsafe_innerHTML=(
            f'<b>{t("what", language)}</b> {t(chart.key + "_help", language)} '
            + ("" if presenting.value else t("band_help", language, runs=s.settings.runs))))


@solara.component
def Charts(s: Session, language: str, step: int):
    with s.lock:
        charts = present(CHARTS, s.runs()[0])
    if presenting.value:
        keys = [c.key for c in charts]
        current = shown_chart.value if shown_chart.value in keys else keys[0]
        solara.ToggleButtonsSingle(value=t(current + "_short", language), values=[t(k + "_short", language) for k in keys],
                                   on_value=lambda label: shown_chart.set(next(k for k in keys if t(k + "_short", language) == label)),
                                   classes=["bk-chart-choice"])
        ChartCard(next(c for c in charts if c.key == current), s, language, 250, step)
    else:
        with solara.Div(classes=["bk-chart-grid"]):
            for chart in charts:
                ChartCard(chart, s, language, 300, step)




@solara.component
def Live(s: Session, language: str):
    """The legend, cards, network and charts of the session, redrawn once per step."""
    step = version.value
    with solara.Div(classes=["bk-live"]):
        PlotlyScript()
        Legend(s.settings.scenarios, language, s.settings.runs)
        Cards(s, language, step)
        with solara.Div(classes=["bk-present-main" if presenting.value else "bk-content-row"]):
            NetworkView(s, language, step)
            Charts(s, language, step)
