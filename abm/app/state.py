"""The page's state: one value per browser tab (Solara reactive variables are scoped per tab)."""

from __future__ import annotations

import solara

from abm.app.metrics import CHARTS
from abm.app.session import Session
from abm.app.text import PRESETS, preset

lang = solara.reactive("nl")
settings = solara.reactive(preset(PRESETS[0]["key"])["settings"])
session: solara.Reactive[Session | None] = solara.reactive(None)
version = solara.reactive(0)  # bumped after every step: the live views follow it
playing = solara.reactive(False)
speed = solara.reactive(8)  # weeks per tick
error = solara.reactive("")
preset_key = solara.reactive(PRESETS[0]["key"])
presenting = solara.reactive(False)
editing = solara.reactive(1)  # the scenario whose levers the controls show
colour_by = solara.reactive("loneliness")
shown_chart = solara.reactive(CHARTS[0].key)  # the chart shown in presentation mode
snap = solara.reactive(0)  # bumped when a setting is rejected: controls are re-created at the valid value
started = solara.reactive(False)
