"""A workshop session: one district run twice on the same seed, baseline and with the chosen levers.

This is the app's model-side logic, kept free of any UI so that it can be tested directly: settings
(what the room can change), building both runs (a bad combination raises ``ConfigError`` and the
caller keeps its previous session), stepping them together, and the figures the room sees.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, replace

import pandas as pd

from abm.config import DISTRICT_TYPES, Config, ConfigError, load_config
from abm.config.units import WEEKS_PER_YEAR
from abm.core.levels import DEMAND_COLUMNS
from abm.core.model import MunicipalityModel

DISTRICT = "wijk"


@dataclass(frozen=True)
class Settings:
    """What the room can change."""

    district_type: str = "deprived_urban"
    population: int = 1000
    developers_fte: float = 1.0
    funding_years: float | None = None  # None = structural funding
    gp_referral: bool = False
    volunteer_support: float = 1.0
    specialist_capacity: float = 1.0
    front_line_budget: float = 1.0
    seed: int = 1
    years: float = 10.0
    warmup_years: float = 1.0

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def config_for(settings: Settings, levers: bool = True, base: str | None = None) -> Config:
    """The run config of the session's district; ``levers=False`` gives today's situation."""
    if settings.district_type not in DISTRICT_TYPES:
        raise ConfigError(f"district type {settings.district_type!r} is not one of {list(DISTRICT_TYPES)}")
    overrides = [
        f"districts=[{{name: {DISTRICT}, type: {settings.district_type}, population: {int(settings.population)}}}]",
        f"seed={int(settings.seed)}", f"years={settings.years}", f"warmup_years={settings.warmup_years}",
        "output.clustering_sample=40",
    ]
    if levers:
        end = "null" if settings.funding_years is None else settings.funding_years
        overrides += [
            f"interventions.network_developers.fte={settings.developers_fte}",
            f"interventions.network_developers.end_year={end}",
            "interventions.network_developers.rotation.rule=stay",
            f"interventions.gp_referral.enabled={str(settings.gp_referral).lower()}",
            f"interventions.volunteer_support.factor={settings.volunteer_support}",
            f"capacity.specialist_factor={settings.specialist_capacity}",
            f"budget.front_line_factor={settings.front_line_budget}",
        ]
    return load_config(base, overrides=overrides)


class Session:
    """Two runs of one district with the same seed: ``baseline`` and ``levers``."""

    def __init__(self, settings: Settings, base: str | None = None):
        self.settings = settings
        self.lock = threading.RLock()  # the app steps in a thread while the page reads
        self._tables: dict[str, tuple[int, pd.DataFrame]] = {}
        configs = {"baseline": config_for(settings, levers=False, base=base),
                   "levers": config_for(settings, levers=True, base=base)}
        self.models = {name: MunicipalityModel(cfg) for name, cfg in configs.items()}
        for model in self.models.values():  # the room starts at year 0, after the warm-up
            for _ in range(model.config.warmup_steps):
                model.step()

    @property
    def year(self) -> float:
        m = self.models["levers"]
        return (m.steps - m.config.warmup_steps) / WEEKS_PER_YEAR

    @property
    def finished(self) -> bool:
        return all(m.steps >= m.total_steps for m in self.models.values())

    def step(self, weeks: int = 1) -> None:
        for _ in range(weeks):
            if self.finished:
                return
            for model in self.models.values():
                if model.steps < model.total_steps:
                    model.step()

    def table(self, which: str = "levers") -> pd.DataFrame:
        """The district's rows from year 0 on (built once per step: every view of a frame reads it)."""
        model = self.models[which]
        cached = self._tables.get(which)
        if cached is None or cached[0] != model.steps:
            df = model.results()
            cached = (model.steps, df[df["district"] == DISTRICT].reset_index(drop=True))
            self._tables[which] = cached
        return cached[1]

    def export(self) -> pd.DataFrame:
        """Both runs' tables, labelled, with the settings as columns: for the workshop report."""
        frames = [self.table(w).assign(run=w) for w in ("baseline", "levers")]
        out = pd.concat(frames, ignore_index=True)
        for key, value in asdict(self.settings).items():
            out[f"setting_{key}"] = value
        return out

    def headlines(self, which: str = "levers") -> dict[str, float]:
        """Formal care clients, informal support hours per week, cost per resident (per year)."""
        df = self.table(which)
        if df.empty:
            return {"clients": 0.0, "informal_hours": 0.0, "cost_per_resident": 0.0, "lonely_share": 0.0}
        last = df.iloc[-1]
        recent = df.tail(13)
        cost = (recent["formal_care_cost"] + recent["intervention_cost"]).mean() * WEEKS_PER_YEAR / last["population"]
        return {
            "clients": float(sum(last[c] for c in DEMAND_COLUMNS)),
            "informal_hours": float(last["informal_support_hours"]),
            "cost_per_resident": float(cost),
            "lonely_share": float(last["lonely_share"]),
        }
