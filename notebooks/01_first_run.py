# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. A first run: baseline and downturn
#
# This notebook runs the simulator twice — once in a calm economy (`economy=baseline`) and once
# in a stress-test recession (`economy=severe_recession`: unemployment rises about 6 points over
# two years, then recovers slowly) — and reads the results the way a risk analyst would:
#
# 1. the headline numbers of each run;
# 2. the **default-rate curve**, month by month;
# 3. the **denominators**: every rate is "something ÷ something", and the "÷ something" matters
#    as much as the number on top.
#
# Every sentence below that quotes a number is printed by the code from the results, so the text
# cannot drift away from what the model computes. Where the text makes a qualitative claim
# ("the downturn raises defaults"), a code cell checks it with `assert`: if the model changes
# so that the claim is no longer true, the notebook stops with an error instead of telling you
# something false.

# %%
# %matplotlib inline
import os

import matplotlib.pyplot as plt  # noqa: F401  (sets up inline display of the figures)
import pandas as pd
from IPython.display import display

from simulator.outputs.catalogue import METRICS
from simulator.outputs.results import RunResult
from simulator.studies.runner import run_scenario

# Population size: 20,000 borrowers and 2 replicates run in a few seconds. The test suite sets
# BNPL_NOTEBOOK_SMALL=1 to run the notebook faster still.
SMALL = os.environ.get("BNPL_NOTEBOOK_SMALL") == "1"
N_BORROWERS = 5_000 if SMALL else 20_000
REPLICATES = 2
print(f"{N_BORROWERS:,} borrowers, {REPLICATES} replicates")

# %% [markdown]
# ## Running two scenarios
#
# `run_scenario` takes the same overrides as the command line (`bnpl-stress economy=...`) and
# returns a `RunResult`: tidy tables (`timeseries`, `segments`, `vintages`, `roll_rates`,
# `causes`) and a summary. A **replicate** is the same scenario re-run with independent random
# numbers (a different draw of borrowers and of their luck); the spread across replicates tells
# you how much of a difference could be chance. The two scenarios use the same seed, so
# replicate *r* of the baseline and replicate *r* of the downturn start from the same borrowers:
# the difference between them is the economy, not the luck of the draw.

# %%
baseline = run_scenario(n_borrowers=N_BORROWERS, replicates=REPLICATES)
downturn = run_scenario("economy=severe_recession", n_borrowers=N_BORROWERS, replicates=REPLICATES)
runs = {"baseline": baseline, "severe recession": downturn}

# %% [markdown]
# ## The headline numbers
#
# `res.metrics` is one row per summary metric, with the mean over replicates and the 5th, 50th
# and 95th percentiles. Here are the means side by side.

# %%
headline = ["cum_default_rate", "peak_default_rate", "dpd30_rate_avg", "dpd90_rate_avg",
            "loss_rate", "purchases", "cum_default_rate_freelance", "cum_default_rate_salaried"]
means = pd.DataFrame({name: res.metrics.loc[headline, "mean"] for name, res in runs.items()})
# each number as a reader sees it (percentages, rounded money), labelled from the metric catalogue
table = pd.DataFrame({name: [METRICS[m].format(v) for m, v in means[name].items()] for name in runs},
                     index=[METRICS[m].label for m in headline])
table["downturn ÷ baseline"] = [f"× {r:.2f}" for r in means["severe recession"] / means["baseline"]]
table

# %%
b, d = baseline.metrics["mean"], downturn.metrics["mean"]
months = baseline.summary["months"]
print(f"Over {months} months, {b.cum_default_rate:.1%} of the accounts open at month 0 or opened since default in the "
      f"baseline and {d.cum_default_rate:.1%} in the severe recession "
      f"({d.cum_default_rate / b.cum_default_rate:.1f} times as many).")
print(f"The worst month's default rate (each replicate's worst month, averaged) is "
      f"{b.peak_default_rate:.2%} in the baseline and {d.peak_default_rate:.2%} in the recession.")
print(f"The annualised loss rate goes from {b.loss_rate:.1%} to {d.loss_rate:.1%} of receivables, "
      f"while purchase volume falls by {1 - d.purchases / b.purchases:.0%}.")

# %% [markdown]
# The claims in words, checked: the downturn raises the share of accounts that default, the
# worst month, the overdue share and the losses, and lowers the volume of purchases.

# %%
assert d.cum_default_rate > b.cum_default_rate
assert d.peak_default_rate > b.peak_default_rate
assert d.dpd30_rate_avg > b.dpd30_rate_avg
assert d.loss_rate > b.loss_rate
assert d.purchases < b.purchases

# %% [markdown]
# Are these differences larger than the noise between replicates? A quick check: the lowest
# recession replicate against the highest baseline replicate.

# %%
lo_d = downturn.metrics.loc["cum_default_rate", "p05"]
hi_b = baseline.metrics.loc["cum_default_rate", "p95"]
print(f"Cumulative default rate across replicates: baseline up to {hi_b:.2%}, "
      f"recession at least {lo_d:.2%}.")
assert lo_d > hi_b, "the replicate ranges overlap: run more borrowers or replicates"

# %% [markdown]
# ## Reading a default-rate curve
#
# `RunResult.plot_default_rate()` draws the chart that a run directory keeps as
# `charts/default_rate.png`. Left: the **monthly default rate** (new defaults ÷ accounts
# performing at the start of the month), with the unemployment rate as a dashed grey line on the
# right axis. Right: the **cumulative default rate** (defaults so far ÷ accounts open and performing at month 0 plus those opened since).
# The shaded band spans the replicates.

# %%
downturn.plot_default_rate()

# %%
RunResult.plot_compare(runs, legend_title="Economy")

# %%
ts_d = downturn.timeseries.groupby("month").mean(numeric_only=True)
ts_b = baseline.timeseries.groupby("month").mean(numeric_only=True)
# A month's rate is noisy (a few hundred defaults); a centred 5-month average shows the shape.
smooth_d = ts_d["default_rate"].rolling(5, center=True, min_periods=1).mean()
smooth_b = ts_b["default_rate"].rolling(5, center=True, min_periods=1).mean()
peak_month = int(smooth_d.idxmax())
u_peak_month = int(ts_d["unemployment_rate"].idxmax())
lag = peak_month - u_peak_month
when = (f"{lag} months after" if lag > 0 else
        "in the same month as" if lag == 0 else f"{-lag} months before")
end_d, end_b = smooth_d.iloc[-6:].mean(), smooth_b.iloc[-6:].mean()
print(f"In the recession, unemployment peaks at {ts_d['unemployment_rate'].max():.1%} in month "
      f"{u_peak_month}. The monthly default rate (5-month average) peaks at {smooth_d.max():.2%} "
      f"in month {peak_month}, {when} the unemployment peak; in the last six months it is down to "
      f"{end_d:.2%}, {end_d / end_b:.1f} times the baseline's {end_b:.2%}.")
print(f"In the baseline the 5-month average stays between {smooth_b.min():.2%} and {smooth_b.max():.2%}.")
u_end_d, u_end_b = ts_d["unemployment_rate"].iloc[-6:].mean(), ts_b["unemployment_rate"].iloc[-6:].mean()
print(f"In the last six months unemployment is {u_end_d:.1%} in the recession against {u_end_b:.1%} in the baseline.")
# the lender over the cycle: approval rate (3-month average: a month's applicants are few)
appr_d = ts_d["approval_rate"].rolling(3, center=True, min_periods=1).mean()
appr_b = ts_b["approval_rate"].mean()
low_month = int(appr_d.idxmin())
print(f"The lender approves {appr_b:.0%} of applicants in the baseline on average; in the recession its approval "
      f"rate (3-month average) falls to {appr_d.min():.0%} in month {low_month} and is back at {appr_d.iloc[-6:].mean():.0%} "
      f"in the last six months. Unused lines (open to buy) at their lowest are "
      f"{ts_d['open_to_buy'].min() / ts_b['open_to_buy'].mean():.0%} of the baseline's average.")

# %% [markdown]
# The shape in words: the default rate climbs with unemployment well above anything the baseline
# shows, peaks near the unemployment peak, then falls as the economy recovers; by the end it is
# far below its peak, though (as printed above) not yet back at the baseline's level while
# unemployment is still above its base. The lender acts over the cycle too: as delinquency and
# losses rise it tightens its approvals and cuts unused lines (its risk appetite,
# `platform.appetite_*`), and loosens again in the recovery. Checked:

# %%
assert abs(lag) <= 9, "the default peak is no longer near the unemployment peak"
assert end_d < 0.7 * smooth_d.max(), "the default rate no longer falls after the peak"
assert smooth_d.max() > 1.5 * smooth_b.max(), "the downturn's default peak is not well above the baseline"
assert appr_d.min() < appr_b, "the lender no longer approves fewer applicants in the downturn"
assert appr_d.iloc[-6:].mean() > appr_d.min(), "the approval rate no longer recovers after its low"

# %% [markdown]
# Why does the default rate not jump as soon as unemployment rises? A borrower who loses a job
# first lives on savings; an account counts as defaulted only once it is **90 days past
# due**, three missed payment cycles after the first miss. The cumulative curve (right panel of
# the first chart) can only rise; the monthly curve falls again as people find work and as the
# weakest borrowers have already defaulted.

# %% [markdown]
# ## Denominators
#
# A rate is only meaningful with its denominator. The simulator uses four:
#
# | rate | numerator | denominator |
# |---|---|---|
# | `default_rate` (monthly) | accounts that reach 90+ days past due this month | accounts **performing at the start of the month** (open and not in default; late but under 90 days counts as performing) |
# | `cum_default_rate` | defaults since month 0 | accounts **open and performing at month 0** (opened during the 72-month burn-in) **plus those opened since** |
# | `dpd30_rate`, `dpd90_rate` | **money** owed 31+ / 91+ days past due | all **receivables** (money owed) — a balance-weighted share, not a share of accounts |
# | `loss_rate` | net charge-offs, annualised | average **receivables** (a bank-style denominator, not purchase volume) |
#
# The columns of `timeseries` hold the numerators and the denominators, so every rate can be
# recomputed by hand. Let us check that, and read one month of the recession in words.

# %%
ts = downturn.timeseries
pd.testing.assert_series_equal(ts["new_defaults"] / ts["n_performing_start"], ts["default_rate"],
                               check_names=False)
pd.testing.assert_series_equal(ts["cum_defaults"] / ts["n_cohort"], ts["cum_default_rate"],
                               check_names=False)
overdue_30 = ts[["recv_dpd_31_60", "recv_dpd_61_90", "recv_dpd_90p"]].sum(axis=1)
pd.testing.assert_series_equal(overdue_30 / ts["receivables"], ts["dpd30_rate"], check_names=False)
print("All three rates recompute exactly from their numerators and denominators.")

# %%
row = ts[(ts["replicate"] == 0) & (ts["month"] == peak_month)].iloc[0]
n_pool = downturn.summary["n_borrowers"]
burn_in = downturn.summary["config"]["run"]["burn_in"]
assert burn_in == 72, "the table above says the burn-in is 72 months"
print(f"Replicate 0, month {peak_month} of the recession:")
print(f"- {row.new_defaults:,.0f} accounts defaulted out of {row.n_performing_start:,.0f} performing at "
      f"the start of the month: a monthly default rate of {row.default_rate:.2%}.")
print(f"- Since month 0, {row.cum_defaults:,.0f} accounts defaulted out of {row.n_cohort:,.0f} open and "
      f"performing at month 0 or opened since: a cumulative default rate of {row.cum_default_rate:.1%}.")
print(f"- Divided by the whole pool of {n_pool:,} people instead ({1 - row.n_ever_opened / n_pool:.0%} of "
      f"whom never applied or were not approved), the same {row.cum_defaults:,.0f} defaults would look "
      f"like {row.cum_defaults / n_pool:.1%}: the wrong denominator makes the book look safer.")
accounts_30 = row[["n_dpd_31_60", "n_dpd_61_90", "n_dpd_90p"]].sum()
accounts_all = row[["n_current", "n_dpd_1_30", "n_dpd_31_60", "n_dpd_61_90", "n_dpd_90p"]].sum()
share_accounts = accounts_30 / accounts_all
more = "more" if row.dpd30_rate > share_accounts else "less"
print(f"- {row.dpd30_rate:.1%} of the money owed is 30+ days past due, but {share_accounts:.1%} of the "
      f"accounts: money-weighted, late accounts weigh {more} than their number, because their "
      f"balances are {'larger' if more == 'more' else 'smaller'} than average.")

# %% [markdown]
# ## Who defaults, and how much is overdue
#
# The other charts of a run directory are methods too: `plot_buckets()` (overdue money by
# delinquency bucket), `plot_segments()` (cumulative default rate by customer group),
# `plot_vintages()` and `plot_causes()`.

# %%
display(downturn.plot_buckets())
display(downturn.plot_segments())

# %%
fl, sal = d.cum_default_rate_freelance, d.cum_default_rate_salaried
print(f"In the recession {fl:.1%} of freelancers' accounts default against {sal:.1%} of salaried "
      f"borrowers' ({100 * (fl - sal):.1f} percentage points more).")
assert fl > sal, "the text says freelancers default more in the downturn"

# %% [markdown]
# Freelancers default more in the downturn: their income is seasonal, more volatile and falls
# with consumer demand, which the recession cuts.
#
# ## Next
#
# * `02_follow_a_borrower.py`: the same machinery, one borrower at a time.
# * Try `run_scenario("economy=stagflation", ...)` or `"platform=aggressive"` and compare.
# * Save a run with `run_scenario(..., out_dir="outputs/my_run")`: the tables, `charts/` and
#   `summary.json`, readable later with `RunResult.load("outputs/my_run")`.
