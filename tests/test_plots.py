"""Tests for simulator.outputs.charts: charts are written, sized right and skip empty tables."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from simulator.outputs import charts as plots
from simulator.outputs.charts import breakdowns
from simulator.outputs.charts import run as run_charts

N_REP = 3
N_MONTHS = 24
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EXPECTED_SHAPE = (round(plots.FIGSIZE[1] * plots.DPI), round(plots.FIGSIZE[0] * plots.DPI))


def make_ts(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(N_REP):
        cum = 0.0
        for m in range(N_MONTHS):
            unemp = 0.05 + 0.03 * (m >= 12) + rng.normal(0, 0.002)
            dr = max(0.004 + 0.01 * (m >= 12) + rng.normal(0, 0.001), 0.0)
            cum += dr * 0.8
            recv = 1e6 * (1 + 0.02 * m)
            d = rng.uniform(0.005, 0.03, size=4)
            rows.append(
                {
                    "replicate": r,
                    "month": m,
                    "unemployment_rate": unemp,
                    "n_active": 1000.0,
                    "new_defaults": dr * 1000,
                    "default_rate": dr,
                    "cum_default_rate": cum,
                    "dpd30_rate": d[1:].sum(),
                    "dpd90_rate": d[3],
                    "receivables": recv,
                    "recv_current": recv * (1 - d.sum()),
                    "recv_dpd_1_30": recv * d[0],
                    "recv_dpd_31_60": recv * d[1],
                    "recv_dpd_61_90": recv * d[2],
                    "recv_dpd_90p": recv * d[3],
                    "credit_limit": 2e6,
                    "utilization": recv / 2e6,
                    "charge_offs": recv * 0.002,
                    "loss_rate": 0.002,
                }
            )
    return pd.DataFrame(rows)


def make_seg(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    groups = {
        "income_type": ["salaried", "freelance"],
        "impulse_tercile": ["low", "mid", "high"],
        "credit_file": ["thin", "established"],
        "region": ["north"],  # unknown segment: shown as-is
    }
    rows = []
    for r in range(N_REP):
        for m in range(N_MONTHS):
            for s, gs in groups.items():
                for i, g in enumerate(gs):
                    rate = (0.002 + 0.001 * i) * (m + 1) + rng.normal(0, 0.001)
                    rows.append(
                        {
                            "replicate": r,
                            "month": m,
                            "segment": s,
                            "group": g,
                            "n_performing_start": 300.0,
                            "new_defaults": 2.0,
                            "default_rate": 0.006,
                            "n_opened": 400.0,
                            "cum_defaults": rate * 400,
                            "cum_default_rate": max(rate, 0.0),
                        }
                    )
    return pd.DataFrame(rows)


def make_vin(seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(N_REP):
        for v in range(-3, N_MONTHS):
            n_opened = 50.0 if v % 5 == 0 else 200.0
            cum = 0.0
            for mob in range(N_MONTHS - max(v, 0)):
                cum += abs(rng.normal(0.004, 0.001))
                rows.append(
                    {
                        "replicate": r,
                        "vintage": v,
                        "months_on_book": mob,
                        "n_opened": n_opened,
                        "cum_defaults": cum * n_opened,
                        "cum_default_rate": cum,
                    }
                )
    return pd.DataFrame(rows)


def make_causes(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = ["C1", "C2", "C4", "C5"]  # C3 deliberately absent
    n = 60
    cause = rng.choice(codes, size=n)
    return pd.DataFrame(
        {
            "replicate": rng.integers(0, N_REP, size=n),
            "borrower": np.arange(n),
            "default_month": rng.integers(0, N_MONTHS, size=n),
            "cause": cause,
            "cause_label": [plots.CAUSE_LABELS[c] for c in cause],
            "income_type": rng.choice(["salaried", "freelance"], size=n),
            "balance": rng.uniform(50, 500, size=n),
        }
    )


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {"ts": make_ts(), "seg": make_seg(), "vin": make_vin(), "causes": make_causes()}


def _check_png(path: Path) -> None:
    assert path.exists()
    assert path.read_bytes()[:8] == PNG_MAGIC
    img = mpimg.imread(path)
    assert img.shape[:2] == EXPECTED_SHAPE


def test_write_charts_writes_all_five(tmp_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    out = tmp_path / "charts" / "nested"
    paths = plots.write_charts(tables["ts"], tables["seg"], tables["vin"], tables["causes"], out)
    assert [p.name for p in paths] == list(plots.CHART_FILES.values())
    for p in paths:
        assert p.parent == out
        _check_png(p)


def test_empty_table_skips_its_chart(tmp_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    paths = plots.write_charts(
        tables["ts"].iloc[0:0], tables["seg"].iloc[0:0], None, tables["causes"], tmp_path
    )
    assert [p.name for p in paths] == ["causes.png"]
    for name in plots.CHART_FILES.values():
        assert (tmp_path / name).exists() == (name == "causes.png")


def test_single_replicate_charts(tmp_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    # One run: no percentile band / error bars, and nothing breaks.
    one = {k: v[v["replicate"] == 0] for k, v in tables.items()}
    _check_png(plots.plot_default_rate(one["ts"], tmp_path / "dr.png"))
    _check_png(plots.plot_default_by_segment(one["seg"], tmp_path / "seg.png"))


def test_cause_counts_by_hand() -> None:
    causes = pd.DataFrame(
        {
            "replicate": [0, 0, 0, 1, 1, 1],
            "cause": ["C1", "C1", "C2", "C1", "C5", "C9"],
            "cause_label": ["C1 Money trouble", "", "C2 Over-granting", "", "C5 Downturn", "C9 X"],
        }
    )
    table = breakdowns._cause_counts(causes, n_replicates=3)
    assert list(table.index) == ["C1", "C2", "C3", "C4", "C5", "C9"]
    assert list(table["count"]) == [3, 1, 0, 0, 1, 1]
    np.testing.assert_allclose(table["per_run"], [1.0, 1 / 3, 0.0, 0.0, 1 / 3, 1 / 3])
    np.testing.assert_allclose(table["share"], [0.5, 1 / 6, 0.0, 0.0, 1 / 6, 1 / 6])
    assert table.loc["C1", "label"] == "C1 Money trouble"
    assert table.loc["C3", "label"] == plots.CAUSE_LABELS["C3"]
    # Without n_replicates the distinct replicates in the table are used.
    np.testing.assert_allclose(breakdowns._cause_counts(causes)["per_run"].iloc[0], 1.5)


def test_cause_counts_share_each_default_by_its_weights() -> None:
    # three defaults: {C1}, {C1, C5} and {C1, C2, C4, C5}: C1 1 + 0.5 + 0.25, C5 0.5 + 0.25, ...
    w = np.array([[1, 0, 0, 0, 0], [0.5, 0, 0, 0, 0.5], [0.25, 0.25, 0, 0.25, 0.25]])
    causes = pd.DataFrame({"replicate": [0, 0, 1], "cause": ["C1", "C5", "C5"],
                           **{f"weight_C{k + 1}": w[:, k] for k in range(5)}})
    table = breakdowns._cause_counts(causes)
    np.testing.assert_allclose(table["count"], [1.75, 0.25, 0.0, 0.25, 0.75])
    np.testing.assert_allclose(table["per_run"], [0.875, 0.125, 0.0, 0.125, 0.375])
    np.testing.assert_allclose(table["share"], [1.75 / 3, 0.25 / 3, 0.0, 0.25 / 3, 0.75 / 3])
    fig = plots.causes_figure(causes)
    assert "shared equally" in fig.axes[0].get_title()


def test_cause_counts_empty_shows_all_five() -> None:
    table = breakdowns._cause_counts(pd.DataFrame({"cause": pd.Series([], dtype=str)}))
    assert list(table.index) == list(plots.CAUSE_LABELS)
    assert table["count"].sum() == 0
    assert table["share"].sum() == 0


def test_causes_figure_has_five_tick_labels(tables: dict[str, pd.DataFrame]) -> None:
    fig = plots.causes_figure(tables["causes"])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == list(plots.CAUSE_LABELS.values())


def test_segment_labels_and_order(tables: dict[str, pd.DataFrame]) -> None:
    fig = plots.default_by_segment_figure(tables["seg"])
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[:3] == ["Salaried", "Freelance", "Low impulse spending"]
    assert ticks[-1] == "north"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "Income type",
        "Impulse-spending tercile",
        "Credit file at application",
        "region",
    ]


def test_pick_vintages(tables: dict[str, pd.DataFrame]) -> None:
    picked = breakdowns._pick_vintages(tables["vin"])
    assert 1 <= len(picked) <= 8
    assert all(v % 5 != 0 for v in picked)  # those have only 50 accounts opened
    assert picked == sorted(picked)


def test_bucket_shares(tables: dict[str, pd.DataFrame]) -> None:
    ts = tables["ts"]
    shares = run_charts._bucket_shares(ts)
    expected = (ts["recv_dpd_90p"] / ts["receivables"]).groupby(ts["month"]).mean()
    np.testing.assert_allclose(shares["recv_dpd_90p"], expected)
    assert list(shares.index) == list(range(N_MONTHS))
