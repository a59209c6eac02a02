"""Changing the levers of a running model (MODEL.md §7): "funding stops now", "capacity cut from now".

``apply_levers(model, config)`` switches a model to ``config``'s levers from its next step on. Only
the lever sections may differ (``interventions``, ``capacity``, ``budget``); everything the model was
built from (districts, behaviour) must be the same (the run keeps its seed), so the run stays one run. The workshop
app warms every scenario up on the same seed without levers and applies each scenario's levers at
year 0 this way, so all scenarios are identical at year 0 whatever the lever.
"""

from __future__ import annotations

import mesa

from abm.config import Config
from abm.config.professionals import ROLE_LEVEL
from abm.core.agents import Professional

LEVER_SECTIONS = ("interventions", "capacity", "budget")
# network-developer fields that only say *when* the team works; any other change re-staffs the team
_TIMING = {"start_year", "end_year"}


def apply_levers(model: mesa.Model, config: Config) -> None:
    """Run ``model`` with ``config``'s levers from the next step on; raises ValueError if more differs."""
    old = model.config
    config = config.model_copy(update={"seed": old.seed})  # the run keeps its own seed
    before = old.model_dump(exclude=set(LEVER_SECTIONS))
    after = config.model_dump(exclude=set(LEVER_SECTIONS))
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if config.interventions.key_facility != old.interventions.key_facility:
        changed.append("interventions.key_facility (it shapes meeting places: set it when building)")
    if changed:
        raise ValueError(f"only the levers ({', '.join(LEVER_SECTIONS)}) can change during a run; "
                         f"these differ: {', '.join(changed)}")
    _swap_config(model, old, config)
    _resize_formal_care(model)
    old_dev = old.interventions.network_developers.model_dump(exclude=_TIMING)
    if config.interventions.network_developers.model_dump(exclude=_TIMING) != old_dev:
        for dev in model.developers():  # the new team is hired at the next step (if funded)
            dev.leave()


def _swap_config(model: mesa.Model, old: Config, new: Config) -> None:
    """The model and every sub-model that keeps the config get the new one."""
    model.config = new
    for part in list(vars(model).values()):
        state = getattr(part, "__dict__", None)
        if isinstance(state, dict):
            for name, value in list(state.items()):
                if value is old:
                    setattr(part, name, new)


def _resize_formal_care(model: mesa.Model) -> None:
    """The care roles get the hours the new budget pays for (formal capacity is the professionals'
    hours, offered each week): per post group (role, pool) the professionals present keep their posts
    with the new hours, posts no longer paid for are left (those professionals go, with their ties),
    new posts are filled by newcomers. Clients above a cut capacity stay until they are discharged."""
    wanted: dict[tuple[str, int], list[tuple[int, float]]] = {}
    for role, home, hours, pool in model.staff.posts(model.care.planned_hours()):
        if ROLE_LEVEL[role] is not None:
            wanted.setdefault((role, pool), []).append((home, hours))
    present: dict[tuple[str, int], list[Professional]] = {}
    for prof in model.agents_by_type.get(Professional, []):
        if prof.level is not None:
            present.setdefault((prof.role, int(model.staff.pool[prof.slot])), []).append(prof)
    for key in wanted.keys() | present.keys():
        posts, staff = wanted.get(key, []), present.get(key, [])
        for prof, (_, hours) in zip(staff, posts):
            prof.hours_per_week = hours
        for prof in staff[len(posts):]:
            prof.leave()
        for home, hours in posts[len(staff):]:
            Professional(model, key[0], home, hours, key[1])
