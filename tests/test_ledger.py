"""The societal cost ledger, wellbeing weights and demand counts, unit by unit (docs/ODD.md §7.11-7.12).

Expected values are computed from the config's prices, units and stays, never repeated here.
"""

from __future__ import annotations

import numpy as np
import pytest

from abm.config import LEVELS, NEED_KINDS, ConfigError, load_config
from abm.core import costs, demand, wellbeing
from tests.conftest import small_config

KIND = {k: i for i, k in enumerate(NEED_KINDS)}
LEVEL = {k: i for i, k in enumerate(LEVELS)}


def quiet_week(ledger, n=4, district=None):
    """A week with nobody in care, no crises, no visits."""
    district = np.zeros(n, dtype=np.int64) if district is None else district
    zeros = np.zeros(len(district))
    return ledger.week(district, np.zeros(len(district), dtype=np.int8), np.full(len(district), -1), zeros, zeros, zeros,
                       np.zeros(ledger.n_districts))


def price(cfg, item):
    return cfg.costs.items[item].price * cfg.costs.price_index


def test_admission_adds_long_term_care_cost_for_its_stay():
    cfg = small_config()
    ledger = costs.Ledger(cfg, 2)
    ledger.admit(np.array([1]), np.array([KIND["dementia"]]))
    setting = cfg.costs.residential[cfg.costs.admission_setting["dementia"]]
    day = price(cfg, setting.day_item)
    assert cfg.costs.items[setting.day_item].payer == "longterm_care"
    weeks = [quiet_week(ledger) for _ in range(int(setting.mean_stay_days))]
    first = weeks[0]
    assert first["admissions"].tolist() == [0, 1]
    assert first["cost_longterm_care"][1] == pytest.approx(costs.DAYS_PER_WEEK * day)
    assert first["cost_longterm_care"][0] == 0
    total = sum(w["cost_longterm_care"][1] for w in weeks)
    # expected stay: mean_stay_days (a constant leaving rate); the sum over the horizon (mean_stay_days weeks,
    # far beyond the mean) misses a negligible tail
    assert total == pytest.approx(setting.mean_stay_days * day, rel=0.02)
    assert weeks[-1]["admitted_residents"][1] < 0.01
    assert all(w["admissions"].sum() == 0 for w in weeks[1:])


def test_admitted_residents_leave_at_the_published_rate():
    cfg = small_config()
    ledger = costs.Ledger(cfg, 1)
    ledger.admit(np.zeros(100, dtype=np.int64), np.full(100, KIND["psychiatric"]))
    setting = cfg.costs.residential[cfg.costs.admission_setting["psychiatric"]]
    stock = [quiet_week(ledger, district=np.zeros(1, dtype=np.int64))["admitted_residents"][0] for _ in range(60)]
    mean_weeks = sum(stock) / 100  # expected residents summed over weeks = expected stay in weeks
    assert mean_weeks * costs.DAYS_PER_WEEK == pytest.approx(setting.mean_stay_days, rel=0.08)


def test_payers_add_up_to_societal_cost_and_each_item_goes_to_its_payer():
    cfg = small_config()
    rng = np.random.default_rng(3)
    n, D = 2000, 3
    ledger = costs.Ledger(cfg, D)
    ledger.admit(rng.integers(D, size=20), rng.integers(len(NEED_KINDS), size=20))
    district = rng.integers(D, size=n)
    level = rng.integers(len(LEVELS), size=n).astype(np.int8)
    kind = rng.integers(-1, len(NEED_KINDS), size=n)
    out = ledger.week(district, level, kind, rng.random(n) < 0.05, rng.random(n) < 0.1, rng.random(n) * 3,
                      np.array([100.0, 0.0, 50.0]))
    payers = out["cost_municipality"] + out["cost_insurer"] + out["cost_longterm_care"]
    np.testing.assert_allclose(payers, out["societal_cost"])
    parts = out["formal_care_cost"] + out["residential_cost"] + out["intervention_cost"]
    # societal cost = care at the levels + crisis emergency care + stays + GP + levers
    gp = out["gp_visits"] * price(cfg, cfg.costs.gp_visit_item)
    assert np.all(out["societal_cost"] >= parts + gp - 1e-6)
    assert np.all(out["hospital_cost"] <= out["cost_insurer"] + 1e-6)
    assert np.all(out["informal_care_value"] > 0)


def test_a_crisis_costs_its_emergency_care_and_crisis_weeks():
    cfg = small_config()
    ledger = costs.Ledger(cfg, 1)
    one = np.zeros(1, dtype=np.int64)
    frail = np.array([KIND["frailty"]])
    out = ledger.week(one, np.array([LEVEL["crisis"]], dtype=np.int8), frail, np.array([1.0]), np.zeros(1), np.zeros(1), np.zeros(1))
    event = cfg.costs.crisis_event.for_kind("frailty")
    weekly = cfg.costs.level_week["crisis"].for_kind("frailty")
    hospital = sum(u * price(cfg, i) for i, u in event.items() if cfg.costs.items[i].hospital)
    assert hospital > 0
    assert out["hospital_cost"][0] == pytest.approx(hospital)
    total = sum(u * price(cfg, i) for pkg in (event, weekly) for i, u in pkg.items())
    assert out["crisis_cost"][0] == pytest.approx(total)
    assert out["societal_cost"][0] == pytest.approx(total)
    # the same resident in light care without a crisis costs the light package only
    out = ledger.week(one, np.array([LEVEL["light"]], dtype=np.int8), frail, np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1))
    light = sum(u * price(cfg, i) for i, u in cfg.costs.level_week["light"].for_kind("frailty").items())
    assert out["crisis_cost"][0] == 0 and out["hospital_cost"][0] == 0
    assert out["societal_cost"][0] == pytest.approx(light)


def test_price_index_scales_every_cost():
    base = costs.Ledger(small_config(), 1)
    dearer = costs.Ledger(small_config(costs__price_index=1.073), 1)
    one = np.zeros(1, dtype=np.int64)
    args = (one, np.array([LEVEL["intensive"]], dtype=np.int8), np.array([KIND["psychiatric"]]), np.ones(1), np.ones(1),
            np.zeros(1), np.zeros(1))
    assert dearer.week(*args)["societal_cost"][0] == pytest.approx(1.073 * base.week(*args)["societal_cost"][0])


def test_bad_cost_config_names_the_problem():
    with pytest.raises(ConfigError, match="unknown cost items.*no_such_item"):
        small_config(costs__level_week__light__default={"no_such_item": 1.0})
    with pytest.raises(ConfigError, match="price"):
        small_config(costs__items__gp_consult__price=-1)
    with pytest.raises(ConfigError, match="dementia_utility"):
        small_config(wellbeing__dementia_utility=[0.7, 0.6])


def test_qaly_loss_weights_states_and_admitted_residents():
    cfg = small_config()
    w = cfg.wellbeing
    ledger = costs.Ledger(cfg, 1)
    wb = wellbeing.Wellbeing(cfg, ledger.settings)
    one = np.zeros(1, dtype=np.int64)
    f, t = np.zeros(1, dtype=bool), np.ones(1, dtype=bool)
    none = wb.week(one, 1, f, f, np.zeros(1, dtype=np.int64), f, f, ledger.stock)
    assert none["qaly_loss"][0] == 0
    lonely = wb.week(one, 1, t, f, np.zeros(1, dtype=np.int64), f, t, ledger.stock)
    assert lonely["qaly_loss"][0] == pytest.approx(w.lonely_decrement / 52)
    assert lonely["loneliness_years"][0] == pytest.approx(1 / 52) and lonely["unmet_need_weeks"][0] == 1
    stages = len(w.dementia_utility)
    severe = wb.week(one, 1, f, f, np.array([stages]), f, f, ledger.stock)
    assert severe["qaly_loss"][0] == pytest.approx((w.reference_utility - w.dementia_utility[-1]) / 52)
    ledger.admit(np.array([0]), np.array([KIND["dementia"]]))
    home = cfg.costs.admission_setting["dementia"]
    admitted = wb.week(one, 1, f, f, np.zeros(1, dtype=np.int64), f, f, ledger.stock)
    assert admitted["qaly_loss"][0] == pytest.approx((w.reference_utility - w.residential_utility[home]) / 52)


def test_demand_counts_everyone_who_needs_a_level_served_or_not():
    L = LEVEL
    required = np.array([L["intensive"], L["intensive"], L["intensive"], L["light"], 0, L["light"]])
    served = np.array([L["intensive"], L["light"], 0, 0, L["light"], 0])   # 1 parked in light; 4 about to be discharged
    waiting = np.array([0, L["intensive"], L["intensive"], 0, 0, 0])
    unmet = np.array([False, True, True, True, False, False])             # 5 is fully helped informally
    out = demand.counts(np.zeros(6, dtype=np.int64), 1, required, served, waiting, unmet)
    assert out["demand_intensive"][0] == 3 and out["served_intensive"][0] == 1 and out["waiting_intensive"][0] == 2
    assert out["demand_light"][0] == 2 and out["served_light"][0] == 2
    assert out["demand_total"][0] == 5 and out["served_total"][0] == 3
    assert set(demand.COLUMNS) == set(out)


# ---------------------------------------------------------------- in the model

from abm import MunicipalityModel  # noqa: E402
from abm.core.columns import COLUMNS  # noqa: E402


def test_newcomers_bring_the_districts_need_profile_not_a_clean_slate():
    m = MunicipalityModel(small_config(districts=[{"name": "Wijk", "type": "deprived_urban", "population": 2000}]))
    had_needs = m.needs.any_need().mean()
    assert had_needs > 0
    leavers = np.arange(0, 2000, 2)
    m._admitted = leavers  # half the district leaves at once
    m._demography(m.rng)
    newcomers = m.needs.any_need()[leavers]
    # the same profile as at initialisation (prevalence by age and district): about as many with needs
    assert newcomers.mean() == pytest.approx(had_needs, rel=0.35)


def test_a_run_keeps_the_ledger_consistent_and_demand_at_least_service():
    m = MunicipalityModel(small_config(years=2, interventions__network_developers__fte=1.0))
    df = m.run()
    assert list(df.columns) == [c.name for c in COLUMNS]
    payers = df.cost_municipality + df.cost_insurer + df.cost_longterm_care
    np.testing.assert_allclose(payers, df.societal_cost, rtol=1e-9)
    assert (df.demand_total >= df.served_total).all()
    assert (df.served_total == df[[f"served_{lvl}" for lvl in LEVELS[1:]]].sum(axis=1)).all()
    everyone = df[df.district == "all"]
    capacity = m.care.capacity[(LEVEL["intensive"], -1)]
    assert (everyone.served_intensive <= capacity).all()
    # the multiplier is brokered help per developer hour, empty without developer hours
    hours = df.network_developer_hours > 0
    assert hours.any()
    np.testing.assert_allclose(df.multiplier[hours], df.brokered_support_hours[hours] / df.network_developer_hours[hours])
    assert df.multiplier[~hours].isna().all()
    assert (df.gp_visits > 0).all() and (df.qaly_loss > 0).all()


@pytest.mark.slow
def test_a_specialist_cut_shows_in_crises_hospital_and_admissions_on_paired_seeds():
    """The escalation a cut causes is priced: crises, hospital cost and admissions rise; demand for
    intensive help exceeds what is served (paired seeds; small municipality)."""
    def totals(seed, factor):
        cfg = small_config(seed=seed, years=3, warmup_years=1, capacity__specialist_factor=factor,
                           districts=[{"name": "Oost", "type": "deprived_urban", "population": 1500},
                                      {"name": "Dorp", "type": "traditional_village", "population": 1500}])
        df = MunicipalityModel(cfg).run()
        return df[df.district == "all"]

    cut = load_config(scenarios=["specialist_capacity_cut"]).capacity.specialist_factor
    assert cut < 1
    diffs = []
    for seed in range(3):
        base, less = totals(seed, 1.0), totals(seed, cut)
        diffs.append({c: less[c].sum() - base[c].sum() for c in ("crises", "hospital_cost", "crisis_cost", "admissions",
                                                                    "residential_cost", "formal_care_cost")})
        assert (less.demand_intensive - less.served_intensive).mean() > (base.demand_intensive - base.served_intensive).mean()
    mean = {c: np.mean([d[c] for d in diffs]) for c in diffs[0]}
    assert all(d["crises"] > 0 for d in diffs), diffs
    # at 3,000 residents the mix of crises (somatic vs psychiatric) varies by seed, so the costs are asserted on the mean
    assert mean["hospital_cost"] > 0 and mean["admissions"] > 0 and mean["crisis_cost"] > 0 and mean["residential_cost"] > 0, mean
