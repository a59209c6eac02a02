"""Guided mode: a lesson picker and a panel that walks a group through predict → play → reveal →
discuss for one lesson (texts in ``abm.app.lessons``), beside the charts.

Picking a lesson loads its district and scenarios (like a preset). In the predict stage the group
chooses one of three answers before anything runs (Play is disabled until the next stage); the
reveal shows their prediction next to what the model shows in the classroom runs (the claim tested
in CI, tests/test_lessons.py); the discussion quotes the source and gives an exercise with one lever.
"""

from __future__ import annotations

from collections.abc import Callable

import solara

from abm.app.lessons import LESSONS, STAGE_LABELS, STAGES, lesson, pick, t

lesson_key = solara.reactive("")  # "" = free play
stage = solara.reactive(0)  # index into STAGES
prediction = solara.reactive(-1)  # index of the chosen answer, -1 = none yet


def play_allowed() -> bool:
    """No playing before the group has predicted."""
    return not lesson_key.value or stage.value > 0


def start(key: str, rebuild: Callable) -> None:
    """Open lesson ``key`` ("" = back to free play) at its first stage, with its settings."""
    lesson_key.set(key)
    stage.set(0)
    prediction.set(-1)
    if key:
        rebuild(lesson(key)["settings"])


@solara.component
def LessonPicker(language: str, rebuild: Callable):
    titles = {pick(item["title"], language): item["key"] for item in LESSONS}
    names = {t("free", language): "", **titles}
    current = next(name for name, key in names.items() if key == lesson_key.value)
    solara.Select(label=t("lesson", language), value=current, values=list(names),
                  on_value=lambda name: start(names[name], rebuild), classes=["bk-lesson-picker"])


@solara.component
def LessonPanel(language: str):
    if not lesson_key.value:
        return
    item = lesson(lesson_key.value)
    k = stage.value
    with solara.Div(classes=["bk-lesson", f"bk-stage-{STAGES[k]}"]):
        solara.HTML(tag="h3", unsafe_innerHTML=pick(item["title"], language), classes=["bk-lesson-title"])
        with solara.Row(classes=["bk-stages"], gap="4px", style={"flex-wrap": "wrap"}):
            for i, name in enumerate(STAGES):
                solara.Button(pick(STAGE_LABELS[name], language), small=True, text=i != k, color="primary",
                              on_click=lambda i=i: stage.set(i), classes=["bk-stage-current" if i == k else "bk-stage"])
        choices = [pick(c, language) for c in item["choices"]]
        chosen = choices[prediction.value] if prediction.value >= 0 else t("no_prediction", language)
        if STAGES[k] == "predict":
            solara.HTML(tag="p", unsafe_innerHTML=f"<b>{pick(item['question'], language)}</b>")
            solara.HTML(tag="p", unsafe_innerHTML=t("predict_help", language), classes=["bk-lesson-help"])
            solara.ToggleButtonsSingle(value=chosen if prediction.value >= 0 else None, values=choices,
                                       on_value=lambda c: prediction.set(choices.index(c)), classes=["bk-choices"])
        elif STAGES[k] == "play":
            solara.HTML(tag="p", unsafe_innerHTML=pick(item["watch"], language))
            solara.HTML(tag="p", unsafe_innerHTML=t("play_help", language), classes=["bk-lesson-help"])
        elif STAGES[k] == "reveal":
            solara.HTML(tag="p", unsafe_innerHTML=f"<b>{t('your_prediction', language)}:</b> {chosen}",
                        classes=["bk-your-prediction"])
            solara.HTML(tag="p", unsafe_innerHTML=f"<b>{t('model_shows', language)}:</b> {pick(item['finding'], language)}",
                        classes=["bk-finding"])
        else:
            quote, where = item["quote"]
            solara.HTML(tag="blockquote", unsafe_innerHTML=f"“{quote}”<br><small>— {where}</small>", classes=["bk-quote"])
            solara.HTML(tag="p", unsafe_innerHTML=pick(item["discuss"], language))
            number = LESSONS.index(item) + 1
            solara.HTML(tag="p", unsafe_innerHTML=(
                f"<b>{t('exercise', language)}:</b> {pick(item['exercise'], language)} "
                f"<small>({t('notebook', language)}: notebooks/lessons/{number:02d}_{item['key']}.ipynb)</small>"),
                classes=["bk-exercise"])
        with solara.Row(gap="6px"):
            solara.Button(t("back", language), disabled=k == 0, on_click=lambda: stage.set(k - 1), outlined=True)
            solara.Button(t("next", language), disabled=k == len(STAGES) - 1, on_click=lambda: stage.set(k + 1),
                          color="primary", classes=["bk-next"])
