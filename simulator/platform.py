"""The platform (lender): scoring and approval, credit lines, reviews, late fees, default, charge-off.

The platform sees only what a lender can observe: an application score that mixes the
borrower's true risk with noise (larger for thin files), its own noisy estimate of income, and
the account's repayment history. Its rules are array functions over a slice of accounts, run
block by block by the :class:`Platform` Mesa agent in both run modes. Rules are compiled
kernels (numba) over a range ``s..e-1`` of accounts, like the borrower rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import mesa
import numpy as np
from numba import njit

from .config import PlatformConfig, PopulationConfig
from .population import ACTIVE, CHARGED_OFF, DEFAULTED, FREELANCE, NOT_ARRIVED, REJECTED

if TYPE_CHECKING:
    from .model import CreditModel

__all__ = ["Platform", "PlatformParams", "make_params", "risk_index", "open_accounts",
           "review_lines", "age_accounts", "default_bucket", "charge_off_bucket"]


def default_bucket(p: PlatformConfig) -> int:
    """``months_late`` at which an account defaults (90 days past due → 4 missed cycles)."""
    return p.default_days // 30 + 1


def charge_off_bucket(p: PlatformConfig) -> int:
    """``months_late`` at which a defaulted account is charged off (180 days → 7)."""
    return p.charge_off_days // 30 + 1


class PlatformParams(NamedTuple):
    """The platform's parameters as the compiled kernels read them (see :func:`make_params`)."""

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
    late_fee_rate: float
    default_bucket: int
    charge_off_bucket: int


def make_params(p: PlatformConfig, c: PopulationConfig) -> PlatformParams:
    """Pack the platform config (and the population's mean impulse level it knows)."""
    return PlatformParams(
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
        late_fee_rate=p.late_fee_rate, default_bucket=default_bucket(p),
        charge_off_bucket=charge_off_bucket(p),
    )


@njit(cache=True, error_model="numpy", nogil=True)
def risk_index(P, i, Q):  # noqa: N803
    """Borrower ``i``'s true risk index (higher = riskier), in score units.

    A weighted sum of what drives repayment failure in the borrower rules: freelance income,
    impulse propensity relative to the population mean, a savings buffer under two months, and
    other debt service per 15% of income.
    """
    fre = 1.0 if P.income_type[i] == FREELANCE else 0.0
    imp = P.impulse[i] / Q.impulse_mean - 1.0
    thin_buffer = max(1.0 - P.buffer_months[i] / 2.0, 0.0)
    debt = P.other_debt[i] / P.base_income[i] / 0.15
    return Q.w_freelance * fre + Q.w_impulse * imp + Q.w_buffer * thin_buffer + Q.w_debt * debt


@njit(cache=True, error_model="numpy", nogil=True)
def estimated_income(P, i, E, Q):  # noqa: N803
    """The platform's estimate of borrower ``i``'s monthly income: this month's income as seen in
    the account's transactions (so a freelancer in peak season looks richer than in the off
    season), with an unbiased log-normal error.
    """
    s = Q.income_noise
    return P.income[i] * np.exp(s * P.income_est_noise[i] - 0.5 * s * s)


@njit(cache=True, error_model="numpy", nogil=True)
def open_accounts(P, s, e, E, Q):  # noqa: N803
    """Score this month's applicants, approve those at or above the cutoff, set their lines.

    Score = −risk index + noise (sd ``score_noise_thin`` for thin files, else
    ``score_noise_established``). Line = ``line_multiplier`` × estimated income × a score factor
    ``1 + line_score_slope × score`` clipped to [``line_factor_min``, ``line_factor_max``],
    capped at ``max_line``.
    """
    for i in range(s, e):
        if P.arrival_month[i] != E.month or P.status[i] != NOT_ARRIVED:
            continue
        thin = P.thin_file[i]
        noise = Q.noise_thin if thin else Q.noise_established
        score = -risk_index(P, i, Q) + noise * P.score_noise[i]
        P.app_score[i] = score
        if score >= (Q.thin_cutoff if thin else Q.cutoff):
            factor = min(max(1.0 + Q.line_score_slope * score, Q.line_factor_min),
                         Q.line_factor_max)
            P.line[i] = min(Q.line_multiplier * estimated_income(P, i, E, Q) * factor,
                            Q.max_line)
            P.status[i] = ACTIVE
            P.open_month[i] = E.month
        else:
            P.status[i] = REJECTED


@njit(cache=True, error_model="numpy", nogil=True)
def review_lines(P, s, e, E, Q):  # noqa: N803
    """Periodic line review every ``review_months`` on book: raise the lines of good payers.

    A raise of ``raise_share`` needs ``raise_min_ontime`` months paid in full, utilisation of at
    least ``raise_min_utilization`` and a current account; raised lines stay under
    ``max_line_to_income`` months of estimated income and ``max_line``. Cuts happen when an
    account goes past due (:func:`age_accounts`).
    """
    for i in range(s, e):
        if P.status[i] != ACTIVE:
            continue
        mob = E.month - P.open_month[i]
        if mob <= 0 or mob % Q.review_months != 0:
            continue
        if P.months_late[i] != 0 or P.ontime_streak[i] < Q.raise_min_ontime:
            continue
        line = np.float64(P.line[i])
        bal = np.float64(P.bill[i]) + P.bill_next[i] + P.inst_balance[i] + P.inst_new[i] + P.arrears[i]
        if bal < Q.raise_min_utilization * line:
            continue
        cap = min(Q.max_line_to_income * estimated_income(P, i, E, Q), Q.max_line)
        P.line[i] = min(line * (1.0 + Q.raise_share), max(cap, line))


@njit(cache=True, error_model="numpy", nogil=True)
def age_accounts(P, s, e, E, Q):  # noqa: N803
    """After repayment: late fees, line cuts, default at ``default_days``, charge-off.

    A past-due active account is charged ``late_fee_rate`` of its arrears; an account that has
    just gone past due has its line cut by ``cut_on_late``. An active account reaching
    :func:`default_bucket` defaults: its whole balance becomes arrears and its line closes.
    Defaulted accounts keep ageing; at :func:`charge_off_bucket` their balance is charged off
    (``recovery_rate`` of it is recovered as cash, outside receivables).
    """
    for i in range(s, e):
        P.chargeoff_m[i] = 0.0
        st = P.status[i]
        late = P.months_late[i]
        if st == ACTIVE:
            if late < 1:
                continue
            fee = np.float64(P.arrears[i]) * Q.late_fee_rate
            P.arrears[i] += fee
            P.fees_m[i] += fee
            if P.late_prev[i] == 0:
                P.line[i] *= 1.0 - Q.cut_on_late
            if late >= Q.default_bucket:
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


class Platform(mesa.Agent):
    """The lender as a Mesa agent: runs its rules over all accounts, block by block.

    Args:
        model: the owning model.
        cfg: platform config.
        pop_cfg: population config (the platform knows the population's mean impulse level).
    """

    def __init__(self, model: CreditModel, cfg: PlatformConfig, pop_cfg: PopulationConfig):
        super().__init__(model)
        self.cfg = cfg
        self.params = make_params(cfg, pop_cfg)

    def review(self, spans: list[slice]) -> None:
        """Stage 'platform review' of the accounts in ``spans``: applications, line reviews."""
        m = self.model
        env = m.economy.now
        for sl in spans:
            open_accounts(m.arrays, sl.start, sl.stop, env, self.params)
            review_lines(m.arrays, sl.start, sl.stop, env, self.params)

    def age(self, spans: list[slice]) -> None:
        """Stage 'delinquency ageing, default, charge-off' of the accounts in ``spans``."""
        m = self.model
        env = m.economy.now
        for sl in spans:
            age_accounts(m.arrays, sl.start, sl.stop, env, self.params)
