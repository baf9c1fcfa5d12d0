"""The lender over the cycle: under ``severe_recession`` the approval rate and open-to-buy fall
during the downturn and recover after it.

Packaged default config with ``economy=severe_recession``, 30,000 borrowers, 2 replicates (their
monthly figures averaged), seed 42, the default 60-month horizon: unemployment starts rising at
month 6, peaks at month 30 and is back near 6.5% at month 60. The lender sees its book's 30+
share with a lag and against a through-the-cycle level, so it tightens from about month 18 and
loosens again by about month 42. Windows: before the shock (months 0–5), the worst 6-month
average between months 12 and 47 (the downturn), late recovery (months 54–59).

Tolerances: a month has about 90 applicants per replicate here, so a 6-month average approval
rate has a standard error of about 0.02; the margins (0.05) are about half the effects measured
when written (falls of about 0.1, recovery of about 0.15).
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.config import compose
from simulator.core.model import CreditModel

pytestmark = pytest.mark.slow

N = 30_000


@pytest.fixture(scope="module")
def severe():
    cfg = compose([f"run.n_borrowers={N}", "run.replicates=2", "run.seed=42", "run.charts=false",
                   "run.progress=off", "economy=severe_recession"])
    parts = []
    for r in range(cfg.run.replicates):
        model = CreditModel(cfg, replicate=r)
        tight = []
        try:
            while model.month < cfg.run.months:
                model.step()
                if model.month > 0:
                    tight.append(model.lender.state.tightness)
            ts = model.recorder.timeseries()
        finally:
            model.release()
        ts["tightness"] = tight
        parts.append(ts)
    return pd.concat(parts).groupby("month").mean(numeric_only=True)


def windows(ts, col):
    trough = ts[col].rolling(6).mean().loc[17:47].min()  # 6-month windows ending in months 17..47
    peak = ts[col].rolling(6).mean().loc[17:47].max()
    return ts.loc[0:5, col].mean(), trough, peak, ts.loc[54:59, col].mean()


def test_the_lender_tightens_in_the_downturn_and_loosens_after_it(severe):
    before, _, peak, after = windows(severe, "tightness")
    print(f"\ntightness: before {before:.2f}, downturn (highest) {peak:.2f}, recovery {after:.2f}")
    assert peak > 0.8 and after < 0.2 and before < 0.2


def test_approval_rate_falls_in_the_downturn_and_recovers(severe):
    before, trough, _, after = windows(severe, "approval_rate")
    print(f"\napproval rate: before {before:.3f}, downturn {trough:.3f}, recovery {after:.3f}")
    assert trough < before - 0.05
    assert after > trough + 0.05


def test_open_to_buy_falls_in_the_downturn_and_recovers(severe):
    before, trough, _, after = windows(severe, "open_to_buy")
    print(f"\nopen to buy: before {before:,.0f}, downturn {trough:,.0f}, recovery {after:,.0f}")
    assert trough < 0.7 * before
    assert after > 1.2 * trough
