"""The policy schemas: one dataclass per policy (remedies R1-R5 and public policy) and
:class:`PolicyConfig`, which holds them all (``conf/policy/NAME.yaml`` sets one of them).

Adding a policy: a dataclass here with ``enabled`` and its parameters, a field in
:class:`PolicyConfig`, the YAML, and its class in :mod:`simulator.core.policies`
(docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.config.fields import PROB
from simulator.config.fields import setting as _f

__all__ = ["PolicyConfig"]


@dataclass
class ExternalDataPolicy:
    """R1: the lender scores with its model fitted on bureau and external data."""

    enabled: bool = _f(False, doc="switch the policy on")
    noise_reduction: float = _f(0.5, **PROB, unit="share",
                                doc="share by which the generic score's noise falls (a lender with no fitted score)")


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
    """R5: a borrower hit by a shock who falls behind can restructure, within the re-aging limits.

    At most once in 12 months and twice in five years (:func:`simulator.core.borrower_rules.reage_allowed`).
    """

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
class CountercyclicalPolicy:
    """Public policy against the macro feedback loop: in a downturn the regulator releases part of
    the lender's capital target and coordinates a commitment to keep the unused lines of borrowers.
    """

    enabled: bool = _f(False, doc="switch the policy on")
    trigger_rise: float = _f(
        0.01, ge=0, le=0.5, unit="share of labour force", doc="in force when unemployment is this far above base"
    )
    capital_relief: float = _f(
        0.25, **PROB, unit="share of the capital target", doc="share of the capital target released while in force"
    )
    keep_unused_lines: bool = _f(
        True, doc="while in force, the lender's risk appetite cuts no unused lines (cuts on going past due stay)"
    )


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
    countercyclical: CountercyclicalPolicy = field(default_factory=CountercyclicalPolicy)
    start_month: int = _f(
        0, ge=0, le=600, unit="month",
        doc="month from which the enabled policies act (0 = the scenario's start); the burn-in before "
            "month 0 is always the status quo, so runs that differ only in policies share their seasoned start")
    end_month: int = _f(
        0, ge=0, le=1200, unit="month",
        doc="month at which the enabled policies end (0 = never: they run to the horizon); from then on the "
            "parameters they changed are back to the status quo and their hooks stop (money paid and accounts "
            "restructured stay). The report compares defaults 12 months after the end: prevented or postponed")
