"""Replays every bad input and interruption listed in issue 13 and asserts the promised outcome.

Each input is one entry of :data:`REPLAYED` (the issue's list, numbered in order); a test names
the entries it covers. In-process calls are used where the promise is about a function (a
message, a check done before work), subprocesses where it is about the command (exit code, the
one line on stderr, the folders left behind). Sizes are tiny (300 borrowers, 3 months).

Count: all 44 inputs the issue lists are replayed, plus 2 added (the last two entries). The
SIGTERM/SIGKILL-during-save leftover is replayed by leaving an ``.incomplete-*`` folder as a
killed save does.

Exit codes (``simulator.apps.errors``): 0 ok, 1 a validation check failed, 2 bad input,
3 outputs could not be written, 130 interrupted (SIGINT), 143 terminated (SIGTERM).
"""

from __future__ import annotations

import errno
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulator.apps import calibrate_cli, cli, report_cli, sensitivity_cli, validate_cli
from simulator.apps.errors import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_SIGINT,
    EXIT_SIGTERM,
    EXIT_WRITE_FAILED,
    INTERRUPTED,
    guarded,
)
from simulator.apps.sweep_callback import SweepSummaryCallback
from simulator.config import ConfigError, compose, precheck
from simulator.outputs.io import staged_dir
from simulator.outputs.rundir import claim_run_dir
from simulator.outputs.sweep import collect_sweep, sweep_command
from simulator.studies.runner import run_scenario

TINY = ["run.n_borrowers=300", "run.months=3", "run.burn_in=1", "run.replicates=1", "run.charts=false",
        "run.progress=off"]

#: The inputs of issue 13, in the order listed there (the closing note counts them).
REPLAYED = [
    "reused sweep folder: a later, interrupted start rewrote a job's .hydra (labels vs numbers)",
    "reused single run folder with another seed (report settings and reproduce command)",
    "stale runs of an earlier sweep mix into a later sweep (summary, reproduce command)",
    "money from nowhere: essential prices 1x / 10x / 1e6x (tests/test_conservation_property.py)",
    "overflow: population.income_median=4e38",
    "overflow: population.income_median=1e300",
    "overflow: a huge platform.max_line",
    "empty book: run.n_borrowers=50 initial_applicant_share=0 arrival_rate=0 (rates NaN, report says so)",
    "unemployment_rate = 0 in a CSV month",
    "a CSV month cell inf",
    "-m 'economy=glob(*mild*,*severe*)'",
    "-m 'run.months=interval(1,2)'",
    "an unwritable output folder (below a file)",
    "a read-only output folder",
    "hydra.run.dir naming an existing file",
    "a full disk while writing",
    "a corrupt summary.json with run.skip_existing=true (recompute)",
    "bnpl-stress-report on a corrupt summary.json",
    "bnpl-stress-report on a truncated parquet",
    "bnpl-stress-calibrate --out DIR",
    "bnpl-stress-calibrate --out missing/x.yaml",
    "bnpl-stress-calibrate --max-evals 0",
    "bnpl-stress-sensitivity --months 5000",
    "bnpl-stress-sensitivity --n-borrowers 300000000",
    "bnpl-stress-sensitivity --seed -1",
    "bnpl-stress-sensitivity --out FILE",
    "bnpl-stress-validate --markdown FILE/x.md",
    "bnpl-stress-validate: a failed check exits 1, not 2",
    "a relative economy.path_file with hydra.job.chdir=true",
    "SIGINT during a run",
    "run.seed=abc run.seed=1 names the failing value",
    "platform.instalment_terms=[3.5,6,12]",
    "run.n_borrowers=null",
    "platform=null",
    "economy=null",
    "platform= (empty)",
    "the seed bound printed in full",
    "hydra/launcher=nope",
    "--config-name nope",
    "SIGTERM during save leaves .incomplete-*: removed on the next start",
    "run.skip_existing recomputes when only run.threads differs",
    "resume flags kept out of the sweep summary and reproduce command",
    "scenario=policy_matrix without -m",
    "run_scenario(n_borrowers=200, threads=1)",
    # added
    "a sweep whose summary cannot be written exits non-zero (Ray relative hydra.sweep.dir note)",
    "SIGTERM during a run",
]


def _script(name: str = "bnpl-stress") -> str:
    cand = Path(sys.executable).with_name(name)
    exe = str(cand) if cand.exists() else shutil.which(name)
    assert exe is not None, f"{name} is not installed"
    return exe


def _cli(args, cwd, name: str = "bnpl-stress", timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([_script(name), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _one_line(text: str, prog: str = "bnpl-stress") -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, text
    assert lines[0].startswith(f"{prog}: error: "), text
    assert "Traceback" not in text
    return lines[0]


def _exit(fn, *args) -> int:
    with pytest.raises(SystemExit) as e:
        fn(*args)
    return e.value.code


# --------------------------------------------------------------------------- bad values: one line
@pytest.mark.parametrize("overrides, needle", [
    (["population.income_median=4e38"], "population.income_median=4e+38: allowed"),
    (["population.income_median=1e300"], "population.income_median=1e+300: allowed"),
    (["platform.max_line=1e30"], "platform.max_line=1e+30: allowed"),
    (["run.seed=abc", "run.seed=1"], "run.seed='abc'"),
    (["platform.instalment_terms=[3.5,6,12]"], "platform.instalment_terms="),
    (["run.n_borrowers=null"], "run.n_borrowers=null: null is not allowed; allowed: a whole number"),
    (["platform=null"], "platform=null: a config group needs an option"),
    (["economy=null"], "economy=null: a config group needs an option"),
    (["platform="], "platform='': unknown option; allowed: one of aggressive, default, prudent"),
    (["run.seed=-1"], "<= 9223372036854775807"),
])
def test_bad_values_are_one_line(overrides, needle):
    """Inputs 5, 6, 7, 30–36."""
    with pytest.raises(ConfigError) as e:
        precheck([*TINY, *overrides])
    msg = str(e.value)
    assert "\n" not in msg and needle in msg, msg
    assert "[0]" not in msg and "search path" not in msg and "e+18" not in msg


def test_income_growth_that_overflows_is_refused():
    with pytest.raises(ConfigError, match="float32"):
        compose([*TINY, "population.income_median=1e7", "population.income_dispersion=3",
                 "economy.income_growth_annual=1", "run.months=1200"])


def _csv(tmp_path: Path, col: str, value) -> str:
    p = tmp_path / "path.csv"
    rows = {"month": range(3), "unemployment_rate": [0.05] * 3}
    rows[col] = [rows.get(col, [1.0] * 3)[0], value, rows.get(col, [1.0] * 3)[0]]
    pd.DataFrame(rows).to_csv(p, index=False)
    return str(p)


@pytest.mark.parametrize("col, value, needle", [
    ("unemployment_rate", 0.0, "allowed: 0.001 to 0.99"),
    ("essential_prices", "inf", "allowed: finite numbers only"),
    ("month", "inf", "allowed: finite numbers only"),
])
def test_path_file_cells_are_checked_before_work(tmp_path, col, value, needle):
    """Inputs 8, 9."""
    with pytest.raises(ConfigError) as e:
        compose([*TINY, "economy=from_csv", f"economy.path_file={_csv(tmp_path, col, value)}"])
    assert needle in str(e.value) and "\n" not in str(e.value)


def test_glob_sweep_is_expanded_and_interval_refused():
    """Inputs 10, 11 (the pre-check; the commands are run in test_commands_refuse_in_one_line)."""
    precheck([*TINY, "economy=glob(*mild*,*severe*)"])
    with pytest.raises(ConfigError, match="interval"):
        precheck([*TINY, "run.months=interval(1,2)"])


def test_run_scenario_accepts_every_run_key():
    """Input 43."""
    res = run_scenario(n_borrowers=200, threads=1, months=2, burn_in=0, replicates=1, charts=False)
    assert res.summary["n_borrowers"] == 200


# --------------------------------------------------------------------------- the command: one line, exit 2
@pytest.mark.slow
def test_commands_refuse_in_one_line(tmp_path):
    """Inputs 10 (runs), 11, 12, 14, 37, 38, 42: one line, exit 2, nothing written."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    cases = [
        (["-m", "run.months=interval(1,2)"], "interval"),
        ([f"hydra.run.dir={afile}/run"], "hydra.run.dir="),
        ([f"hydra.run.dir={afile}"], "is a file"),
        (["hydra/launcher=nope"], "hydra/launcher='nope': unknown option; allowed: one of"),
        (["--config-name", "nope"], "--config-name='nope': unknown config; allowed: one of config"),
        (["scenario=policy_matrix"], "allowed: run it with -m"),
    ]
    for args, needle in cases:
        proc = _cli([*args, *TINY], tmp_path, timeout=120)
        assert proc.returncode == EXIT_BAD_INPUT, (args, proc.stderr)
        assert needle in _one_line(proc.stderr), (args, proc.stderr)
    assert not list(tmp_path.rglob("summary.json"))
    # glob() sweeps run: glob(INCLUDE,EXCLUDE) in Hydra's syntax → mild_recession only
    proc = _cli(["-m", "economy=glob(*mild*,*severe*)", *TINY, f"hydra.sweep.dir={tmp_path / 'g'}"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "g").rglob("summary.json"))) == 1
    assert json.loads(next((tmp_path / "g").rglob("summary.json")).read_text())["config"]["economy"]["name"] \
        == "mild_recession"


def _mount_tmpfs(d: Path, opts: str) -> bool:
    d.mkdir(parents=True, exist_ok=True)
    try:
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(d)], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def _umount(d: Path) -> None:
    subprocess.run(["umount", str(d)], capture_output=True, timeout=30)


@pytest.mark.slow
def test_read_only_and_full_disk(tmp_path):
    """Inputs 13, 15: a read-only folder (exit 2) and a full disk (exit 3) — one line, no summary.

    Uses small tmpfs mounts when this process may mount (root in CI); otherwise the full disk is
    simulated in-process (an ENOSPC OSError at the write) and the read-only folder by chmod.
    """
    ro, full = tmp_path / "ro", tmp_path / "full"
    if _mount_tmpfs(ro, "ro,size=1m"):
        try:
            proc = _cli([*TINY, f"hydra.run.dir={ro}/run"], tmp_path, timeout=120)
        finally:
            _umount(ro)
        assert proc.returncode == EXIT_BAD_INPUT, proc.stderr
        assert "not a writable folder" in _one_line(proc.stderr)
    if _mount_tmpfs(full, "size=64k"):
        try:
            proc = _cli([*TINY, "run.n_borrowers=3000", "run.charts=true", f"hydra.run.dir={full}/run"],
                        tmp_path, timeout=300)
            assert proc.returncode == EXIT_WRITE_FAILED, proc.stderr
            assert "No space left" in _one_line(proc.stderr)
            assert not (full / "run" / "summary.json").exists()
            assert not list((full / "run").glob(".incomplete-*"))
        finally:
            _umount(full)
    # in-process: the same path for an ENOSPC at the write
    with pytest.raises(SystemExit) as e, guarded("bnpl-stress"):
        raise OSError(errno.ENOSPC, "No space left on device", "x/summary.json")
    assert e.value.code == EXIT_WRITE_FAILED


# --------------------------------------------------------------------------- reports on damaged folders
@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("run") / "r"
    run_scenario(out_dir=d, n_borrowers=300, months=3, burn_in=1, replicates=1, charts=False)
    return d


def test_report_on_corrupt_summary_and_truncated_parquet(tmp_path, finished_run, capsys):
    """Inputs 17, 18."""
    for damage in ("summary", "parquet"):
        d = tmp_path / damage
        shutil.copytree(finished_run, d)
        if damage == "summary":
            (d / "summary.json").write_text('{"metrics": {')
        else:
            p = d / "timeseries.parquet"
            p.write_bytes(p.read_bytes()[:100])
        assert _exit(report_cli.main, [str(d)]) == EXIT_BAD_INPUT
        err = capsys.readouterr().err
        assert "cannot read" in _one_line(err, "bnpl-stress-report") or "corrupt" in err
        assert not (d / "report.html").exists()


def test_skip_existing_recomputes_a_corrupt_summary_and_ignores_threads(finished_run, tmp_path):
    """Inputs 16, 40."""
    cfg = json.loads((finished_run / "summary.json").read_text())["config"]
    over = [f"run.n_borrowers={cfg['run']['n_borrowers']}", "run.months=3", "run.burn_in=1", "run.replicates=1",
            "run.charts=false"]
    assert cli._same_complete_run(finished_run, compose([*over, "run.threads=1", "run.skip_existing=true"]))
    d = tmp_path / "c"
    shutil.copytree(finished_run, d)
    (d / "summary.json").write_text("{ not json")
    assert not cli._same_complete_run(d, compose(over))


def test_leftover_staging_folder_removed_on_next_start(tmp_path):
    """Input 39 (SIGKILL/SIGTERM during save leaves .incomplete-*: the next start removes it)."""
    d = tmp_path / "run"
    (d / ".incomplete-abc123").mkdir(parents=True)
    (d / ".incomplete-abc123" / "timeseries.parquet").write_text("partial")
    (d / ".summary.json.1-abc.tmp").write_text("partial")
    claim_run_dir(d)
    assert not list(d.glob(".incomplete-*")) and not list(d.glob("*.tmp"))
    (d / ".incomplete-old").mkdir()
    with staged_dir(d) as tmp:
        (tmp / "summary.json").write_text("{}")
    assert [p.name for p in d.iterdir()] == ["summary.json"]


# --------------------------------------------------------------------------- study commands: checked before work
def _no_work(*a, **kw):
    raise AssertionError("the long work started before the output path was checked")


def test_study_commands_check_outputs_before_work(tmp_path, monkeypatch, capsys):
    """Inputs 19–27."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    monkeypatch.setattr(calibrate_cli, "fit", _no_work)
    monkeypatch.setattr(sensitivity_cli, "analyse", _no_work)
    monkeypatch.setattr(validate_cli, "run_checks", _no_work)
    cases = [
        (calibrate_cli.main, ["--out", str(tmp_path)], "bnpl-stress-calibrate", "is a folder"),
        (calibrate_cli.main, ["--out", str(tmp_path / "missing" / "x.yaml")], "bnpl-stress-calibrate",
         "does not exist"),
        (calibrate_cli.main, ["--max-evals", "0"], "bnpl-stress-calibrate", "--max-evals=0: allowed: >= 1"),
        (sensitivity_cli.main, ["--months", "5000"], "bnpl-stress-sensitivity", "--months=5000: allowed"),
        (sensitivity_cli.main, ["--n-borrowers", "300000000"], "bnpl-stress-sensitivity", "--n-borrowers="),
        (sensitivity_cli.main, ["--seed", "-1"], "bnpl-stress-sensitivity", "--seed=-1: allowed: >= 0"),
        (sensitivity_cli.main, ["--out", str(afile)], "bnpl-stress-sensitivity", "is a file"),
        (validate_cli.main, ["--markdown", str(afile / "x.md")], "bnpl-stress-validate", "does not exist"),
    ]
    for fn, args, prog, needle in cases:
        assert _exit(fn, args) == EXIT_BAD_INPUT, args
        assert needle in _one_line(capsys.readouterr().err, prog), args


def test_validate_failed_check_exits_1(monkeypatch, capsys):
    """Input 27: exit 1 means a check failed; 2 stays bad input."""
    from simulator.studies.validation import Check

    monkeypatch.setattr(validate_cli, "run_checks", lambda: [Check("x", "1", "2", False)])
    assert _exit(validate_cli.main, []) == EXIT_CHECK_FAILED
    assert "1 check(s) failed: x" in capsys.readouterr().err


# --------------------------------------------------------------------------- sweeps and reused folders
def _fake_job(root: Path, name: str, overrides: list[str], summary: dict, sweep_id: str | None) -> Path:
    d = root / name
    (d / ".hydra").mkdir(parents=True, exist_ok=True)
    (d / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
    for t in ("timeseries", "segments", "vintages", "roll_rates", "causes"):
        pd.DataFrame({"a": [1]}).to_parquet(d / f"{t}.parquet")
    time.sleep(0.01)
    (d / "summary.json").write_text(json.dumps(summary))
    if sweep_id:
        (d / ".job_sweep_id").write_text(sweep_id)
    return d


def _summary(seed: int) -> dict:
    return {"metrics": {"cum_default_rate": {"mean": seed / 100}}, "n_borrowers": 300, "months": 3,
            "replicates": 1, "seed": seed, "config": {"run": {"seed": seed}}}


def test_reused_sweep_folder_labels_and_membership(tmp_path):
    """Inputs 1, 2, 41: stale jobs and rewritten records never mislabel numbers."""
    root = tmp_path / "sweep"
    for i, seed in enumerate((1, 2, 3, 4)):
        _fake_job(root, str(i), [f"run.seed={seed}"], _summary(seed), "A")
    # sweep B starts in the same folder, resumes job 0 (skip_existing) and job 1 is rewritten by
    # a start that was stopped before it claimed the folder
    (root / ".sweep_id").write_text("B")
    _fake_job(root, "0", ["run.seed=5", "run.skip_existing=true"], _summary(5), "B")
    time.sleep(0.01)
    (root / "1" / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(["economy=stagflation", "run.seed=6"]))
    (root / "1" / ".job_sweep_id").write_text("B")
    df = collect_sweep(root)
    assert sorted(df["run"].unique()) == ["0"]
    assert "run.skip_existing" not in df.columns
    assert "1 (its numbers predate its settings" in df.attrs["note"]
    assert "2 (from an earlier sweep" in df.attrs["note"]
    cmd = sweep_command(df)
    assert "run.seed=5" in cmd and "skip_existing" not in cmd and "3" not in cmd


def test_empty_book_rates_are_nan_and_the_report_says_so(tmp_path):
    """Input 8: no account opened → every rate NaN (no denominator) in tables and summary; the
    report says "no accounts were opened" instead of 0.00%; the charts are drawn."""
    import math

    from simulator.outputs.report.build import build_report

    d = tmp_path / "empty"
    res = run_scenario("population.initial_applicant_share=0", "population.arrival_rate=0", out_dir=d,
                       n_borrowers=50, months=3, burn_in=1, replicates=2, charts=True)
    m = res.summary["metrics"]
    for k in ("cum_default_rate", "peak_default_rate", "dpd30_rate_end", "dpd90_rate_end", "loss_rate"):
        assert math.isnan(m[k]["mean"]), k
    assert m["originations"]["mean"] == 0.0
    ts = pd.read_parquet(d / "timeseries.parquet")
    for c in ("default_rate", "cum_default_rate", "dpd30_rate", "dpd90_rate", "loss_rate", "utilization"):
        assert ts[c].isna().all(), c
    assert pd.read_parquet(d / "segments.parquet")["cum_default_rate"].isna().all()
    # the charts with data are drawn (vintage and cause charts have nothing to show and are left out)
    assert {"default_rate.png", "delinquency_buckets.png"} <= {p.name for p in (d / "charts").glob("*.png")}
    html = build_report(d).read_text()
    assert "No accounts were opened" in html and "0.00% of all accounts" not in html


def test_reused_run_folder_report_does_not_claim_new_settings(tmp_path, finished_run):
    """Input 2 (single run folder reused with another seed, the new start stopped early)."""
    from simulator.outputs.report.build import build_report

    d = tmp_path / "r"
    shutil.copytree(finished_run, d)
    (d / ".hydra").mkdir(exist_ok=True)
    time.sleep(0.01)
    (d / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(["run.seed=999"]))
    html = build_report(d).read_text()
    assert "run.seed=999" not in html


@pytest.mark.slow
def test_real_sweeps_into_one_folder(tmp_path):
    """Input 3 with the command: -m run.seed=1,2,3 then -m run.seed=5,6 into the same folder."""
    d = tmp_path / "D"
    assert _cli(["-m", "run.seed=1,2,3", *TINY, f"hydra.sweep.dir={d}"], tmp_path).returncode == 0
    proc = _cli(["-m", "run.seed=5,6", *TINY, f"hydra.sweep.dir={d}"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    df = pd.read_parquet(d / "sweep_summary.parquet")
    assert sorted(df["run"].unique()) == ["0", "1"]
    assert sorted(df["run.seed"].unique()) == ["5", "6"]
    assert "run.seed=5,6" in (d / "report.html").read_text()
    # resume: flags stay out of the summary
    proc = _cli(["-m", "run.seed=5,6", *TINY, f"hydra.sweep.dir={d}", "run.skip_existing=true",
                 "run.threads=1"], tmp_path)
    assert proc.returncode == 0 and proc.stdout.count("skipped") == 2, proc.stdout + proc.stderr
    df = pd.read_parquet(d / "sweep_summary.parquet")
    assert "run.skip_existing" not in df.columns and "run.threads" not in df.columns


def test_sweep_summary_failure_is_visible(tmp_path, capsys):
    """Added: a sweep whose summary cannot be written (no run found) exits 3 with one line."""
    from omegaconf import OmegaConf

    cfg = OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path / "empty")}}})
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as e:
        SweepSummaryCallback().on_multirun_end(cfg)
    assert e.value.code == EXIT_WRITE_FAILED
    assert "could not write the sweep summary" in _one_line(capsys.readouterr().err)


# --------------------------------------------------------------------------- chdir, interrupts
@pytest.mark.slow
def test_relative_path_file_with_chdir(tmp_path):
    """Input 28."""
    pd.DataFrame({"month": range(3), "unemployment_rate": [0.05, 0.06, 0.07]}).to_csv(tmp_path / "p.csv",
                                                                                        index=False)
    proc = _cli([*TINY, "economy=from_csv", "economy.path_file=p.csv", "hydra.job.chdir=true",
                 f"hydra.run.dir={tmp_path / 'out'}"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "summary.json").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", [(signal.SIGINT, EXIT_SIGINT), (signal.SIGTERM, EXIT_SIGTERM)])
def test_interrupt_is_one_line(tmp_path, sig, code):
    """Inputs 29, 45: one line, exit 130/143, no summary.json, no staging folder left."""
    out = tmp_path / "run"
    p = subprocess.Popen([_script(), "run.n_borrowers=200000", "run.months=120", "run.replicates=4",
                          f"hydra.run.dir={out}"], cwd=tmp_path, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while not (out / ".hydra" / "config.yaml").exists() and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)
        p.send_signal(sig)
        _, err = p.communicate(timeout=240)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(timeout=30)
    assert p.returncode == code, err
    assert INTERRUPTED in _one_line(err)
    assert not (out / "summary.json").exists()
    assert not list(out.glob(".incomplete-*"))


def test_every_listed_input_is_replayed():
    assert len(REPLAYED) == 46
    assert len(set(REPLAYED)) == len(REPLAYED)
