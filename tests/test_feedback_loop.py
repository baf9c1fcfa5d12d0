"""The macro feedback loop (issue 11): lender funding, blocked purchases, effective demand and
unemployment, the switch, common random numbers, fast ≡ agent, the amplification study and the
countercyclical policy.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from simulator.config import ConfigError, compose
from simulator.core.economy import DemandFeedback, pool_spending
from simulator.core.funding import FundingState, own_book, update_funding
from simulator.core.lender import LenderState, update_appetite
from simulator.core.state import ACTIVE, CHARGED_OFF, DEFAULTED
from simulator.outputs.rundir import LOOP_OFF_DIR
from simulator.studies.feedback import run_feedback_amplification

#: Columns the loop adds (path beside effective, the lender's funding); all others are main's.
LOOP_COLUMNS = {"unemployment_path", "demand_path", "demand_factor", "spending_ratio", "tightness",
                "capital_ratio", "funding_cost", "abs_available", "funding_pressure", "constrained_purchases",
                "equity", "recapitalisation"}
#: A small recession run with defaults and a lender that tightens: 3,000 borrowers in 3 blocks.
RECESSION = ["run.n_borrowers=3000", "run.months=30", "run.burn_in=14", "run.block_size=1024",
             "run.replicates=1", "run.charts=false", "economy=severe_recession", "economy.shock_start=2",
             "economy.months_to_peak=10"]


def _tables(make_model, overrides):
    model = make_model(compose(overrides))
    model.run()
    return model.recorder.timeseries(), model.recorder.segments(), model.recorder.roll_rates()


# --- unit cases, computed by hand ----------------------------------------------------------------
def _platform(**kw):
    base = dict(capital_target=0.2, abs_funding_share=0.5, funding_rate=0.06, funding_spread_sensitivity=0.1,
                abs_availability_sensitivity=0.5, operating_cost_rate=0.12, capital_appetite_sensitivity=2.0,
                appetite_smoothing_months=2.0, appetite_ttc_months=10.0, appetite_tolerance=0.1,
                recap_floor=0.0, recap_delay_months=0)
    base.update(kw)
    return SimpleNamespace(**base)


def test_funding_books_profit_pays_out_above_target_and_floors_at_zero():
    p = _platform()
    st = FundingState()
    assert update_funding(st, 1000.0, None, p) == 0.0  # month 0: equity at target
    assert st.equity == pytest.approx(200.0) and st.capital_ratio == pytest.approx(0.2)
    # a month with loss rate at its (first) level: no excess; profit = 30 − 5 − 0.06/12 × 800 − 0.01 × 1000 = 11
    last = {"revenue": 30.0, "platform_net_losses": 5.0, "receivables": 1000.0, "loss_rate": 0.06}
    update_funding(st, 1100.0, last, p)
    assert st.equity == pytest.approx(211.0)  # under 0.2 × 1100 = 220: kept
    assert st.funding_cost == pytest.approx(0.06) and st.abs_available == 1.0
    update_funding(st, 900.0, last, p)  # profit again; target 180: the excess is paid out
    assert st.equity == pytest.approx(180.0) and st.pressure == 0.0
    # a loss larger than the equity: floored at 0, full capital shortfall (1 − 0.1 − 0), pressure capped at 1
    update_funding(st, 900.0, dict(last, platform_net_losses=1000.0), p)
    assert st.equity == 0.0 and st.pressure == 1.0
    # the shareholder covered the loss beyond the equity: 30 − 1000 − 0.06/12 × (900 − 180) − 10 = −983.6
    # against 180 of equity; recap_floor 0: no injection, the equity stays at 0
    assert st.recapitalisation == pytest.approx(803.6)
    update_funding(st, 900.0, dict(last, platform_net_losses=0.0, revenue=0.0), p)
    assert st.equity == 0.0 and st.recapitalisation == pytest.approx(0.06 / 12 * 900 + 10)


def test_shareholder_recapitalises_after_the_delay_below_the_floor():
    p = _platform(recap_floor=0.1, recap_delay_months=2)
    st = FundingState()
    update_funding(st, 1000.0, None, p)
    last = {"revenue": 0.0, "platform_net_losses": 150.0, "receivables": 1000.0, "loss_rate": 0.05}
    update_funding(st, 1000.0, last, p)  # 200 − 150 − 0.06/12 × 800 − 10 = 36: ratio 0.036 < 0.1, month 1 below
    assert st.equity == pytest.approx(36.0) and st.recapitalisation == 0.0 and st.months_below_floor == 1
    quiet = dict(last, platform_net_losses=0.0)
    update_funding(st, 1000.0, quiet, p)  # 36 − 0.06/12 × 964 − 10 = 21.18, month 2 below: still waiting
    assert st.equity == pytest.approx(21.18) and st.recapitalisation == 0.0 and st.pressure == 1.0
    update_funding(st, 1000.0, quiet, p)  # 21.18 − 0.06/12 × 978.82 − 10 = 6.2859; month 3 > delay: back to 200
    assert st.recapitalisation == pytest.approx(200.0 - 6.2859)
    assert st.equity == pytest.approx(200.0) and st.pressure == 0.0 and st.months_below_floor == 0
    update_funding(st, 1000.0, quiet, p)  # nothing more to pay
    assert st.recapitalisation == 0.0
    # with capital relief the shareholder restores only the relieved target (half of 0.2)
    r = FundingState(relief=0.5)
    update_funding(r, 1000.0, None, _platform(recap_floor=0.1, recap_delay_months=0))
    update_funding(r, 1000.0, last, _platform(recap_floor=0.1, recap_delay_months=0))
    assert r.recapitalisation == pytest.approx(100.0 - 36.0) and r.equity == pytest.approx(100.0)


def test_funding_loss_excess_raises_cost_and_dries_up_abs():
    p = _platform(capital_appetite_sensitivity=1.0)
    st = FundingState()
    update_funding(st, 1000.0, None, p)
    last = {"revenue": 100.0, "platform_net_losses": 0.0, "receivables": 1000.0, "loss_rate": 0.05}
    update_funding(st, 1000.0, last, p)  # smoothed = ttc = 0.05
    update_funding(st, 1000.0, dict(last, loss_rate=0.15), p)
    # smoothed 0.05 + (0.15 − 0.05)/2 = 0.10; ttc 0.05 + 0.10/2 = 0.10 → no excess yet
    assert st.loss_smoothed == pytest.approx(0.10) and st.loss_ttc == pytest.approx(0.10)
    update_funding(st, 1000.0, dict(last, loss_rate=0.30), p)
    # smoothed 0.20, ttc 0.10 + 0.20/3 = 0.1667: excess 0.2/0.1667 − 1 − 0.1 = 0.1
    excess = 0.20 / (0.10 + 0.20 / 3) - 1.1
    assert st.funding_cost == pytest.approx(0.06 + 0.5 * 0.1 * excess)
    assert st.abs_available == pytest.approx(1 - 0.5 * excess)
    assert st.pressure == pytest.approx(0.5 * 0.5 * excess)  # funding gap; capital is at target


def test_capital_relief_lowers_the_shortfall_without_a_payout():
    p = _platform()
    a, b = FundingState(), FundingState(relief=0.5)
    for st in (a, b):
        update_funding(st, 1000.0, None, p)
        update_funding(st, 1000.0, {"revenue": 0.0, "platform_net_losses": 120.0, "receivables": 1000.0,
                                    "loss_rate": 0.05}, p)
    # both: equity 200 − 120 − 0.06/12 × 800 − 10 = 66; shortfall 1 − 0.1 − 0.066/0.2 = 0.57 vs 0.1/0.5 → 0.24
    assert a.equity == pytest.approx(66.0) and b.equity == pytest.approx(66.0)
    assert a.pressure == pytest.approx(1.0) and b.pressure == pytest.approx(2 * (0.9 - 0.066 / 0.1))


def test_appetite_pressure_is_added_and_off_without_acting():
    p = SimpleNamespace(appetite_smoothing_months=3.0, appetite_ttc_months=36.0, appetite_sensitivity=2.0,
                        appetite_tolerance=0.2)
    assert update_appetite(LenderState(), 0.02, p, act=True, pressure=0.3) == pytest.approx(0.3)
    assert update_appetite(LenderState(), 0.02, p, act=False, pressure=0.3) == 0.0
    assert update_appetite(LenderState(), 0.02, p, act=True, pressure=5.0) == 1.0


def test_demand_feedback_factor_and_effective_values():
    cfg = SimpleNamespace(feedback=True, bnpl_consumption_share=0.2, forgone_share=0.5,
                          unemployment_demand_sensitivity=0.16)
    fb = DemandFeedback(cfg)
    fb.observe(3, 0.9, reported=False)  # baseline of March
    fb.observe(3, 0.72, reported=True)  # ratio 0.8 → factor 1 + 0.2 × (−0.2) = 0.96
    assert fb.ratio == pytest.approx(0.8) and fb.factor == pytest.approx(0.96)
    u, d = fb.effective(0.05, 0.9)
    assert u == pytest.approx(0.05 + 0.16 * 0.04) and d == pytest.approx(0.9 * 0.96)
    fb.observe(4, 0.5, reported=True)  # April has no baseline: factor kept
    assert math.isnan(fb.ratio) and fb.factor == pytest.approx(0.96)
    off = DemandFeedback(SimpleNamespace(**{**vars(cfg), "feedback": False}))
    off.observe(3, 0.9, reported=False)
    off.observe(3, 0.45, reported=True)
    assert off.factor == 1.0 and off.effective(0.05, 0.9) == (0.05, 0.9)


def test_lower_demand_raises_job_losses_in_consumer_facing_work():
    # The loop's job channel (issue item 3), on the default population at the path's month-0 state:
    # lower demand alone (same unemployment target) moves separations to freelancers (the
    # consumer-facing work) and leaves the pool's expected separations on the path; the loop's
    # effective values (demand × factor, unemployment + sensitivity × (1 − factor)) raise both types'
    # job losses, freelancers' most.
    from simulator.core.economy import LabourMarket

    cfg = compose(["economy=severe_recession"])
    lm = LabourMarket(cfg.economy, cfg.population, 0.05)
    path = lm.flows(0.06, 0.9)
    fb = DemandFeedback(SimpleNamespace(feedback=True, bnpl_consumption_share=0.1, forgone_share=0.5,
                                        unemployment_demand_sensitivity=cfg.economy.unemployment_demand_sensitivity))
    fb.base[0] = 0.9
    fb.observe(1, 0.72, reported=True)  # spending 20% below its baseline: factor 0.98
    u_eff, d_eff = fb.effective(0.06, 0.9)
    assert fb.factor == pytest.approx(0.98) and u_eff == pytest.approx(0.06 + 0.16 * 0.02)
    demand_only = lm.flows(0.06, d_eff)
    loop = lm.flows(u_eff, d_eff)
    pi = cfg.population.freelance_share

    def separations(f):
        return (1 - pi) * (1 - 0.05) * f.job_loss_salaried + pi * (1 - 0.05) * f.job_loss_freelance

    assert demand_only.job_loss_freelance > path.job_loss_freelance
    assert demand_only.job_loss_salaried < path.job_loss_salaried
    # the same expected share out of work after the month (the path's), within the bisection's accuracy
    assert (pi * demand_only.unemployed_freelance + (1 - pi) * demand_only.unemployed_salaried
            == pytest.approx(pi * path.unemployed_freelance + (1 - pi) * path.unemployed_salaried, abs=1e-6))
    assert loop.job_loss_freelance > demand_only.job_loss_freelance and loop.job_loss_salaried > path.job_loss_salaried
    assert separations(loop) > separations(path)
    assert loop.job_finding < path.job_finding  # most of the rise through job finding (Shimer 2012)


def test_pool_spending_and_own_book_on_a_hand_made_pool(tiny_model):
    pop = tiny_model.pop
    pop.purchases_m[:] = 0.0
    pop.constrained_m[:] = 0.0
    pop.purchases_m[:3] = [100.0, 50.0, 0.0]
    pop.constrained_m[:3] = [0.0, 50.0, 100.0]
    # 1 − 0.5 × 150 / 300
    assert pool_spending(pop, 0.5) == pytest.approx(0.75)
    pop.status[:] = CHARGED_OFF
    pop.status[:2] = [ACTIVE, DEFAULTED]
    pop.partner[:] = False
    pop.partner[1] = True
    bal = pop.balance().astype(np.float64)
    assert own_book(pop, 0.4) == pytest.approx(bal[0] + 0.6 * bal[1])


def test_spend_records_purchases_blocked_by_the_line(tiny_model):
    from simulator.core.month import MONTH

    m = tiny_model
    m.run(until=1)
    for stage in MONTH:  # month 1 up to and including spend, stage by stage over the whole pool
        if stage.actor in ("borrower", "lender"):
            for b, sl in enumerate(m.blocks):
                m.run_stage(stage, sl.start, sl.stop, m.stage_draws(stage, b), 0)
        else:
            stage.run(m)
        if stage.name == "spend":
            break
    pop = m.pop
    blocked = pop.constrained_m > 0
    assert blocked.any() and (pop.purchases_m > 0).any() and (pop.constrained_m >= 0).all()
    # a purchase is blocked only when the line is used up: the balance reaches the line
    line = pop.line[blocked].astype(np.float64)
    assert np.all(pop.balance()[blocked] >= line * (1 - 1e-5))
    # nobody who could still buy within the line is recorded as blocked
    free = pop.line.astype(np.float64) - pop.balance() > 1.0
    assert not (blocked & free & (pop.status == ACTIVE)).any()


# --- the switch, common random numbers, fast ≡ agent ---------------------------------------------
def test_loop_off_ignores_every_loop_parameter(make_model):
    base = _tables(make_model, RECESSION)
    other = _tables(make_model, RECESSION + [
        "economy.bnpl_consumption_share=0.9", "economy.forgone_share=1.0",
        "economy.unemployment_demand_sensitivity=1.5", "platform.capital_target=0.9",
        "platform.capital_appetite_sensitivity=50", "platform.funding_rate=0.5"])
    # spending_ratio is measured with the loop off too (what the loop would see; it depends on
    # forgone_share), so it is the one column allowed to differ
    pd.testing.assert_frame_equal(base[0].drop(columns="spending_ratio"), other[0].drop(columns="spending_ratio"),
                                  check_exact=True)
    for a, b in zip(base[1:], other[1:], strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    ts = base[0]
    assert (ts["unemployment_path"] == ts["unemployment_rate"]).all()
    assert (ts["demand_path"] == ts["demand_index"]).all()
    assert (ts["demand_factor"] == 1.0).all() and (ts["funding_pressure"] == 0.0).all()
    assert ts["capital_ratio"].isna().all()
    assert ts["new_defaults"].sum() > 0


def test_inert_loop_equals_loop_off_common_random_numbers(make_model):
    # the loop switched on with nothing to act through: every table of main's columns is identical
    off = _tables(make_model, RECESSION)
    inert = _tables(make_model, RECESSION + [
        "economy.feedback=true", "economy.bnpl_consumption_share=0", "economy.unemployment_demand_sensitivity=0",
        "platform.capital_appetite_sensitivity=0"])
    main_cols = [c for c in off[0].columns if c not in LOOP_COLUMNS]
    pd.testing.assert_frame_equal(off[0][main_cols], inert[0][main_cols], check_exact=True)
    pd.testing.assert_frame_equal(off[1], inert[1], check_exact=True)
    assert inert[0]["capital_ratio"].notna().all()


def test_loop_on_changes_only_through_the_loop(make_model):
    off = _tables(make_model, RECESSION)[0]
    on = _tables(make_model, RECESSION + ["economy.feedback=true", "economy.bnpl_consumption_share=0.4"])[0]
    # month 0 is before the loop has seen a reported month: identical
    main_cols = [c for c in off.columns if c not in LOOP_COLUMNS]
    pd.testing.assert_frame_equal(off[main_cols].iloc[:1], on[main_cols].iloc[:1], check_exact=True)
    # the path is the same; the effective values move with the loop
    assert (off["unemployment_path"] == on["unemployment_path"]).all()
    assert (on["demand_index"] != on["demand_path"]).any()
    assert not on["demand_factor"].eq(1.0).all()


def test_fast_mode_equals_agent_mode_with_the_loop_on(make_model):
    loop = RECESSION + ["economy.feedback=true", "economy.bnpl_consumption_share=0.4"]
    fast = _tables(make_model, loop + ["run.mode=fast"])
    agent = _tables(make_model, loop + ["run.mode=agent"])
    for a, b in zip(fast, agent, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert (fast[0]["funding_pressure"] > 0).any() or (fast[0]["demand_factor"] != 1.0).any()
    assert (fast[0]["recapitalisation"] > 0).any()  # the shareholder's rule acted (months 16 and 24) in both modes


def test_bad_loop_values_are_refused_in_one_line():
    with pytest.raises(ConfigError, match="bnpl_consumption_share"):
        compose(["economy.bnpl_consumption_share=1.5"])
    with pytest.raises(ConfigError, match="capital_target"):
        compose(["platform.capital_target=0"])
    with pytest.raises(ConfigError, match=r"recap_floor=0.2: allowed: at most capital_target=0.17"):
        compose(["platform.recap_floor=0.2"])
    with pytest.raises(ConfigError, match="recap_delay_months"):
        compose(["platform.recap_delay_months=-1"])


# --- the study, the policy --------------------------------------------------------------------------
def test_amplification_study_writes_both_sides_and_the_report(tmp_path):
    from simulator.outputs.report.build import build_report

    cfg = compose(RECESSION + ["run.study=feedback_amplification", "run.charts=true", "run.replicates=2"])
    res = run_feedback_amplification(cfg, tmp_path)
    amp = res.summary["feedback_amplification"]
    assert set(amp) == {"peak_default_rate", "cum_default_rate", "loss_rate"}
    for v in amp.values():
        assert v["ratio"] == pytest.approx(v["loop_on"] / v["loop_off"])
        assert v["ratio_p05"] <= v["ratio_p95"]
    saved = json.loads((tmp_path / "summary.json").read_text())
    cum = amp["cum_default_rate"]["ratio"]
    assert saved["feedback_amplification"]["cum_default_rate"]["ratio"] == pytest.approx(cum)
    off = json.loads((tmp_path / LOOP_OFF_DIR / "summary.json").read_text())
    assert off["config"]["economy"]["feedback"] is False
    assert saved["config"]["run"]["study"] == "feedback_amplification"  # the config asked for
    assert pd.read_parquet(tmp_path / "timeseries.parquet")["capital_ratio"].notna().all()  # the loop-on side
    assert pd.read_parquet(tmp_path / LOOP_OFF_DIR / "timeseries.parquet")["capital_ratio"].isna().all()
    assert off["metrics"]["cum_default_rate"]["mean"] == pytest.approx(amp["cum_default_rate"]["loop_off"])
    assert (tmp_path / "charts" / "feedback_gap.png").is_file()
    assert (tmp_path / "charts" / "feedback_channels.png").is_file()
    keys = [r["key"] for r in saved["feedback_channels"]]
    assert keys[0] == "credit_supply" and keys[-1] == "defaults"
    html = build_report(tmp_path).read_text()
    assert "Second-round effects: the feedback loop" in html and "Amplification (on ÷ off)" in html
    # the shareholder's cost: the horizon's sum of the loop-on timeseries column, in the summary and the report
    recap = saved["feedback_recapitalisation"]
    ts_on = pd.read_parquet(tmp_path / "timeseries.parquet")
    assert recap["paid"] == pytest.approx(ts_on.groupby("replicate")["recapitalisation"].sum().mean())
    assert (ts_on["recapitalisation"] >= 0).all()
    assert pd.read_parquet(tmp_path / LOOP_OFF_DIR / "timeseries.parquet")["recapitalisation"].isna().all()
    assert "Shareholder recapitalisation" in html and f"{recap['paid']:,.0f} RMB" in html


def test_credit_crunch_scenario_composes():
    cfg = compose(["scenario=credit_crunch"])
    assert cfg.economy.feedback and cfg.economy.name == "severe_recession"
    assert cfg.run.study == "feedback_amplification"


def test_countercyclical_policy_switched_off_changes_nothing(make_model):
    loop = RECESSION + ["economy.feedback=true"]
    base = _tables(make_model, loop)
    off = _tables(make_model, loop + ["policy=countercyclical", "policy.countercyclical.enabled=false"])
    for a, b in zip(base, off, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


# --- amplification: rises with the BNPL share of consumption; the countercyclical policy -----------
#: The severe recession at the size the issue's figures are measured at (README, scenarios/credit_crunch.yaml):
#: 30,000 borrowers, 2 replicates, seed 42, the default warm-up and 60 months. A smaller run (6,000
#: borrowers, 36 months) put the default share's figures within their noise of each other and of 1
#: (peak 0.9895 at share 0.05 vs 0.9894 at 0.1; demand channel alone 0.998), so these tests run at
#: the measured size and assert what the report says.
MEASURED_RECESSION = ["economy=severe_recession", "run.n_borrowers=30000", "run.replicates=2", "run.seed=42",
                      "run.progress=off", "run.charts=false"]


@pytest.fixture(scope="module")
def loop_off_measured():
    from simulator.studies.replicates import simulate

    return simulate(compose(MEASURED_RECESSION))


def _amp(off, *overrides):
    from simulator.outputs.feedback import amplification
    from simulator.studies.replicates import simulate

    on = simulate(compose([*MEASURED_RECESSION, "economy.feedback=true", *overrides]))
    return amplification(off.timeseries, off.segments, on.timeseries, on.segments)


def _show(title, rows):
    """Print the amplification figures of a test (pytest -s shows them; the report quotes them)."""
    print(f"\n{title}")
    for name, a in rows:
        print(f"  {name:<28} " + "  ".join(f"{k}={a[k]['ratio']:.4f}" for k in a))


def test_amplification_rises_with_the_bnpl_share_of_consumption(loop_off_measured):
    # Fixed seed, common random numbers; four shares. All three amplifications rise strictly with
    # the share: a larger share turns the same blocked purchases into a larger fall of demand, so
    # more job losses and lower freelance incomes. Measured (printed with pytest -s), shares
    # 0.05/0.1/0.2/0.4: peak 0.997/1.005/1.029/1.060, cumulative 0.992/1.001/1.022/1.078, loss
    # 0.998/1.008/1.030/1.090 (before distress borrowing gave liquidity and newcomers were drawn per
    # slot: peak 1.004/1.006/1.021/1.044, cumulative 0.990/0.998/1.018/1.070, loss
    # 0.993/1.001/1.021/1.061).
    shares = (0.05, 0.1, 0.2, 0.4)
    amps = [_amp(loop_off_measured, f"economy.bnpl_consumption_share={s}") for s in shares]
    _show("amplification by BNPL share of consumption", [(f"share={s}", a) for s, a in zip(shares, amps, strict=True)])
    for name in ("peak_default_rate", "cum_default_rate", "loss_rate"):
        ratios = [a[name]["ratio"] for a in amps]
        assert all(b > a for a, b in zip(ratios, ratios[1:], strict=False)), (name, ratios)
    # at the default share (0.1) the loop amplifies both default rates at this seed — by less than
    # 1% (peak 1.005, cumulative 1.001), within the sampling noise of a run this size
    assert amps[1]["cum_default_rate"]["ratio"] > 1.0 and amps[1]["peak_default_rate"]["ratio"] > 1.0


def test_the_loop_s_two_channels_pull_defaults_in_opposite_directions(loop_off_measured):
    # The decomposition behind the amplification at the default share (0.1): the loop with only the
    # credit-supply channel (capital and funding tighten the lender; the demand factor held at 1 by a
    # zero BNPL share of consumption) removes exposure (fewer, safer accounts, smaller lines), so it
    # LOWERS the cumulative default rate, though less than before distress borrowing gave liquidity
    # (a cut line now also takes away the cash a borrower short of income would have bridged with
    # it); the loop with only the demand channel (no capital or funding pressure:
    # capital_appetite_sensitivity 0; demand falls only with the purchases the over-the-cycle rule's
    # tightening and the line block) RAISES it, through incomes and jobs. Measured cumulative
    # amplification: 0.985 (credit supply only; 0.982 before), 1.012 (demand only; 1.016 before),
    # 1.007 of it through freelance incomes alone (unemployment_demand_sensitivity 0; 1.011 before),
    # and 1.001 (both; 0.998 before): at the default share the two channels nearly cancel.
    supply = _amp(loop_off_measured, "economy.bnpl_consumption_share=0")
    demand = _amp(loop_off_measured, "platform.capital_appetite_sensitivity=0")
    income = _amp(loop_off_measured, "platform.capital_appetite_sensitivity=0",
                  "economy.unemployment_demand_sensitivity=0")
    both = _amp(loop_off_measured)
    _show("decomposition of the amplification (default share 0.1)",
          [("credit supply only", supply), ("demand only", demand), ("demand via incomes only", income),
           ("both (the loop)", both)])
    assert supply["cum_default_rate"]["ratio"] < 1.0 < demand["cum_default_rate"]["ratio"]
    assert income["cum_default_rate"]["ratio"] > 1.0  # incomes alone already raise defaults
    assert supply["cum_default_rate"]["ratio"] < both["cum_default_rate"]["ratio"] < demand["cum_default_rate"]["ratio"]


def test_countercyclical_policy_lowers_the_amplification(loop_off_measured):
    from simulator.studies.replicates import simulate

    none = _amp(loop_off_measured)
    off_cc = simulate(compose([*MEASURED_RECESSION, "policy=countercyclical"]))
    cc = _amp(off_cc, "policy=countercyclical")
    _show("countercyclical policy (each against its own loop-off run)", [("no policy", none), ("countercyclical", cc)])
    # Measured, no policy → countercyclical: cumulative 1.001 → 1.000, loss 1.008 → 1.003, peak
    # 1.005 → 1.006 (before distress borrowing gave liquidity and newcomers were drawn per slot:
    # cumulative 0.998 → 0.999, loss 1.001 → 0.999, peak 1.006 → 1.004). The policy lowers the
    # cumulative and loss amplification; its effect on the peak is within the noise and is printed,
    # not asserted.
    for name in ("cum_default_rate", "loss_rate"):
        assert cc[name]["ratio"] < none[name]["ratio"], name


def test_seasoned_start_cache_gives_the_same_loop_on_run():
    # the spending baseline of the warm-up is part of the saved start (CreditModel.snapshot)
    from simulator.studies.replicates import simulate

    loop = RECESSION + ["economy.feedback=true", "economy.bnpl_consumption_share=0.4"]
    cold = simulate(compose(loop + ["run.burn_in_cache=false"]))
    simulate(compose(loop + ["run.burn_in_cache=true"]))  # writes the cache
    warm = simulate(compose(loop + ["run.burn_in_cache=true"]))  # reads it
    pd.testing.assert_frame_equal(cold.timeseries, warm.timeseries, check_exact=True)
    assert cold.timeseries["spending_ratio"].notna().any()


@pytest.mark.slow
def test_loop_on_baseline_is_as_stationary_as_loop_off():
    # Done-when: with the loop on, the baseline economy stays stationary by the same test as
    # without it (year-5 ÷ year-1 ratios, simulator.studies.stationarity; bands in
    # simulator.studies.targets.STATIONARY_BANDS). Both sides share every random number, so the
    # loop's only difference is its demand factor and the lender's capital pressure: each ratio
    # with the loop lies within 0.03 of the one without it (measured at 30,000 borrowers, 2
    # replicates: largest gap 0.009, the loss rate's 0.846 vs 0.837), and the demand factor stays
    # within 0.5% of 1 (measured 0.9991–1.0008: no runaway). The bands themselves are checked on the
    # loop-off baseline by bnpl-stress-validate (5 replicates); at 2 replicates the default rate's
    # ratio can fall just outside its band with the loop off too (0.880 at 30,000 borrowers).
    from simulator.studies.replicates import simulate
    from simulator.studies.stationarity import stationarity_ratios
    from simulator.studies.targets import STATIONARY_BANDS

    base = ["economy=baseline", "run.n_borrowers=20000", "run.replicates=2", "run.seed=42", "run.months=60",
            "run.charts=false", "run.progress=off"]
    off = simulate(compose(base))
    on = simulate(compose([*base, "economy.feedback=true"]))
    r_off, r_on = stationarity_ratios(off.timeseries), stationarity_ratios(on.timeseries)
    print("\nyear-5 ÷ year-1 ratios, loop off / on (band):")
    for k in r_off:
        print(f"  {k:<28} {r_off[k]:.4f} / {r_on[k]:.4f}  {STATIONARY_BANDS.get(k, '')}")
    ts = on.timeseries
    print(f"  demand factor {ts['demand_factor'].min():.4f}–{ts['demand_factor'].max():.4f}, "
          f"mean tightness {ts['tightness'].mean():.4f}")
    for k, (lo, hi) in STATIONARY_BANDS.items():
        assert abs(r_on[k] - r_off[k]) <= 0.03, (k, r_off[k], r_on[k], (lo, hi))
    assert 0.995 <= ts["demand_factor"].min() and ts["demand_factor"].max() <= 1.005
    # the baseline never needs the shareholder: the capital ratio stays above recap_floor (measured
    # lowest 14.9% here, 15.0% at 30,000 borrowers; floor 10%), so these figures are the same as
    # before the recapitalisation rule
    print(f"  lowest capital ratio {ts['capital_ratio'].min():.4f}, "
          f"recapitalisation {ts['recapitalisation'].sum():.0f}")
    assert ts["recapitalisation"].sum() == 0.0
