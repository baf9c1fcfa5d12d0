"""The lender's (the BNPL platform's) rules: scoring and approval, credit lines, reviews, late
fees, default, charge-off.

The lender sees only what a lender can observe: an application score (a generic score, the
borrower's true risk index plus noise, until it has fitted its own logistic score on its book:
:mod:`simulator.core.scoring`), its own noisy estimate of income, and the account's repayment
history. Its rules are compiled kernels (:data:`~simulator.core.jit.kernel`)
over a range ``s..e-1`` of accounts, ``rule(P, s, e, E, Q)`` with the lender's parameters ``Q``
(:class:`LenderParams`). Their place in the month is given by the stage table
(:data:`simulator.core.month.MONTH`): in agent mode the :class:`~simulator.core.agents.Lender`
Mesa agent runs them over every block; in fast mode each block agent runs them on its own block.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from simulator.config import PlatformConfig, PopulationConfig
from simulator.core.accounts import affordable_line, balance
from simulator.core.jit import kernel
from simulator.core.scoring import N_FEATURES, FittedScore, feature_values_as, fitted_score, score_of
from simulator.core.state import ACTIVE, CHARGED_OFF, DEFAULTED, FREELANCE, NOT_ARRIVED, REJECTED
from simulator.core.sums import LIVE_RECEIVABLES, LIVE_RECEIVABLES_31, book_sum

__all__ = ["LenderParams", "LenderState", "make_lender_params", "book_dpd30", "update_appetite",
           "risk_index", "fitted_params", "estimated_income", "usual_income_estimate", "line_cap", "target_line",
           "generic_score", "established_review_score", "open_accounts", "early_warning", "review_lines",
           "age_accounts",
           "default_bucket",
           "charge_off_bucket"]


def default_bucket(p: PlatformConfig) -> int:
    """``months_late`` at which an account defaults (90 days past due → 4 missed cycles)."""
    return p.default_days // 30 + 1


def charge_off_bucket(p: PlatformConfig) -> int:
    """``months_late`` at which a defaulted account is charged off (180 days → 7)."""
    return p.charge_off_days // 30 + 1


class LenderParams(NamedTuple):
    """The lender's parameters as the compiled kernels read them (see :func:`make_lender_params`)."""

    w_freelance: float
    w_impulse: float
    w_buffer: float
    w_debt: float
    impulse_mean: float
    noise_established: float
    noise_thin: float
    cutoff: float
    thin_cutoff: float
    income_noise: float
    line_multiplier: float
    line_score_slope: float
    line_factor_min: float
    line_factor_max: float
    max_line: float
    review_months: int
    raise_share: float
    raise_min_ontime: int
    raise_min_utilization: float
    max_line_to_income: float
    cut_on_late: float
    line_decrease_share: float
    inactive_line_cut: float
    late_fee_rate: float
    default_bucket: int
    charge_off_bucket: int
    essentials_share: float
    affordable_line_months: float
    cap_affordable: bool  # lines capped at affordable_line_months of free income (C2 switched off)
    appetite_cutoff_shift: float  # score units added to the cutoffs at full tightness
    appetite_unused_cut: float  # share of the unused line removed at a review at full tightness
    bureau_noise_gap: float  # bureau-record noise sd of a thin file less that of an established one (cause C3)
    tightness: float = 0.0  # this month's risk-appetite tightness 0..1 (from LenderState, each month)
    # policy hooks (their defaults switch them off; set through Lender.set_params)
    dti_cap: float = 0.0  # dti_cap: a line's full repayment + other debt <= cap x est. income (0: off)
    partner_share: float = 0.0  # joint_lending: share of each partner-approved loan the bank funds
    partner_cutoff: float = 0.0  # joint_lending: the bank's own score cutoff
    ew_threshold: float = 0.0  # early_warning: act when the risk signal reaches this (0: off)
    ew_w_util: float = 0.0  # early_warning weights of the indicators (utilisation, lateness,
    ew_w_late: float = 0.0  #   income drop, spending spike), each indicator in 0..1
    ew_w_income: float = 0.0
    ew_w_spike: float = 0.0
    ew_cut: float = 0.0  # early_warning: share of the unused line removed (1 = freeze at balance)
    # the fitted application score (simulator.core.scoring; set by fitted_params at the fit month)
    fitted: bool = False  # the fitted score replaces the generic score of risk_index
    coef: tuple = (0.0,) * N_FEATURES  # the model in use (log-odds of bad per feature)
    centre: float = 0.0  # its mean log-odds of good over the training applicants
    coef_external: tuple = (0.0,) * N_FEATURES  # the model with external data (R1 switches to it)
    centre_external: float = 0.0
    cutoff_external: float = 0.0  # its cutoff at the approval target

def make_lender_params(p: PlatformConfig, c: PopulationConfig) -> LenderParams:
    """Pack the platform config (and the population's mean impulse level the lender knows)."""
    return LenderParams(
        w_freelance=p.risk_weight_freelance, w_impulse=p.risk_weight_impulse,
        w_buffer=p.risk_weight_buffer, w_debt=p.risk_weight_debt,
        impulse_mean=max(c.impulse_mean, 1e-9), noise_established=p.score_noise_established,
        noise_thin=p.score_noise_thin, cutoff=p.cutoff,
        thin_cutoff=p.cutoff + p.thin_file_cutoff_offset, income_noise=p.income_estimate_noise,
        line_multiplier=p.line_multiplier, line_score_slope=p.line_score_slope,
        line_factor_min=p.line_factor_min, line_factor_max=p.line_factor_max,
        max_line=p.max_line, review_months=int(p.review_months), raise_share=p.raise_share,
        raise_min_ontime=int(p.raise_min_ontime), raise_min_utilization=p.raise_min_utilization,
        max_line_to_income=p.max_line_to_income, cut_on_late=p.cut_on_late,
        line_decrease_share=p.line_decrease_share, inactive_line_cut=p.inactive_line_cut,
        late_fee_rate=p.late_fee_rate, default_bucket=default_bucket(p),
        charge_off_bucket=charge_off_bucket(p), essentials_share=c.essentials_share,
        affordable_line_months=p.affordable_line_months, cap_affordable=p.cap_lines_at_affordable,
        appetite_cutoff_shift=p.appetite_cutoff_shift, appetite_unused_cut=p.appetite_unused_cut,
        bureau_noise_gap=c.bureau_signal_noise_thin - c.bureau_signal_noise,
    )


def fitted_params(q: LenderParams, fit: FittedScore) -> LenderParams:
    """``q`` with the fitted score in use: the bureau model and its cutoff (the thin-file cutoff
    keeps its offset), and the model with external data kept for R1.
    """
    offset = q.thin_cutoff - q.cutoff
    return q._replace(fitted=True, coef=fit.coef, centre=fit.centre, cutoff=fit.cutoff,
                      thin_cutoff=fit.cutoff + offset, coef_external=fit.coef_external,
                      centre_external=fit.centre_external, cutoff_external=fit.cutoff_external)


@dataclass
class LenderState:
    """The lender's month-to-month state: what it has seen of its own book, and its risk appetite.

    The one home of the lender's per-month state (it lives on the
    :class:`~simulator.core.agents.Lender` agent); updated once a month by
    :func:`update_appetite` at the ``risk_appetite`` stage, before any account stage, from the
    book as it stood at the end of last month (the lender sees only the past).
    """

    observed: float = math.nan
    """Last month-end 30+ days past due share of receivables (:func:`book_dpd30`)."""
    smoothed: float = math.nan
    """Its exponentially weighted average over ``appetite_smoothing_months``."""
    ttc: float = math.nan
    """The lender's through-the-cycle level: the same over ``appetite_ttc_months``, from month 0."""
    tightness: float = 0.0
    """Risk-appetite tightness, 0 (normal) .. 1 (fully tightened), used this month."""
    months_acting: int = 0
    """Months since the lender started acting on its risk appetite (month 0)."""


def book_dpd30(pop, blocks=None, map_blocks=map) -> float:
    """The lender's observation of its book: receivables of live accounts two or more cycles past
    due (31+ days, defaulted-not-charged-off included) ÷ receivables of live accounts, as in the
    ``dpd30_rate`` column; NaN for an empty book. A model-level aggregate of the arrays, computed
    the same way in both run modes.
    """
    arrays = pop.arrays()  # compiled passes (by blocks, in threads), numpy's order of addition
    recv = book_sum(arrays, LIVE_RECEIVABLES, blocks, map_blocks)
    if recv <= 0:
        return math.nan
    return book_sum(arrays, LIVE_RECEIVABLES_31, blocks, map_blocks) / recv


def update_appetite(state: LenderState, observed: float, p: PlatformConfig, act: bool,
                    pressure: float = 0.0) -> float:
    """Update ``state`` with this month's observation and return the new tightness.

    ``smoothed`` and ``ttc`` are exponentially weighted averages of the observed 30+ share with
    weights ``1/appetite_smoothing_months`` and ``1/appetite_ttc_months``. ``smoothed`` starts at
    the first observation; ``ttc`` starts when the lender starts acting (``act``: month 0, after
    the seasoned start) at the smoothed level of then, and is a running mean of the observations
    until ``appetite_ttc_months`` of them (weight ``1/n`` for the ``n``-th), so the drift of a
    book that is still seasoning is not read as a downturn.
    Tightness = ``appetite_sensitivity`` × (smoothed ÷ ttc − 1 − ``appetite_tolerance``),
    clipped to 0..1; it is 0 while ``act`` is false or with ``appetite_sensitivity`` 0. With the
    macro feedback loop (``economy.feedback``) the capital and funding ``pressure``
    (:func:`simulator.core.funding.update_funding`, 0..1) is added, the sum clipped to 1.
    """
    state.observed = observed
    if not math.isnan(observed):
        if math.isnan(state.smoothed):
            state.smoothed = observed
        else:
            state.smoothed += (observed - state.smoothed) / p.appetite_smoothing_months
        if act:
            state.months_acting += 1
            if math.isnan(state.ttc):
                state.ttc = state.smoothed
            else:  # a running mean at first, so a young book's seasoning is not read as a downturn
                state.ttc += (observed - state.ttc) / min(state.months_acting, p.appetite_ttc_months)
    k = 0.0
    if act and p.appetite_sensitivity > 0 and not math.isnan(state.smoothed) and state.ttc > 0:
        excess = state.smoothed / state.ttc - 1.0 - p.appetite_tolerance
        k = min(max(p.appetite_sensitivity * excess, 0.0), 1.0)
    if act and pressure > 0:
        k = min(k + pressure, 1.0)
    state.tightness = k
    return k


@kernel
def risk_index(P, i, Q):  # noqa: N803
    """Borrower ``i``'s true risk index (higher = riskier), in score units: the generic score the
    lender uses (with noise) until it has fitted its own (:mod:`simulator.core.scoring`).

    A weighted sum of what drives repayment failure in the borrower rules: freelance income,
    impulse propensity relative to the population mean, a thin savings buffer (log of three
    months over the buffer, 0 above three months), and other debt service per 15% of income.
    """
    fre = 1.0 if P.income_type[i] == FREELANCE else 0.0
    imp = P.impulse[i] / Q.impulse_mean - 1.0
    thin_buffer = max(np.log(3.0 / max(P.buffer_months[i], 0.05)), 0.0)
    debt = P.other_debt[i] / P.base_income[i] / 0.15
    return Q.w_freelance * fre + Q.w_impulse * imp + Q.w_buffer * thin_buffer + Q.w_debt * debt


@kernel
def estimated_income(P, i, E, Q):  # noqa: N803
    """The lender's estimate of borrower ``i``'s monthly income: this month's income as seen in
    the account's transactions (so a freelancer in peak season looks richer than in the off
    season), with an unbiased log-normal error.
    """
    s = Q.income_noise
    return P.income[i] * np.exp(s * P.income_est_noise[i] - 0.5 * s * s)


@kernel
def usual_income_estimate(P, i, E, Q):  # noqa: N803
    """The lender's estimate of borrower ``i``'s usual monthly income at a line review: base
    income at this month's income level (its view of the months since the last review, so one
    month's swing or the freelance season moves no line), with the same error as at application
    (:func:`estimated_income`).
    """
    s = Q.income_noise
    return P.base_income[i] * E.income_index * np.exp(s * P.income_est_noise[i] - 0.5 * s * s)


@kernel
def line_cap(P, i, est, Q):  # noqa: N803
    """The largest line the lender may grant borrower ``i`` (estimated income ``est``): the hard
    cap, and when switched on the affordability cap (C2 off) and the debt-to-income cap.
    """
    cap = Q.max_line
    if Q.cap_affordable:
        cap = min(cap, affordable_line(P, i, Q.essentials_share, Q.affordable_line_months))
    if Q.dti_cap > 0:
        cap = min(cap, max(Q.dti_cap * est - P.other_debt[i], 0.0))
    return cap


@kernel
def generic_score(P, i, Q, noise):  # noqa: N803
    """The generic score before the lender's fit: −risk index + ``noise`` × the applicant's
    ``score_noise`` draw (``noise``: the score sd of the applicant's file type).
    """
    return -risk_index(P, i, Q) + noise * P.score_noise[i]


@kernel
def established_review_score(P, i, Q):  # noqa: N803
    """The score thin-file applicant ``i`` would have had with an established file's record: the
    bureau signal with the established file's noise (same draw ``score_noise``, sd smaller by
    ``bureau_noise_gap``) scored as an established file once fitted; before, the generic score
    with the established file's noise. Cause C3 (weak review of new users): an approved thin file
    that this score would have rejected.
    """
    if Q.fitted:
        b = np.float64(P.bureau_signal[i]) - Q.bureau_noise_gap * P.score_noise[i]
        return score_of(feature_values_as(P, i, Q.impulse_mean, b, False), Q.coef, Q.centre)
    return generic_score(P, i, Q, Q.noise_established)


@kernel
def target_line(P, i, est, score, Q):  # noqa: N803
    """The line the lender grants borrower ``i`` at estimated income ``est`` and score ``score``:
    ``line_multiplier`` × ``est`` × a score factor ``1 + line_score_slope × score`` clipped to
    [``line_factor_min``, ``line_factor_max``], capped by :func:`line_cap`. The initial line, and
    the target of a re-underwriting cut for deteriorating risk (:func:`review_lines`).
    """
    factor = min(max(1.0 + Q.line_score_slope * score, Q.line_factor_min), Q.line_factor_max)
    return min(Q.line_multiplier * est * factor, line_cap(P, i, est, Q))


@kernel
def open_accounts(P, s, e, E, Q):  # noqa: N803
    """Score this month's applicants, approve those at or above the cutoff, set their lines.

    Score: once fitted (``fitted``), the fitted logistic score
    (:func:`~simulator.core.scoring.fitted_score`, 0 = a typical applicant); before, the generic
    score −risk index + noise (sd ``score_noise_thin`` for thin files, else
    ``score_noise_established``). The cutoff rises by
    ``tightness × appetite_cutoff_shift`` when the lender's risk appetite is tightened
    (:func:`update_appetite`). Line: :func:`target_line` of the estimated income and the score.
    """
    for i in range(s, e):
        if P.arrival_month[i] != E.month or P.status[i] != NOT_ARRIVED:
            continue
        thin = P.thin_file[i]
        if Q.fitted:
            score = fitted_score(P, i, Q.impulse_mean, Q.coef, Q.centre)
        else:
            noise = Q.noise_thin if thin else Q.noise_established
            score = generic_score(P, i, Q, noise)
        P.app_score[i] = score
        shift = Q.tightness * Q.appetite_cutoff_shift
        if score >= (Q.thin_cutoff if thin else Q.cutoff) + shift:
            P.weak_review[i] = thin and established_review_score(P, i, Q) < Q.cutoff + shift
            P.line[i] = target_line(P, i, estimated_income(P, i, E, Q), score, Q)
            P.status[i] = ACTIVE
            P.open_month[i] = E.month
            P.partner[i] = Q.partner_share > 0 and score >= Q.partner_cutoff
        else:
            P.status[i] = REJECTED
            P.weak_review[i] = False


@kernel
def early_warning(P, i, E, Q):  # noqa: N803
    """Early-warning monitoring of account ``i`` (policy early_warning, every month).

    Four indicators in 0..1 — utilisation, lateness (any missed cycle in its history, more if
    past due now), an income drop (this month's income under 70% of its usual level) and a
    spending spike (last month's purchases above half a month's usual income) — are weighted into
    a signal; at ``ew_threshold`` or above, ``ew_cut`` of the unused line is removed (1 = freeze
    the line at the balance).
    """
    line = np.float64(P.line[i])
    bal = balance(P, i)
    usual = P.base_income[i] * E.income_index
    util = min(bal / line, 1.0) if line > 0 else 1.0
    lateness = 1.0 if P.months_late[i] > 0 else (0.5 if P.late_count[i] > 0 else 0.0)
    drop = 1.0 if P.income[i] < 0.7 * usual else 0.0
    spike = 1.0 if P.purchases_m[i] > 0.5 * usual else 0.0
    signal = Q.ew_w_util * util + Q.ew_w_late * lateness + Q.ew_w_income * drop + Q.ew_w_spike * spike
    if signal >= Q.ew_threshold and line > bal:
        P.line[i] = line - Q.ew_cut * (line - bal)


@kernel
def review_lines(P, s, e, E, Q):  # noqa: N803
    """Line management in both directions: every ``review_months`` on book the line moves toward
    a target, up by at most ``raise_share`` × (1 − tightness), down by at most
    ``line_decrease_share``.

    Each month an active account's ``idle_months`` counts the months in a row without a purchase
    (from last month's purchases; 0 in the month it opens). At a review the lender estimates the
    usual income (:func:`usual_income_estimate`); the cap is ``max_line_to_income`` months of it
    (and :func:`line_cap`). The target:

    - a good payer (``raise_min_ontime`` months paid in full, utilisation of at least
      ``raise_min_utilization``, current): the line of the best score band,
      ``line_multiplier`` × estimate × ``line_factor_max`` (under the cap);
    - deteriorating risk (past due now, or a missed payment since the last review): down to
      :func:`target_line` of its application score at the estimate, never up;
    - anyone else: the line kept, cut down to the cap if above it.

    Then an account with no purchase since the last review loses ``inactive_line_cut`` of its
    unused line; otherwise, while the lender's risk appetite is tightened
    (:func:`update_appetite`), an account that is not a good payer loses
    ``tightness × appetite_unused_cut`` of its unused line, delinquent or not. A closing account
    (:mod:`simulator.core.pool`) keeps its line of 0. Lines are also cut when an account goes past
    due (:func:`age_accounts`); paid-up accounts idle for ``inactive_close_months`` are closed at
    the pool stage.
    """
    for i in range(s, e):
        if P.status[i] != ACTIVE:
            continue
        if Q.ew_threshold > 0:
            early_warning(P, i, E, Q)
        mob = E.month - P.open_month[i]
        if mob <= 0:
            P.idle_months[i] = 0
            continue
        if P.purchases_m[i] > 0:
            P.idle_months[i] = 0
        elif P.idle_months[i] < 30000:
            P.idle_months[i] += 1
        if P.closing[i] or mob % Q.review_months != 0:  # a closing account keeps its line of 0
            continue
        line = np.float64(P.line[i])
        bal = balance(P, i)
        est = usual_income_estimate(P, i, E, Q)
        cap = min(Q.max_line_to_income * est, line_cap(P, i, est, Q))
        good = (P.months_late[i] == 0 and P.ontime_streak[i] >= Q.raise_min_ontime
                and bal >= Q.raise_min_utilization * line and Q.tightness < 1.0)
        worse = P.months_late[i] != 0 or (P.late_count[i] > 0 and P.ontime_streak[i] < Q.review_months)
        if good:  # a proven good payer: the line of the best score band
            target = min(Q.line_multiplier * est * Q.line_factor_max, cap)
        elif worse:  # deteriorating risk: down to the line its application score gets at today's income
            target = min(target_line(P, i, est, P.app_score[i], Q), line, cap)
        else:
            target = min(line, cap)
        if line < target:
            line = min(line * (1.0 + Q.raise_share * (1.0 - Q.tightness)), target)
        elif line > target and Q.line_decrease_share > 0:
            line = max(target, line * (1.0 - Q.line_decrease_share))
        P.line[i] = line
        if Q.inactive_line_cut > 0 and P.idle_months[i] >= Q.review_months and line > bal:
            P.line[i] = line - Q.inactive_line_cut * (line - bal)
        elif not good and Q.tightness > 0 and line > bal:  # pre-emptive cut of the unused line
            P.line[i] = line - Q.tightness * Q.appetite_unused_cut * (line - bal)


@kernel
def age_accounts(P, s, e, E, Q):  # noqa: N803
    """After repayment: late fees, line cuts, default at ``default_days``, charge-off.

    A past-due active account is charged ``late_fee_rate`` of its arrears; an account that has
    just gone past due has its line cut by ``cut_on_late``. An active account reaching
    :func:`default_bucket` defaults: its whole balance becomes arrears and its line closes.
    Defaulted accounts keep ageing; at :func:`charge_off_bucket` their balance is charged off
    (recoveries come in as cash, outside receivables, over the following months: the recovery
    curve of :meth:`simulator.core.recorder.MonthlyRecorder.recoveries`).
    """
    for i in range(s, e):
        P.chargeoff_m[i] = 0.0
        P.late_fee_m[i] = 0.0
        st = P.status[i]
        late = P.months_late[i]
        if st == ACTIVE:
            if late < 1:
                continue
            fee = np.float64(P.arrears[i]) * Q.late_fee_rate
            P.arrears[i] += fee
            P.fees_m[i] += fee
            P.late_fee_m[i] = fee
            if P.late_prev[i] == 0:
                P.line[i] *= 1.0 - Q.cut_on_late
            if late >= Q.default_bucket:
                # everything owed becomes arrears (bill_next is 0 after repay). Summed in this order
                # rather than by accounts.balance, whose order of addition could round differently.
                bal = np.float64(P.arrears[i]) + P.bill[i] + P.inst_balance[i] + P.inst_new[i]
                P.arrears[i] = bal
                P.bill[i] = 0.0
                P.inst_balance[i] = 0.0
                P.inst_new[i] = 0.0
                P.inst_months[i] = 0
                P.line[i] = 0.0
                P.default_month[i] = E.month
                P.default_balance[i] = P.arrears[i]
                P.status[i] = DEFAULTED
        elif st == DEFAULTED:
            late = min(late + 1, 100)
            P.months_late[i] = late
            if late >= Q.charge_off_bucket:
                P.chargeoff_m[i] = P.arrears[i]
                P.arrears[i] = 0.0
                P.closed_month[i] = E.month
                P.status[i] = CHARGED_OFF
