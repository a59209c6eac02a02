"""The social district scan (sociale wijkscan, seed 003 §6.1): a municipality's district figures -> a run config.

A CSV file gives one row per district with the figures a municipality has from CBS ("Kerncijfers
wijken en buurten") and the GGD health monitor (docs/scan.md lists the columns and where each comes
from). ``scan`` types every district with the rules of ``configs/scan/rules.yaml`` (the source's
typology, seed 003 Capita selecta; docs/spec/MODEL.md §3), measures what it can as overrides of the
type's parameters (age structure, turnover, newcomers' share; the municipality's share of
single-person households) and returns the config with the reasons for each choice.
Every problem with the file is one ``ConfigError`` naming row, column, value and what is allowed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import Field, ValidationError, model_validator

from abm.config.base import Strict
from abm.config.errors import ConfigError, _validate, excerpt
from abm.config.loading import configs_dir, default_district_types, resolve
from abm.config.safe_yaml import read_yaml
from abm.config.schema import Config

PCT = Field(ge=0.0, le=100.0)


class ScanRow(Strict):
    """One district's figures; percentages are 0-100 as CBS and the GGD publish them."""

    district: str = Field(min_length=1, max_length=80, description="name of the district (wijk) or village")
    population: int = Field(ge=50, le=1_000_000, description="inhabitants (CBS: Aantal inwoners)")
    urbanity: int = Field(ge=1, le=5, description="CBS Mate van stedelijkheid: 1 very strongly urban .. 5 not urban")
    youth_pct: float = PCT
    elderly_pct: float = PCT
    single_person_households_pct: float = PCT
    moved_in_pct: float = PCT
    migration_background_pct: float = PCT
    low_income_pct: float = PCT
    mean_income_k: float = Field(ge=0.0, le=500.0, description="mean standardised household income, x 1000 euro")
    volunteering_pct: float = PCT
    lonely_pct: float = PCT

    @model_validator(mode="after")
    def _ages(self) -> ScanRow:
        if self.youth_pct + self.elderly_pct >= 100.0:
            raise ValueError(f"youth_pct + elderly_pct = {self.youth_pct + self.elderly_pct:g} must be below 100 "
                             "(the rest are adults 18-64)")
        return self


COLUMNS = tuple(ScanRow.model_fields)


class ScanRules(Strict):
    """Thresholds of the typing rules (configs/scan/rules.yaml; percentages unless named otherwise)."""

    deprived_low_income_pct: float = PCT
    deprived_migration_pct: float = PCT
    deprived_migration_low_income_pct: float = PCT
    affluent_mean_income_k: float = Field(ge=0.0)
    urban_max_urbanity: int = Field(ge=1, le=5)
    rural_min_urbanity: int = Field(ge=1, le=5)
    ageing_elderly_pct: float = PCT
    traditional_max_mobility_pct: float = PCT
    traditional_max_migration_pct: float = PCT
    low_volunteering_pct: float = PCT
    high_loneliness_pct: float = PCT


def load_rules(path: Path | None = None) -> ScanRules:
    return _validate(ScanRules, read_yaml(path or configs_dir() / "scan" / "rules.yaml"), prefix="rules")


@dataclass
class Typed:
    """A district's type and overrides, and why."""

    row: ScanRow
    type: str
    reasons: list[str]
    overrides: dict = field(default_factory=dict)


def district_type(r: ScanRow, k: ScanRules) -> tuple[str, str]:
    """(type, reason) by the rules of configs/scan/rules.yaml, tried in order (docs/scan.md)."""
    if r.low_income_pct >= k.deprived_low_income_pct:
        return "deprived_urban", f"low-income households {r.low_income_pct:g}% >= {k.deprived_low_income_pct:g}%"
    if r.migration_background_pct >= k.deprived_migration_pct and r.low_income_pct >= k.deprived_migration_low_income_pct:
        return "deprived_urban", (f"migration background {r.migration_background_pct:g}% >= {k.deprived_migration_pct:g}% "
                                  f"and low-income households {r.low_income_pct:g}% >= {k.deprived_migration_low_income_pct:g}%")
    rural = r.urbanity >= k.rural_min_urbanity
    if not rural and r.mean_income_k >= k.affluent_mean_income_k:
        return "affluent", f"mean income {r.mean_income_k:g}k >= {k.affluent_mean_income_k:g}k in a ward (urbanity {r.urbanity})"
    if r.urbanity <= k.urban_max_urbanity:
        return "middle_class", f"urban ward (urbanity {r.urbanity} <= {k.urban_max_urbanity}), neither deprived nor affluent"
    place = "village" if rural else "town"
    if rural and r.elderly_pct >= k.ageing_elderly_pct:
        return "residential_village", f"ageing village: 65+ {r.elderly_pct:g}% >= {k.ageing_elderly_pct:g}%"
    if rural and r.moved_in_pct <= k.traditional_max_mobility_pct and r.migration_background_pct <= k.traditional_max_migration_pct:
        return "traditional_village", (f"settled village: moved in {r.moved_in_pct:g}%/yr <= {k.traditional_max_mobility_pct:g}% "
                                       f"and migration background {r.migration_background_pct:g}% <= {k.traditional_max_migration_pct:g}%")
    if r.volunteering_pct < k.low_volunteering_pct:
        return "storp", f"{place} with little participation: volunteering {r.volunteering_pct:g}% < {k.low_volunteering_pct:g}%"
    if r.lonely_pct >= k.high_loneliness_pct:
        return "storp", f"{place} with much isolation: lonely {r.lonely_pct:g}% >= {k.high_loneliness_pct:g}%"
    kind = "commuter_village" if rural else "middle_class"
    return kind, f"{place} with participation: volunteering {r.volunteering_pct:g}% >= {k.low_volunteering_pct:g}%"


def overrides(r: ScanRow, type_params: dict) -> tuple[dict, list[str]]:
    """The type's parameters this row measures: age structure, turnover, newcomers' share."""
    youth, elderly = round(r.youth_pct / 100, 4), round(r.elderly_pct / 100, 4)
    out = {"age_shares": {"youth": youth, "adult": round(1.0 - youth - elderly, 4), "elderly": elderly},
           "turnover_per_year": round(min(r.moved_in_pct / 100, 0.5), 4)}
    notes = [f"age shares from the figures (0-17 {r.youth_pct:g}%, 65+ {r.elderly_pct:g}%)",
             f"turnover {out['turnover_per_year']:g}/yr from moved in {r.moved_in_pct:g}%/yr"]
    migration = r.migration_background_pct / 100
    if migration > type_params["newcomer_share"]:
        out["newcomer_share"] = round(migration, 4)
        notes.append(f"newcomers' group {migration:g} from the migration background (type: {type_params['newcomer_share']:g})")
    return out, notes


def _number(text: str, decimal_comma: bool) -> str:
    return text.replace(",", ".") if decimal_comma else text


def read_rows(path: Path) -> list[ScanRow]:
    """Parse and validate the CSV (comma-separated, or semicolons with decimal commas as Dutch Excel writes)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8") from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise ConfigError(f"{path}: no header and no rows; expected columns {list(COLUMNS)}")
    semicolon = ";" in lines[0] and "," not in lines[0]
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=";" if semicolon else ",")
    header = [h.strip() for h in next(reader)]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or missing or len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        problem = (f"unknown column {excerpt(unknown[0])}" if unknown else
                   f"column {twice[0]!r} appears twice" if twice else f"missing column {missing[0]!r}")
        raise ConfigError(f"{path}: header: {problem}; the columns are {list(COLUMNS)} (docs/scan.md)")
    rows, seen = [], {}
    for n, cells in enumerate(reader, start=2):
        where = f"{path}: row {n}"
        if len(cells) != len(header):
            raise ConfigError(f"{where}: {len(cells)} values for {len(header)} columns")
        record = {h: (c.strip() if h == "district" else _number(c.strip(), semicolon)) for h, c in zip(header, cells)}
        try:
            row = ScanRow.model_validate(record)
        except ValidationError as exc:
            err = exc.errors()[0]
            col = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            if col:
                raise ConfigError(f"{where}, column {col}: value {excerpt(record.get(col))} is not allowed: {msg}") from None
            raise ConfigError(f"{where} (district {excerpt(record['district'])}): {msg}") from None
        if row.district in seen:
            raise ConfigError(f"{where}, column district: {row.district!r} already given in row {seen[row.district]}; "
                              "district names must be unique")
        if row.district == "all":
            raise ConfigError(f"{where}, column district: 'all' is reserved for the municipality row; rename it")
        seen[row.district] = n
        rows.append(row)
    if not rows:
        raise ConfigError(f"{path}: a header but no districts")
    return rows


def scan(path: Path, scale: float = 1.0, rules: ScanRules | None = None) -> tuple[dict, list[Typed], Config]:
    """Read ``path``; returns the config (as data), each district's typing, and the validated config.

    ``scale`` multiplies every district's population (e.g. 0.25 for a quick run of a large municipality).
    """
    if not 0 < scale <= 10:
        raise ConfigError(f"--scale: value {scale:g} is not allowed: use a factor in (0, 10]")
    rules = rules or load_rules()
    rows = read_rows(path)
    types = default_district_types()
    typed, districts = [], []
    for r in rows:
        kind, why = district_type(r, rules)
        extra, notes = overrides(r, types[kind])
        typed.append(Typed(r, kind, [why, *notes], extra))
        districts.append({"name": r.district, "type": kind, "population": max(1, round(r.population * scale)),
                          "overrides": extra})
    data: dict = {"districts": districts}
    residents = sum(r.population for r in rows)
    single = sum(r.population * r.single_person_households_pct for r in rows) / residents / 100
    default_shares = Config.model_fields["residents"].default.household_size_shares
    rest = 1.0 - default_shares[0]
    shares = [round(single, 4)] + [round(s * (1.0 - single) / rest, 4) for s in default_shares[1:]]
    shares[-1] = round(1.0 - sum(shares[:-1]), 4)
    data["residents"] = {"household_size_shares": shares}
    try:
        config = resolve(data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: the scan gives a config that does not validate: {exc}") from None
    return data, typed, config


def config_text(source: Path, data: dict, typed: list[Typed], scale: float) -> str:
    """The config as YAML with the reasons as comments (a file ``abm run --config`` reads)."""
    lines = [f"# Made by `abm scan {source}`" + (f" --scale {scale:g}" if scale != 1 else "") + " (docs/scan.md).",
             "# District types follow configs/scan/rules.yaml (seed 003 typology, docs/spec/MODEL.md §3); every",
             "# other number comes from configs/default.yaml and configs/districts/. Review the types before use.",
             "# Health-monitor loneliness to compare with the run's lonely_share per district:"]
    lines += [f"#   {t.row.district}: {t.row.lonely_pct:g}% lonely" for t in typed]
    lines.append("districts:")
    for t, d in zip(typed, data["districts"]):
        lines += [f"  # {t.type}: " + "; ".join(t.reasons)]
        body = yaml.safe_dump([d], sort_keys=False, allow_unicode=True, default_flow_style=None).splitlines()
        lines += ["  " + ln for ln in body]
    lines.append("# municipality's single-person households (population-weighted), rest as in configs/default.yaml")
    lines += yaml.safe_dump({"residents": data["residents"]}, sort_keys=False, default_flow_style=None).splitlines()
    return "\n".join(lines) + "\n"
