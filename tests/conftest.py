"""Shared helpers: small municipalities that run in seconds; how the suite is spread over xdist workers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from abm.config import Config, deep_merge, resolve


def small_config(districts=None, **overrides) -> Config:
    """A small municipality (default: two districts of 500) with dotted-key ``overrides``.

    ``overrides`` use double underscores for dots: ``interventions__gp_referral__enabled=True``.
    """
    data = {
        "seed": 7,
        "years": 1,
        "warmup_years": 0.5,
        "districts": districts or [
            {"name": "Oost", "type": "deprived_urban", "population": 500},
            {"name": "Dorp", "type": "traditional_village", "population": 500},
        ],
    }
    for key, value in overrides.items():
        parts = key.split("__")
        nested = value
        for part in reversed(parts):
            nested = {part: nested}
        data = deep_merge(data, nested)
    return resolve(data)


@pytest.fixture
def small():
    return small_config


# ---------------------------------------------------------------- spreading the suite over workers
# pytest-xdist hands out groups of tests (addopts: --dist loadgroup): one group per test file, so that a
# file's cached runs and its Solara server stay in one process, and one group for the files that share
# the cached runs of tests/small_runs.py. --no-loadscope-reorder keeps the order set here. Two cores are
# kept busy by pairing what runs side by side: the first worker takes the scenario sweeps (two processes)
# while the other checks the bad inputs (no model: they run while the kernels compile, two CLI processes at
# a time), then the calibration (one process); the lessons' sweep and notebooks (two processes) run beside
# the browser tests (which mostly wait for the page). The other groups follow heaviest first, so that the
# groups left at the end are small and both workers finish together. COST: CPU-seconds of a group (clean
# clone); a file not listed counts 0 and goes last. Only the order depends on these figures.
SHARED_RUNS = {"test_chronic_pools", "test_cooperatives", "test_families"}
FIRST = ("test_scenarios", "test_bad_inputs", "test_calibration", "test_lessons", "test_app_browser")
COST = {
    "test_sweep": 140, "test_workshop": 75, "small_runs": 35, "test_ledger": 30, "test_replications": 30,
    "test_sweep_isolation": 25, "test_notebooks": 22, "test_cli": 20, "test_properties": 17,
    "test_reproducibility": 17, "test_care_calibration": 15, "test_professionals": 13, "test_network_formation": 12,
}
NO_KERNELS = {"test_bad_inputs"}  # groups that never run the model: they need not wait for the warm-up


def group(item: pytest.Item) -> str:
    stem = item.path.stem
    return "small_runs" if stem in SHARED_RUNS else stem


def rank(name: str) -> tuple[int, float]:
    return (FIRST.index(name), 0) if name in FIRST else (len(FIRST), -COST.get(name, 0))


@pytest.hookimpl(tryfirst=True)  # before xdist names the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group(item)))
    items.sort(key=lambda item: rank(group(item)))  # stable: a file keeps its order


# Numba compiles the model's kernels on first use and caches them beside the source. On a clean clone
# every process that runs the model before the cache exists compiles them again (~30 CPU-seconds each):
# both workers and the processes their first tests fork. One process compiles them (for the kernel
# variants the suite uses) while the workers start; a worker's first test that runs the model waits until
# it is done (NO_KERNELS groups start at once).
WARM_UP = """
import sys
from pathlib import Path
try:
    from tests.conftest import small_config
    from abm.core.model import MunicipalityModel
    MunicipalityModel(small_config(years=0.04, warmup_years=0)).run()
    # developers who stay in their district look ties up with another signature (the scenarios, the lessons)
    MunicipalityModel(small_config(years=0.04, warmup_years=0, interventions__network_developers__fte=2,
                                   interventions__network_developers__rotation__rule="stay")).run()
finally:
    Path(sys.argv[1]).touch()
"""
WARMED_UP = "BUURTKRACHT_TESTS_WARMED_UP"  # the file the warm-up creates when it ends (passed to the workers)
_warm_up: list[subprocess.Popen] = []
_waited: list[bool] = []


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if not hasattr(config, "workerinput") and getattr(config.option, "numprocesses", 0):
        done = Path(tempfile.mkdtemp(prefix="buurtkracht-warm-up-")) / "done"
        os.environ[WARMED_UP] = str(done)  # the workers, started after this hook, inherit it
        _warm_up.append(subprocess.Popen([sys.executable, "-c", WARM_UP, str(done)], cwd=config.rootpath,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def pytest_sessionfinish(session: pytest.Session) -> None:
    for proc in _warm_up:  # done long before, unless it hung
        proc.kill()
        proc.wait()
        shutil.rmtree(Path(os.environ[WARMED_UP]).parent, ignore_errors=True)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Wait (once per worker, at most 5 minutes) for the warm-up before the first test that runs the model;
    a failed or slow warm-up only means that the workers compile."""
    done = os.environ.get(WARMED_UP)
    if done and not _waited and group(item) not in NO_KERNELS:
        deadline = time.monotonic() + 300
        while not os.path.exists(done) and time.monotonic() < deadline:
            time.sleep(0.2)
        _waited.append(True)
