"""Calibration: targets validate, statistics map runs to them, ABC-SMC recovers known parameters of
a synthetic target (a model run with known settings), and a killed calibration resumes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import yaml

from abm.config import ConfigError, configs_dir, load_config
from abm.experiments.calibration import (
    load_calibration,
    point_estimate,
    posterior,
    weighted_quantile,
)
from abm.experiments.targets import (
    STATISTICS,
    Target,
    load_targets,
    measure,
    partnered_adults,
    score,
    severe_partnered_ratio,
    trait_variance_share,
)
from tests.conftest import small_config

DEFAULT = str(configs_dir() / "default.yaml")
TINY = ["districts=[{name: A, type: deprived_urban, population: 150}, {name: B, type: middle_class, population: 150}]",
        "years=0.5", "warmup_years=0.2"]
LARGER = ["districts=[{name: A, type: deprived_urban, population: 600}]", "years=0.5", "warmup_years=0.2"]


def test_shipped_targets_are_sourced_and_split():
    targets = load_targets()
    roles = {t.role for t in targets.targets.values()}
    assert {"fitted", "held_out"} <= roles
    for name, t in targets.targets.items():
        assert t.source and t.scale_source, name
        assert t.statistic in STATISTICS


def test_bad_target_names_field_and_allowed_values(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"targets": {"x": {"statistic": "happiness", "value": 1, "scale": 1,
                                                      "scale_source": "s", "role": "fitted", "source": "s"}}}))
    with pytest.raises(ConfigError) as err:
        load_targets(path)
    assert "targets.x" in str(err.value) and "happiness" in str(err.value) and "not known" in str(err.value)


def test_score_is_standardised_and_intervals_count_only_outside():
    point = Target(statistic="lonely_share", value=0.5, scale=0.02, scale_source="s", role="fitted", source="s")
    assert score(point, 0.54) == pytest.approx(2.0) and score(point, 0.48) == pytest.approx(-1.0)
    band = point.model_copy(update={"interval": (0.4, 0.6), "scale": 0.1})
    assert score(band, 0.45) == 0.0 and score(band, 0.7) == pytest.approx(1.0) and score(band, 0.3) == pytest.approx(-1.0)
    assert score(band, (0.35, 0.65)) == pytest.approx(1.0)  # both ends half a scale outside


def test_measure_matches_the_output_table_and_the_model_state():
    cfg = small_config(years=1, warmup_years=0.5)
    values, missing = measure(cfg, window_years=0.5)
    from abm.core.model import MunicipalityModel

    table = MunicipalityModel(cfg).run()
    window = table[(table.district == "all") & (table.year > table.year.max() - 0.5)]
    assert values["lonely_share"] == pytest.approx(window.lonely_share.mean())
    assert values["volunteer_share"] == pytest.approx(values["volunteers"] / values["residents_15plus"])
    assert 0 <= values["lonely_share_75plus"] <= 1
    for name in ("carers", "carer_share") if "carers" not in table else ():
        assert name in missing and "carers" in missing[name]


def test_trait_share_and_partner_contrast_follow_the_state_they_measure():
    """The trait's share of the score's variance is 1 when the score is the trait and near 0 when it is
    unrelated; the partner contrast is the partnered adults' severe share over all adults'."""
    from abm.core.model import MunicipalityModel

    m = MunicipalityModel(small_config())
    pop, lp = m.pop, m.config.loneliness
    pop.loneliness = np.minimum(pop.trait, lp.max_score)
    assert trait_variance_share(m) == pytest.approx(1.0)
    pop.loneliness = np.random.default_rng(1).uniform(0, lp.max_score, pop.n)
    assert trait_variance_share(m) < 0.01
    adult, partnered = pop.age >= m.config.demography.adult_age, partnered_adults(m)
    assert 0 < partnered.sum() < adult.sum()
    pop.loneliness = np.where(partnered, lp.severe_threshold, 0.0)
    assert severe_partnered_ratio(m) == pytest.approx(adult.sum() / partnered.sum())


def test_contagion_gradient_counts_each_egos_contacts_at_each_distance():
    """On the path 0-1-2-3 with only 0 lonely (base 1/4): a lonely ego's contacts at distance 1, 2, 3 are
    1, 2, 3 (none lonely); from every adult the contacts at distance 1 are 1; 0, 2; 1, 3; 2 (one of six lonely)."""
    from abm.experiments.measures import contagion_gradient

    u, v = np.array([0, 1, 2]), np.array([1, 2, 3])
    lonely, adult = np.array([True, False, False, False]), np.ones(4, dtype=bool)
    assert contagion_gradient(u, v, lonely, adult).tolist() == [0.0, 0.0, 0.0]
    anyone = contagion_gradient(u, v, lonely, adult, egos=adult)
    assert anyone[0] == pytest.approx((1 / 6) / 0.25) and anyone[2] == pytest.approx((1 / 2) / 0.25)


def synthetic_spec(tmp_path, truth: float, observed: float, **abc) -> str:
    """A spec fitting loneliness.trait_log_mean to a target taken from a run at ``truth``."""
    targets = {"targets": {"synthetic": {"statistic": "lonely_share", "value": observed, "scale": 0.03,
                                         "scale_source": "seed noise of the tiny model", "role": "fitted",
                                         "source": f"model run with loneliness.trait_log_mean={truth}"}}}
    (tmp_path / "targets.yaml").write_text(yaml.safe_dump(targets))
    spec = {"name": "synthetic", "base": DEFAULT, "set": TINY, "targets_file": "targets.yaml", "window_years": 0.3,
            "parameters": {"loneliness.trait_log_mean": {"range": [-0.5, 2.0]}},
            "abc": {"population_size": 12, "generations": 3, **abc},
            "check": {"replications": 2, "posterior_draws": 2, "set": LARGER}, "seed": 5}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return str(path)


def generations(db) -> list[int]:
    with sqlite3.connect(db) as con:
        return [t for (t,) in con.execute("select t from populations where t >= 0 order by t")]


@pytest.mark.slow
def test_a_killed_calibration_resumes_and_recovers_a_known_parameter_within_its_posterior(tmp_path):
    """One ABC-SMC run (the suite's costliest) serves two checks. The CLI is killed after its first
    generation, refuses to start again over the history without --resume, and resumes to the end keeping
    the finished generations. The finished posterior then covers the value the synthetic target was made
    with, is informative, and the report compares the calibrated point with the default. One sampler
    process: parallel samplers draw particles in a racing order, and the recovery must not be a draw."""
    truth = 1.2
    probe = load_calibration(synthetic_spec(tmp_path, truth, 0.5))
    # the observation: the mean of three seeds at the truth, so one seed's noise does not decide the test
    observed = np.mean([probe.simulate({"loneliness.trait_log_mean": truth}, seed=s)["synthetic"] for s in (97, 98, 99)])
    spec = synthetic_spec(tmp_path, truth, float(observed))
    cal = load_calibration(spec)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "abm.cli", "calibrate", spec, "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 400
    try:
        while time.time() < deadline and proc.poll() is None:
            if (out / "abc.db").exists() and generations(out / "abc.db"):
                break
            time.sleep(1)
        assert proc.poll() is None, "finished before it could be killed: raise the budget"
        first = pd.read_sql("select * from particles", sqlite3.connect(out / "abc.db"))
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the process and any it started
        proc.wait()
    assert not (out / "report.md").exists()
    done = generations(out / "abc.db")
    assert 1 <= len(done) < cal.spec.abc.generations
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 2 and "--resume" in again.stderr  # no silent restart over a history
    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert generations(out / "abc.db") == list(range(cal.spec.abc.generations))
    kept = pd.read_sql("select * from particles", sqlite3.connect(out / "abc.db"))
    assert len(kept) > len(first) and set(first.id) <= set(kept.id)  # finished generations were kept
    assert (out / "report.md").exists() and json.loads((out / "spec.json").read_text())["name"] == "synthetic"
    # the resumed run's posterior recovers the truth
    import pyabc

    frame, weights = posterior(pyabc.History(f"sqlite:///{out / 'abc.db'}"))
    lo, hi = weighted_quantile(frame["loneliness.trait_log_mean"].to_numpy(), weights, [0.005, 0.995])
    print(f"posterior 99% interval [{lo:.3f}, {hi:.3f}], truth {truth}")
    assert lo <= truth <= hi
    assert hi - lo < 0.6 * (2.0 - -0.5)  # the posterior is informative, not the prior again
    assert abs(point_estimate(frame, weights)["loneliness.trait_log_mean"] - truth) < 0.5
    report = (out / "report.md").read_text()
    fit_table = pd.read_csv(out / "fit.csv")
    assert fit_table.set_index("target").loc["synthetic", "role"] == "fitted"
    overlay = yaml.safe_load((out / "calibrated.yaml").read_text())
    assert lo <= overlay["loneliness"]["trait_log_mean"] <= hi
    assert "Goodness of fit" in report
    # the current default ran on the same seeds beside the point, and the two are compared by distance
    default = cal.base_values()["loneliness.trait_log_mean"]
    assert default == load_config(DEFAULT).loneliness.trait_log_mean
    row = fit_table.set_index("target").loc["synthetic"]
    assert np.isfinite(row["default_mean"]) and np.isfinite(row["point_mean"])
    dist = pd.read_csv(out / "distances.csv").set_index("targets")
    assert dist.loc["fitted", "point"] == pytest.approx(abs(row["point_z"]))
    assert dist.loc["fitted", "default"] == pytest.approx(abs(row["default_z"]))
    assert "Verdict" in report


def test_bad_spec_is_one_line_naming_the_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"name": "b", "parameters": {"loneliness.trait_log_mean": {"range": [2, 1]}}}))
    r = subprocess.run([sys.executable, "-m", "abm.cli", "calibrate", str(path), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "parameters.loneliness.trait_log_mean" in r.stderr and "range low" in r.stderr
    assert not (tmp_path / "o").exists()
    (tmp_path / "targets.yaml").write_text(yaml.safe_dump({"targets": {"later": {
        "statistic": "carer_share", "value": 0.129, "scale": 0.03, "scale_source": "s", "role": "pending", "source": "s"}}}))
    path.write_text(yaml.safe_dump({"name": "b", "base": DEFAULT, "fit": ["later"], "targets_file": "targets.yaml",
                                    "parameters": {"loneliness.trait_log_mean": {"range": [0, 1]}}}))
    r = subprocess.run([sys.executable, "-m", "abm.cli", "calibrate", str(path)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "pending" in r.stderr


def test_a_bad_parameter_key_fails_before_any_run(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"name": "b", "base": DEFAULT, "set": TINY,
                                    "parameters": {"loneliness.no_such_thing": {"range": [0, 1]}}}))
    with pytest.raises(ConfigError, match="no_such_thing"):
        load_calibration(path)


def test_seed_depends_on_parameters_and_replication_only(tmp_path):
    cal = load_calibration(synthetic_spec(tmp_path, 1.0, 0.45))
    p = {"loneliness.trait_log_mean": 0.7}
    assert cal.seed_for(p) == cal.seed_for(dict(p))
    assert cal.seed_for(p) != cal.seed_for({"loneliness.trait_log_mean": 0.7000001})
    assert cal.seed_for(p, 0) != cal.seed_for(p, 1)
    assert np.isfinite(cal.distance(cal.observed()))
    assert cal.distance(cal.observed()) == 0.0
