"""Configuration: schema (pydantic v2), loading, scenario overlays and dotted overrides.

A run is described by one YAML document. ``load_config`` reads the base file, deep-merges any
scenario overlays and ``key=value`` overrides in that order, fills in the seven district-type
parameter sets from ``configs/districts/`` and validates the result. Every error names the field,
the bad value and what is allowed. Where each default comes from is documented in docs/ODD.md.

Modules: ``schema`` (the pydantic models), ``loading`` (YAML files, scenarios, district types),
``merge`` (overlays and dotted overrides), ``safe_yaml`` (bounded YAML parsing),
``errors`` (ConfigError and error formatting),
``need_kinds`` (the needs section), ``ledger`` (cost prices and utility weights).
"""

from abm.config.errors import ConfigError, _format_error, _validate, excerpt
from abm.config.ledger import PAYERS, CostParams, WellbeingParams
from abm.config.loading import (
    configs_dir,
    default_district_types,
    dump_config,
    load_config,
    resolve,
    scenario_path,
)
from abm.config.merge import deep_merge, set_dotted
from abm.config.need_kinds import LEVELS, NEED_KINDS, NeedKind, NeedParams
from abm.config.safe_yaml import parse_yaml, read_yaml
from abm.config.schema import (
    DISTRICT_TYPES,
    TIE_KINDS,
    AgeShares,
    Budget,
    Capacity,
    Config,
    Demography,
    District,
    DistrictTypeParams,
    GPReferral,
    HelpParams,
    Interventions,
    KeyFacility,
    LonelinessParams,
    NetworkDevelopers,
    Output,
    Residents,
    Rotation,
    Status,
    TieParams,
    VolunteerSupport,
)

__all__ = [
    "DISTRICT_TYPES", "TIE_KINDS", "LEVELS", "NEED_KINDS", "AgeShares", "Budget", "Capacity", "Config", "ConfigError",
    "CostParams", "Demography", "District", "DistrictTypeParams", "GPReferral", "HelpParams", "Interventions",
    "KeyFacility", "LonelinessParams", "NeedKind", "NeedParams", "NetworkDevelopers", "Output", "PAYERS", "Residents", "Rotation", "Status",
    "TieParams", "VolunteerSupport", "WellbeingParams", "_format_error", "_validate", "configs_dir", "deep_merge",
    "default_district_types", "dump_config", "excerpt", "load_config", "parse_yaml", "read_yaml", "resolve", "scenario_path", "set_dotted",
]
