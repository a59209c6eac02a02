"""The workshop app without a browser: sessions of paired ensembles, levers, statistics, formatting,
links and files, and the Solara page rendered in-process (``BUURTKRACHT_WORKERS=0``)."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import fields

os.environ["BUURTKRACHT_WORKERS"] = "0"  # before the page is imported: runs in this process

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import solara  # noqa: E402
from pandas.testing import assert_frame_equal  # noqa: E402

from abm.app import formatting as fmt  # noqa: E402
from abm.app import (
    metrics,  # noqa: E402
    state,  # noqa: E402
)
from abm.app import page as app  # noqa: E402
from abm.app.ensemble import WorkerPool  # noqa: E402
from abm.app.session import Session, SettingsError  # noqa: E402
from abm.app.settings import (  # noqa: E402
    BOUNDS,
    Levers,
    Settings,
    check,
    from_json,
    from_query,
    seeds,
    street_size,
    to_json,
    to_query,
)
from abm.app.text import COLUMNS_NL, PRESETS, TEXT  # noqa: E402
from abm.core.outputs import COLUMNS  # noqa: E402

SMALL = Settings(population=300, years=1, warmup_years=0.25, runs=2, scenarios=(Levers(), Levers()))
LOCAL = WorkerPool(0)
# one changed value per lever, strong enough to act within weeks
CHANGED = {"developers_fte": 2.0, "funding_years": 1.0, "gp_referral": True, "volunteer_support": 3.0,
           "specialist_capacity": 0.0, "front_line_budget": 0.0}


def session(*scenarios: Levers, **kw) -> Session:
    return Session(SMALL.with_(scenarios=scenarios, **kw), LOCAL)


def test_every_lever_is_covered_by_the_year_zero_test():
    assert set(CHANGED) == {f.name for f in fields(Levers)}


@pytest.mark.parametrize("lever", sorted(CHANGED))
def test_scenarios_are_identical_at_year_zero_whatever_the_lever(lever):
    changed = Levers(developers_fte=1.0).with_(**{lever: CHANGED[lever]}) if lever == "funding_years" \
        else Levers().with_(**{lever: CHANGED[lever]})
    s = session(Levers(), changed)
    a, b = s.ensemble.tables(0), s.ensemble.tables(1)
    for run_a, run_b in zip(a, b):
        assert list(run_a["year"]) == [0.0]
        assert_frame_equal(run_a, run_b)
    s.advance(26)
    after = [not ta.equals(tb) for ta, tb in zip(s.ensemble.tables(0), s.ensemble.tables(1))]
    assert any(after), f"{lever}={CHANGED[lever]} changed nothing in half a year"


def test_equal_levers_give_equal_runs_and_paired_seeds_differ_between_runs():
    s = session(Levers(), Levers())
    s.advance(13)
    for ta, tb in zip(s.ensemble.tables(0), s.ensemble.tables(1)):
        assert_frame_equal(ta, tb)
    first, second = s.ensemble.tables(0)
    assert not first["lonely_share"].equals(second["lonely_share"])  # different chance per run
    assert len(set(seeds(SMALL))) == SMALL.runs


def test_funding_stopped_during_play_equals_a_project_that_ends_then():
    """'Funding stops now' at week 26 gives exactly the runs of a project that ends at year 0.5."""
    live = session(Levers(), Levers(developers_fte=1.0))
    live.advance(26)
    live.set_levers(1, Levers(developers_fte=1.0, funding_years=0.5))
    live.advance(13)
    planned = session(Levers(), Levers(developers_fte=1.0, funding_years=0.5))
    planned.advance(39)
    for ta, tb in zip(live.ensemble.tables(1), planned.ensemble.tables(1)):
        assert_frame_equal(ta, tb)
        assert ta["network_developer_hours"].iloc[-1] == 0 and ta["network_developer_hours"].iloc[20] > 0
    assert [(c.year, c.scenario) for c in live.changes][-1] == (0.5, 1)


def test_capacity_cut_from_now_leaves_the_past_alone():
    s = session(Levers(), Levers())
    s.advance(13)
    before = [t.copy() for t in s.ensemble.tables(1)]
    s.set_levers(1, Levers(specialist_capacity=0.0))
    s.advance(26)
    for old, new, ref in zip(before, s.ensemble.tables(1), s.ensemble.tables(0)):
        assert_frame_equal(new.iloc[:len(old)], old)
        assert (new["served_intensive"].iloc[-1] <= ref["served_intensive"].iloc[-1])
    assert not all(n.equals(r) for n, r in zip(s.ensemble.tables(1), s.ensemble.tables(0)))


def test_a_lever_outside_its_range_is_refused_and_nothing_changes():
    s = session(Levers(), Levers())
    with pytest.raises(SettingsError) as info:
        s.set_levers(1, Levers(developers_fte=99))
    assert info.value.problems[0].field == "developers_fte"
    assert s.settings.scenarios[1] == Levers() and len(s.changes) == 2


def test_a_district_smaller_than_one_street_is_refused_with_the_street_size():
    low = street_size("deprived_urban")
    with pytest.raises(SettingsError) as info:
        Session(SMALL.with_(population=low - 10), LOCAL)
    problem = info.value.problems[0]
    assert (problem.field, problem.value, problem.low) == ("population", low - 10, low)
    assert "minstens één straat van" in app.problem_text(problem, "nl", SMALL)
    assert "at least one street of" in app.problem_text(problem, "en", SMALL)


def test_session_stops_at_the_horizon():
    s = session(Levers(), years=1)
    s.advance(100)
    assert s.finished and s.year == pytest.approx(1.0)


def test_network_frames_show_new_and_lost_ties_between_steps():
    s = session(Levers(), Levers(developers_fte=1.0))
    first = s.frame
    s.advance(4)
    second = s.frame
    assert second.new and second.lost
    assert set(second.new) == set(second.ties) - set(first.ties)
    assert set(second.lost) == set(first.ties) - set(second.ties)
    s.show(0)  # another scenario: no comparison with the other run's frame
    assert s.frame.new == [] and s.ensemble.display == (0, 0)


def test_worker_processes_give_the_same_numbers_as_in_process():
    pool = WorkerPool(2)
    try:
        remote = Session(SMALL.with_(scenarios=(Levers(), Levers(developers_fte=1.0))), pool)
        remote.advance(8)
        local = session(Levers(), Levers(developers_fte=1.0))
        local.advance(8)
        for k in (0, 1):
            for ta, tb in zip(remote.ensemble.tables(k), local.ensemble.tables(k)):
                assert_frame_equal(ta, tb)
    finally:
        pool.close()


# ---------------------------------------------------------------- statistics


def test_interval_is_the_t_interval_of_the_mean():
    mean, low, high = metrics.interval(np.array([1.0, 2.0, 3.0, 4.0]))
    assert mean == 2.5 and high - mean == pytest.approx(3.182446 * np.std([1, 2, 3, 4], ddof=1) / 2, rel=1e-5)


def test_cards_say_chance_when_the_paired_interval_covers_zero():
    year = np.arange(20) / 52.0
    base = {"year": year, "lonely_share": np.full((4, 20), 0.40)}
    shifted = {"year": year, "lonely_share": base["lonely_share"] - np.array([[0.02], [0.03], [0.02], [0.025]])}
    noisy = {"year": year, "lonely_share": base["lonely_share"] + np.array([[0.02], [-0.03], [0.01], [-0.01]])}
    card = next(c for c in metrics.cards([base, shifted, noisy]) if c.metric.column == "lonely_share")
    assert card.diffs[1][0] == pytest.approx(-0.02375) and not card.chance(1)
    assert card.chance(2)


def test_cards_and_charts_follow_the_columns_the_model_reports():
    s = session(Levers(), Levers())
    runs = s.runs()
    shown = {c.metric.column for c in metrics.cards(runs)}
    assert {"lonely_share", "clients", "cumulative_cost"} <= shown
    extra = {m.column for m in metrics.CARDS} - set(runs[0])
    assert not shown & extra  # care-economy columns wait until the model reports them
    with_carers = [dict(r, heavy_carers=np.ones_like(r["population"])) for r in runs]
    assert "heavy_carers" in {c.metric.column for c in metrics.cards(with_carers)}
    assert all(col in runs[0] for chart in metrics.present(metrics.CHARTS, runs[0]) for col, _ in chart.panels)


def test_cumulative_cost_adds_up_weekly_cost_from_the_first_week_with_levers():
    s = session(Levers(), Levers(developers_fte=1.0))
    s.advance(10)
    runs = s.runs()[1]
    weekly = runs["societal_cost"]  # all payers, incl. the levers
    assert runs["cumulative_cost"][:, 0].tolist() == [0.0] * SMALL.runs
    assert np.allclose(runs["cumulative_cost"][:, -1], weekly[:, 1:].sum(axis=1))


# ---------------------------------------------------------------- language, exports, links, files


def test_dutch_and_english_number_formats():
    assert fmt.euro(1155.4, "nl") == "€\u00a01.155" and fmt.euro(1155.4, "en") == "€1,155"
    assert fmt.percent(0.4463, "nl") == "44,6%" and fmt.percent(0.4463, "en") == "44.6%"
    assert fmt.year(3.24, "nl") == "jaar 3,2" and fmt.year(3.24, "en") == "year 3.2"
    assert fmt.difference(-0.021, "share", "nl") == "−2,1 procentpunt"


def test_csv_uses_the_dutch_excel_dialect_in_dutch_and_the_english_one_in_english():
    s = session(Levers(), Levers(gp_referral=True))
    s.advance(3)
    table = s.export()
    dutch = fmt.csv_bytes(table, "nl", COLUMNS_NL).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(dutch), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["scenario", "run", "toevalsgetal"] and "aandeel eenzaam" in header
    share = rows[1][header.index("aandeel eenzaam")]
    assert "," in share and "." not in share
    assert len(rows) == 1 + 2 * SMALL.runs * 4
    english = list(csv.DictReader(io.StringIO(fmt.csv_bytes(table, "en").decode("utf-8"))))
    assert float(english[0]["lonely_share"]) == pytest.approx(float(share.replace(",", ".")))
    assert {r["scenario"] for r in english} == {"A", "B"} and {c.name for c in COLUMNS} - {"step"} <= set(english[0])


def test_links_and_session_files_restore_the_settings():
    settings = SMALL.with_(district_type="storp", seed=7, scenarios=(
        Levers(), Levers(developers_fte=1.5, funding_years=2.0), Levers(gp_referral=True, specialist_capacity=0.5)))
    assert from_query(to_query(settings, "en")) == (settings, "en")
    assert from_json(to_json(settings, "nl")) == (settings, "nl")
    with pytest.raises(KeyError):
        from_query("n=2&b.unknown=3")


def test_every_label_has_both_languages_and_presets_can_be_built():
    assert all(nl and en for nl, en in TEXT.values())
    for p in PRESETS:
        assert len(p["text"][0]) > 100 and len(p["text"][1]) > 100
        assert not check(p["settings"])
    assert all(lo < hi for lo, hi, _ in BOUNDS.values())


# ---------------------------------------------------------------- the page, rendered in-process


@pytest.fixture
def rendered():
    state.lang.value = "nl"
    state.session.value = None
    state.error.value = ""
    state.playing.value = False
    state.presenting.value = False
    state.started.value = False
    state.settings.value = SMALL.with_(scenarios=(Levers(), Levers(developers_fte=1.0)))
    box, rc = solara.render(app.Page(), handle_error=False)
    yield rc
    state.playing.value = False


def test_step_advances_every_view(rendered):
    import ipyvuetify as v

    assert state.session.value.year == 0
    rendered.find(v.Btn, children=["Stap"]).widget.click()
    assert state.session.value.year == pytest.approx(state.speed.value / 52)


def test_rejected_population_snaps_back_with_a_dutch_message(rendered):
    before, snap = state.session.value, state.snap.value
    app.change(population=50)
    assert state.session.value is before and state.settings.value.population == SMALL.population
    assert "Aantal inwoners = 50 kan niet" in state.error.value and state.snap.value == snap + 1
    state.lang.value = "en"
    app.change(population=50)
    assert "Residents = 50 is not possible" in state.error.value


def test_a_lever_change_keeps_the_runs_going(rendered):
    s = state.session.value
    s.advance(5)
    app.change_lever(1, developers_fte=0.0)
    assert state.session.value is s and s.year > 0
    assert s.changes[-1].scenario == 1 and s.settings.scenarios[1].developers_fte == 0.0


def test_presentation_mode_hides_the_controls(rendered):
    import ipyvuetify as v

    rendered.find(v.Btn, children=["Presentatie"]).widget.click()
    assert state.presenting.value
    assert not rendered.find(v.Slider)  # no controls on the projector


def test_cost_per_avoided_counts_need_not_service():
    """A capacity cut serves fewer clients while more need care: it avoids no need, so no 'saving'
    per avoided client is shown; a scenario with less need shows its extra cost per need-year avoided."""
    from abm.app.metrics import cost_per_avoided_need_year

    weeks, runs = 53, 4
    year = np.arange(weeks) / 52.0
    flat = np.ones((runs, weeks))

    def scenario(served, need, cost):
        return {"year": year, "clients": served * flat, "demand_total": need * flat, "cumulative_cost": cost * flat}

    base = scenario(served=100, need=120, cost=1e6)
    cut = scenario(served=60, need=140, cost=0.9e6)
    assert cost_per_avoided_need_year(base, cut) is None
    wiggle = np.linspace(-1, 1, runs)[:, None]  # paired runs differ a little: a finite interval
    fewer = scenario(served=100, need=110, cost=1.2e6) | {"demand_total": 110 * flat + wiggle}
    per_year, beyond_chance = cost_per_avoided_need_year(base, fewer)
    assert per_year == pytest.approx(0.2e6 / (10 * 52 / 52.0), rel=0.02) and beyond_chance


def test_chart_bands_stop_at_zero():
    """Counts and shares cannot be negative: a t-interval of few runs is cut at zero in the chart."""
    from abm.app.charts import figure
    from abm.app.metrics import CHARTS

    chart = CHARTS[0]
    column = chart.panels[0][0]
    band = {"year": np.arange(3.0), "mean": np.array([1.0, 2, 3]), "low": np.array([-1.0, 0.5, np.nan]),
            "high": np.array([3.0, 4, 5])}
    fig = figure(chart, {column: [band]}, ["A"], "nl", years=2)
    lows = [t for t in fig["data"] if t.get("fill") == "tonexty"]
    assert list(lows[0]["y"]) == [0.0, 0.5, None]
