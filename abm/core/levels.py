"""Formal care levels (docs/spec/MODEL.md §6) as integer codes, and the output columns that count them.

The level names and their order come from the config layer (``abm.config.LEVELS``); everything
else (codes, ranks, the ``demand_/served_/waiting_<level>`` column lists) is derived here, once.
"""

from __future__ import annotations

import numpy as np

from abm.config import LEVELS

LEVEL = {name: code for code, name in enumerate(LEVELS)}
NONE, LIGHT, INTENSIVE, LONGTERM, CRISIS = (LEVEL[n] for n in ("none", "light", "intensive", "longterm", "crisis"))
# weight of care by level code (none, light, intensive, longterm, crisis): intensive and long-term are equally heavy
RANK = np.array([0, 1, 2, 2, 3])
FORMAL = LEVELS[1:]        # light .. crisis
WAITABLE = LEVELS[1:-1]    # crises are always taken in
DEMAND_COLUMNS = tuple(f"demand_{name}" for name in FORMAL)    # residents who need the level, served or not
SERVED_COLUMNS = tuple(f"served_{name}" for name in FORMAL)    # clients receiving the level
WAITING_COLUMNS = tuple(f"waiting_{name}" for name in WAITABLE)  # residents waiting for the level
