"""The default municipality reproduces what it is calibrated to (docs/ODD.md, calibration table).

One shortened default run (the full municipality, warm-up plus a quarter year) shared by the tests.
"""

from __future__ import annotations

import numpy as np
import pytest

from abm import MunicipalityModel, load_config
from abm.config import NEED_KINDS
from abm.core.needs import INDIVIDUAL, MULTI, NEED_KIND, SOCIAL
from abm.experiments.measures import contagion_gradient

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def default_run():
    model = MunicipalityModel(load_config(overrides=["years=0.25"]))
    seen = np.zeros(len(NEED_KINDS), dtype=bool)
    while model.steps < model.total_steps:
        model.step()
        present = (model.needs.sev > 0) & (model.needs.kind >= 0)
        seen[np.unique(model.needs.kind[present])] = True
    return model, seen


def test_every_need_kind_with_a_prevalence_or_onset_occurs(default_run):
    model, seen = default_run
    for name, kind in model.config.needs.kinds.items():
        if kind.initial_prevalence > 0 or kind.onset_per_year > 0:
            assert seen[NEED_KIND[name]], f"{name} never occurs"


def test_social_needs_are_the_largest_group_and_multi_problems_the_smallest(default_run):
    model, _ = default_run
    share = (model.needs.sev > 0).mean(axis=1)
    assert share[SOCIAL] > share[INDIVIDUAL] > share[MULTI] > 0


def test_loneliness_clusters_in_the_network_beyond_chance(default_run):
    model, _ = default_run
    pop, view = model.pop, model.ties.view()
    adult = pop.age >= model.config.demography.adult_age
    ratio = contagion_gradient(view.u, view.v, pop.lonely(), adult, distances=1, sample=None)
    assert ratio[0] > 1.0
    # a random permutation of loneliness over the same graph gives about 1
    shuffled = np.random.default_rng(0).permutation(pop.lonely())
    assert contagion_gradient(view.u, view.v, shuffled, adult, distances=1, sample=None)[0] == pytest.approx(1.0, abs=0.05)


def test_carers_carry_heavy_care_and_some_are_overburdened(default_run):
    model, _ = default_run
    pop, c, f = model.pop, model.carers, model.care_flow
    carers = c.carers(pop.age, f.care_given)
    assert carers.any()
    assert c.heavy(pop.age, f.care_given).any()
    assert c.overburdened(pop.age, f.care_given).any()
    assert (f.care_given[c.heavy(pop.age, f.care_given)] > model.config.care.heavy_hours).all()
