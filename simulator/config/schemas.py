"""Typed configuration schemas: one dataclass per config group of ``conf/``.

Hydra merges the YAML files into these typed nodes, so an unknown key or a value of the wrong
type is rejected when the config is composed. Each field declares its allowed range, unit and
meaning once, in its metadata (:func:`_f`); :func:`simulator.config.checks.check_ranges` reads
them, and each schema's ``check`` method holds its cross-field rules.

Units: money is in the config's currency units (RMB in the shipped configs) per month; hazards
and probabilities are per month unless the name says ``annual``; shares are fractions 0..1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from simulator.config.errors import ConfigError

__all__ = [
    "Config",
    "PopulationConfig",
    "PlatformConfig",
    "EconomyConfig",
    "PolicyConfig",
    "RunConfig",
]


def _f(
    default: Any,
    *,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
    unit: str = "",
    doc: str = "",
    choices: tuple | None = None,
) -> Any:
    """A dataclass field carrying its allowed range, unit and meaning in metadata."""
    meta = {"ge": ge, "le": le, "gt": gt, "lt": lt, "unit": unit, "doc": doc, "choices": choices}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


PROB = {"ge": 0.0, "le": 1.0}


@dataclass
class PopulationConfig:
    """Who the borrowers are: income, spending habits, buffers, other debt, life shocks.

    The defaults are placeholders for the schema; the calibrated values, with their sources,
    live in ``conf/population/default.yaml``.
    """

    freelance_share: float = _f(0.3, **PROB, unit="share", doc="share of borrowers with freelance income")
    income_median: float = _f(6000.0, gt=0, unit="currency/month", doc="median base monthly income")
    income_dispersion: float = _f(0.5, ge=0, le=3, unit="log-sd", doc="sd of log base income across borrowers")
    salaried_volatility: float = _f(
        0.08, ge=0, le=1, unit="sd/month", doc="sd of salaried monthly income around its base"
    )
    freelance_volatility: float = _f(
        0.3, ge=0, le=1, unit="sd/month", doc="sd of freelance monthly income around its seasonal level"
    )
    freelance_season: list[float] = _f(
        [0.75, 0.7, 0.9, 1.0, 1.05, 1.15, 1.0, 0.95, 1.0, 1.1, 1.25, 1.15],
        ge=0,
        le=5,
        unit="factor",
        doc="freelance income factor by calendar month Jan..Dec",
    )
    freelance_demand_elasticity: float = _f(
        1.5, ge=0, le=10, unit="elasticity", doc="freelance income response to the consumer-demand index"
    )
    essentials_share: float = _f(
        0.55, **PROB, unit="share of base income", doc="essential spending at start-of-run prices"
    )
    other_debt_share: float = _f(0.4, **PROB, unit="share", doc="share of borrowers servicing other debt")
    other_debt_ratio: float = _f(
        0.15, ge=0, le=1, unit="share of base income", doc="mean other-debt service of those with other debt"
    )
    buffer_median_months: float = _f(1.5, ge=0, le=60, unit="months of base income", doc="median target savings buffer")
    buffer_dispersion: float = _f(1.0, ge=0, le=3, unit="log-sd", doc="sd of log target buffer")
    saving_rate: float = _f(
        0.3, **PROB, unit="share of surplus", doc="share of a month's surplus saved until the buffer target is met"
    )
    planned_share: float = _f(0.1, ge=0, le=2, unit="share of base income", doc="planned BNPL purchases per month")
    impulse_mean: float = _f(0.05, ge=0, le=2, unit="share of base income", doc="mean impulse propensity")
    impulse_shape: float = _f(
        1.0, gt=0, le=100, unit="gamma shape", doc="dispersion of impulse propensity across borrowers"
    )
    impulse_volatility: float = _f(
        0.5, ge=0, le=0.57, unit="sd of the monthly factor", doc="month-to-month variation of impulse purchases"
    )
    promo_months: list[int] = _f([6, 11], ge=1, le=12, unit="calendar month", doc="promotion months (618, Double 11)")
    promo_multiplier: float = _f(
        2.5, ge=0, le=20, unit="factor", doc="impulse propensity multiplier in promotion months"
    )
    distress_borrowing: float = _f(
        0.3, **PROB, unit="share of shortfall", doc="share of an income shortfall put on the BNPL line"
    )
    job_loss_hazard: float = _f(
        0.012, **PROB, unit="per month", doc="salaried job-loss hazard at the base unemployment rate"
    )
    freelance_loss_hazard: float = _f(
        0.02, **PROB, unit="per month", doc="freelance loss-of-work hazard at the base unemployment rate"
    )
    reemployment_rate: float = _f(
        0.25, **PROB, unit="per month", doc="re-employment probability at the base unemployment rate"
    )
    unemployment_replacement: float = _f(0.3, **PROB, unit="share of base income", doc="income while out of work")
    illness_hazard: float = _f(0.003, **PROB, unit="per month", doc="serious-illness hazard")
    illness_months: int = _f(3, ge=1, le=60, unit="months", doc="duration of a serious illness")
    illness_income_loss: float = _f(0.5, **PROB, unit="share of income", doc="income lost while ill")
    medical_cost_months: float = _f(1.0, ge=0, le=60, unit="months of base income", doc="one-off medical cost at onset")
    family_event_hazard: float = _f(0.01, **PROB, unit="per month", doc="costly family-event hazard")
    family_cost_months: float = _f(0.5, ge=0, le=60, unit="months of base income", doc="one-off family-event expense")
    thin_file_share: float = _f(0.3, **PROB, unit="share", doc="share of applicants with a thin credit file")
    initial_applicant_share: float = _f(
        0.6, **PROB, unit="share", doc="share of the pool applying during the burn-in (spread evenly over its months)"
    )
    arrival_rate: float = _f(0.02, **PROB, unit="per month", doc="monthly application hazard of the rest of the pool")

    def check(self, prefix: str) -> None:
        """Cross-field and list checks."""
        if len(self.freelance_season) != 12:
            raise ConfigError(
                f"{prefix}.freelance_season={self.freelance_season}: "
                "allowed: a list of exactly 12 monthly factors (Jan..Dec)"
            )
        if self.illness_hazard + self.family_event_hazard > 1:
            raise ConfigError(
                f"{prefix}.illness_hazard + family_event_hazard="
                f"{self.illness_hazard + self.family_event_hazard}: allowed: at most 1"
            )


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
    cutoff: float = _f(-1.9, ge=-10, le=10, unit="score units", doc="approve applicants scoring at or above this")
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
    max_line: float = _f(30000.0, gt=0, unit="currency", doc="hard cap on any line")
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
        0.15,
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
        270, unit="days past due", doc="charge-off age", choices=(60, 90, 120, 150, 180, 210, 240, 270, 360)
    )
    recovery_rate: float = _f(0.1, **PROB, unit="share of charged-off balance", doc="recovered at charge-off")

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
        if self.charge_off_days <= self.default_days:
            raise ConfigError(
                f"{prefix}.charge_off_days={self.charge_off_days}: allowed: more than default_days={self.default_days}"
            )


@dataclass
class EconomyConfig:
    """The monthly macro path: a base level and one downturn episode of a given shape."""

    name: str = _f("baseline", doc="economy preset name")
    path_file: str = _f(
        "",
        doc="CSV of a monthly macro path (economy=from_csv); empty: the parametric episode below. "
        "Columns: month (0, 1, ...) and any of unemployment_rate, income_growth (per month), "
        "demand_index, essential_prices; missing columns keep the parametric values",
    )
    unemployment_base: float = _f(
        0.05, gt=0, lt=1, unit="share of labour force", doc="unemployment rate before the episode"
    )
    unemployment_peak_delta: float = _f(
        0.0, ge=-0.5, le=0.5, unit="share of labour force", doc="rise of unemployment at the peak of the episode"
    )
    income_growth_annual: float = _f(0.03, ge=-0.5, le=1, unit="per year", doc="nominal income growth")
    income_growth_shock: float = _f(0.0, ge=-1, le=1, unit="per year", doc="income growth lost at the peak")
    essentials_inflation_annual: float = _f(0.03, ge=-0.5, le=1, unit="per year", doc="inflation of essential prices")
    essentials_inflation_shock: float = _f(
        0.0, ge=-1, le=1, unit="per year", doc="extra essentials inflation at the peak"
    )
    demand_drop: float = _f(0.0, ge=-1, le=1, unit="share", doc="fall of the consumer-demand index at the peak")
    shock_start: int = _f(6, ge=0, le=1200, unit="month", doc="month the episode starts")
    months_to_peak: int = _f(24, ge=1, le=600, unit="months", doc="months from start to peak")
    recovery_months: int = _f(36, ge=1, le=600, unit="months", doc="months from peak back to base")
    hazard_elasticity: float = _f(
        1.0, ge=0, le=10, unit="elasticity", doc="job-loss hazard response to unemployment/base"
    )
    systematic_pd: float = _f(
        0.0, ge=0, lt=1, unit="probability",
        doc="validation preset: job-loss probability in month 1 driven by one systematic factor "
        "(Vasicek); 0 = off. Job losses then happen in month 1 only (after accounts open in month 0)",
    )
    systematic_rho: float = _f(
        0.0, ge=0, lt=1, unit="correlation", doc="asset correlation of the systematic factor (Vasicek rho)"
    )

    def check(self, prefix: str) -> None:
        """Cross-field checks."""
        if not 0 < self.unemployment_base + self.unemployment_peak_delta < 1:
            raise ConfigError(
                f"{prefix}.unemployment_peak_delta={self.unemployment_peak_delta}: "
                "allowed: unemployment_base + unemployment_peak_delta strictly between 0 and 1"
            )


@dataclass
class ExternalDataPolicy:
    """R1: the score also sees income type, income volatility and other debt (less noise)."""

    enabled: bool = _f(False, doc="switch the policy on")
    noise_reduction: float = _f(0.5, **PROB, unit="share", doc="share by which the score's noise falls")


@dataclass
class MlScoringPolicy:
    """R1: a logistic regression re-fitted on the platform's own outcomes; risky lines frozen."""

    enabled: bool = _f(False, doc="switch the policy on")
    refit_months: int = _f(6, ge=1, le=60, unit="months", doc="months between re-fits; also the label horizon")
    pd_cutoff: float = _f(
        0.08, **PROB, unit="probability", doc="freeze the line above this predicted default probability"
    )


@dataclass
class BudgetAssistantPolicy:
    """R2: a share of borrowers adopts a smart budget assistant that curbs impulse spending."""

    enabled: bool = _f(False, doc="switch the policy on")
    uptake: float = _f(0.3, **PROB, unit="share of borrowers", doc="share adopting the assistant")
    impulse_cut: float = _f(0.5, **PROB, unit="share", doc="fall of an adopter's impulse propensity")


@dataclass
class AffordabilityCheckPolicy:
    """R2: a purchase is declined when next month's dues would exceed a share of free income."""

    enabled: bool = _f(False, doc="switch the policy on")
    max_due_share: float = _f(0.5, gt=0, le=2, unit="share of free income", doc="cap on next month's BNPL dues")


@dataclass
class EarlyWarningPolicy:
    """R3: monitored indicators combine into a risk signal; above a threshold the line is cut."""

    enabled: bool = _f(False, doc="switch the policy on")
    threshold: float = _f(0.6, gt=0, le=1, unit="signal 0..1", doc="act at or above this signal")
    w_utilization: float = _f(0.3, **PROB, unit="weight", doc="weight of utilisation")
    w_lateness: float = _f(0.3, **PROB, unit="weight", doc="weight of lateness")
    w_income_drop: float = _f(0.3, **PROB, unit="weight", doc="weight of an income drop")
    w_spending_spike: float = _f(0.1, **PROB, unit="weight", doc="weight of a spending spike")
    cut: float = _f(1.0, **PROB, unit="share of the unused line", doc="line removed (1 = freeze at balance)")


@dataclass
class JointLendingPolicy:
    """R4: a bank partner funds a share of each loan it approves; losses are split."""

    enabled: bool = _f(False, doc="switch the policy on")
    partner_share: float = _f(0.5, **PROB, unit="share of the loan", doc="share the bank funds")
    partner_cutoff: float = _f(-1.0, ge=-10, le=10, unit="score units", doc="the bank's own cutoff")


@dataclass
class HardshipPolicy:
    """R5: a borrower hit by a shock who falls behind can restructure once."""

    enabled: bool = _f(False, doc="switch the policy on")
    term_months: int = _f(12, ge=1, le=60, unit="months", doc="months to repay the restructured balance")
    holiday_months: int = _f(2, ge=0, le=24, unit="months", doc="payment holiday before repayments resume")


@dataclass
class UnemploymentBenefitsPolicy:
    """Public policy: higher income replacement while out of work."""

    enabled: bool = _f(False, doc="switch the policy on")
    extra_replacement: float = _f(0.2, **PROB, unit="share of base income", doc="added to the replacement rate")


@dataclass
class StimulusPolicy:
    """Public policy: a one-off cash transfer to every borrower."""

    enabled: bool = _f(False, doc="switch the policy on")
    month: int = _f(18, ge=0, le=1200, unit="month", doc="month of the transfer")
    months_of_income: float = _f(1.0, ge=0, le=24, unit="months of base income", doc="size of the transfer")


@dataclass
class ForbearancePolicy:
    """Public policy: in a downturn, the arrears of borrowers hit by a shock stop ageing."""

    enabled: bool = _f(False, doc="switch the policy on")
    trigger_rise: float = _f(
        0.01, ge=0, le=0.5, unit="share of labour force", doc="in force when unemployment is this far above base"
    )
    max_months: int = _f(6, ge=1, le=100, unit="months", doc="months a borrower's arrears may be kept from ageing")


@dataclass
class DtiCapPolicy:
    """Public policy: a line plus other debt service may not exceed a share of estimated income."""

    enabled: bool = _f(False, doc="switch the policy on")
    cap: float = _f(0.5, gt=0, le=5, unit="share of estimated monthly income", doc="debt-to-income cap")


@dataclass
class PolicyConfig:
    """Remedies R1–R5 and public policies; each is off unless its YAML (``policy=NAME``) turns it on."""

    external_data: ExternalDataPolicy = field(default_factory=ExternalDataPolicy)
    ml_scoring: MlScoringPolicy = field(default_factory=MlScoringPolicy)
    budget_assistant: BudgetAssistantPolicy = field(default_factory=BudgetAssistantPolicy)
    affordability_check: AffordabilityCheckPolicy = field(default_factory=AffordabilityCheckPolicy)
    early_warning: EarlyWarningPolicy = field(default_factory=EarlyWarningPolicy)
    joint_lending: JointLendingPolicy = field(default_factory=JointLendingPolicy)
    hardship: HardshipPolicy = field(default_factory=HardshipPolicy)
    unemployment_benefits: UnemploymentBenefitsPolicy = field(default_factory=UnemploymentBenefitsPolicy)
    stimulus: StimulusPolicy = field(default_factory=StimulusPolicy)
    forbearance: ForbearancePolicy = field(default_factory=ForbearancePolicy)
    dti_cap: DtiCapPolicy = field(default_factory=DtiCapPolicy)


@dataclass
class RunConfig:
    """How to run: size, horizon, replicates, seed, mode."""

    n_borrowers: int = _f(100000, ge=1, le=200_000_000, unit="borrowers", doc="size of the borrower pool")
    months: int = _f(60, ge=1, le=1200, unit="months", doc="reported horizon")
    burn_in: int = _f(
        36, ge=0, le=240, unit="months", doc="months simulated at base economy before month 0, not reported"
    )
    replicates: int = _f(5, ge=1, le=10_000, unit="runs", doc="independent replicates")
    seed: int = _f(42, ge=0, le=2**63 - 1, doc="run seed")
    mode: str = _f(
        "fast", choices=("fast", "agent"), doc="fast: cohort agents over arrays; agent: one Mesa agent per borrower"
    )
    start_month: int = _f(1, ge=1, le=12, unit="calendar month", doc="calendar month of month 0")
    block_size: int = _f(
        65536,
        ge=1,
        le=1 << 24,
        unit="borrowers",
        doc="borrowers per random-number block (changing it changes the draws)",
    )
    progress: str = _f(
        "auto", choices=("auto", "on", "off"), doc="progress bar: auto shows it on a terminal for long runs"
    )
    threads: int = _f(
        0,
        ge=0,
        le=256,
        unit="threads",
        doc="fast-mode worker threads (0 = one per CPU core); results do not depend on it",
    )
    study: str = _f(
        "single",
        choices=("single", "cause_decomposition"),
        doc="single: run the scenario; cause_decomposition: also rerun it with each cause of default "
        "switched off (same random numbers) and split the default rate among the causes",
    )
    skip_existing: bool = _f(
        False,
        doc="skip a run whose directory already holds complete outputs of the same config "
        "(resume an interrupted sweep with the same hydra.sweep.dir)",
    )
    charts: bool = _f(True, doc="write charts/*.png")


@dataclass
class Config:
    """The whole configuration."""

    population: PopulationConfig = field(default_factory=PopulationConfig)
    platform: PlatformConfig = field(default_factory=PlatformConfig)
    economy: EconomyConfig = field(default_factory=EconomyConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    run: RunConfig = field(default_factory=RunConfig)
