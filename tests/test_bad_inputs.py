"""The bad-input corpus: every file in tests/data/bad_inputs/ is one case, run as users run the CLI.

A case gives the ``command`` (``{tmp}`` is the case's scratch folder, also the working folder), the
``files`` to create first (text as UTF-8; ``{latin1: text}`` for other bytes), the ``expect``ed
fragment of the message and the ``exit`` status. Each must end in one line (two at most) on
stderr starting ``error:``, no traceback, and leave the scratch folder exactly as it was.
Add a case by adding a file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).parent / "data" / "bad_inputs"
CASES = sorted(CORPUS.glob("*.yaml"))
MAX_CHARS = 1000  # a message longer than this is not "one line" any more


def create(tmp: Path, files: dict) -> None:
    for name, content in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            (encoding, text), = content.items()
            path.write_bytes(text.encode(encoding))
        else:
            path.write_text(content, encoding="utf-8")


def snapshot(tmp: Path) -> dict[str, int]:
    return {str(p.relative_to(tmp)): p.stat().st_size for p in sorted(tmp.rglob("*"))}


def test_the_corpus_is_there():
    assert len(CASES) >= 40
    for path in CASES:
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(case) <= {"issue", "command", "files", "expect", "exit", "max_chars"}, path.name
        assert case["command"] and case["expect"] and case["issue"], path.name


def run_case(path: Path, tmp: Path) -> tuple[dict, dict, dict, subprocess.CompletedProcess]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    create(tmp, case.get("files", {}))
    before = snapshot(tmp)
    args = [arg.replace("{tmp}", str(tmp)) for arg in case["command"]]
    r = subprocess.run([sys.executable, "-m", "abm.cli", *args], capture_output=True, text=True, cwd=tmp,
                       timeout=180)
    return case, before, snapshot(tmp), r


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every case run once, as many at a time as there are cores (each is a separate process)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        futures = {p.stem: pool.submit(run_case, p, tmp_path_factory.mktemp(p.stem)) for p in CASES}
        return {name: fut.result() for name, fut in futures.items()}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_input_is_one_line_exit_2_and_leaves_nothing(path, outcomes):
    case, before, after, r = outcomes[path.stem]
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == case["exit"], r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    assert 1 <= len(lines) <= 2 and lines[-1].startswith("error:"), r.stderr[-2000:]
    assert case["expect"] in lines[-1]
    assert len(r.stderr) <= case.get("max_chars", MAX_CHARS), f"{len(r.stderr)} characters"
    assert after == before, "the command left files behind or changed them"
