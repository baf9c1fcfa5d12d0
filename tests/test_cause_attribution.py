"""Cause attribution (simulator.core.causes) and impulse spending against disposable income.

* Hand-computed cases of each test in :func:`~simulator.core.causes.cause_set`, of the equal
  sharing (:func:`~simulator.core.causes.cause_weights`), the primary cause, the downturn's
  running costs (:func:`~simulator.core.causes.track_costs`), the spell prolonged by the
  downturn (``income_and_shocks``) and C5 joining a delinquency that goes on
  (:func:`~simulator.core.causes.extend_cause_set`, through ``repay``). Boundaries are set with
  dyadic numbers (exact in float32).
* Statistical (slow): each cause's *tag share* (its weight summed over the defaults ÷ defaults)
  within ±5 points of its Shapley share of the counterfactual decomposition, at baseline and
  under ``severe_recession`` (the issue's done-when line), with fixed seeds.
* Statistical: impulse purchases above 20% of disposable income are common among impulse-prone
  borrowers (the article behind the project, docs/SOURCES.md).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from simulator.config import PlatformConfig, PopulationConfig, compose
from simulator.core.accounts import disposable_income
from simulator.core.borrower_rules import (
    Draws,
    income_and_shocks,
    make_borrower_params,
    month_params,
    repay,
)
from simulator.core.causes import (
    NEW_USER_MONTHS,
    RECENT_SHOCK_MONTHS,
    cause_set,
    cause_weights,
    downturn_gain,
    primary_of_set,
    track_costs,
)
from simulator.core.economy import MonthEnv
from simulator.core.lender import established_review_score, make_lender_params, risk_index
from simulator.core.model import CreditModel
from simulator.core.scoring import N_FEATURES
from simulator.core.state import (
    ACTIVE,
    FREELANCE,
    ILLNESS,
    JOB_LOSS,
    JOB_LOSS_SYSTEMIC,
    SALARIED,
    SLUMP_SYSTEMIC,
    Population,
)
from simulator.studies.decomposition import CAUSES, decompose

F32 = np.float32
C1, C2, C3, C4, C5 = 1, 2, 4, 8, 16  # bits of a cause set

POP = dataclasses.replace(PopulationConfig(), essentials_share=0.5, saving_rate=0.25)
# affordable line = 1 month of free income = 6000 × 0.5 − 600 = 2400; thin files scored with
# noise sd 1.0, established 0.5 (gap 0.5), established cutoff −0.75
PLAT = dataclasses.replace(PlatformConfig(), affordable_line_months=1.0, score_noise_thin=1.0,
                           score_noise_established=0.5, cutoff=-0.75, collections_squeeze=0.125)
R = make_borrower_params(POP, PLAT)
MONTH = 24


def env(**kw) -> MonthEnv:
    base = MonthEnv(month=MONTH, calendar_month=1, unemployment_rate=0.05, demand_index=1.0,
                    essential_prices=1.0, income_index=1.0, job_loss_salaried=0.0625,
                    job_loss_freelance=0.125, job_finding=0.25, job_loss_base_salaried=0.0625,
                    job_loss_base_freelance=0.125, systemic=False, job_finding_base=0.25,
                    income_index_base=1.0, essential_prices_base=1.0)
    return base._replace(**kw)


def population(n: int, **fields) -> Population:
    pop = Population.empty(n)
    defaults = dict(status=ACTIVE, base_income=6000.0, income=6000.0, other_debt=600.0, buffer_months=2.0,
                    open_month=0, shock_age=50)
    for name, value in {**defaults, **fields}.items():
        getattr(pop, name)[:] = value
    return pop


def one_set(owed=1000.0, pay=900.0, bal=2000.0, gain=0.0, lost=0.0, E=None, **fields) -> int:
    """cause_set of one borrower whose balance before paying was ``bal`` (``arrears`` holds what is left)."""
    pop = population(1, arrears=bal - pay, **fields)
    E = E or env()
    return int(cause_set(pop.arrays(), 0, R, E, month_params(E, R), owed, pay, gain, lost))


# --------------------------------------------------------------------------- hand cases


@pytest.mark.parametrize("fields, expected", [
    # nothing but the shortfall itself: personal trouble alone (income volatility, an old shock)
    (dict(), C1),
    # a systemic job loss at most RECENT_SHOCK_MONTHS old: the downturn and personal trouble
    (dict(last_shock=JOB_LOSS_SYSTEMIC, shock_age=RECENT_SHOCK_MONTHS, unemployed=True), C1 | C5),
    (dict(last_shock=SLUMP_SYSTEMIC, shock_age=0), C1 | C5),
    (dict(last_shock=JOB_LOSS_SYSTEMIC, shock_age=RECENT_SHOCK_MONTHS + 1), C1),   # too old
    (dict(last_shock=JOB_LOSS, shock_age=0, unemployed=True), C1),                  # idiosyncratic
    # the downturn's money: pay 900 + this month's gain 50 + discipline 0.5 × lost 100 = owed 1000
    (dict(discipline=0.5, gain=50.0, lost=100.0), C5),                               # no personal trigger
    (dict(discipline=0.5, gain=50.0, lost=100.0, ill_left=1), C1 | C5),              # ill as well
    (dict(discipline=0.5, gain=50.0, lost=98.0), C1),                                # 999 < 1000
    # over-granting: balance 2500 above the affordable line 2400; pay 900 + discipline 0.5 × cost
    # 3000 = 2400 repays a balance at the line in full; with cost 2998: 2399 does not. Without a
    # personal trigger (out of work, ill, a shock in the last RECENT_SHOCK_MONTHS months) the
    # over-granting alone explains the miss and C1 is left out (the old rule added C1 to every
    # set without C5); with one, C1 joins
    (dict(bal=2500.0, discipline=0.5, overgrant_cost=3000.0), C2),
    (dict(bal=2500.0, discipline=0.5, overgrant_cost=3000.0, ill_left=1), C1 | C2),
    (dict(bal=2500.0, discipline=0.5, overgrant_cost=2998.0), C1),        # nothing else: C1 the residual
    (dict(bal=2400.0, discipline=0.5, overgrant_cost=3000.0), C1),        # not above the line
    # impulse: owed 1000 × (1 − 0.125) = 875 <= pay 900; with 0.0625: 937.5 > 900
    (dict(impulse_ratio=0.125), C4),
    (dict(impulse_ratio=0.125, last_shock=JOB_LOSS, shock_age=RECENT_SHOCK_MONTHS), C1 | C4),
    (dict(impulse_ratio=0.125, last_shock=JOB_LOSS, shock_age=RECENT_SHOCK_MONTHS + 1), C4),  # too old
    (dict(impulse_ratio=0.0625), C1),
    # weak review: a thin file the established review would have rejected (weak_review, set at
    # approval), in its first NEW_USER_MONTHS months on book
    (dict(thin_file=True, open_month=MONTH - NEW_USER_MONTHS + 1, weak_review=True), C3),
    (dict(thin_file=True, open_month=MONTH - NEW_USER_MONTHS + 1, weak_review=True, unemployed=True), C1 | C3),
    (dict(thin_file=True, open_month=MONTH - NEW_USER_MONTHS, weak_review=True), C1),   # too old
    (dict(thin_file=True, open_month=MONTH - 1, weak_review=False), C1),
    # everything at once
    (dict(last_shock=JOB_LOSS_SYSTEMIC, shock_age=0, bal=2500.0, overgrant_cost=1500.0, impulse_ratio=0.125),
     C1 | C2 | C4 | C5),
])
def test_cause_set_hand_cases(fields, expected):
    assert one_set(**fields) == expected


def test_downturn_gain_counts_base_income_index_and_prices():
    # salaried at work, income 3000 at income index 0.5 (base 1.0): 3000 more; essentials
    # 6000 × 0.5 × (1.25 − 1.0) = 750 more; freelancer at demand factor 0.5: income × (1/(0.5 × 0.5) − 1)
    E = env(income_index=0.5, essential_prices=1.25)
    pop = population(3, income=3000.0, income_type=[SALARIED, FREELANCE, FREELANCE],
                     unemployed=[False, False, True])
    M = month_params(E, R)._replace(demand=0.5)
    P = pop.arrays()
    assert [downturn_gain(P, i, R, E, M) for i in range(3)] == [3750.0, 3000.0 * 3.0 + 750.0, 3750.0]
    # in a boom the gain is negative
    E2 = env(income_index=2.0)
    assert downturn_gain(population(1).arrays(), 0, R, E2, month_params(E2, R)) == -3000.0


def test_track_costs_keeps_what_the_saving_rule_would_have_kept():
    # buffer target 2 × 6000 × income index 1 = 12000; affordable line 2400
    # 0: deficit month (kept 1): downturn 1000 + 500; balance before paying 2000 + 800 = 2800,
    #    share above the line 400/2800: cost += 800 × 400/2800
    # 1: surplus month (kept saving_rate 0.25): 0.25 × 1000; balance 1200 + 800 under the line: no cost
    # 2: at the target already: stays 12000; a negative gain (boom) floors the loss at 0
    pop = population(3, arrears=[2000.0, 1200.0, 2000.0], downturn_loss=[500.0, 0.0, 100.0],
                     overgrant_cost=[0.0, 0.0, 12000.0])
    P = pop.arrays()
    E = env()
    track_costs(P, 0, R, E, 800.0, 1000.0, 1.0)
    track_costs(P, 1, R, E, 800.0, 1000.0, 0.25)
    track_costs(P, 2, R, E, 800.0, -1000.0, 1.0)
    assert pop.downturn_loss.tolist() == pytest.approx([1500.0, 250.0, 0.0], rel=1e-6)
    assert pop.overgrant_cost.tolist() == pytest.approx([800.0 * 400.0 / 2800.0, 0.0, 12000.0], rel=1e-6)


@pytest.mark.parametrize("s, primary", [(C1, 1), (C5, 5), (C1 | C5, 5), (C1 | C2 | C4, 4), (C1 | C2, 2),
                                        (C1 | C3, 3), (C1 | C2 | C3, 2), (C1 | C2 | C3 | C4 | C5, 5), (0, 1)])
def test_primary_of_set(s, primary):
    assert primary_of_set(s) == primary


def test_cause_weights_share_each_default_equally():
    w = cause_weights(np.array([C1, C1 | C5, C1 | C2 | C4 | C5, C5, 0], dtype=np.int8))
    expected = np.array([[1, 0, 0, 0, 0], [0.5, 0, 0, 0, 0.5], [0.25, 0.25, 0, 0.25, 0.25],
                         [0, 0, 0, 0, 1], [1, 0, 0, 0, 0]])
    np.testing.assert_allclose(w, expected)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)


def test_repay_records_the_cause_set_of_a_new_delinquency():
    # out of work after a systemic job loss: income 1800, essentials 3000, other debt 600 → net −1800;
    # savings 1000 → pays nothing, bill 500 missed; balance 500 under the affordable line
    pop = population(1, income=1800.0, savings=1000.0, bill=500.0, unemployed=True,
                     last_shock=JOB_LOSS_SYSTEMIC, shock_age=0, cause=1)
    E = env()
    repay(pop.arrays(), 0, 1, E, R, month_params(E, R), Draws(*(np.zeros(0, F32),) * 5), 0)
    assert pop.months_late[0] == 1 and pop.paid_m[0] == 0.0
    assert pop.cause_set[0] == C1 | C5 and pop.cause[0] == 5


@pytest.mark.parametrize("shock, expected_set, expected_cause", [
    (JOB_LOSS_SYSTEMIC, C1 | C5, 5),   # the spell is now one the base economy would have ended: C5 joins
    (JOB_LOSS, C1, 1),                 # still the borrower's own spell: the set is kept
])
def test_a_delinquency_that_goes_on_gains_c5_when_the_downturn_becomes_its_trigger(shock, expected_set, expected_cause):
    # one cycle late on 500 (set {C1} at its start: an idiosyncratic job loss); out of work on
    # 1800: net −1800, no savings; collections squeeze 0.125 × min(3000, −1800 + 3000) = 150 paid
    # of 1000 owed: still late
    pop = population(1, income=1800.0, savings=0.0, bill=500.0, arrears=500.0, months_late=1, unemployed=True,
                     last_shock=shock, shock_age=0, cause=1, cause_set=C1)
    E = env()
    repay(pop.arrays(), 0, 1, E, R, month_params(E, R), Draws(*(np.zeros(0, F32),) * 5), 0)
    assert pop.months_late[0] == 2 and pop.paid_m[0] == 150.0
    assert pop.cause_set[0] == expected_set and pop.cause[0] == expected_cause


def test_a_delinquency_already_tagged_c5_keeps_its_set():
    # a delinquency whose set already holds C5 (and C2) is not changed by a systemic trigger
    pop = population(1, income=1800.0, savings=0.0, bill=500.0, arrears=500.0, months_late=1, unemployed=True,
                     last_shock=JOB_LOSS_SYSTEMIC, shock_age=0, cause=5, cause_set=C1 | C2 | C5)
    E = env()
    repay(pop.arrays(), 0, 1, E, R, month_params(E, R), Draws(*(np.zeros(0, F32),) * 5), 0)
    assert pop.cause_set[0] == C1 | C2 | C5 and pop.cause[0] == 5


def test_a_spell_the_base_economy_would_have_ended_becomes_systemic():
    # job finding 0.125 this month, 0.25 in the base economy; draws 0.0625 (finds work),
    # 0.1875 (would have found work in the base economy: prolonged by the downturn), 0.375 (stays out either way)
    E = env(job_finding=0.125)
    pop = population(3, unemployed=True, last_shock=JOB_LOSS, shock_age=0)
    u = np.array([0.0625, 0.1875, 0.375], dtype=F32)
    D = Draws(u, np.full(3, 0.9375, F32), np.zeros(3, F32), np.zeros(0, F32), np.zeros(0, F32))
    income_and_shocks(pop.arrays(), 0, 3, E, R, month_params(E, R), D, 0)
    assert pop.unemployed.tolist() == [False, True, True]
    assert pop.last_shock.tolist() == [JOB_LOSS, JOB_LOSS_SYSTEMIC, JOB_LOSS]
    # an illness in the same month takes precedence as the month's shock, as for slumps
    pop2 = population(1, unemployed=True, last_shock=JOB_LOSS, shock_age=0)
    D2 = Draws(u[1:2], np.zeros(1, F32), np.zeros(1, F32), np.zeros(0, F32), np.zeros(0, F32))
    income_and_shocks(pop2.arrays(), 0, 1, E, R, month_params(E, R), D2, 0)
    assert pop2.last_shock[0] == ILLNESS


# --------------------------------------------------------------------------- against the decomposition

#: Run size of the comparison: 20,000 borrowers, 36 months, 2 replicates, seed 42 (the default
#: burn-in). The tolerance is the issue's ±5 points; at this size the shares move between seeds
#: (baseline at seeds 7, 42, 123 and 2024: C2's Shapley share 3.5, 8.0, 5.3 and 5.1 points, C1's
#: tag share 85.3, 86.1, 84.2 and 87.2; the largest tag-vs-Shapley gap 1.2, 3.1, 1.7 and 2.1).
DECOMP_RUN = ["run.n_borrowers=20000", "run.months=36", "run.replicates=2", "run.seed=42", "run.charts=false",
              "run.progress=off"]
TOLERANCE_POINTS = 5.0


# Measured at this run's size and seed (tag share vs Shapley share, points): baseline C1 86.1 vs
# 83.0, C2 6.3 vs 8.0, C3 3.5 vs 3.9, C4 4.1 vs 5.1; severe_recession C1 60.8 vs 57.1, C5 29.6 vs
# 31.0 (largest gaps +3.1 and +3.8). Part of a Shapley share has no factual default to carry a
# tag: defaults that a switch creates, and people whose accounts differ between the runs (103 of
# the baseline's 1,431 factual defaulters opened no account in the same month of the C2-off run:
# once lines differ, who holds which slot and who is approved when diverge between the runs).


@pytest.mark.slow
@pytest.mark.parametrize("economy", ["baseline", "severe_recession"])
def test_tag_shares_agree_with_shapley_shares(economy):
    from simulator.studies.decomposition import switch_off
    from simulator.studies.replicates import simulate

    cfg = compose([f"economy={economy}", *DECOMP_RUN])
    table = decompose(cfg, method="shapley").set_index("cause")
    causes = simulate(switch_off(cfg, [])).causes
    weights = causes[[f"weight_{c}" for c in CAUSES]]
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-9)
    out = pd.DataFrame({"tag_share": 100 * weights.mean().to_numpy(),
                        "shapley_share": 100 * table.loc[list(CAUSES), "share"].to_numpy(dtype=float),
                        "primary_share": [100 * (causes["cause"] == c).mean() for c in CAUSES]},
                       index=list(CAUSES))
    out["difference"] = out["tag_share"] - out["shapley_share"]
    print(f"\n{economy}: {len(causes)} defaults; factual {table['factual'].iloc[0]:.2f} pts, all off "
          f"{table['all_off'].iloc[0]:.2f} pts (cum_default_rate, points)\n{out.round(1).to_string()}")
    assert (out["difference"].abs() <= TOLERANCE_POINTS).all(), out


# --------------------------------------------------------------------------- impulse vs disposable income

#: Impulse-prone = the top tercile of impulse propensity in the pool (``impulse_tercile`` 2);
#: "common" (the article: impulse purchases "often exceed 20% of disposable income") = at least a
#: quarter of the impulse-prone accounts in a typical month and at least half in a promotion
#: month (assumption). Disposable income = usual income less essentials and other debt service
#: (:func:`simulator.core.accounts.free_income`). 20,000 borrowers, 24 months: each month's share
#: rests on ~4,000 accounts (sd < 1 point).
ARTICLE_THRESHOLD = 0.2


def test_impulse_purchases_above_a_fifth_of_disposable_income_are_common_among_the_impulse_prone():
    cfg = compose(["run.n_borrowers=20000", "run.months=24", "run.replicates=1", "run.seed=7", "run.charts=false"])
    model = CreditModel(cfg)
    pop = model.pop
    base = pop.base_income.astype(np.float64)
    disposable = np.maximum(disposable_income.py_func(base, base * cfg.population.essentials_share,
                                                      pop.other_debt), 1.0)
    promo = set(cfg.population.promo_months)
    rows = []
    while model.month < cfg.run.months:
        model.step()
        month = model.month - 1
        if month < 0:
            continue
        cal = (cfg.run.start_month - 1 + month) % 12 + 1
        act = pop.status == ACTIVE
        over = pop.impulse_m / disposable > ARTICLE_THRESHOLD
        rows.append({"month": month, "promotion": cal in promo,
                     **{f"tercile_{t}": over[act & (pop.impulse_tercile == t)].mean() for t in range(3)}})
    model.release()
    df = pd.DataFrame(rows)
    by = df.groupby("promotion")[["tercile_0", "tercile_1", "tercile_2"]].mean()
    print("\nshare of active accounts whose impulse purchases exceed 20% of disposable income, "
          f"by impulse tercile (2 = impulse-prone), typical vs promotion months:\n{by.round(3).to_string()}")
    assert by.loc[False, "tercile_2"] >= 0.25
    assert by.loc[True, "tercile_2"] >= 0.5
    # it is the impulse-prone who do it: the lowest tercile does it far less often, even in
    # promotions (under a fifth of the top tercile's share in a typical month; measured 6.8% vs 35%)
    assert by.loc[True, "tercile_0"] < 0.2 * by.loc[False, "tercile_2"]


def test_established_review_score_by_hand():
    """C3's counterfactual score of a thin file (lender.established_review_score), by hand.

    Generic score (before the fit): −risk index + established noise × score_noise. Fitted: the
    bureau signal less ``bureau_noise_gap`` × score_noise, scored as an established file: with
    coefficients only on the intercept (0.2) and the bureau signal (−1), and centre 0.1, a signal
    of 1.5 with score_noise 0.5 and gap 2 becomes 0.5, and the score is −(0.2 − 0.5) − 0.1 = 0.2.
    """
    pop = population(1, thin_file=True, bureau_signal=1.5, score_noise=0.5)
    q = make_lender_params(PLAT, dataclasses.replace(POP, bureau_signal_noise=1.0, bureau_signal_noise_thin=3.0))
    assert q.bureau_noise_gap == 2.0
    P = pop.arrays()
    generic = -risk_index(P, 0, q) + 0.5 * 0.5
    assert established_review_score(P, 0, q) == pytest.approx(generic)
    coef = (0.2, -1.0) + (0.0,) * (N_FEATURES - 2)
    fitted = q._replace(fitted=True, coef=coef, centre=0.1)
    assert established_review_score(P, 0, fitted) == pytest.approx(0.2)
