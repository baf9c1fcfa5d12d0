"""Account formulas shared by the borrower rules, the lender rules, the recorder and the policies.

Each formula is written once here and called by every kernel that needs it:

- :func:`owed` / :func:`balance`: what a borrower owes the lender (bills, unbilled instalments,
  arrears); :meth:`~simulator.core.state.Population.balance` calls :func:`owed` on whole arrays;
- :func:`disposable_income`: income less essentials and other debt service (the article behind
  the project: impulse purchases "often exceed 20% of disposable income", docs/SOURCES.md);
- :func:`month_net` / :func:`distress_relief` / :func:`cash_net`: the month's cash flow before
  the BNPL dues, the part of the month's BNPL purchases that paid for essentials (distress
  borrowing: essentials put on the line are not paid in cash this month) and the cash flow with
  that relief; read by ``spend`` (how much to borrow), ``repay`` (what the borrower can pay) and
  the cause tags (what it could have paid in the base economy);
- :func:`free_income` / :func:`affordable_line`: disposable income out of base income at
  start-of-run prices (a borrower's usual disposable income), and the line above which an
  account counts as over-granted (C2).

The functions are compiled (:data:`~simulator.core.jit.kernel`); ``owed.py_func`` is the same
source run by plain numpy, which is what ``Population.balance`` uses on float32 arrays.
"""

from __future__ import annotations

import numpy as np

from simulator.core.jit import kernel

__all__ = ["owed", "balance", "disposable_income", "month_net", "distress_wanted", "distress_relief",
           "cash_net", "free_income", "affordable_line"]


@kernel
def owed(bill, bill_next, inst_balance, inst_new, arrears):
    """The receivable: this month's bill, next month's bill, the unbilled instalment pool, this
    month's new plan and the arrears, added in this order (numbers or arrays; the result has the
    type of the first argument's precision after promotion).
    """
    return bill + bill_next + inst_balance + inst_new + arrears


@kernel
def balance(P, i):  # noqa: N803
    """Borrower ``i``'s receivable (:func:`owed`) in float64."""
    return owed(np.float64(P.bill[i]), P.bill_next[i], P.inst_balance[i], P.inst_new[i], P.arrears[i])


@kernel
def disposable_income(income, essentials, other_debt):
    """Disposable income: ``income`` less ``essentials`` and ``other_debt`` service (numbers or
    arrays; may be negative).
    """
    return income - essentials - other_debt


@kernel
def month_net(income, essentials, other_debt, expense):
    """The month's net cash flow before any BNPL purchase or payment: :func:`disposable_income`
    less this month's shock ``expense`` (may be negative: its negative part is the *shortfall*
    that distress borrowing covers).
    """
    return disposable_income(income, essentials, other_debt) - expense


@kernel
def distress_wanted(net, distress_borrowing):
    """What a borrower short of cash wants to put on the line: ``distress_borrowing`` of the
    shortfall (the negative part of the month's :func:`month_net` ``net``).
    """
    return distress_borrowing * max(-net, 0.0)


@kernel
def distress_relief(purchases, net, distress_borrowing):
    """The part of this month's BNPL ``purchases`` that covered the shortfall (distress
    borrowing): ``min(purchases, distress_borrowing × max(−net, 0))``, ``net`` the month's
    :func:`month_net`. Distress comes first: the essentials the borrower puts on the line are
    bought before any discretionary purchase, so a line too small for everything still carries
    them. These essentials are not paid in cash this month (they are next month's BNPL dues), so
    the month's cash flow rises by this amount (:func:`cash_net`), and a cut line takes that
    liquidity from the borrowers near their limit (the borrowers whose borrowing responds most to
    credit limits: Gross & Souleles 2002, *Quarterly Journal of Economics* 117(1); docs/SOURCES.md). Exact also for a
    counterfactual ``net`` with the month's purchases as made: a purchase is the smaller of what
    the borrower wants and what the line (and the affordability check) allows, and the wanted
    amount holds the whole distress part, so a smaller shortfall would have put
    ``min(purchases, distress_borrowing × shortfall)`` of it on the line.
    """
    return min(purchases, distress_wanted(net, distress_borrowing))


@kernel
def cash_net(purchases, net, distress_borrowing):
    """The month's cash flow once the essentials bought on the line are left out:
    ``net + distress_relief(purchases, net, distress_borrowing)``.
    """
    return net + distress_relief(purchases, net, distress_borrowing)


@kernel
def free_income(P, i, essentials_share):  # noqa: N803
    """Borrower ``i``'s usual disposable income: :func:`disposable_income` of its base income with
    essentials at ``essentials_share`` of it (start-of-run prices); at least 1 (so that it can divide).
    """
    base = np.float64(P.base_income[i])
    return max(disposable_income(base, base * essentials_share, P.other_debt[i]), 1.0)


@kernel
def affordable_line(P, i, essentials_share, months):  # noqa: N803
    """The largest line that is not over-granted (cause C2): ``months`` of :func:`free_income`."""
    return months * free_income(P, i, essentials_share)
