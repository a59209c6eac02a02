"""Scenario tests of docs/spec/MODEL.md §9's directional statements, at small scale, averaged over seeds.

These are findings to test, not outcomes forced by the code: each compares paired runs (same seeds)
that differ only by the lever in question. Tolerances are set well inside the effect sizes measured
when the tests were written (docs/ODD.md, "What emerges"), so a failure means the direction or the
order of magnitude changed.
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


def not_emerging(measured: str):
    """A §9 statement that stopped emerging after the care-economy change (issue 9): kept as an
    expected failure with what was measured, until the statement is re-examined (MODEL.md §9:
    a disagreement is a finding to report, not a bug to tune away)."""
    return pytest.mark.xfail(reason=f"does not emerge on the current model: {measured}", strict=False)

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


@not_emerging("loneliness effect years 4-6 measured +0.6 pt after the informal-care/brokering-failure change (was -2.2)")
def test_network_building_lowers_loneliness_and_social_demand_with_a_lag_of_years():
    df = experiment("municipality")
    early = effect(df, "structural", "lonely_share", (0, 0.5))
    late = effect(df, "structural", "lonely_share", (4, 6))
    assert late < -0.01  # about 2 points: Voor Mekaar saw 3 points, docs/spec/MODEL.md §10
    assert late > -0.08  # a 20-point drop would not be credible (docs/spec/MODEL.md §10)
    assert abs(early) < abs(late) / 3  # it takes years
    social = effect(df, "structural", "clients_social", (4, 6)) / mean(df, "baseline", "clients_social", (4, 6))
    assert social < -0.10


@not_emerging("developers now link far fewer residents (refusal, mismatch, drop-out): vital-tie gain +1.4 pt during funding")
def test_effects_fade_after_temporary_funding_stops():
    df = experiment("municipality")
    linked_during = effect(df, "project", "vulnerable_with_vital_tie_share", (1.5, 2))
    linked_after = effect(df, "project", "vulnerable_with_vital_tie_share", (5, 6))
    assert linked_during > 0.05
    assert linked_after < linked_during / 2
    ties_during = mean(df, "project", "brokered_ties", (1.5, 2))
    ties_after = mean(df, "project", "brokered_ties", (5, 6))
    assert ties_after < ties_during / 2  # most brokered ties did not become self-sustaining
    # a 2-year project ends before the loneliness gain arrives; structural funding keeps it
    project = effect(df, "project", "lonely_share", (5, 6))
    structural = effect(df, "structural", "lonely_share", (5, 6))
    assert abs(project) < abs(structural) / 2


@not_emerging("lasting brokered ties 46 (high turnover) vs 37 (reference): reversed, small numbers")
def test_the_same_effort_builds_fewer_lasting_ties_where_turnover_is_high_or_groups_do_not_mix():
    df = experiment("same_type")
    lasting = {d: mean(df, "structural", "brokered_ties", (3, 5), district=d)
               for d in ("reference", "high_turnover", "no_mixing")}
    assert lasting["high_turnover"] < 0.95 * lasting["reference"]
    assert lasting["no_mixing"] < 0.95 * lasting["reference"]


@not_emerging("social demand falls only -6.2% with the larger social-need group")
def test_dementia_and_psychiatric_demand_hardly_fall():
    df = experiment("municipality")
    years = (3, 6)

    def relative(column):
        return effect(df, "structural", column, years) / mean(df, "baseline", column, years)

    social = relative("clients_social")
    assert social < -0.10
    assert relative("clients_dementia") > social / 2  # softened and slowed, not stopped
    assert relative("clients_psychiatric") > -0.05  # barely responds (detection even adds clients)


@not_emerging("+0.5 residents detected at this dose")
def test_early_detection_raises_formal_demand():
    """Developers who pass on the needs they notice bring more residents into formal care than the
    same developers who do not. The full sequence of docs/spec/MODEL.md §9 (a rise *before* a fall of total
    demand) did not emerge robustly at this scale: see docs/ODD.md, "What emerges"."""
    df = experiment("municipality")
    assert effect(df, "structural", "detected", (0, 2), against="no_detection") > 2
    clients = sum(effect(df, "structural", c, (0, 3), against="no_detection") for c in DEMAND_COLUMNS)
    assert clients > 0


@not_emerging("waiting list x1.65 (test asks x2) with the larger baseline waiting list")
def test_cutting_specialist_capacity_too_far_gives_waiting_lists_and_escalation():
    df = experiment("municipality")
    years = (1, 6)
    assert mean(df, "specialist_cut", "waiting_list", years) > 2 * mean(df, "baseline", "waiting_list", years)
    assert mean(df, "specialist_cut", "escalations", years) > 1.3 * mean(df, "baseline", "escalations", years)
    assert mean(df, "specialist_cut", "crises", years) > 1.3 * mean(df, "baseline", "crises", years)


@not_emerging("crises per new client: traditional village 0.32 vs 0.27 in the open wards (x1.16; test asks x1.5)")
def test_hidden_needs_surface_late_and_heavy():
    df = experiment("municipality")
    districts = list(DISTRICT_TYPES)
    crises = pd.Series({d: mean(df, "baseline", "crises", district=d, stat="sum") for d in districts})
    new_clients = pd.Series({d: mean(df, "baseline", "new_clients", district=d, stat="sum") for d in districts})
    crises_per_new_client = crises / new_clients
    # wards where needs are seen and asked for (the commuter village hides some too: "shame to ask")
    open_wards = crises_per_new_client[["middle_class", "residential_village"]].mean()
    assert crises_per_new_client["traditional_village"] > 1.5 * open_wards
    assert crises_per_new_client["affluent"] > open_wards
    assert np.isfinite(crises_per_new_client).all()
