"""The output layer's single homes: the metric catalogue, atomic file writes, summary statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.outputs import catalogue, io
from simulator.outputs.stats import STATISTICS, summary_statistics


def test_catalogue_covers_the_summary_metrics_and_formats_by_unit():
    assert len(set(catalogue.SUMMARY_METRICS)) == len(catalogue.SUMMARY_METRICS) == 13
    for name in (*catalogue.SUMMARY_METRICS, *catalogue.SERIES):
        m = catalogue.METRICS[name]
        assert m.label and m.description
        assert bool(m.denominator) == m.is_rate  # rates say what they are a share of
    assert catalogue.metric("cum_default_rate").format(0.0561) == "5.61%"
    assert catalogue.metric("originations").format(12345.4) == "12,345 accounts"
    assert catalogue.metric("purchases").format(1e6) == "1,000,000 RMB"
    unknown = catalogue.metric("score_auc")
    assert (unknown.label, unknown.denominator, unknown.description) == ("Score auc", "", "")
    assert catalogue.key_label("run.seed") == "Seed" and catalogue.value_label("severe_recession") == "severe recession"
    with pytest.raises(ValueError, match="unit"):
        catalogue.Metric("x", "X", "litres", "", "")


def test_summary_statistics_are_mean_and_percentiles():
    v = [0.1, 0.4, 0.2, 0.3]
    s = summary_statistics(v)
    assert tuple(s) == STATISTICS
    assert s["mean"] == pytest.approx(0.25)
    assert s["p05"] == float(np.percentile(v, 5)) and s["p95"] == float(np.percentile(v, 95))


def test_atomic_write_replaces_or_leaves_the_old_file(tmp_path):
    dest = tmp_path / "sub" / "a.txt"
    io.write_text(dest, "one")
    io.write_text(dest, "two")
    assert dest.read_text() == "two"

    def fail(path):
        path.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        io.atomic_write(dest, fail)
    assert dest.read_text() == "two"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["a.txt"]  # no temporary file left
    io.write_parquet(tmp_path / "t.parquet", pd.DataFrame({"x": [1, 2]}))
    assert list(pd.read_parquet(tmp_path / "t.parquet")["x"]) == [1, 2]


def test_staged_dir_moves_everything_marker_last_or_nothing(tmp_path):
    out = tmp_path / "run"
    (out / "charts").mkdir(parents=True)
    (out / "charts" / "old.png").write_text("old")
    (out / "summary.json").write_text("{}")
    with pytest.raises(RuntimeError):
        with io.staged_dir(out) as tmp:
            (tmp / "t.parquet").write_text("x")
            raise RuntimeError("failed")
    assert not (out / "summary.json").exists() and not (out / "t.parquet").exists()
    assert not list(out.glob(".incomplete-*"))
    with io.staged_dir(out) as tmp:
        (tmp / "charts").mkdir()
        (tmp / "charts" / "new.png").write_text("new")
        (tmp / "summary.json").write_text("{}")
    assert (out / "summary.json").is_file()
    assert [p.name for p in (out / "charts").iterdir()] == ["new.png"]  # the folder was replaced
    (tmp_path / "elsewhere").mkdir()
    moved = io.move_entries(out, tmp_path / "elsewhere", last=("summary.json",))
    assert [p.name for p in moved] == ["charts", "summary.json"]


def test_peak_default_rates_are_quarterly_by_hand():
    from simulator.outputs.results import peak_quarterly_default_rates

    # a noisy single month (3%) between quiet ones: the 3-month average caps its effect
    ts = pd.DataFrame({"month": [3, 0, 1, 2, 4],  # unsorted on purpose
                       "new_defaults": [10, 10, 10, 300, 10],
                       "n_performing_start": [1000, 1000, 1000, 1000, 1000]})
    ts["default_rate"] = ts["new_defaults"] / ts["n_performing_start"]
    peak, annual = peak_quarterly_default_rates(ts)
    # months 1..3 (sorted: 0.01, 0.30, 0.01) or 0..2 (0.01, 0.01, 0.30): mean 0.32 / 3
    assert peak == pytest.approx(0.32 / 3)
    # q = 320 defaults ÷ 1,000 performing at the start of the quarter; annualised 1 − (1 − q)^4
    assert annual == pytest.approx(1 - (1 - 0.32) ** 4)
    # fewer than 3 months: the window is the months there are (q over 2 months, ×6 a year)
    peak2, annual2 = peak_quarterly_default_rates(ts.iloc[1:3])
    assert peak2 == pytest.approx(0.01) and annual2 == pytest.approx(1 - (1 - 0.02) ** 6)
    assert "peak_default_rate_annualised_quarterly" in catalogue.SUMMARY_METRICS
