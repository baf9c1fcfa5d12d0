"""The installed ``bnpl-stress`` console script, run directories, bad input, atomic saves."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pandas as pd
import pytest

from simulator.config import ConfigError, compose
from simulator.outputs import charts as plots
from simulator.outputs import results as results_mod
from simulator.outputs.results import TABLES, RunResult, is_complete
from simulator.studies.runner import run

SMALL = ["run.n_borrowers=2000", "run.months=12", "run.replicates=2", "run.burn_in=3"]
CONTRACT_COLUMNS = ("replicate", "month", "unemployment_rate", "n_active", "new_defaults",
                    "default_rate", "cum_default_rate", "dpd30_rate", "dpd90_rate", "receivables",
                    "credit_limit", "utilization", "charge_offs", "loss_rate")
SUMMARY_METRICS = ("cum_default_rate", "peak_default_rate", "dpd30_rate_end", "dpd90_rate_end",
                   "loss_rate")
STATS = ("mean", "p05", "p50", "p95")


def _script() -> str:
    # the script installed with this interpreter first (a venv's bin is often not on PATH, and
    # another bnpl-stress on PATH may belong to another installation)
    cand = Path(sys.executable).with_name("bnpl-stress")
    exe = str(cand) if cand.exists() else shutil.which("bnpl-stress")
    assert exe is not None, "the bnpl-stress console script is not installed"
    return exe


def _cli(args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([_script(), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def _summaries(root: Path) -> list[Path]:
    return list(root.rglob("summary.json"))


# --- a successful run ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("cli_ok")
    proc = _cli(SMALL, cwd)
    dirs = [p for p in (cwd / "outputs").glob("*/*") if p.is_dir()] if proc.returncode == 0 else []
    return proc, cwd, dirs


def test_cli_run_exits_zero_and_writes_one_run_directory(cli_run):
    proc, cwd, dirs = cli_run
    assert proc.returncode == 0, proc.stderr
    assert len(dirs) == 1
    d = dirs[0]
    for name in TABLES:
        assert (d / f"{name}.parquet").is_file(), name
    assert (d / "summary.json").is_file()
    charts = list((d / "charts").glob("*.png"))
    assert charts, "no charts written"
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in charts)
    assert not list(d.glob(".incomplete-*"))
    assert is_complete(d)


def test_cli_timeseries_contract(cli_run):
    _, _, dirs = cli_run
    ts = pd.read_parquet(dirs[0] / "timeseries.parquet")
    missing = [c for c in CONTRACT_COLUMNS if c not in ts.columns]
    assert missing == []
    # one row per (replicate, month): 2 replicates × 12 months
    assert len(ts) == 2 * 12
    assert not ts.duplicated(["replicate", "month"]).any()
    assert sorted(ts["replicate"].unique()) == [0, 1]
    for _, g in ts.groupby("replicate"):
        assert sorted(g["month"]) == list(range(12))
    for name in TABLES[1:]:
        t = pd.read_parquet(dirs[0] / f"{name}.parquet")
        assert "replicate" in t.columns, name


def test_cli_summary_contract(cli_run):
    _, _, dirs = cli_run
    summary = json.loads((dirs[0] / "summary.json").read_text())
    for key in ("metrics", "n_borrowers", "months", "replicates", "seed", "version", "config"):
        assert key in summary, key
    for name in SUMMARY_METRICS:
        m = summary["metrics"][name]
        assert set(STATS) <= set(m), name
        assert all(isinstance(m[s], float) for s in STATS)
        assert m["p05"] <= m["p50"] <= m["p95"]
        assert m["p05"] <= m["mean"] <= m["p95"]
    assert summary["n_borrowers"] == 2000 and summary["months"] == 12
    assert summary["replicates"] == 2
    assert summary["seed"] == summary["config"]["run"]["seed"]
    assert summary["config"]["run"]["burn_in"] == 3
    # the summary agrees with the time series it summarises
    ts = pd.read_parquet(dirs[0] / "timeseries.parquet")
    peak = (ts.sort_values("month").groupby("replicate")["default_rate"]
            .apply(lambda r: r.rolling(3).mean().max()).mean())  # peak of the 3-month average
    assert summary["metrics"]["peak_default_rate"]["mean"] == pytest.approx(peak, rel=1e-12)
    end = ts[ts["month"] == 11]["cum_default_rate"].mean()
    assert summary["metrics"]["cum_default_rate"]["mean"] == pytest.approx(end, rel=1e-12)


# --- bad input -------------------------------------------------------------------------------------
BAD = [
    (["run.n_borrowers=-5"], "run.n_borrowers", "-5"),
    (["run.n_borrowers=0"], "run.n_borrowers", "0"),
    (["population.freelance_share=1.5"], "population.freelance_share", "1.5"),
    (["run.foo=1"], "run.foo", "1"),
    (["economy=nope"], "economy", "nope"),
    (["run.n_borrowers=abc"], "run.n_borrowers", "abc"),
    (["run.mode=slow"], "run.mode", "slow"),
    (["-m", "run.seed=1,2", "run.n_borrowers=0"], "run.n_borrowers", "0"),
]


@pytest.mark.parametrize("args, key, value", BAD, ids=[" ".join(b[0]) for b in BAD])
def test_cli_bad_input_stops_with_one_line(tmp_path, args, key, value):
    proc = _cli(args, tmp_path)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert key in lines[0] and value in lines[0], lines[0]
    assert "allowed" in lines[0]
    assert not (tmp_path / "outputs").exists()
    assert not (tmp_path / "multirun").exists()
    assert _summaries(tmp_path) == []


def test_cli_unknown_key_with_plus_is_rejected(tmp_path, tiny_overrides):
    proc = _cli(["+run.foo=1", *tiny_overrides], tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "run.foo" in lines[0] and "unknown key" in lines[0], proc.stderr
    assert _summaries(tmp_path) == []


def test_compose_rejects_bad_values_with_one_line():
    for args, key, value in BAD[:7]:
        with pytest.raises(ConfigError) as exc:
            compose(args)
        msg = str(exc.value)
        assert "\n" not in msg and key in msg and value in msg, msg


# --- atomic save ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_result(compose_tiny) -> RunResult:
    return run(compose_tiny())


def _leftovers(d: Path) -> list[Path]:
    return list(d.glob(".incomplete-*"))


def test_save_and_load_round_trip(tmp_path, small_result):
    out = small_result.save(tmp_path / "run", charts=False)
    assert is_complete(out) and _leftovers(out) == []
    back = RunResult.load(out)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(back, name), getattr(small_result, name),
                                      check_dtype=False)
    assert back.summary["metrics"] == small_result.summary["metrics"]


@pytest.mark.parametrize("fail_on", ["timeseries", "vintages", "causes"])
def test_save_failing_in_a_table_leaves_no_complete_directory(tmp_path, monkeypatch, small_result,
                                                              fail_on):
    out = tmp_path / "run"
    small_result.save(out, charts=False)          # a complete older run in the same place
    assert is_complete(out)
    real = pd.DataFrame.to_parquet

    def flaky(self, path, *a, **kw):
        if Path(path).name == f"{fail_on}.parquet":
            raise OSError("disk full")
        return real(self, path, *a, **kw)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", flaky)
    with pytest.raises(OSError, match="disk full"):
        small_result.save(out, charts=False)
    assert not (out / "summary.json").exists()
    assert not is_complete(out)
    assert _leftovers(out) == []


def test_save_failing_in_the_chart_writer_leaves_no_complete_directory(tmp_path, monkeypatch,
                                                                       small_result):
    def boom(*a, **kw):
        raise RuntimeError("chart writer failed")

    monkeypatch.setattr(plots, "write_charts", boom)
    out = tmp_path / "run"
    with pytest.raises(RuntimeError, match="chart writer failed"):
        small_result.save(out, charts=True)
    assert not (out / "summary.json").exists()
    assert _leftovers(out) == []
    assert not any(out.glob("*.parquet")), "tables moved into place although the save failed"


def test_save_failing_while_writing_summary_leaves_no_summary(tmp_path, monkeypatch, small_result):
    def boom(*a, **kw):
        raise ValueError("cannot serialise")

    monkeypatch.setattr(results_mod.json, "dump", boom)
    out = tmp_path / "run"
    with pytest.raises(ValueError):
        small_result.save(out, charts=False)
    assert not (out / "summary.json").exists() and _leftovers(out) == []


# --- the console scripts -------------------------------------------------------------------------
STUDY_COMMANDS = {"bnpl-stress-validate": "simulator.apps.validate_cli",
                  "bnpl-stress-calibrate": "simulator.apps.calibrate_cli",
                  "bnpl-stress-sensitivity": "simulator.apps.sensitivity_cli"}


@pytest.mark.parametrize("name", sorted(STUDY_COMMANDS))
def test_study_commands_are_apps_entry_points(name):
    scripts = {ep.name: ep for ep in entry_points(group="console_scripts")}
    assert name in scripts, f"{name} is not installed (pip install -e .)"
    ep = scripts[name]
    assert (ep.module, ep.attr) == (STUDY_COMMANDS[name], "main")
    main = ep.load()
    with pytest.raises(SystemExit) as exc:  # --help prints the usage and exits 0 before any run
        main(["--help"])
    assert exc.value.code == 0
