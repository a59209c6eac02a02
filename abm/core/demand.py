"""Demand for formal care separated from service (docs/ODD.md §7.6): per level, the residents who
need it (served or not), who receive it, and who wait for it.

A resident *needs* formal care when a need of theirs calls for a formal level and it is not met
informally (unmet hours at least the request threshold), or when they are already a client or on
a waiting list. Their demand level is the level their need calls for now (a client whose need
ended this week counts at the level still received until discharge). Served and waiting residents
are counted at the level they receive or wait for, so a client parked in light care while waiting
for intensive help appears in ``served_light``, ``waiting_intensive`` and ``demand_intensive``.
"""

from __future__ import annotations

import numpy as np

from abm.config import LEVELS
from abm.core.levels import DEMAND_COLUMNS, SERVED_COLUMNS, WAITABLE, WAITING_COLUMNS

COLUMNS = DEMAND_COLUMNS + SERVED_COLUMNS + WAITING_COLUMNS + ("demand_total", "served_total")


def demand_level(required: np.ndarray, served: np.ndarray, waiting: np.ndarray, unmet: np.ndarray) -> np.ndarray:
    """(n,) level code each resident needs formally now (0 = none).

    ``required`` (n,) level their needs call for; ``served`` (n,) level received; ``waiting`` (n,)
    level waited for (0 = not waiting); ``unmet`` (n,) bool: needs not met informally.
    """
    in_contact = (served > 0) | (waiting > 0)
    level = np.where(required > 0, required, np.maximum(served, waiting))
    return np.where((required > 0) & unmet | in_contact, level, 0).astype(np.int8)


def counts(district: np.ndarray, n_districts: int, required: np.ndarray, served: np.ndarray,
           waiting: np.ndarray, unmet: np.ndarray) -> dict[str, np.ndarray]:
    """Per-district columns (``COLUMNS``): residents by level needed, received and waited for."""
    per = lambda code: np.bincount(district * len(LEVELS) + code, minlength=n_districts * len(LEVELS)).reshape(-1, len(LEVELS))  # noqa: E731
    need = per(demand_level(required, served, waiting, unmet).astype(np.int64))
    got = per(served.astype(np.int64))
    wait = per(waiting.astype(np.int64))
    out = {}
    for code, name in enumerate(LEVELS):
        if code == 0:
            continue
        out[f"demand_{name}"] = need[:, code]
        out[f"served_{name}"] = got[:, code]
        if name in WAITABLE:
            out[f"waiting_{name}"] = wait[:, code]
    out["demand_total"] = need[:, 1:].sum(axis=1)
    out["served_total"] = got[:, 1:].sum(axis=1)
    return out
