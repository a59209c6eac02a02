"""Shared helpers: small municipalities that run in seconds; how the suite is spread over xdist workers."""

from __future__ import annotations

import subprocess
import sys

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
# the cached runs of tests/small_runs.py. Groups go out heaviest first (--no-loadscope-reorder keeps the
# order set here, not xdist's order by number of tests), so that the groups left at the end are small and
# both workers finish together. COST: seconds a group took on one of two workers (clean clone, quiet
# machine); a file not listed counts 0 and goes last. Only the order depends on these figures.
SHARED_RUNS = {"test_chronic_pools", "test_cooperatives", "test_families"}
COST = {
    "test_scenarios": 225, "test_lessons": 210, "test_app_browser": 150, "test_calibration": 140,
    "test_sweep": 110, "test_workshop": 90, "small_runs": 50, "test_bad_inputs": 50, "test_replications": 45,
    "test_ledger": 35, "test_notebooks": 35, "test_care_calibration": 30, "test_professionals": 30,
    "test_cli": 30, "test_sweep_isolation": 25, "test_properties": 20,
}


def group(item: pytest.Item) -> str:
    stem = item.path.stem
    return "small_runs" if stem in SHARED_RUNS else stem


@pytest.hookimpl(tryfirst=True)  # before xdist names the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group(item)))
    items.sort(key=lambda item: -COST.get(group(item), 0))  # stable: a file keeps its order


# Numba compiles the model's kernels on first use and caches them beside the source. On a clean clone
# every process that runs the model before the cache exists compiles them again (~25 CPU-seconds each):
# both workers and the processes their first tests fork. One process compiles them while the workers
# start and collect; tests are handed out once it is done.
WARM_UP = ("from tests.conftest import small_config; from abm.core.model import MunicipalityModel; "
           "MunicipalityModel(small_config(years=0.04, warmup_years=0)).run()")
_warm_up: list[subprocess.Popen] = []


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if not hasattr(config, "workerinput") and getattr(config.option, "numprocesses", 0):
        _warm_up.append(subprocess.Popen([sys.executable, "-c", WARM_UP], cwd=config.rootpath,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids) -> None:
    for proc in _warm_up:  # a failed or slow warm-up only means that the workers compile
        try:
            proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
