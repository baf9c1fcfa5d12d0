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
# # 3. What if? Remedies in a downturn
#
# A severe recession hits the BNPL book. What could the platform, or the government, do about
# it, and what does each remedy cost? This notebook runs the same recession with no policy and
# with a few remedies, each alone and one combination:
#
# | policy | who acts | what it does |
# |---|---|---|
# | `early_warning` (R3) | platform | monitors utilisation, lateness, income drops and spending spikes; at a threshold it removes the unused part of the line |
# | `hardship` (R5) | platform | a borrower who falls behind after a job loss, illness or family event can restructure: payment holiday, longer term (a re-age: at most once in 12 months and twice in five years, the US regulators' convention) |
# | `affordability_check` (R2) | platform | declines purchases whose dues would exceed a share of free income |
# | `dti_cap` | regulator | caps line + other debt service at a multiple of estimated income |
# | `unemployment_benefits` | government | pays the unemployed a larger share of their income |
#
# Each policy is judged on two numbers, both against the run with no policy:
#
# * **defaults prevented**: cumulative default rate without the policy minus with it, in
#   percentage points of the accounts open at month 0 or opened since;
# * **purchase volume given up**: the share of the no-policy run's BNPL purchase volume that is
#   not lent with the policy (negative: the policy *adds* volume).
#
# All runs use the same seed, so they share the same borrowers and the same luck (common random
# numbers): the differences come from the policies, not from the draw. Sentences with numbers are
# printed from the results; qualitative claims are checked with `assert`.

# %%
# %matplotlib inline
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt  # noqa: F401  (sets up inline display of the figures)
import pandas as pd
from IPython.display import Image, display

from simulator.outputs.charts import plot_policy_tradeoff
from simulator.outputs.results import RunResult
from simulator.outputs.sweep import policy_tradeoff_table
from simulator.studies.runner import run_scenario

SMALL = os.environ.get("BNPL_NOTEBOOK_SMALL") == "1"
N_BORROWERS = 4_000 if SMALL else 20_000
REPLICATES = 2
ECONOMY = "severe_recession"
POLICIES = {                                  # label -> the policy override
    "none": "none",
    "early_warning": "early_warning",
    "hardship": "hardship",
    "affordability_check": "affordability_check",
    "dti_cap": "dti_cap",
    "unemployment_benefits": "unemployment_benefits",
    "early_warning+hardship": "[early_warning,hardship]",
}
pd.set_option("display.float_format", "{:,.2f}".format)
print(f"{ECONOMY}: {N_BORROWERS:,} borrowers, {REPLICATES} replicates, {len(POLICIES)} runs")

# %%
runs: dict[str, RunResult] = {}
for label, policy in POLICIES.items():
    runs[label] = run_scenario(f"economy={ECONOMY}", f"policy={policy}",
                               n_borrowers=N_BORROWERS, replicates=REPLICATES)
    m = runs[label].metrics["mean"]
    print(f"{label:>24}: cumulative default rate {m.cum_default_rate:.1%}, purchases {m.purchases:,.0f}")

# %% [markdown]
# ## Defaults prevented and volume given up
#
# A sweep (`bnpl-stress -m scenario=policy_matrix`) writes this table and chart for every
# economy. Here we build the same table from the in-memory results: `RunResult.summary_rows`
# lays out a run's summary like a row block of `sweep_summary.parquet`, and
# `simulator.outputs.sweep.policy_tradeoff_table` does the comparison against `policy=none`.

# %%
summary = pd.concat([res.summary_rows(run=label, policy=label, economy=ECONOMY)
                     for label, res in runs.items()], ignore_index=True)
tradeoff = policy_tradeoff_table(summary).set_index("policy").drop(columns="group")


def total(res: RunResult, column: str) -> float:
    """A timeseries column summed over the months, averaged over replicates."""
    return float(res.timeseries.groupby("replicate")[column].sum().mean())


ref = runs["none"]
for label, res in runs.items():
    if label == "none":
        continue
    m = res.metrics["mean"]
    tradeoff.loc[label, "cum_default_rate_%"] = 100 * m.cum_default_rate
    tradeoff.loc[label, "loss_rate_%"] = 100 * m.loss_rate
    # the lender's side: fees earned minus net charge-offs, against no policy (% change)
    net = total(res, "revenue") - total(res, "net_charge_offs")
    net_ref = total(ref, "revenue") - total(ref, "net_charge_offs")
    tradeoff.loc[label, "lender_net_change_%"] = 100 * (net - net_ref) / abs(net_ref)
tradeoff = tradeoff.sort_values("defaults_prevented", ascending=False)
tradeoff

# %%
with tempfile.TemporaryDirectory() as tmp:
    png = plot_policy_tradeoff(tradeoff.reset_index().assign(group=""), Path(tmp) / "tradeoff.png")
    display(Image(filename=str(png)))

# %%
RunResult.plot_compare(runs, legend_title="Policy")

# %% [markdown]
# ## Reading the table

# %%
m_none = ref.metrics["mean"]
print(f"With no policy, {m_none.cum_default_rate:.1%} of the accounts open at month 0 or opened since default over the "
      f"{ref.summary['months']} months of the recession.")
best = tradeoff["defaults_prevented"].idxmax()
print(f"{best} prevents the most: {tradeoff.loc[best, 'defaults_prevented']:.1f} points, bringing the "
      f"cumulative default rate down to {tradeoff.loc[best, 'cum_default_rate_%']:.1f}%.")
adds = tradeoff.index[tradeoff["volume_lost"] < 0]
costs = tradeoff[tradeoff["volume_lost"] > 0]
for label in adds:
    print(f"{label} prevents {tradeoff.loc[label, 'defaults_prevented']:.1f} points and *adds* "
          f"{-tradeoff.loc[label, 'volume_lost']:.1f}% purchase volume.")
ratio = (costs["defaults_prevented"] / costs["volume_lost"]).sort_values(ascending=False)
for label, r in ratio.items():
    print(f"{label}: {tradeoff.loc[label, 'defaults_prevented']:.1f} points prevented for "
          f"{tradeoff.loc[label, 'volume_lost']:.1f}% of volume given up ({r:.2f} points per 1% of volume).")

# %% [markdown]
# The qualitative claims of this notebook, checked:
#
# * every remedy here prevents some defaults in the recession;
# * the remedies that cut lines or decline purchases (`early_warning`, `affordability_check`,
#   `dti_cap`) give up purchase volume;
# * unemployment benefits add purchase volume (people out of work keep spending);
# * a hardship programme prevents more defaults than early warning;
# * combining early warning with hardship prevents at least as much as either alone.

# %%
prevented, lost = tradeoff["defaults_prevented"], tradeoff["volume_lost"]
assert (prevented > 0).all(), prevented
assert (lost[["early_warning", "affordability_check", "dti_cap"]] > 0).all(), lost
assert lost["unemployment_benefits"] < 0, lost
assert prevented["hardship"] > prevented["early_warning"], prevented
assert prevented["early_warning+hardship"] >= prevented[["early_warning", "hardship"]].max() - 0.1, prevented

# %% [markdown]
# ## Is a prevented default gone, or postponed?
#
# Hardship restructuring resets the clock of a borrower who fell behind after a shock. Some of
# them recover; others fall behind again. The time series counts the accounts ever restructured
# and, among them, those that are current and those that defaulted anyway.

# %%
last = runs["hardship"].timeseries.groupby("replicate").last()
n_r, n_cur, n_def = (last[c].mean() for c in ("n_restructured", "n_restructured_current",
                                               "n_restructured_defaulted"))
print(f"Under hardship, {n_r:,.0f} accounts per replicate were restructured; at the end "
      f"{n_cur:,.0f} ({n_cur / n_r:.0%}) are current and {n_def:,.0f} ({n_def / n_r:.0%}) defaulted anyway.")
h = tradeoff.loc["hardship"]
verb = "lower" if h["loss_rate_%"] < 100 * m_none.loss_rate else "not lower"
print(f"The loss rate with hardship is {h['loss_rate_%']:.1f}% of receivables against "
      f"{100 * m_none.loss_rate:.1f}% with no policy: {verb}.")
assert n_r > 0 and n_cur + n_def <= n_r

# %% [markdown]
# ## To try
#
# * Another economy: `ECONOMY = "stagflation"` or `"freelance_demand_shock"`.
# * Other remedies: `budget_assistant`, `external_data`, `ml_scoring`, `forbearance`, `stimulus`,
#   `joint_lending` (see `conf/policy/`), or a policy's parameter, e.g.
#   `run_scenario(..., "policy=early_warning", "policy.early_warning.threshold=0.4")`.
# * The full matrix from the command line: `bnpl-stress -m scenario=policy_matrix`.
