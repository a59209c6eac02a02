"""Who is vital, who is vulnerable, and whether the vulnerable have a tie to a vital resident.

docs/spec/MODEL.md §1 and §7: network developers connect *vulnerable* residents (a need, or lonely and old,
or severely lonely) with *vital* ones (adults of working age and young old without needs or
loneliness). The status is taken once per step (``refresh``) from the live ties; developers and
volunteer matching read it during the step.
"""

from __future__ import annotations

import numpy as np

from abm.config import Config
from abm.core.needs import Needs
from abm.core.population import Population
from abm.core.ties import TieView


class Status:
    """Vital and vulnerable residents, by district, as of the last ``refresh``."""

    def __init__(self, config: Config, pop: Population, needs: Needs):
        self.params = config.status
        self.demography = config.demography
        self.pop = pop
        self.needs = needs
        self._vital = np.zeros(pop.n, dtype=bool)
        self._by_district: list[np.ndarray] | None = None
        self._linked = (np.zeros(pop.n_districts), np.zeros(pop.n_districts))

    def vital(self, need: np.ndarray | None = None, lonely: np.ndarray | None = None) -> np.ndarray:
        """Bool (n,): working-age or young-old residents without a need and not lonely (``need``,
        ``lonely``: ``needs.any_need()`` and ``pop.lonely()`` if already at hand)."""
        demo, pop = self.demography, self.pop
        need = self.needs.any_need() if need is None else need
        lonely = pop.lonely() if lonely is None else lonely
        return (pop.age >= demo.adult_age) & (pop.age < demo.old_age) & ~need & ~lonely

    def vulnerable(self, need: np.ndarray | None = None, lonely: np.ndarray | None = None) -> np.ndarray:
        """Bool (n,): a need, or lonely and elderly, or severely lonely (``need``, ``lonely`` as in ``vital``)."""
        pop = self.pop
        need = self.needs.any_need() if need is None else need
        lonely = pop.lonely() if lonely is None else lonely
        return need | (lonely & (pop.age >= self.demography.elderly_age)) | pop.severely_lonely()

    def refresh(self, view: TieView) -> None:
        """Take the status from the live ties ``view`` (once per step)."""
        self._by_district = None
        need, lonely = self.needs.any_need(), self.pop.lonely()
        self._vital = self.vital(need, lonely)
        vul = self.vulnerable(need, lonely)
        linked = view.linked(view.at_least(self.params.vital_tie), self._vital)
        self._linked = (self.pop.per_district(vul & linked), self.pop.per_district(vul))

    def forget(self, idx: np.ndarray) -> None:
        """Residents ``idx`` left: their slots hold newcomers, not known as vital until the next refresh."""
        self._vital[idx] = False

    @property
    def linked_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Per district: (vulnerable residents with a vital tie, vulnerable residents)."""
        return self._linked

    def reset_vulnerable(self) -> None:
        """Drop the vulnerable lists: the next ``vulnerable_in`` takes them from the state at that point of
        the step, so a read between steps (the app, a notebook) cannot leave lists that steer the next week."""
        self._by_district = None

    def vulnerable_in(self, d: int) -> np.ndarray:
        """Indices of the vulnerable residents of district ``d`` (computed once per step, at the first call
        after ``reset_vulnerable``)."""
        if self._by_district is None:
            order = np.flatnonzero(self.vulnerable())
            cuts = np.searchsorted(self.pop.district[order], np.arange(1, self.pop.n_districts))
            self._by_district = np.split(order, cuts)
        return self._by_district[d]

    def vital_partner_for(self, person: int, rng: np.random.Generator) -> int:
        """A willing vital resident of the same street (else district) for ``person``; -1 if none."""
        pop = self.pop
        street = pop.street[person]
        lo = np.searchsorted(pop.street, street)
        hi = np.searchsorted(pop.street, street, side="right")
        d = pop.district[person]
        willing = self.params.partner_min_willingness
        for a, b in ((lo, hi), (pop.district_start[d], pop.district_start[d] + pop.district_sizes[d])):
            cand = a + np.flatnonzero(self._vital[a:b] & (pop.willingness[a:b] > willing))
            cand = cand[cand != person]
            if len(cand):
                return int(cand[rng.integers(len(cand))])
        return -1

    def vulnerable_tie_share(self, d: int) -> float:
        """Share of district ``d``'s vulnerable residents with a vital tie (0 if none vulnerable)."""
        num, den = self._linked
        return float(num[d] / den[d]) if den[d] > 0 else 0.0
