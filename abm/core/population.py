"""Residents' state as numpy arrays, one row per dwelling slot, and demography.

Each slot is a home in a district. When a resident dies or moves out, a newcomer without local
ties takes the slot (docs/spec/MODEL.md §4: residents age, move out and are replaced by newcomers). Per-resident
traits are drawn from the district type's parameters; every draw uses the model's generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from abm.config import Config, DistrictTypeParams
from abm.config.units import WEEKS_PER_YEAR

YOUTH, ADULT, ELDERLY = range(3)  # age groups (codes)


def weekly(rate_per_year):
    """Weekly probability of an event with the given yearly rate (constant hazard)."""
    if isinstance(rate_per_year, float | int):  # a config value, asked for every week: computed once
        return _weekly_scalar(rate_per_year)
    return _weekly(rate_per_year)


def _weekly(rate_per_year):
    return 1.0 - np.exp(-np.asarray(rate_per_year, dtype=float) / WEEKS_PER_YEAR)


_weekly_scalar = cache(_weekly)  # the config's rates: a few values


def bounded(values, low, high):
    """``values`` kept within [``low``, ``high``]: ``np.clip``'s result without its Python layers (hot paths)."""
    return np.minimum(np.maximum(values, low), high)


@dataclass
class DistrictTable:
    """District-level parameters broadcast to arrays indexed by district number."""

    names: list[str]
    types: list[str]
    params: list[DistrictTypeParams]

    def column(self, field: str) -> np.ndarray:
        """One parameter per district (read-only; built once)."""
        cache = self.__dict__.setdefault("_columns", {})
        if field not in cache:
            cache[field] = np.array([getattr(p, field) for p in self.params], dtype=float)
            cache[field].setflags(write=False)
        return cache[field]


def _beta(rng: np.random.Generator, mean: np.ndarray, concentration: float, margin: float) -> np.ndarray:
    """Beta draws with the given means (kept ``margin`` away from 0 and 1) and concentration a + b."""
    mean = bounded(mean, margin, 1.0 - margin)
    return rng.beta(mean * concentration, (1.0 - mean) * concentration)


class Population:
    """Arrays of resident state. ``district[i]`` never changes: slots belong to a district."""

    def __init__(self, config: Config, rng: np.random.Generator):
        self.config = config
        self.table = DistrictTable(
            names=[d.name for d in config.districts],
            types=[d.type for d in config.districts],
            params=[config.district_params(d) for d in config.districts],
        )
        sizes = np.array([d.population for d in config.districts], dtype=np.int64)
        self.n = int(sizes.sum())
        self.n_districts = len(sizes)
        self.district = np.repeat(np.arange(self.n_districts), sizes)
        self.district_sizes = sizes
        self.district_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self._bounds = list(zip(self.district_start.tolist(), np.cumsum(sizes).tolist()))  # (first, end) slot per district

        n = self.n
        self.age = np.zeros(n)
        self.origin = np.zeros(n, dtype=np.int8)  # 0 = established residents, 1 = newcomers' group
        self.household = np.zeros(n, dtype=np.int64)
        self.street = np.zeros(n, dtype=np.int64)
        self.activity = np.full(n, -1, dtype=np.int64)
        self.arrived = np.zeros(n, dtype=np.int64)
        self.willingness = np.zeros(n)
        self.demand_shyness = np.zeros(n)
        self.supply_shyness = np.zeros(n)
        self.external = np.zeros(n)
        self.trait = np.zeros(n)
        self.loneliness = np.zeros(n)
        self.private_care = np.zeros(n, dtype=bool)
        self.generation = np.zeros(n, dtype=np.int64)  # bumps when a newcomer takes the slot
        self._households_now: tuple[np.ndarray, np.ndarray] | None = None  # ``households()`` until they change

        self._streets(rng)
        self.activity_count = 0
        self.reset_slots(np.arange(n), rng, initial=True)
        self._households(rng)

    # ------------------------------------------------------------------ set-up
    def _streets(self, rng: np.random.Generator) -> None:
        """Consecutive slots form streets of the district type's street size."""
        offset = 0
        for d, p in enumerate(self.table.params):
            lo, size = self.district_start[d], self.district_sizes[d]
            local = np.arange(size) // p.street_size
            self.street[lo : lo + size] = offset + local
            offset += int(local.max()) + 1
        self.n_streets = offset

    def _households(self, rng: np.random.Generator) -> None:
        """Neighbouring slots in a street are grouped into households of 1-4 people."""
        shares = self.config.residents.household_size_shares
        sizes = rng.choice(np.arange(1, len(shares) + 1), size=self.n, p=shares)
        ids = np.repeat(np.arange(self.n), sizes)[: self.n]
        # a household never spans two streets
        change = np.r_[True, (ids[1:] != ids[:-1]) | (self.street[1:] != self.street[:-1])]
        self.household = np.cumsum(change) - 1
        self._households_now = None

    def reset_slots(self, idx: np.ndarray, rng: np.random.Generator, initial: bool = False, step: int = 0,
                    together: np.ndarray | None = None, join: np.ndarray | None = None) -> None:
        """Put new residents (initial population or newcomers) in slots ``idx``.

        ``together``: a label per slot; newcomers with the same label form one household.
        ``join``: per slot, an existing household the newcomer joins (-1: a household of their own).
        """
        if len(idx) == 0:
            return
        cfg = self.config
        demo, res = cfg.demography, cfg.residents
        d = self.district[idx]
        P = self.table
        shares = np.array([[p.age_shares.youth, p.age_shares.adult, p.age_shares.elderly] for p in P.params])
        over75 = P.column("over75_share_of_elderly")
        if not initial:
            # the dwelling stock keeps drawing the district's kind of household: newcomers' age
            # groups lean towards the groups the district is short of (ASSUMPTION; keeps the age
            # structure of the district type steady instead of ageing in place)
            younger = [self.per_district(self.age < age) for age in (demo.adult_age, demo.elderly_age)]  # counts
            current = np.stack([younger[0], younger[1] - younger[0], self.district_sizes - younger[1]], axis=1)
            current /= self.district_sizes[:, None]
            shares = np.clip(shares + res.age_mix_pull * (shares - current), res.age_mix_min_share, None)
            shares /= shares.sum(axis=1, keepdims=True)
        u = rng.random(len(idx))
        cum = np.cumsum(shares[d], axis=1)
        group = (u[:, None] > cum).sum(axis=1)
        age = np.where(
            group == YOUTH, rng.uniform(0, demo.adult_age, len(idx)),
            np.where(group == ADULT, rng.uniform(demo.adult_age, demo.elderly_age, len(idx)),
                     rng.uniform(demo.elderly_age, demo.old_age, len(idx))),
        )
        old = (group == ELDERLY) & (rng.random(len(idx)) < over75[d])
        excess = rng.exponential(demo.over75_mean_excess_years, old.sum()).clip(0, demo.max_age - demo.old_age)
        age[old] = demo.old_age + excess
        self.age[idx] = age
        newcomer_share = P.column("newcomer_share")[d]
        self.origin[idx] = (rng.random(len(idx)) < newcomer_share).astype(np.int8)
        beta = (res.trait_concentration, res.trait_mean_margin)
        self.willingness[idx] = _beta(rng, P.column("willingness_to_help")[d], *beta)
        self.demand_shyness[idx] = _beta(rng, P.column("demand_shyness")[d], *beta)
        self.supply_shyness[idx] = _beta(rng, P.column("supply_shyness")[d], *beta)
        self.external[idx] = P.column("external_contact")[d] * rng.lognormal(0.0, res.external_contact_log_sd, len(idx))
        lp = cfg.loneliness
        self.trait[idx] = np.minimum(rng.lognormal(lp.trait_log_mean, lp.trait_log_sd, len(idx)), lp.max_score)
        self.loneliness[idx] = self.trait[idx]
        self.activity[idx] = -1
        joins = rng.random(len(idx)) < P.column("activity_participation")[d]
        self.join_activity(idx[joins], rng)
        self.private_care[idx] = rng.random(len(idx)) < P.column("private_care_share")[d]
        if initial:
            # years lived here so far: a stationary renewal process with the type's turnover
            turnover = np.maximum(P.column("turnover_per_year")[d], res.min_turnover_per_year)
            stay = np.minimum(rng.exponential(1.0 / turnover), self.age[idx])
            self.arrived[idx] = -np.round(stay * WEEKS_PER_YEAR).astype(np.int64)
        else:
            self.arrived[idx] = step
        if not initial:
            self.generation[idx] += 1
            # a household that moved out is replaced by one new household in the same homes;
            # other freed homes get a single newcomer each
            groups = np.arange(len(idx)) if together is None else np.unique(together, return_inverse=True)[1]
            fresh = self.household.max() + 1 + groups
            self.household[idx] = fresh if join is None else np.where(join >= 0, join, fresh)
            self._households_now = None

    def join_activity(self, idx: np.ndarray, rng: np.random.Generator) -> None:
        """Residents join an activity (club, coffee morning) in their own district.

        Each district has one activity per ``residents.activity_group_size`` residents; ids are global.
        """
        if len(idx) == 0:
            return
        d = self.district[idx]
        per_district = np.maximum(1, self.district_sizes // self.config.residents.activity_group_size)
        first = np.concatenate([[0], np.cumsum(per_district)[:-1]])
        self.activity[idx] = first[d] + (rng.random(len(idx)) * per_district[d]).astype(np.int64)
        self.activity_count = int(per_district.sum())

    # ------------------------------------------------------------------ derived views
    def age_group(self, idx=slice(None)) -> np.ndarray:
        """Age group codes of residents ``idx`` (default: all)."""
        demo = self.config.demography
        age = self.age[idx]
        return np.where(age < demo.adult_age, YOUTH, np.where(age < demo.elderly_age, ADULT, ELDERLY))

    def lonely(self, idx=slice(None)) -> np.ndarray:
        """Whether residents ``idx`` (default: all) are lonely."""
        return self.loneliness[idx] >= self.config.loneliness.lonely_threshold

    def severely_lonely(self) -> np.ndarray:
        return self.loneliness >= self.config.loneliness.severe_threshold

    def per_district(self, values) -> np.ndarray:
        """Sum of ``values`` (n,) per district; slots are grouped by district. A boolean mask (n,) or
        (..., n) is counted (over its leading axes too)."""
        values = np.asarray(values)
        if values.dtype == bool and self.n_districts == 1:
            return np.array([np.count_nonzero(values)], dtype=np.float64)
        if values.dtype == bool:  # a count per slice: several times faster than a cast and a sum
            return np.array([np.count_nonzero(values[..., a:b]) for a, b in self._bounds], dtype=np.float64)
        return np.add.reduceat(values, self.district_start, dtype=np.float64)

    def households(self) -> tuple[np.ndarray, np.ndarray]:
        """Households in order of their label: each one's first slot, and each slot's household
        number (as ``np.unique(household, return_index=True, return_inverse=True)``, in linear time;
        read-only, kept until the households change in ``reset_slots``)."""
        if self._households_now is None:
            present = np.bincount(self.household) > 0
            number = np.cumsum(present) - 1
            first_slot = np.full(len(present), self.n, dtype=np.int64)
            np.minimum.at(first_slot, self.household, np.arange(self.n))
            self._households_now = (first_slot[present], number[self.household])
            for a in self._households_now:
                a.setflags(write=False)
        return self._households_now

    # ------------------------------------------------------------------ demography
    def leavers(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Who dies and who moves out this week (returned as two index arrays)."""
        demo = self.config.demography
        P = self.table
        # a death needs a draw below the capped hazard's weekly chance: the hazard is computed only for those draws
        u = rng.random(self.n)
        near = np.flatnonzero(u < weekly(demo.max_mortality_per_year))
        mortality = demo.mortality_a * np.exp(demo.mortality_b * self.age[near])
        mortality = mortality * np.where(self.loneliness[near] >= self.config.loneliness.severe_threshold,
                                         demo.isolation_mortality_factor, 1.0)
        die = np.zeros(self.n, dtype=bool)
        die[near] = u[near] < weekly(np.minimum(mortality, demo.max_mortality_per_year))
        # households move together (one draw per household); residents 75+ may also move on alone
        first, member_of = self.households()
        move = (rng.random(len(first)) < weekly(P.column("turnover_per_year"))[self.district[first]])[member_of]
        old = self.age >= demo.old_age
        move |= old & (rng.random(self.n) < np.where(old, weekly(P.column("elderly_move_away_per_year"))[self.district], 0.0))
        return np.flatnonzero(die), np.flatnonzero(move & ~die)
