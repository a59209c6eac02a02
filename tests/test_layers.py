"""Architecture rules (CONTRIBUTING.md): imports only go down the layers, and ``abm/core`` holds no
behavioural numbers: every number a mechanism uses comes from the config."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
CORE = ROOT / "abm" / "core"
# numbers that are not behaviour: 0 and 1 (empty, identity, complements), and these, each with why
ALLOWED = {
    ("levels.py", 2): "rank of intensive and long-term care (an ordering, not a rate)",
    ("levels.py", 3): "rank of crisis care (an ordering)",
    ("onset_balance.py", 2): "the integral of an onset that doubles every d years has ln 2 in it",
    ("needs.py", 4): "four random draws per need per week (progression, escalation, de-escalation, recovery)",
    ("needs.py", 2): "the cached leading-need look-up starts at kind -2, a code no need has (never seen yet)",
    ("population.py", 3): "three age groups (youth, adults, elderly; docs/spec/MODEL.md §4)",
    ("agents.py", 2): "rotation needs at least two districts",
    ("formation.py", 2): "a tie has two ends (kin ties per person / 2); two draws of initial strength per resident",
    ("support.py", 1000): "capacity is configured per 1,000 residents",
    ("staff.py", 1000): "case managers' hours are configured per 1,000 residents",
    ("staff.py", 32): "arrays sized by professional slot grow 32 slots at a time (storage)",
    ("outputs.py", 2): "clustering kept as (sum, count) rows",
    ("outputs.py", 7919): "salt of the output-sampling generator's seed",
    ("ties.py", 2): "tie arrays double when full (storage)",
    ("ties.py", 8): "initial tie storage: 8 per resident (storage)",
    ("ties.py", 16): "minimum tie storage (storage)",
    ("tie_kernels.py", 2): "an existing tie is reported as -2 - id (an encoding)",
    ("cooperatives.py", 1000.0): "cooperative thresholds are configured per 1,000 residents",
    ("cooperatives.py", 4421): "salt of the cooperatives' generator seed",
    ("families.py", 3): "three problem codes (none, one side, both sides; seed 003 §7.2)",
    ("families.py", 1000.0): "youth care capacity is configured per 1,000 youth",
    ("families.py", 6173): "salt of the youth generator's seed",
    ("collaboration.py", 2): "a meeting needs two professionals; numpy's pairwise summation halves a range",
    ("collaboration.py", 8): "numpy's pairwise summation keeps eight partial sums (reproduced to the bit)",
    ("collaboration.py", 64): "stack depth of the pairwise summation (a range halves at each level)",
    ("collaboration.py", 128): "numpy's pairwise summation sums blocks of up to 128 directly",
    ("trust.py", 2): "a tie has two ends (a referral over it either way)",
}


def _numbers(path: Path):
    """(line, value) of each numeric literal in ``path`` outside subscripts (indices) and docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):  # x[2], x[:, 1]: indices
            skip.update(id(n) for n in ast.walk(node.slice))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and type(node.value) in (int, float) and id(node) not in skip
                and node.value not in (0, 1)):
            yield node.lineno, node.value


def test_core_has_no_behavioural_literals():
    found = []
    for path in sorted(CORE.glob("*.py")):
        for line, value in _numbers(path):
            if (path.name, value) not in ALLOWED:
                found.append(f"abm/core/{path.name}:{line}: {value!r}")
    assert not found, "numbers in abm/core that belong in the config (or in ALLOWED with a reason):\n" + "\n".join(found)


def test_the_literal_search_finds_a_planted_number(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("def f(x):\n    return x[2] * 0.5 + 1\n")
    assert list(_numbers(planted)) == [(2, 0.5)]


LAYERS = ["config", "core", "experiments", "app"]  # bottom to top; cli.py and figures.py sit on top


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_imports_only_go_down_the_layers():
    wrong = []
    for i, layer in enumerate(LAYERS):
        higher = tuple(f"abm.{name}" for name in LAYERS[i + 1:]) + ("abm.cli", "abm.figures")
        for path in (ROOT / "abm" / layer).glob("*.py"):
            wrong += [f"abm/{layer}/{path.name} imports {m}" for m in _imports(path) if m.startswith(higher)]
    assert not wrong, wrong


def test_no_core_module_imports_the_model_back():
    back = [p.name for p in CORE.glob("*.py") if p.name != "model.py" and "abm.core.model" in _imports(p)]
    assert not back, back
