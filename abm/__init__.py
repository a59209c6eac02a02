"""Buurtkracht: an agent-based model of neighbourhood networks, informal support and formal care."""

from abm.config import Config, ConfigError, load_config
from abm.core.model import MunicipalityModel

__all__ = ["Config", "ConfigError", "MunicipalityModel", "load_config"]
__version__ = "0.1.0"
