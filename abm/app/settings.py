"""What the room can set: the district (changing it rebuilds the runs) and up to three scenarios of
levers (changing one acts from the current week on), plus how settings travel in a link and a file.

A scenario's levers act from year 0, after a warm-up that all scenarios share (see
``abm.core.levers``), so every scenario is identical at year 0 whatever its levers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from urllib.parse import parse_qsl, urlencode

import numpy as np

from abm.config import DISTRICT_TYPES, Config, load_config

DISTRICT = "wijk"
MAX_SCENARIOS = 3
SCENARIO_NAMES = ("A", "B", "C")


@dataclass(frozen=True)
class Levers:
    """One scenario's levers (MODEL.md §7)."""

    developers_fte: float = 0.0
    funding_years: float | None = None  # developers funded from year 0 to this year; None = structural
    gp_referral: bool = False
    volunteer_support: float = 1.0
    specialist_capacity: float = 1.0
    front_line_budget: float = 1.0

    def with_(self, **changes) -> Levers:
        return replace(self, **changes)


@dataclass(frozen=True)
class Settings:
    """The district, the ensemble and the scenarios (the first is the reference of every difference)."""

    district_type: str = "deprived_urban"
    population: int = 1000
    seed: int = 1
    runs: int = 6  # paired seeds per scenario
    years: float = 10.0
    warmup_years: float = 1.0
    scenarios: tuple[Levers, ...] = (Levers(), Levers(developers_fte=1.0))

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def with_lever(self, k: int, **changes) -> Settings:
        scen = list(self.scenarios)
        scen[k] = scen[k].with_(**changes)
        return replace(self, scenarios=tuple(scen))

    def structure(self) -> tuple:
        """What a change of requires new runs (everything but the levers)."""
        return (self.district_type, self.population, self.seed, self.runs, self.years, self.warmup_years,
                len(self.scenarios))


# (min, max, step) of every number the room sets; the app's controls and the link/file checks use them
BOUNDS: dict[str, tuple[float, float, float]] = {
    "population": (50, 5000, 50),
    "seed": (1, 999, 1),
    "runs": (2, 10, 1),
    "years": (1, 10, 1),
    "developers_fte": (0, 5, 0.5),
    "funding_years": (0, 10, 1),  # a project ends at this year (a stop during play: the current year)
    "volunteer_support": (0, 3, 0.25),
    "specialist_capacity": (0, 1.5, 0.1),
    "front_line_budget": (0, 1.5, 0.1),
}


@dataclass(frozen=True)
class Problem:
    """A setting that cannot be used: the field, the value and what is allowed (numbers, no words:
    the app words it in the room's language)."""

    field: str
    value: object
    low: float | None = None
    high: float | None = None
    choices: tuple = ()


def street_size(district_type: str, base: str | None = None) -> int:
    return load_config(base).district_types[district_type].street_size


def check(settings: Settings, base: str | None = None) -> list[Problem]:
    """Problems with ``settings`` (empty: they can be built)."""
    out: list[Problem] = []
    if settings.district_type not in DISTRICT_TYPES:
        return [Problem("district_type", settings.district_type, choices=tuple(DISTRICT_TYPES))]
    low = street_size(settings.district_type, base)  # a district holds at least one street
    if not low <= settings.population <= BOUNDS["population"][1]:
        out.append(Problem("population", settings.population, low, BOUNDS["population"][1]))
    for name in ("seed", "runs", "years"):
        lo, hi, _ = BOUNDS[name]
        if not lo <= getattr(settings, name) <= hi:
            out.append(Problem(name, getattr(settings, name), lo, hi))
    if not 1 <= len(settings.scenarios) <= MAX_SCENARIOS:
        out.append(Problem("scenarios", len(settings.scenarios), 1, MAX_SCENARIOS))
    for lev in settings.scenarios:
        for f in fields(Levers):
            value = getattr(lev, f.name)
            if f.name in BOUNDS and value is not None and not isinstance(value, bool):
                lo, hi, _ = BOUNDS[f.name]
                if not lo <= value <= hi:
                    out.append(Problem(f.name, value, lo, hi))
    return out


def base_overrides(settings: Settings) -> list[str]:
    return [
        f"districts=[{{name: {DISTRICT}, type: {settings.district_type}, population: {int(settings.population)}}}]",
        f"years={settings.years}", f"warmup_years={settings.warmup_years}", "output.clustering_sample=40",
    ]


def lever_overrides(lev: Levers) -> list[str]:
    end = "null" if lev.funding_years is None else lev.funding_years
    return [
        f"interventions.network_developers.fte={lev.developers_fte}",
        f"interventions.network_developers.end_year={end}",
        "interventions.network_developers.rotation.rule=stay",
        f"interventions.gp_referral.enabled={str(lev.gp_referral).lower()}",
        f"interventions.volunteer_support.factor={lev.volunteer_support}",
        f"capacity.specialist_factor={lev.specialist_capacity}",
        f"budget.front_line_factor={lev.front_line_budget}",
    ]


def config_for(settings: Settings, levers: Levers | None = None, base: str | None = None) -> Config:
    """The run config of the district; ``levers=None`` gives today's situation (the warm-up's)."""
    return load_config(base, overrides=base_overrides(settings) + lever_overrides(levers or Levers()))


def seeds(settings: Settings) -> list[int]:
    """The ensemble's paired seeds: the same for every scenario, derived from the room's seed."""
    ss = np.random.SeedSequence(int(settings.seed))
    return [int(s.generate_state(1)[0] % 2**31) for s in ss.spawn(settings.runs)]


# ---------------------------------------------------------------- links and session files

_SHORT = {"developers_fte": "fte", "funding_years": "funding", "gp_referral": "gp", "volunteer_support": "volunteers",
          "specialist_capacity": "specialist", "front_line_budget": "frontline"}


def to_dict(settings: Settings) -> dict:
    d = asdict(settings)
    d["scenarios"] = [asdict(lev) for lev in settings.scenarios]
    return d


def from_dict(data: dict) -> Settings:
    """Settings from a dict (a session file); unknown keys raise KeyError, wrong types ValueError."""
    data = dict(data)
    scen = data.pop("scenarios", None)
    known = {f.name for f in fields(Settings)} - {"scenarios"}
    unknown = set(data) - known
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    kwargs = {k: _typed(Settings, k, v) for k, v in data.items()}
    if scen is not None:
        kwargs["scenarios"] = tuple(Levers(**{k: _typed(Levers, k, v) for k, v in s.items()}) for s in scen)
    return Settings(**kwargs)


def _typed(cls, name: str, value):
    default = next(f.default for f in fields(cls) if f.name == name)
    if value is None or isinstance(value, str) and value in ("", "none", "null"):
        if name == "funding_years":
            return None
        raise ValueError(f"{name}: a value is needed")
    if isinstance(default, bool):
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "ja")
    if isinstance(default, int) and not isinstance(default, bool):
        return int(float(value))
    if isinstance(default, float) or default is None:
        return float(value)
    return str(value)


def to_json(settings: Settings, lang: str) -> str:
    return json.dumps({"buurtkracht_session": 1, "lang": lang, "settings": to_dict(settings)}, indent=2)


def from_json(text: str) -> tuple[Settings, str]:
    data = json.loads(text)
    if not isinstance(data, dict) or "settings" not in data:
        raise ValueError("not a Buurtkracht session file")
    return from_dict(data["settings"]), str(data.get("lang", "nl"))


def _text(value) -> str:
    if isinstance(value, bool) or value is None:
        return "none" if value is None else str(value).lower()
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def to_query(settings: Settings, lang: str) -> str:
    """A link's query string: only what differs from the defaults, short names (``b.fte=1``)."""
    default = Settings()
    q: dict[str, str] = {}
    for f in fields(Settings):
        if f.name != "scenarios" and getattr(settings, f.name) != getattr(default, f.name):
            q[f.name] = _text(getattr(settings, f.name))
    q["n"] = str(len(settings.scenarios))
    for name, lev in zip(SCENARIO_NAMES, settings.scenarios):
        for f in fields(Levers):
            value = getattr(lev, f.name)
            if value != f.default:
                q[f"{name.lower()}.{_SHORT[f.name]}"] = _text(value)
    if lang != "nl":
        q["lang"] = lang
    return urlencode(q)


def from_query(query: str) -> tuple[Settings, str]:
    """Settings from a link's query string; raises KeyError/ValueError on what it cannot read."""
    q = dict(parse_qsl(query or ""))
    lang = q.pop("lang", "nl")
    explicit = "n" in q
    n = int(q.pop("n", len(Settings().scenarios)))
    if not 1 <= n <= MAX_SCENARIOS:
        raise ValueError(f"n: {n}")
    long = {v: k for k, v in _SHORT.items()}
    scen: list[dict] = [{} for _ in range(n)]
    top: dict = {}
    for key, value in q.items():
        if "." in key:
            name, short = key.split(".", 1)
            k = SCENARIO_NAMES.index(name.upper()) if name.upper() in SCENARIO_NAMES else -1
            if k < 0 or k >= n or short not in long:
                raise KeyError(key)
            scen[k][long[short]] = value
        else:
            top[key] = value
    data = {**top, "scenarios": scen}
    if not explicit:  # a hand-made link without scenarios: the default ones
        data.pop("scenarios")
    return from_dict(data), lang if lang in ("nl", "en") else "nl"
