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
# # 2. Follow a borrower: the freelancer in the off season
#
# Scenario `freelancer_off_season` (cause C1, personal financial trouble): every borrower is a
# freelancer, most of them apply at once in **November**, the peak season ("Double 11"), and the
# platform grants lines from the income it sees at application, with a larger multiplier than
# usual. Then comes the off season: freelance income is lowest around the Spring Festival
# (January–February).
#
# Instead of reading averages, this notebook builds the model itself (`CreditModel`), steps it
# one month at a time, and picks — from the borrower arrays, by a rule written in code — one
# freelancer who was approved in the first months with a large line and later went from
# *current* to *default*. We then follow that borrower month by month through
# `model.borrower(i)`, a Mesa agent that views borrower *i*'s row of the arrays, and replay the
# same borrower under two remedies: **early warning** (R3: cut the unused line when risk signals
# add up) and **hardship restructuring** (R5: a payment holiday and a longer term after a shock).
#
# Because the random numbers are drawn per borrower and per named stream, the same seed gives
# the same borrower the same luck in every run (**common random numbers**): the same income
# draws, the same job loss, the same illness. What differs between the runs is only what the
# policy does. Every sentence with a number below is printed from the results.

# %%
# %matplotlib inline
import calendar
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simulator.config import compose
from simulator.core.model import CreditModel
from simulator.core.state import ACTIVE, FREELANCE, NEVER

SMALL = os.environ.get("BNPL_NOTEBOOK_SMALL") == "1"
N_BORROWERS = 1_500 if SMALL else 3_000
MONTHS = 24                     # two years are enough to see the off season and its aftermath
EARLY_MONTHS = 3                # "approved in the first months": months 0, 1 and 2
LARGE_LINE_QUANTILE = 0.75      # "a large line": in the top quarter of those early lines
CHOICE = 0                      # 0 = the candidate with the largest line; try 1, 2, ...
SCENARIO = ["scenario=freelancer_off_season", f"run.n_borrowers={N_BORROWERS}", f"run.months={MONTHS}"]
POLICIES = {"no policy": [], "early warning": ["policy=early_warning"], "hardship": ["policy=hardship"]}
pd.set_option("display.float_format", "{:,.0f}".format)
pd.set_option("display.max_rows", 100)

cfg = compose(SCENARIO)
START = cfg.run.start_month


def month_name(m: int) -> str:
    """Calendar month of simulation month ``m`` (month 0 is ``START``)."""
    return calendar.month_abbr[(START - 1 + m) % 12 + 1]


print(f"{N_BORROWERS:,} potential borrowers, {MONTHS} months from {month_name(0)} "
      f"(month 0); freelance share {cfg.population.freelance_share:.0%}; line multiplier "
      f"{cfg.platform.line_multiplier} months of estimated income; burn-in {cfg.run.burn_in} months.")
assert month_name(0) == "Nov" and cfg.population.freelance_share == 1.0, "the story above needs these"

# %% [markdown]
# ## Step the model month by month and keep a few arrays
#
# The model keeps each borrower attribute in one numpy array (`model.pop.status`,
# `model.pop.line`, …, one element per borrower). After each `model.step()` we copy the three we
# need to find our borrower. Always `release()` a model when done with it: it stops its worker
# threads and lets Python free it.

# %%
model = CreditModel(cfg)
history = {"status": [], "months_late": [], "line": []}
try:
    while model.month < MONTHS:
        model.step()
        for name in history:
            history[name].append(getattr(model.pop, name).copy())
    open_month = model.pop.open_month.copy()
    default_month = model.pop.default_month.copy()
    income_type = model.pop.income_type.copy()
finally:
    model.release()
status, months_late, line = (np.array(history[k]) for k in ("status", "months_late", "line"))
print(f"Arrays of shape {status.shape} (month × borrower); "
      f"{(open_month != NEVER).sum():,} accounts opened, {(default_month != NEVER).sum():,} defaulted.")

# %% [markdown]
# ## Pick the borrower, by rule
#
# 1. a freelancer approved in months 0 to `EARLY_MONTHS - 1`;
# 2. whose line at approval is in the top quarter of those early lines;
# 3. who was *current* (active, no payment missed) in some month after approval and later
#    defaulted (90+ days past due).
#
# Among those candidates we take the one with the largest line (`CHOICE = 0`).

# %%
early = np.flatnonzero((open_month >= 0) & (open_month < EARLY_MONTHS) & (income_type == FREELANCE))
line_at_open = line[open_month[early], early]
threshold = np.quantile(line_at_open, LARGE_LINE_QUANTILE)
large = early[line_at_open >= threshold]


def current_then_default(i: int) -> bool:
    o, d = open_month[i], default_month[i]
    if d == NEVER:
        return False
    return bool(((status[o:d, i] == ACTIVE) & (months_late[o:d, i] == 0)).any())


candidates = sorted((i for i in large if current_then_default(i)), key=lambda i: -line[open_month[i], i])
print(f"{len(early):,} freelancers approved in months 0–{EARLY_MONTHS - 1}; {len(large):,} with a line of at "
      f"least {threshold:,.0f}; {len(candidates)} of them went from current to default within {MONTHS} months.")
assert candidates, "no borrower fits the rule: use more borrowers or months"
who = int(candidates[min(CHOICE, len(candidates) - 1)])
print(f"We follow borrower {who}.")

# %% [markdown]
# ## The borrower's path, month by month
#
# `follow` builds a fresh model with the same seed, steps it, and records
# `model.borrower(who).snapshot()` after every month: every attribute of the borrower plus
# `balance`, `status_name`, `days_past_due` and `last_shock_name`. (A snapshot's `month` is the
# model's calendar, which `step()` has already moved to the next month: the state after step *t*
# is the end of month *t*, so we label it *t*.)

# %%
COLUMNS = ["month", "calendar", "income", "savings", "expense", "purchases_m", "paid_m", "balance",
           "line", "days_past_due", "status_name", "last_shock_name", "unemployed", "restructured"]


def follow(overrides: list[str], i: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Borrower ``i``'s month-by-month path, and every borrower's default month at the end."""
    m = CreditModel(compose(SCENARIO + overrides))
    rows = []
    try:
        b = m.borrower(i)
        while m.month < MONTHS:
            m.step()
            rows.append({**b.snapshot(), "month": m.month - 1})
        defaults = m.pop.default_month.copy()
    finally:
        m.release()
    path = pd.DataFrame(rows)
    path["calendar"] = [month_name(t) for t in path["month"]]
    return path[COLUMNS].set_index("month"), defaults


paths, final_defaults = {}, {}
for name, overrides in POLICIES.items():
    paths[name], final_defaults[name] = follow(overrides, who)
base = paths["no policy"]

# Same seed, same borrower: the replay without policy is the run we picked the borrower from.
assert np.array_equal(base["status_name"] == "active", status[:, who] == ACTIVE)
assert np.array_equal(base["line"], line[:, who])
assert np.array_equal(final_defaults["no policy"], default_month)
SHOW = ["calendar", "income", "savings", "purchases_m", "paid_m", "balance", "line", "days_past_due",
        "status_name", "last_shock_name"]
base.loc[open_month[who]:min(default_month[who] + 3, MONTHS - 1), SHOW]

# %%
o, d = int(open_month[who]), int(default_month[who])
first_late = int(base.index[(base.index > o) & (base["days_past_due"] > 0)
                            & (base.index <= d)].min())
was_current = base.loc[o:first_late - 1]
income_open = base.loc[o, "income"]
low = base.loc[o:first_late, "income"]
shocks = base.loc[o:d, "last_shock_name"]
shock_starts = shocks[(shocks != shocks.shift()) & (shocks != "none")]
print(f"Borrower {who} (freelance) was approved in month {o} ({month_name(o)}) with a line of "
      f"{base.loc[o, 'line']:,.0f}, {base.loc[o, 'line'] / income_open:.1f} times that month's income of "
      f"{income_open:,.0f}, and savings of {base.loc[o, 'savings']:,.0f}.")
print(f"Income then fell to {low.min():,.0f} in month {int(low.idxmin())} ({month_name(int(low.idxmin()))}), "
      f"{low.min() / income_open:.0%} of the approval month's.")
if len(shock_starts) and int(shock_starts.index[0]) > o:
    t = int(shock_starts.index[0]) - 1
    print(f"Before the first life shock, in month {t} ({month_name(t)}), income was already "
          f"{base.loc[t, 'income'] / income_open:.0%} of the approval month's: the seasons of freelance work.")
if len(shock_starts):
    print("Life shocks: " + "; ".join(f"{s.replace('_', ' ')} from month {t} ({month_name(t)})"
                                      for t, s in shock_starts.items()) + ".")
else:
    print("No life shock: the off season alone did it.")
print(f"The borrower was current for {len(was_current)} month{'s' if len(was_current) > 1 else ''}, first missed a payment in month "
      f"{first_late} ({month_name(first_late)}) with savings of {base.loc[first_late, 'savings']:,.0f} "
      f"and a balance of {base.loc[first_late, 'balance']:,.0f}, and defaulted in month {d} "
      f"({month_name(d)}), {d - first_late} months later.")
assert len(was_current) >= 1 and d > first_late

# %%
fig, axes = plt.subplots(3, 1, figsize=(9, 8), sharex=True, layout="constrained")
x = base.index
axes[0].plot(x, base["income"], label="income this month")
axes[0].plot(x, base["savings"], label="savings")
axes[0].set_ylabel("RMB")
axes[0].set_title(f"Borrower {who}: money coming in and the buffer")
axes[1].plot(x, base["line"], label="credit line", color="tab:green")
axes[1].plot(x, base["balance"], label="balance owed", color="tab:red")
axes[1].set_ylabel("RMB")
axes[1].set_title("The account")
axes[2].step(x, base["days_past_due"], where="mid", color="black")
axes[2].axhline(90, color="tab:red", ls="--", lw=1, label="default: beyond 90 days")
axes[2].set_ylabel("days past due")
axes[2].set_title("Delinquency (30 days per missed payment cycle: 90 is the 61–90 day bucket)")
for ax in axes:
    ax.axvspan(d - 0.5, x.max() + 0.5, color="tab:red", alpha=0.08)
    ax.legend(loc="upper right", fontsize=9)
axes[2].set_xticks(x[::2], [f"{t}\n{month_name(t)}" for t in x[::2]])
axes[2].set_xlabel("month of the simulation (calendar month); shaded: in default")
plt.show()

# %% [markdown]
# ## The same borrower under early warning and under hardship restructuring
#
# Common random numbers first: while the account is on the books in both runs (charged-off
# accounts are no longer simulated), the borrower's income and life shocks must be identical
# with and without a policy. The policies act on the account, not on the borrower's luck.

# %%
for name, path in paths.items():
    on_books = (base["status_name"] != "charged_off") & (path["status_name"] != "charged_off")
    assert np.array_equal(path.loc[on_books, "income"], base.loc[on_books, "income"]), name
    assert (path.loc[on_books, "last_shock_name"] == base.loc[on_books, "last_shock_name"]).all(), name
print("Same income and the same shocks in all three runs.")


# %%
def outcome(path: pd.DataFrame) -> dict:
    defaulted = path.index[path["status_name"].isin(["defaulted", "charged_off"])]
    late = path.index[path["days_past_due"] > 0]
    restructured = path.index[path["restructured"] > 0]
    return {
        "first missed payment": int(late.min()) if len(late) else None,
        "default month": int(defaulted.min()) if len(defaulted) else None,
        "purchases": path["purchases_m"].sum(),
        "repaid": path["paid_m"].sum(),
        "restructured in month": int(restructured.min()) if len(restructured) else None,
        f"balance at month {MONTHS - 1}": path["balance"].iloc[-1],
        f"status at month {MONTHS - 1}": path["status_name"].iloc[-1],
    }


compare = pd.DataFrame({name: outcome(path) for name, path in paths.items()}).T
compare

# %%
print(f"Without a policy, borrower {who} defaults in month {d}.")
for name in ("early warning", "hardship"):
    path, res = paths[name], compare.loc[name]
    cut = path.index[(path["line"] < base["line"] - 0.5)]
    changes = []
    if len(cut):
        t = int(cut.min())
        changes.append(f"the line is {path.loc[t, 'line']:,.0f} instead of {base.loc[t, 'line']:,.0f} "
                       f"from month {t}")
    if res["restructured in month"] is not None:
        t = int(res["restructured in month"])
        changes.append(f"the account is restructured in month {t} ({month_name(t)})")
    spent = res["purchases"] - compare.loc["no policy", "purchases"]
    if abs(spent) >= 1:
        changes.append(f"the borrower buys {abs(spent):,.0f} {'more' if spent > 0 else 'less'} on credit")
    if res["default month"] is None:
        verdict = f"the borrower does not default within the {MONTHS} months"
    elif res["default month"] == d:
        verdict = f"the default still comes in month {d}"
    else:
        shift = res["default month"] - d
        verdict = (f"the default comes in month {res['default month']}, {abs(shift)} "
                   f"month{'s' if abs(shift) > 1 else ''} {'later' if shift > 0 else 'earlier'}")
    what = "; ".join(changes) if changes else "nothing changes for this borrower"
    print(f"Under {name}: {what}; {verdict}.")

# %%
fig, axes = plt.subplots(2, 1, figsize=(9, 6), sharex=True, layout="constrained")
# The no-policy run is drawn wide and pale underneath, so that identical paths stay visible.
styles = {"no policy": dict(color="grey", lw=5, alpha=0.4), "early warning": dict(color="tab:blue", lw=1.5),
          "hardship": dict(color="tab:orange", lw=1.5)}
for name, path in paths.items():
    axes[0].plot(path.index, path["balance"], label=f"balance, {name}", **styles[name])
    axes[0].plot(path.index, path["line"], ls=":", label=f"line, {name}", **styles[name])
    axes[1].step(path.index, path["days_past_due"], where="mid", label=name, **styles[name])
axes[0].set_ylabel("RMB")
axes[0].set_title(f"Borrower {who} under three policies (same borrower, same luck)")
axes[0].legend(fontsize=8, ncol=3)
axes[1].axhline(90, color="tab:red", ls="--", lw=1)
axes[1].set_ylabel("days past due")
axes[1].legend(fontsize=9)
axes[1].set_xticks(x[::2], [f"{t}\n{month_name(t)}" for t in x[::2]])
axes[1].set_xlabel("month of the simulation (calendar month)")
plt.show()

# %% [markdown]
# ## One borrower is an anecdote: all the candidates
#
# The same comparison for every candidate that fits the rule (each went from current to default
# without a policy). A candidate counts as *spared* when it has not defaulted by the end of the
# run: that may be a default postponed past month `MONTHS - 1`, not avoided for good.

# %%
idx = np.array(candidates)
rows = {}
for name in ("early warning", "hardship"):
    dm = final_defaults[name][idx]
    spared = dm == NEVER
    later = ~spared & (dm > default_month[idx])
    rows[name] = {"spared": int(spared.sum()), "defaulted later": int(later.sum()),
                  "defaulted in the same month": int((dm == default_month[idx]).sum()),
                  "defaulted earlier": int((~spared & (dm < default_month[idx])).sum())}
spared_table = pd.DataFrame(rows).T
spared_table["candidates"] = len(idx)
spared_table

# %%
for name, r in spared_table.iterrows():
    print(f"{name}: {r['spared']} of {len(idx)} candidates spared within {MONTHS} months, "
          f"{r['defaulted later']} defaulted later, {r['defaulted in the same month']} in the same month.")
best = spared_table["spared"].idxmax()
if spared_table["spared"].nunique() > 1:
    print(f"For borrowers like this one, {best} spares more of them.")

# %% [markdown]
# ## To try
#
# * Set `CHOICE = 1` (or 2, 3, …) to follow another candidate, or change
#   `LARGE_LINE_QUANTILE`.
# * Compare with the same scenario starting in June: `SCENARIO + ["run.start_month=6"]`.
# * `model.borrower(i)` also works in `run.mode=agent`, where every borrower is a Mesa agent
#   that acts on its own (slower, same numbers).
