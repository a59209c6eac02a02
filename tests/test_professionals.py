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
    # case managers follow clients; youth workers' hours are youth care's; developers work in their district
    seen = m.noticing.gp_visits_made
    youth_workers = []
    for p in m.agents_by_type[Professional]:
        if p.role == "gp":
            assert seen[m.staff.patients(p.slot)].any() and len(p.caseload) > 0
        elif p.role == "dementia_case_manager":
            assert len(p.caseload) > 0
        elif p.role == "youth_worker":
            youth_workers.append(p)
        else:
            assert p.level is not None and p.hours_per_week > 0
    assert m.families.hours_used == pytest.approx(sum(p.hours_per_week for p in youth_workers)) and youth_workers
    in_care = np.flatnonzero(m.families.care > 0)
    assert sum(len(p.caseload) for p in youth_workers) == len(in_care) > 0
    assert sum(m.results()["network_developer_hours"]) > 0
    assert all(dev.knows().any() for dev in m.agents_by_type[NetworkDeveloper])
    assert m.staff.count().sum() == len(profs)


def test_a_professional_without_behaviour_cannot_be_made():
    # no turnover: the lazy specialist must not leave (and be replaced by one who acts) in the week checked
    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.0))
    with pytest.raises(ValueError, match="has no behaviour"):
        Professional(m, "astrologer", 0, 10.0)
    # a role whose behaviour is switched off is caught by the weekly check above: its trace is missing
    lazy = next(p for p in m.agents_by_type[Professional] if p.role == "specialist")
    lazy._act_specialist = lambda: None
    m.step()
    assert m.care.capacity[(LEVELS.index("intensive"), -1)] < round(
        sum(p.hours_per_week for p in m.agents_by_type[Professional] if p.role == "specialist")
        / m.config.capacity.hours_per_client["intensive"])


def test_the_batched_week_is_every_professional_stepping_in_turn(monkeypatch):
    """``Professional.week`` batches the roles' acts (model.step's fast path); it must give the same run
    as mesa's ``do("step")`` with each role's own act: same output rows, same random stream after."""
    cfg = small_config(professionals__turnover_per_year=0.5, interventions__network_developers__fte=1.0,
                       years=0.3, warmup_years=0.0)
    batched = MunicipalityModel(cfg)
    batched.run()
    monkeypatch.setattr(Professional, "week", staticmethod(
        lambda ps: (ps.do("step"), sum(p.referrals for p in ps))[1]))
    in_turn = MunicipalityModel(cfg)
    in_turn.run()
    assert batched.results().equals(in_turn.results())
    assert batched.rng.random() == in_turn.rng.random()


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
    """A small run with turnover, recording each week's tie counts and collaboration edges (the developer
    approaches strangers freely, so that in 13 weeks some accept: in the deprived ward most refuse)."""
    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.5, interventions__network_developers__fte=1.0,
                                       interventions__network_developers__cold_contact=1.0))
    log = {"trust_formed": 0, "trust_lost": 0, "edges": [], "pairs_exact": []}
    for _ in range(weeks):
        m.step()
        log["trust_formed"] += m.trust.formed
        log["trust_lost"] += m.trust.lost
        log["edges"].append({frozenset(e) for e in m.collaboration.graph.edges()})
        # the tie list kept from week to week (not scanned) is the matrix's non-zero pairs, in order
        log["pairs_exact"].append(all(map(np.array_equal, m.collaboration._pairs(), np.nonzero(m.collaboration.strength))))
    return m, log


def test_trust_and_collaboration_ties_form_and_dissolve():
    m, log = _history()
    assert log["trust_formed"] > 0 and log["trust_lost"] > 0
    edges = log["edges"]
    appeared = set().union(*(later - earlier for earlier, later in zip(edges, edges[1:])))
    vanished = set().union(*(earlier - later for earlier, later in zip(edges, edges[1:])))
    assert appeared and vanished
    assert all(log["pairs_exact"])
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
    intensive, light = LEVELS.index("intensive"), LEVELS.index("light")
    resident = np.array([0])
    gp = int(m.staff.gp[0])
    m.staff.case[0] = -1  # referred by their GP
    row = m.collaboration.row  # a professional's row of the strength matrix
    m.collaboration.strength[row[gp], :] = m.collaboration.strength[:, row[gp]] = 0.0
    weeks, drop = m.collaboration.handover(resident, np.array([intensive]))
    assert weeks[0] == round(h.cold_weeks) and drop[0] == pytest.approx(h.cold_drop)
    specialist = next(p.slot for p in m.agents_by_type[Professional] if p.role == "specialist")
    m.collaboration.strength[row[gp], row[specialist]] = m.collaboration.strength[row[specialist], row[gp]] = 1.0
    weeks, drop = m.collaboration.handover(resident, np.array([intensive]))
    assert weeks[0] == round(h.warm_weeks) and drop[0] == pytest.approx(h.warm_drop)
    weeks, drop = m.collaboration.handover(resident, np.array([light]))
    assert weeks[0] == 0 and drop[0] == 0  # the wijkteam is the door: no handover


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


def _fresh(**overrides) -> MunicipalityModel:
    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.0, **overrides))
    m.step()
    return m


def test_triage_quality_sets_the_mismatches_and_a_mismatch_costs_cover():
    from abm.core.needs import MULTI, NEED_KIND

    for quality, expect_all in ((0.0, True), (1.0, False)):
        m = _fresh(professionals__triage__quality=quality)
        people = np.arange(20)
        m.needs.sev[:, people] = 0
        m.needs.sev[MULTI, people] = 2
        first = np.zeros(m.pop.n, dtype=np.int8)
        first[people] = LEVELS.index("intensive")
        level = first.copy()
        m.pathways._triage(m.steps, level, first, m.needs, m.rng)
        assert m.pathways.mismatches[people].all() == expect_all and m.pathways.mismatches[people].any() == expect_all
        cover = np.ones((3, m.pop.n))
        out = m.pathways.adjust_cover(cover, level, np.zeros(m.pop.n, np.int8), m.needs, np.zeros(len(m.staff.role)))
        expected = m.config.professionals.triage.mismatch_cover if expect_all else 1.0
        assert np.allclose(out[MULTI, people], expected)
    # a deep individual condition the generalists do not handle can be mismatched; a social need cannot
    m = _fresh(professionals__triage__quality=0.0)
    m.needs.sev[:, :4] = 0
    m.needs.kind[1, :2] = NEED_KIND["psychiatric"]
    m.needs.sev[1, :2] = 2
    m.needs.sev[0, 2:4] = 3
    first = np.zeros(m.pop.n, dtype=np.int8)
    first[:2] = LEVELS.index("intensive")
    first[2:4] = LEVELS.index("light")
    m.pathways.mismatches[:] = False
    m.pathways._triage(m.steps, first, first, m.needs, m.rng)
    assert m.pathways.mismatches[:2].all() and not m.pathways.mismatches[2:4].any()


def test_stepping_down_without_follow_up_raises_relapse_risk_and_follow_up_gives_a_local_face():
    for follow_up in (0.0, 1.0):
        m = _fresh(professionals__way_back__follow_up=follow_up)
        p = m.pathways
        before = np.zeros(m.pop.n, dtype=np.int8)
        before[:10] = LEVELS.index("intensive")
        after = np.zeros(m.pop.n, dtype=np.int8)
        after[:5] = LEVELS.index("light")
        p.trust.prof[ROLE["generalist"], :10] = -1
        p._way_back(m.steps, before, after, m.rng)
        assert p.step_downs[:10].all() and not p.step_downs[10:].any()
        factor = p.escalation_factor(m.steps, m.needs)
        if follow_up == 0.0:
            assert np.allclose(factor[:, :10], m.config.professionals.way_back.relapse_factor)
        else:
            assert np.allclose(factor[:, :10], 1.0) and (p.trust.prof[ROLE["generalist"], :10] >= 0).all()
        escalated = np.zeros(m.pop.n, dtype=np.int64)
        escalated[[0, 20]] = 1
        p.count_relapses(m.steps + 1, escalated)
        assert p.relapses[0] and not p.relapses[20]


def test_flex_team_gives_early_help_from_specialist_hours_and_coaching_widens_light_care():
    from abm.core.needs import INDIVIDUAL, NEED_KIND

    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.0, professionals__flex_team__enabled=True))
    flex = np.flatnonzero(m.staff.flex)
    specialists = m.staff.slots("specialist")
    assert 0 < len(flex) < len(specialists)
    m.needs.kind[INDIVIDUAL, :30] = NEED_KIND["psychiatric"]
    m.needs.sev[INDIVIDUAL, :30] = 1
    m.step()
    hours = m.config.capacity.hours_per_client["intensive"]
    pool = sum(m.staff.hours[s] for s in specialists if not m.staff.flex[s])
    assert m.care.capacity[(LEVELS.index("intensive"), -1)] == round(pool / hours)  # flex hours are not pool slots
    assert m.pathways.flex_hours == pytest.approx(m.staff.hours[flex].sum())
    helped = np.flatnonzero(m.pathways.early_helper >= 0)
    assert len(helped) > 0 and m.staff.flex[m.pathways.early_helper[helped]].all()
    assert len(helped) <= int(m.pathways.flex_hours / hours)
    factor = m.pathways.escalation_factor(m.steps, m.needs)
    assert np.allclose(factor[INDIVIDUAL, helped], m.config.professionals.flex_team.early_escalation)
    # coaching: a parked client of a generalist with a full tie to a flex specialist is covered better
    client = 0
    level = np.zeros(m.pop.n, dtype=np.int8)
    waiting = np.zeros(m.pop.n, dtype=np.int8)
    level[client], waiting[client] = LEVELS.index("light"), LEVELS.index("intensive")
    m.staff.case[client] = m.staff.slots_in("generalist", 0)[0]
    m.pathways.mismatch_track[:] = -1
    cover = np.full((3, m.pop.n), 0.3)
    coached = np.zeros(len(m.staff.role))
    plain = m.pathways.adjust_cover(cover, level, waiting, m.needs, coached)[INDIVIDUAL, client]
    coached[m.staff.case[client]] = 1.0
    better = m.pathways.adjust_cover(cover, level, waiting, m.needs, coached)[INDIVIDUAL, client]
    assert plain == pytest.approx(0.3) and better == pytest.approx(0.3 + m.config.professionals.flex_team.coaching * 0.7)


def test_a_coordinator_calms_a_multi_problem_household_and_several_professionals_without_one_do_not():
    from abm.core.needs import MULTI

    for enabled in (True, False):
        m = _fresh(professionals__coordinator__enabled=enabled)
        p, st = m.pathways, m.staff
        household = np.flatnonzero(m.pop.household == m.pop.household[0])
        m.needs.sev[MULTI, 0] = 2
        generalist, specialist = st.slots_in("generalist", 0)[0], st.slots("specialist")[0]
        st.case[0] = specialist
        others = household[household != 0]
        if len(others) == 0:
            st.case_manager[0] = st.slots("dementia_case_manager")[0]
        else:
            st.case[others[0]] = generalist
        known = np.zeros(m.pop.n, dtype=bool)
        known[0] = True
        p._coordinate(m.needs, known)
        factor = p.escalation_factor(m.steps, m.needs)[MULTI, 0]
        cd = m.config.professionals.coordinator
        if enabled:
            assert st.role[p.coordinator[0]] == ROLE["generalist"] and factor == pytest.approx(cd.with_coordinator)
        else:
            assert p.coordinator[0] == -1 and p.household_professionals()[0] >= cd.several
            assert factor == pytest.approx(cd.without_coordinator)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["integrated_local_support", "fragmented_supply", "flex_team"])
def test_the_scenarios_run(scenario):
    from abm.config import load_config

    base = small_config()
    cfg = load_config(scenarios=[scenario], overrides=[f"years={base.years}", f"warmup_years={base.warmup_years}"])
    cfg = cfg.model_copy(update={"districts": base.districts})
    m = MunicipalityModel(cfg)
    table = m.run()
    rows = table[table.district == "all"]
    assert (rows["professionals"] > 0).all() and rows["trust_ties"].iloc[-1] > 0
    assert rows["collaboration_ties"].iloc[-1] > 0 and rows["mismatches"].sum() > 0
    assert m.staff.flex.any() == cfg.professionals.flex_team.enabled
    assert (m.pathways.flex_hours > 0) == cfg.professionals.flex_team.enabled


def test_early_help_is_priced_as_intensive_help():
    m = _fresh()
    level = np.zeros(m.pop.n, dtype=np.int8)
    level[1] = LEVELS.index("light")
    level[2] = LEVELS.index("longterm")
    m.pathways.early_helper[:3] = 0
    priced = m.pathways.priced_level(level)
    assert list(priced[:4]) == [LEVELS.index("intensive")] * 2 + [LEVELS.index("longterm"), 0]


def test_a_caseload_caps_a_professional_overflow_goes_to_a_colleague_and_the_rest_wait():
    m = MunicipalityModel(small_config(professionals__turnover_per_year=0.0))
    st = m.staff
    limit = st.limit()
    specialists = st.slots("specialist")
    hours = m.config.capacity.hours_per_client["intensive"]
    assert (limit[specialists] == np.ceil(st.hours[specialists] / hours - 1e-9)).all()
    assert limit[specialists].sum() >= round(st.hours[specialists].sum() / hours)  # the limits hold the pool's slots
    home = int(st.district[specialists[0]])
    local = specialists[st.district[specialists] == home]
    room_local, room_all = int(limit[local].sum()), int(limit[specialists].sum())
    clients = np.flatnonzero(m.pop.district == home)[: room_all + 5]
    level = np.zeros(m.pop.n, dtype=np.int8)
    level[clients] = LEVELS.index("intensive")
    waiting = st.assign(level)
    assert (st.load()[specialists] <= limit[specialists]).all()
    assert st.overflow.sum() == room_all - room_local > 0
    assert (st.district[st.case[st.overflow]] != home).all()
    assert len(waiting) == 5 and (st.case[waiting] == -1).all() and st.waits.sum() == 5
    # formal care puts them back on the waiting list
    m.care.level[:] = level
    m.care.wait_for_professional(waiting, m.steps)
    assert (m.care.level[waiting] == 0).all() and (m.care.waiting[waiting] == LEVELS.index("intensive")).all()
    # no limit for GPs (their list) and network developers (no caseload, seed 003 §6.5)
    assert np.isinf(limit[st.slots("gp")]).all()


def test_in_a_run_no_professional_serves_beyond_their_caseload_limit():
    m = _run(0.15)
    present = m.staff.present
    assert (m.staff.load()[present] <= m.staff.limit()[present]).all()
    rows = m.results()
    rows = rows[rows.district == "all"]
    assert ((rows["caseload_use"] > 0) & (rows["caseload_use"] <= 1)).all()
