"""The lender over the cycle: under ``severe_recession`` the approval rate and open-to-buy fall
during the downturn and recover after it.

Packaged default config with ``economy=severe_recession``, 20,000 borrowers, one replicate, seed
42, the default 60-month horizon (unemployment starts rising at month 6, peaks at month 30 and is
back near 6.5% at month 60). Windows: before the shock (months 0–5), the worst of the downturn
(months 24–35), late recovery (months 48–59). At this size a month has about 100 applicants and
the three windows' approval rates differ by 0.15–0.2; the tolerances below leave room for the
noise of one replicate (a month's approval rate has a standard error of about 0.045).
"""

from __future__ import annotations

import pytest

from simulator.config import compose
from simulator.core.model import CreditModel

pytestmark = pytest.mark.slow

N = 20_000


@pytest.fixture(scope="module")
def severe():
    cfg = compose([f"run.n_borrowers={N}", "run.replicates=1", "run.seed=42", "run.charts=false",
                   "run.progress=off", "economy=severe_recession"])
    model = CreditModel(cfg)
    tight = []
    try:
        while model.month < cfg.run.months:
            model.step()
            if model.month > 0:
                tight.append(model.lender.state.tightness)
        ts = model.recorder.timeseries().set_index("month")
    finally:
        model.release()
    ts["tightness"] = tight
    return ts


def windows(ts, col):
    return (ts.loc[0:5, col].mean(), ts.loc[24:35, col].mean(), ts.loc[48:59, col].mean())


def test_the_lender_tightens_in_the_downturn_and_loosens_after_it(severe):
    before, trough, after = windows(severe, "tightness")
    print(f"\ntightness: before {before:.2f}, downturn {trough:.2f}, recovery {after:.2f}")
    assert trough > 0.8 and after < 0.2 and before < 0.3


def test_approval_rate_falls_in_the_downturn_and_recovers(severe):
    before, trough, after = windows(severe, "approval_rate")
    print(f"\napproval rate: before {before:.3f}, downturn {trough:.3f}, recovery {after:.3f}")
    assert trough < before - 0.08
    assert after > trough + 0.08


def test_open_to_buy_falls_in_the_downturn_and_recovers(severe):
    before, trough, after = windows(severe, "open_to_buy")
    print(f"\nopen to buy: before {before:,.0f}, downturn {trough:,.0f}, recovery {after:,.0f}")
    assert trough < 0.7 * before
    assert after > 1.2 * trough
