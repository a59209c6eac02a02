"""Check that an optimisation leaves the model's output unchanged: same config + seed, same output.

    python benchmarks/same_output.py save DIR      # before the change: write every case's output to DIR
    python benchmarks/same_output.py compare DIR   # after it: rerun and compare with what DIR holds

Cases (each on two seeds): the workshop app's 1,000-resident district with network developers; four
small districts with every lever of the professionals', cooperatives' and families' scenarios
switched on; the reference municipality scaled to a tenth. Compared per case: the whole output
table (every column, every row, exact equality) and a fingerprint of the final state (the tie list
with strengths, needs, care levels, loneliness). Exit 1 and the first differing column when
anything differs.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEEDS = (1, 2)
SMALL = ",".join(f"{{name: {t}, type: {t}, population: 500}}"
                 for t in ("commuter_village", "traditional_village", "deprived_urban", "storp"))


def _app_config():
    from abm.app.settings import config_for
    from abm.app.text import PRESETS

    settings = PRESETS[0]["settings"].with_(population=1000, years=3)
    return config_for(settings, settings.scenarios[-1])


def _levers_config():
    from abm.config import load_config

    scenarios = ["integrated_local_support", "cooperative_support", "key_facility", "citizen_initiatives",
                 "network_developers_structural", "volunteer_support", "gp_referral"]
    return load_config(None, scenarios, [f"districts=[{SMALL}]", "warmup_years=1", "years=2",
                                         "cooperatives.enabled=true"])


def _reference_tenth():
    from abm.config import load_config

    cfg = load_config(None, [], ["warmup_years=1", "years=2"])
    districts = [d.model_copy(update={"population": round(d.population / 10)}) for d in cfg.districts]
    return cfg.model_copy(update={"districts": districts})


CASES = {"app_1000": _app_config, "all_levers": _levers_config, "reference_tenth": _reference_tenth}


def fingerprint(model) -> str:
    """Hash of the final state: ties (endpoints, strength, kind), needs, care, loneliness."""
    h = hashlib.sha256()
    view = model.ties.view()
    for name in ("a", "b", "strength", "kind"):
        arr = getattr(view, name, None)
        if arr is not None:
            h.update(np.ascontiguousarray(arr).tobytes())
    for arr in (model.needs.kind, model.needs.sev, model.care.level, model.care.waiting, model.pop.loneliness,
                model.pop.age):
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def run_case(name: str, seed: int) -> tuple[pd.DataFrame, str]:
    from abm.core.model import MunicipalityModel

    model = MunicipalityModel(CASES[name](), seed=seed)
    table = model.run()
    return table, fingerprint(model)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), default=sorted(CASES))
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    same = True
    for name in args.only:
        for seed in SEEDS:
            table, state = run_case(name, seed)
            stem = args.folder / f"{name}_seed{seed}"
            if args.action == "save":
                table.to_parquet(stem.with_suffix(".parquet"))
                stem.with_suffix(".state").write_text(state)
                print(f"{name} seed {seed}: saved {len(table)} rows")
                continue
            old = pd.read_parquet(stem.with_suffix(".parquet"))
            old_state = stem.with_suffix(".state").read_text()
            diff = [c for c in old.columns if c not in table.columns or not old[c].equals(table[c])]
            diff += [c for c in table.columns if c not in old.columns]
            ok = not diff and len(old) == len(table) and old_state == state
            same &= ok
            print(f"{name} seed {seed}: {'same' if ok else 'DIFFERENT'}"
                  + (f" (columns {diff[:5]}{'...' if len(diff) > 5 else ''})" if diff else "")
                  + ("" if old_state == state else " (final state differs)"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
