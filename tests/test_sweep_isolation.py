"""Sweeps on shared resources: two sweeps on one Dask cluster keep their own results, and local
worker processes never outlive the sweep that started them (SIGTERM or SIGKILL of the parent)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
import yaml
from pandas.testing import assert_frame_equal

from abm.config import configs_dir
from abm.experiments.spec import load_spec
from abm.experiments.sweep import load_metrics, run_sweep

DEFAULT = str(configs_dir() / "default.yaml")


def small_spec(folder, population: int, replications: int = 2, years: float = 0.3):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump({
        "name": "iso", "base": DEFAULT, "replications": replications, "seed": 1,
        "set": [f"districts=[{{name: A, type: storp, population: {population}}}]", f"years={years}",
                "warmup_years=0.1"],
        "metrics": [{"column": "lonely_share", "stat": "mean"}, {"column": "population", "stat": "last"}],
    }))
    return path


def _sorted(df):
    return df.sort_values(["run_id", "metric", "district"]).reset_index(drop=True)


def test_two_sweeps_on_one_cluster_keep_their_own_results(tmp_path):
    """Specs that differ only in population, run at the same time against one scheduler."""
    from distributed import LocalCluster

    populations = (150, 300)
    specs = {pop: load_spec(small_spec(tmp_path / f"spec{pop}", pop)) for pop in populations}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(run_sweep, spec, folder, tmp_path / f"dask{pop}",
                                   scheduler=cluster.scheduler_address, progress=False)
                       for pop, (spec, folder) in specs.items()]
            for fut in futures:
                assert fut.result()["failed"] == 0
    results = {pop: _sorted(load_metrics(tmp_path / f"dask{pop}")) for pop in populations}
    small, large = (results[pop] for pop in populations)
    assert (small[small.metric.str.startswith("population")].value
            < large[large.metric.str.startswith("population")].value).all()
    # and each equals the same sweep run alone in this process
    for pop, (spec, folder) in specs.items():
        run_sweep(spec, folder, tmp_path / f"alone{pop}", workers=1, progress=False)
        assert_frame_equal(results[pop], _sorted(load_metrics(tmp_path / f"alone{pop}")))


def _workers(parent: psutil.Process) -> list[psutil.Process]:
    """The sweep's worker processes: its children other than a short-lived ``git`` (the run's
    provenance), which may exit between being listed and being asked its name."""
    found = []
    for p in parent.children(recursive=True):
        try:
            if "git" not in p.name():
                found.append(p)
        except psutil.NoSuchProcess:
            pass
    return found


def _cpu_seconds(p: psutil.Process) -> float:
    try:
        times = p.cpu_times()
    except psutil.NoSuchProcess:
        return float("inf")  # gone already: nothing to wait for
    return times.user + times.system


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_worker_processes_die_with_the_sweep(tmp_path, sig):
    path = small_spec(tmp_path, 300, replications=20, years=2.0)
    out = tmp_path / "s"
    log = tmp_path / "stderr.txt"  # a file, not a pipe: surviving workers would hold a pipe open
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "abm.cli", "sweep", str(path), "--out", str(out), "--workers",
                                 "2", "--no-progress"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=err)
    try:
        parent = psutil.Process(proc.pid)
        deadline = time.time() + 120
        workers: list[psutil.Process] = []
        while time.time() < deadline and len(workers) < 2:
            workers = _workers(parent)
            time.sleep(0.2)
        assert len(workers) >= 2, "the sweep did not start its workers"
        # runs under way: each worker has computed for a while (a condition, not a fixed sleep: on a
        # loaded machine a freshly forked worker may not have run yet after a second)
        while time.time() < deadline and min(_cpu_seconds(w) for w in workers) < 0.5:
            time.sleep(0.1)
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        stderr = log.read_text()
        _, alive = psutil.wait_procs(workers, timeout=20)
        assert not alive, f"{len(alive)} worker processes outlived the sweep"
        if sig == signal.SIGTERM:
            assert proc.returncode == 128 + signal.SIGTERM
            lines = [ln for ln in stderr.splitlines() if ln.strip()]
            assert len(lines) == 1 and "interrupted" in lines[0] and "--resume" in lines[0], stderr
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
