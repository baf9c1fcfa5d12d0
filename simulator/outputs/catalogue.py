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
* ``short``: a compact label for small charts (the dashboard's legends); empty if none.

:data:`SUMMARY_METRICS` names the per-run summary metrics (in order), :data:`SERIES` the monthly
time-series columns the dashboard draws. :data:`GLOSSARY` defines the terms the report uses.
:func:`key_label` and :func:`value_label` turn a sweep's settings (override keys and values) into
words for charts and reports.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CURRENCY", "GLOSSARY", "METRICS", "REMEDY_METRICS", "SERIES", "SUMMARY_METRICS", "Metric",
           "key_label", "metric", "value_label"]

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

    def __post_init__(self) -> None:
        if self.unit not in _UNITS:
            raise ValueError(f"metric {self.name!r}: unit={self.unit!r}; allowed: {', '.join(_UNITS)}")

    @property
    def is_rate(self) -> bool:
        """Whether the metric is a share (shown in percent)."""
        return self.unit == "percent"

    def format(self, value: float) -> str:
        """The value as a reader sees it: ``5.61%``, ``12,345 accounts``, ``1,234,567 RMB`` or ``1.02``."""
        if self.unit == "count":
            return f"{value:,.0f} {self.counted}".rstrip()
        if self.unit == "money":
            return f"{value:,.0f} {CURRENCY}"
        if self.unit == "index":
            return f"{value:.2f}"
        return f"{value:.2%}"


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
)

_VS_NONE = "against the same economy with no policy, same random numbers"

#: The columns of the ranked table of remedies (:mod:`simulator.outputs.remedies`).
_REMEDY = (
    Metric("prevented_pp", "Defaults prevented", "index", "percentage points of the cumulative default rate",
           f"cumulative default rate without the policy minus with it, {_VS_NONE}"),
    Metric("prevented_pct", "Defaults prevented, share", "index", "% of the defaults without any policy",
           "defaults prevented ÷ the cumulative default rate with no policy"),
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
METRICS: dict[str, Metric] = {m.name: m for m in (*_SUMMARY, *_SERIES)}
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
    """Plain label of an override key: ``run.seed`` → ``Seed``, ``economy`` → ``Economy``."""
    last = str(key).rsplit(".", 1)[-1].replace("_", " ")
    return last[:1].upper() + last[1:]


def value_label(value: object) -> str:
    """Plain label of an override value: ``severe_recession`` → ``severe recession``."""
    return str(value).replace("_", " ")


#: The report's glossary: (term, definition), in display order.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("Account / borrower", "A simulated customer with a BNPL credit line granted by the platform."),
    ("Default", "An account 90 or more days past due (the Basel definition). A defaulted balance "
     "counts as 90+ days past due until it is charged off (written off) at 180 days."),
    ("Monthly default rate", "New defaults in a month ÷ accounts performing (not in default) at the "
     "start of that month."),
    ("Cumulative default rate", "Defaults from month 0 to the end ÷ the accounts open and not in "
     "default at month 0 plus those opened since (accounts closed in the warm-up are left out)."),
    ("Peak monthly default rate", "The highest 3-month moving average of the monthly default rate "
     "over the horizon (a single noisy month does not set it)."),
    ("Peak annualised quarterly default rate", "The worst quarter (any 3 consecutive months): new "
     "defaults in the quarter ÷ accounts performing at its start, q, annualised as 1 − (1 − q)⁴."),
    ("Receivables", "Money owed by customers on their BNPL accounts."),
    ("30+ / 90+ days past due (dpd)", "The share of receivables that is more than 30 (or 90) days "
     "overdue; measured in money, not in number of accounts."),
    ("Loss rate", "Annualised net charge-offs (balances written off minus recoveries, per year) ÷ "
     "average receivables: a bank-style denominator, not purchase volume."),
    ("Replicate", "One independent repetition of the same scenario with different random draws "
     "(who loses a job, who falls ill, ...). Averages are taken over replicates."),
    ("Replicate band / 5–95% range", "The middle 90% of the replicates' results: 5% of replicates "
     "came out lower and 5% higher. It shows chance variation within the model, not the "
     "uncertainty of the model's assumptions."),
    ("Warm-up (burn-in)", "Months simulated before month 0 at the starting economy so the book of "
     "accounts is seasoned; they are not reported."),
    ("Vintage", "All accounts opened in the same month, followed as they age."),
    ("Primary cause", "Each default is attributed to one cause by a fixed precedence rule: C5 "
     "systemic downturn (job loss or income slump due to the economy), C1 personal financial "
     "trouble, C4 impulse spending, C2 over-granting (a line too large for the income), C3 weak "
     "review of new users (thin credit file)."),
)
