"""The open pool (core/pool.py) and two-way line management (core/lender.py review_lines).

Hand cases with hazards of 0 or 1, so every outcome is known; a turnover-heavy run whose
cumulative counts, vintages and causes must still count the people who left.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.config import compose
from simulator.core.economy import MonthEnv
from simulator.core.lender import make_lender_params, review_lines
from simulator.core.pool import PoolTurnover, arrival_wait, turn_over
from simulator.core.rng import Streams
from simulator.core.state import ACTIVE, CHARGED_OFF, NEVER, NOT_ARRIVED, REJECTED, Population


def _cfg(**pop):
    over = [f"population.{k}={v}" for k, v in pop.items()]
    return compose(["run.n_borrowers=6", "run.block_size=8", *over])


def _pop():
    """Six people: a prospect, a rejected applicant of month -6, a current account owing 100, a
    paid-up current account, a late account, a borrower charged off at month -12."""
    p = Population.empty(6)
    p.base_income[:] = 5000.0
    p.income[:] = 5000.0
    p.status[:] = (NOT_ARRIVED, REJECTED, ACTIVE, ACTIVE, ACTIVE, CHARGED_OFF)
    p.arrival_month[:] = (20, -6, -30, -30, -30, -40)
    p.open_month[2:] = -30
    p.line[2:5] = 1000.0
    p.bill[2] = 100.0
    p.months_late[4] = 1
    p.arrears[4] = 50.0
    p.closed_month[5] = -12
    p.default_month[5] = -20
    return p


def _turn(cfg, p, month=0):
    retired = []
    counts = turn_over(PoolTurnover(cfg, (0.0, 1.0)), p, Streams(1, 0, 8), [slice(0, 6)], month, 0.05,
                       lambda pop, idx, closing, m: retired.append((idx.copy(), closing.copy(), m)))
    return counts, retired


def test_nobody_moves_with_zero_hazards():
    cfg = _cfg(exit_hazard=0, attrition_hazard=0, reapply_share=1, reapply_months=12)
    p = _pop()
    before = {k: getattr(p, k).copy() for k in ("status", "line", "arrival_month")}
    counts, retired = _turn(cfg, p)
    # the charged-off borrower leaves 12 months (recovery_months) after the charge-off
    assert counts == {"exits": 1, "closures": 0, "reapplied": 0}
    assert [r[0].tolist() for r in retired] == [[5]] and not retired[0][1].any()
    assert p.status[5] == NOT_ARRIVED and p.open_month[5] == NEVER and p.closed_month[5] == NEVER
    assert p.arrival_month[5] >= 0  # the newcomer applies at the pool's arrival hazard from now
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(p, k)[:5], v[:5])


def test_everyone_who_may_leave_leaves_with_hazards_of_one():
    cfg = _cfg(exit_hazard=1, attrition_hazard=1, reapply_share=0, reapply_months=6)
    p = _pop()
    counts, retired = _turn(cfg, p)
    # leave: the prospect, the rejected applicant who does not re-apply, the paid-up account
    # (closed and paid up), the charged-off borrower; the account owing 100 starts closing (line
    # 0, runs off); the late account stays
    assert counts == {"exits": 4, "closures": 1, "reapplied": 0}
    assert retired[0][0].tolist() == [3, 5] and retired[0][1].tolist() == [True, False]
    assert p.status.tolist()[:5] == [NOT_ARRIVED, NOT_ARRIVED, ACTIVE, NOT_ARRIVED, ACTIVE]
    assert p.closing[2] and p.line[2] == 0 and p.bill[2] == 100.0
    assert not p.closing[4] and p.line[4] == 1000.0
    # next month, once it is paid up, the closing account's holder leaves too
    p.bill[2] = 0.0
    counts, retired = _turn(cfg, p, month=1)
    assert 2 in retired[0][0].tolist()


def test_rejected_applicant_reapplies_after_the_wait_with_new_errors():
    cfg = _cfg(exit_hazard=0, attrition_hazard=0, reapply_share=1, reapply_months=6)
    p = _pop()
    noise = p.score_noise[1]
    counts, _ = _turn(cfg, p)
    assert counts["reapplied"] == 1
    assert p.status[1] == NOT_ARRIVED and p.arrival_month[1] == 0 and p.score_noise[1] != noise
    p2 = _pop()
    _turn(cfg, p2, month=-1)  # one month short of the wait
    assert p2.status[1] == REJECTED


def test_arrival_wait_is_geometric():
    u = np.array([0.0, 0.019, 0.02, 0.5])
    # P(wait = 0) = rate; median wait log(0.5) / log(0.98) = 34.3 months
    np.testing.assert_array_equal(arrival_wait(u, 0.02), [0, 0, 1, 34])
    assert arrival_wait(u, 0.0).min() >= 30000


def _review_case(**account):
    cfg = compose(["run.n_borrowers=1"])
    q = make_lender_params(cfg.platform, cfg.population)
    p = Population.empty(1)
    p.base_income[:] = 5000.0
    p.income[:] = 5000.0
    p.status[:] = ACTIVE
    p.open_month[:] = -6  # month 0 is the first review (review_months = 6)
    p.purchases_m[:] = 100.0
    for k, v in account.items():
        getattr(p, k)[:] = v
    env = MonthEnv(0, 1, 0.05, 1.0, 1.0, 1.0, 0.01, 0.02, 0.25, 0.01, 0.02, False)
    review_lines(p.arrays(), 0, 1, env, q)
    return q, p


def test_review_raises_a_good_payer_toward_the_best_line_by_raise_share():
    # usual income 5000 x error factor exp(-0.045) (noise 0): best line 0.6 x 1.6 x that = 4589
    q, p = _review_case(line=2000.0, bill=1000.0, ontime_streak=12)
    assert p.line[0] == pytest.approx(2000.0 * (1 + q.raise_share))
    q, p = _review_case(line=4500.0, bill=2000.0, ontime_streak=12)
    assert p.line[0] == pytest.approx(0.6 * 1.6 * 5000.0 * np.exp(-0.045), rel=1e-5)


def test_review_cuts_deteriorating_risk_toward_the_score_line_by_the_decrease_share():
    # past due: target = 0.6 x est x (1 + 0.3 x score 0) = 2868; a 4000 line is cut by 20% to 3200
    q, p = _review_case(line=4000.0, bill=500.0, months_late=1, late_count=1)
    assert p.line[0] == pytest.approx(4000.0 * (1 - q.line_decrease_share))
    q, p = _review_case(line=3000.0, bill=500.0, months_late=1, late_count=1)
    assert p.line[0] == pytest.approx(0.6 * 5000.0 * np.exp(-0.045), rel=1e-5)


def test_review_cuts_the_unused_line_of_an_idle_account():
    q, p = _review_case(line=2000.0, bill=200.0, purchases_m=0.0, idle_months=5, ontime_streak=12)
    assert p.idle_months[0] == 6
    assert p.line[0] == pytest.approx(2000.0 - q.inactive_line_cut * 1800.0)


def test_people_who_leave_still_count_in_cumulative_figures(make_model):
    cfg = compose(["run.n_borrowers=3000", "run.months=24", "run.burn_in=6", "run.block_size=1024",
                   "economy=severe_recession", "population.exit_hazard=0.1",
                   "population.attrition_hazard=0.1", "population.arrival_rate=0.2"])
    model = make_model(cfg)
    model.run()
    ts = model.recorder.timeseries()
    assert model.pop.n == 3000 and len(model.recorder.retired["slot"]) > 500
    causes = model.causes()
    assert ts["cum_defaults"].iloc[-1] == len(causes) > 0
    assert causes["borrower"].between(0, 2999).all()
    v = model.vintages()
    assert v[v["months_on_book"] == 0]["n_opened"].sum() == ts["n_ever_opened"].iloc[-1]
    # defaults by vintage and months on book, summed over vintages: every default of an account
    # opened in the table's window, leavers included
    book = model.recorder.book(model.pop)
    final = v[v["vintage"] + v["months_on_book"] == cfg.run.months - 1]
    assert final["cum_defaults"].sum() == int((book.default_month != NEVER).sum())
