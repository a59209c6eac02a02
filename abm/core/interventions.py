"""Levers of docs/spec/MODEL.md §7 that the model staffs or switches on.

- network developers: staffed while funded (``start_year`` to ``end_year``), spread over the
  districts they serve; their weekly work is ``agents.NetworkDeveloper.step``;
- a key facility (sleutelvoorziening, source §6.4) in chosen districts raises meeting and
  detection rates (``contact``, ``noticing``);
- GP referral and volunteer support act inside ``noticing`` and ``volunteering``; the front-line
  budget and specialist capacity scale ``support.FormalCare``'s capacity.
"""

from __future__ import annotations

import math

import numpy as np

from abm.config import Config
from abm.config.units import TOLERANCE


def developers_funded(config: Config, year: float) -> bool:
    p = config.interventions.network_developers
    return p.fte > 0 and year >= p.start_year and (p.end_year is None or year < p.end_year)


def developer_posts(config: Config, names: list[str]) -> list[tuple[float, list[int], int]]:
    """The funded posts as (hours per week, districts served, index of the first district):
    whole FTEs and one part-time post for the remainder."""
    p = config.interventions.network_developers
    served = [names.index(n) for n in p.districts] if p.districts else list(range(len(names)))
    posts = math.ceil(p.fte - TOLERANCE)
    return [(min(1.0, p.fte - k) * p.hours_per_fte, served, k) for k in range(posts)]


def key_facility_mask(config: Config, names: list[str]) -> np.ndarray:
    """Per district: does it have a key facility?"""
    kf = config.interventions.key_facility
    if not kf.enabled:
        return np.zeros(len(names), dtype=bool)
    return np.array([kf.districts is None or n in kf.districts for n in names])
