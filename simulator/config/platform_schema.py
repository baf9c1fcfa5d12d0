"""The platform's config schema (``conf/platform/*.yaml``): underwriting, lines, fees,
collections, charge-off and, with ``economy.feedback``, the balance sheet. Split from
:mod:`simulator.config.schemas` (which re-exports it) to keep modules short; the same rules apply:
each field declares its allowed range, unit and meaning once, in its metadata.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.config.errors import ConfigError
from simulator.config.fields import PROB
from simulator.config.fields import setting as _f

__all__ = ["PlatformConfig"]


@dataclass
class PlatformConfig:
    """The lender: scoring, approval, lines, reviews, fees, collections, charge-off."""

    name: str = _f("default", doc="platform strategy name")
    risk_weight_freelance: float = _f(
        0.6, ge=-10, le=10, unit="score units", doc="risk index weight of freelance income"
    )
    risk_weight_impulse: float = _f(
        0.5, ge=-10, le=10, unit="score units", doc="risk index weight of impulse propensity (per mean)"
    )
    risk_weight_buffer: float = _f(
        1.0, ge=-10, le=10, unit="score units", doc="risk index weight of a thin savings buffer"
    )
    risk_weight_debt: float = _f(
        0.5, ge=-10, le=10, unit="score units", doc="risk index weight of other debt (per 15% of income)"
    )
    score_noise_established: float = _f(
        0.4, ge=0, le=10, unit="score sd", doc="score noise for applicants with a credit history"
    )
    score_noise_thin: float = _f(0.8, ge=0, le=10, unit="score sd", doc="score noise for thin-file applicants")
    cutoff: float = _f(-1.9, ge=-10, le=10, unit="score units",
                       doc="approve applicants scoring at or above this (generic score, before the fit)")
    approval_target: float = _f(
        0.73, gt=0, le=1, unit="share of applicants",
        doc="approval rate at which the fitted score's cutoff is set (a score quantile of the training window)",
    )
    score_train_months: int = _f(
        12, ge=0, le=600, unit="months",
        doc="months of applicants, from the first burn-in month, the fitted score is trained on (0: no fit)",
    )
    score_outcome_months: int = _f(
        12, ge=1, le=120, unit="months", doc="bad = default within this many months of opening (training label)"
    )
    thin_file_cutoff_offset: float = _f(
        0.0,
        ge=-10,
        le=10,
        unit="score units",
        doc="added to the cutoff for thin-file applicants (negative = simplified review)",
    )
    income_estimate_noise: float = _f(0.3, ge=0, le=3, unit="log-sd", doc="error of the platform's income estimate")
    line_multiplier: float = _f(0.6, gt=0, le=20, unit="months of estimated income", doc="initial line at a score of 0")
    line_score_slope: float = _f(0.3, ge=0, le=5, unit="per score unit", doc="line change per score unit")
    line_factor_min: float = _f(0.4, gt=0, le=10, unit="factor", doc="smallest score factor on the line")
    line_factor_max: float = _f(1.6, gt=0, le=10, unit="factor", doc="largest score factor on the line")
    max_line: float = _f(30000.0, gt=0, le=1e9, unit="currency",
                         doc="hard cap on any line")
    review_months: int = _f(6, ge=1, le=120, unit="months", doc="months between periodic line reviews")
    raise_share: float = _f(0.2, ge=0, le=10, unit="share of line", doc="line increase at a review for good payers")
    raise_min_ontime: int = _f(6, ge=0, le=120, unit="months", doc="on-time months needed for a raise")
    raise_min_utilization: float = _f(0.3, **PROB, unit="share", doc="utilisation needed for a raise")
    max_line_to_income: float = _f(2.0, gt=0, le=50, unit="months of estimated income", doc="cap on raised lines")
    cut_on_late: float = _f(0.5, **PROB, unit="share of line", doc="line cut when an account first goes past due")
    line_decrease_share: float = _f(
        0.2, **PROB, unit="share of line",
        doc="largest cut at a review of a line above max_line_to_income months of estimated income "
        "(re-underwriting; 0 = lines only ratchet up)",
    )
    inactive_close_months: int = _f(
        12, ge=0, le=600, unit="months",
        doc="a paid-up account with no purchases for this many months is closed (0 = never)",
    )
    inactive_line_cut: float = _f(
        0.5, **PROB, unit="share of unused line",
        doc="cut of the unused line at a review of an account with no purchases since the last review",
    )
    appetite_sensitivity: float = _f(
        2.0, ge=0, le=100, unit="tightness per unit of relative excess",
        doc="risk appetite: tightness (0..1) per unit by which the smoothed 30+ share exceeds its "
        "through-the-cycle level (beyond the tolerance); 0 = the lender never changes over the cycle",
    )
    appetite_tolerance: float = _f(
        0.2, ge=0, le=10, unit="share of the through-the-cycle level",
        doc="relative excess of the smoothed 30+ share the lender tolerates before tightening",
    )
    appetite_smoothing_months: float = _f(
        3.0, ge=1, le=60, unit="months", doc="averaging window (EWMA) of the observed 30+ share"
    )
    appetite_ttc_months: float = _f(
        36.0, ge=1, le=600, unit="months", doc="averaging window (EWMA) of the through-the-cycle 30+ share"
    )
    appetite_cutoff_shift: float = _f(
        0.5, ge=0, le=10, unit="score units", doc="rise of the approval cutoffs at full tightness"
    )
    appetite_unused_cut: float = _f(
        0.75, **PROB, unit="share of unused line",
        doc="share of the unused line removed at a review at full tightness (accounts not raised)",
    )
    instalment_share: float = _f(
        0.3, **PROB, unit="share of months", doc="probability a month's purchases are converted to instalments"
    )
    instalment_terms: list[int] = _f([3, 6, 12], ge=1, le=60, unit="months", doc="instalment terms offered")
    instalment_term_weights: list[float] = _f(
        [0.4, 0.35, 0.25], ge=0, le=1, unit="share", doc="share of instalment plans by term"
    )
    instalment_fee_rate: float = _f(
        0.006, ge=0, le=0.1, unit="share of principal per month of term", doc="instalment fee"
    )
    late_fee_rate: float = _f(0.015, ge=0, le=0.5, unit="share of amount past due per month", doc="late fee")
    affordable_line_months: float = _f(
        1.5,
        gt=0,
        le=60,
        unit="months of free income",
        doc="a line above this many months of free income (base income less essentials and other debt) "
        "is over-granted (cause C2)",
    )
    cap_lines_at_affordable: bool = _f(
        False, doc="cap every line at affordable_line_months of free income (cause C2 switched off)"
    )
    merchant_fee_rate: float = _f(
        0.01, ge=0, le=0.2, unit="share of purchase volume", doc="merchant discount the platform earns"
    )
    collections_squeeze: float = _f(
        0.01,
        **PROB,
        unit="share of essentials",
        doc="essential spending a delinquent borrower gives up under collections",
    )
    defaulted_pay_share: float = _f(
        0.02,
        **PROB,
        unit="share of free cash",
        doc="what collections recover each month from a defaulted account's free cash",
    )
    default_days: int = _f(
        90, unit="days past due", doc="default threshold (Basel: 90)", choices=(30, 60, 90, 120, 150, 180)
    )
    charge_off_days: int = _f(
        180, unit="days past due", doc="charge-off age (FFIEC 2000: 180 for open-end credit)",
        choices=(60, 90, 120, 150, 180, 210, 240, 270, 360),
    )
    recovery_rate: float = _f(
        0.1, **PROB, unit="share of charged-off balance",
        doc="share of a charged-off balance recovered in total, at base unemployment",
    )
    recovery_months: int = _f(
        12, ge=1, le=120, unit="months",
        doc="recoveries come in, in equal parts, over this many months after the charge-off",
    )
    capital_target: float = _f(
        0.17, gt=0, le=1, unit="equity ÷ own-book receivables",
        doc="funding (economy.feedback): the capital ratio the lender holds; profits above it are paid out",
    )
    abs_funding_share: float = _f(
        0.8, **PROB, unit="share of debt funding", doc="share of the debt funding raised by ABS (the rest: bank loans)"
    )
    funding_rate: float = _f(0.05, ge=0, le=1, unit="per year", doc="cost of debt funding in normal times")
    funding_spread_sensitivity: float = _f(
        0.05, ge=0, le=10, unit="per year per unit of relative loss excess",
        doc="rise of the ABS funding cost per unit by which the smoothed loss rate exceeds its through-the-cycle level",
    )
    abs_availability_sensitivity: float = _f(
        0.25, ge=0, le=10, unit="share per unit of relative loss excess",
        doc="share of ABS funding that stops rolling over per unit of relative loss excess",
    )
    operating_cost_rate: float = _f(0.02, ge=0, le=1, unit="per year, share of receivables", doc="operating costs")
    capital_appetite_sensitivity: float = _f(
        2.0, ge=0, le=100, unit="tightness per unit of shortfall",
        doc="tightness added per unit of capital shortfall (1 − appetite_tolerance − capital ratio ÷ target) "
        "or funding shortfall",
    )
    recap_floor: float = _f(
        0.10, ge=0, le=1, unit="equity ÷ own-book receivables",
        doc="funding (economy.feedback): capital ratio below which the shareholder recapitalises the lender "
        "back to capital_target (after recap_delay_months); 0: never",
    )
    recap_delay_months: int = _f(
        3, ge=0, le=60, unit="months",
        doc="months in a row below recap_floor before the shareholder injects capital (0: the same month)",
    )
    recovery_unemployment_elasticity: float = _f(
        1.0, ge=0, le=10, unit="elasticity",
        doc="a month's recoveries are scaled by (unemployment_base / unemployment rate) to this power",
    )

    def check(self, prefix: str) -> None:
        """Cross-field checks."""
        if len(self.instalment_terms) != len(self.instalment_term_weights) or not self.instalment_terms:
            raise ConfigError(
                f"{prefix}.instalment_term_weights={self.instalment_term_weights}: "
                f"allowed: one weight per term of instalment_terms={self.instalment_terms}"
            )
        if not math.isclose(sum(self.instalment_term_weights), 1.0, abs_tol=1e-6):
            raise ConfigError(
                f"{prefix}.instalment_term_weights={self.instalment_term_weights}: allowed: weights summing to 1"
            )
        if self.line_factor_min > self.line_factor_max:
            raise ConfigError(
                f"{prefix}.line_factor_min={self.line_factor_min}: "
                f"allowed: at most line_factor_max={self.line_factor_max}"
            )
        if self.recap_floor > self.capital_target:
            raise ConfigError(
                f"{prefix}.recap_floor={self.recap_floor}: allowed: at most capital_target={self.capital_target}"
            )
        if self.charge_off_days <= self.default_days:
            raise ConfigError(
                f"{prefix}.charge_off_days={self.charge_off_days}: allowed: more than default_days={self.default_days}"
            )
