"""Buurtkracht: an agent-based model of neighbourhood networks, informal support and formal care."""

from abm.config import Config, ConfigError, load_config

__all__ = ["Config", "ConfigError", "MunicipalityModel", "load_config"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """``abm.MunicipalityModel`` imports the model (and mesa) only when used: the CLI starts faster."""
    if name == "MunicipalityModel":
        from abm.core.model import MunicipalityModel

        return MunicipalityModel
    raise AttributeError(f"module 'abm' has no attribute {name!r}")
