"""How unmet needs come to professionals' notice (docs/spec/MODEL.md §4, §7).

- the GP as eyes and ears: visits rise with loneliness and need (seed 002), a visit can detect an
  unmet need; with GP referral ("Welzijn op recept") lonely patients are referred to an activity
  (each GP, an ``agents.Professional``, does this for their patient list in their step);
- the social network passes on problems it sees (little in traditional villages, §3);
- network developers notice needs in their contacts (``agents.NetworkDeveloper``);
- a key facility (sleutelvoorziening, source §6.4) raises detection by GP and network.

``detected`` is cleared at the start of each week's noticing and read by formal care.
"""

from __future__ import annotations

import numpy as np

from abm.config import Config
from abm.core.formation import Foci
from abm.core.needs import Needs
from abm.core.population import Population, weekly


class Noticing:
    """Residents whose unmet need was noticed this week, and the ways it happens."""

    def __init__(self, config: Config, pop: Population, key_facility: np.ndarray):
        self.config = config
        self.pop = pop
        self.key_facility = key_facility  # bool per district
        self.detection_factor = np.where(key_facility, config.interventions.key_facility.detection_factor, 1.0)
        self.detected = np.zeros(pop.n, dtype=bool)
        self.gp_visits_made = np.zeros(pop.n, dtype=bool)  # visited the GP this week

    def reset(self) -> None:
        self.detected[:] = False
        self.gp_visits_made[:] = False

    def prepare(self, needs: Needs, unmet: np.ndarray, familiarity: np.ndarray | float = 1.0) -> None:
        """This week's chances of a GP visit (rising with loneliness and need) and of detection
        (times ``familiarity`` (n,): higher for patients who know their GP, ``trust.Trust``)."""
        cfg, pop = self.config, self.pop
        self._lonely = pop.lonely()
        self._unmet = unmet
        # the visit rate takes four values (lonely or not x a need or not): computed once each, looked up
        nc = cfg.needs
        lonely, need = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[0.0, 1.0], [0.0, 1.0]])
        rate = nc.gp_visits_per_year * (1.0 + nc.gp_lonely_visit_factor * lonely + nc.gp_need_visit_factor * need)
        self._p_visit = weekly(rate)[self._lonely.view(np.int8), needs.any_need().view(np.int8)]
        self._p_detect = np.minimum(pop.table.column("gp_detection")[pop.district] * self.detection_factor[pop.district] * familiarity, 1.0)

    def gp_visits(self, who: slice, foci: Foci, rng: np.random.Generator) -> int:
        """A GP's week with their patients ``who`` (a block of resident slots; after ``prepare``):
        visits, detection of unmet needs and, if enabled, referral of lonely patients to an activity.
        Returns the referrals."""
        cfg, pop = self.config, self.pop
        n = who.stop - who.start
        visit = rng.random(n) < self._p_visit[who]
        self.gp_visits_made[who] = visit
        self.detected[who] |= visit & self._unmet[who] & (rng.random(n) < self._p_detect[who])
        if not cfg.interventions.gp_referral.enabled:
            return 0
        refer = visit & self._lonely[who] & (rng.random(n) < cfg.interventions.gp_referral.referral_probability)
        newly = who.start + np.flatnonzero(refer & (pop.activity[who] < 0))
        pop.join_activity(newly, rng)
        if len(newly):
            foci.dirty = True
        return int(refer.sum())

    def network_signals(self, unmet: np.ndarray, strong_ties: np.ndarray, rng: np.random.Generator) -> None:
        """Family and neighbours with a strong tie pass an unmet need on to professionals."""
        pop = self.pop
        draw = rng.random(pop.n)
        who = np.flatnonzero(unmet)  # the chance matters for residents with an unmet need only
        d = pop.district[who]
        p_tie = pop.table.column("signal_to_professionals")[d] * self.detection_factor[d]
        self.detected[who[draw[who] < 1.0 - (1.0 - np.minimum(p_tie, 1.0)) ** strong_ties[who]]] = True
