"""Unit tests of single mechanisms, each set up so that a wrong mechanism fails. Formal care (docs/ODD.md §7.6, 7.9): capacity, admissions, crises, professionals' hours, GP practices."""

from __future__ import annotations

import numpy as np
import pytest

from abm import MunicipalityModel
from abm.config import LEVELS
from abm.core.agents import Professional
from abm.core.levels import CRISIS, INTENSIVE, LIGHT
from abm.core.needs import INDIVIDUAL, NEED_KIND
from abm.core.support import FormalCare

from .conftest import small_config


def staffed(care: FormalCare) -> FormalCare:
    """The planned professionals offer their hours for the coming week (what ``Professional.step`` does)."""
    for (level, pool), hours in care.planned_hours().items():
        care.offer(LEVELS[level], None if pool < 0 else pool, hours)
    return care


def test_formal_care_respects_capacity_admits_oldest_first_and_parks_in_light():
    m = MunicipalityModel(small_config(capacity__intensive_slots_per_1000=3.0))
    care = FormalCare(m.config, m.pop)  # fresh services
    m.needs.sev[:, :] = 0
    m.needs.kind[INDIVIDUAL, :] = -1
    m.needs.crisis[:] = False
    people = np.arange(0, 20)  # district 0
    m.needs.kind[INDIVIDUAL, people] = NEED_KIND["psychiatric"]
    m.needs.sev[INDIVIDUAL, people] = 2  # needs intensive help
    unmet = np.full(m.pop.n, 10.0)
    detected = np.zeros(m.pop.n, bool)
    detected[people[:10]] = True
    staffed(care).step(1, m.needs, unmet, detected, m.rng)
    cap = care.capacity[(INTENSIVE, -1)]
    assert cap == round(m.config.capacity.intensive_slots_per_1000 * m.pop.n / 1000)
    detected[:] = False
    detected[people[10:]] = True
    staffed(care).step(2, m.needs, unmet, detected, m.rng)
    assert (care.level == INTENSIVE).sum() == cap
    assert set(np.flatnonzero(care.level == INTENSIVE)) <= set(people[:10])  # earlier requests first
    waiting = care.waiting == INTENSIVE
    assert waiting.sum() == len(people) - cap
    # those waiting are parked in light support as far as the wijkteam has room
    assert ((care.level == LIGHT) & waiting).sum() == min(len(people) - cap, care.capacity[(LIGHT, 0)])
    # too-light help works only partly
    informal = np.zeros((3, m.pop.n))
    cover = care.cover(m.needs, informal)
    parked = np.flatnonzero((care.level == LIGHT) & waiting)[0]
    assert cover[INDIVIDUAL, parked] == pytest.approx(m.config.needs.mismatch_effectiveness)
    served = np.flatnonzero(care.level == INTENSIVE)[0]
    assert cover[INDIVIDUAL, served] == 1.0


def test_crises_are_always_taken_in():
    m = MunicipalityModel(small_config(capacity__intensive_slots_per_1000=0.0, capacity__light_slots_per_1000=0.0))
    care = FormalCare(m.config, m.pop)
    m.needs.sev[:, :] = 0
    m.needs.crisis[:] = False
    m.needs.crisis[[3, 4]] = True
    staffed(care).step(1, m.needs, np.zeros(m.pop.n), np.zeros(m.pop.n, bool), m.rng)
    assert list(np.flatnonzero(care.level == CRISIS)) == [3, 4]


def test_professionals_hours_are_formal_care_capacity():
    """The weekly hours of a pool's professionals, over the hours per client of its level, are its
    slots; fewer hours (or no one) means fewer slots, whatever the config planned."""
    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.0))
    hours_per_client = m.config.capacity.hours_per_client
    m.step()
    pools: dict[tuple[int, int], float] = {}
    for prof in m.agents_by_type[Professional]:
        if prof.level is not None:
            key = (LEVELS.index(prof.level), int(m.staff.pool[prof.slot]))
            pools[key] = pools.get(key, 0.0) + prof.hours_per_week
    assert pools and {k: round(h / hours_per_client[LEVELS[k[0]]]) for k, h in pools.items()} == m.care.capacity
    specialists = [p for p in m.agents_by_type[Professional] if p.role == "specialist"]
    for prof in specialists:
        prof.hours_per_week = hours_per_client["intensive"]
    m.step()
    assert m.care.capacity[(INTENSIVE, -1)] == len(specialists)
    for prof in specialists:
        prof.leave()
    m.step()
    assert m.care.capacity.get((INTENSIVE, -1), 0) == 0


def test_gp_practices_notice_unmet_needs_and_refer_lonely_patients():
    """With the network's signals and carer-breakdown alerts switched off and no developers, only GP
    practices notice needs; without GP practices nothing is noticed and nobody is referred."""
    quiet = {"signal_to_professionals": 0.0}
    districts = [{"name": "Oost", "type": "deprived_urban", "population": 500, "overrides": quiet},
                 {"name": "Dorp", "type": "traditional_village", "population": 500, "overrides": quiet}]
    cfg = small_config(districts=districts, interventions__gp_referral__enabled=True, care__breakdown_detection=0.0)
    with_gp, without_gp = MunicipalityModel(cfg), MunicipalityModel(cfg)
    for gp in [p for p in without_gp.agents_by_type[Professional] if p.role == "gp"]:
        gp.leave()
    noticed = {id(with_gp): 0, id(without_gp): 0}
    referred = {id(with_gp): 0, id(without_gp): 0}
    for _ in range(26):
        for m in (with_gp, without_gp):
            m.step()
            noticed[id(m)] += int(m.noticing.detected.sum())
            referred[id(m)] += sum(p.referrals for p in m.agents_by_type[Professional])
    assert noticed[id(with_gp)] > 0 and referred[id(with_gp)] > 0
    assert noticed[id(without_gp)] == 0 and referred[id(without_gp)] == 0
