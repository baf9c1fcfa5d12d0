"""Policies (remedies R1–R5 and public policy): objects with declared hooks into the month.

Hooks, in the order of the month (:data:`~simulator.core.month.MONTH`):

- ``initialize(model)``: once, at month ``policy.start_month`` (after the economy stage);
- ``month_start(model)``: each month, at the end of the ``economy`` stage (before borrowers act);
- ``apply(model)``: each month, at the ``policies`` stage (after default and charge-off).

A policy acts only through explicit setters: :meth:`CreditModel.set_borrower_params` (the borrower
rules' parameters), :meth:`Lender.set_params` (the lender's), :meth:`Lender.set_funding` (its
funding state, e.g. capital relief), :meth:`CreditModel.set_month_params` (this month's flags)
and :meth:`CreditModel.set_borrowers` (borrower attributes). The kernels'
policy parameters default to "off", so a policy that is configured but not enabled changes no
number. Each policy's parameters, units and sources are in ``conf/policy/NAME.yaml``.

Adding a policy touches three places: its config class in ``simulator/config/policy_schemas.py``
(``PolicyConfig``), ``conf/policy/NAME.yaml`` and its class here, listed in :data:`POLICIES` with
its ``name``, a short ``label`` and a one-line ``description`` (which dashboards and reports show).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulator.config import PolicyConfig
from simulator.core.state import ACTIVE, CHARGED_OFF, NEVER, REJECTED

if TYPE_CHECKING:
    from simulator.core.model import CreditModel

__all__ = ["Policy", "build_policies", "POLICIES"]


class Policy:
    """Base class of a policy: subclasses set ``name``, ``label`` and ``description`` and override
    the hooks they need.
    """

    #: key in ``PolicyConfig`` and name of ``conf/policy/NAME.yaml``
    name = "policy"
    #: short human name (e.g. a check box label)
    label = "Policy"
    #: what the policy models, in one line (for reports)
    description = ""
    #: the label and description in Chinese (report.language=zh)
    label_zh = "政策"
    description_zh = ""

    def __init__(self, cfg) -> None:
        self.cfg = cfg

    def initialize(self, model: CreditModel) -> None:
        """Once, at month ``policy.start_month`` (the burn-in is policy-free)."""

    def month_start(self, model: CreditModel) -> None:
        """Each month after the economy stage."""

    def apply(self, model: CreditModel) -> None:
        """Each month at the 'policies' stage."""

    def summary(self) -> dict:
        """Figures the policy reports into summary.json (empty by default)."""
        return {}


class ExternalData(Policy):
    """R1: the lender scores with its model fitted on bureau and external data (income type,
    spending behaviour, the external record of shock proneness: :mod:`simulator.core.scoring`),
    fitted on the same window as its bureau model, with its own cutoff at the same approval
    target. A lender still on the generic score (no fit: too short a burn-in) gets a less noisy
    generic score instead (``noise_reduction``).
    """

    name = "external_data"
    label = "R1 external data in the score"
    description = ("The lender's application score also uses external data (income type, spending behaviour, "
                   "digital footprint), which reveal shock proneness the credit bureau does not see")
    label_zh = "R1 评分使用外部数据"
    description_zh = ("平台的申请评分还使用外部数据（收入类型、消费行为、数字足迹），"
                      "它们能揭示征信机构看不到的冲击易感性")

    def initialize(self, model: CreditModel) -> None:
        q = model.lender.params
        if q.fitted:
            model.lender.set_params(coef=q.coef_external, centre=q.centre_external, cutoff=q.cutoff_external,
                                    thin_cutoff=q.cutoff_external + q.thin_cutoff - q.cutoff)
        else:
            keep = 1.0 - self.cfg.noise_reduction
            model.lender.set_params(noise_established=q.noise_established * keep,
                                    noise_thin=q.noise_thin * keep)


class BudgetAssistant(Policy):
    """R2: a share of borrowers (drawn from the 'policy' stream) adopts the assistant; their
    impulse propensity falls by ``impulse_cut``.
    """

    name = "budget_assistant"
    label = "R2 budget assistant"
    description = "A share of borrowers adopts a budgeting app that cuts their impulse spending"
    label_zh = "R2 预算助手"
    description_zh = "一部分借款人使用预算应用，减少冲动消费"

    def initialize(self, model: CreditModel) -> None:
        pop, bs = model.pop, model.cfg.run.block_size
        adopt = np.zeros(pop.n, dtype=bool)
        for b, sl in enumerate(model.blocks):
            u = model.streams.generator("policy", 0, b).random(bs)[: sl.stop - sl.start]
            adopt[sl] = u < self.cfg.uptake
        self.adopters = int(adopt.sum())
        model.set_borrowers("impulse", adopt, pop.impulse[adopt] * (1.0 - self.cfg.impulse_cut))

    def summary(self) -> dict:
        return {"adopters": self.adopters}


class AffordabilityCheck(Policy):
    """R2: purchases declined beyond ``max_due_share`` of free income in next month's dues."""

    name = "affordability_check"
    label = "R2 affordability check"
    description = "Purchases are declined when next month's dues would exceed a share of verifiable free income"
    label_zh = "R2 可负担性检查"
    description_zh = "若下月应还款额将超过可核实的可支配收入的一定比例，则拒绝该笔消费"

    def initialize(self, model: CreditModel) -> None:
        model.set_borrower_params(afford_share=self.cfg.max_due_share)


class EarlyWarning(Policy):
    """R3: utilisation, lateness, income drop and spending spike combine into a risk signal;
    at the threshold the unused line is cut (see :func:`simulator.core.lender.early_warning`).
    """

    name = "early_warning"
    label = "R3 early warning (cut unused lines)"
    description = ("An early-warning signal (utilisation, lateness, income drop, spending spike) cuts the "
                   "unused line of risky accounts")
    label_zh = "R3 早期预警（削减未用额度）"
    description_zh = "早期预警信号（额度使用率、逾期、收入下降、消费激增）触发时，削减高风险账户的未用额度"

    def initialize(self, model: CreditModel) -> None:
        c = self.cfg
        model.lender.set_params(ew_threshold=c.threshold, ew_w_util=c.w_utilization,
                                ew_w_late=c.w_lateness, ew_w_income=c.w_income_drop,
                                ew_w_spike=c.w_spending_spike, ew_cut=c.cut)


class JointLending(Policy):
    """R4: the bank funds ``partner_share`` of the accounts scoring above its own cutoff."""

    name = "joint_lending"
    label = "R4 joint lending with a bank"
    description = ("A partner bank co-funds the loans of accounts above its own cutoff and bears its share of "
                   "their losses")
    label_zh = "R4 与银行联合贷款"
    description_zh = "合作银行为高于其自身准入线的账户共同出资，并按份额承担这些账户的损失"

    def initialize(self, model: CreditModel) -> None:
        model.lender.set_params(partner_share=self.cfg.partner_share,
                                partner_cutoff=self.cfg.partner_cutoff)


class Hardship(Policy):
    """R5: a borrower hit by a shock who falls behind can restructure (holiday, longer term), within re-aging limits."""

    name = "hardship"
    label = "R5 hardship restructuring"
    description = ("A borrower hit by a shock who falls behind can restructure (at most once in 12 months, "
                   "twice in five years): a payment holiday, then a longer term")
    label_zh = "R5 困难重组"
    description_zh = "遭受冲击而逾期的借款人可重组（12 个月内至多一次，五年内至多两次）：先暂停还款，再延长还款期"

    def initialize(self, model: CreditModel) -> None:
        model.set_borrower_params(hardship_term=self.cfg.term_months,
                                  hardship_holiday=self.cfg.holiday_months)


class UnemploymentBenefits(Policy):
    """Public policy: ``extra_replacement`` of base income added while out of work."""

    name = "unemployment_benefits"
    label = "Public: higher unemployment benefits"
    description = "Unemployment benefits replace a larger share of base income"
    label_zh = "公共政策：提高失业救济"
    description_zh = "失业救济替代更高比例的基本收入"

    def initialize(self, model: CreditModel) -> None:
        r = model.borrower_params
        new = min(r.unemployment_replacement + self.cfg.extra_replacement, 1.0)
        #: the share of an unemployed borrower's income that the policy adds (public money)
        self.extra_share = (new - r.unemployment_replacement) / new if new > 0 else 0.0
        self.paid = 0.0
        model.set_borrower_params(unemployment_replacement=new)

    def month_start(self, model: CreditModel) -> None:
        # whose income the borrower rules compute this month (rejected and charged-off: none)
        status = model.pop.status
        self._paid_to = (status != REJECTED) & (status != CHARGED_OFF)

    def apply(self, model: CreditModel) -> None:
        # the transfer: the extra replacement inside this month's income of the unemployed
        pop = model.pop
        mask = self._paid_to & pop.unemployed.astype(bool)
        paid = float(pop.income[mask].sum(dtype=np.float64)) * self.extra_share
        self.paid += paid
        model.recorder.add_transfer(paid)

    def summary(self) -> dict:
        return {"transfers": self.paid}


class Stimulus(Policy):
    """Public policy: a one-off transfer of ``months_of_income`` into every borrower's savings."""

    name = "stimulus"
    label = "Public: one-off stimulus payment"
    description = "A one-off transfer of some months of income into every borrower's savings"
    label_zh = "公共政策：一次性刺激补贴"
    description_zh = "向每位借款人的储蓄一次性转入若干个月的收入"

    def month_start(self, model: CreditModel) -> None:
        if model.month != self.cfg.month:
            return
        pop = model.pop
        everyone = np.ones(pop.n, dtype=bool)
        transfer = self.cfg.months_of_income * pop.base_income * model.economy.now.income_index
        self.paid = float(transfer.sum(dtype=np.float64))
        model.recorder.add_transfer(self.paid)
        model.set_borrowers("savings", everyone, pop.savings + transfer)

    def summary(self) -> dict:
        return {"transfers": getattr(self, "paid", 0.0)}


class Forbearance(Policy):
    """Public policy: while unemployment is ``trigger_rise`` above base, the arrears of borrowers
    hit by a shock stop ageing, for at most ``max_months`` months per borrower.
    """

    name = "forbearance"
    label = "Public: forbearance in a downturn"
    description = ("While unemployment is high, the arrears of borrowers hit by a shock stop ageing for a few "
                   "months")
    label_zh = "公共政策：衰退期宽限"
    description_zh = "失业率高企期间，遭受冲击的借款人的欠款在几个月内停止账龄累积"

    def initialize(self, model: CreditModel) -> None:
        model.set_borrower_params(forbear_max=self.cfg.max_months)

    def month_start(self, model: CreditModel) -> None:
        env = model.economy.now
        on = env.unemployment_rate >= model.cfg.economy.unemployment_base + self.cfg.trigger_rise
        model.set_month_params(forbear=bool(on))


class DtiCap(Policy):
    """Public policy: line + other debt service <= ``cap`` × estimated monthly income."""

    name = "dti_cap"
    label = "Public: debt-to-income cap"
    description = ("A credit line plus other debt service may not exceed a share of the lender's estimate of "
                   "monthly income")
    label_zh = "公共政策：债务收入比上限"
    description_zh = "信用额度加其他债务的月还款额不得超过平台所估月收入的一定比例"

    def initialize(self, model: CreditModel) -> None:
        model.lender.set_params(dti_cap=self.cfg.cap)


class MlScoring(Policy):
    """R1: every ``refit_months`` the lender fits a logistic regression (scikit-learn) of
    default within the next ``refit_months`` on what it observed of its active accounts that many
    months earlier, scores the active accounts now, and freezes the lines of those whose
    predicted default probability is at least ``pd_cutoff``. Each fit is scored out of sample at
    the next re-fit: the AUC of the classifier and, on the same accounts, of the application score.
    """

    name = "ml_scoring"
    label = "R1 ML scoring (freeze risky lines)"
    description = ("The lender refits a logistic regression of default on account behaviour and freezes the "
                   "lines of accounts it predicts risky")
    label_zh = "R1 机器学习评分（冻结高风险额度）"
    description_zh = "平台根据账户行为重新拟合违约的逻辑回归模型，并冻结其预测为高风险的账户额度"

    FEATURES = ("app_score", "thin_file", "late_count", "ontime_streak", "utilization",
                "months_on_book", "income_ratio", "months_late")

    def __init__(self, cfg) -> None:
        super().__init__(cfg)
        self.snapshot = None
        self.classifier = None  # the fitted scikit-learn pipeline
        self.aucs: list[float] = []
        self.app_aucs: list[float] = []
        self.frozen = 0

    def _features(self, model: CreditModel) -> tuple[np.ndarray, np.ndarray]:
        pop = model.pop
        idx = np.flatnonzero(pop.status == ACTIVE)
        bal = pop.balance()[idx].astype(np.float64)
        line = np.maximum(pop.line[idx].astype(np.float64), 1.0)
        usual = pop.base_income[idx] * model.economy.now.income_index
        x = np.column_stack([
            pop.app_score[idx], pop.thin_file[idx], np.minimum(pop.late_count[idx], 24),
            np.minimum(pop.ontime_streak[idx], 24), np.minimum(bal / line, 2.0),
            model.month - pop.open_month[idx], pop.income[idx] / usual, pop.months_late[idx],
        ]).astype(np.float64)
        return idx, x

    def apply(self, model: CreditModel) -> None:
        if model.month < 0 or model.month % self.cfg.refit_months != 0:
            return
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import roc_auc_score
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        pop = model.pop
        if self.snapshot is not None:
            t0, idx0, x0 = self.snapshot
            dm = pop.default_month[idx0]
            y = (dm != NEVER) & (dm > t0)
            if 0 < y.sum() < len(y):
                if self.classifier is not None:  # out-of-sample score of the previous fit
                    self.aucs.append(float(roc_auc_score(y, self.classifier.predict_proba(x0)[:, 1])))
                    self.app_aucs.append(float(roc_auc_score(y, -x0[:, 0])))
                self.classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
                self.classifier.fit(x0, y)
        idx, x = self._features(model)
        if self.classifier is not None and len(idx):
            pd_hat = self.classifier.predict_proba(x)[:, 1]
            risky = idx[pd_hat >= self.cfg.pd_cutoff]
            if len(risky):
                mask = np.zeros(pop.n, dtype=bool)
                mask[risky] = True
                frozen = np.minimum(pop.line[mask], pop.balance()[mask])
                model.set_borrowers("line", mask, frozen)
                self.frozen += len(risky)
        self.snapshot = (model.month, idx, x)

    def summary(self) -> dict:
        out = {"fits_scored": len(self.aucs), "lines_frozen": self.frozen}
        if self.aucs:  # no fit scored: the AUCs are left out (never a null placeholder)
            out["auc"] = float(np.mean(self.aucs))
        if self.app_aucs:
            out["application_score_auc"] = float(np.mean(self.app_aucs))
        return out


#: Policy name (its key in ``PolicyConfig`` and its YAML in ``conf/policy/``) → class.
class Countercyclical(Policy):
    """Public policy against the macro feedback loop: while unemployment is ``trigger_rise`` above
    base, ``capital_relief`` of the lender's capital target is released (its capital shortfall, and
    so the pressure on its risk appetite, is measured against the lower target; nothing is paid out)
    and, with ``keep_unused_lines``, the risk appetite cuts no unused lines (a regulator-coordinated
    commitment to keep the lines of current borrowers). Relief acts only with ``economy.feedback``
    (without the loop the lender has no balance sheet).
    """

    name = "countercyclical"
    label = "Public: countercyclical capital relief"
    description = ("In a downturn the regulator releases part of the lender's capital requirement and has lenders "
                   "keep borrowers' unused credit lines, so credit supply does not collapse")
    label_zh = "公共政策：逆周期资本释放"
    description_zh = "衰退期间监管机构释放平台部分资本要求，并要求平台保留借款人的未用额度，使信贷供给不致崩溃"

    def initialize(self, model: CreditModel) -> None:
        self.unused_cut = model.lender.params.appetite_unused_cut
        self.months_on = 0

    def month_start(self, model: CreditModel) -> None:
        on = model.economy.now.unemployment_rate >= model.cfg.economy.unemployment_base + self.cfg.trigger_rise
        self.months_on += on
        model.lender.set_funding(relief=self.cfg.capital_relief if on else 0.0)
        if self.cfg.keep_unused_lines:
            model.lender.set_params(appetite_unused_cut=0.0 if on else self.unused_cut)

    def summary(self) -> dict:
        return {"months_in_force": self.months_on}


POLICIES: dict[str, type[Policy]] = {
    cls.name: cls for cls in (ExternalData, MlScoring, BudgetAssistant, AffordabilityCheck,
                              EarlyWarning, JointLending, Hardship, UnemploymentBenefits, Stimulus,
                              Forbearance, DtiCap, Countercyclical)
}


def build_policies(cfg: PolicyConfig) -> list[Policy]:
    """The enabled policies of a config, in a fixed order."""
    return [cls(getattr(cfg, name)) for name, cls in POLICIES.items()
            if getattr(cfg, name).enabled]
