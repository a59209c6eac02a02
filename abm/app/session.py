"""A workshop session: the district's scenarios as ensembles of paired runs, and what the room sees.

Kept free of any UI so that it can be tested directly: building (settings that cannot be used
raise ``SettingsError`` naming them, and the caller keeps its previous session), advancing all runs
together, changing a scenario's levers from the current week on, the cards, chart bands and the
exported table.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass

import pandas as pd

from abm.app import metrics
from abm.app.ensemble import Ensemble, WorkerPool
from abm.app.settings import (
    DISTRICT,
    SCENARIO_NAMES,
    Levers,
    Problem,
    Settings,
    check,
    config_for,
    seeds,
)


class SettingsError(ValueError):
    """Settings that cannot be used; ``problems`` says which and what is allowed."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.field}={p.value!r}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class LeverChange:
    year: float
    scenario: int
    levers: Levers


class Session:
    """The scenarios of ``settings`` as ensembles in ``pool``; ``display`` is the scenario in the network view."""

    def __init__(self, settings: Settings, pool: WorkerPool, base: str | None = None, display: int = 1):
        problems = check(settings, base)
        if problems:
            raise SettingsError(problems)
        self.settings, self.base = settings, base
        configs = [config_for(settings, lev, base) for lev in settings.scenarios]
        self.ensemble = Ensemble(pool, config_for(settings, None, base), configs, seeds(settings), DISTRICT,
                                 display=display)
        self.changes: list[LeverChange] = [LeverChange(0.0, k, lev) for k, lev in enumerate(settings.scenarios)]
        self.lock = threading.RLock()
        self._runs: tuple[int, list[metrics.Runs]] | None = None
        self._version = 0
        self._busy = False
        self._queued: list = []

    # ------------------------------------------------------------------ time
    @property
    def year(self) -> float:
        with self.ensemble.lock:
            return float(self.ensemble.rows[(0, 0)]["year"].iloc[-1])

    @property
    def finished(self) -> bool:
        return self.year >= self.settings.years - 1e-9

    def advance(self, weeks: int) -> None:
        """All runs of all scenarios ``weeks`` further (not beyond the horizon)."""
        self.finish(self.start(weeks))

    def start(self, weeks: int) -> dict:
        """Start advancing in the background (the page renders meanwhile); ``finish`` collects."""
        with self.lock:
            self._busy = True
        return self.ensemble.start(weeks)

    def finish(self, ticket: dict) -> None:
        self.ensemble.finish(ticket)
        with self.lock:
            self._busy = False
            self._version += 1
            queued, self._queued = self._queued, []
        for k, levers, config in queued:
            self._apply(k, levers, config)

    # ------------------------------------------------------------------ levers
    def set_levers(self, k: int, levers: Levers) -> None:
        """Scenario ``k`` runs with ``levers`` from now on (raises SettingsError if they cannot be used)."""
        candidate = self.settings.with_lever(k, **asdict(levers))
        problems = check(candidate, self.base)
        if problems:
            raise SettingsError(problems)
        config = config_for(candidate, levers, self.base)
        with self.lock:
            self.settings = candidate
            if self._busy:  # applied when the runs finish the weeks they are computing
                self._queued.append((k, levers, config))
                return
        self._apply(k, levers, config)

    def _apply(self, k: int, levers: Levers, config) -> None:
        self.ensemble.set_levers(k, config)
        with self.lock:
            self.changes.append(LeverChange(self.year, k, levers))

    def show(self, k: int) -> None:
        self.ensemble.show(k)

    @property
    def frame(self):
        return self.ensemble.frame

    # ------------------------------------------------------------------ what the room sees
    def runs(self) -> list[metrics.Runs]:
        """Per scenario: all runs as arrays with the derived columns (built once per step)."""
        with self.lock:
            if self._runs is None or self._runs[0] != self._version:
                n = len(self.settings.scenarios)
                self._runs = (self._version, [metrics.stack(self.ensemble.tables(k)) for k in range(n)])
            return self._runs[1]

    def cards(self) -> list[metrics.Card]:
        return metrics.cards(self.runs())

    def bands(self, column: str) -> list[dict]:
        return [metrics.bands(r, column) for r in self.runs()]

    def cost_per_avoided(self) -> list[tuple[float, bool] | None]:
        """Per scenario after the first: extra cost per year of formal care need avoided (see metrics)."""
        runs = self.runs()
        return [None] + [metrics.cost_per_avoided_need_year(runs[0], r) for r in runs[1:]]

    def export(self) -> pd.DataFrame:
        """Every run's rows and derived columns, labelled by scenario, run and seed, with the levers."""
        frames = []
        run_seeds = seeds(self.settings)
        derived = ("clients", "cost", "cost_per_resident_year", "cumulative_cost", "cumulative_cost_per_resident")
        for k, runs in enumerate(self.runs()):
            lev = asdict(self.settings.scenarios[k])
            for i, table in enumerate(self.ensemble.tables(k)):
                part = table.copy()
                for col in derived:
                    part[col] = runs[col][i]
                part.insert(0, "seed", run_seeds[i])
                part.insert(0, "run", i + 1)
                part.insert(0, "scenario", SCENARIO_NAMES[k])
                for key, value in lev.items():
                    part[f"lever_{key}"] = value
                frames.append(part)
        return pd.concat(frames, ignore_index=True)

    def close(self) -> None:
        self.ensemble.close()
