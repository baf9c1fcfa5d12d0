"""Money and accounts are conserved every month (realistic config, baseline and severe recession).

The model is stepped month by month (burn-in included) and after every step the arrays and the
recorder's row for the month are checked against identities that hold whatever the calibration:
stock–flow of receivables (per borrower and in total), account counts, non-negative stocks,
rates in range, buckets adding up. The pool is open (:mod:`simulator.core.pool`): a slot whose
person left holds a newcomer (told apart by a new draw of base income); the people who left are
in the recorder's retired records and still count in the cumulative figures.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.config import compose
from simulator.core.lender import charge_off_bucket, default_bucket
from simulator.core.model import CreditModel
from simulator.core.pool import PAID_UP
from simulator.core.state import (
    ACTIVE,
    CHARGED_OFF,
    DEFAULTED,
    NEVER,
    NOT_ARRIVED,
    REJECTED,
)

N = 5000
MONTHS = 24
BUCKET_COLS = ("recv_current", "recv_dpd_1_30", "recv_dpd_31_60", "recv_dpd_61_90", "recv_dpd_90p")
COUNT_COLS = ("n_current", "n_dpd_1_30", "n_dpd_31_60", "n_dpd_61_90", "n_dpd_90p")
MONEY_FIELDS = ("bill", "bill_next", "inst_balance", "inst_new", "arrears", "savings", "line",
                "income", "expense", "purchases_m", "impulse_m", "paid_m", "fees_m", "chargeoff_m",
                "default_balance")

# Stock–flow tolerance for the book total: balances are float32 per borrower (relative precision
# ~6e-8) and each month's update rounds a few float32 stores per account; summed over thousands
# of accounts in float64 the rounding stays ~1e-7 of receivables. 1e-4 is far above rounding
# noise. It is not sharp enough to catch one lost fee, so the per-borrower identity below is
# checked as well, with a float32 tolerance per account.
REL_BOOK = 1e-4
# Per borrower: |error| <= 1e-3 currency units + 1e-6 × the largest amount involved: a handful
# of float32 roundings of amounts up to ~1e5 (ulp ~0.008 at 1e5, ~1e-4 at 1e3).
ABS_ACC, REL_ACC = 1e-3, 1e-6


def _book(model) -> tuple[np.ndarray, np.ndarray]:
    pop = model.pop
    # in float64, as the recorder sums (Population.balance adds the float32 parts in float32)
    bal = sum(getattr(pop, k).astype(np.float64) for k in ("bill", "bill_next", "inst_balance",
                                                           "inst_new", "arrears"))
    return bal, pop.status.copy()


@pytest.fixture(scope="module", params=["baseline", "severe_recession"])
def stepped(request):
    """Step a model month by month, keeping each month's arrays-derived facts and its row."""
    cfg = compose([f"run.n_borrowers={N}", f"run.months={MONTHS}", f"economy={request.param}"])
    model = CreditModel(cfg, replicate=0)
    months = []
    try:
        prev_bal, prev_status = _book(model)
        prev_active = int(np.count_nonzero(model.pop.status == ACTIVE))
        prev_income = model.pop.base_income.copy()
        prev_row = None
        while model.month < cfg.run.months:
            t = model.month
            model.step()
            pop = model.pop
            bal, status = _book(model)
            row = model.recorder.rows[-1] if t >= 0 else None
            # copies of what the checks need, so the model can be released afterwards
            months.append(dict(
                t=t, prev_bal=prev_bal, bal=bal, prev_active=prev_active, prev_row=prev_row,
                row=dict(row) if row is not None else None, status=status,
                prev_status=prev_status,
                flows={k: getattr(pop, k).astype(np.float64) for k in
                       ("purchases_m", "fees_m", "paid_m", "chargeoff_m")},
                money={k: getattr(pop, k).copy() for k in MONEY_FIELDS},
                months_late=pop.months_late.copy(), open_month=pop.open_month.copy(),
                default_month=pop.default_month.copy(), closed_month=pop.closed_month.copy(),
                same=pop.base_income == prev_income,  # the same person holds the slot
                retired={k: v.copy() for k, v in model.recorder.retired.items()},
            ))
            prev_bal, prev_status, prev_income = bal, status, pop.base_income.copy()
            prev_active = int(np.count_nonzero(status == ACTIVE))
            if row is not None:
                prev_row = dict(row)
        ts = model.recorder.timeseries()
    finally:
        model.release()
    return cfg, months, ts


def _reported(stepped):
    return [m for m in stepped[1] if m["t"] >= 0]


def test_every_month_recorded_once(stepped):
    cfg, months, ts = stepped
    assert len(months) == cfg.run.burn_in + cfg.run.months
    assert ts["month"].tolist() == list(range(cfg.run.months))


def test_stock_flow_per_borrower(stepped):
    """balance(t) = balance(t−1) + purchases + fees − repayments − charge-offs, every account."""
    n_new = 0
    for m in stepped[1]:
        f = m["flows"]
        expected = m["prev_bal"] + f["purchases_m"] + f["fees_m"] - f["paid_m"] - f["chargeoff_m"]
        # the person who left owed less than PAID_UP (or was charged off); a newcomer starts at 0
        # (and may apply, buy and repay in its first month)
        new = ~m["same"]
        n_new += int(new.sum())
        assert (m["prev_bal"][new] < PAID_UP).all()
        expected[new] -= m["prev_bal"][new]
        scale = np.maximum.reduce([np.abs(m["prev_bal"]), np.abs(m["bal"]), f["purchases_m"],
                                   f["paid_m"], f["chargeoff_m"]])
        err = np.abs(m["bal"] - expected)
        bad = np.flatnonzero(err > ABS_ACC + REL_ACC * scale)
        assert bad.size == 0, (f"month {m['t']}: {bad.size} accounts break the stock-flow identity,"
                               f" e.g. borrower {bad[0]}: error {err[bad[0]]:.4f}")
    assert n_new > 0  # the pool did turn over


def test_stock_flow_of_receivables(stepped):
    """receivables(t) = receivables(t−1) + purchases + fees − repayments − charge_offs."""
    for m in _reported(stepped):
        r = m["row"]
        prev = m["prev_row"]["receivables"] if m["prev_row"] else m["prev_bal"].sum()
        expected = prev + r["purchases"] + r["fees"] - r["repayments"] - r["charge_offs"]
        assert r["receivables"] == pytest.approx(expected, rel=REL_BOOK), f"month {m['t']}"
        # the recorder's receivables are the sum of the balances in the arrays
        assert r["receivables"] == pytest.approx(m["bal"].sum(), rel=1e-9)


def test_accounts_are_conserved(stepped):
    prev_cum = 0
    for m in _reported(stepped):
        r, st, t = m["row"], m["status"], m["t"]
        opened = m["open_month"] != NEVER
        n_co = int(np.count_nonzero(st == CHARGED_OFF))
        ret = m["retired"]  # account holders who left the pool (their account closed or charged off)
        n_ret = len(ret.get("slot", ()))
        assert r["n_ever_opened"] == int(opened.sum()) + n_ret
        assert r["n_ever_opened"] == r["n_active"] + r["n_defaulted"] + n_co + n_ret
        assert r["n_active"] == int(np.count_nonzero(st == ACTIVE))
        assert r["n_defaulted"] == int(np.count_nonzero(st == DEFAULTED))
        # every opened account is active, defaulted or charged off; never-opened ones are not
        assert np.isin(st[opened], (ACTIVE, DEFAULTED, CHARGED_OFF)).all()
        assert np.isin(st[~opened], (NOT_ARRIVED, REJECTED)).all()
        # flows and stocks agree
        assert r["originations"] == int(np.count_nonzero(m["open_month"] == t))
        assert r["new_defaults"] == int(np.count_nonzero(m["default_month"] == t))
        rdm = ret.get("default_month", np.zeros(0))
        rcm = ret.get("closed_month", np.zeros(0))
        assert r["cum_defaults"] == int(np.count_nonzero(m["default_month"] >= 0) + np.count_nonzero(rdm >= 0))
        # cum_default_rate's cohort: opened, and not defaulted or closed (charged off, or closed
        # and left) before month 0
        dm, cm = m["default_month"], m["closed_month"]
        cohort = opened & ((dm == NEVER) | (dm >= 0)) & ((cm == NEVER) | (cm >= 0))
        r_cohort = ((rdm == NEVER) | (rdm >= 0)) & ((rcm == NEVER) | (rcm >= 0))
        assert r["n_cohort"] == int(cohort.sum() + r_cohort.sum()) and r["n_cohort"] <= r["n_ever_opened"]
        assert r["cum_defaults"] - prev_cum == r["new_defaults"]
        assert r["cum_defaults"] >= prev_cum
        prev_cum = r["cum_defaults"]
        # performing at the start of the month = active at the end of the previous month, less
        # the closed accounts whose holders left at the month's pool stage (closed_month = t)
        left = int(np.count_nonzero(rcm == t))
        assert r["n_performing_start"] == m["prev_active"] - left
        if m["prev_row"] is not None:
            assert r["n_performing_start"] == m["prev_row"]["n_active"] - left
            assert r["n_ever_opened"] - m["prev_row"]["n_ever_opened"] == r["originations"]
        # bucket counts cover the live (active + defaulted) accounts
        assert sum(r[c] for c in COUNT_COLS) == r["n_active"] + r["n_defaulted"]


def test_status_transitions_are_one_way(stepped):
    """For the same person (a slot whose person left holds a newcomer, who starts not arrived or
    applies at once); a rejected applicant may re-apply after the wait."""
    allowed = {  # from → to within one month
        NOT_ARRIVED: {NOT_ARRIVED, ACTIVE, REJECTED},
        REJECTED: {REJECTED, ACTIVE},
        ACTIVE: {ACTIVE, DEFAULTED},
        DEFAULTED: {DEFAULTED, CHARGED_OFF},
        CHARGED_OFF: {CHARGED_OFF},
    }
    for m in stepped[1]:
        assert np.isin(m["status"][~m["same"]], (NOT_ARRIVED, ACTIVE, REJECTED)).all()
        for a, tos in allowed.items():
            was = (m["prev_status"] == a) & m["same"]
            assert np.isin(m["status"][was], list(tos)).all(), f"month {m['t']} from {a}"


def test_no_negative_stocks_and_states_consistent(stepped):
    cfg = stepped[0]
    d_bucket, co_bucket = default_bucket(cfg.platform), charge_off_bucket(cfg.platform)
    for m in stepped[1]:
        for name, a in m["money"].items():
            assert np.isfinite(a).all(), f"{name} month {m['t']}"
            assert a.min() >= 0.0, f"{name} negative in month {m['t']}: {a.min()}"
        st, late, mon = m["status"], m["months_late"], m["money"]
        assert late.min() >= 0
        act, dfl, co = st == ACTIVE, st == DEFAULTED, st == CHARGED_OFF
        assert (late[act] < d_bucket).all()
        assert (late[dfl] >= d_bucket).all() and (late[dfl] < co_bucket).all()
        closed = dfl | co
        for name in ("line", "bill", "bill_next", "inst_balance", "inst_new"):
            assert (mon[name][closed] == 0).all(), f"{name} on a closed account, month {m['t']}"
        assert (m["bal"][co] == 0).all()
        never = ~(act | closed)
        assert (m["bal"][never] == 0).all() and (mon["line"][never] == 0).all()
        # current accounts have no arrears; late ones do
        assert (mon["arrears"][act & (late == 0)] == 0).all()
        assert (mon["arrears"][act & (late > 0)] > 0).all()
        assert (m["closed_month"][co] != NEVER).all()


def test_rates_in_range_and_buckets_add_up(stepped):
    ts = stepped[2]
    for col in ("default_rate", "cum_default_rate", "dpd30_rate", "dpd90_rate"):
        assert ts[col].between(0.0, 1.0).all(), col
    assert (ts["unemployment_rate"] > 0).all() and (ts["unemployment_rate"] < 1).all()
    assert (ts["utilization"] >= 0).all()
    # net charge-offs are negative only in a month whose recoveries (of earlier charge-offs, over
    # the recovery curve) exceed its own charge-offs
    assert (ts["charge_offs"] >= 0).all() and (ts["recoveries"] >= 0).all()
    assert ((ts["loss_rate"] >= 0) | (ts["recoveries"] > ts["charge_offs"])).all()
    assert (ts["dpd90_rate"] <= ts["dpd30_rate"]).all()
    buckets = ts[list(BUCKET_COLS)].sum(axis=1)
    np.testing.assert_allclose(buckets, ts["receivables"], rtol=1e-12)
    np.testing.assert_allclose(ts["dpd30_rate"],
                               ts[list(BUCKET_COLS[2:])].sum(axis=1) / ts["receivables"],
                               rtol=1e-12)
    np.testing.assert_allclose(ts["dpd90_rate"], ts["recv_dpd_90p"] / ts["receivables"],
                               rtol=1e-12)
    np.testing.assert_allclose(ts["default_rate"], ts["new_defaults"] / ts["n_performing_start"],
                               rtol=1e-12)
    np.testing.assert_allclose(ts["cum_default_rate"], ts["cum_defaults"] / ts["n_cohort"],
                               rtol=1e-12)
    # the book is not empty: otherwise every check above passes trivially
    assert (ts["n_active"] > 0).all() and (ts["receivables"] > 0).all()
    assert ts["new_defaults"].sum() > 0 and ts["charge_offs"].sum() > 0


def test_loss_rate_is_annualised_net_charge_offs_over_average_receivables(stepped):
    cfg, _, ts = stepped
    prev = ts["receivables"].shift(1).fillna(ts["receivables"])
    expected = 12 * (ts["charge_offs"] - ts["recoveries"]) / ((prev + ts["receivables"]) / 2)
    np.testing.assert_allclose(ts["loss_rate"], expected, rtol=1e-9)
    np.testing.assert_allclose(ts["net_charge_offs"], ts["charge_offs"] - ts["recoveries"], rtol=1e-12)
    # recoveries come in after charge-offs: recovery_rate ÷ recovery_months a month of each of the
    # last recovery_months months' charge-offs, times (base ÷ unemployment)^elasticity (checked
    # where the window lies inside the reported months)
    p, k = cfg.platform, cfg.platform.recovery_months
    window = ts["charge_offs"].shift(1).rolling(k).sum()
    scale = (cfg.economy.unemployment_base / ts["unemployment_rate"]) ** p.recovery_unemployment_elasticity
    expected_rec = p.recovery_rate / k * window * scale
    full = window.notna()
    assert full.sum() > 0
    np.testing.assert_allclose(ts["recoveries"][full], expected_rec[full], rtol=1e-9)


# --- the tidy tables agree with the time series ------------------------------------------------
@pytest.fixture(scope="module")
def tables():
    from simulator.studies.runner import run

    cfg = compose([f"run.n_borrowers={N}", f"run.months={MONTHS}", "run.replicates=2",
                   "economy=severe_recession", "run.charts=false"])
    return cfg, run(cfg)


def test_roll_rates_start_from_last_months_buckets(tables):
    """Accounts rolling out of bucket b in month t = accounts in bucket b at the end of t−1."""
    cfg, res = tables
    ts, rr = res.timeseries, res.roll_rates
    buckets = [c[len("n_"):] for c in COUNT_COLS]
    for (rep, t), g in rr.groupby(["replicate", "month"]):
        if t == 0:
            continue
        prev = ts[(ts["replicate"] == rep) & (ts["month"] == t - 1)].iloc[0]
        cur = ts[(ts["replicate"] == rep) & (ts["month"] == t)].iloc[0]
        out_of = g.groupby("from_bucket")["n_accounts"].sum()
        # less the closed (current, paid-up) accounts whose holders left at the pool stage
        left = prev["n_active"] - cur["n_performing_start"]
        assert left >= 0
        for b in buckets:
            assert out_of.get(b, 0) == prev[f"n_{b}"] - (left if b == "current" else 0), (rep, t, b)
        # shares of a from-bucket add up to 1 (when it has accounts)
        share = g.groupby("from_bucket")["share"].sum()
        for b in buckets:
            assert share[b] == pytest.approx(1.0 if out_of.get(b, 0) else 0.0, abs=1e-12)
        # accounts landing in a live bucket: the live accounts at the end of t that were not
        # opened this month; a new account can be at most 1–30 days late, so the 31+ buckets
        # match the time series exactly
        into = g.groupby("to_bucket")["n_accounts"].sum()
        live_into = sum(into.get(b, 0) for b in buckets)
        assert live_into == cur["n_active"] + cur["n_defaulted"] - cur["originations"]
        for b in buckets[2:]:
            assert into.get(b, 0) == cur[f"n_{b}"], (rep, t, b)
        # charged off this month: defaulted accounts leaving the live book
        assert into.get("charged_off", 0) == (prev["n_defaulted"] + cur["new_defaults"]
                                              - cur["n_defaulted"])


def test_segments_add_up_to_the_book(tables):
    _, res = tables
    ts, seg = res.timeseries.set_index(["replicate", "month"]), res.segments
    for name, g in seg.groupby("segment"):
        tot = g.groupby(["replicate", "month"])[["new_defaults", "n_performing_start",
                                                  "n_opened", "n_cohort", "cum_defaults"]].sum()
        assert (tot["new_defaults"] == ts["new_defaults"]).all(), name
        assert (tot["n_performing_start"] == ts["n_performing_start"]).all(), name
        assert (tot["n_opened"] == ts["n_ever_opened"]).all(), name
        assert (tot["n_cohort"] == ts["n_cohort"]).all(), name
        assert (tot["cum_defaults"] == ts["cum_defaults"]).all(), name


def test_causes_and_vintages_agree_with_the_time_series(tables):
    cfg, res = tables
    ts, causes, vin = res.timeseries, res.causes, res.vintages
    for rep, g in ts.groupby("replicate"):
        c = causes[causes["replicate"] == rep]
        # one cause row per default since month 0, in the month it happened
        assert len(c) == g["cum_defaults"].iloc[-1]
        per_month = c.groupby("default_month").size().reindex(g["month"], fill_value=0)
        assert per_month.tolist() == g["new_defaults"].tolist()
        assert c["cause"].isin(["C1", "C2", "C3", "C4", "C5"]).all()
        assert (c["balance"] > 0).all()
        v = vin[vin["replicate"] == rep]
        final = v.sort_values("months_on_book").groupby("vintage").last()
        # every account ever opened is in exactly one vintage
        assert final["n_opened"].sum() == g["n_ever_opened"].iloc[-1]
        assert v["vintage"].min() >= -cfg.run.burn_in and v["vintage"].max() < cfg.run.months
        # defaults of the vintages: those since month 0 plus those in the burn-in
        assert final["cum_defaults"].sum() >= g["cum_defaults"].iloc[-1]
        assert (v["cum_defaults"] <= v["n_opened"]).all()
        for _, vv in v.groupby("vintage"):
            assert vv.sort_values("months_on_book")["cum_defaults"].is_monotonic_increasing
