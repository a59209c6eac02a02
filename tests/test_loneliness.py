"""Unit tests of single mechanisms, each set up so that a wrong mechanism fails. Loneliness follows the ties (docs/ODD.md §7.5)."""

from __future__ import annotations

import numpy as np

from abm import MunicipalityModel
from abm.core import loneliness
from abm.core.ties import TIE_KIND as TIE

from .conftest import small_config


def isolate(model, *people):
    for p in people:
        model.ties.remove_all_of(p)



def test_loneliness_falls_with_tie_support():
    """One's own ties, without contagion (tested on its own): with contagion the held resident's score
    follows how lonely their five random friends happen to be (seed 7 after issue 9's onset change: 2.70)."""
    m = MunicipalityModel(small_config(loneliness__contagion=0.0))
    pop = m.pop
    alone, held = 10, 20
    isolate(m, alone, held)
    for friend in range(30, 35):
        m.ties.add(held, friend, TIE["family"], 0.9)
    pop.trait[[alone, held]] = 1.0
    pop.external[[alone, held]] = 0.0
    pop.age[[alone, held]] = 40
    pop.loneliness[[alone, held]] = 5.0
    for _ in range(104):
        loneliness.update(m.config, pop, m.ties.view(), np.zeros(pop.n, bool), m.rng)
    assert pop.loneliness[alone] > 4.5  # trait 1 + emotional 6 + social 5 (capped): lonely
    assert pop.loneliness[held] < 2.5   # strong ties: not lonely
    assert pop.loneliness[alone] - pop.loneliness[held] > 2.5
    # losing one's ties makes one lonely
    isolate(m, held)
    for _ in range(104):
        loneliness.update(m.config, pop, m.ties.view(), np.zeros(pop.n, bool), m.rng)
    assert pop.loneliness[held] > 4.5
