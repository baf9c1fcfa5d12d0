"""Account formulas shared by the borrower rules, the lender rules, the recorder and the policies.

Each formula is written once here and called by every kernel that needs it:

- :func:`owed` / :func:`balance`: what a borrower owes the lender (bills, unbilled instalments,
  arrears); :meth:`~simulator.core.state.Population.balance` calls :func:`owed` on whole arrays;
- :func:`disposable_income`: income less essentials and other debt service (the article behind
  the project: impulse purchases "often exceed 20% of disposable income", docs/SOURCES.md);
- :func:`free_income` / :func:`affordable_line`: disposable income out of base income at
  start-of-run prices (a borrower's usual disposable income), and the line above which an
  account counts as over-granted (C2).

The functions are compiled (:data:`~simulator.core.jit.kernel`); ``owed.py_func`` is the same
source run by plain numpy, which is what ``Population.balance`` uses on float32 arrays.
"""

from __future__ import annotations

import numpy as np

from simulator.core.jit import kernel

__all__ = ["owed", "balance", "disposable_income", "free_income", "affordable_line"]


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
