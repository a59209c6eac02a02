"""Configuration schema of the societal cost ledger and the wellbeing weights (docs/spec/MODEL.md §11).

The values live in ``configs/default.yaml`` (sections ``costs`` and ``wellbeing``), each with its
source; ``abm.config.resolve`` fills them in for configs that do not give their own. Prices are in
euro of the source's price year (KH24: 2022) times ``price_index``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from abm.config.base import Strict
from abm.config.need_kinds import LEVELS, NEED_KINDS

PAYERS = ("municipality", "insurer", "longterm_care")
Payer = Literal[PAYERS]  # type: ignore[valid-type]


class CostItem(Strict):
    """One priced unit (a GP consultation, an hour of district nursing, a nursing-home day)."""

    price: float = Field(ge=0, description="euro per unit (source price year)")
    payer: Payer  # type: ignore[valid-type]
    hospital: bool = Field(False, description="counts in hospital_cost (hospital, emergency department, ambulance)")


class Packages(Strict):
    """Units of each item per occasion: a ``default`` package and packages for particular need kinds."""

    default: dict[str, float] = {}
    by_kind: dict[str, dict[str, float]] = {}

    @model_validator(mode="after")
    def _kinds(self) -> Packages:
        unknown = sorted(set(self.by_kind) - set(NEED_KINDS))
        if unknown:
            raise ValueError(f"by_kind: unknown need kinds {unknown}; known: {list(NEED_KINDS)}")
        for name, pkg in [("default", self.default), *self.by_kind.items()]:
            bad = {k: v for k, v in pkg.items() if v < 0}
            if bad:
                raise ValueError(f"{name}: units must be >= 0, got {bad}")
        return self

    def for_kind(self, kind: str) -> dict[str, float]:
        return self.by_kind.get(kind, self.default)

    def items(self) -> set[str]:
        return set(self.default).union(*[set(p) for p in self.by_kind.values()])


class ResidentialSetting(Strict):
    """Where an admitted resident stays (after leaving the district), how long, at what day price."""

    day_item: str = Field(description="the cost item priced per day of stay")
    mean_stay_days: float = Field(gt=0, description="mean length of stay (stays end at a constant rate)")


class CostParams(Strict):
    """The societal cost ledger: unit prices with payers, care packages per formal level-week,
    emergency care per crisis, residential stays after an admission (docs/spec/MODEL.md §11)."""

    price_index: float = Field(gt=0, description="multiplies every price (source price year to reporting year)")
    items: dict[str, CostItem] = Field(min_length=1)
    level_week: dict[Literal[LEVELS[1:]], Packages] = Field(  # type: ignore[valid-type]
        description="units per client-week at each formal level, by the kind of need that sets the level")
    crisis_event: Packages = Field(description="units per new crisis (emergency and hospital care), by kind")
    gp_visit_item: str
    informal_care_item: str = Field(description="item valuing an hour of informal care (replacement cost)")
    residential: dict[str, ResidentialSetting] = Field(min_length=1)
    admission_setting: dict[str, str] = Field(description="need kind -> residential setting after a crisis admission")

    @model_validator(mode="after")
    def _references(self) -> CostParams:
        missing = set(LEVELS[1:]) - set(self.level_week)
        if missing:
            raise ValueError(f"level_week must give every formal level {list(LEVELS[1:])}; missing {sorted(missing)}")
        used = {self.gp_visit_item, self.informal_care_item} | self.crisis_event.items()
        used |= {s.day_item for s in self.residential.values()}
        for packages in self.level_week.values():
            used |= packages.items()
        unknown = sorted(used - set(self.items))
        if unknown:
            raise ValueError(f"unknown cost items {unknown}; known items: {sorted(self.items)}")
        if set(self.admission_setting) != set(NEED_KINDS):
            raise ValueError(f"admission_setting must map exactly the need kinds {list(NEED_KINDS)}, "
                             f"got {sorted(self.admission_setting)}")
        bad = sorted(set(self.admission_setting.values()) - set(self.residential))
        if bad:
            raise ValueError(f"admission_setting names unknown settings {bad}; known: {sorted(self.residential)}")
        return self


class WellbeingParams(Strict):
    """Utility weights (EQ-5D) for the QALY estimate; decrements are against ``reference_utility``."""

    reference_utility: float = Field(gt=0, le=1, description="utility of a resident without a weighted condition")
    lonely_decrement: float = Field(ge=0, le=1)
    isolation_decrement: float = Field(ge=0, le=1, description="residents with a social need (isolation)")
    dementia_utility: list[float] = Field(min_length=1, description="utility by dementia severity 1, 2, ...")
    carer_utility: float = Field(ge=0, le=1, description="utility of a heavily burdened informal carer")
    residential_utility: dict[str, float | None] = Field(
        description="utility of an admitted resident by setting; null = no published weight (not counted)")

    @model_validator(mode="after")
    def _range(self) -> WellbeingParams:
        bad = [u for u in self.dementia_utility + [u for u in self.residential_utility.values() if u is not None]
               if not 0 <= u <= 1]
        if bad:
            raise ValueError(f"utilities must lie in [0, 1], got {bad}")
        return self
