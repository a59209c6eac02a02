"""The workshop app (Solara): one district, baseline against the chosen levers, in Dutch or English.

Start it with ``abm app``. The page shows the district's social network (street blocks; new, lost
and brokered ties), time series of loneliness, formal demand by level, waiting list and costs, and
headline figures; the room changes the district type, size and levers, plays, pauses, steps and
resets, loads scenario presets, switches language and exports CSV and PNG. Every change rebuilds
both runs on the same seed, so a difference between them is the levers' and not chance. A setting
that cannot be built shows a message and keeps the previous session.
"""

from __future__ import annotations

import io
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import solara  # noqa: E402
import solara.lab  # noqa: E402

from abm.app.network_view import draw_network, street_layout  # noqa: E402
from abm.app.session import Session, Settings  # noqa: E402
from abm.app.text import PRESETS, district_label, preset, t  # noqa: E402
from abm.config import DISTRICT_TYPES, ConfigError  # noqa: E402
from abm.config.units import WEEKS_PER_YEAR  # noqa: E402
from abm.core.levels import DEMAND_COLUMNS  # noqa: E402

BASE_CONFIG = os.environ.get("BUURTKRACHT_CONFIG") or None
FUNDING = {"structural": None, "2": 2.0, "4": 4.0}

lang = solara.reactive("nl")
settings = solara.reactive(preset(PRESETS[0]["key"])["settings"])
session: solara.Reactive[Session | None] = solara.reactive(None)
version = solara.reactive(0)
playing = solara.reactive(False)
speed = solara.reactive(2)
compare = solara.reactive(True)
colour_by = solara.reactive("loneliness")
error = solara.reactive("")
preset_key = solara.reactive(PRESETS[0]["key"])
previous_ties = solara.reactive(None)


def rebuild(new: Settings) -> bool:
    """Build both runs for ``new``; on failure keep the previous session and say why."""
    playing.value = False
    try:
        built = Session(new, base=BASE_CONFIG)
    except (ConfigError, ValueError) as exc:
        error.value = f"{t('error_build', lang.value)} ({exc})"
        return False
    session.value = built
    settings.value = new
    error.value = ""
    previous_ties.value = None
    version.value += 1
    return True


def change(**kw) -> None:
    rebuild(settings.value.with_(**kw))


def step(weeks: int) -> None:
    s = session.value
    if s is not None:
        with s.lock:
            s.step(weeks)
        version.value += 1


def chart_figure(s: Session, language: str, show_baseline: bool):
    """Four panels: loneliness, formal demand by level, waiting and escalations, cost per resident."""
    fig, axes = plt.subplots(2, 2, figsize=(9, 6.2))
    runs = [("levers", "-", t("levers_run", language))]
    if show_baseline:
        runs.append(("baseline", "--", t("baseline_run", language)))
    colours = {"demand_light": "tab:green", "demand_intensive": "tab:orange", "demand_longterm": "tab:purple",
               "demand_crisis": "tab:red"}
    with s.lock:
        tables = {which: s.table(which) for which, _, _ in runs}
    for which, style, label in runs:
        df = tables[which]
        if df.empty:
            continue
        axes[0, 0].plot(df.year, df.lonely_share, style, color="tab:blue", label=label)
        for col in DEMAND_COLUMNS:
            axes[0, 1].plot(df.year, df[col], style, color=colours[col],
                            label=f"{t(col.removeprefix('demand_'), language)} ({label})")
        axes[1, 0].plot(df.year, df.waiting_list, style, color="tab:brown", label=f"{t('waiting', language)} ({label})")
        axes[1, 0].plot(df.year, df.escalations.rolling(13, min_periods=1).mean(), style, color="tab:red",
                        label=f"{t('escalations', language)} ({label})")
        per = WEEKS_PER_YEAR / df.population
        axes[1, 1].plot(df.year, df.formal_care_cost * per, style, color="tab:gray",
                        label=f"{t('formal_cost', language)} ({label})")
        axes[1, 1].plot(df.year, df.intervention_cost * per, style, color="tab:cyan",
                        label=f"{t('intervention_cost', language)} ({label})")
    for ax, key in zip(axes.flat, ("chart_lonely", "chart_demand", "chart_waiting", "chart_cost")):
        ax.set_title(t(key, language), fontsize=10)
        ax.set_xlabel(t("year", language))
        ax.set_xlim(0, s.settings.years)  # the room sees the whole horizon fill up
        ax.legend(fontsize=6)
    fig.tight_layout()
    return fig


def figure_png(fig) -> bytes:
    """Render a figure to PNG bytes and free it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


@solara.component
def Controls():
    language = lang.value
    s = settings.value
    names = {p["name"][0 if language == "nl" else 1]: p["key"] for p in PRESETS}
    current_name = next(name for name, key in names.items() if key == preset_key.value)
    solara.Select(label=t("preset", language), value=current_name, values=list(names),
                  on_value=lambda name: load_preset(names[name]))
    solara.Markdown(preset(preset_key.value)["text"][0 if language == "nl" else 1])
    solara.Select(label=t("district_type", language), value=district_label(s.district_type, language),
                  values=[district_label(k, language) for k in DISTRICT_TYPES],
                  on_value=lambda label: change(district_type=next(k for k in DISTRICT_TYPES if district_label(k, language) == label)))
    solara.SliderInt(t("population", language), value=s.population, min=50, max=5000, step=50,
                     on_value=lambda v: change(population=v), thumb_label="always")
    solara.Markdown(f"**{t('levers', language)}**")
    solara.SliderFloat(t("fte", language), value=s.developers_fte, min=0, max=5, step=0.5,
                       on_value=lambda v: change(developers_fte=v), thumb_label="always")
    funding_labels = {"structural": t("structural", language), "2": t("project", language, n=2),
                      "4": t("project", language, n=4)}
    current = next(k for k, v in FUNDING.items() if v == s.funding_years) if s.funding_years in FUNDING.values() else "structural"
    solara.ToggleButtonsSingle(value=funding_labels[current], values=list(funding_labels.values()),
                               on_value=lambda label: change(funding_years=FUNDING[next(k for k, v in funding_labels.items() if v == label)]))
    solara.Switch(label=t("gp_referral", language), value=s.gp_referral, on_value=lambda v: change(gp_referral=v))
    solara.SliderFloat(t("volunteer_support", language), value=s.volunteer_support, min=0, max=3, step=0.25,
                       on_value=lambda v: change(volunteer_support=v), thumb_label="always")
    solara.SliderFloat(t("specialist", language), value=s.specialist_capacity, min=0, max=1.5, step=0.1,
                       on_value=lambda v: change(specialist_capacity=v), thumb_label="always")
    solara.SliderFloat(t("front_line", language), value=s.front_line_budget, min=0, max=1.5, step=0.1,
                       on_value=lambda v: change(front_line_budget=v), thumb_label="always")
    solara.SliderInt(t("seed", language), value=s.seed, min=1, max=50, on_value=lambda v: change(seed=v))
    solara.SliderInt(t("speed", language), value=speed.value, min=1, max=13, on_value=speed.set)


def load_preset(key: str) -> None:
    preset_key.value = key
    rebuild(preset(key)["settings"])


@solara.component
def Player():
    language, s = watched()  # the year shown changes every step

    def loop():
        while playing.value:
            current = session.value
            if current is None or current.finished:
                playing.value = False
                break
            try:
                step(speed.value)
            except Exception as exc:  # never leave the room with a stuck page
                playing.value = False
                error.value = f"{t('error_step', lang.value)}: {exc}"
                break
            time.sleep(0.15)

    solara.lab.use_task(loop, dependencies=[playing.value], prefer_threaded=True)
    with solara.Row():
        solara.Button(t("pause", language) if playing.value else t("play", language), color="primary",
                      on_click=lambda: playing.set(not playing.value), disabled=s is None or s.finished)
        solara.Button(t("step", language), on_click=lambda: step(speed.value), disabled=playing.value or s is None)
        solara.Button(t("reset", language), on_click=lambda: rebuild(settings.value))
    if s is not None:
        solara.Text(f"{t('year', language)} {s.year:.1f}")
        if s.finished:
            solara.Info(t("finished", language))


def watched() -> tuple[str, Session | None]:
    """Language and session, subscribing the calling component to every step (``version``)."""
    _ = version.value
    return lang.value, session.value


@solara.component
def Headlines():
    language, s = watched()
    if s is None:
        return
    with s.lock:
        lev, base = s.headlines("levers"), s.headlines("baseline")
    rows = [("clients", "clients", "{:,.0f}"), ("informal_hours", "informal_hours", "{:,.0f}"),
            ("cost_per_resident", "cost", "€ {:,.0f}"), ("lonely_share", "lonely", "{:.1%}")]
    with solara.Row(gap="12px", style={"flex-wrap": "wrap"}):
        for key, label, fmt in rows:
            with solara.Card(t(label, language), style={"min-width": "170px", "max-width": "260px"}):
                solara.Markdown(f"### {fmt.format(lev[key])}")
                if compare.value:
                    diff = lev[key] - base[key]
                    solara.Text(f"{t('baseline_run', language)}: {fmt.format(base[key])} "
                                f"({t('difference', language)} {'+' if diff >= 0 else ''}{fmt.format(diff)})")


@solara.component
def NetworkView():
    language, s = watched()
    layout = solara.use_memo(lambda: street_layout(s.models["levers"]) if s is not None else None, [id(s)])
    if s is None or layout is None:
        return
    labels = {k: t(k, language) for k in ("brokered", "new", "lost", "volunteer", "developer", "loneliness", "need", "streets")}
    labels["title"] = f"{t('network', language)}: {district_label(s.settings.district_type, language)}"
    with s.lock:
        fig, drawn = draw_network(s.models["levers"], layout, colour_by=colour_by.value,
                                  previous=previous_ties.value, labels=labels)
    previous_ties.value = drawn
    choices = {t("by_loneliness", language): "loneliness", t("by_need", language): "need"}
    solara.ToggleButtonsSingle(value=next(k for k, v in choices.items() if v == colour_by.value),
                               values=list(choices), on_value=lambda label: colour_by.set(choices[label]))
    solara.Image(figure_png(fig), format="png", width="100%", classes=["network-view"])


@solara.component
def Charts():
    language, s = watched()
    if s is None:
        return
    png = figure_png(chart_figure(s, language, compare.value))
    solara.Image(png, format="png", width="100%", classes=["charts"])
    with solara.Row():
        solara.FileDownload(lambda: s.export().to_csv(index=False).encode("utf-8"), filename="buurtkracht_run.csv",
                            label=t("export_csv", language))
        solara.FileDownload(png, filename="buurtkracht_charts.png", label=t("export_png", language))


@solara.component
def Page():
    language = lang.value
    if session.value is None and not error.value:
        rebuild(settings.value)
    solara.Title("Buurtkracht")
    with solara.Row(style={"align-items": "center", "justify-content": "space-between", "padding": "8px 16px",
                           "background": "#4a148c", "color": "white"}):
        solara.HTML(tag="h2", unsafe_innerHTML=t("title", language), style={"margin": "0", "color": "white"})
        solara.Button(t("language", language), on_click=lambda: lang.set("en" if language == "nl" else "nl"),
                      classes=["language-toggle"])
    with solara.Columns([4, 9], style={"padding": "8px"}):
        with solara.Column():
            Player()
            solara.Switch(label=t("compare", language), value=compare)
            Controls()
        with solara.Column():
            if error.value:
                solara.Error(error.value)
            Headlines()
            with solara.Columns([1, 1]):
                NetworkView()
                Charts()
