"""Experiments: sweep specifications, the sweep runner and the analysis of sweep results,
replications of one config with intervals, calibration targets and ABC-SMC calibration.

``replicate(config, n, workers)`` (N paired seeds, long table) and ``bands(table, columns)``
(means with 95% intervals) are the Python side of ``abm run --replications N``.
"""

from abm.experiments.replications import bands, replicate

__all__ = ["bands", "replicate"]
