"""The model-level table: one row per step per district plus a municipality row ("all").

Each column is defined once in ``abm.core.columns``. Rows are kept as numpy blocks during the run
and turned into one DataFrame at the end (cheaper than mesa's DataCollector for this shape, see
docs/spec/MESA-NOTES.md). Also here: the clustering sample and the cost of the levers, which the
columns read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from abm.config import Config
from abm.config.units import WEEKS_PER_YEAR
from abm.core.columns import COLUMNS, NUMERIC, Week
from abm.core.ties import Ties


class Recorder:
    """Collects each week's per-district values of the columns (``abm.core.columns``); builds the
    table on demand. Raw values: one per sum column, a numerator and a denominator per ratio."""

    def __init__(self, names: list[str], types: list[str]):
        self.names = names
        self.types = types
        self.blocks: list[np.ndarray] = []
        self.steps: list[int] = []
        self.width = sum(1 if col.count is not None else 2 for col in NUMERIC)  # raw values per district

    def add(self, step: int, week: Week) -> None:
        districts = len(self.names)
        block = np.empty((districts + 1, self.width))
        j = 0
        for col in NUMERIC:
            for count in (col.count,) if col.count is not None else col.ratio:
                block[:districts, j] = count(week)
                j += 1
        block[districts] = block[:districts].sum(axis=0)  # municipality row: the sum
        self.blocks.append(block)
        self.steps.append(step)

    def frame(self, warmup_steps: int, include_warmup: bool) -> pd.DataFrame:
        names = self.names + ["all"]
        types = self.types + ["municipality"]
        if not self.blocks:
            return pd.DataFrame(columns=[c.name for c in COLUMNS])
        data = np.concatenate(self.blocks)
        n = len(names)
        steps = np.repeat(np.array(self.steps), n)
        out = {
            "step": steps,
            "year": (steps - warmup_steps) / WEEKS_PER_YEAR,
            "district": np.tile(names, len(self.steps)),
            "district_type": np.tile(types, len(self.steps)),
        }
        i = 0
        for col in NUMERIC:
            if col.count is not None:
                values = data[:, i]
                out[col.name] = np.round(values).astype(np.int64) if col.integer else values
                i += 1
            else:
                num, den = data[:, i], data[:, i + 1]
                out[col.name] = np.divide(num, den, out=np.full(len(den), np.nan), where=den > 0)
                i += 2
        frame = pd.DataFrame({c.name: out[c.name] for c in COLUMNS})
        if not include_warmup:
            frame = frame[frame["step"] >= warmup_steps].reset_index(drop=True)
        return frame


class ClusteringSample:
    """Mean local clustering of a resident sample per district, re-measured every few weeks with
    its own generator (measurement must not change the model's random stream)."""

    def __init__(self, config: Config, pop):
        self.sample = config.output.clustering_sample
        self.every = config.output.clustering_every_weeks
        self.pop = pop
        self.rng = np.random.default_rng([config.seed, MEASURE_STREAM])
        self.values = np.zeros((2, pop.n_districts))  # (sum of coefficients, residents sampled) per district

    def measure(self, step: int, ties: Ties) -> np.ndarray:
        """(sum of coefficients, residents sampled) per district; coefficients as ``networkx.clustering``."""
        if (step - 1) % self.every == 0:
            pop = self.pop
            for d in range(pop.n_districts):
                lo = pop.district_start[d]
                nodes = lo + self.rng.choice(pop.district_sizes[d], min(self.sample, pop.district_sizes[d]), replace=False)
                self.values[0, d] = sum(ties.clustering(nodes).tolist())
                self.values[1, d] = len(nodes)
        return self.values


MEASURE_STREAM = 7919  # salt of the output-sampling generator's seed (any fixed number; not behaviour)


def intervention_cost(config: Config, pop, developer_hours: np.ndarray, volunteers: np.ndarray,
                      key_facility: np.ndarray, referrals: int) -> np.ndarray:
    """Cost of the levers this week per district (euro): developers' hours, supported volunteers,
    key facilities, and GP referrals (spread over districts by population)."""
    iv = config.interventions
    dev, vol = iv.network_developers, iv.volunteer_support
    dev_cost = developer_hours / dev.hours_per_fte * dev.cost_per_fte_year / WEEKS_PER_YEAR
    vol_cost = pop.per_district(volunteers) * vol.cost_per_volunteer_year / WEEKS_PER_YEAR * vol.factor
    key_cost = key_facility * iv.key_facility.cost_per_year / WEEKS_PER_YEAR
    ref_cost = referrals * iv.gp_referral.cost_per_referral * pop.district_sizes / pop.n
    return dev_cost + vol_cost + key_cost + ref_cost
