"""Need tracks and need kinds (docs/spec/MODEL.md §5) as integer codes.

The kind names come from the config layer (``abm.config.NEED_KINDS``); the codes are derived here, once,
apart from ``abm.core.needs``: the output columns (and so a sweep spec's check) use them without loading
the model's compiled kernels.
"""

from __future__ import annotations

from abm.config import NEED_KINDS

TRACKS = ("social", "individual", "multi_problem")
SOCIAL, INDIVIDUAL, MULTI = range(len(TRACKS))
NEED_KIND = {name: code for code, name in enumerate(NEED_KINDS)}
