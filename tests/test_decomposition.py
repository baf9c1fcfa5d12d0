"""Tests for simulator.studies.decomposition: cause switches, Shapley and one-at-a-time splits, study outputs.

The small config (3,000 borrowers, 24 months, 1 replicate) runs in well under a second once the
numba kernels are compiled; the whole file makes about 80 runs.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import replace
from pathlib import Path

import matplotlib as mpl
import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from simulator.config import check_ranges, compose
from simulator.outputs import charts as plots
from simulator.outputs.charts.decomposition import INTERACTION_COLOUR
from simulator.studies.decomposition import (
    CAUSE_SWITCHES,
    CAUSES,
    CHART_FILE,
    DECOMPOSITION_FILE,
    decompose,
    fields_changed,
    run_decomposition,
    switch_off,
)

SMALL = ["run.n_borrowers=3000", "run.months=24", "run.burn_in=3", "run.replicates=1", "run.charts=false"]
#: C3's switches set a thin file's value to the established files'.
SAME_AS = {"platform.score_noise_thin": "platform.score_noise_established",
           "population.bureau_signal_noise_thin": "population.bureau_signal_noise"}
COLUMNS = ["cause", "label", "contribution", "share", "method", "metric", "factual", "all_off"]

# What each switch may change, and the value it sets (None: the established files' value, SAME_AS).
EXPECTED = {
    "C1": {f"population.{k}": 0.0 for k in ("job_loss_hazard", "freelance_loss_hazard", "illness_hazard",
                                             "family_event_hazard", "salaried_volatility", "freelance_volatility")},
    "C2": {"platform.cap_lines_at_affordable": True},
    "C3": {"platform.score_noise_thin": None, "platform.thin_file_cutoff_offset": 0.0,
           "population.bureau_signal_noise_thin": None},
    "C4": {"population.impulse_purchases": False},
    "C5": {"economy.unemployment_peak_delta": 0.0, "economy.income_growth_shock": 0.0,
           "economy.essentials_inflation_shock": 0.0, "economy.demand_drop": 0.0, "economy.path_file": "",
           "economy.name": "baseline"},
}


def _get(cfg, dotted: str):
    group, name = dotted.split(".")
    return getattr(getattr(cfg, group), name)


@pytest.fixture(scope="module")
def severe():
    return compose(["economy=severe_recession", *SMALL])


@pytest.fixture(scope="module")
def shapley(severe) -> pd.DataFrame:
    return decompose(severe, method="shapley")


@pytest.fixture(scope="module")
def one_at_a_time(severe) -> pd.DataFrame:
    return decompose(severe, method="one_at_a_time")


def _points_by_subset(df: pd.DataFrame) -> dict[frozenset[str], float]:
    runs = df.attrs["runs"]
    return {frozenset(c for c in CAUSES if row[f"{c}_off"]): 100.0 * row["cum_default_rate"]
            for _, row in runs.iterrows()}


# --------------------------------------------------------------------------- the switches


def _every_switch_bites(cfg):
    """A copy of ``cfg`` in which every switched field differs from its switched-off value."""
    return replace(
        cfg,
        platform=replace(cfg.platform, thin_file_cutoff_offset=-0.4, cap_lines_at_affordable=False),
        economy=replace(cfg.economy, essentials_inflation_shock=0.02, path_file="sudden_stop.csv",
                        name="sudden_stop"),
    )


def test_each_switch_changes_its_fields_and_only_those(severe) -> None:
    cfg = _every_switch_bites(severe)
    before = repr(cfg)
    for cause, fields in EXPECTED.items():
        off = CAUSE_SWITCHES[cause](cfg)
        assert fields_changed(cfg, off) == set(fields), cause
        for key, value in fields.items():
            want = _get(cfg, SAME_AS[key]) if value is None else value
            assert _get(off, key) == want, (cause, key)
        check_ranges(off)
    assert repr(cfg) == before  # the input config is not modified
    assert set(CAUSE_SWITCHES) == set(CAUSES)


def test_switch_off_composes_and_makes_plain_runs(severe) -> None:
    cfg = _every_switch_bites(replace(severe, run=replace(severe.run, study="cause_decomposition", charts=True)))
    all_off = switch_off(cfg, CAUSES)
    changed = fields_changed(cfg, all_off) - {"run.study", "run.charts", "run.progress"}
    assert changed == set().union(*EXPECTED.values())
    assert all_off.run.study == "single" and all_off.run.charts is False
    with pytest.raises(ValueError, match="C6"):
        switch_off(cfg, ["C6"])


def test_unknown_method_is_rejected_before_any_run(severe) -> None:
    with pytest.raises(ValueError, match="method='banzhaf'"):
        decompose(severe, method="banzhaf")


# --------------------------------------------------------------------------- Shapley


def test_shapley_adds_up_to_factual_minus_all_off(shapley: pd.DataFrame) -> None:
    assert list(shapley.columns) == COLUMNS
    assert list(shapley["cause"]) == [*CAUSES, "baseline_remainder"]
    causes = shapley[shapley["cause"].isin(CAUSES)]
    factual, all_off = shapley["factual"].iloc[0], shapley["all_off"].iloc[0]
    assert abs(causes["contribution"].sum() - (factual - all_off)) < 1e-12
    assert math.isclose(causes["share"].sum(), 1.0, abs_tol=1e-12)
    rem = shapley[shapley["cause"] == "baseline_remainder"].iloc[0]
    assert rem["contribution"] == all_off and np.isnan(rem["share"])
    assert len(shapley.attrs["runs"]) == 32
    pts = _points_by_subset(shapley)
    assert pts[frozenset()] == factual and pts[frozenset(CAUSES)] == all_off
    assert (shapley["method"] == "shapley").all() and (shapley["metric"] == "cum_default_rate").all()


def test_shapley_equals_average_over_orders(shapley: pd.DataFrame) -> None:
    # Independent computation: switch the causes on one by one in each of the 120 orders.
    pts = _points_by_subset(shapley)
    total = dict.fromkeys(CAUSES, 0.0)
    orders = list(itertools.permutations(CAUSES))
    for order in orders:
        off = set(CAUSES)
        for c in order:
            before = pts[frozenset(off)]
            off.discard(c)
            total[c] += pts[frozenset(off)] - before
    got = shapley.set_index("cause")["contribution"]
    for c in CAUSES:
        assert got[c] == pytest.approx(total[c] / len(orders), abs=1e-12)


def test_personal_trouble_adds_defaults_in_a_severe_recession(shapley: pd.DataFrame) -> None:
    got = shapley.set_index("cause")["contribution"]
    assert got["C1"] > 0
    assert shapley["factual"].iloc[0] > shapley["all_off"].iloc[0]


# --------------------------------------------------------------------------- one at a time


def test_one_at_a_time_adds_up_with_interaction(one_at_a_time: pd.DataFrame, shapley: pd.DataFrame) -> None:
    df = one_at_a_time
    assert list(df["cause"]) == [*CAUSES, "interaction", "baseline_remainder"]
    assert len(df.attrs["runs"]) == 7
    factual, all_off = df["factual"].iloc[0], df["all_off"].iloc[0]
    parts = df[df["cause"] != "baseline_remainder"]["contribution"]
    assert abs(parts.sum() - (factual - all_off)) < 1e-12
    # Each contribution is factual − (that cause off), and the runs are the Shapley method's runs.
    pts, spts = _points_by_subset(df), _points_by_subset(shapley)
    got = df.set_index("cause")["contribution"]
    for c in CAUSES:
        assert got[c] == factual - pts[frozenset([c])]
        assert pts[frozenset([c])] == spts[frozenset([c])]  # same seed: same numbers
    assert factual == shapley["factual"].iloc[0] and all_off == shapley["all_off"].iloc[0]
    assert df.set_index("cause").loc["interaction", "label"] == "Interaction between causes"


def test_no_downturn_switch_changes_nothing_under_the_baseline_economy() -> None:
    base = compose(["economy=baseline", *SMALL])
    assert CAUSE_SWITCHES["C5"](base) == base
    df = decompose(base, method="one_at_a_time")
    assert df.set_index("cause").loc["C5", "contribution"] == 0.0


# --------------------------------------------------------------------------- the study and its outputs


def test_run_decomposition_writes_table_and_chart_then_summary(tmp_path: Path, severe) -> None:
    cfg = replace(severe, run=replace(severe.run, study="cause_decomposition", charts=True))
    out = tmp_path / "run"
    out.mkdir()
    (out / "summary.json").write_text("{}")  # a stale run: must not look complete during the new one
    res = run_decomposition(cfg, out)
    table = pd.read_parquet(out / DECOMPOSITION_FILE)
    assert {"cause", "contribution", "share"} <= set(table.columns)
    assert list(table["cause"]) == [*CAUSES, "baseline_remainder"]
    chart = out / "charts" / CHART_FILE
    assert mpimg.imread(chart).shape[:2] == (600, 1080)
    assert (out / "charts" / "default_rate.png").is_file()  # the normal charts are still there
    files = [p for p in out.rglob("*") if p.is_file()]
    summary_time = (out / "summary.json").stat().st_mtime_ns
    assert all(p.stat().st_mtime_ns <= summary_time for p in files)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary folder left
    summary = json.loads((out / "summary.json").read_text())
    assert summary["config"]["run"]["study"] == "cause_decomposition"
    assert summary["cause_decomposition"]["C1"] == pytest.approx(
        float(table.set_index("cause").loc["C1", "contribution"]), abs=0)
    # The factual outputs are those of the plain scenario (the first run of the decomposition).
    assert summary["metrics"]["cum_default_rate"]["mean"] * 100 == table["factual"].iloc[0]
    assert res.summary["cause_decomposition_method"] == "shapley"


def test_failed_decomposition_leaves_no_complete_directory(tmp_path: Path, severe, monkeypatch) -> None:
    cfg = replace(severe, run=replace(severe.run, study="cause_decomposition", charts=True))
    (tmp_path / "summary.json").write_text("{}")

    def boom(df, path):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(plots, "plot_cause_decomposition", boom)
    with pytest.raises(RuntimeError, match="chart failed"):
        run_decomposition(cfg, tmp_path, method="one_at_a_time")
    assert not (tmp_path / "summary.json").exists()
    assert not (tmp_path / DECOMPOSITION_FILE).exists()
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- the chart


def test_chart_interaction_bar_is_grey_and_labels_are_cause_names(tmp_path: Path) -> None:
    df = pd.DataFrame({
        "cause": [*CAUSES, "interaction", "baseline_remainder"],
        "label": [*(plots.CAUSE_LABELS[c] for c in CAUSES), "Interaction between causes",
                  "Left with all five causes off"],
        "contribution": [10.0, 2.0, 0.05, -0.5, 6.0, 1.45, 3.0],
    })
    df["share"] = df["contribution"] / 19.0
    df.loc[df["cause"] == "baseline_remainder", "share"] = np.nan
    df = df.assign(method="one_at_a_time", metric="cum_default_rate", factual=22.0, all_off=3.0)
    fig = plots.cause_decomposition_figure(df)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(df["label"])
    colours = [p.get_facecolor() for p in ax.patches]
    grey = mpl.colors.to_rgba(INTERACTION_COLOUR)
    assert colours[5] == grey and colours.count(grey) == 1
    texts = [t.get_fontsize() for t in fig.findobj(mpl.text.Text) if t.get_text()]
    assert min(texts) >= 10
    path = plots.plot_cause_decomposition(df, tmp_path / "c.png")
    assert mpimg.imread(path).shape[:2] == (600, 1080)
