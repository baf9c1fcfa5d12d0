"""Statistical tests of the calibrated default config against published bands and orderings.

Packaged default config (``compose``), 40,000 borrowers, 2 replicates, the default horizon.
Seeds are fixed (the config's ``run.seed``). The bands, their units and the publications they
are set from are in :mod:`simulator.studies.targets` (``DPD30``, ``DPD90``): 30+ and 90+ days
past due as shares of receivables, averaged over the last 24 months.

The accepted bands are wider than the published points because the model is a stylised book,
not a replica of any one lender. If the calibration is outside a band this test fails on
purpose: the band is the target of the tuning.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.config import compose
from simulator.core.economy import EconomyPath
from simulator.outputs.results import peak_quarterly_default_rates
from simulator.studies.runner import run
from simulator.studies.targets import DPD30, DPD90, LAST_MONTHS
from simulator.studies.validation import TRACKED_ECONOMIES, UNEMPLOYMENT_TOLERANCE, unemployment_gap

pytestmark = pytest.mark.slow

N = 40_000
REPLICATES = 2
ECONOMIES = ("baseline", "mild_recession", "severe_recession")


@pytest.fixture(scope="module")
def results():
    out = {}
    for eco in ECONOMIES:
        cfg = compose([f"run.n_borrowers={N}", f"run.replicates={REPLICATES}", f"economy={eco}",
                       "run.charts=false"])
        out[eco] = (cfg, run(cfg))
    return out


def _last_months_mean(ts, col, last):
    """Mean over replicates of each replicate's average of ``col`` over its last ``last`` months."""
    end = ts["month"].max()
    recent = ts[ts["month"] > end - last]
    return float(recent.groupby("replicate")[col].mean().mean())


def _print_measured(results):
    cfg, res = results["baseline"]
    ts = res.timeseries
    last = min(LAST_MONTHS, cfg.run.months)
    d30, d90 = _last_months_mean(ts, "dpd30_rate", last), _last_months_mean(ts, "dpd90_rate", last)
    print(f"\ncalibration (baseline, {N} borrowers, {REPLICATES} replicates, last {last} months): "
          f"dpd30 {d30:.4%}, dpd90 {d90:.4%}")
    return d30, d90


def test_horizon_is_long_enough(results):
    cfg, res = results["baseline"]
    assert cfg.run.months >= LAST_MONTHS, "the default horizon is shorter than the averaging window"
    assert res.timeseries.groupby("replicate").size().tolist() == [cfg.run.months] * REPLICATES


def test_dpd90_share_of_receivables_in_published_band(results):
    # Tolerance: the band itself. Sampling noise of a 24-month, 2-replicate average over ~25,000
    # accounts is ~0.1 point (replicates of this size differ by ~0.1 point), well inside a band
    # 1.5 points wide, so a result outside the band is the calibration, not chance.
    _, d90 = _print_measured(results)
    assert DPD90.contains(d90), f"dpd90 share {d90:.4%} outside {DPD90.band_text()}"


def test_dpd30_share_of_receivables_in_published_band(results):
    # Tolerance: the band itself (see above; noise ~0.1 point against a band 2 points wide).
    d30, _ = _print_measured(results)
    assert DPD30.contains(d30), f"dpd30 share {d30:.4%} outside {DPD30.band_text()}"


def test_freelancers_default_more_than_salaried(results):
    """cum_default_rate of freelancers > salaried, by more than 3 standard errors.

    Tolerance: each group's rate is a binomial proportion over its opened accounts; the
    difference must exceed 3 × its standard error sqrt(p1 q1 / n1 + p2 q2 / n2) (pooled over
    replicates), so a gap that chance alone could produce (p ≈ 0.001) does not pass.
    """
    seg = results["baseline"][1].segments
    end = seg[(seg["month"] == seg["month"].max()) & (seg["segment"] == "income_type")]
    g = end.groupby("group")[["cum_defaults", "n_cohort"]].sum()
    p = g["cum_defaults"] / g["n_cohort"]
    se = np.sqrt((p * (1 - p) / g["n_cohort"]).sum())
    gap = p["freelance"] - p["salaried"]
    print(f"\ncum_default_rate freelance {p['freelance']:.4f}, salaried {p['salaried']:.4f}, "
          f"gap {gap:.4f} (3 se = {3 * se:.4f})")
    assert gap > 3 * se


def test_peak_default_rate_rises_with_recession_severity(results):
    """Same seed, common random numbers: severe > mild > baseline (peak of the 3-month average).

    Tolerance: the orderings must hold for the mean over replicates and for each replicate
    alone. With common random numbers the three economies share every draw, so the differences
    are driven by the macro path, not noise; the mild-vs-baseline gap (unemployment +2.5 points)
    is several times the replicate-to-replicate spread of the peak (~10% of its level).
    """
    peak = {eco: results[eco][1].timeseries.groupby("replicate")
            .apply(lambda ts: peak_quarterly_default_rates(ts)[0]) for eco in ECONOMIES}
    summary = {eco: results[eco][1].summary["metrics"]["peak_default_rate"]["mean"]
               for eco in ECONOMIES}
    for eco in ECONOMIES:
        assert summary[eco] == pytest.approx(peak[eco].mean(), rel=1e-12)
    print("\npeak default rate: " + ", ".join(f"{e} {summary[e]:.5f}" for e in ECONOMIES))
    assert summary["severe_recession"] > summary["mild_recession"] > summary["baseline"]
    assert (peak["severe_recession"] > peak["mild_recession"]).all()
    assert (peak["mild_recession"] > peak["baseline"]).all()


def test_recessions_share_the_population_and_the_burn_in(results):
    """Common random numbers: the economies share every draw, so the reported months in which
    their macro paths are still equal (before the episode starts) are identical.
    """
    cfg0, res0 = results["baseline"]
    base = res0.timeseries
    p0 = EconomyPath.from_config(cfg0.economy, cfg0.run.months).to_frame()
    for eco in ("mild_recession", "severe_recession"):
        cfg, res = results[eco]
        p = EconomyPath.from_config(cfg.economy, cfg.run.months).to_frame()
        same = (p.drop(columns="month") == p0.drop(columns="month")).all(axis=1).to_numpy()
        n_same = int(np.argmin(same)) if not same.all() else len(same)
        if n_same == 0:
            pytest.skip(f"{eco} departs from the baseline path in month 0")
        cols = ["receivables", "new_defaults", "purchases", "n_active"]
        a = base[base["month"] < n_same][cols].reset_index(drop=True)
        b = res.timeseries[res.timeseries["month"] < n_same][cols].reset_index(drop=True)
        assert len(a) == REPLICATES * n_same
        assert a.equals(b), eco
        # and they do part once the episode runs
        assert not base[cols].equals(res.timeseries[cols]), eco


@pytest.mark.parametrize("name,overrides", TRACKED_ECONOMIES, ids=[n for n, _ in TRACKED_ECONOMIES])
def test_unemployed_share_follows_the_path(name, overrides):
    """The 3-month average of ``unemployed_share`` stays within 0.5 point of the path's.

    Tolerance: the expected share follows the path exactly (the labour market's flow identity);
    what is left is binomial noise of the monthly flows, sd ≈ 0.1 point for 40,000 borrowers and
    2 replicates, so 0.5 point is several standard deviations even for the largest of 60 months.
    """
    gap = unemployment_gap(overrides)
    print(f"\n{name}: max gap of 3-month averages {100 * gap:.3f} pt")
    assert gap <= UNEMPLOYMENT_TOLERANCE
