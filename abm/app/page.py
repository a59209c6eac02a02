"""The workshop app (Solara): one district, up to three scenarios side by side, each an ensemble of
paired runs, in Dutch or English. Start it with ``abm app``.

The page shows headline cards (mean per scenario, the difference to scenario A with its 95%
interval, or "nog niet te onderscheiden van toeval"), the network of one run (new, lost and brokered
ties), charts with bands and "wat zie ik?" texts. District settings rebuild the runs; a scenario's
levers change from the current week on, also during play. Settings live in the link and in a session
file. A setting that cannot be used snaps back with a message in the room's language. Presentation
mode hides the controls and fits a 1280×720 projector. Guided mode (``abm.app.guided``) walks a group
through a lesson: predict, play, reveal, discuss.
"""

from __future__ import annotations

import os
import threading
import time

import solara
import solara.lab

from abm.app import formatting as fmt
from abm.app import guided
from abm.app.ensemble import WorkerPool
from abm.app.session import Session, SettingsError
from abm.app.settings import (
    BOUNDS,
    MAX_SCENARIOS,
    SCENARIO_NAMES,
    Levers,
    Problem,
    Settings,
    from_json,
    from_query,
    to_json,
    to_query,
)
from abm.app.state import (
    editing,
    error,
    lang,
    playing,
    presenting,
    preset_key,
    session,
    settings,
    snap,
    speed,
    started,
    version,
)
from abm.app.style import CSS
from abm.app.text import COLUMNS_NL, LABEL_OF_FIELD, PRESETS, district_label, preset, t
from abm.app.views import Live
from abm.config import DISTRICT_TYPES

BASE_CONFIG = os.environ.get("BUURTKRACHT_CONFIG") or None
TICK_SECONDS = 0.5  # at least this long per tick, so the room can follow
_pool: WorkerPool | None = None
_pool_lock = threading.Lock()
_sessions: dict[str, Session] = {}  # per browser tab (kernel), closed when the tab goes


def pool() -> WorkerPool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = WorkerPool(int(os.environ.get("BUURTKRACHT_WORKERS", os.cpu_count() or 1)))
        return _pool


if int(os.environ.get("BUURTKRACHT_WORKERS", 1)) > 0:  # start the workers while the first browser connects
    threading.Thread(target=pool, daemon=True).start()


def _kernel_id() -> str:
    from solara.server import kernel_context

    return kernel_context.get_current_context().id if kernel_context.has_current_context() else "local"


def _on_kernel_start():
    kid = _kernel_id()

    def cleanup():
        old = _sessions.pop(kid, None)
        if old is not None:
            old.close()

    return cleanup


solara.lab.on_kernel_start(_on_kernel_start)

def problem_text(p: Problem, language: str, s: Settings) -> str:
    label = t(LABEL_OF_FIELD.get(p.field, p.field), language)
    if p.field == "population" and p.value < p.low:
        allowed = t("allowed_street", language, district=district_label(s.district_type, language).lower(),
                    low=fmt.number(p.low, language))
    elif p.choices:
        allowed = t("allowed_choice", language)
    else:
        allowed = t("allowed_range", language, low=fmt.number(p.low, language, 1 if p.low % 1 else 0),
                    high=fmt.number(p.high, language, 1 if p.high % 1 else 0))
    value = fmt.number(p.value, language, 2 if isinstance(p.value, float) and p.value % 1 else 0) \
        if isinstance(p.value, (int, float)) and not isinstance(p.value, bool) else str(p.value)
    return t("rejected", language, label=label, value=value, allowed=allowed)


def reject(exc: SettingsError, candidate: Settings) -> None:
    error.value = " ".join(problem_text(p, lang.value, candidate) for p in exc.problems)
    snap.value += 1


def rebuild(new: Settings) -> bool:
    """New runs for ``new``; if they cannot be built the previous session stays and the room is told why."""
    playing.value = False
    old = session.value
    display = min(editing.value, len(new.scenarios) - 1)
    try:
        built = Session(new, pool(), base=BASE_CONFIG, display=display)
    except SettingsError as exc:
        reject(exc, new)
        return False
    if old is not None:
        old.close()
    error.value = ""  # cleared before the new runs show: no stale refusal beside them
    _sessions[_kernel_id()] = built
    session.value = built
    settings.value = new
    editing.value = min(editing.value, len(new.scenarios) - 1)
    version.value += 1
    return True


def change(**kw) -> None:
    rebuild(settings.value.with_(**kw))


def change_lever(k: int, **kw) -> None:
    """Scenario ``k``'s levers from now on (no restart)."""
    s = session.value
    if s is None:
        return
    levers = s.settings.scenarios[k].with_(**kw)
    try:
        s.set_levers(k, levers)
    except SettingsError as exc:
        reject(exc, s.settings.with_lever(k, **kw))
        return
    settings.value = s.settings
    error.value = ""
    version.value += 1


def set_scenarios(n: int) -> None:
    scen = list(settings.value.scenarios)[:n]
    while len(scen) < n:
        scen.append(Levers())
    change(scenarios=tuple(scen))


def load_preset(key: str) -> None:
    guided.lesson_key.set("")
    preset_key.value = key
    rebuild(preset(key)["settings"])


def advance(weeks: int) -> None:
    s = session.value
    if s is not None and not s.finished:
        s.advance(weeks)
        version.value += 1


def restore(text: str, source: str) -> None:
    """Settings from a link or session file; a broken one leaves the current session and says why."""
    try:
        new, language = from_query(text) if source == "link" else from_json(text)
    except (KeyError, ValueError, TypeError) as exc:
        error.value = t("bad_link" if source == "link" else "bad_file", lang.value, why=exc)
        return
    lang.value = language
    rebuild(new)


# ---------------------------------------------------------------- components


def watched() -> tuple[str, Session | None]:
    """Language and session, subscribing the calling component to every step (``version``)."""
    _ = version.value
    return lang.value, session.value


@solara.component
def Player():
    language, s = watched()

    def loop():
        """Workers compute the next tick while the page shows this one."""
        current = session.value
        ticket = None
        try:
            while playing.value and current is not None and not current.finished:
                t0 = time.perf_counter()
                if ticket is None:
                    ticket = current.start(speed.value)
                current.finish(ticket)
                ticket = None
                if playing.value and not current.finished and session.value is current:
                    ticket = current.start(speed.value)
                version.value += 1
                time.sleep(max(0.02, TICK_SECONDS - (time.perf_counter() - t0)))
        except Exception as exc:  # never leave the room with a stuck page
            error.value = f"{t('error_step', lang.value)}: {exc}"
        finally:
            if ticket is not None:
                current.finish(ticket)
                version.value += 1
            playing.value = False

    solara.lab.use_task(loop, dependencies=[playing.value], prefer_threaded=True)
    with solara.Row(classes=["bk-player"], style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(t("pause", language) if playing.value else t("play", language), color="primary",
                      on_click=lambda: playing.set(not playing.value),
                      disabled=s is None or s.finished or not guided.play_allowed())
        solara.Button(t("step", language), on_click=lambda: advance(speed.value),
                      disabled=playing.value or s is None or not guided.play_allowed())
        solara.Button(t("reset", language), on_click=lambda: rebuild(settings.value))
        if s is not None:
            solara.HTML(tag="span", unsafe_innerHTML=fmt.year(s.year, language).capitalize(), classes=["bk-year"])
        solara.Button(t("present", language), on_click=lambda: presenting.set(not presenting.value),
                      classes=["bk-present-toggle"], outlined=not presenting.value)
        solara.Button(t("language", language), on_click=lambda: lang.set("en" if language == "nl" else "nl"),
                      classes=["language-toggle"], outlined=True)


@solara.component
def LeverControls(k: int):
    language = lang.value
    lev = settings.value.scenarios[k]
    key = f"{k}-{snap.value}"
    b = BOUNDS
    solara.SliderFloat(t("fte", language), value=lev.developers_fte, min=b["developers_fte"][0], max=b["developers_fte"][1],
                       step=b["developers_fte"][2], on_value=lambda v: change_lever(k, developers_fte=v),
                       thumb_label="always").key(f"fte-{key}")
    options = {t("structural", language): None, **{t("project", language, n=n): float(n) for n in (2, 4)}}
    current = next((label for label, v in options.items() if v == lev.funding_years), None)
    if current is None:  # a funding year set in a link or file
        current = t("project", language, n=fmt.number(lev.funding_years, language))
        options[current] = lev.funding_years
    solara.Text(t("funding", language))
    solara.ToggleButtonsSingle(value=current, values=list(options), on_value=lambda label: change_lever(k, funding_years=options[label]))
    solara.Switch(label=t("gp_referral", language), value=lev.gp_referral, on_value=lambda v: change_lever(k, gp_referral=v))
    for field, label in (("volunteer_support", "volunteer_support"), ("specialist_capacity", "specialist"),
                         ("front_line_budget", "front_line")):
        lo, hi, step = b[field]
        solara.SliderFloat(t(label, language), value=getattr(lev, field), min=lo, max=hi, step=step, thumb_label="always",
                           on_value=lambda v, field=field: change_lever(k, **{field: v})).key(f"{field}-{key}")


@solara.component
def Controls():
    language, s = lang.value, settings.value
    if not guided.lesson_key.value:  # a lesson's panel replaces the situation presets
        names = {p["name"][0 if language == "nl" else 1]: p["key"] for p in PRESETS}
        current = next(name for name, key in names.items() if key == preset_key.value)
        solara.Select(label=t("preset", language), value=current, values=list(names), on_value=lambda name: load_preset(names[name]))
        solara.HTML(tag="p", unsafe_innerHTML=preset(preset_key.value)["text"][0 if language == "nl" else 1], classes=["bk-preset-text"])
    key = str(snap.value)
    solara.Select(label=t("district_type", language), value=district_label(s.district_type, language),
                  values=[district_label(k, language) for k in DISTRICT_TYPES],
                  on_value=lambda label: change(district_type=next(k for k in DISTRICT_TYPES if district_label(k, language) == label)))
    lo, hi, step = BOUNDS["population"]
    solara.SliderInt(t("population", language), value=s.population, min=lo, max=hi, step=step, thumb_label="always",
                     on_value=lambda v: change(population=v)).key(f"pop-{key}")
    with solara.Row():
        solara.SliderInt(t("runs", language), value=s.runs, min=BOUNDS["runs"][0], max=BOUNDS["runs"][1], thumb_label="always",
                         on_value=lambda v: change(runs=v)).key(f"runs-{key}")
    solara.InputInt(t("seed", language), value=s.seed, on_value=lambda v: change(seed=v)).key(f"seed-{key}")
    solara.SliderInt(t("speed", language), value=speed.value, min=1, max=26, on_value=speed.set, thumb_label="always")
    solara.Text(t("scenarios", language))
    solara.ToggleButtonsSingle(value=str(len(s.scenarios)), values=[str(n) for n in range(1, MAX_SCENARIOS + 1)],
                               on_value=lambda v: set_scenarios(int(v)))
    k = min(editing.value, len(s.scenarios) - 1)
    solara.Text(t("edit", language))
    solara.ToggleButtonsSingle(value=SCENARIO_NAMES[k], values=list(SCENARIO_NAMES[:len(s.scenarios)]),
                               on_value=lambda name: editing.set(SCENARIO_NAMES.index(name)))
    LeverControls(k)
    Sharing()


@solara.component
def Sharing():
    language, s = lang.value, session.value
    query = to_query(settings.value, language)
    solara.HTML(tag="a", unsafe_innerHTML=t("link", language), attributes={"href": f"?{query}", "class": "bk-link"})
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(lambda: to_json(settings.value, language).encode("utf-8"), filename="buurtkracht_sessie.json",
                            label=t("save", language))
        if s is not None:
            solara.FileDownload(lambda: fmt.csv_bytes(s.export(), language, COLUMNS_NL if language == "nl" else None),
                                filename="buurtkracht_runs.csv", label=t("export_csv", language))
    solara.FileDrop(label=t("load", language), lazy=False,
                    on_file=lambda info: restore(info["data"].decode("utf-8", errors="replace"), "file"))


@solara.component
def Page():
    router = solara.use_router()
    if not started.value:  # first render of this tab: settings from the link, else the first preset
        started.value = True
        message = ""
        if router.search:
            restore(router.search, "link")
            message = error.value
        if session.value is None:
            rebuild(settings.value)
            error.value = message or error.value
    language = lang.value
    solara.Title("Buurtkracht")
    solara.Style(CSS)
    with solara.Div(classes=["bk-root", "bk-presenting" if presenting.value else "bk-normal"]):
        with solara.Row(classes=["bk-header"], style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.HTML(tag="h1", unsafe_innerHTML=t("title", language), classes=["bk-title"])
            Player()
        if error.value:
            solara.Error(error.value, classes=["bk-error"])
        s = session.value
        if presenting.value:
            if s is not None:
                Live(s, language)
        else:
            with solara.Div(classes=["bk-main"]):
                with solara.Div(classes=["bk-controls"]):
                    guided.LessonPicker(language, rebuild)
                    guided.LessonPanel(language)
                    Controls()
                with solara.Div(classes=["bk-content"]):
                    if s is not None:
                        Live(s, language)
