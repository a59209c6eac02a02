"""Unit tests of single mechanisms, each set up so that a wrong mechanism fails. Informal help over ties (docs/ODD.md §7.6): relationship, shyness, carers' hours, substitution."""

from __future__ import annotations

import pytest

from abm import MunicipalityModel
from abm.core import informal_care
from abm.core.needs import INDIVIDUAL, NEED_KIND, SOCIAL
from abm.core.ties import TIE_KIND as TIE

from .conftest import small_config


def isolate(model, *people):
    for p in people:
        model.ties.remove_all_of(p)



def _needy_and_helper(m, shy=0.0, strength=0.8, kind="friend"):
    needy, helper, alone = 100, 101, 102
    isolate(m, needy, helper, alone)
    m.needs.sev[:, :] = 0
    m.needs.kind[INDIVIDUAL, :] = -1
    m.needs.sev[SOCIAL, [needy, alone]] = 2
    m.pop.age[[needy, helper, alone]] = 40
    m.pop.willingness[helper] = 1.0
    m.pop.supply_shyness[helper] = 0.0
    m.pop.demand_shyness[needy] = shy
    m.ties.add(needy, helper, TIE[kind], strength)
    return needy, helper, alone


def _help(m):
    return informal_care.week(m.config, m.carers, m.pop, m.needs, m.ties.view(), m.volunteers.active, m.steps, m.rng)


def test_informal_care_flows_over_ties_limited_by_relationship_and_shyness():
    m = MunicipalityModel(small_config())
    m.volunteers.active[:] = False
    needy, helper, alone = _needy_and_helper(m)
    flow = _help(m)
    need = m.config.needs.kinds["social"].care_hours[1]  # severity 2
    cap = m.config.care.relationships["friend"].max_hours
    assert flow.share_met[alone] == 0
    assert flow.received[needy] == pytest.approx(min(need, cap))
    assert flow.care_given[helper] == pytest.approx(min(need, cap))
    # a shy resident accepts little from a weak tie
    m2 = MunicipalityModel(small_config())
    m2.volunteers.active[:] = False
    needy2, *_ = _needy_and_helper(m2, shy=1.0, strength=0.2)
    assert _help(m2).received[needy2] == pytest.approx(0.2 * min(need, cap))


def test_family_carers_give_beyond_their_sustainable_hours():
    m = MunicipalityModel(small_config())
    m.volunteers.active[:] = False
    needy, helper, _ = _needy_and_helper(m, kind="family")
    m.needs.sev[SOCIAL, needy] = 0
    m.needs.kind[INDIVIDUAL, needy] = NEED_KIND["dementia"]
    m.needs.sev[INDIVIDUAL, needy] = 3
    m.carers.employed[helper] = True
    flow = _help(m)
    assert flow.care_given[helper] > m.config.care.hours_employed


def test_informal_support_substitutes_only_as_far_as_the_need_allows():
    m = MunicipalityModel(small_config())
    needy, helper, _ = _needy_and_helper(m, kind="family")
    m.needs.sev[SOCIAL, needy] = 0
    m.needs.kind[INDIVIDUAL, needy] = NEED_KIND["dementia"]
    m.needs.sev[INDIVIDUAL, needy] = 1
    flow = _help(m)
    assert flow.share_met[needy] == pytest.approx(1.0)  # all of the substitutable part is met
    cover = m.care.cover(m.needs, flow.share_met[None, :] * m.needs.substitutable())
    assert cover[INDIVIDUAL, needy] == pytest.approx(m.config.needs.kinds["dementia"].substitutability)
