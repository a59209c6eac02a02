"""Brokered contacts can fail (MODEL.md §10: Rotterdam's Voor Mekaar; source §6.5).

Three ways a contact made by a network developer or a volunteer match fails:

- *refusal*: an approached resident accepts a visit with the district type's ``visit_acceptance``
  (Voor Mekaar: 26% in Rotterdam's deprived wards, nearly a quarter city-wide), scaled by their own
  demand shyness relative to the district type's (shy residents refuse more; a developer who eases
  shyness raises acceptance). Who refused is not approached again for ``refusal_weeks``;
- *mismatch*: a new brokered tie or volunteer match does not click and ends at once;
- *drop-out*: brokered and volunteer-client ties end early at ``drop_out_per_year`` (on top of
  the ordinary decay of ties that are not kept up).
"""

from __future__ import annotations

import numpy as np

from abm.config import Config
from abm.config.units import TINY
from abm.core.population import Population, weekly
from abm.core.ties import TIE_KIND, Ties


class Brokering:
    """Who refused a visit, until when; the acceptance and failure draws."""

    def __init__(self, config: Config, pop: Population):
        self.p = config.brokering
        self.pop = pop
        self.acceptance = pop.table.column("visit_acceptance")[pop.district]
        self.type_shyness = pop.table.column("demand_shyness")[pop.district]
        self.refused_until = np.zeros(pop.n, dtype=np.int64)
        self.approached = 0
        self.refused = 0
        self.mismatched = 0
        self.dropped = 0

    def clear(self, idx: np.ndarray) -> None:
        """Newcomers in slots ``idx`` have never been approached."""
        self.refused_until[idx] = 0

    def approachable(self, idx: np.ndarray | int, step: int) -> np.ndarray:
        """Bool per resident in ``idx`` (or one resident): not within a refusal period."""
        return self.refused_until[idx] <= step

    def _chance(self, idx: np.ndarray | int) -> np.ndarray:
        """Chance that residents ``idx`` (or one resident) accept."""
        shy = self.pop.demand_shyness[idx]
        return np.minimum(self.acceptance[idx] * (1.0 - shy) / np.maximum(1.0 - self.type_shyness[idx], TINY), 1.0)

    def accept(self, idx: np.ndarray, step: int, rng: np.random.Generator) -> np.ndarray:
        """Approach residents ``idx``: bool per resident, True if they accept the visit or match."""
        idx = np.asarray(idx, dtype=np.int64)
        yes = rng.random(len(idx)) < self._chance(idx)
        self.refused_until[idx[~yes]] = step + int(round(self.p.refusal_weeks))
        self.approached += len(idx)
        self.refused += int((~yes).sum())
        return yes

    def accept_one(self, person: int, step: int, rng: np.random.Generator) -> bool:
        """``accept`` for one resident, in scalars (the same draw and outcome)."""
        yes = bool(rng.random() < self._chance(person))
        if not yes:
            self.refused_until[person] = step + int(round(self.p.refusal_weeks))
            self.refused += 1
        self.approached += 1
        return yes

    def clicks(self, rng: np.random.Generator) -> bool:
        """Does a new brokered tie or match last beyond the first meeting?"""
        ok = rng.random() >= self.p.mismatch
        self.mismatched += int(not ok)
        return ok

    def click(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """Bool per new match: lasts beyond the first meeting."""
        ok = rng.random(count) >= self.p.mismatch
        self.mismatched += int((~ok).sum())
        return ok

    def drop_out(self, ties: Ties, rng: np.random.Generator) -> int:
        """End brokered and volunteer-client ties at the drop-out rate; returns how many ended."""
        ids = ties.live()
        at_risk = ids[ties.brokered[ids] | (ties.kind[ids] == TIE_KIND["volunteer"])]
        gone = at_risk[rng.random(len(at_risk)) < weekly(self.p.drop_out_per_year)]
        for eid in gone.tolist():
            ties.remove(eid)
        self.dropped += len(gone)
        return len(gone)
