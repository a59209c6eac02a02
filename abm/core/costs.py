"""The societal cost ledger (docs/spec/MODEL.md §11, docs/ODD.md §7.11): what formal care, emergencies,
admissions and the levers cost each week, per payer (municipality, insurer, long-term care).

Everything is priced from unit items (a GP consultation, an hour of district nursing, a nursing-home
day) with a payer each (``config.costs``). Per week the ledger charges
- each formal client the package of their level and need kind (units per client-week);
- each new crisis its emergency care (emergency department, ambulance, hospital days);
- each GP visit a consultation;
- each admitted resident their day price for as long as they stay: an admission moves the resident out
  of their home (a newcomer takes it), but the stay is kept here as an expected number of residents
  per (district, setting), which falls at the rate 1 / mean stay. No random draws: the ledger never
  changes the model's random stream;
- the levers (network developers, volunteer support, key facilities, GP referrals) to the municipality.
Residents are first counted per (district, level, kind), so a week costs a few small matrix products.
"""

from __future__ import annotations

import numpy as np

from abm.config import LEVELS, NEED_KINDS, PAYERS, Config
from abm.config.units import DAYS_PER_WEEK

N_LEVELS, N_KINDS = len(LEVELS), len(NEED_KINDS)
COLUMNS = (
    "formal_care_cost", "crisis_cost", "hospital_cost", "residential_cost", "intervention_cost",
    "cost_municipality", "cost_insurer", "cost_longterm_care", "societal_cost",
    "admissions", "admitted_residents", "gp_visits", "informal_care_value",
)


class Ledger:
    """Prices per week, per district. State: the expected admitted residents per (district, setting)."""

    def __init__(self, config: Config, n_districts: int):
        c = config.costs
        self.items = list(c.items)
        col = {name: i for i, name in enumerate(self.items)}
        self.price = np.array([c.items[i].price for i in self.items]) * c.price_index      # (I,) euro/unit
        self.payer = np.array([PAYERS.index(c.items[i].payer) for i in self.items])        # (I,)
        self._paid_by = [self.payer == p for p in range(len(PAYERS))]                      # per payer: (I,) bool
        self.hospital = np.array([c.items[i].hospital for i in self.items])                # (I,) bool

        def units(package: dict[str, float]) -> np.ndarray:
            out = np.zeros(len(self.items))
            for item, n in package.items():
                out[col[item]] = n
            return out

        # (level, kind, item) units per client-week; level 0 (no formal care) costs nothing
        self.level_units = np.zeros((N_LEVELS, N_KINDS, len(self.items)))
        for lvl, packages in c.level_week.items():
            for k, kind in enumerate(NEED_KINDS):
                self.level_units[LEVELS.index(lvl), k] = units(packages.for_kind(kind))
        self.crisis_units = np.stack([units(c.crisis_event.for_kind(k)) for k in NEED_KINDS])  # (K, I)
        self.settings = list(c.residential)
        self.stay_units = np.stack([units({s.day_item: DAYS_PER_WEEK}) for s in c.residential.values()])  # (S, I)
        self.stay_leave = 1.0 - np.exp(-DAYS_PER_WEEK / np.array([s.mean_stay_days for s in c.residential.values()]))
        self.setting_of_kind = np.array([self.settings.index(c.admission_setting[k]) for k in NEED_KINDS])
        self.gp_units = units({c.gp_visit_item: 1.0})
        self.informal_price = self.price[col[c.informal_care_item]]
        self.n_districts = n_districts
        self.stock = np.zeros((n_districts, len(self.settings)))  # expected residents in residential care
        self._admissions = np.zeros(n_districts)

    # ------------------------------------------------------------------ events
    def admit(self, district: np.ndarray, kind: np.ndarray) -> None:
        """Residents admitted this week: ``district`` (m,) int, ``kind`` (m,) need kind code that led there."""
        D, S = self.n_districts, len(self.settings)
        setting = self.setting_of_kind[kind]
        self.stock += np.bincount(district * S + setting, minlength=D * S).reshape(D, S)
        self._admissions += np.bincount(district, minlength=D)

    def _counts(self, district: np.ndarray, code: np.ndarray, size: int, weights=None) -> np.ndarray:
        """(D, size) counts (or sums of ``weights``) of residents by district and ``code``."""
        return np.bincount(district * size + code, weights=weights, minlength=self.n_districts * size).reshape(-1, size)

    def week(self, district: np.ndarray, level: np.ndarray, kind: np.ndarray, new_crisis: np.ndarray,
             gp_visits: np.ndarray, informal_hours: np.ndarray, intervention_cost: np.ndarray) -> dict[str, np.ndarray]:
        """This week's cost columns per district (euro/week unless a count), then ages the stays.

        ``district`` (n,) int; ``level`` (n,) formal level received (code); ``kind`` (n,) kind of the
        need that sets the level (-1: none); ``new_crisis`` (n,) crises started this week;
        ``gp_visits`` (n,) visits this week; ``informal_hours`` (n,) informal help received;
        ``intervention_cost`` (D,) euro spent on the levers (charged to the municipality).
        """
        k = np.maximum(kind, 0)
        by_level = self._counts(district, level.astype(np.int64) * N_KINDS + k, N_LEVELS * N_KINDS)
        care = by_level @ self.level_units.reshape(N_LEVELS * N_KINDS, -1)                 # (D, I) units
        crises = self._counts(district, k, N_KINDS, weights=new_crisis) @ self.crisis_units  # (D, I)
        stays = self.stock @ self.stay_units                                              # (D, I)
        visits = np.bincount(district, weights=gp_visits, minlength=self.n_districts)
        units = care + crises + stays + visits[:, None] * self.gp_units[None, :]
        euro = units * self.price                                                          # (D, I)
        payer = np.stack([euro[:, paid].sum(axis=1) for paid in self._paid_by])
        payer[PAYERS.index("municipality")] += intervention_cost
        crisis_level = by_level.reshape(-1, N_LEVELS, N_KINDS)[:, LEVELS.index("crisis")] @ self.level_units[LEVELS.index("crisis")]
        out = {
            "formal_care_cost": (care * self.price).sum(axis=1),
            "crisis_cost": ((crises + crisis_level) * self.price).sum(axis=1),
            "hospital_cost": euro[:, self.hospital].sum(axis=1),
            "residential_cost": (stays * self.price).sum(axis=1),
            "intervention_cost": np.asarray(intervention_cost, dtype=float),
            "cost_municipality": payer[PAYERS.index("municipality")],
            "cost_insurer": payer[PAYERS.index("insurer")],
            "cost_longterm_care": payer[PAYERS.index("longterm_care")],
            "societal_cost": payer.sum(axis=0),
            "admissions": self._admissions.copy(),
            "admitted_residents": self.stock.sum(axis=1),
            "gp_visits": visits,
            "informal_care_value": np.bincount(district, weights=informal_hours, minlength=self.n_districts) * self.informal_price,
        }
        self.stock *= 1.0 - self.stay_leave
        self._admissions[:] = 0
        return out
