"""The CLI as users run it: a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from abm.config import load_config
from abm.core.columns import COLUMNS

SMALL = ["--set", "years=0.5", "--set", "warmup_years=0.2",
         "--set", "districts=[{name: A, type: storp, population: 300}, {name: B, type: affluent, population: 200}]"]


def abm(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "abm.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_run_writes_table_config_and_figure(tmp_path):
    out = tmp_path / "res"
    r = abm("run", *SMALL, "--scenario", "gp_referral", "--seed", "5", "--out", str(out), "--no-progress")
    assert r.returncode == 0, r.stderr
    df = pd.read_parquet(out / "model.parquet")
    assert list(df.columns) == [c.name for c in COLUMNS]
    assert set(df.district) == {"A", "B", "all"}
    assert df.year.min() == 0.0
    resolved = load_config(out / "config.yaml")
    assert resolved.seed == 5 and resolved.interventions.gp_referral.enabled
    assert (out / "summary.png").stat().st_size > 10_000
    assert "lonely adults" in r.stdout and "wrote" in r.stdout
    assert not list(out.glob(".*tmp"))  # atomic writes leave no temporary files


@pytest.mark.parametrize(
    "args, message",
    [
        (["--set", "years=zero"], "years"),
        (["--set", "capacity.specialist_factor=-1"], "capacity.specialist_factor"),
        (["--scenario", "utopia"], "scenario 'utopia' not found"),
        (["--config", "missing.yaml"], "config file not found"),
        (["--set", "interventions.network_developers.fte"], "KEY=VALUE"),
    ],
)
def test_bad_input_exits_nonzero_with_one_line_error(tmp_path, args, message):
    r = abm("run", *args, "--out", str(tmp_path / "x"), "--no-progress")
    assert r.returncode != 0
    lines = [ln for ln in r.stderr.strip().splitlines() if ln]
    assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
    assert message in lines[0]
    assert not (tmp_path / "x" / "model.parquet").exists()


def test_bad_config_file_names_the_field(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml.safe_dump({"districts": [{"name": "A", "type": "storp", "population": 10}]}))
    r = abm("run", "--config", str(cfg), "--out", str(tmp_path / "x"))
    assert r.returncode == 2
    assert "districts.0.population" in r.stderr and "10" in r.stderr


def test_console_script_is_installed():
    r = subprocess.run(["abm", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "run" in r.stdout


def test_app_command_rejects_a_bad_config_with_one_line(tmp_path):
    r = abm("app", "--config", str(tmp_path / "missing.yaml"), "--port", "8799")
    assert r.returncode == 2
    assert r.stderr.strip().startswith("error: config file not found")


@pytest.mark.parametrize("host, words", [
    ("127.0.0.1", None), ("localhost", None), ("::1", None),
    ("0.0.0.0", "every network interface"), ("192.168.1.20", "local network"), ("8.8.8.8", "public address"),
])
def test_host_exposure_names_who_can_reach_the_app(host, words):
    from abm.cli import host_exposure

    said = host_exposure(host)
    assert said is None if words is None else words in said


def test_app_on_every_interface_warns_and_skips_solaras_version_check():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "abm.cli", "app", "--host", "0.0.0.0", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        first = proc.stderr.readline()
        assert first.startswith("warning: --host 0.0.0.0") and "every network interface" in first
        cmdline = Path(f"/proc/{proc.pid}/cmdline")
        deadline = time.time() + 60
        while time.time() < deadline and b"solara" not in cmdline.read_bytes():
            time.sleep(0.1)
        assert b"--no-check-version" in cmdline.read_bytes().split(b"\0")  # the server the CLI became
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_columns_command_lists_each_column_as_defined():
    r = abm("columns")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    names = [ln.split()[0] for ln in lines if ln and not ln.startswith(" ")]
    assert names == [c.name for c in COLUMNS]
    for c in COLUMNS:
        assert f"[{c.unit}] {c.meaning}" in r.stdout and c.how in r.stdout
