"""Scenario tests of docs/spec/MODEL.md §9's directional statements, at small scale, averaged over seeds.

These are findings to test, not outcomes forced by the code: each compares paired runs (same seeds)
that differ only by the lever in question. Each test asserts what emerges on the current model
(re-examined for issues 9 and 17 on the default with the intimate bond, the parents' family-support
feedback and the care cooperatives on, main 66191fd), with margins around the figures measured then
(in each docstring and in docs/ODD.md, "What emerges"; more seeds: benchmarks/measure_scenarios.py):
where a statement of docs/spec/MODEL.md §9 does not emerge, the test asserts that it does not (an
effect near zero), so a failure means the direction or the order of magnitude changed. The dose
here, 7 FTE for 4,900 residents (14 FTE per 10,000), is about ten times the reference scenario's.
Measured with 4 paired seeds: intervals are 95% t-intervals over the seeds.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from abm.config import DISTRICT_TYPES
from abm.core.levels import DEMAND_COLUMNS
from abm.experiments.analysis import effect_table, variant_table
from abm.experiments.spec import SweepSpec
from abm.experiments.sweep import load_metrics, run_sweep

pytestmark = pytest.mark.slow


REPLICATIONS = 4  # paired seeds per variant (the sweep derives them; every variant runs on the same seeds)
DEVELOPERS = ["interventions.network_developers.fte=7",  # one per district, staying: same effort everywhere
              "interventions.network_developers.rotation.rule=stay"]
MUNICIPALITY = {
    "years": 6, "warmup_years": 1,
    "districts": [{"name": t, "type": t, "population": 700} for t in DISTRICT_TYPES],
}
MAIN = {
    "baseline": [],
    "structural": DEVELOPERS,
    "project": [*DEVELOPERS, "interventions.network_developers.end_year=2"],
    "no_detection": [*DEVELOPERS, "interventions.network_developers.detection=0"],
    "specialist_cut": ["capacity.specialist_factor=0.5"],
}
WINDOWS = {  # column: the year windows the tests read (mean over weeks in [from, to))
    "lonely_share": [(0, 0.5), (4, 6), (5, 6)],
    "clients_social": [(4, 6), (3, 6)],
    "vulnerable_with_vital_tie_share": [(1.5, 2), (5, 6)],
    "brokered_ties": [(1.5, 2), (5, 6)],
    "clients_dementia": [(3, 6)],
    "clients_psychiatric": [(3, 6)],
    "detected": [(0, 2)],
    **{c: [(0, 3)] for c in DEMAND_COLUMNS},
    "waiting_list": [(1, 6)],
    "escalations": [(1, 6)],
    "crises": [(1, 6)],
}
MAIN_METRICS = [{"column": c, "stat": "mean", "years": list(w)} for c, ws in WINDOWS.items() for w in ws] + [
    {"column": "crises", "stat": "sum", "district": "each"},
    {"column": "new_clients", "stat": "sum", "district": "each"},
]
# three middle-class districts that differ only in turnover or in group mixing
SAME_TYPE = {
    "years": 5, "warmup_years": 1,
    "districts": [
        {"name": "reference", "type": "middle_class", "population": 1000, "overrides": {"newcomer_share": 0.5}},
        {"name": "high_turnover", "type": "middle_class", "population": 1000,
         "overrides": {"newcomer_share": 0.5, "turnover_per_year": 0.2}},
        {"name": "no_mixing", "type": "middle_class", "population": 1000,
         "overrides": {"newcomer_share": 0.5, "group_mixing": 0.1}},
    ],
}
SAME_TYPE_VARIANTS = {"baseline": [], "structural": ["interventions.network_developers.fte=3",
                                                     "interventions.network_developers.rotation.rule=stay"]}
SAME_TYPE_METRICS = [{"column": "brokered_ties", "stat": "mean", "years": [3, 5], "district": "each"}]
DESIGNS = {"municipality": (MUNICIPALITY, MAIN, MAIN_METRICS), "same_type": (SAME_TYPE, SAME_TYPE_VARIANTS, SAME_TYPE_METRICS)}


@cache
def experiment(design: str) -> pd.DataFrame:
    """Run the design's variants as a sweep (abm.experiments) and return its long metrics table."""
    base, variants, metrics = DESIGNS[design]
    folder = Path(tempfile.mkdtemp(prefix=f"scenarios-{design}-"))
    (folder / "base.yaml").write_text(yaml.safe_dump(base))
    spec = SweepSpec(name=design, base="base.yaml", replications=REPLICATIONS, baseline="baseline",
                     variants=[{"name": n, "set": s} for n, s in variants.items()], metrics=metrics)
    summary = run_sweep(spec, folder, folder / "out", workers=2, progress=False)
    assert summary["failed"] == 0, summary["failures"]
    return load_metrics(folder / "out")


def _metric(column, years=None, stat="mean"):
    return f"{column}_{stat}" + ("" if years is None else f"_{years[0]:g}_{years[1]:g}")


def mean(df, variant, column, years=None, district="all", stat="mean"):
    """Mean over replications of a variant's metric (abm.experiments.analysis.variant_table)."""
    table = variant_table(df)
    row = table[(table.variant == variant) & (table.metric == _metric(column, years, stat)) & (table.district == district)]
    return float(row["mean"].iloc[0])


def effect(df, variant, column, years, district="all", against="baseline"):
    """Mean paired effect (same seeds) of a variant against another (analysis.effect_table)."""
    table = effect_table(df, against)
    row = table[(table.variant == variant) & (table.metric == _metric(column, years)) & (table.district == district)]
    return float(row["mean"].iloc[0])


def test_network_building_does_not_lower_loneliness_or_social_demand_measurably():
    """§9: network building lowers loneliness and social demand with a lag of years. Does NOT emerge at
    a credible size: structural developers (years 4-6) change the lonely share by -0.58 pt [-1.01,
    -0.15] (+0.15 pt [-0.20, +0.50] in the first half year) and social clients by -2.5% [-11.6%,
    +6.6%] (4 paired seeds; on main 91248ed, before the three mechanisms were on, the same seeds gave -0.60 pt
    [-1.64, +0.44] and -8.2% [-23.8%, +7.4%]). The 4 seeds' -0.58 pt is seed noise: on 12 paired seeds
    (benchmarks/measure_scenarios.py --seeds 12) +0.05 pt [-0.30, +0.40] in years 4-6, +0.08 pt [-0.05,
    +0.21] in the first half year, social clients -2.8% [-8.5%, +2.9%]. Asserted: no effect of a credible size either way (Voor Mekaar saw 3 points, docs/spec/MODEL.md
    §10), and none before the developers start."""
    df = experiment("municipality")
    early = effect(df, "structural", "lonely_share", (0, 0.5))
    late = effect(df, "structural", "lonely_share", (4, 6))
    assert abs(early) < 0.01
    assert abs(late) < 0.03
    social = effect(df, "structural", "clients_social", (4, 6)) / mean(df, "baseline", "clients_social", (4, 6))
    assert abs(social) < 0.20


def test_brokered_ties_fade_after_temporary_funding_stops():
    """§9: effects fade after temporary funding stops. Emerges for the ties: a 2-year project's
    brokered ties fall from 88.9 [80.4, 97.5] at years 1.5-2 to 13.0 [10.9, 15.1] at years 5-6, while
    structural funding keeps building them (198.7 [157.3, 240.1]; x2.23 [1.83, 2.63] the project's
    peak, per seed 2.03-2.58) (4 paired seeds; on main 91248ed, before the three mechanisms were on:
    81.5, 9.5 and 165.6, x2.04 [1.66, 2.42]); on 12 paired seeds 83.8 [75.3, 92.3] -> 11.9 [9.2, 14.6],
    structural 180.4 [167.6, 193.2], x2.21 [1.93, 2.49] per seed (1.75 to 3.21), vital-tie gain +0.9
    pt [0.0, +1.8]. Asserted for the ties: most of the project's ties are gone, and structural funding
    holds at least half again the project's peak (x2 sat inside the interval). The vital-tie gain during funding is +0.3 pt [-2.6,
    +3.2] and no loneliness effect of a credible size emerges (previous test; project -0.13 pt, structural -0.47 pt
    at years 5-6), so no loneliness fade can be seen: asserted is that neither variant moves
    loneliness by a credible amount."""
    df = experiment("municipality")
    ties_during = mean(df, "project", "brokered_ties", (1.5, 2))
    ties_after = mean(df, "project", "brokered_ties", (5, 6))
    assert ties_during > 0
    assert ties_after < ties_during / 3  # most brokered ties did not become self-sustaining
    assert mean(df, "structural", "brokered_ties", (5, 6)) > 1.5 * ties_during
    assert abs(effect(df, "project", "vulnerable_with_vital_tie_share", (1.5, 2))) < 0.08
    for variant in ("project", "structural"):
        assert abs(effect(df, variant, "lonely_share", (5, 6))) < 0.04


def test_the_same_effort_builds_lasting_ties_of_the_same_order_whatever_turnover_or_mixing():
    """§9: the same effort builds fewer lasting ties where turnover is high or groups do not mix.
    Weakly, at 4 seeds within noise: lasting brokered ties (years 3-5, 3 FTE per 1,000 residents) 17.7
    [11.7, 23.6] in the reference district, 16.1 [13.0, 19.2] with high turnover (x0.91; paired -1.5
    [-5.0, +1.9]), 14.1 [3.5, 24.6] with little mixing (x0.80; paired -3.6 [-10.7, +3.5]) (4 paired
    seeds; the direction is now the statement's; on main 91248ed, before the three mechanisms were on,
    the same seeds gave the reverse, 12.1, 14.3, 15.9). Since developers reach residents through trust ties (issue 16: word of
    mouth, a stranger accepts a cold approach one time in ten) the same effort builds about a third of
    the lasting ties it did before (41.8, 37.4, 33.2). On 12 paired seeds (benchmarks/measure_scenarios.py
    --seeds 12) the statement emerges weakly: 18.0 [15.9, 20.1] reference, 15.6 [13.5, 17.8] high
    turnover (x0.87; paired -2.4 [-4.3, -0.4]), 15.7 [12.6, 18.8] little mixing (x0.87; paired -2.3
    [-6.0, +1.4]): some 13% fewer lasting ties, distinguishable from chance for turnover only. Asserted
    (4 seeds cannot show a 13% difference): the same order of magnitude, no hard district more than
    half again above the reference."""
    df = experiment("same_type")
    lasting = {d: mean(df, "structural", "brokered_ties", (3, 5), district=d)
               for d in ("reference", "high_turnover", "no_mixing")}
    for d in ("high_turnover", "no_mixing"):
        assert 0.4 * lasting["reference"] < lasting[d] < 1.5 * lasting["reference"]


def test_dementia_and_psychiatric_demand_hardly_change():
    """§9: dementia and psychiatric demand hardly fall (social demand falls). Emerges: dementia demand
    does not fall, it rises a little; psychiatric demand does not change; social demand does not fall
    measurably. Dementia clients, years 3-6, structural developers vs baseline: +6.1% [-4.0%, +16.2%]
    on the test's 4 paired seeds (per seed +11, +8, -3, +8%), +8.4% [+1.8%, +15.0%] on 12 paired seeds
    (+4.3 [0.9, 7.7] on 51.2; `python benchmarks/measure_scenarios.py --seeds 12`, whose first 4 seeds
    are the test's); with a two-year project +9.6% [-0.1%, +19.2%], without passing on needs +9.5%
    [-3.0%, +22.1%]. Before the intimate bond, the parents' feedback and the cooperatives were on (main
    91248ed) the same 4 seeds gave +28.7% [+21.3%, +36.0%] (per seed +24, +33, +25, +32%): developers
    introduce the residents they meet to the local professionals and a known face lowers demand
    shyness, so hidden dementia reaches care; with more residents vulnerable (parents with a social
    need, partners without an intimate bond) the same developers reach fewer of them (plausible, not
    measured). Psychiatric clients +0.5% [-4.6%, +5.7%], social -2.9% [-7.9%, +2.2%] (12 seeds).
    Asserted on the 4 seeds: dementia does not fall by more than 5% and does not rise by a quarter or
    more (the earlier +29% would fail), psychiatric hardly changes, social does not rise."""
    df = experiment("municipality")
    years = (3, 6)

    def relative(column):
        return effect(df, "structural", column, years) / mean(df, "baseline", column, years)

    assert -0.05 < relative("clients_dementia") < 0.25
    assert abs(relative("clients_psychiatric")) < 0.15
    assert relative("clients_social") < 0.10


def test_early_detection_adds_little_once_professionals_know_residents():
    """§9: early detection raises formal demand first. Before issue 16, developers who pass on the
    needs they notice detected more residents than the same developers who do not: +1.0 [0.5, 1.5]
    residents a week (years 0-2). Since residents' trust ties with professionals (GPs who know their
    patients notice more, known faces lower demand shyness, developers introduce residents to the
    local professionals whether or not they pass on needs) this measured -0.27 [-1.36, 0.83] a week
    (4 paired seeds): the developers' own detection no longer adds what GPs and asking residents
    already bring; on the default with the intimate bond, parents' feedback and cooperatives +0.08
    [-1.24, +1.41] a week on the test's 4 seeds (on main 91248ed -0.06 [-2.62, +2.49]), but on 12
    paired seeds +0.89 [+0.19, +1.59] a week: passing on needs adds a little, about as much as before
    issue 16 (benchmarks/measure_scenarios.py --seeds 12). What emerges, asserted: passing on needs
    changes detection by less than two residents a week. The rise in formal clients did not emerge robustly before either: summed over
    the levels (years 0-3) per seed -2.7, 0.0, +9.1, +14.1 clients."""
    df = experiment("municipality")
    assert abs(effect(df, "structural", "detected", (0, 2), against="no_detection")) < 2.0


def test_cutting_specialist_capacity_too_far_gives_waiting_lists_and_escalation():
    """§9: cutting specialist capacity too far gives waiting lists and escalation. Emerges: halving
    it raises the waiting list x1.93 (106 -> 205), escalations x1.78 (2.6 -> 4.6 a week) and crises
    x3.42 (0.27 -> 0.93 a week) (years 1-6, 4 paired seeds; paired effects +98.7 [74.1, 123.3], +2.00
    [1.46, 2.53], +0.66 [0.48, 0.85] a week; the smallest ratio on any seed x1.69, x1.58, x2.81; on
    main 91248ed, before the three mechanisms were on, x2.13, x1.87, x3.54; on 12 paired seeds x1.97,
    x1.85, x3.57, effects +98.8 [80.8, 116.8], +2.17 [1.94, 2.39], +0.71 [0.63, 0.78] a week, smallest
    ratio on any seed x1.29, x1.56, x2.21)."""
    df = experiment("municipality")
    years = (1, 6)
    assert mean(df, "specialist_cut", "waiting_list", years) > 1.1 * mean(df, "baseline", "waiting_list", years)
    assert mean(df, "specialist_cut", "escalations", years) > 1.1 * mean(df, "baseline", "escalations", years)
    assert mean(df, "specialist_cut", "crises", years) > 1.3 * mean(df, "baseline", "crises", years)


def test_hidden_needs_surface_late_and_heavy():
    """§9: hidden needs surface late and heavy. Emerges: crises per new client over the run (sums over
    the 4 seeds) are 0.209 in the affluent ward ("shame to ask") against 0.071 in the open wards
    (middle class 0.067, residential village 0.076): x2.92, per seed +0.137 [+0.082, +0.193] above
    them; the traditional village 0.101 (x1.42; per seed +0.035 [-0.009, +0.079], a direction, not
    distinguishable from chance at this design); on main 91248ed, before the three mechanisms were on,
    x2.46 and x1.14 (the x1.10 once documented for the affluent ward was a stale figure). On 12 paired
    seeds affluent 0.193 vs 0.064 (x3.02; per seed +0.128 [+0.102, +0.154]) and traditional village
    0.091 (x1.42; per seed +0.029 [+0.014, +0.043]): both distinguishable from chance. Before issue
    16 it was x1.95 (traditional x1.27). Residents who know a local professional ask earlier, the source's own remedy for the villa ward (GP and district
    nurse as eyes and ears). Asserted: the direction (both above the open wards)."""
    df = experiment("municipality")
    districts = list(DISTRICT_TYPES)
    crises = pd.Series({d: mean(df, "baseline", "crises", district=d, stat="sum") for d in districts})
    new_clients = pd.Series({d: mean(df, "baseline", "new_clients", district=d, stat="sum") for d in districts})
    crises_per_new_client = crises / new_clients
    # wards where needs are seen and asked for (the commuter village hides some too: "shame to ask")
    open_wards = crises_per_new_client[["middle_class", "residential_village"]].mean()
    assert crises_per_new_client["affluent"] > open_wards
    assert crises_per_new_client["traditional_village"] > open_wards
    assert np.isfinite(crises_per_new_client).all()
