"""Professionals as acting agents (issue 16): roles, hours as capacity, caseloads, turnover."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from abm import MunicipalityModel
from abm.config import LEVELS
from abm.config.professionals import ROLES
from abm.core.agents import NetworkDeveloper, Professional
from abm.core.levers import apply_levers
from abm.core.staff import ROLE
from tests.conftest import small_config


@functools.cache
def _run(turnover: float, weeks: int = 40) -> MunicipalityModel:
    """A small municipality run for 40 weeks, developers from week 27 (shared by the tests; do not mutate)."""
    m = MunicipalityModel(small_config(professionals__turnover_per_year=turnover,
                                       interventions__network_developers__fte=1.0))
    for _ in range(weeks):
        m.step()
    return m


def test_every_role_is_staffed_and_every_professional_acts_each_week():
    m = _run(0.15)
    profs = list(m.agents_by_type[Professional]) + list(m.agents_by_type[NetworkDeveloper])
    assert {p.role for p in m.agents_by_type[Professional]} | {"network_developer"} == set(ROLES)
    assert all(p.acted == m.steps for p in m.agents_by_type[Professional])
    # each role's behaviour leaves a trace this week: GPs saw patients; care roles' hours are capacity;
    # case managers follow clients; developers work in their district
    seen = m.noticing.gp_visits_made
    for p in m.agents_by_type[Professional]:
        if p.role == "gp":
            assert seen[m.staff.patients(p.slot)].any() and len(p.caseload) > 0
        elif p.role == "dementia_case_manager":
            assert len(p.caseload) > 0
        else:
            assert p.level is not None and p.hours_per_week > 0
    assert sum(m.results()["network_developer_hours"]) > 0
    assert m.staff.count().sum() == len(profs)


def test_a_professional_without_behaviour_cannot_be_made():
    m = MunicipalityModel(small_config())
    with pytest.raises(ValueError, match="has no behaviour"):
        Professional(m, "astrologer", 0, 10.0)
    # a role whose behaviour is switched off is caught by the weekly check above: its trace is missing
    lazy = next(p for p in m.agents_by_type[Professional] if p.role == "specialist")
    lazy._act_specialist = lambda: None
    m.step()
    assert m.care.capacity[(LEVELS.index("intensive"), -1)] < round(
        sum(p.hours_per_week for p in m.agents_by_type[Professional] if p.role == "specialist")
        / m.config.capacity.hours_per_client["intensive"])


def test_sum_of_hours_is_capacity_and_the_reference_staffing_follows_the_budget():
    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.0))
    planned = m.care.planned_hours()
    care_roles = [p for p in m.agents_by_type[Professional] if p.level is not None]
    assert sum(p.hours_per_week for p in care_roles) == pytest.approx(sum(planned.values()))
    contract = m.config.professionals.roles
    assert all(p.hours_per_week <= contract[p.role].hours_per_week + 1e-9 for p in care_roles)
    # a specialist cut from now on: fewer specialists, capacity follows their hours
    cut = small_config(professionals__turnover_per_year=0.0, capacity__specialist_factor=0.5)
    before = sum(p.role == "specialist" for p in m.agents_by_type[Professional])
    apply_levers(m, cut)
    m.step()
    specialists = [p for p in m.agents_by_type[Professional] if p.role == "specialist"]
    assert len(specialists) < before
    hours = sum(p.hours_per_week for p in specialists)
    assert m.care.capacity[(LEVELS.index("intensive"), -1)] == round(hours / m.config.capacity.hours_per_client["intensive"])


def test_clients_are_on_the_caseload_of_a_present_professional_of_their_level():
    m = _run(0.15)
    staff = m.staff
    clients = np.flatnonzero(np.isin(m.care.level, [LEVELS.index(x) for x in ("light", "intensive", "longterm")]))
    assert len(clients) > 0
    served = staff.case[clients]
    assert (served >= 0).all() and staff.present[served].all()
    role_of = {LEVELS.index("light"): ROLE["generalist"], LEVELS.index("intensive"): ROLE["specialist"],
               LEVELS.index("longterm"): ROLE["district_nurse"]}
    assert all(staff.role[s] == role_of[int(m.care.level[c])] for c, s in zip(clients, served))
    # light clients are served by a generalist of their own district
    light = clients[m.care.level[clients] == LEVELS.index("light")]
    assert (staff.district[staff.case[light]] == m.pop.district[light]).all()
    assert sum(len(p.caseload) for p in m.agents_by_type[Professional] if p.level is not None) == len(clients)


def test_turnover_replaces_professionals_by_newcomers_who_take_over_the_post():
    still, moving = _run(0.0), _run(2.0)
    assert len(still.staff.role) == still.staff.present.sum()  # nobody left
    staff = moving.staff
    gone = np.flatnonzero(~staff.present)
    assert len(gone) > 0  # about 2 per year per professional leave
    assert staff.present.sum() == still.staff.present.sum()  # every post is filled again
    for ref in (staff.case, staff.gp, staff.case_manager):
        assert not np.isin(ref, gone).any()  # nobody is served by someone who left
    assert (staff.gp >= 0).all()  # every resident still has a GP
    assert all(staff.agents[s] is None for s in gone)
    assert {p.slot for p in moving.agents_by_type[Professional]}.isdisjoint(gone.tolist())


def test_dementia_case_management_delays_admission():
    m = MunicipalityModel(small_config())
    m.needs.crisis[:] = True
    followed = np.ones(m.pop.n)
    rng = np.random.default_rng(1)
    plain = len(m.needs.resolve_crises(rng))
    m.needs.crisis[:] = True
    none = len(m.needs.resolve_crises(np.random.default_rng(1), followed * 0.0))
    assert plain > 0 and none == 0


@functools.cache
def _history(weeks: int = 40) -> tuple[MunicipalityModel, dict]:
    """A small run with turnover, recording each week's tie counts and collaboration edges."""
    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.5, interventions__network_developers__fte=1.0))
    log = {"trust_formed": 0, "trust_lost": 0, "edges": []}
    for _ in range(weeks):
        m.step()
        log["trust_formed"] += m.trust.formed
        log["trust_lost"] += m.trust.lost
        log["edges"].append({frozenset(e) for e in m.collaboration.graph.edges()})
    return m, log


def test_trust_and_collaboration_ties_form_and_dissolve():
    m, log = _history()
    assert log["trust_formed"] > 0 and log["trust_lost"] > 0
    edges = log["edges"]
    appeared = set().union(*(later - earlier for earlier, later in zip(edges, edges[1:])))
    vanished = set().union(*(earlier - later for earlier, later in zip(edges, edges[1:])))
    assert appeared and vanished
    table = m.results()
    all_rows = table[table.district == "all"]
    assert all_rows["trust_ties"].nunique() > 1 and all_rows["collaboration_ties"].nunique() > 1
    # trust is formed by the developer (contact) and the generalists (clients, introductions) too
    res, slot, _ = m.trust.edges()
    roles = {m.staff.agents[s].role for s in set(slot.tolist())}
    assert {"gp", "generalist", "network_developer"} <= roles


def test_a_departed_professionals_ties_are_gone_and_the_newcomer_has_none():
    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.0))
    for _ in range(8):
        m.step()
    gp = max((p for p in m.agents_by_type[Professional] if p.role == "gp"),
             key=lambda p: (m.trust.prof == p.slot).sum())
    assert (m.trust.prof == gp.slot).sum() > 0 and m.collaboration.graph.degree(gp.slot) > 0
    m.staff.leavers = lambda rng: np.array([gp.slot])  # this GP leaves next week
    m.step()
    assert gp.slot not in m.collaboration.graph and not (m.trust.prof == gp.slot).any()
    newcomer = m.staff.agents[len(m.staff.role) - 1]
    assert newcomer.role == "gp" and (m.staff.gp == newcomer.slot).any()  # took over the list
    assert (m.trust.prof == newcomer.slot).sum() <= m.noticing.gp_visits_made[m.staff.gp == newcomer.slot].sum()


def test_knowing_the_local_face_lowers_shyness_and_raises_noticing():
    m, _ = _history()
    known = m.trust.familiarity() > 0
    assert known.any() and (~known).any()
    eff = m.trust.demand_shyness()
    assert (eff[known] < m.pop.demand_shyness[known]).all() or (m.pop.demand_shyness[known] == 0).any()
    assert (eff[~known] == m.pop.demand_shyness[~known]).all()
    assert (m.trust.gp_detection_factor()[m.trust.prof[ROLE["gp"]] == m.staff.gp] > 1).all()


def test_a_strong_collaboration_tie_makes_a_handover_quicker_and_safer():
    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.0))
    h = m.config.professionals.handover
    intensive = LEVELS.index("intensive")
    resident = 0
    gp = int(m.staff.gp[resident])
    m.staff.case[resident] = -1  # referred by their GP
    m.collaboration.graph.remove_edges_from(list(m.collaboration.graph.edges(gp)))
    weeks, drop = m.collaboration.handovers(len(LEVELS))
    assert weeks[intensive, resident] == round(h.cold_weeks) and drop[intensive, resident] == pytest.approx(h.cold_drop)
    specialist = next(p.slot for p in m.agents_by_type[Professional] if p.role == "specialist")
    m.collaboration.graph.add_edge(gp, specialist, strength=1.0)
    weeks, drop = m.collaboration.handovers(len(LEVELS))
    assert weeks[intensive, resident] == round(h.warm_weeks) and drop[intensive, resident] == pytest.approx(h.warm_drop)
    assert weeks[LEVELS.index("light"), resident] == 0  # the wijkteam is the door: no handover


def test_support_network_has_professionals_residents_and_both_kinds_of_ties():
    m, _ = _history()
    g = m.support_network()
    profs = [v for v in g if isinstance(v, tuple)]
    assert len(profs) == m.staff.present.sum()
    assert all(g.nodes[v]["role"] in ROLES for v in profs)
    kinds = {d["kind"] for _, _, d in g.edges(data=True)}
    assert kinds == {"trust", "collaboration"}
    residents = [v for v in g if not isinstance(v, tuple)]
    assert all(0 <= r < m.pop.n for r in residents)
    assert sum(d["kind"] == "trust" for *_, d in g.edges(data=True)) == int((m.trust.prof >= 0).sum())
    assert all(0 < d["strength"] <= 1 for *_, d in g.edges(data=True))
