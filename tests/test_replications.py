"""Replications: paired seeds from SeedSequence, identical whatever the number of workers, each
replication the very run of its seed; the CLI shows means with intervals."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from abm.core.columns import COLUMNS
from abm.core.model import MunicipalityModel
from abm.experiments.replications import bands, replicate
from abm.experiments.spec import run_seed
from tests.conftest import small_config

NAMES = [c.name for c in COLUMNS]
DISTRICTS = [{"name": "Oost", "type": "deprived_urban", "population": 200},
             {"name": "Dorp", "type": "traditional_village", "population": 150}]


def cfg(**kw):
    return small_config(DISTRICTS, years=0.5, warmup_years=0.1, **kw)


def test_replications_are_paired_reproducible_and_independent_of_workers(tmp_path):
    base = cfg()
    one = replicate(base, 3, workers=1, out=tmp_path / "w1")
    two = replicate(base, 3, workers=2, out=tmp_path / "w2")
    assert_frame_equal(one, two)
    assert list(one.columns) == [*NAMES, "replication", "seed"]
    seeds = one.groupby("replication")["seed"].first()
    assert seeds.tolist() == [run_seed(base.seed, 0, r) for r in range(3)]
    assert seeds.nunique() == 3
    # replication r is exactly the run of its seed
    r1 = MunicipalityModel(base.model_copy(update={"seed": int(seeds[1])})).run()
    assert_frame_equal(one[one.replication == 1][NAMES].reset_index(drop=True), r1)
    # another config with the same seed runs on the same seeds (paired), and its results differ
    lever = replicate(cfg(care__max_carers_per_client=base.care.max_carers_per_client + 2), 2, workers=1)
    assert lever.groupby("replication")["seed"].first().tolist() == seeds.tolist()[:2]
    assert not np.allclose(lever["informal_support_hours"], one[one.replication < 2]["informal_support_hours"])


def test_resume_keeps_finished_replications_and_a_new_config_replaces_them(tmp_path):
    out = tmp_path / "rep"
    first = replicate(cfg(), 2, workers=1, out=out)
    stamp = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.parquet")}
    again = replicate(cfg(), 2, workers=1, out=out)
    assert_frame_equal(first, again)
    assert stamp == {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.parquet")}
    other = replicate(cfg(seed=99), 2, workers=1, out=out)
    assert set(other.seed) == {run_seed(99, 0, r) for r in range(2)}
    assert len(list((out / "runs").glob("*.parquet"))) == 2


def test_bands_are_t_intervals_over_replications():
    rng = np.random.default_rng(0)
    values = rng.normal(10, 2, size=(6, 3))  # 6 replications x 3 steps
    df = pd.DataFrame({"district": "all", "year": np.tile([0.0, 1.0, 2.0], 6), "x": values.ravel(),
                       "replication": np.repeat(np.arange(6), 3)})
    out = bands(df, ["x"])
    from scipy import stats

    for j, row in out.iterrows():
        v = values[:, j]
        half = stats.t.ppf(0.975, 5) * v.std(ddof=1) / np.sqrt(6)
        assert np.isclose(row["x"], v.mean())
        assert np.isclose(row["x_low"], v.mean() - half) and np.isclose(row["x_high"], v.mean() + half)
    single = bands(df[df.replication == 0], ["x"])
    assert single["x_low"].isna().all()


def test_cli_run_with_replications_prints_intervals_and_writes_them(tmp_path):
    out = tmp_path / "res"
    args = ["--set", "years=0.3", "--set", "warmup_years=0.1",
            "--set", "districts=[{name: A, type: storp, population: 200}, {name: B, type: affluent, population: 100}]"]
    r = subprocess.run([sys.executable, "-m", "abm.cli", "run", *args, "--replications", "2", "--workers", "1",
                        "--out", str(out), "--no-progress"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    df = pd.read_parquet(out / "model.parquet")
    assert sorted(df.replication.unique()) == [0, 1]
    assert "95% intervals" in r.stdout and "[" in r.stdout.splitlines()[2]
    assert (out / "summary.png").stat().st_size > 10_000


def test_posterior_replications_draw_parameters_by_weight_and_run_each_on_its_own_seed(tmp_path):
    from abm.experiments.calibration import draw_posterior

    post = pd.DataFrame({"loneliness.trait_log_mean": [0.1, 1.5, 9.0], "weight": [0.5, 0.5, 0.0]})
    post.to_csv(tmp_path / "posterior.csv", index=False)
    draws = draw_posterior(tmp_path, 4, seed=3)
    assert set(draws["loneliness.trait_log_mean"]) <= {0.1, 1.5}  # weight 0 is never drawn
    assert_frame_equal(draws, draw_posterior(tmp_path / "posterior.csv", 4, seed=3))
    table = replicate(cfg(), 4, workers=1, draws=draws)
    per = table.groupby("replication").agg(seed=("seed", "first"), value=("param:loneliness.trait_log_mean", "first"))
    assert per["value"].tolist() == draws["loneliness.trait_log_mean"].tolist()
    assert per["seed"].nunique() == 4
    # replication r is the run of draw r on its seed
    r2 = MunicipalityModel(cfg(loneliness__trait_log_mean=float(per.value[2]), seed=int(per.seed[2]))).run()
    assert_frame_equal(table[table.replication == 2][NAMES].reset_index(drop=True), r2)
