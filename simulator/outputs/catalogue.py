"""The metric catalogue: the one place where a metric's name, label, unit and meaning are written.

Everything that shows a metric to a reader takes its words from here: the summary metrics of a
run (:func:`simulator.outputs.results.summarize` computes exactly :data:`SUMMARY_METRICS`), the
sweep charts' axis labels, titles and captions, the report's key-results tables and glossary,
and the classroom dashboard's chart legends.

Each :class:`Metric` has

* ``name``: the column or summary key (``cum_default_rate``);
* ``label``: its plain-language name (``Cumulative default rate``);
* ``unit``: how a value is shown: ``percent`` (a share, printed ``5.61%``), ``count`` (of
  ``counted``, e.g. ``12,345 accounts``), ``money`` (in :data:`CURRENCY`) or ``index``;
* ``denominator``: for a rate, what it is a share of (``% of all accounts ever opened``); empty
  for counts and money;
* ``description``: one line on how it is computed, for the report's "What it measures" column;
* ``short``: a compact label for small charts (the dashboard's legends); empty if none;
* ``zh``: its label, denominator and description in Chinese (``report.language=zh``), from
  :data:`_ZH`; :meth:`Metric.label_in`, :meth:`Metric.denominator_in` and
  :meth:`Metric.description_in` give them in the current language.

:data:`SUMMARY_METRICS` names the per-run summary metrics (in order), :data:`SERIES` the monthly
time-series columns the dashboard draws. :data:`GLOSSARY` defines the terms the report uses.
:func:`key_label` and :func:`value_label` turn a sweep's settings (override keys and values) into
words for charts and reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.outputs.lang import language, tr

__all__ = ["CURRENCY", "GLOSSARY", "METRICS", "REMEDY_METRICS", "SCORE_METRICS", "SERIES", "SUMMARY_METRICS", "Metric",
           "glossary", "key_label", "metric", "value_label"]

#: The currency of money amounts (incomes, balances, purchases).
CURRENCY = "RMB"

_UNITS = ("percent", "count", "money", "index")


@dataclass(frozen=True)
class Metric:
    """One metric: its name, plain-language label, unit, denominator and description."""

    name: str
    label: str
    unit: str
    denominator: str
    description: str
    short: str = ""
    counted: str = ""
    zh: tuple[str, str, str] = field(default=("", "", ""), compare=False)

    def __post_init__(self) -> None:
        if self.unit not in _UNITS:
            raise ValueError(f"metric {self.name!r}: unit={self.unit!r}; allowed: {', '.join(_UNITS)}")
        if not self.zh[0] and self.name in _ZH:
            object.__setattr__(self, "zh", _ZH[self.name])

    def label_in(self, lang: str | None = None) -> str:
        """The label in ``lang`` (default: the current language of :mod:`simulator.outputs.lang`); in
        Chinese a metric with no Chinese label (an uncatalogued stand-in) is shown by its name.
        """
        if (lang or language()) == "zh":
            return self.zh[0] or self.name
        return self.label

    def denominator_in(self, lang: str | None = None) -> str:
        """The denominator in ``lang`` (default: the current language)."""
        return self.zh[1] if (lang or language()) == "zh" and self.zh[0] else self.denominator

    def short_in(self, lang: str | None = None) -> str:
        """The compact label in ``lang`` (default: the current language)."""
        return _ZH_SHORT.get(self.name, self.short) if (lang or language()) == "zh" else self.short

    def description_in(self, lang: str | None = None) -> str:
        """The description in ``lang`` (default: the current language)."""
        return self.zh[2] if (lang or language()) == "zh" and self.zh[0] else self.description

    @property
    def is_rate(self) -> bool:
        """Whether the metric is a share (shown in percent)."""
        return self.unit == "percent"

    def format(self, value: float) -> str:
        """The value as a reader sees it: ``5.61%``, ``12,345 accounts``, ``1,234,567 RMB`` or ``1.02``."""
        if self.unit == "count":
            return f"{value:,.0f} {tr(self.counted)}".rstrip()
        if self.unit == "money":
            return f"{value:,.0f} {CURRENCY}"
        if self.unit == "index":
            return f"{value:.2f}"
        return f"{value:.2%}"


#: Chinese (label, denominator, description) of each metric (report.language=zh), beside the English
#: ones of the entries below.
_ZH: dict[str, tuple[str, str, str]] = {
    "cum_default_rate": ("累计违约率", "占第 0 月正常账户加此后新开账户的百分比",
                         "第 0 月至期末的违约 ÷ 第 0 月正常且未违约的账户加此后新开的账户"),
    "peak_default_rate": ("月度违约率峰值（3 个月平均）", "占月初正常账户的百分比",
                          "月度违约率（新增违约 ÷ 正常账户）3 个月移动平均的最高值"),
    "peak_default_rate_annualised_quarterly": ("年化季度违约率峰值", "占季初正常账户的百分比（年化）",
                                               "任意连续 3 个月中 1 − (1 − q)⁴ 的最高值，q = 这 3 个月的新增违约 ÷ "
                                               "第一个月月初的正常账户"),
    "mean_default_rate": ("平均月度违约率", "占月初正常账户的百分比", "新增违约 ÷ 月初正常账户，按月平均"),
    "dpd30_rate_end": ("期末逾期 30 天以上", "占应收账款的百分比", "最后一个月逾期 30 天以上的应收账款比例"),
    "dpd90_rate_end": ("期末逾期 90 天以上", "占应收账款的百分比", "最后一个月逾期 90 天以上的应收账款比例"),
    "dpd30_rate_avg": ("逾期 30 天以上（平均）", "占应收账款的百分比", "逾期 30 天以上的应收账款比例的平均值"),
    "dpd90_rate_avg": ("逾期 90 天以上（平均）", "占应收账款的百分比", "逾期 90 天以上的应收账款比例的平均值"),
    "loss_rate": ("年净损失率", "年净核销额占平均应收账款的百分比", "年化净核销额 ÷ 模拟期内的平均应收账款"),
    "originations": ("新开账户数", "", "第 0 月至期末新开的账户"),
    "purchases": ("消费额", "", "模拟期内先买后付的消费总额（人民币）"),
    "cum_default_rate_freelance": ("累计违约率（自由职业者）", "占自由职业者账户的百分比",
                                   "仅自由职业借款人的累计违约率"),
    "cum_default_rate_salaried": ("累计违约率（受薪者）", "占受薪者账户的百分比", "仅受薪借款人的累计违约率"),
    "score_auc_24m": ("申请评分 AUC（24 个月内违约）", "评分队列的账户",
                      "申请评分对开户后 24 个月内违约账户排序的 AUC"),
    "score_auc_24m_established": ("申请评分 AUC（信用档案完整）", "评分队列中信用档案完整的账户",
                                  "信用档案完整账户的同一 AUC"),
    "score_auc_24m_thin": ("申请评分 AUC（信用档案薄）", "评分队列中信用档案薄的账户", "信用档案薄账户的同一 AUC"),
    "score_decile_bad_rate_ratio": ("最差 ÷ 最好评分十分位的坏账率", "评分队列的账户",
                                    "最差评分十分位的 24 个月坏账率 ÷ 最好十分位的坏账率"),
    "score_decile_spearman": ("评分十分位坏账率的单调性（Spearman）", "评分队列的账户",
                              "评分十分位（1 最好 … 10 最差）与其坏账率之间的 Spearman 秩相关"),
    "score_cohort_bad_rate": ("获批申请人的坏账率（24 个月）", "占评分队列账户的百分比",
                              "开户后 24 个月内违约的账户 ÷ 开户数（评分队列）"),
    "score_cohort_approval_rate": ("评分队列的审批通过率", "占该队列各月评分申请人的百分比",
                                   "评分队列各月的开户数 ÷ 评分申请人数"),
    "default_rate": ("月度违约率", "占月初正常账户的百分比", "当月新增违约 ÷ 月初正常账户"),
    "dpd30_rate": ("逾期 30 天以上", "占应收账款的百分比", "逾期超过 30 天的应收账款比例"),
    "unemployment_rate": ("失业率", "占劳动力的百分比", "模拟经济的失业率"),
    "unemployed_share": ("失业借款人比例", "占借款人池的百分比",
                         "月末失业的借款人池成员 ÷ 全部成员（无论是否申请，含被拒和已核销者）；随失业率变动"),
    "demand_index": ("消费需求指数", "", "相对正常水平的消费需求（1 = 正常）"),
    "income_index": ("收入指数", "", "相对第 0 月的名义收入（第 0 月为 1）"),
    "approval_rate": ("审批通过率", "占本月申请人的百分比", "当月开户数 ÷ 当月评分申请人数（含再次申请）"),
    "open_to_buy": ("可用额度", "", "活跃账户未使用的信用额度（额度 − 余额，取正值）之和（人民币）"),
    "unemployment_path": ("失业率（情景路径）", "占劳动力的百分比",
                          "情景给定的失业率路径；失业率为实际值（无反馈回路时两者相同）"),
    "demand_path": ("消费需求指数（情景路径）", "", "情景给定的需求路径；消费需求指数为实际值（无反馈回路时两者相同）"),
    "demand_factor": ("内生需求因子", "",
                      "实际需求指数 ÷ 路径需求指数：1 + 先买后付占消费的比例 × (消费比率 − 1)，取自上月消费"
                      "（无反馈回路时为 1）"),
    "spending_ratio": ("消费比率", "",
                       "借款人池想要的先买后付消费在额度限制后仍实际发生的比例（1 − 放弃比例 × 受阻 ÷ 想要），"
                       "÷ 最后一个预热年同一日历月的该比例"),
    "constrained_purchases": ("被额度阻挡的消费", "", "可消费账户超出可用额度的想要消费之和（人民币）"),
    "tightness": ("平台风险偏好收紧程度", "", "0 = 正常，1 = 完全收紧（提高准入线、削减未用额度、不再提额）"),
    "capital_ratio": ("平台资本充足率", "占自营应收账款的百分比",
                      "权益 ÷ 平台自有资金发放的应收账款（开启反馈回路时；否则为 NaN）"),
    "funding_cost": ("平台融资成本", "年化百分比", "债务融资成本，随损失超过其跨周期水平而上升（开启反馈回路时）"),
    "abs_available": ("仍可续发的 ABS 融资", "占正常 ABS 融资的百分比",
                      "投资者仍愿续发的资产支持融资比例（开启反馈回路时）"),
    "funding_pressure": ("资本与融资压力", "", "资本或融资缺口给风险偏好增加的收紧程度（0..1；无反馈回路时为 0）"),
    "equity": ("平台权益", "", "平台自有资金（人民币；开启反馈回路时；否则为 NaN）"),
    "recapitalisation": ("股东注资", "",
                         "股东投入的资本：资本充足率连续数月低于 platform.recap_floor 后补足到资本目标的注资，"
                         "加上超出权益、由股东承担的损失（人民币；时间序列中为当月，反馈研究汇总中为整个模拟期；"
                         "开启反馈回路时；否则为 NaN）"),
    "public_transfers": ("向借款人支付的公共资金", "",
                         "启用的公共政策支付的超出常规替代率的失业救济和刺激补贴（人民币；时间序列中为当月，汇总中为整个模拟期）"),
    "prevented_pp": ("避免的违约", "累计违约率的百分点",
                     "无政策时的累计违约率减去有政策时的累计违约率，与同一经济情景、相同随机数的无政策运行相比"),
    "prevented_pct": ("避免的违约比例", "占无政策时违约的百分比", "避免的违约 ÷ 无政策时的累计违约率"),
    "prevented_after_end_pp": ("政策结束 12 个月后避免的违约", "该月累计违约率的百分点",
                               "policy.end_month 之后 12 个月时，无政策与有政策的累计违约率之差，"
                               "与同一经济情景、相同随机数的"
                               "无政策运行相比；接近零说明违约只是被推迟，而非被避免"),
    "volume_given_up_pct": ("放弃的消费额", "占无政策时消费额的百分比",
                            "政策放弃的先买后付消费额，与同一经济情景、相同随机数的无政策运行相比"),
    "revenue_change": ("平台收入变化", "", "平台在模拟期内赚取的费用和利息，政策减去无政策（人民币）"),
    "lender_losses_change": ("平台净损失变化", "", "平台核销额减去回收额（模拟期内），政策减去无政策（人民币）"),
    "partner_losses_change": ("合作银行净损失变化", "", "合作银行分担的核销额减去回收额，政策减去无政策（人民币）"),
    "public_money": ("公共资金支出", "", "模拟期内超出无政策运行的、支付给借款人的救济和刺激补贴（人民币）"),
}

#: Chinese compact labels of the metrics that have one (the dashboard's legends).
_ZH_SHORT: dict[str, str] = {
    "default_rate": "每月违约", "dpd30_rate": "逾期 30 天以上", "unemployment_rate": "失业率",
    "unemployed_share": "失业借款人", "demand_index": "消费需求（指数）", "income_index": "收入（指数）",
    "approval_rate": "获批", "open_to_buy": "未用额度", "unemployment_path": "失业率（路径）",
    "demand_path": "需求（路径）", "demand_factor": "需求因子", "spending_ratio": "消费相对基准",
    "constrained_purchases": "受阻消费", "tightness": "收紧程度", "capital_ratio": "资本充足率",
    "funding_cost": "融资成本", "abs_available": "可用 ABS", "funding_pressure": "融资压力", "equity": "权益",
    "recapitalisation": "股东注资",
}

_PERFORMING = "% of accounts performing at the start of the month"
_RECEIVABLES = "% of receivables"
_COHORT = "% of accounts open and performing at month 0 plus those opened since"

_SUMMARY = (
    Metric("cum_default_rate", "Cumulative default rate", "percent", _COHORT,
           "defaults from month 0 to the end ÷ accounts open and performing at month 0 plus those opened since"),
    Metric("peak_default_rate", "Peak monthly default rate (3-month average)", "percent", _PERFORMING,
           "highest 3-month moving average of the monthly default rate (new defaults ÷ performing accounts)"),
    Metric("peak_default_rate_annualised_quarterly", "Peak annualised quarterly default rate", "percent",
           "% of accounts performing at the start of the quarter, per year",
           "highest over any 3 consecutive months of 1 − (1 − q)⁴, q = new defaults in the 3 months ÷ "
           "accounts performing at the start of the first month"),
    Metric("mean_default_rate", "Average monthly default rate", "percent", _PERFORMING,
           "new defaults ÷ accounts performing at the start of the month, averaged over the months"),
    Metric("dpd30_rate_end", "30+ days past due at the end", "percent", _RECEIVABLES,
           "share of receivables 30+ days past due in the last month"),
    Metric("dpd90_rate_end", "90+ days past due at the end", "percent", _RECEIVABLES,
           "share of receivables 90+ days past due in the last month"),
    Metric("dpd30_rate_avg", "30+ days past due, average", "percent", _RECEIVABLES,
           "average share of receivables 30+ days past due"),
    Metric("dpd90_rate_avg", "90+ days past due, average", "percent", _RECEIVABLES,
           "average share of receivables 90+ days past due"),
    Metric("loss_rate", "Annual net loss rate", "percent", "net charge-offs per year, % of average receivables",
           "annualised net charge-offs ÷ average receivables over the horizon"),
    Metric("originations", "Originations", "count", "", "accounts opened from month 0 to the end",
           counted="accounts"),
    Metric("purchases", "Purchases", "money", "", f"BNPL purchase volume over the horizon ({CURRENCY})"),
    Metric("cum_default_rate_freelance", "Cumulative default rate, freelancers", "percent",
           f"{_COHORT} (freelance)", "cumulative default rate of freelance borrowers only"),
    Metric("cum_default_rate_salaried", "Cumulative default rate, salaried", "percent",
           f"{_COHORT} (salaried)", "cumulative default rate of salaried borrowers only"),
)

_SCORED = "accounts opened from policy.start_month to 24 months before the end"
#: How well the application score ranks the accounts that default within 24 months of opening
#: (from ``simulator.studies.replicates.score_ranking``; summary.json, beside the summary metrics).
_SCORE = (
    Metric("score_auc_24m", "Application-score AUC, 24-month defaults", "index", _SCORED,
           "AUC of the application score at ranking the accounts that default within 24 months of opening"),
    Metric("score_auc_24m_established", "Application-score AUC, established files", "index",
           f"{_SCORED} (established credit files)", "the same AUC over established-file accounts"),
    Metric("score_auc_24m_thin", "Application-score AUC, thin files", "index", f"{_SCORED} (thin credit files)",
           "the same AUC over thin-file accounts"),
    Metric("score_decile_bad_rate_ratio", "Worst ÷ best score decile bad rate", "index", _SCORED,
           "24-month bad rate of the worst score decile ÷ that of the best"),
    Metric("score_decile_spearman", "Score deciles' bad-rate monotonicity (Spearman)", "index", _SCORED,
           "Spearman rank correlation between score decile (1 best … 10 worst) and its bad rate"),
    Metric("score_cohort_bad_rate", "Bad rate of approved applicants (24 months)", "percent", f"% of {_SCORED}",
           "accounts that default within 24 months of opening ÷ accounts opened (the scored cohort)"),
    Metric("score_cohort_approval_rate", "Approval rate of the scored cohort", "percent",
           "% of applicants scored in the cohort's months",
           "accounts opened ÷ applicants scored, over the months of the scored cohort"),
)

_SERIES = (
    Metric("default_rate", "Monthly default rate", "percent", _PERFORMING,
           "new defaults in the month ÷ accounts performing at the start of the month",
           short="defaults a month"),
    Metric("dpd30_rate", "30+ days past due", "percent", _RECEIVABLES,
           "share of receivables more than 30 days past due", short="30+ days late"),
    Metric("unemployment_rate", "Unemployment rate", "percent", "% of labour force",
           "unemployment rate of the simulated economy", short="unemployment"),
    Metric("unemployed_share", "Borrowers out of work", "percent",
           "% of the borrower pool (the simulated labour force)",
           "members of the borrower pool out of work at the end of the month ÷ all members "
           "(applicants or not, rejected and charged-off included); follows the unemployment rate",
           short="borrowers out of work"),
    Metric("demand_index", "Consumer demand index", "index", "",
           "consumer demand relative to normal (1 = normal)", short="consumer demand (index)"),
    Metric("income_index", "Income index", "index", "",
           "nominal incomes relative to month 0 (1 at month 0)", short="incomes (index)"),
    Metric("approval_rate", "Approval rate", "percent", "% of this month's applicants",
           "accounts opened in the month ÷ applicants scored in the month (re-applications included)",
           short="approved"),
    Metric("open_to_buy", "Open to buy", "money", "",
           f"unused credit lines of active accounts (line − balance where positive), summed ({CURRENCY})",
           short="unused lines"),
    # the macro feedback loop (economy.feedback): the path beside the effective values, and the lender
    Metric("unemployment_path", "Unemployment rate, scenario path", "percent", "% of labour force",
           "the scenario's unemployment path; unemployment_rate is the effective rate (the same without "
           "the feedback loop)", short="unemployment (path)"),
    Metric("demand_path", "Consumer demand index, scenario path", "index", "",
           "the scenario's demand path; demand_index is the effective index (the same without the loop)",
           short="demand (path)"),
    Metric("demand_factor", "Endogenous demand factor", "index", "",
           "effective ÷ path demand index: 1 + BNPL share of consumption × (spending ratio − 1), from "
           "last month's spending (1 without the loop)", short="demand factor"),
    Metric("spending_ratio", "Spending ratio", "index", "",
           "share of the pool's wanted BNPL purchases still spent after the credit line (1 − forgone share × "
           "blocked ÷ wanted), ÷ the same in the calendar month of the last warm-up year",
           short="spending vs baseline"),
    Metric("constrained_purchases", "Purchases blocked by the line", "money", "",
           f"purchases wanted beyond the available line by accounts that could buy, summed ({CURRENCY})",
           short="blocked purchases"),
    Metric("tightness", "Lender's risk-appetite tightness", "index", "",
           "0 = normal, 1 = fully tightened (cutoff up, unused lines cut, no raises)", short="tightness"),
    Metric("capital_ratio", "Lender's capital ratio", "percent", "% of own-book receivables",
           "equity ÷ receivables the platform funds itself (with economy.feedback; NaN without)",
           short="capital ratio"),
    Metric("funding_cost", "Lender's funding cost", "percent", "% per year",
           "cost of debt funding, rising with losses above their through-the-cycle level (with economy.feedback)",
           short="funding cost"),
    Metric("abs_available", "ABS funding still rolling over", "percent", "% of normal ABS funding",
           "share of the asset-backed funding investors still roll over (with economy.feedback)",
           short="ABS available"),
    Metric("funding_pressure", "Capital and funding pressure", "index", "",
           "tightness added to the risk appetite by a capital or funding shortfall (0..1; 0 without the loop)",
           short="funding pressure"),
    Metric("equity", "Lender's equity", "money", "",
           f"own funds of the platform ({CURRENCY}; with economy.feedback; NaN without)", short="equity"),
    Metric("recapitalisation", "Shareholder recapitalisation", "money", "",
           f"capital the shareholder pays in: an injection back to the capital target after months below "
           f"platform.recap_floor, plus losses covered beyond the equity ({CURRENCY}; a month in the time "
           f"series, the horizon in the feedback study's summary; with economy.feedback; NaN without)",
           short="recapitalisation"),
)

#: Figures recorded only by some runs (a summary metric when a policy pays public money).
_PUBLIC = (
    Metric("public_transfers", "Public money paid to borrowers", "money", "",
           f"unemployment benefits beyond the usual replacement and stimulus payments, paid by the "
           f"enabled public policies ({CURRENCY}; a month in the time series, the horizon in the summary)"),
)

_VS_NONE = "against the same economy with no policy, same random numbers"

#: The columns of the ranked table of remedies (:mod:`simulator.outputs.remedies`).
_REMEDY = (
    Metric("prevented_pp", "Defaults prevented", "index", "percentage points of the cumulative default rate",
           f"cumulative default rate without the policy minus with it, {_VS_NONE}"),
    Metric("prevented_pct", "Defaults prevented, share", "index", "% of the defaults without any policy",
           "defaults prevented ÷ the cumulative default rate with no policy"),
    Metric("prevented_after_end_pp", "Defaults prevented 12 months after the policy ends", "index",
           "percentage points of the cumulative default rate at that month",
           f"cumulative default rate without the policy minus with it, 12 months after policy.end_month, "
           f"{_VS_NONE}; close to zero: the defaults were postponed, not prevented"),
    Metric("volume_given_up_pct", "Purchase volume given up", "index", "% of purchases with no policy",
           f"BNPL purchase volume the policy gives up, {_VS_NONE}"),
    Metric("revenue_change", "Lender's revenue, change", "money", "",
           f"fees and interest earned by the platform over the horizon, policy minus no policy ({CURRENCY})"),
    Metric("lender_losses_change", "Lender's net losses, change", "money", "",
           f"the platform's charge-offs minus recoveries over the horizon, policy minus no policy ({CURRENCY})"),
    Metric("partner_losses_change", "Partner bank's net losses, change", "money", "",
           f"the partner bank's share of charge-offs minus recoveries, policy minus no policy ({CURRENCY})"),
    Metric("public_money", "Public money spent", "money", "",
           f"benefits and stimulus paid to borrowers over the horizon beyond the no-policy run ({CURRENCY})"),
)
#: The ranked table's columns by name.
REMEDY_METRICS: dict[str, Metric] = {m.name: m for m in _REMEDY}

#: Every catalogued metric by name.
METRICS: dict[str, Metric] = {m.name: m for m in (*_SUMMARY, *_SERIES, *_SCORE, *_PUBLIC)}
#: The application score's ranking figures in summary.json (one home of their names).
SCORE_METRICS: tuple[str, ...] = tuple(m.name for m in _SCORE)
#: The summary metrics of a run (mean and 5th/50th/95th percentiles over replicates), in order.
SUMMARY_METRICS: tuple[str, ...] = tuple(m.name for m in _SUMMARY)
#: The monthly time-series columns with a catalogue entry (those the dashboard draws).
SERIES: tuple[str, ...] = tuple(m.name for m in _SERIES)


def metric(name: str) -> Metric:
    """The catalogue entry of ``name``; an unknown name gets a stand-in.

    The stand-in (e.g. for ``score_auc``) is labelled from the name (``Score auc``), shown in
    percent, with no denominator and no description.
    """
    found = METRICS.get(name) or REMEDY_METRICS.get(name)
    if found is not None:
        return found
    return Metric(name, str(name).replace("_", " ").capitalize(), "percent", "", "")


def key_label(key: str) -> str:
    """Plain label of an override key: ``run.seed`` → ``Seed``, ``economy`` → ``Economy`` (in Chinese when
    the output language is ``zh`` and :data:`simulator.outputs.lang.ZH` knows it).
    """
    last = str(key).rsplit(".", 1)[-1].replace("_", " ")
    return tr(last[:1].upper() + last[1:])


def value_label(value: object) -> str:
    """Plain label of an override value: ``severe_recession`` → ``severe recession`` (in Chinese when
    the output language is ``zh`` and :data:`simulator.outputs.lang.ZH` knows it).
    """
    return tr(str(value).replace("_", " "))


#: The report's glossary: (term, definition, term in Chinese, definition in Chinese), in display order;
#: :func:`glossary` gives (term, definition) in the current language.
GLOSSARY: tuple[tuple[str, str, str, str], ...] = (
    ("Account / borrower", "A simulated customer with a BNPL credit line granted by the platform.",
     "账户 / 借款人", "一位模拟客户，持有平台授予的先买后付信用额度。"),
    ("Default", "An account 90 or more days past due (the Basel definition). A defaulted balance "
     "counts as 90+ days past due until it is charged off (written off) at 180 days.",
     "违约", "逾期 90 天及以上的账户（巴塞尔定义）。违约余额在 180 天核销之前计入逾期 90 天以上。"),
    ("Monthly default rate", "New defaults in a month ÷ accounts performing (not in default) at the "
     "start of that month.",
     "月度违约率", "当月新增违约 ÷ 当月月初正常（未违约）的账户。"),
    ("Cumulative default rate", "Defaults from month 0 to the end ÷ the accounts open and not in "
     "default at month 0 plus those opened since (accounts closed in the warm-up are left out).",
     "累计违约率", "第 0 月至期末的违约 ÷ 第 0 月开立且未违约的账户加此后新开的账户（预热期内关闭的账户不计）。"),
    ("Peak monthly default rate", "The highest 3-month moving average of the monthly default rate "
     "over the horizon (a single noisy month does not set it).",
     "月度违约率峰值", "模拟期内月度违约率 3 个月移动平均的最高值（单个波动月份不会决定它）。"),
    ("Peak annualised quarterly default rate", "The worst quarter (any 3 consecutive months): new "
     "defaults in the quarter ÷ accounts performing at its start, q, annualised as 1 − (1 − q)⁴.",
     "年化季度违约率峰值",
     "最差的一个季度（任意连续 3 个月）：该季度新增违约 ÷ 季初正常账户，记为 q，年化为 1 − (1 − q)⁴。"),
    ("Receivables", "Money owed by customers on their BNPL accounts.",
     "应收账款", "客户在其先买后付账户上所欠的金额。"),
    ("30+ / 90+ days past due (dpd)", "The share of receivables that is more than 30 (or 90) days "
     "overdue; measured in money, not in number of accounts.",
     "逾期 30 天以上 / 90 天以上", "逾期超过 30（或 90）天的应收账款比例；按金额计算，而非按账户数。"),
    ("Loss rate", "Annualised net charge-offs (balances written off minus recoveries, per year) ÷ "
     "average receivables: a bank-style denominator, not purchase volume.",
     "损失率", "年化净核销额（每年核销余额减去回收额）÷ 平均应收账款：银行式分母，而非消费额。"),
    ("Replicate", "One independent repetition of the same scenario with different random draws "
     "(who loses a job, who falls ill, ...). Averages are taken over replicates.",
     "重复运行", "同一情景以不同随机抽样（谁失业、谁生病……）进行的一次独立重复。平均值取自各次重复运行。"),
    ("Replicate band / 5–95% range", "The middle 90% of the replicates' results: 5% of replicates "
     "came out lower and 5% higher. It shows chance variation within the model, not the "
     "uncertainty of the model's assumptions.",
     "重复运行区间带 / 5–95% 范围", "各重复运行结果的中间 90%：5% 的重复运行结果更低，5% 更高。"
     "它显示模型内部的随机波动，而非模型假设本身的不确定性。"),
    ("Warm-up (burn-in)", "Months simulated before month 0 at the starting economy so the book of "
     "accounts is seasoned; they are not reported.",
     "预热期", "在第 0 月之前以初始经济状况模拟的月份，使账户组合达到成熟状态；这些月份不予报告。"),
    ("Vintage", "All accounts opened in the same month, followed as they age.",
     "账龄批次", "同一月份开立的全部账户，随账龄增长持续跟踪。"),
    ("Primary cause", "Each default is shared equally among the causes without which its first "
     "missed payment would have been made: C1 personal financial trouble (the trigger), C5 systemic "
     "downturn (a job loss, slump or long spell out of work due to the economy, or income it cost), "
     "C2 over-granting (debt above an affordable line), C4 impulse spending, C3 weak review of new "
     "users (thin credit file). The primary cause is the first of C5, C4, C2, C3 among them, else C1.",
     "主要原因", "每笔违约在以下原因之间平均分摊——缺少其中任何一个，第一次漏还款本会按时还上：C1 个人财务困难"
     "（触发因素）、C5 系统性衰退（由经济导致的失业、收入下滑或长期失业，或由此损失的收入）、C2 过度授信"
     "（债务超过可负担额度）、C4 冲动消费、C3 新用户审核薄弱（信用档案薄）。主要原因为其中按 C5、C4、C2、C3 "
     "顺序的第一个，否则为 C1。"),
)


def glossary(lang: str | None = None) -> list[tuple[str, str]]:
    """The glossary's (term, definition) pairs in ``lang`` (default: the current language)."""
    zh = (lang or language()) == "zh"
    return [(tz, dz) if zh else (t, d) for t, d, tz, dz in GLOSSARY]
