"""The ranked table of remedies of a policy sweep (simulator.outputs.remedies) and its report section."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulator.outputs.remedies import remedy_ranking, scenario_question, t_interval
from simulator.outputs.report import write_sweep_outputs
from simulator.outputs.report.remedies import signif_decimals
from simulator.outputs.sweep import collect_sweep

SMALL = ["run.n_borrowers=1500", "run.months=20", "run.burn_in=3", "run.replicates=3"]
POLICIES = ("none", "hardship", "joint_lending", "stimulus")  # stimulus pays in month 18


@pytest.fixture(scope="module")
def policy_sweep(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("policy_sweep")
    sweep_dir = cwd / "sweep"
    args = [sys.executable, "-m", "simulator", "-m", "scenario=policy_matrix", "economy=baseline,severe_recession",
            f"policy={','.join(POLICIES)}", *SMALL, f"hydra.sweep.dir={sweep_dir}"]
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    write_sweep_outputs(sweep_dir)
    return sweep_dir


@pytest.mark.slow
def test_ranked_table_matches_the_sweep_summary(policy_sweep):
    df = pd.read_parquet(policy_sweep / "sweep_summary.parquet")
    table = remedy_ranking(policy_sweep, collect_sweep(policy_sweep))
    assert len(table) == 2 * (len(POLICIES) - 1)
    mean = df[df["statistic"] == "mean"]

    def value(econ: str, policy: str, metric: str) -> float:
        sel = mean[(mean["economy"] == econ) & (mean["policy"] == policy) & (mean["metric"] == metric)]
        return float(sel["value"].item())

    for _, r in table.iterrows():
        econ = r["group"].replace(" ", "_")
        none_cdr, cdr = value(econ, "none", "cum_default_rate"), value(econ, r["policy"], "cum_default_rate")
        assert r["prevented_pp"] == pytest.approx(100 * (none_cdr - cdr))
        assert r["prevented_pct"] == pytest.approx(100 * (none_cdr - cdr) / none_cdr)
        none_p, p = value(econ, "none", "purchases"), value(econ, r["policy"], "purchases")
        assert r["volume_given_up_pct"] == pytest.approx(100 * (none_p - p) / none_p)
        # the paired interval holds the mean difference (common random numbers: same mean)
        assert r["ci_lo_pp"] <= r["prevented_pp"] + 1e-9 <= r["ci_hi_pp"] + 2e-9
    # ranked within each economy by defaults prevented
    for _, g in table.groupby("group"):
        assert list(g["rank"]) == list(range(1, len(g) + 1))
        assert list(g["prevented_pp"]) == sorted(g["prevented_pp"], reverse=True)
    jl = table[table["policy"] == "joint_lending"]
    assert (jl["partner_losses_change"] > 0).all()        # the partner bears part of the loss
    st = table[table["policy"] == "stimulus"]
    assert (st["public_money"] > 0).all()                 # stimulus records what it paid


@pytest.mark.slow
def test_report_opens_with_the_question_and_the_ranking(policy_sweep):
    text = (policy_sweep / "report.html").read_text()
    question = scenario_question("policy_matrix")
    assert question and question.startswith("How does each remedy fare")
    assert f"<h1>{question}</h1>" in text
    first = text[:text.index("<h2>What was run</h2>")]
    assert "Which remedy prevents the most defaults" in first
    assert "95% interval" in first and "joint lending" in first.lower()
    assert "who bears a loss" in first
    assert "R5 hardship restructuring:" in first      # one sentence per policy from its class
    assert "nan" not in first.lower().replace("financ", "")


def test_t_interval_and_rounding():
    assert t_interval([1.0, 2.0]) is None                 # too few replicates
    lo, hi = t_interval([1.0, 2.0, 3.0])
    assert (lo + hi) / 2 == pytest.approx(2.0)
    assert (hi - lo) / 2 == pytest.approx(4.303 * 1.0 / math.sqrt(3))
    assert signif_decimals(0.4) == 1 and signif_decimals(0.04) == 2 and signif_decimals(3.0) == 0


def test_economy_sentences_say_what_moves():
    from simulator.config.compose import compose
    from simulator.outputs.report.text import economy_text

    def text(name: str) -> str:
        cfg = compose([f"economy={name}"])
        from dataclasses import asdict
        return economy_text(asdict(cfg.economy))

    assert "unemployment steady" not in text("freelance_demand_shock").split("(")[0]
    assert "demand falls 40%" in text("freelance_demand_shock")
    assert "inflation rises" in text("stagflation")
    assert "no downturn" in text("baseline")


def _percent_axes_checked(figures) -> int:
    """Assert that every percentage axis labels its ticks with their values; return how many were seen."""
    from matplotlib.ticker import PercentFormatter

    seen = 0
    for fig in figures:
        fig.canvas.draw()
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                fmt = axis.get_major_formatter()
                if not isinstance(fmt, PercentFormatter):
                    continue
                seen += 1
                lo, hi = sorted(axis.get_view_interval())
                for tick in axis.get_major_ticks():
                    v, label = tick.get_loc(), tick.label1.get_text()
                    if not (lo - 1e-12 <= v <= hi + 1e-12) or not label:
                        continue
                    shown = float(label.replace("−", "-").rstrip("%")) / 100 * fmt.xmax
                    assert shown == pytest.approx(v, abs=1e-12), (fig.texts, label, v)
    return seen


@pytest.mark.slow
def test_tick_labels_equal_tick_values_on_every_percentage_axis(policy_sweep, tmp_path, monkeypatch):
    from simulator.outputs import io
    from simulator.outputs.charts import write_sweep_charts
    from simulator.outputs.results import RunResult

    seen = []
    real = io.save_figure

    def keep(fig, path, **kw):
        seen.append(_percent_axes_checked([fig]))  # checked before saving (saving clears the figure)
        return real(fig, path, **kw)

    monkeypatch.setattr(io, "save_figure", keep)
    write_sweep_charts(policy_sweep, collect_sweep(policy_sweep), tmp_path / "sweep")
    RunResult.load(policy_sweep / "0").save(tmp_path / "run", charts=True)
    assert len(seen) >= 6 and sum(seen) >= 6


def test_percent_ticks_formatter():
    from simulator.outputs.charts.style import PercentTicks

    f = PercentTicks(1.0)
    f.set_locs([0.0, 0.0025, 0.005, 0.0075, 0.01, 0.0125])
    assert [f(v) for v in (0.0, 0.0025, 0.005, 0.01, 0.0125)] == ["0.00%", "0.25%", "0.50%", "1.00%", "1.25%"]
    f.set_locs([0.0, 0.2, 0.4])
    assert [f(v) for v in (0.0, 0.2, 0.4)] == ["0%", "20%", "40%"]
