"""`abm scan`: a social district scan (CSV) becomes a runnable config (docs/scan.md)."""

from __future__ import annotations

import functools
import subprocess
import sys

import pytest

from abm.config import DISTRICT_TYPES, ConfigError, configs_dir, load_config
from abm.config.scan import COLUMNS, district_type, load_rules, read_rows, scan

EXAMPLE = configs_dir() / "scan" / "lindewaard.csv"


@functools.cache
def scanned():
    return scan(EXAMPLE)


def test_the_example_types_every_district_and_measures_its_figures():
    data, typed, config = scanned()
    rows = read_rows(EXAMPLE)
    assert [d.name for d in config.districts] == [r.district for r in rows]
    assert {t.type for t in typed} == set(DISTRICT_TYPES), "the worked example shows every district type"
    for r, d in zip(rows, config.districts):
        params = config.district_params(d)
        assert params.age_shares.youth == pytest.approx(r.youth_pct / 100)
        assert params.age_shares.elderly == pytest.approx(r.elderly_pct / 100)
        assert params.turnover_per_year == pytest.approx(r.moved_in_pct / 100)
        assert d.population == r.population
    single = sum(r.population * r.single_person_households_pct for r in rows) / sum(r.population for r in rows) / 100
    assert config.residents.household_size_shares[0] == pytest.approx(single, abs=1e-4)


def test_each_rule_moves_a_district_to_the_type_the_source_names():
    """Directions, from one middle-of-the-road village row and the thresholds of configs/scan/rules.yaml."""
    k = load_rules()
    village = read_rows(EXAMPLE)[4]  # Beekhuizen: a commuter village
    assert district_type(village, k)[0] == "commuter_village"
    poor = village.model_copy(update={"low_income_pct": k.deprived_low_income_pct})
    assert district_type(poor, k)[0] == "deprived_urban"
    old = village.model_copy(update={"elderly_pct": k.ageing_elderly_pct})
    assert district_type(old, k)[0] == "residential_village"
    settled = village.model_copy(update={"moved_in_pct": k.traditional_max_mobility_pct,
                                         "migration_background_pct": k.traditional_max_migration_pct})
    assert district_type(settled, k)[0] == "traditional_village"
    passive = village.model_copy(update={"volunteering_pct": k.low_volunteering_pct - 1})
    assert district_type(passive, k)[0] == "storp"
    town = village.model_copy(update={"urbanity": k.urban_max_urbanity})
    assert district_type(town, k)[0] == "middle_class"
    rich_town = town.model_copy(update={"mean_income_k": k.affluent_mean_income_k})
    assert district_type(rich_town, k)[0] == "affluent"


def test_scan_writes_a_config_that_abm_run_runs(tmp_path):
    out = tmp_path / "my.yaml"
    r = subprocess.run([sys.executable, "-m", "abm.cli", "scan", str(EXAMPLE), "--out", str(out), "--scale", "0.05"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Oud-Heeze: traditional_village" in r.stdout and "settled village" in r.stdout
    cfg = load_config(out)
    assert len(cfg.districts) == len(read_rows(EXAMPLE))
    r = subprocess.run([sys.executable, "-m", "abm.cli", "run", "--config", str(out), "--set", "years=0.1",
                        "--set", "warmup_years=0", "--no-progress", "--out", str(tmp_path / "run")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "run" / "model.parquet").is_file()


def test_a_malformed_scan_names_row_column_and_value(tmp_path):
    bad = tmp_path / "bad.csv"
    values = ["Noord", "4000", "2", "20", "18", "35", "9", "20", "7", "33", "30", "145"]
    bad.write_text(",".join(COLUMNS) + "\n" + ",".join(values) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"row 2, column lonely_pct: value '145' is not allowed"):
        scan(bad)
    bad.write_text(",".join(COLUMNS) + "\n" + ",".join(values[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="row 2: 11 values for 12 columns"):
        scan(bad)
    bad.write_text(",".join(COLUMNS) + "\n" + ",".join([*values[:-1], "45"]) + "\n" + ",".join([*values[:-1], "45"]),
                   encoding="utf-8")
    with pytest.raises(ConfigError, match="row 3, column district: 'Noord' already given in row 2"):
        scan(bad)


def test_every_rule_threshold_is_commented():
    lines = (configs_dir() / "scan" / "rules.yaml").read_text(encoding="utf-8").splitlines()
    values = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    assert values and all("ASSUMPTION" in ln.split("#", 1)[1] or "CBS" in ln.split("#", 1)[1]
                          for ln in values if "#" in ln) and all("#" in ln for ln in values)
