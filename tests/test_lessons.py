"""The lessons (notebooks/lessons/, docs/teaching.md): their claims hold on the classroom runs, and
every lesson notebook runs as a class runs it, in a fresh kernel, reading the same cached runs.

The classroom design (abm.experiments.classroom) is run once here, into a temporary cache that the
notebooks' kernels find through the BUURTKRACHT_CLASSROOM variable: nine notebooks, one set of runs.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from abm.app.lessons import LESSONS
from abm.experiments import classroom, lessons

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
FOLDER = ROOT / "notebooks" / "lessons"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    cache = tmp_path_factory.mktemp("classroom")
    old = os.environ.get(classroom.ENV_CACHE)
    os.environ[classroom.ENV_CACHE] = str(cache)  # the notebooks' kernels inherit it
    try:
        yield classroom.load(workers=2, progress=False)
    finally:
        if old is None:
            os.environ.pop(classroom.ENV_CACHE, None)
        else:
            os.environ[classroom.ENV_CACHE] = old


def test_every_lesson_has_a_notebook_a_claim_and_app_settings():
    assert len(LESSONS) >= 8
    assert [p.name for p in NOTEBOOKS] == [f"{i:02d}_{item['key']}.ipynb" for i, item in enumerate(LESSONS, 1)]
    assert {item["claim"] for item in LESSONS} == set(lessons.CLAIMS)


def test_notebooks_are_written_from_the_lesson_texts():
    """The app's guided mode and the notebooks tell the same lesson: build.py regenerates them."""
    sys.path.insert(0, str(FOLDER))
    try:
        import build
    finally:
        sys.path.remove(str(FOLDER))
    for number, item in enumerate(LESSONS, 1):
        stored = nbformat.read(FOLDER / f"{number:02d}_{item['key']}.ipynb", as_version=4)
        fresh = build.notebook(item, number)
        assert [c.source for c in stored.cells] == [c.source for c in fresh.cells], item["key"]


@pytest.mark.parametrize("key", list(lessons.CLAIMS))
def test_the_lesson_claim_holds(runs, key):
    finding = lessons.check(key, runs)
    assert finding.checks and finding.measured


def test_the_runs_are_read_back_not_run_again(runs):
    folder = classroom.cache_folder(classroom.spec())
    files = sorted((folder / "sweep" / "runs").glob("*.parquet"))
    assert len(files) == len(classroom.VARIANTS) * classroom.REPLICATIONS
    before = {f: f.stat().st_mtime_ns for f in files}
    again = classroom.load(workers=2, progress=False)
    assert {f: f.stat().st_mtime_ns for f in files} == before
    assert again.table.equals(runs.table)


def test_variants_are_paired_on_the_same_seeds(runs):
    seeds = runs.table.groupby("variant")["seed"].apply(lambda s: tuple(sorted(set(s))))
    assert seeds.nunique() == 1 and len(seeds.iloc[0]) == classroom.REPLICATIONS


@pytest.fixture(scope="module")
def executed(runs):
    """Every lesson notebook executed once, each in its own fresh kernel, as many at a time as there are
    cores (a kernel spends much of its time starting and drawing): name -> the executed notebook, or the
    exception its execution raised."""

    async def execute(path, slots):
        nb = nbformat.read(path, as_version=4)
        async with slots:
            client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            try:
                await client.async_execute()
            except Exception as exc:  # the test of this notebook reports it
                return exc
        return nb

    async def execute_all():
        slots = asyncio.Semaphore(os.cpu_count() or 1)
        return await asyncio.gather(*(execute(path, slots) for path in NOTEBOOKS))

    return dict(zip([p.name for p in NOTEBOOKS], asyncio.run(execute_all())))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_lesson_notebook_runs(executed, path):
    nb = executed[path.name]
    if isinstance(nb, Exception):
        raise nb
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors[0].get("evalue")
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert images, "the lesson draws its figure"


def test_an_exercise_runs_one_district_with_one_lever(tmp_path):
    ex = classroom.exercise("storp", ["capacity.specialist_factor=0.3"], population=250, years=1, replications=2,
                            workers=1, cache=tmp_path)
    assert set(ex.table.variant) == {"baseline", "lever"}
    assert ex.effect("lever", "waiting_list").mean > 0  # a deep cut makes people wait, even in one year
