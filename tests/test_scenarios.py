"""Scenario tests of docs/spec/MODEL.md §9's directional statements, at small scale, averaged over seeds.

These are findings to test, not outcomes forced by the code: each compares paired runs (same seeds)
that differ only by the lever in question. Each test asserts what emerges on the current model
(re-examined for issue 9 on the default with the need kinds chronic illness and recovery and the
calibrated loneliness, main 7725354), with margins around the figures measured then on 12 paired seeds
(in each docstring and in docs/ODD.md, "What emerges": ``python benchmarks/measure_scenarios.py --seeds 12
--test-seeds 4``, whose first 4 seeds are the tests' own and which runs every test on all 495 four-seed
subsets of the 12; "previous" is the same measurement on the default of c945ced). On issue 9's seventh-pass
default (Linked Lives care hours with refitted strain thresholds, loneliness contagion over close ties; main
66a9797) the same 12-seed measurement was repeated: every test still passes on its own seeds and on at least
99% of the four-seed subsets with its assertion unchanged, and each docstring gives those figures as "seventh
pass" (12 seeds, then the tests' 4):
where a statement of docs/spec/MODEL.md §9 does not emerge, the test asserts that it does not (an
effect near zero), so a failure means the direction or the order of magnitude changed. The dose
here, 7 FTE for 4,900 residents (14 FTE per 10,000), is about ten times the reference scenario's.
Intervals are 95% t-intervals over the seeds.
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
    a credible size. Structural developers vs baseline on 12 paired seeds: the lonely share +0.67 pt
    [+0.02, +1.32] in years 4-6 (a small rise at the edge of chance, not a fall; the tests' 4 seeds +0.97
    [-0.56, +2.51]), +0.09 pt [-0.05, +0.23] in the first half year (4 seeds +0.17 [+0.02, +0.33]); social
    clients -0.8% [-5.7%, +4.0%] (4 seeds -0.4% [-16.0%, +15.1%]). Previous default: +0.05 pt [-0.30,
    +0.40], +0.08 pt, -2.8% [-8.5%, +2.9%]. Asserted: no effect of a credible size either way (Voor Mekaar
    saw 3 points, docs/spec/MODEL.md §10), and none before the developers start (passes on 100%
    of the four-seed subsets). Seventh pass: -0.18 pt [-0.77, +0.41] in years 4-6 (4 seeds -0.35 [-2.01, +1.31]): the
    small rise has gone since the contagion runs over close ties only; -0.06 pt [-0.26, +0.14] early; social
    clients -2.6% [-7.4%, +2.2%]."""
    df = experiment("municipality")
    early = effect(df, "structural", "lonely_share", (0, 0.5))
    late = effect(df, "structural", "lonely_share", (4, 6))
    assert abs(early) < 0.01
    assert abs(late) < 0.03
    social = effect(df, "structural", "clients_social", (4, 6)) / mean(df, "baseline", "clients_social", (4, 6))
    assert abs(social) < 0.20


def test_brokered_ties_fade_after_temporary_funding_stops():
    """§9: effects fade after temporary funding stops. Emerges for the ties. On 12 paired seeds a 2-year
    project's brokered ties fall from 84.4 [76.5, 92.3] at years 1.5-2 to 14.0 [11.8, 16.2] at years 5-6,
    while structural funding keeps building them (188.4 [178.1, 198.8]; x2.27 [2.04, 2.50] the project's
    peak, per seed 1.89 to 2.96); the tests' 4 seeds 85.3 -> 13.9, structural 189.7, x2.24 [1.96, 2.53].
    Previous default: 83.8 -> 11.9, structural 180.4, x2.21 [1.93, 2.49]. The vital-tie gain during funding
    is +0.6 pt [-0.5, +1.6] and no loneliness fall emerges (previous test; project +0.23 pt [-0.46, +0.92],
    structural +0.73 pt [+0.10, +1.37] at years 5-6), so no loneliness fade can be seen. Asserted for the
    ties: most of the project's ties are gone, and structural funding holds at least half again the
    project's peak; asserted for loneliness: neither variant moves it by a credible amount (passes on
    100% of the four-seed subsets). Seventh pass: 90.6 [82.9, 98.3] -> 15.5 [12.0, 19.1], structural 201.5
    [190.7, 212.4], x2.26 [2.03, 2.49] (per seed 1.76 to 3.02; 4 seeds x2.03); vital-tie gain +1.1 pt [+0.5,
    +1.7]; lonely share at years 5-6 project -0.20 pt [-0.65, +0.24], structural -0.17 pt [-0.87, +0.52]."""
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
    """§9: the same effort builds fewer lasting ties where turnover is high or groups do not mix. A
    direction, not distinguishable from chance. Lasting brokered ties (years 3-5, 3 FTE per 1,000
    residents) on 12 paired seeds: 18.1 [15.8, 20.4] in the reference district, 16.7 [14.0, 19.4] with high
    turnover (x0.92; paired -1.4 [-4.6, +1.9]), 14.3 [11.0, 17.5] with little mixing (x0.79; paired -3.8
    [-7.7, +0.1], at the edge of chance); the tests' 4 seeds 18.2, 16.2, 15.0. Previous default: 18.0, 15.6
    (x0.87; paired -2.4 [-4.3, -0.4], distinguishable for turnover), 15.7 (x0.87; -2.3 [-6.0, +1.4]). Since
    developers reach residents through trust ties (issue 16) the same effort builds about a third of the
    lasting ties it did before (41.8, 37.4, 33.2). Asserted (4 seeds cannot show a 10-20% difference): the
    same order of magnitude, no hard district more than half again above the reference (passes on
    100% of the four-seed subsets). Seventh pass: 20.6 [17.7, 23.5] reference, 19.7 [18.2, 21.3] high
    turnover (x0.96; paired -0.8 [-3.6, +1.9]), 18.3 [14.6, 22.0] little mixing (x0.89; paired -2.3 [-6.4,
    +1.9]): both contrasts smaller, neither distinguishable; 4 seeds 21.1, 21.1, 13.4."""
    df = experiment("same_type")
    lasting = {d: mean(df, "structural", "brokered_ties", (3, 5), district=d)
               for d in ("reference", "high_turnover", "no_mixing")}
    for d in ("high_turnover", "no_mixing"):
        assert 0.4 * lasting["reference"] < lasting[d] < 1.5 * lasting["reference"]


def test_dementia_and_psychiatric_demand_hardly_change():
    """§9: dementia and psychiatric demand hardly fall (social demand falls). Emerges for dementia and
    psychiatric demand, which do not change; social demand does not fall measurably either. Clients in
    years 3-6, structural developers vs baseline, on 12 paired seeds: dementia +1.0% [-6.1%, +8.0%] (+0.5
    [-3.4, +4.4] on 55.3; per seed -22% to +15%), psychiatric -1.4% [-6.9%, +4.2%], social -1.2% [-4.5%,
    +2.2%]; with a two-year project dementia -0.5% [-9.8%, +8.8%], without passing on needs -1.6% [-8.6%,
    +5.5%]; the tests' 4 seeds: dementia +2.5% [-17.2%, +22.2%] (per seed +11, -9, -7, +15%), psychiatric
    -4.5%, social +0.5%. The previous default's small rise, dementia +8.4% [+1.8%, +15.0%], has gone (and
    the +29% before the intimate bond, the parents' feedback and the cooperatives: developers introduce
    residents to local professionals, a known face lowers demand shyness and hidden dementia reaches care;
    with more residents vulnerable the same developers reach fewer of them). Asserted on the 4 seeds: dementia and psychiatric demand
    change by less than 15% either way (the earlier +29% would fail; the previous band, -5% to +25%, passed on
    only 90.5% of the four-seed subsets now and was set around a rise that has gone; this one on 100%), social
    demand does not rise by 10% or more. Seventh pass: dementia +5.8% [-3.2%, +14.9%] (per seed -22% to +28%;
    4 seeds +11.7% [-13.8%, +37.3%]), psychiatric -2.2% [-7.7%, +3.2%], social -2.1% [-6.9%, +2.6%]; with a
    two-year project dementia +4.6% [-5.3%, +14.5%], without passing on needs +0.1% [-9.2%, +9.3%]. The
    dementia bound of main 7725354, less than 15% either way, passes on only 93.1% of the four-seed subsets
    now (subsets of the seeds at +14% to +28% reach +21%): asserted since the seventh pass, dementia demand
    does not fall by 15% or more and does not rise by 25% or more (the old +29% would fail; 100% of the
    subsets), psychiatric demand changes by less than 15% either way (100%)."""
    df = experiment("municipality")
    years = (3, 6)

    def relative(column):
        return effect(df, "structural", column, years) / mean(df, "baseline", column, years)

    assert -0.15 < relative("clients_dementia") < 0.25  # does not fall; no large rise like the old +29%
    assert abs(relative("clients_psychiatric")) < 0.15
    assert relative("clients_social") < 0.10


def test_early_detection_adds_little_once_professionals_know_residents():
    """§9: early detection raises formal demand first. Before issue 16, developers who pass on the
    needs they notice detected more residents than the same developers who do not: +1.0 [0.5, 1.5]
    residents a week (years 0-2). Since residents' trust ties with professionals (GPs who know their
    patients notice more, known faces lower demand shyness, developers introduce residents to the local
    professionals whether or not they pass on needs), the developers' own detection adds little: on 12
    paired seeds +1.16 [-0.07, +2.39] residents a week (the tests' 4 seeds +1.49 [-2.66, +5.65]); on the
    previous default +0.89 [+0.19, +1.59]. What emerges, asserted: passing on needs changes detection by less
    than three residents a week either way (the 12-seed interval reaches +2.39, so the earlier bound of two,
    which passed on only 84.4% of the four-seed subsets, is no longer supported; this one passes on 99.2%;
    seventh pass: +0.80 [+0.27, +1.34], distinguishable from chance again, as on c945ced; 4 seeds +1.11
    [+0.13, +2.10]). The rise in formal clients did not emerge
    robustly before either (the lessons' design: formal demand -0.6% [-1.8%, +0.5%] in years 0-2,
    docs/teaching.md)."""
    df = experiment("municipality")
    assert abs(effect(df, "structural", "detected", (0, 2), against="no_detection")) < 3.0


def test_cutting_specialist_capacity_too_far_gives_waiting_lists_and_escalation():
    """§9: cutting specialist capacity too far gives waiting lists and escalation. Emerges: halving
    it raises, in years 1-6 on 12 paired seeds, the waiting list x2.41 (88.9 -> 214.3; +125.4 [106.5,
    144.3]), escalations x1.80 (2.4 -> 4.3 a week; +1.91 [1.70, 2.12]) and crises x3.13 (+0.59 [0.55,
    0.62] a week); the smallest ratio on any seed x1.53, x1.51, x2.28; the tests' 4 seeds x2.49, x1.91,
    x3.61. Previous default: x1.97, x1.85, x3.57. Asserted: each rises, crises by more than 30% (passes on
    100% of the four-seed subsets). Seventh pass: x2.55 (83.7 -> 213.8; +130.1 [116.3, 143.8]), x1.76
    (+1.87 [1.70, 2.03]), x3.14 (+0.58 [0.51, 0.64]); smallest ratio on a seed x1.89, x1.50, x2.22; 4 seeds
    x2.61, x1.79, x3.29."""
    df = experiment("municipality")
    years = (1, 6)
    assert mean(df, "specialist_cut", "waiting_list", years) > 1.1 * mean(df, "baseline", "waiting_list", years)
    assert mean(df, "specialist_cut", "escalations", years) > 1.1 * mean(df, "baseline", "escalations", years)
    assert mean(df, "specialist_cut", "crises", years) > 1.3 * mean(df, "baseline", "crises", years)


def test_hidden_needs_surface_late_and_heavy():
    """§9: hidden needs surface late and heavy. Emerges: crises per new client over the run, on 12
    paired seeds, are 0.124 in the affluent ward ("shame to ask") against 0.047 in the open wards (middle
    class 0.042, residential village 0.052): x2.64, per seed +0.075 [+0.059, +0.091] above them; the
    traditional village 0.074 (x1.58; per seed +0.025 [+0.015, +0.035]); the tests' 4 seeds x3.12 and
    x1.81. Previous default: x3.02 and x1.42; before issue 16 x1.95 and x1.27. Residents who know a local
    professional ask earlier, the source's own remedy for the villa ward (GP and district nurse as eyes and
    ears). Asserted: the direction, both above the open wards (passes on 100% of the four-seed
    subsets). Seventh pass: affluent 0.128, traditional village 0.066 against open wards 0.048 (middle
    class 0.044, residential village 0.052): x2.68 (per seed +0.079 [+0.066, +0.092]) and x1.37 (per seed
    +0.016 [+0.007, +0.024]); 4 seeds x2.47 and x1.24 (x1.81 on the same seeds before)."""
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
