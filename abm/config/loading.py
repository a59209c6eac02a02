"""Loading a run config: read YAML, apply scenario overlays and overrides, add district types, validate.

``load_config`` reads the base file, deep-merges any scenario overlays and ``key=value`` overrides in
that order, fills in the seven district-type parameter sets from ``configs/districts/`` and validates
the result.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from abm.config.errors import ConfigError, _validate, excerpt
from abm.config.merge import deep_merge, set_dotted
from abm.config.safe_yaml import read_yaml
from abm.config.schema import DISTRICT_TYPES, Config


def configs_dir() -> Path:
    """The folder holding default.yaml, districts/ and scenarios/ (repo checkout or wheel)."""
    package = Path(__file__).resolve().parent.parent  # abm/
    for candidate in (package.parent / "configs", package / "configs"):
        if (candidate / "default.yaml").is_file():
            return candidate
    raise ConfigError(f"cannot find the configs folder next to {package}")


def scenario_path(name: str) -> Path:
    """A scenario by name (configs/scenarios/NAME.yaml) or by path."""
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") and as_path.is_file():
        return as_path
    path = configs_dir() / "scenarios" / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in (configs_dir() / "scenarios").glob("*.yaml"))
        raise ConfigError(f"scenario {excerpt(name)} not found; known scenarios: {known}")
    return path


def default_district_types() -> dict[str, dict]:
    folder = configs_dir() / "districts"
    return {t: read_yaml(folder / f"{t}.yaml") for t in DISTRICT_TYPES}


def default_ledger() -> dict:
    """The cost ledger and wellbeing weights of configs/default.yaml (their one place, with sources)."""
    base = read_yaml(configs_dir() / "default.yaml")
    return {key: base[key] for key in ("costs", "wellbeing")}


def resolve(
    data: dict,
    scenarios: list[str] | tuple[str, ...] = (),
    overrides: list[str] | tuple[str, ...] = (),
) -> Config:
    """Merge scenario overlays and overrides into ``data``, add district types, validate."""
    for name in scenarios:
        data = deep_merge(data, read_yaml(scenario_path(name)))
    for assignment in overrides:
        data = set_dotted(data, assignment)
    data = deep_merge({"district_types": default_district_types(), **default_ledger()}, data)
    return _validate(Config, data)


def load_config(
    path: Path | str | None = None,
    scenarios: list[str] | tuple[str, ...] = (),
    overrides: list[str] | tuple[str, ...] = (),
) -> Config:
    """Load a run config (default: configs/default.yaml) with overlays and overrides applied."""
    base = read_yaml(path if path is not None else configs_dir() / "default.yaml")
    return resolve(base, scenarios, overrides)


def dump_config(config: Config) -> str:
    """The resolved config as YAML: loading it again gives the same config."""
    return yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
