"""Calibration table: the default run against the published figures of MODEL.md §10-11.

    python -m abm.experiments.care_calibration --seeds 3 [--years 10] [--quarter] [--set KEY=VALUE] [--out FILE]

Runs the default configuration for each seed (in parallel processes where available), measures
informal care (with the carers' hours by age and their spread, and the co-resident carers among
them), carer burden, loneliness and its contagion gradient over the last year of the run, and prints
a Markdown table: model mean with a 95% interval over seeds (t distribution), target, source.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from scipy import stats

from abm.config import load_config
from abm.core import loneliness
from abm.core.needs import INDIVIDUAL, MULTI, NEED_KIND, SOCIAL
from abm.experiments.measures import contagion_gradient
from abm.experiments.targets import partnered_adults, trait_variance_share

TYPES = ("deprived_urban", "middle_class", "affluent", "commuter_village", "storp", "traditional_village", "residential_village")
QUARTER = "districts=[" + ", ".join(f"{{name: {t}, type: {t}, population: 1500}}" for t in TYPES) + "]"
"""A quarter-size municipality: one district of 1,500 of each type (about 2 minutes per seed and 10 years)."""

AGE_BANDS = ((16, 65), (65, 75), (75, 85), (85, None))
"""Carers' age bands of CBS 2013's hours by age (years; None: no upper bound)."""
HOUR_BANDS = (0.0, 4.0, 12.0, 21.0, np.inf)
"""Hours a week of CBS 2009's distribution of care hours (carers of working age)."""
PARTNER_AGE_GAP = 10.0
"""Years: a co-resident carer this close in age to their client counts as of an age (a diagnostic, not behaviour)."""

# name: (target text, source)
TARGETS = {
    "carers (CBS definition), share of 16+": ("12.9%", "CBS 2024 (MODEL.md §11)"),
    "carers in the past year (broad), share of 16+": ("35% (32% in 2016)", "SCP 2019 (MODEL.md §11)"),
    "heavy carers (> 8 h/week), share of carers": ("none published; 38-71% by CBS 2009's spread (rows below)", "SCP's 19% is on its broad base (next row), not this one (docs/ODD.md 'Co-resident care')"),
    "heavy carers (> 8 h/week), share of carers in the past year": ("19%", "SCP 2019 (MODEL.md §11): SCP's Enquete Informele Zorg, broad definition (Staat van Volksgezondheid en Zorg, kerncijfer 'Mantelzorg: duur en intensiteit')"),
    "heavy carers (> 8 h/week), share of 16+": ("6.65% (35% x 19%)", "configs/calibration/targets.yaml (broad base)"),
    "mean care hours per carer": ("11.1 h/week", "CBS 2024 (MODEL.md §11)"),
    "informal care hours per person 16+ (h/week)": ("1.43 (12.9% x 11.1)", "CBS 2024 (MODEL.md §11); CBS carers' hours"),
    "severely burdened, share of carers": ("8.5%", "SCP 2016 (MODEL.md §11)"),
    "severely burdened, share of carers in the past year": ("8.5%", "SCP 2016 (MODEL.md §11), if SCP's base is the broad one"),
    "moderately burdened, share of carers": ("31.6%", "SCP 2016 (MODEL.md §11)"),
    "mean care hours per carer aged 16-65": ("8-11 h/week", "CBS 2013 (Gezondheidsmonitor 2012; CBS news 2013/17)"),
    "mean care hours per carer aged 65-75": ("14 h/week", "idem"),
    "mean care hours per carer aged 75-85": ("", "idem (not given)"),
    "mean care hours per carer aged 85+": ("24 h/week", "idem: older carers mostly care for their partner (CBS 2010)"),
    "co-resident carers (a member of the client's household), share of carers": ("", "diagnostic: no figure at hand"),
    "mean care hours per co-resident carer": ("", "diagnostic"),
    "mean care hours per carer outside the client's household": ("", "diagnostic"),
    "co-resident carers within 10 years of their client's age, share": ("", "diagnostic: partners are mostly of an age; the model's households group neighbouring slots of any age (docs/ODD.md 'Co-resident care')"),
    "carers aged 16-65 giving < 4 h/week, share": ("33%", "CBS news 2010/38 (2009: 15-65-year-olds caring for chronically ill or disabled relatives)"),
    "carers aged 16-65 giving 4-12 h/week, share": ("33%", "idem"),
    "carers aged 16-65 giving 12-21 h/week, share": ("19%", "idem"),
    "carers aged 16-65 giving 21+ h/week, share": ("19%", "idem"),
    "lonely adults (score >= 3)": ("46.6% (2020); 48.6% (2022)", "Gezondheidsmonitor (MODEL.md §10-11)"),
    "severely lonely adults (score >= 9)": ("11.0% (2020); 14.2% (2022)", "Gezondheidsmonitor (MODEL.md §10-11)"),
    "lonely 75+": ("56%", "Gezondheidsmonitor 2020 (MODEL.md §10)"),
    "severely lonely 75+": ("12%", "Gezondheidsmonitor 2020 (MODEL.md §10)"),
    "severely lonely adults living alone": ("14% (15+, 2019); 16% without a partner elsewhere", "CBS Sociale samenhang en welzijn 2019 ('sterk eenzaam'; 9% of all 15+)"),
    "severely lonely adults with a partner at home": ("5-6% (couples, 2017)", "CBS Sociale samenhang en welzijn 2017 ('sterk eenzaam'; 7% of all 15+)"),
    "severely lonely partners of residents with dementia": ("17.7%", "carers of people with mild-moderate dementia, Victor et al. 2021 (IDEAL, UK)"),
    "contagion risk ratio, distance 1": ("1.52", "Cacioppo, Fowler & Christakis 2009 (MODEL.md §10)"),
    "contagion risk ratio, distance 2": ("1.25", "idem"),
    "contagion risk ratio, distance 3": ("1.15", "idem"),
    "contagion risk ratio over close ties, distance 1": ("1.52", "idem; close ties (strength >= ties.durable_strength), nearer Framingham's few named contacts"),
    "contagion risk ratio over close ties, distance 2": ("1.25", "idem"),
    "contagion risk ratio over close ties, distance 3": ("1.15", "idem"),
    "trait share of the loneliness score's variance": ("48% (40-48%)", "heritability of loneliness in Dutch adult twins, Boomsma et al. 2005 (40%: Boomsma et al. 2006); configs/calibration/targets.yaml"),
    "residents with a social need": ("largest of the three groups (not met: sized on severe loneliness, docs/ODD.md)", "MODEL.md §5"),
    "adults with a social need": ("11.0% (2020); 14.2% (2022): severely lonely adults", "Gezondheidsmonitor (MODEL.md §10-11): the socially isolated, first of MODEL.md §5's social needs"),
    "residents with an individual condition": ("", "MODEL.md §5"),
    "residents with a multi-problem": ("smallest group", "MODEL.md §5"),
}


def measure(seed: int, years: float | None = None, sample_weeks: int = 13, overrides: tuple[str, ...] = ()) -> dict[str, float]:
    """One default run (with dotted ``overrides``); figures averaged over ``sample_weeks`` weeks
    spread over its last year."""
    from abm.core.model import MunicipalityModel

    overrides = [f"seed={seed}"] + ([f"years={years}"] if years is not None else []) + list(overrides)
    model = MunicipalityModel(load_config(overrides=overrides))
    total = model.total_steps
    when = set(np.linspace(total - 52, total, sample_weeks, dtype=int).tolist())
    rows = []
    while model.steps < total:
        model.step()
        if model.steps in when:
            rows.append(snapshot(model))
    out = {k: float(np.nanmean([r[k] for r in rows])) for k in rows[0]}
    pop, view = model.pop, model.ties.view()
    adult = pop.age >= model.config.demography.adult_age
    close = view.at_least(model.config.ties.durable_strength)
    for label, ties in (("", slice(None)), (" over close ties", close)):
        grad = contagion_gradient(view.u[ties], view.v[ties], pop.lonely(), adult, rng=np.random.default_rng([seed, 1]))
        for d, g in enumerate(grad, start=1):
            out[f"contagion risk ratio{label}, distance {d}"] = float(g)
    out["trait share of the loneliness score's variance"] = trait_variance_share(model)
    return out


def snapshot(model) -> dict[str, float]:
    """This week's figures of one model (shares as fractions)."""
    pop, c, f, needs = model.pop, model.carers, model.care_flow, model.needs
    age, step = pop.age, model.steps
    over16 = age >= model.config.care.min_age
    adult = age >= model.config.demography.adult_age
    old = age >= model.config.demography.old_age
    carers = c.carers(age, f.mantelzorg)
    broad = c.broad(age, step)
    n_car, n_broad = max(int(carers.sum()), 1), max(int(broad.sum()), 1)  # MODEL.md §11 leaves SCP's base open: both
    hours, carer_age = f.mantelzorg[carers], age[carers]
    by_age = {f"aged {lo}-{hi}" if hi else f"aged {lo}+": hours[(carer_age >= lo) & (carer_age < (hi or np.inf))]
              for lo, hi in AGE_BANDS}
    helper, client, _ = c._pairs
    home = pop.household[helper] == pop.household[client]
    coresident = np.zeros(len(age), dtype=bool)
    coresident[helper[home]] = True
    co, out = carers & coresident, carers & ~coresident
    near = np.zeros(len(age), dtype=bool)  # a co-resident client within 10 years of age
    near[helper[home & (np.abs(age[helper] - age[client]) < PARTNER_AGE_GAP)]] = True
    working_age = hours[carer_age < AGE_BANDS[0][1]]
    spread = np.histogram(working_age, HOUR_BANDS)[0] / max(len(working_age), 1)
    lonely, severe = pop.lonely(), pop.severely_lonely()
    view = model.ties.view()
    partnered = partnered_adults(model)
    demented = (needs.kind[INDIVIDUAL] == NEED_KIND["dementia"]) & (needs.sev[INDIVIDUAL] > 0)
    dementia_partner = loneliness.partners(model.config, pop, view, demented) & ~demented & adult
    alone = (np.bincount(pop.household) == 1)[pop.household] & adult
    return {
        "carers (CBS definition), share of 16+": carers.sum() / over16.sum(),
        "carers in the past year (broad), share of 16+": broad.sum() / over16.sum(),
        "heavy carers (> 8 h/week), share of carers": c.heavy(age, f.mantelzorg).sum() / n_car,
        "heavy carers (> 8 h/week), share of carers in the past year": c.heavy(age, f.mantelzorg).sum() / n_broad,
        "heavy carers (> 8 h/week), share of 16+": c.heavy(age, f.mantelzorg).sum() / over16.sum(),
        "mean care hours per carer": float(f.mantelzorg[carers].mean()) if carers.any() else 0.0,
        "informal care hours per person 16+ (h/week)": float(f.mantelzorg[carers].sum() / over16.sum()),
        "severely burdened, share of carers": c.overburdened(age, f.mantelzorg).sum() / n_car,
        "severely burdened, share of carers in the past year": c.overburdened(age, f.mantelzorg).sum() / n_broad,
        "moderately burdened, share of carers": c.moderately_burdened(age, f.mantelzorg).sum() / n_car,
        **{f"mean care hours per carer {band}": float(h.mean()) if len(h) else np.nan for band, h in by_age.items()},
        "co-resident carers (a member of the client's household), share of carers": co.sum() / n_car,
        "mean care hours per co-resident carer": float(f.mantelzorg[co].mean()) if co.any() else np.nan,
        "mean care hours per carer outside the client's household": float(f.mantelzorg[out].mean()) if out.any() else np.nan,
        "co-resident carers within 10 years of their client's age, share": (co & near).sum() / max(int(co.sum()), 1),
        **{f"carers aged 16-65 giving {name} h/week, share": x for name, x in zip(("< 4", "4-12", "12-21", "21+"), spread)},
        "lonely adults (score >= 3)": lonely[adult].mean(),
        "severely lonely adults (score >= 9)": severe[adult].mean(),
        "lonely 75+": lonely[old].mean(),
        "severely lonely 75+": severe[old].mean(),
        "severely lonely adults living alone": severe[alone].mean(),
        "severely lonely adults with a partner at home": severe[partnered].mean(),
        "severely lonely partners of residents with dementia": severe[dementia_partner].mean() if dementia_partner.any() else np.nan,
        "residents with a social need": (needs.sev[SOCIAL] > 0).mean(),
        "adults with a social need": (needs.sev[SOCIAL, adult] > 0).mean(),
        "residents with an individual condition": (needs.sev[INDIVIDUAL] > 0).mean(),
        "residents with a multi-problem": (needs.sev[MULTI] > 0).mean(),
    }


def interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and 95% interval over seeds (t distribution)."""
    x = np.asarray(values, dtype=float)
    m = float(x.mean())
    if len(x) < 2:
        return m, m, m
    half = float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
    return m, m - half, m + half


def table(results: list[dict[str, float]]) -> str:
    lines = ["| quantity | model: mean [95% interval] | target | source |", "|---|---|---|---|"]
    for name, (target, source) in TARGETS.items():
        m, lo, hi = interval([r[name] for r in results])
        share = "share" in name or name.startswith(("lonely", "severely lonely", "residents", "adults"))
        fmt = (lambda x: f"{100 * x:.1f}%") if share else (lambda x: f"{x:.2f}")
        lines.append(f"| {name} | {fmt(m)} [{fmt(lo)}, {fmt(hi)}] | {target} | {source} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--years", type=float, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=None)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config value (repeatable)")
    ap.add_argument("--quarter", action="store_true", help="seven districts of 1,500 (one per type) instead of the default's")
    a = ap.parse_args(argv)
    seeds = list(range(a.first_seed, a.first_seed + a.seeds))
    overrides = tuple(([QUARTER] if a.quarter else []) + a.set)
    with ProcessPoolExecutor(max_workers=a.workers) as pool:
        results = list(pool.map(measure, seeds, [a.years] * len(seeds), [13] * len(seeds), [overrides] * len(seeds)))
    config = "seven districts of 1,500" if a.quarter else "default configuration"
    text = f"Seeds {seeds}; {config}" + (f", {a.years} years" if a.years else "") + (f", {list(a.set)}" if a.set else "") + ".\n\n" + table(results)
    print(text)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
