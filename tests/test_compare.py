"""Comparing runs (bnpl-stress-compare, bnpl-stress-report on a folder of single runs), chart
formats and CSV tables, and the Chinese report (issue 14).

Two small runs that differ only in one policy (same seed: common random numbers) are compared; the
key figures are checked against numbers recomputed by hand from the runs' own tables.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from simulator.apps import compare_cli, report_cli
from simulator.outputs.compare import config_diff, key_figures, load_runs
from simulator.outputs.lang import cjk_font, output_options
from simulator.outputs.report import build_report, write_comparison
from simulator.outputs.stats import mean_interval, welch_interval
from simulator.studies.runner import run

SMALL = ("economy=severe_recession", "run.n_borrowers=2000", "run.months=12", "run.burn_in=3",
         "run.replicates=3", "run.seed=5")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, Path]:
    """A folder of two single runs made by the command line (no -m): none and stimulus at month 4."""
    root = tmp_path_factory.mktemp("single_runs")
    out = []
    for name, extra in (("a_none", []), ("b_stimulus", ["policy=stimulus", "policy.stimulus.month=4"])):
        d = root / name
        args = [sys.executable, "-m", "simulator", *SMALL, *extra, "run.progress=off", f"hydra.run.dir={d}"]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        out.append(d)
    return out[0], out[1]


def test_config_diff_lists_only_the_settings_that_differ(two_runs):
    diff = config_diff(load_runs(list(two_runs)))
    assert list(diff["setting"]) == ["policy.stimulus.enabled", "policy.stimulus.month"]
    assert list(diff.iloc[1, 1:]) == ["18", "4"]          # the default month vs the one asked for
    assert not diff.isna().any().any() and "nan" not in diff.to_csv()


def test_key_figures_are_the_replicates_means_and_paired_differences(two_runs):
    runs = load_runs(list(two_runs))
    kf = key_figures(runs).set_index(["metric", "run"])
    a, b = (pd.read_parquet(d / "timeseries.parquet") for d in two_runs)
    # by hand: the cumulative default rate at the last month of each replicate
    ca = a[a["month"] == a["month"].max()].sort_values("replicate")["cum_default_rate"].to_list()
    cb = b[b["month"] == b["month"].max()].sort_values("replicate")["cum_default_rate"].to_list()
    row = kf.loc[("cum_default_rate", runs[1].label)]
    assert row["mean"] == pytest.approx(sum(cb) / 3)
    assert row["diff"] == pytest.approx(sum(cb) / 3 - sum(ca) / 3)
    assert bool(row["paired"])                      # same seed: replicate r against replicate r
    lo, hi = mean_interval([y - x for x, y in zip(ca, cb, strict=True)])
    assert (row["diff_lo"], row["diff_hi"]) == pytest.approx((lo, hi))
    assert kf.loc[("cum_default_rate", runs[0].label), "diff"] == 0.0
    # the summary.json means agree with the per-replicate figures
    import json
    s = json.loads((two_runs[1] / "summary.json").read_text())
    assert row["mean"] == pytest.approx(s["metrics"]["cum_default_rate"]["mean"])


def test_t_intervals_by_hand():
    # mean 2, sd 1, n 3: half-width t(0.975, 2) * 1 / sqrt(3) = 4.303 / 1.7320508
    lo, hi = mean_interval([1.0, 2.0, 3.0])
    assert (lo, hi) == pytest.approx((2 - 4.303 / math.sqrt(3), 2 + 4.303 / math.sqrt(3)))
    assert mean_interval([1.0, 2.0]) is None
    # Welch, equal variances 1 and n 3 each: se = sqrt(2/3), df = 4 → t = 2.776
    lo, hi = welch_interval([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    assert (lo, hi) == pytest.approx((1 - 2.776 * math.sqrt(2 / 3), 1 + 2.776 * math.sqrt(2 / 3)))


def test_compare_cli_writes_report_chart_and_tables(two_runs, tmp_path, capsys):
    out = tmp_path / "cmp"
    compare_cli.main([str(two_runs[0]), str(two_runs[1]), "--out", str(out), "--formats", "svg,pdf"])
    assert capsys.readouterr().out.strip() == str(out / "report.html")
    text = (out / "report.html").read_text()
    words = re.sub(r'src="data:[^"]*"', "", text)            # the embedded chart aside
    assert not re.search(r"\bnan\b", words, re.I)
    assert "policy.stimulus.month" in text and "Settings that differ" in text
    assert text.count('src="data:image/png;base64,') == 1
    for f in ("compare_default_rate.png", "compare_default_rate.svg", "compare_default_rate.pdf"):
        assert (out / "charts" / f).stat().st_size > 1000
    assert (out / "charts" / "compare_default_rate.svg").read_text().lstrip().startswith("<?xml")
    for name in ("key_figures", "config_diff"):
        csv = pd.read_csv(out / f"{name}.csv")
        pq = pd.read_parquet(out / f"{name}.parquet")
        assert list(csv.columns) == list(pq.columns) and len(csv) == len(pq)


@pytest.mark.parametrize("args, needle", [
    (["only_one"], "DIR: expected at least two run directories, got 1"),
    (["a", "b", "--lang", "fr"], "--lang='fr': allowed: one of en, zh"),
    (["a", "b", "--formats", "png,gif"], "--formats='png,gif': allowed"),
    (["a", "b", "--colour", "red"], "--colour: unknown option"),
])
def test_compare_cli_bad_input_is_one_line(args, needle, capsys):
    with pytest.raises(SystemExit) as exc:
        compare_cli.main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


def test_compare_cli_refuses_a_folder_that_is_no_run(two_runs, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        compare_cli.main([str(two_runs[0]), str(tmp_path), "--out", str(tmp_path / "c")])
    assert exc.value.code == 2
    assert "not a complete run directory" in capsys.readouterr().err


def test_report_on_a_folder_of_single_runs_is_their_comparison(two_runs, tmp_path, capsys):
    folder = tmp_path / "outputs"
    for d in two_runs:
        shutil.copytree(d, folder / d.name)
    report_cli.main([str(folder)])
    assert capsys.readouterr().out.strip() == str(folder / "report.html")
    text = (folder / "report.html").read_text()
    assert "comparison of 2 runs" in text and "each repeated" not in text
    assert not re.search(r"\bnan\b", re.sub(r'src="data:[^"]*"', "", text), re.I)
    assert (folder / "key_figures.csv").is_file()
    shutil.rmtree(folder / two_runs[1].name)          # one run left: nothing to compare, one line
    with pytest.raises(SystemExit) as exc:
        report_cli.main([str(folder)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds one single run" in err


def test_run_tables_are_also_csv(two_runs):
    for name in ("timeseries", "segments", "vintages", "roll_rates", "causes"):
        csv = pd.read_csv(two_runs[0] / f"{name}.csv")
        pq = pd.read_parquet(two_runs[0] / f"{name}.parquet")
        assert list(csv.columns) == list(pq.columns) and len(csv) == len(pq)


def test_report_formats_are_checked(compose_tiny):
    from simulator.config import ConfigError
    with pytest.raises(ConfigError, match=r"report.formats=\['png', 'gif'\]: allowed"):
        compose_tiny("report.formats=[png,gif]")
    with pytest.raises(ConfigError, match="including png"):
        compose_tiny("report.formats=[svg]")


def test_pdf_charts_on_request(compose_tiny, tmp_path):
    run(compose_tiny("run.charts=true", "report.formats=[png,pdf]"), tmp_path / "r")
    charts = tmp_path / "r" / "charts"
    pngs = {p.stem for p in charts.glob("*.png")}
    assert pngs and pngs == {p.stem for p in charts.glob("*.pdf")} and not list(charts.glob("*.svg"))
    assert (charts / "default_rate.pdf").read_bytes()[:5] == b"%PDF-"


_NO_FONT = "no CJK font installed (Debian: apt-get install fonts-noto-cjk; .ci/run installs it)"


@pytest.mark.skipif(cjk_font() is None, reason=_NO_FONT)
def test_chinese_report_and_charts_have_every_glyph(two_runs, tmp_path):
    run_dir = tmp_path / "zh"
    shutil.copytree(two_runs[0], run_dir)
    with warnings.catch_warnings(record=True) as caught, output_options("zh", ["png"]):
        warnings.simplefilter("always")
        build_report(run_dir)
        write_comparison(list(two_runs), tmp_path / "cmp_zh")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]           # every character of the charts has a glyph
    text = (run_dir / "report.html").read_text()
    assert '<html lang="zh-CN">' in text and "运行内容" in text and "主要结果" in text and "累计违约率" in text
    assert "What was run" not in text
    cmp_text = (tmp_path / "cmp_zh" / "report.html").read_text()
    assert "不同的设置" in cmp_text and "关键指标对比" in cmp_text


def test_chinese_without_a_font_is_one_line(monkeypatch, compose_tiny):
    from simulator.config import ConfigError
    from simulator.outputs import lang
    monkeypatch.setattr(lang, "cjk_font", lambda: None)
    with pytest.raises(ConfigError, match="report.language=zh: no Chinese \\(CJK\\) font found") as exc:
        run(compose_tiny("report.language=zh"))
    assert "\n" not in str(exc.value) and "fonts-noto-cjk" in str(exc.value)
