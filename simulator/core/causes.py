"""Why a delinquency started: the set of causes each default is shared among (C1–C5).

A default is explained the way the counterfactual decomposition
(:mod:`simulator.studies.decomposition`) explains the default rate, but per default and from the
borrower's own history. When an account first misses a payment, :func:`cause_set` lists the
causes *without which this payment would have been made*, each read off a mechanism of the
model (and C5 can join while the delinquency goes on, :func:`extend_cause_set`):

* **C1 personal financial trouble** — the trigger: in the set when the borrower had a personal
  trigger (:func:`personal_trigger`: out of work, ill, or a life shock in the last
  :data:`RECENT_SHOCK_MONTHS` months), or as the residual when no other cause explains the missed
  payment (income volatility, or weak discipline alone). A miss without a personal trigger that
  another cause explains (C5 below, but also an over-granted balance C2, impulse spending C4 or
  weak review C3) leaves C1 out: without life shocks and income volatility (the decomposition's
  C1 switch) such a default mostly happens all the same. (Measured borrower by borrower with
  common random numbers, baseline, 20,000 borrowers, 36 months, 2 replicates, seed 42, the people
  present in the runs with C1 and C2 each on and off: of the defaults without a personal trigger
  that another cause explains, 38 of 53 happen with C1 switched off as well; of those with a
  personal trigger, 97% do not.) Without life shocks and income volatility the model has few defaults at baseline (the
  decomposition's run with only C1 switched off: about an eighth of the factual rate).
* **C5 systemic downturn** — the trigger came from the economy: a job loss or freelance slump that
  the same draws would not have caused in the base economy, or a spell out of work that the base
  economy's job finding would already have ended (``JOB_LOSS_SYSTEMIC``, ``SLUMP_SYSTEMIC``, see
  :func:`~simulator.core.borrower_rules.income_and_shocks`), at most :data:`RECENT_SHOCK_MONTHS`
  months old (:func:`systemic_trigger`); or what the borrower could pay, plus this month's income
  and essentials at the base economy's levels (:func:`downturn_gain`) and the usable part
  (``discipline``) of the savings the downturn has cost so far (``downturn_loss``,
  :func:`track_costs`), would have covered the dues. When the downturn alone covers it and the
  borrower had no personal trigger (:func:`personal_trigger`: out of work, ill, or a life shock
  in the last :data:`RECENT_SHOCK_MONTHS` months) C1 is left out of the set (as for any other
  cause, see C1). C5 also joins the
  set of a delinquency that goes on (:func:`extend_cause_set`, each month until it is cured or
  the account defaults) when the downturn becomes a trigger while the account is past due:
  typically a spell out of work that began as the borrower's own and that the base economy's job
  finding would have ended, so that the borrower would have been back at work and able to catch
  up before default. (Under ``severe_recession`` most defaults that the decomposition's C5-off
  run removes but the first missed payment's set left without C5 are of this kind.)
* **C2 over-granting** — the balance is above the affordable line (``affordable_line_months`` of
  free income, the cap of the decomposition's C2 switch), and what the borrower could pay, plus
  the usable part of the savings that payments on the debt above the line have cost so far
  (``overgrant_cost``, :func:`track_costs`), would have repaid a balance at that line in full:
  with the line capped there the borrower would not have been in trouble with the lender at all
  (a shortfall on capped dues alone can recur while the trigger lasts, so a test on this month's
  dues only would not be enough). At baseline (20,000 borrowers, 2 replicates, seed 42) the test
  tags about as many defaults as the C2-off run removes among the people present in both runs
  (155 and 159). A balance at the line would also have left no room for this month's distress
  purchases (:func:`~simulator.core.accounts.distress_relief`); counting that lost liquidity would
  take C2 out of 12 of about 150 such sets, 8 of them defaults the C2-off run does not remove either,
  so it is left out.
* **C4 impulse spending** — without the impulse part of the purchases (the account's moving
  impulse share, ``impulse_ratio``) what the borrower could pay would have covered the dues.
* **C3 weak review of new users** — a thin-file account in its first :data:`NEW_USER_MONTHS`
  months that the lender would have rejected had it scored the file with an established file's
  accuracy against the established-file cutoff (``weak_review``, set at approval by
  :func:`~simulator.core.lender.established_review_score`; the decomposition's C3 switch).

The default is then shared *equally* among the causes in its set (``1 ÷`` the set's size): the
Shapley value of a default that needs every cause of its set, as the decomposition shares an
interaction among the causes involved. So a default after a systemic job loss is half C1, half
C5; one after an idiosyncratic job loss on an over-granted balance half C1, half C2. Summed over
defaults these weights are the *tag shares* that the test compares with the Shapley shares
(``tests/test_cause_attribution.py``). The *primary* cause of a default (the ``cause`` column)
is the cause in its set other than C1 with the highest precedence C5 > C4 > C2 > C3, or C1 alone.

Codes: a cause set is a bit mask, bit ``k − 1`` for cause ``Ck`` (:data:`CAUSE_BIT`).
"""

from __future__ import annotations

import numpy as np

from simulator.core.accounts import affordable_line, balance, cash_net, month_net
from simulator.core.jit import kernel
from simulator.core.state import CAUSE_CODES, FREELANCE, JOB_LOSS_SYSTEMIC, SHOCK_NONE, SLUMP_SYSTEMIC

__all__ = [
    "RECENT_SHOCK_MONTHS",
    "NEW_USER_MONTHS",
    "CAUSE_BIT",
    "PRIMARY_ORDER",
    "cause_set",
    "primary_cause",
    "primary_of_set",
    "cause_weights",
    "downturn_gain",
    "track_costs",
    "personal_trigger",
    "systemic_trigger",
    "extend_cause_set",
]

#: A shock at most this many months old (or still running) counts as the trigger of a delinquency.
RECENT_SHOCK_MONTHS = 3
#: Months on book during which a thin-file account's delinquency can be blamed on weak review (C3).
NEW_USER_MONTHS = 12
#: Bit of each cause in a cause set (C1 = 1, C2 = 2, C3 = 4, C4 = 8, C5 = 16).
CAUSE_BIT = {c: 1 << k for k, c in enumerate(CAUSE_CODES)}
#: Precedence of the primary cause among the causes of a set (C1 only when it is alone).
PRIMARY_ORDER = (5, 4, 2, 3, 1)


@kernel
def downturn_gain(P, i, R, E, M):  # noqa: N803
    """How much more borrower ``i`` would have had to pay with this month in the base economy
    (:func:`~simulator.core.economy.base_economy`): its income at the base income index (and,
    for a freelancer at work, at normal demand), essentials at base prices — the change in the
    month's cash flow :func:`~simulator.core.accounts.cash_net`, so net of the distress relief:
    with a smaller shortfall the borrower would have put fewer essentials on the line
    (:func:`~simulator.core.accounts.distress_relief` of the month's purchases, exact for them).
    """
    d = M.demand if P.income_type[i] == FREELANCE and not P.unemployed[i] else 1.0
    ratio = E.income_index_base / max(E.income_index * d, 1e-9)
    base = np.float64(P.base_income[i])
    raw = np.float64(P.income[i]) * (ratio - 1.0) \
        + base * R.essentials_share * (E.essential_prices - E.essential_prices_base)
    net = month_net(P.income[i], base * R.essentials_share * E.essential_prices, P.other_debt[i], P.expense[i])
    bought = np.float64(P.purchases_m[i])
    return cash_net(bought, net + raw, R.distress_borrowing) - cash_net(bought, net, R.distress_borrowing)


@kernel
def track_costs(P, i, R, E, pay, gain, kept):  # noqa: N803
    """After borrower ``i``'s repayment: add to the savings the downturn and the over-granted debt
    have cost it so far (``downturn_loss``, ``overgrant_cost``) the part of this month's money
    that would have stayed in savings without them: ``kept`` × this month's :func:`downturn_gain`
    and ``kept`` × the part of the payment ``pay`` that went to debt above the affordable line
    (``pay`` × the balance's share above the line; balance before the payment: ``balance(P, i) +
    pay``). ``kept`` is the model's saving rule for extra money: all of it in a month that drew
    savings down, ``saving_rate`` of it in a month with a surplus. Both are kept between 0 and the
    buffer target (savings beyond it are not kept).
    """
    target = np.float64(P.buffer_months[i]) * P.base_income[i] * E.income_index
    P.downturn_loss[i] = min(max(P.downturn_loss[i] + kept * gain, 0.0), target)
    if pay > 0:
        bal = balance(P, i) + pay
        cap = affordable_line(P, i, R.essentials_share, R.affordable_line_months)
        if bal > cap:
            P.overgrant_cost[i] = min(P.overgrant_cost[i] + kept * pay * (bal - cap) / bal, target)


@kernel
def personal_trigger(P, i):  # noqa: N803
    """Whether borrower ``i`` is out of work or ill, or had a life shock (of any kind, freelance
    slumps included) in the last :data:`RECENT_SHOCK_MONTHS` months.
    """
    return P.unemployed[i] or P.ill_left[i] > 0 or \
        (P.last_shock[i] != SHOCK_NONE and P.shock_age[i] <= RECENT_SHOCK_MONTHS)


@kernel
def systemic_trigger(P, i):  # noqa: N803
    """Whether borrower ``i``'s latest shock came from the downturn (a systemic job loss, a spell
    prolonged by the downturn, a systemic slump) and is at most :data:`RECENT_SHOCK_MONTHS` months
    old (or still running: a spell out of work keeps its age at 0).
    """
    shock = P.last_shock[i]
    return (shock == JOB_LOSS_SYSTEMIC or shock == SLUMP_SYSTEMIC) and P.shock_age[i] <= RECENT_SHOCK_MONTHS


@kernel
def cause_set(P, i, R, E, M, owed, pay, gain, lost):  # noqa: N803
    """The cause set (bit mask, see the module docstring) of a delinquency of borrower ``i``
    starting now: ``owed`` was due this month and ``pay`` is all the borrower could pay
    (``pay < owed``), ``gain`` and ``lost`` as in :func:`primary_cause`; the balance before the
    payment is ``balance(P, i) + pay`` (called after
    the repayment, which moves amounts between bills and the plan pool but lowers the balance
    only by the payment). C1 is decided last: a personal trigger, or no other cause in the set.
    """
    s = 0
    if systemic_trigger(P, i) or pay + gain + P.discipline[i] * lost >= owed:
        s |= 16
    if owed > 0:
        bal = balance(P, i) + pay
        cap = affordable_line(P, i, R.essentials_share, R.affordable_line_months)
        if bal > cap and cap <= pay + P.discipline[i] * P.overgrant_cost[i]:
            s |= 2
        if owed * (1.0 - P.impulse_ratio[i]) <= pay:
            s |= 8
    if P.thin_file[i] and E.month - P.open_month[i] < NEW_USER_MONTHS \
            and P.weak_review[i]:
        s |= 4
    if s == 0 or personal_trigger(P, i):
        s |= 1
    return s


@kernel
def extend_cause_set(P, i):  # noqa: N803
    """A delinquency of borrower ``i`` that goes on this month (called by
    :func:`~simulator.core.borrower_rules.repay` for an account still past due): C5 joins its
    cause set when the downturn is now a trigger (:func:`systemic_trigger`), e.g. a spell out of
    work that began as the borrower's own and that the base economy's job finding would have
    ended this month; the primary cause (``cause``) follows the set.
    """
    s = P.cause_set[i]
    if systemic_trigger(P, i) and not (s & 16):
        s = s | 16
        P.cause_set[i] = s
        P.cause[i] = primary_of_set(s)


@kernel
def primary_of_set(s):
    """The primary cause code (1..5) of a cause set ``s``: its first cause in :data:`PRIMARY_ORDER`."""
    for c in PRIMARY_ORDER:
        if s & (1 << (c - 1)):
            return c
    return 1


def cause_weights(sets: np.ndarray) -> np.ndarray:
    """Each default's weight on each cause (rows: defaults, columns C1..C5; rows add up to 1):
    ``1 ÷ |set|`` on the causes of its set. A set of 0 (no delinquency recorded) counts as {C1}.
    """
    s = np.asarray(sets).astype(np.int64)
    s = np.where(s <= 0, 1, s)
    bits = (s[:, None] >> np.arange(len(CAUSE_CODES))) & 1
    return bits / bits.sum(axis=1, keepdims=True)


@kernel
def primary_cause(P, i, R, E, M, owed, pay, gain, lost):  # noqa: N803
    """Record why a delinquency of borrower ``i`` starts now and return its primary cause code
    (1..5 for C1..C5), called by :func:`~simulator.core.borrower_rules.repay`: ``owed`` was due,
    ``pay`` is all the borrower could pay, ``gain`` this month's :func:`downturn_gain` and
    ``lost`` the ``downturn_loss`` before this month. Stores the cause set (:func:`cause_set`:
    the causes without which the payment would have been made, among which the default is
    shared equally) in ``cause_set``.
    """
    cs = cause_set(P, i, R, E, M, owed, pay, gain, lost)
    P.cause_set[i] = cs
    return primary_of_set(cs)
