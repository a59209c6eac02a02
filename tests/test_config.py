"""Configuration: defaults, overlays, overrides and error messages that name field, value and rule."""

from __future__ import annotations

import time

import pytest
import yaml

from abm.config import (
    DISTRICT_TYPES,
    ConfigError,
    configs_dir,
    dump_config,
    load_config,
    parse_yaml,
    resolve,
    set_dotted,
)
from abm.config.safe_yaml import ALIAS_NODE_LIMIT


def test_default_is_the_44000_reference_municipality_with_several_district_types():
    cfg = load_config()
    assert sum(d.population for d in cfg.districts) == 44_000
    assert len({d.type for d in cfg.districts}) >= 5
    assert set(cfg.district_types) == set(DISTRICT_TYPES)


def test_every_district_type_file_comments_every_value():
    for t in DISTRICT_TYPES:
        lines = (configs_dir() / "districts" / f"{t}.yaml").read_text(encoding="utf-8").splitlines()
        values = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#") and not ln.startswith("label")]
        uncommented = [ln for ln in values if "#" not in ln]
        assert not uncommented, f"{t}: values without a source or ASSUMPTION comment: {uncommented}"


def test_every_value_of_the_default_config_is_commented():
    """Every number in configs/default.yaml, including those of the mechanisms, carries its source or ASSUMPTION."""
    lines = (configs_dir() / "default.yaml").read_text(encoding="utf-8").splitlines()
    values = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#") and not ln.rstrip().endswith(":")]
    uncommented = [ln for ln in values if "#" not in ln]
    assert not uncommented, f"default.yaml: values without a source or ASSUMPTION comment: {uncommented}"
    markers = ("ASSUMPTION", "docs/spec/MODEL.md", "CBS", "see above", "lever", "not behaviour", "identical output")
    unsourced = [ln for ln in values if not any(m in ln.split("#", 1)[1] for m in markers)]
    assert not unsourced, f"default.yaml: comments that cite no source and say no ASSUMPTION: {unsourced}"


def test_default_yaml_documents_the_schema_defaults():
    """A config that gives only its districts gets the same numbers as configs/default.yaml."""
    cfg = load_config()
    minimal = resolve({"districts": [d.model_dump() for d in cfg.districts]})
    assert minimal == cfg


def _unwritten(resolved, written, path=()):
    """Dotted paths of the leaves of ``resolved`` (a model_dump) that ``written`` (the YAML) does not give."""
    for key, value in resolved.items():
        where = (*path, str(key))
        if not isinstance(written, dict) or key not in written:
            yield ".".join(where)
        elif isinstance(value, dict):
            yield from _unwritten(value, written[key], where)


def test_every_schema_default_is_written_in_default_yaml():
    """Every parameter of the resolved default config is written in configs/default.yaml, where the test above
    makes it carry its source: a parameter added only in the schema (abm/config) would escape that check.
    Districts and district types have their own files (configs/districts/)."""
    resolved = load_config().model_dump(mode="json")
    written = yaml.safe_load((configs_dir() / "default.yaml").read_text(encoding="utf-8"))
    for own_files in ("districts", "district_types"):
        resolved.pop(own_files)
    missing = list(_unwritten(resolved, written))
    assert not missing, f"schema defaults not written (with their source) in configs/default.yaml: {missing}"


def test_overlays_then_overrides_apply_in_order():
    cfg = load_config(scenarios=["network_developers_structural"], overrides=["interventions.network_developers.fte=2.5"])
    assert cfg.interventions.network_developers.fte == 2.5  # --set wins over the scenario
    assert cfg.interventions.network_developers.end_year is None
    project = load_config(scenarios=["network_developers_structural", "network_developers_project"])
    assert project.interventions.network_developers.end_year == 2  # later overlay wins


def test_set_reaches_into_lists_and_parses_yaml_values():
    data = set_dotted({"districts": [{"population": 1}, {"population": 2}]}, "districts.1.population=300")
    assert data["districts"][1]["population"] == 300
    assert set_dotted({}, "a.b=[1, 2]")["a"]["b"] == [1, 2]
    with pytest.raises(ConfigError, match="districts.5"):
        set_dotted({"districts": [{}]}, "districts.5.population=1")
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        set_dotted({}, "years")


@pytest.mark.parametrize(
    "override, words",
    [
        ("years=-1", ["years", "-1", "greater than 0"]),
        ("capacity.specialist_factor=abc", ["capacity.specialist_factor", "abc"]),
        ("districts.0.type=metropolis", ["districts.0.type", "metropolis", "deprived_urban"]),
        ("interventions.network_developers.colour=red", ["interventions.network_developers.colour", "unknown key"]),
        ("interventions.network_developers.end_year=0", ["end_year", "start_year"]),
        ("districts.1.name=Oosterwijk", ["unique", "Oosterwijk"]),
        ("districts.0.population=55", ["districts.0.population", "55", "at least one street of 60"]),
        ("interventions.network_developers.districts=[Atlantis]", ["Atlantis", "unknown districts"]),
    ],
)
def test_bad_values_name_field_value_and_rule(override, words):
    with pytest.raises(ConfigError) as err:
        load_config(overrides=[override])
    for word in words:
        assert word in str(err.value)


def test_district_override_is_validated_with_its_district_name():
    data = yaml.safe_load((configs_dir() / "default.yaml").read_text())
    data["districts"][0]["overrides"] = {"turnover_per_year": 0.9}
    with pytest.raises(ConfigError, match=r"districts\[Oosterwijk\].overrides.turnover_per_year"):
        resolve(data)  # when the config is loaded, not when the model is built
    data["districts"][0]["overrides"] = {"turnover_per_year": 0.3}
    cfg = resolve(data)
    assert cfg.district_params(cfg.districts[0]).turnover_per_year == 0.3
    assert cfg.district_types["deprived_urban"].turnover_per_year != 0.3


def test_resolved_config_round_trips(tmp_path):
    cfg = load_config(scenarios=["gp_referral"], overrides=["seed=9"])
    path = tmp_path / "config.yaml"
    path.write_text(dump_config(cfg))
    assert load_config(path) == cfg


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("years: [1,\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)


def test_readme_column_table_is_the_column_definitions_and_the_two_commands_are_documented():
    from pathlib import Path

    from abm.core.columns import columns_markdown

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert columns_markdown() in readme, "README column table is stale: paste abm.core.columns.columns_markdown()"
    assert 'python -m pip install -e . && abm run' in readme
    assert 'python -m pip install -e ".[test]" && python -m pytest' in readme
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    assert 'python -m pip install -e ".[test]" && python -m pytest' in ci


def test_yaml_aliases_within_the_bound_load_and_a_bomb_is_refused_at_once():
    assert parse_yaml("a: &x {p: 1, q: [1, 2]}\nb: *x\n", "t") == {"a": {"p": 1, "q": [1, 2]}, "b": {"p": 1, "q": [1, 2]}}
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
    started = time.perf_counter()
    with pytest.raises(ConfigError, match=f"aliases expand to more than {ALIAS_NODE_LIMIT:,}"):
        parse_yaml(bomb, "t")
    assert time.perf_counter() - started < 2.0


def test_errors_quote_only_an_excerpt_of_a_large_value():
    data = yaml.safe_load((configs_dir() / "default.yaml").read_text())
    data["bogus"] = {"nested": [list(range(1000))] * 1000}
    with pytest.raises(ConfigError) as err:
        resolve(data)
    assert "bogus: unknown key" in str(err.value) and len(str(err.value)) < 250


def test_one_field_of_one_need_kind_can_be_overridden():
    from abm.config import NeedParams

    cfg = load_config(None, [], ["needs.kinds.social.onset_per_year=0.05"])
    default = NeedParams().kinds
    assert cfg.needs.kinds["social"].onset_per_year == 0.05
    assert cfg.needs.kinds["social"].levels == default["social"].levels  # the rest from the defaults
    assert cfg.needs.kinds["dementia"] == default["dementia"]
    with pytest.raises(ConfigError, match="unknown need kinds"):
        load_config(None, [], ["needs.kinds.gout.onset_per_year=0.1"])
