"""Same config and seed give identical output, in this process or another; other seeds differ."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from pandas.testing import assert_frame_equal

from abm import MunicipalityModel

from .conftest import small_config


def run(seed, **kw):
    return MunicipalityModel(small_config(seed=seed, years=1, **kw)).run()


def test_same_seed_identical_results():
    a = run(3, interventions__network_developers__fte=1, interventions__gp_referral__enabled=True)
    b = run(3, interventions__network_developers__fte=1, interventions__gp_referral__enabled=True)
    assert_frame_equal(a, b)


def test_different_seeds_differ():
    a, b = run(3), run(4)
    assert not a[["lonely_share", "mean_degree", "demand_light"]].equals(b[["lonely_share", "mean_degree", "demand_light"]])


def test_seed_argument_overrides_config_seed():
    a = MunicipalityModel(small_config(seed=1), seed=5).run()
    assert_frame_equal(a, run(5))


def test_identical_in_a_fresh_process(tmp_path):
    here = run(11)
    out = tmp_path / "other.parquet"
    code = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.conftest import small_config; from abm import MunicipalityModel;"
        f"MunicipalityModel(small_config(seed=11, years=1)).run().to_parquet(r'{out}')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(__import__('pathlib').Path(__file__).parents[1]))
    assert_frame_equal(here, pd.read_parquet(out))


def test_looking_at_the_model_between_steps_changes_nothing():
    """The app and notebooks read a model between weeks (status, networks); reading must not steer the run."""
    config = small_config(seed=3, years=1, interventions__network_developers__fte=1)
    unwatched = MunicipalityModel(config).run()
    model = MunicipalityModel(config)

    def look(step, total):
        for d in range(model.pop.n_districts):
            model.status.vulnerable_in(d)
        if step % 13 == 0:
            model.network(), model.support_network()

    assert_frame_equal(unwatched, model.run(progress=look))
