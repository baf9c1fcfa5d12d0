"""Policies that end (policy.end_month) and the ranked table's "prevented or postponed" column;
error bars on the policy trade-off chart (issue 14, items 5 and 6).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.config import ConfigError
from simulator.outputs.charts import policy_tradeoff_figure
from simulator.outputs.remedies import AFTER_END_MONTHS, remedy_ranking
from simulator.outputs.stats import mean_interval
from simulator.outputs.sweep import collect_sweep
from simulator.studies.runner import run

DOWNTURN = ("economy=severe_recession", "run.months=12")


def test_benefits_stop_paying_when_the_policy_ends(compose_tiny):
    res = run(compose_tiny(*DOWNTURN, "policy=unemployment_benefits", "policy.end_month=5"))
    ts = res.timeseries
    assert (ts.loc[ts["month"] >= 5, "public_transfers"] == 0).all()
    assert ts.loc[ts["month"] < 5, "public_transfers"].sum() > 0


def test_an_ended_policy_is_the_status_quo_afterwards(compose_tiny, make_model):
    # after the end the borrower rules' parameters are those of the run without the policy
    model = make_model(compose_tiny(*DOWNTURN, "policy=[hardship,unemployment_benefits]", "policy.end_month=3"))
    ref = make_model(compose_tiny(*DOWNTURN))
    model.run(until=2)
    assert model.borrower_params.unemployment_replacement != ref.borrower_params.unemployment_replacement
    model.run(until=4)
    assert model.borrower_params.hardship_term == ref.borrower_params.hardship_term
    assert model.borrower_params.unemployment_replacement == ref.borrower_params.unemployment_replacement
    assert model.active_policies() == []


def test_end_month_zero_changes_nothing(compose_tiny):
    a = run(compose_tiny(*DOWNTURN, "policy=hardship"))
    b = run(compose_tiny(*DOWNTURN, "policy=hardship", "policy.end_month=0"))
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)


@pytest.mark.parametrize("value", ["12", "-1"])
def test_end_month_outside_the_horizon_is_one_line(compose_tiny, value):
    with pytest.raises(ConfigError, match=f"policy.end_month={value}"):
        run(compose_tiny(*DOWNTURN, f"policy.end_month={value}"))


@pytest.fixture(scope="module")
def ending_sweep(tmp_path_factory) -> Path:
    """none vs hardship ending at month 3, 18 months, 3 replicates."""
    d = tmp_path_factory.mktemp("ending") / "sweep"
    args = [sys.executable, "-m", "simulator", "-m", "policy=none,hardship", "policy.end_month=3",
            "economy=severe_recession", "run.n_borrowers=2000", "run.months=18", "run.burn_in=3",
            "run.replicates=3", "run.progress=off", f"hydra.sweep.dir={d}"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=400)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return d


def test_prevented_after_the_end_is_checked_against_the_runs(ending_sweep):
    summary = pd.read_parquet(ending_sweep / "sweep_summary.parquet")
    table = remedy_ranking(ending_sweep, collect_sweep(ending_sweep))
    row = table[table["policy"] == "hardship"].iloc[0]
    assert row["end_month"] == 3
    at = 3 + AFTER_END_MONTHS
    runs = summary.drop_duplicates("run").set_index("policy")["run"].to_dict()
    ts = {p: pd.read_parquet(ending_sweep / runs[p] / "timeseries.parquet") for p in ("none", "hardship")}
    rate = {p: t[t["month"] == at].sort_values("replicate")["cum_default_rate"].to_numpy() for p, t in ts.items()}
    diffs = 100.0 * (rate["none"] - rate["hardship"])
    assert row["prevented_after_end_pp"] == pytest.approx(diffs.mean())
    assert (row["after_end_lo_pp"], row["after_end_hi_pp"]) == pytest.approx(mean_interval(list(diffs)))
    text = (ending_sweep / "report.html").read_text()
    assert "Defaults prevented 12 months after the policy ends" in text
    assert f"at month {at} (ends at 3)" in text and "only postponed" in text


def test_tradeoff_chart_draws_the_replicate_intervals():
    table = pd.DataFrame({"policy": ["hardship", "stimulus"], "group": ["", ""],
                          "defaults_prevented": [2.0, 1.0], "volume_lost": [5.0, 0.0],
                          "ci_lo_pp": [1.5, np.nan], "ci_hi_pp": [2.4, np.nan]})
    fig = policy_tradeoff_figure(table)
    ax = fig.axes[0]
    bars = [c for c in ax.collections if c.__class__.__name__ == "LineCollection"]
    assert len(bars) == 1                                   # only the point with an interval
    (seg,) = bars[0].get_segments()
    assert seg[:, 1].min() == pytest.approx(1.5) and seg[:, 1].max() == pytest.approx(2.4)
    assert "95% interval" in ax.get_title()
