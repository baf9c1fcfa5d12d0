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
# # 4. Classroom exercise: how large should the credit lines be?
#
# A BNPL platform sets each new customer's credit line as a number of months of the income it
# estimates (`platform.line_multiplier`, 0.6 months by default, scaled by the applicant's score).
# Larger lines sell more — the platform earns a fee on every purchase — but let borrowers run up
# more than they can repay when something goes wrong. In this exercise you run the simulator with
# several line multipliers, in a calm economy and in a downturn, and answer four questions.
#
# **How to work**
#
# 1. Run the notebook once as it is (*Run All*).
# 2. Answer the questions in the *Questions* section, in your own words, from the table and the
#    charts. Write your answers in the cells marked *Your answer*.
# 3. Change the parameters in the cell marked **PARAMETERS** and run again: does your answer hold?
# 4. Only then read the *Worked answers* (at the end of the teacher edition; the student edition,
#    made by `python notebooks/student_edition.py`, leaves them out): they are computed from the
#    numbers your run produced, so they change with your parameters.
#
# Vocabulary: the **cumulative default rate** is the share of the accounts open at month 0 or opened since that reach
# 90+ days past due; the **loss rate** is the annualised net charge-offs ÷ average receivables
# (money owed); the platform's **revenue** is merchant, instalment and late fees.

# %%
# %matplotlib inline
import os

import matplotlib.pyplot as plt
import pandas as pd

from simulator.config import compose
from simulator.core.state import CAUSE_LABELS
from simulator.studies.runner import run_scenario

SMALL = os.environ.get("BNPL_NOTEBOOK_SMALL") == "1"
DEFAULT_LINE_MULTIPLIER = compose([]).platform.line_multiplier

# %% [markdown]
# ## ✏️ PARAMETERS — change these
#
# | name | meaning | try |
# |---|---|---|
# | `ECONOMY` | the stressed economy, compared with `baseline` | `"mild_recession"`, `"stagflation"`, `"freelance_demand_shock"`, `"sudden_stop"` |
# | `LINE_MULTIPLIERS` | initial line in months of estimated income (default 0.6) | add `4.0`, or `0.45` |
# | `POLICY` | a remedy applied in every run | `"hardship"`, `"early_warning"`, `"[early_warning,hardship]"` |
# | `N_BORROWERS`, `REPLICATES` | size of each run | more = slower and less noisy |

# %%
# ============================== PARAMETERS: change these ==============================
ECONOMY = "severe_recession"
LINE_MULTIPLIERS = [0.3, 0.6, 1.2, 2.4]
POLICY = "none"
N_BORROWERS = 10_000
REPLICATES = 2
# ======================================================================================

# %%
# Teacher's checks at the end run only with the parameters as handed out.
AS_HANDED_OUT = (ECONOMY == "severe_recession" and LINE_MULTIPLIERS == [0.3, 0.6, 1.2, 2.4]
                 and POLICY == "none" and N_BORROWERS >= 3_000)
if SMALL:  # the test suite runs the notebook with smaller populations
    N_BORROWERS = min(N_BORROWERS, 3_000)
multipliers = sorted(set(LINE_MULTIPLIERS) | {DEFAULT_LINE_MULTIPLIER})
economies = list(dict.fromkeys(["baseline", ECONOMY]))
print(f"{len(economies) * len(multipliers)} runs of {N_BORROWERS:,} borrowers × {REPLICATES} replicates: "
      f"economies {economies}, line multipliers {multipliers}, policy {POLICY}")

# %% [markdown]
# ## Run the experiment

# %%
rows, causes = [], {}
for economy in economies:
    for lm in multipliers:
        res = run_scenario(f"economy={economy}", f"platform.line_multiplier={lm}", f"policy={POLICY}",
                           n_borrowers=N_BORROWERS, replicates=REPLICATES)
        m = res.metrics["mean"]
        per_replicate = res.timeseries.groupby("replicate")
        sums = per_replicate[["revenue", "net_charge_offs"]].sum().mean()
        share = res.causes["cause"].value_counts(normalize=True)
        causes[economy, lm] = share
        rows.append({
            "economy": economy, "line_multiplier": lm,
            "cum_default_rate_%": 100 * m.cum_default_rate,
            "loss_rate_%": 100 * m.loss_rate,
            "purchases_m": m.purchases / 1e6,
            "revenue_m": sums["revenue"] / 1e6,
            "net_charge_offs_m": sums["net_charge_offs"] / 1e6,
            "lender_net_m": (sums["revenue"] - sums["net_charge_offs"]) / 1e6,
            "accounts_opened": per_replicate["n_cohort"].last().mean(),
            "C2_share_%": 100 * share.get("C2", 0.0),
        })
table = pd.DataFrame(rows).set_index(["economy", "line_multiplier"])
pd.set_option("display.float_format", "{:,.2f}".format)
print("Money columns (_m) in millions of RMB over the whole horizon, averaged over replicates.")
table

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 4), layout="constrained")
for economy in economies:
    t = table.loc[economy]
    axes[0].plot(t.index, t["purchases_m"], marker="o", label=economy)
    axes[1].plot(t.index, t["cum_default_rate_%"], marker="o", label=economy)
    axes[2].plot(t.index, t["lender_net_m"], marker="o", label=economy)
titles = ["Purchase volume, million RMB", "Cumulative default rate,\n% of accounts open at month 0 or opened since",
          "Lender: fees − net charge-offs,\nmillion RMB"]
for ax, title in zip(axes, titles, strict=True):
    ax.set_title(title, fontsize=11)
    ax.set_xlabel("line multiplier (months of income)")
    ax.set_xscale("log", base=2)
    ax.set_xticks(multipliers, [f"{lm:g}" for lm in multipliers])
    ax.axvline(DEFAULT_LINE_MULTIPLIER, color="grey", lw=0.8, ls=":")
    ax.legend(fontsize=9)
fig.suptitle(f"Larger lines: what they sell, what they cost (policy: {POLICY}; dotted: the default)")
plt.show()

# %% [markdown]
# ## Questions
#
# **Q1 (denominators).** In the baseline with the default line multiplier, what share of the
# accounts open at month 0 or opened since default over the horizon? Why is that not the same as the share of the
# whole pool of potential borrowers who default?
#
# **Q2 (volume and risk).** As the line multiplier rises, what happens to purchase volume and to
# the cumulative default rate? Does each doubling of the lines add as much volume as the one
# before? As much default risk?
#
# **Q3 (the lender's choice).** Which line multiplier gives the lender the largest
# *fees − net charge-offs*? Is it the same in the baseline and in the downturn? What does that
# say about setting lines in good times?
#
# **Q4 (causes).** Every default carries its main cause (C1 personal trouble, C2 over-granting,
# C3 weak review of new users, C4 impulse spending, C5 systemic downturn). Which cause's share
# grows as the lines get larger?
#
# **Q5 (discussion, no worked answer).** A regulator wants fewer defaults without shutting
# the product down. Using `POLICY` and the line multiplier, what would you recommend, and what
# does it cost, and to whom?

# %% [markdown]
# *Your answer (Q1–Q5):*
#
# ...

# %% [markdown] tags=["answer"]
# ---
# ## Worked answers
#
# Computed from the runs above: change the parameters and they change with them.

# %% tags=["answer"]
base = table.loc[("baseline", DEFAULT_LINE_MULTIPLIER)]
pool = N_BORROWERS
print(f"Q1. In the baseline with line multiplier {DEFAULT_LINE_MULTIPLIER:g}, "
      f"{base['cum_default_rate_%']:.1f}% of the accounts open at month 0 or opened since default. On "
      f"average {base['accounts_opened']:,.0f} of the {pool:,} people in the pool held such an account "
      f"({base['accounts_opened'] / pool:.0%}): the others never applied or were declined, so "
      f"against the whole pool the same defaults would be only "
      f"{base['cum_default_rate_%'] * base['accounts_opened'] / pool:.1f}%.")


# %% tags=["answer"]
def steps(col: str, economy: str) -> pd.Series:
    """Change of ``col`` from one line multiplier to the next."""
    return table.loc[economy, col].diff().dropna()


def trend(x: pd.Series) -> str:
    """How a series of step changes evolves, in words."""
    if len(x) < 2:
        return "(only one step)"
    if x.is_monotonic_decreasing:
        return "less than the step before, every time"
    if x.is_monotonic_increasing:
        return "more than the step before, every time"
    return "sometimes more and sometimes less than the step before"


for economy in economies:
    t = table.loc[economy]
    lo, hi = t.index.min(), t.index.max()
    dv, dd = steps("purchases_m", economy), steps("cum_default_rate_%", economy)
    vol_word = "rises" if t["purchases_m"].is_monotonic_increasing else "does not always rise"
    def_word = "rises" if t["cum_default_rate_%"].is_monotonic_increasing else "does not always rise"
    print(f"Q2 ({economy}). From line multiplier {lo:g} to {hi:g}, purchase volume {vol_word} "
          f"({t['purchases_m'].iloc[0]:,.1f} → {t['purchases_m'].iloc[-1]:,.1f} million, "
          f"{t['purchases_m'].iloc[-1] / t['purchases_m'].iloc[0] - 1:+.0%}) and the cumulative default rate "
          f"{def_word} ({t['cum_default_rate_%'].iloc[0]:.1f}% → {t['cum_default_rate_%'].iloc[-1]:.1f}%).")
    print("    Step by step (volume in million RMB, defaults in points): "
          + "; ".join(f"to {lm:g}: {v:+,.1f} volume, {p:+.1f} points" for lm, v, p in
                      zip(dv.index, dv, dd, strict=True)))
    print(f"    In volume, each step up adds {trend(dv)}; in default points, {trend(dd)}.")
    per_point = dv / dd.where(dd > 0)
    print("    Volume bought per extra point of default rate: "
          + ", ".join(f"{v:,.1f} million at the step to {lm:g}" for lm, v in per_point.dropna().items()) + ".")

# %% tags=["answer"]
best = {e: table.loc[e, "lender_net_m"].idxmax() for e in economies}
for economy in economies:
    t = table.loc[economy]
    print(f"Q3 ({economy}). The lender's fees − net charge-offs is largest at line multiplier "
          f"{best[economy]:g} ({t['lender_net_m'].max():,.2f} million RMB); at {t.index.max():g} it is "
          f"{t['lender_net_m'].iloc[-1]:,.2f} million.")
if len(economies) == 2:
    if best[ECONOMY] < best["baseline"]:
        print(f"    In the {ECONOMY} the best line is smaller than in the baseline: lines that pay in good "
              "times cost the lender money when the downturn comes.")
    elif best[ECONOMY] == best["baseline"]:
        print("    The best line multiplier is the same in both economies.")
    else:
        print(f"    In the {ECONOMY} the best line is larger than in the baseline.")

# %% tags=["answer"]
for economy in economies:
    lo, hi = min(multipliers), max(multipliers)
    share = pd.DataFrame({lo: causes[economy, lo], hi: causes[economy, hi]}).fillna(0.0)
    growth = (share[hi] - share[lo]).sort_values(ascending=False)
    top = growth.index[0]
    print(f"Q4 ({economy}). From line multiplier {lo:g} to {hi:g}, the share of defaults whose main "
          f"cause is {CAUSE_LABELS[top]} grows most: {share.loc[top, lo]:.1%} → {share.loc[top, hi]:.1%}. "
          f"Shares at {hi:g}: " + ", ".join(f"{c} {v:.0%}" for c, v in share[hi].sort_index().items()) + ".")

# %% [markdown] tags=["answer"]
# ## Teacher's checks
#
# With the parameters as handed out, the worked answers above say: larger lines sell more and
# default more, in both economies; the downturn's best line (for the lender) is no larger than
# the baseline's; and over-granting (C2) accounts for a larger share of the downturn's defaults
# with the largest lines than with the smallest. These checks fail if the model stops showing that.

# %% tags=["answer"]
if AS_HANDED_OUT:
    for economy in economies:
        t = table.loc[economy]
        assert t["purchases_m"].is_monotonic_increasing, economy
        assert t["cum_default_rate_%"].is_monotonic_increasing, economy
    assert best[ECONOMY] <= best["baseline"], best
    assert causes[ECONOMY, max(multipliers)].get("C2", 0) > causes[ECONOMY, min(multipliers)].get("C2", 0)
    print("Teacher's checks passed.")
else:
    print("Parameters changed: the teacher's checks are skipped.")
