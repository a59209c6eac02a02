"""Experiments: sweep specifications, the sweep runner and the analysis of sweep results,
replications of one config with intervals, calibration targets and ABC-SMC calibration.

``replicate(config, n, workers)`` (N paired seeds, long table) and ``bands(table, columns)``
(means with 95% intervals) are the Python side of ``abm run --replications N``. They are imported
when first used, so that a light submodule (``abm.experiments.estimate``) does not pull in the model,
scipy and the sweep engines: the CLI checks its input before it loads them.
"""

__all__ = ["bands", "replicate"]


def __getattr__(name: str):
    if name in __all__:
        from abm.experiments import replications

        return getattr(replications, name)
    raise AttributeError(f"module 'abm.experiments' has no attribute {name!r}")
