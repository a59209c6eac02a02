"""Weekly contact over existing ties: contact renews a tie, no contact weakens it (docs/spec/MODEL.md §10).

A tie's weekly contact probability is its kind's base rate (lower across groups that do not mix,
higher for local ties where a key facility is), scaled by its strength and by its ends' loneliness;
ties a network developer follows up get an extra chance of contact. Too-weak ties go
(Jin, Girvan & Newman 2001).
"""

from __future__ import annotations

import numpy as np

from abm.config import Config
from abm.core.population import Population
from abm.core.ties import TIE_KIND, TIE_KINDS, Ties


class TieContact:
    """Contact and decay of all live ties, one week at a time."""

    def __init__(self, config: Config, pop: Population, ties: Ties, meeting_factor: np.ndarray):
        self.params = config.ties
        self.facilitation_bonus = config.interventions.network_developers.facilitation_bonus
        self.pop, self.ties = pop, ties
        self.meeting_factor = meeting_factor  # per district, > 1 with a key facility
        self._mixing_contact = pop.table.column("group_mixing") ** self.params.mixing_contact_exponent
        self._decay = np.array([self.params.decay[k] for k in TIE_KINDS])
        self._contact = np.array([self.params.contact[k] for k in TIE_KINDS])

    def step(self, rng: np.random.Generator, facilitated: bool) -> None:
        """One week; ``facilitated``: whether any developer is at work (follow-up bonus applies)."""
        tp, ties, pop = self.params, self.ties, self.pop
        new = ties.unpriced()
        if len(new):
            ties.base_contact[new] = self.base_contact(new)
        keep = 1.0 - tp.lonely_contact_penalty * pop.lonely()
        # contact probability: base * (floor + (1 - floor) * strength) * keep[u] * keep[v] (+ bonus)
        ties.contact_week(keep, rng.random(ties.count), tp.contact_floor, self.facilitation_bonus if facilitated else 0.0,
                          tp.reinforcement, self._decay, tp.removal_threshold)

    def base_contact(self, ids: np.ndarray) -> np.ndarray:
        """Contact probability of ties ``ids`` by kind; ties across groups that do not mix (storp,
        traditional village) are kept up less; a key facility raises neighbour and activity contact."""
        ties, pop = self.ties, self.pop
        kind, u, v = ties.kind[ids], ties.u[ids], ties.v[ids]
        district = pop.district[u]
        p = self._contact[kind]
        p = np.where(pop.origin[u] == pop.origin[v], p, p * self._mixing_contact[district])
        local = (kind == TIE_KIND["neighbour"]) | (kind == TIE_KIND["activity"])
        return np.where(local, p * self.meeting_factor[district], p)
