"""Remedies and platform strategies: every name runs, inactive policies change nothing, and each
remedy moves the outcome it targets in the intended direction under a severe recession.

All runs share run.seed, so they use the same random numbers (common random numbers): the only
difference between two runs is the policy, and one replicate of 20,000 borrowers is enough for the
directions below (each margin is several times the run-to-run noise of a different seed: checked
at seed 1-3 when written; the margins asserted are a fraction of the effects seen there).

The runs hold the lender's strategy fixed (``platform.appetite_sensitivity=0``: no risk-appetite
tightening over the cycle), so each test sees the policy's own mechanism. With a lender that
reacts to its book, a policy that keeps delinquency down also keeps the lender from tightening,
and the net effect on defaults can change sign (measured for issue 10, not asserted here).
"""

import os

import pandas as pd
import pytest

from simulator.config import compose
from simulator.core.model import CreditModel
from simulator.core.policies import POLICIES
from simulator.core.state import NEVER
from simulator.studies.runner import run

SEVERE = ["economy=severe_recession", "run.n_borrowers=20000", "run.months=48", "run.burn_in=6",
          "run.replicates=1", f"run.seed={os.environ.get('BNPL_POLICY_TEST_SEED', '11')}",
          "run.charts=false", "platform.appetite_sensitivity=0"]


@pytest.fixture(scope="module")
def runs():
    cache = {}

    def get(*overrides):
        key = tuple(overrides)
        if key not in cache:
            cache[key] = run(compose([*SEVERE, *overrides]))
        return cache[key]
    return get


def metric(res, name):
    return res.summary["metrics"][name]["mean"]


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_every_policy_name_runs(name, compose_tiny):
    res = run(compose_tiny(f"policy={name}"))
    assert len(res.timeseries) == 6


@pytest.mark.parametrize("platform", ["default", "aggressive", "prudent"])
def test_every_platform_strategy_runs(platform, compose_tiny):
    res = run(compose_tiny(f"platform={platform}"))
    assert res.summary["config"]["platform"]["name"] == platform


def test_several_policies_at_once(compose_tiny):
    cfg = compose_tiny("policy=[early_warning,hardship]")
    assert cfg.policy.early_warning.enabled and cfg.policy.hardship.enabled
    assert not cfg.policy.stimulus.enabled


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_configured_but_inactive_policy_changes_no_number(name, tiny_config, compose_tiny):
    ref = run(tiny_config)
    off = run(compose_tiny(f"policy={name}", f"policy.{name}.enabled=false"))
    pd.testing.assert_frame_equal(ref.timeseries, off.timeseries)
    pd.testing.assert_frame_equal(ref.causes, off.causes)


def test_early_warning_lowers_defaults_and_volume(runs):
    none, ew = runs(), runs("policy=early_warning")
    # relative: with the open pool the cohort includes every newcomer's account, so the rate (and
    # any absolute effect) is smaller; measured at seed 11: 14.06% vs 14.54% (0.967 of it)
    assert metric(ew, "cum_default_rate") < 0.98 * metric(none, "cum_default_rate")
    assert ew.timeseries.purchases.sum() < none.timeseries.purchases.sum()


def test_hardship_lowers_charge_offs_and_tracks_cures(runs):
    none, hs = runs(), runs("policy=hardship")
    assert hs.timeseries.charge_offs.sum() < 0.9 * none.timeseries.charge_offs.sum()
    last = hs.timeseries.iloc[-1]
    assert last.n_restructured > 0
    assert 0 < last.n_restructured_current < last.n_restructured   # cures and not-yet-cured
    assert last.n_restructured_defaulted > 0                        # re-defaults are counted
    assert none.timeseries.n_restructured.max() == 0


#: Seeds the budget assistant's effect on impulse-driven defaults is pooled over (see below).
BUDGET_SEEDS = (11, 1, 2, 3, 4)


def test_budget_assistant_lowers_impulse_driven_defaults(runs):
    none, ba = runs(), runs("policy=budget_assistant")
    assert ba.timeseries.impulse_purchases.sum() < 0.95 * none.timeseries.impulse_purchases.sum()
    # impulse-driven defaults: the defaults' weights on C4 summed (each default shared among its
    # causes); the count of defaults whose *primary* cause is C4 is a poor measure in a recession,
    # where C5 takes precedence as primary cause once the downturn joins a delinquency's set.
    # The effect is small against one run's noise (about 1 default's weight in 45 at 20,000
    # borrowers; since distress borrowing gives liquidity the C4 weight of seed 11 alone rises,
    # 41.9 → 42.8, while seeds 1–4 fall: 63.2 → 57.2, 46.7 → 45.5, 54.5 → 48.8, 42.4 → 39.6), so it is
    # summed over five seeds, each pair with common random numbers.
    def c4(seed, *overrides):
        return run(compose([*SEVERE, f"run.seed={seed}", *overrides])).causes.weight_C4.sum()

    with_ba = sum(c4(s, "policy=budget_assistant") for s in BUDGET_SEEDS)
    without = sum(c4(s) for s in BUDGET_SEEDS)
    assert with_ba < without, (with_ba, without)


def _auc_scored_from_month0(*overrides) -> float:
    """AUC of the application score over the accounts opened from month 0 (policies act from
    ``policy.start_month`` = 0, so the burn-in's accounts were scored without them). The burn-in is
    long enough for the lender to fit its score (6 months of applicants observed 12 months, fitted
    at month −6), so external_data switches to the model fitted with external data.
    """
    from sklearn.metrics import roc_auc_score

    model = CreditModel(compose([*SEVERE, "run.burn_in=24", "platform.score_train_months=6", *overrides]))
    try:
        model.run()
        pop = model.pop
        opened = (pop.open_month != NEVER) & (pop.open_month.astype(int) >= 0)
        return float(roc_auc_score(pop.default_month[opened] != NEVER, -pop.app_score[opened].astype(float)))
    finally:
        model.release()


def test_external_data_and_ml_scoring_rank_defaulters_better(runs):
    none, ml = runs(), runs("policy=ml_scoring")
    assert _auc_scored_from_month0("policy=external_data") > _auc_scored_from_month0() + 0.005
    # the re-fitted model ranks next-6-month defaulters far better than the application score
    assert metric(ml, "ml_scoring_auc") > metric(ml, "ml_scoring_application_score_auc") + 0.1
    assert metric(ml, "cum_default_rate") < metric(none, "cum_default_rate")


def test_joint_lending_lowers_the_platforms_own_losses(runs):
    none, jl = runs(), runs("policy=joint_lending")
    # the same book (the partner only co-funds): total losses equal, the platform's share falls
    assert jl.timeseries.net_charge_offs.sum() == pytest.approx(none.timeseries.net_charge_offs.sum())
    assert jl.timeseries.partner_net_losses.sum() > 0
    # the partner co-funds accounts opened from policy.start_month = 0; the book opened in the
    # burn-in stays the platform's alone (measured at seed 11: 0.95 of the losses without it)
    assert jl.timeseries.platform_net_losses.sum() < 0.98 * none.timeseries.platform_net_losses.sum()


def test_affordability_check_and_dti_cap_trade_volume_for_defaults(runs):
    none = runs()
    for name in ("affordability_check", "dti_cap"):
        res = runs(f"policy={name}")
        assert metric(res, "cum_default_rate") < metric(none, "cum_default_rate") - 0.01, name
        assert res.timeseries.purchases.sum() < none.timeseries.purchases.sum(), name


@pytest.mark.parametrize("name", ["unemployment_benefits", "stimulus", "forbearance"])
def test_public_policies_lower_defaults_in_a_downturn(runs, name):
    assert metric(runs(f"policy={name}"), "cum_default_rate") < metric(runs(), "cum_default_rate")


def test_aggressive_platform_raises_defaults_and_prudent_lowers_them(runs):
    none = metric(runs(), "cum_default_rate")
    assert metric(runs("platform=aggressive"), "cum_default_rate") > none + 0.02
    assert metric(runs("platform=prudent"), "cum_default_rate") < none - 0.02


def test_revenue_is_merchant_instalment_and_late_fees(runs):
    ts = runs().timeseries
    pd.testing.assert_series_equal(ts.revenue, ts.merchant_fees + ts.instalment_fees + ts.late_fees,
                                   check_names=False)
    assert (ts.merchant_fees > 0).all() and (ts.late_fees > 0).any()
