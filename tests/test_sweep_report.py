"""Sweep summary, sweep charts and the HTML report (simulator.outputs.sweep, simulator.outputs.report)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from omegaconf import OmegaConf

from simulator.apps import report_cli as report_mod
from simulator.apps.sweep_callback import SweepSummaryCallback
from simulator.outputs.catalogue import SUMMARY_METRICS
from simulator.outputs.report import build_report, write_sweep_outputs
from simulator.outputs.sweep import collect_sweep

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SMALL = ["run.n_borrowers=3000", "run.months=12", "run.burn_in=3", "run.replicates=2"]
ECONOMIES = ("baseline", "severe_recession")
# Registers the callback from the command line; ``++`` also works once conf/config.yaml has it.
CALLBACK = "++hydra.callbacks.sweep_summary._target_=simulator.apps.sweep_callback.SweepSummaryCallback"


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> tuple[Path, set[str]]:
    """A 2-run sweep made by the CLI; returns (sweep dir, files the Hydra callback wrote)."""
    cwd = tmp_path_factory.mktemp("sweep_cli")
    sweep_dir = cwd / "sweep"
    args = [sys.executable, "-m", "simulator", "-m", f"economy={','.join(ECONOMIES)}", *SMALL,
            f"hydra.sweep.dir={sweep_dir}", CALLBACK]
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    outputs = ["sweep_summary.parquet", "report.html", "charts/sweep_default_rate.png"]
    by_callback = {name for name in outputs if (sweep_dir / name).is_file()}
    write_sweep_outputs(sweep_dir)  # idempotent: rewrites what the callback wrote
    return sweep_dir, by_callback


def _no_external_resources(text: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert "<script" not in text.lower() and "<link" not in text.lower()
    assert "@import" not in text and "url(" not in text


def test_callback_wrote_the_sweep_outputs(sweep):
    _, by_callback = sweep
    assert by_callback == {"sweep_summary.parquet", "report.html", "charts/sweep_default_rate.png"}


def test_sweep_summary_table(sweep):
    sweep_dir, _ = sweep
    df = pd.read_parquet(sweep_dir / "sweep_summary.parquet")
    n_runs = len(ECONOMIES)
    assert set(SUMMARY_METRICS) <= set(df["metric"])          # plus e.g. score_auc
    assert len(df) == n_runs * df["metric"].nunique() * 4
    assert {"run", "metric", "statistic", "value", "economy", "run.n_borrowers",
            "n_borrowers", "months", "replicates", "seed"} <= set(df.columns)
    assert not any(c.startswith("hydra") for c in df.columns)
    assert set(df["statistic"]) == {"mean", "p05", "p50", "p95"}
    assert set(df["economy"]) == set(ECONOMIES)
    assert sorted(df["run"].unique()) == ["0", "1"]
    assert (df["n_borrowers"] == 3000).all() and (df["months"] == 12).all()
    assert df.groupby(["run", "metric", "statistic"]).size().max() == 1
    # values agree with each run's summary.json
    s0 = json.loads((sweep_dir / "0" / "summary.json").read_text())
    got = df.query("run == '0' and metric == 'cum_default_rate' and statistic == 'p95'")["value"].item()
    assert got == pytest.approx(s0["metrics"]["cum_default_rate"]["p95"])


def test_sweep_charts_are_png(sweep):
    sweep_dir, _ = sweep
    for name in ("sweep_default_rate.png", "sweep_cum_default_rate.png", "sweep_loss_rate.png"):
        data = (sweep_dir / "charts" / name).read_bytes()
        assert data[:8] == PNG_MAGIC, name
    import matplotlib.image as mpimg

    assert mpimg.imread(sweep_dir / "charts" / "sweep_default_rate.png").shape[:2] == (600, 1080)
    assert not list(sweep_dir.rglob(".*.tmp"))  # no temporary file left behind


def test_sweep_report(sweep):
    sweep_dir, _ = sweep
    text = (sweep_dir / "report.html").read_text()
    _no_external_resources(text)
    assert text.count('src="data:image/png;base64,') == 3
    table = text[text.index("<h2>Key results</h2>"):text.index("<h2>Charts</h2>")]
    assert "baseline" in table and "severe recession" in table
    for name in ("Cumulative default rate", "Peak monthly default rate", "Annual net loss rate"):
        assert name in table
    assert "How to read this chart" in text and "Glossary" in text
    assert "bnpl-stress -m economy=baseline,severe_recession run.n_borrowers=3000" in text


def test_collect_sweep_skips_unfinished_jobs(sweep, tmp_path):
    sweep_dir, _ = sweep
    copy = tmp_path / "sweep"
    shutil.copytree(sweep_dir, copy)
    (copy / "1" / "summary.json").unlink()  # job 1 was interrupted
    ov = copy / "0" / ".hydra" / "overrides.yaml"  # text with markup is escaped in the report
    ov.write_text(ov.read_text() + "- \"+population.note=<i>x</i>\"\n- hydra.verbose=true\n")
    (copy / "0" / "summary.json").touch()  # the record must not be newer than the numbers it labels
    df = collect_sweep(copy)
    assert set(df["run"]) == {"0"}
    assert df.attrs["incomplete"] == ["1"]
    assert "1" in df.attrs["note"]
    assert "population.note" in df.columns and "hydra.verbose" not in df.columns
    SweepSummaryCallback().on_multirun_end(OmegaConf.create({"hydra": {"sweep": {"dir": str(copy)}}}))
    text = (copy / "report.html").read_text()
    assert "did not finish" in text
    assert "<i>x</i>" not in text and "&lt;i&gt;x&lt;/i&gt;" in text


def test_report_of_a_single_run(sweep, tmp_path):
    sweep_dir, _ = sweep
    run_dir = tmp_path / "run"
    shutil.copytree(sweep_dir / "1", run_dir)
    path = build_report(run_dir)
    assert path == run_dir / "report.html"
    text = path.read_text()
    _no_external_resources(text)
    assert text.count('src="data:image/png;base64,') == 5
    assert "severe recession" in text and "3,000" in text
    assert "bnpl-stress economy=severe_recession run.n_borrowers=3000" in text
    assert "How to read this chart" in text and "90 or more days past due" in text


def test_report_cli_on_a_sweep(sweep, capsys):
    sweep_dir, _ = sweep
    report_mod.main([str(sweep_dir)])
    assert capsys.readouterr().out.strip() == str(sweep_dir / "report.html")


@pytest.mark.parametrize("kind", ["empty", "missing", "unfinished"])
def test_report_cli_rejects_a_non_run_directory(tmp_path, capsys, kind):
    d = tmp_path / "d"
    if kind != "missing":
        d.mkdir()
    if kind == "unfinished":
        (d / "0" / ".hydra").mkdir(parents=True)
        (d / "0" / ".hydra" / "overrides.yaml").write_text("- economy=baseline\n")
    with pytest.raises(SystemExit) as exc:
        report_mod.main([str(d)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"bnpl-stress-report: error: DIR={str(d)!r}: not a run or sweep directory")
    assert "allowed:" in err
    assert not (d / "report.html").exists()
