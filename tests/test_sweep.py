"""Sweeps: spec validation, designs, paired seeds, identical results across engines, resume after
a kill, failure handling, and analysis on data with known effects."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from pandas.testing import assert_frame_equal

from abm.config import ConfigError, configs_dir
from abm.experiments.analysis import (
    convergence,
    effect_table,
    rank_stability,
    regression_indices,
    seed_agreement,
    sensitivity,
)
from abm.experiments.convergence import MIN_TOP_DOWN, top_down
from abm.experiments.spec import SweepSpec, design_points, expand, load_spec
from abm.experiments.sweep import SweepError, load_metrics, run_sweep, stored_files

DEFAULT = str(configs_dir() / "default.yaml")
SMALL = ["districts=[{name: A, type: storp, population: 150}, {name: B, type: middle_class, population: 150}]",
         "years=0.5", "warmup_years=0.1"]


def spec_dict(**extra) -> dict:
    data = {
        "name": "t", "base": DEFAULT, "set": SMALL,
        "variants": [{"name": "baseline"}, {"name": "eb", "set": ["interventions.network_developers.fte=1"]}],
        "baseline": "baseline",
        "parameters": {"care.hours_free": {"values": [10, 30]}},
        "replications": 2, "seed": 3,
        "metrics": [{"column": "lonely_share", "stat": "mean"},
                    {"column": "demand_light", "stat": "last", "district": "each"}],
    }
    data.update(extra)
    return data


def write_spec(tmp_path, **extra) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec_dict(**extra)))
    return path


def abm(*args, **kw):
    return subprocess.run([sys.executable, "-m", "abm.cli", *args], capture_output=True, text=True, timeout=600, **kw)


# ---------------------------------------------------------------- specs and designs


@pytest.mark.parametrize("change, words", [
    ({"design": {"type": "sobol"}}, ["needs a numeric 'range'", "care.hours_free"]),
    ({"metrics": [{"column": "happiness"}]}, ["metrics.0", "happiness", "not an output column"]),
    ({"baseline": "nope"}, ["baseline", "nope"]),
    ({"replications": 0}, ["replications", "0"]),
    ({"colour": "red"}, ["colour", "unknown key"]),
    ({"parameters": {"x.y": {"range": [2, 1]}}}, ["parameters.x.y", "range low"]),
])
def test_bad_specs_name_the_field(tmp_path, change, words):
    with pytest.raises(ConfigError) as err:
        load_spec(write_spec(tmp_path, **change))
    for word in words:
        assert word in str(err.value)


def test_design_sizes_and_determinism():
    ranged = {"a": {"range": [0, 1]}, "b": {"range": [10, 20]}, "c": {"range": [0, 5], "integer": True}}
    metrics = [{"column": "lonely_share"}]
    for design, size in (({"type": "lhs", "samples": 7}, 7), ({"type": "sobol", "samples": 8}, 8 * (3 + 2)),
                         ({"type": "morris", "samples": 5, "levels": 4}, 5 * (3 + 1))):
        spec = SweepSpec.model_validate({"name": "d", "parameters": ranged, "design": design, "metrics": metrics, "seed": 1})
        points = design_points(spec)
        assert len(points) == size
        assert points == design_points(spec)
        assert all(0 <= p["a"] <= 1 and 10 <= p["b"] <= 20 and isinstance(p["c"], int) for p in points)
    fact = SweepSpec.model_validate({"name": "f", "parameters": {"a": {"values": [1, 2, 3]}, "b": {"values": ["x", None]}},
                                     "metrics": metrics})
    assert len(design_points(fact)) == 6


def test_runs_pair_seeds_across_variants_only():
    runs = expand(SweepSpec.model_validate(spec_dict()))
    assert len(runs) == 2 * 2 * 2 and len({r.run_id for r in runs}) == len(runs)
    by_key = {}
    for r in runs:
        by_key.setdefault((r.point, r.replication), set()).add(r.seed)
    assert all(len(seeds) == 1 for seeds in by_key.values())  # variants share the seed
    assert len({next(iter(s)) for s in by_key.values()}) == len(by_key)  # points and replications differ


def test_common_seeds_give_every_design_point_of_a_replication_one_seed():
    own = SweepSpec.model_validate(spec_dict(parameters={"care.hours_free": {"values": [10, 20, 30]}}))
    common = own.model_copy(update={"seeds": "common"})
    seeds = {}
    for r in expand(common):
        seeds.setdefault(r.replication, set()).add(r.seed)
    assert all(len(s) == 1 for s in seeds.values()) and len(seeds) == common.replications
    assert len({next(iter(s)) for s in seeds.values()}) == common.replications  # replications differ
    assert len({r.seed for r in expand(own)}) == 3 * own.replications  # the default: a seed per point
    # the default leaves the fingerprint of earlier sweeps (their manifests) as it was
    import hashlib

    before = {k: v for k, v in own.model_dump(mode="json").items() if k != "seeds"}
    assert own.hash() == hashlib.sha256(json.dumps(before, sort_keys=True).encode()).hexdigest()[:16]
    assert common.hash() != own.hash()


def test_a_variant_can_pin_a_varied_parameter():
    from abm.experiments.sweep import run_config

    spec = SweepSpec.model_validate(spec_dict(
        parameters={"interventions.network_developers.fte": {"values": [2, 4]}},
        variants=[{"name": "baseline", "set": ["interventions.network_developers.fte=0"]}, {"name": "eb"}]))
    for run in expand(spec):
        fte = run_config(spec, ".", run).interventions.network_developers.fte
        assert fte == (0 if run.variant == "baseline" else run.values["interventions.network_developers.fte"])
        assert run_config(spec, ".", run).seed == run.seed


# ---------------------------------------------------------------- execution


def _sorted(df):
    return df.sort_values(["run_id", "metric", "district"]).reset_index(drop=True)


def test_identical_results_with_1_worker_2_workers_and_a_dask_cluster(tmp_path):
    from distributed import LocalCluster

    spec, folder = load_spec(write_spec(tmp_path))
    run_sweep(spec, folder, tmp_path / "one", workers=1, progress=False)
    run_sweep(spec, folder, tmp_path / "two", workers=2, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run_sweep(spec, folder, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    one = _sorted(load_metrics(tmp_path / "one"))
    assert one.run_id.nunique() == 8
    assert_frame_equal(one, _sorted(load_metrics(tmp_path / "two")))
    assert_frame_equal(one, _sorted(load_metrics(tmp_path / "dask")))
    manifest = json.loads((tmp_path / "one" / "manifest.json").read_text())
    assert manifest["spec_hash"] == spec.hash() and manifest["libraries"]["mesa"]
    assert manifest["git_revision"] and manifest["package_version"]


def test_failed_runs_are_recorded_and_the_sweep_goes_on(tmp_path):
    path = write_spec(tmp_path, parameters={"capacity.specialist_factor": {"values": [1.0, -1.0]}})
    r = abm("sweep", str(path), "--out", str(tmp_path / "s"), "--workers", "2", "--no-progress")
    assert r.returncode == 1
    assert "4 runs failed" in r.stderr
    failures = sorted((tmp_path / "s" / "failures").glob("*.json"))
    assert len(failures) == 4
    record = json.loads(failures[0].read_text())
    assert "capacity.specialist_factor" in record["error"] and "Traceback" in record["traceback"]
    assert "capacity.specialist_factor=-1.0" in record["overrides"]
    assert load_metrics(tmp_path / "s").run_id.nunique() == 4  # the good half finished


def test_existing_folder_needs_resume_and_the_same_spec(tmp_path):
    spec, folder = load_spec(write_spec(tmp_path))
    run_sweep(spec, folder, tmp_path / "s", workers=1, progress=False)
    with pytest.raises(SweepError, match="--resume"):
        run_sweep(spec, folder, tmp_path / "s", workers=1, progress=False)
    again = run_sweep(spec, folder, tmp_path / "s", workers=1, resume=True, progress=False)
    assert again["skipped"] == again["total"] and again["done"] == 0
    other, _ = load_spec(write_spec(tmp_path, replications=3))
    with pytest.raises(SweepError, match="different spec"):
        run_sweep(other, folder, tmp_path / "s", workers=1, resume=True, progress=False)


def test_killed_sweep_resumes_to_exactly_one_result_per_run(tmp_path):
    path = write_spec(tmp_path, replications=6, set=[*SMALL[:1], "years=0.5", "warmup_years=0.2"])
    out = tmp_path / "s"
    proc = subprocess.Popen([sys.executable, "-m", "abm.cli", "sweep", str(path), "--out", str(out), "--workers", "2",
                             "--no-progress"], start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 300
    while time.time() < deadline and len(stored_files(out / "runs")) < 4:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(stored_files(out / "runs"))
    assert 4 <= done_before < 24, "the kill should land mid-sweep"
    # a write cut off by the kill leaves its hidden temporary file; it is not a result (one is planted so
    # that this is checked on every run, not only when the kill happens to land mid-write)
    (out / "runs" / ".baseline-p00000-r099.4242.tmp.parquet").write_bytes(b"cut off")
    r = abm("sweep", str(path), "--out", str(out), "--workers", "2", "--resume", "--no-progress")
    assert r.returncode == 0, r.stderr
    assert f"{done_before} already finished" in r.stdout
    metrics = load_metrics(out)
    spec, _ = load_spec(path)
    assert sorted(metrics.run_id.unique()) == sorted(run.run_id for run in expand(spec))
    assert not metrics.duplicated(["run_id", "metric", "district"]).any()
    # the same numbers as a sweep that was never interrupted
    fresh, folder = load_spec(path)
    run_sweep(fresh, folder, tmp_path / "fresh", workers=2, progress=False)
    assert_frame_equal(_sorted(metrics), _sorted(load_metrics(tmp_path / "fresh")))


# ---------------------------------------------------------------- analysis


def synthetic(factor: float, replications: int = 20, seed: int = 0) -> pd.DataFrame:
    """Metrics where variant 'double' has ``factor`` times the baseline value on paired seeds."""
    rng = np.random.default_rng(seed)
    rows = []
    for rep in range(replications):
        base = rng.normal(10.0, 1.0)
        for variant, value in (("baseline", base), ("double", factor * base)):
            rows.append({"metric": "m", "district": "all", "district_type": "municipality", "value": value,
                         "run_id": f"{variant}-p00000-r{rep:03d}", "variant": variant, "point": 0,
                         "replication": rep, "seed": rep})
    return pd.DataFrame(rows)


def test_effect_table_recovers_a_known_doubling():
    table = effect_table(synthetic(2.0), "baseline")
    row = table.iloc[0]
    assert row["relative_mean"] == pytest.approx(1.0)
    assert row["ci_low"] < row["mean"] < row["ci_high"]
    assert row["ci_low"] > 8.5 and row["ci_high"] < 11.5  # the true mean effect is 10
    none = effect_table(synthetic(1.0), "baseline").iloc[0]
    assert none["mean"] == pytest.approx(0.0)


def test_sobol_and_morris_rank_a_known_function():
    for design in ({"type": "sobol", "samples": 256}, {"type": "morris", "samples": 40, "levels": 4}):
        spec = SweepSpec.model_validate({
            "name": "k", "parameters": {"strong": {"range": [0, 1]}, "weak": {"range": [0, 1]}, "none": {"range": [0, 1]}},
            "design": design, "metrics": [{"column": "lonely_share"}], "seed": 4,
        })
        rows = []
        for point, x in enumerate(design_points(spec)):
            y = 10 * x["strong"] + 1 * x["weak"]
            rows.append({"metric": "y", "district": "all", "district_type": "municipality", "value": y,
                         "run_id": f"run-p{point:05d}-r000", "variant": "run", "point": point, "replication": 0, "seed": 0})
        idx = sensitivity(pd.DataFrame(rows), spec).set_index("parameter")
        key = "ST" if design["type"] == "sobol" else "mu_star"
        assert idx.loc["strong", key] > 5 * idx.loc["weak", key] > 0
        assert abs(idx.loc["none", key]) < 0.05 * idx.loc["strong", key]
        # convergence: the full design's row equals the indices above; prefixes give wider intervals
        conv = convergence(pd.DataFrame(rows), spec)
        conv = conv[(conv["index"] == key) & (conv.parameter == "strong")].set_index("samples")
        assert sorted(conv.index) == sorted({max(2, round(spec.design.samples * f)) for f in (0.125, 0.25, 0.5, 1)})
        assert conv.loc[spec.design.samples, "value"] == pytest.approx(idx.loc["strong", key])
        if key == "ST":  # Sobol estimates scatter with n; their bootstrap intervals shrink
            assert conv["conf"].iloc[0] > conv["conf"].iloc[-1]
        stable = rank_stability(convergence(pd.DataFrame(rows), spec)).query("index == @key")
        assert stable["settled"].all() and stable["same_leaders"].all()
        assert stable["top_down"].iloc[-1] == pytest.approx(1.0) and stable["top_down"].min() >= MIN_TOP_DOWN
        src = regression_indices(pd.DataFrame(rows), spec).set_index("parameter")  # y is linear: R² 1
        assert src["r2"].iloc[0] == pytest.approx(1.0) and src.loc["strong", "src"] == pytest.approx(10 / 101 ** 0.5, rel=0.05)
        assert src.loc["weak", "src_low"] > 0 and src.loc["none", "src_low"] < 0 < src.loc["none", "src_high"] + 1e-9
        if key == "ST":  # two common seeds of a noiseless function: the same indices, the same ranking
            two = pd.DataFrame(rows)
            two = pd.concat([two, two.assign(replication=1, run_id=two.run_id.str.replace("r000", "r001"))])
            agree = seed_agreement(two, spec.model_copy(update={"seeds": "common", "replications": 2}))
            assert set(agree.replication) == {0, 1} and np.allclose(agree["top_down_vs_first"], 1.0)
    assert top_down([3, 2, 1], [3, 2, 1]) == pytest.approx(1.0) and top_down([3, 2, 1], [1, 2, 3]) < 0


def test_analyze_writes_report_tables_and_figures(tmp_path):
    spec, folder = load_spec(write_spec(tmp_path, keep_timeseries=True,
                                        parameters={"care.hours_free": {"values": [10, 30]},
                                                    "capacity.specialist_factor": {"values": [0.5, 1.0]}}))
    run_sweep(spec, folder, tmp_path / "s", workers=2, progress=False)
    r = abm("analyze", str(tmp_path / "s"))
    assert r.returncode == 0, r.stderr
    dest = tmp_path / "s" / "analysis"
    report = (dest / "report.md").read_text()
    for name in ("effects.csv", "effects_by_district_type.csv", "effects.png", "effects_over_time.png",
                 "metrics_by_variant.csv"):
        assert (dest / name).exists() and name in report
    heat = list(dest.glob("heatmap_eb_*.png"))
    assert len(heat) == 2 and all(h.name in report for h in heat)
    effects = pd.read_csv(dest / "effects.csv")
    assert set(effects.variant) == {"eb"} and {"ci_low", "ci_high", "n"} <= set(effects.columns)
    assert (effects.n == 2).all()


def test_shipped_sweep_specs_are_valid():
    folder = configs_dir() / "sweeps"
    specs = sorted(folder.glob("*.yaml"))
    assert {p.stem for p in specs} >= {"developers_fte_years", "sobol_behaviour", "sobol_all", "morris_all"}
    for path in specs:
        spec, spec_dir = load_spec(path)
        runs = expand(spec)
        assert runs
        from abm.experiments.sweep import run_config

        for variant in spec.variants:
            run_config(spec, str(spec_dir), next(r for r in runs if r.variant == variant.name))
