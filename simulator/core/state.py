"""Borrower state as a struct of numpy arrays, and the codes stored in it.

One array per attribute, one element per borrower (the whole pool of potential customers,
including those who have not applied yet). ``FIELDS`` is the single list of attributes: the
arrays, the Mesa ``Borrower`` agent's attributes and the memory budget all come from it.
Money is float32 in currency units per month; small counters are int8/int16. The codes: account
status, income type, life shock and cause of delinquency. The initial population is drawn in
:mod:`simulator.core.population`.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

import numpy as np

from simulator.core.accounts import owed
from simulator.core.jit import kernel

__all__ = [
    "FIELDS", "PopArrays", "Population", "NEVER",
    "NOT_ARRIVED", "REJECTED", "ACTIVE", "DEFAULTED", "CHARGED_OFF", "STATUS_NAMES",
    "SALARIED", "FREELANCE", "INCOME_TYPE_NAMES",
    "SHOCK_NONE", "JOB_LOSS", "JOB_LOSS_SYSTEMIC", "ILLNESS", "FAMILY", "SLUMP", "SLUMP_SYSTEMIC", "SHOCK_NAMES",
    "CAUSE_CODES", "CAUSE_LABELS",
]

# Account status codes.
NOT_ARRIVED, REJECTED, ACTIVE, DEFAULTED, CHARGED_OFF = 0, 1, 2, 3, 4
STATUS_NAMES = ("not_arrived", "rejected", "active", "defaulted", "charged_off")
# Income types.
SALARIED, FREELANCE = 0, 1
INCOME_TYPE_NAMES = ("salaried", "freelance")

#: (name, dtype, meaning). The order is the order of the arrays in memory; keep it stable.
FIELDS: tuple[tuple[str, str, str], ...] = (
    # who the borrower is (drawn once)
    ("income_type", "i1", "0 salaried, 1 freelance"),
    ("base_income", "f4", "base monthly income at start-of-run prices"),
    ("impulse", "f4", "impulse propensity: impulse purchases per month as a share of base income"),
    ("impulse_tercile", "i1", "0 low, 1 mid, 2 high impulse propensity within the pool"),
    ("thin_file", "?", "thin credit file at application"),
    ("other_debt", "f4", "other debt service per month"),
    ("buffer_months", "f4", "target savings buffer in months of base income"),
    ("arrival_month", "i2", "month the borrower applies (negative: during burn-in)"),
    ("score_noise", "f4", "standard-normal error of the platform's application score"),
    ("income_est_noise", "f4", "standard-normal error of the platform's income estimate"),
    ("discipline", "f4", "payment discipline in (0, 1]: share of savings and surplus income put toward the lender"),
    ("shock_proneness", "f4", "factor on the hazards of job loss, illness and family events (mean 1)"),
    ("bureau_signal", "f4", "credit-bureau record of weak discipline and financial fragility (a latent) + noise"),
    ("external_signal", "f4", "external data's record of shock proneness: its latent z + noise (R1)"),
    # life and money (monthly state)
    ("unemployed", "?", "out of work this month"),
    ("ill_left", "i1", "months of serious illness left"),
    ("last_shock", "i1", "code of the latest life shock (see SHOCK_NAMES)"),
    ("shock_age", "i1", "months since the latest shock (held at 0 while it lasts)"),
    ("income", "f4", "this month's income"),
    ("expense", "f4", "this month's one-off shock expense (medical cost, family event)"),
    ("savings", "f4", "savings buffer"),
    ("impulse_ratio", "f4", "recent share of BNPL purchases that were impulse (moving average)"),
    # the account (platform side)
    ("status", "i1", "account status (see STATUS_NAMES)"),
    ("app_score", "f4", "application score"),
    ("open_month", "i2", "month the account was opened (-32768: never)"),
    ("default_month", "i2", "month of default (-32768: never)"),
    ("closed_month", "i2", "month the account was charged off (-32768: never)"),
    ("default_balance", "f4", "balance at default"),
    ("line", "f4", "credit line"),
    ("bill", "f4", "interest-free bill due at this month's repayment"),
    ("bill_next", "f4", "this month's interest-free purchases, due next month"),
    ("inst_balance", "f4", "instalment plans' principal and fees not yet billed (the pool)"),
    ("inst_months", "i1", "months over which the pool is still being repaid"),
    ("inst_new", "f4", "this month's new instalment plan (principal and fee), first due next month"),
    ("inst_new_term", "i1", "term of this month's new plan, months"),
    ("arrears", "f4", "billed amounts past due, with late fees; whole balance after default"),
    ("months_late", "i1", "missed payment cycles: 0 current, 1: 1-30 dpd, 2: 31-60, 3: 61-90, 4+: 90+"),
    ("late_prev", "i1", "months_late at the start of this month's repayment"),
    ("ontime_streak", "i2", "consecutive months paid in full"),
    ("late_count", "i2", "months ever ended past due"),
    ("cause", "i1", "primary cause code of the latest delinquency (1..5 = C1..C5)"),
    ("cause_set", "i1", "causes of the latest delinquency, bit k-1 for Ck (simulator.core.causes)"),
    ("downturn_loss", "f4", "savings the downturn has cost so far, up to the buffer target (cause C5)"),
    ("overgrant_cost", "f4", "savings paid on debt above the affordable line so far, up to the buffer target (C2)"),
    ("partner", "?", "loan co-funded by the bank partner (policy joint_lending)"),
    ("weak_review", "?",
     "thin-file account that the review of an established file would have rejected (cause C3; set at approval)"),
    ("restructured", "i1", "times the account was restructured under hardship (policy hardship)"),
    ("reage_month", "i2", "month of the latest re-age (restructuring made current; -32768: never)"),
    ("reage_prev_month", "i2", "month of the re-age before that (-32768: never)"),
    ("holiday_left", "i1", "months of payment holiday left (policy hardship)"),
    ("forborne", "i1", "months the account's ageing was suspended (policy forbearance)"),
    ("idle_months", "i2", "months in a row without a purchase (inactive account; set at the line review)"),
    ("closing", "?", "the account is being closed: line 0, it runs off and the person leaves once paid up"),
    # this month's flows (for metrics and the stock-flow identity)
    ("purchases_m", "f4", "purchases this month"),
    ("constrained_m", "f4", "purchases wanted this month beyond the available line (blocked by the line)"),
    ("impulse_m", "f4", "impulse part of this month's purchases"),
    ("paid_m", "f4", "repayments this month"),
    ("fees_m", "f4", "instalment and late fees charged this month"),
    ("late_fee_m", "f4", "late fees charged this month (part of fees_m)"),
    ("chargeoff_m", "f4", "balance charged off this month (gross)"),
)

NEVER = np.int16(-32768)

#: The arrays as one named tuple: what the compiled rule kernels receive.
PopArrays = namedtuple("PopArrays", [name for name, _, _ in FIELDS])

# Life-shock codes (last_shock).
SHOCK_NONE, JOB_LOSS, JOB_LOSS_SYSTEMIC, ILLNESS, FAMILY, SLUMP, SLUMP_SYSTEMIC = range(7)
#: The five causes of repayment failure; a delinquency's primary cause code is 1..5 (assigned by
#: :func:`~simulator.core.borrower_rules.primary_cause`).
CAUSE_CODES = ("C1", "C2", "C3", "C4", "C5")
CAUSE_LABELS = {
    "C1": "C1 Personal financial trouble",
    "C2": "C2 Over-granting",
    "C3": "C3 Weak review of new users",
    "C4": "C4 Impulse spending",
    "C5": "C5 Systemic downturn",
}

SHOCK_NAMES = ("none", "job_loss", "job_loss_systemic", "illness", "family_event",
               "freelance_slump", "freelance_slump_systemic")


@dataclass(eq=False)
class Population:
    """The borrower arrays. Attribute names and dtypes are those of :data:`FIELDS`."""

    n: int

    @classmethod
    def empty(cls, n: int) -> Population:
        """Zeroed arrays for ``n`` borrowers, with neutral traits (discipline and shock proneness 1)."""
        pop = cls(n)
        for name, dtype, _ in FIELDS:
            setattr(pop, name, np.zeros(n, dtype=dtype))
        pop.open_month[:] = NEVER
        pop.default_month[:] = NEVER
        pop.closed_month[:] = NEVER
        pop.discipline[:] = 1.0
        pop.shock_proneness[:] = 1.0
        pop.reage_month[:] = NEVER
        pop.reage_prev_month[:] = NEVER
        return pop

    def arrays(self) -> PopArrays:
        """The arrays (not copies) as a :data:`PopArrays` named tuple, for the rule kernels."""
        return PopArrays(*(getattr(self, name) for name, _, _ in FIELDS))

    def take(self, idx: np.ndarray) -> Population:
        """A copy of borrowers ``idx`` (indices in that order, or a boolean mask) as a population of
        their own.
        """
        idx = np.asarray(idx)
        if idx.dtype == np.bool_:
            if idx.shape != (self.n,):  # as numpy's boolean indexing
                raise IndexError(f"Population.take: a mask of {idx.shape} for {self.n} borrowers")
            idx = np.flatnonzero(idx)
        elif idx.size and not np.issubdtype(idx.dtype, np.integer):
            raise IndexError(f"Population.take: indices must be integers or booleans, not {idx.dtype}")
        return self.exchange(idx, None, None)

    def exchange(self, rows: np.ndarray, new: Population | None, keep: np.ndarray | None) -> Population:
        """Copy the records of ``rows[keep]`` (all of ``rows`` when ``keep`` is None) into a
        population of their own, then give row ``rows[k]`` the record ``k`` of ``new`` (when not
        None): the records of people leaving their slots and the newcomers taking them, in one
        compiled call per dtype group of fields (:func:`_exchange_rows`: the kept rows are read,
        then the rows written).

        ``rows`` are int64 row indices; ``keep`` booleans, one per row; ``new`` has ``len(rows)``
        borrowers. Equal to numpy's ``a[rows[keep]]`` and ``a[rows] = new_a`` per field (distinct
        rows; ``tests/test_pool_kernels.py``).
        """
        rows = np.ascontiguousarray(rows, dtype=np.int64)
        # the kernel does not check bounds: check here what numpy's indexing would
        if rows.size and (rows.min() < -self.n or rows.max() >= self.n):
            raise IndexError(f"Population.exchange: row out of bounds for {self.n} borrowers")
        if (new is not None and new.n != rows.size) or (keep is not None and len(keep) != rows.size):
            raise ValueError("Population.exchange: new and keep must have one entry per row")
        if keep is not None and np.asarray(keep).dtype != np.bool_:
            raise ValueError("Population.exchange: keep must be booleans")
        kept = rows if keep is None else rows[keep]
        n_sub = kept.size
        sub = Population(n_sub)
        for names, dtype in _DTYPE_GROUPS:
            mine = tuple(getattr(self, name) for name in names)
            subs = tuple(np.empty(n_sub, dtype=dtype) for _ in names)
            for name, a in zip(names, subs, strict=True):
                setattr(sub, name, a)
            _exchange_rows(mine, mine if new is None else tuple(getattr(new, name) for name in names), subs,
                           rows, kept, new is not None)
        return sub

    def nbytes(self) -> int:
        """Bytes held by the arrays."""
        return sum(getattr(self, name).nbytes for name, _, _ in FIELDS)

    def balance(self, sl: slice = slice(None)) -> np.ndarray:
        """Receivable per borrower: bills, unbilled instalments and arrears (float32).

        The formula of :func:`~simulator.core.accounts.owed`, run by numpy on the arrays.
        """
        return owed.py_func(self.bill[sl], self.bill_next[sl], self.inst_balance[sl], self.inst_new[sl],
                            self.arrears[sl])


#: The fields grouped by dtype (names, dtype): the compiled record copying takes each group as one
#: homogeneous tuple of arrays.
_DTYPE_GROUPS: tuple[tuple[tuple[str, ...], np.dtype], ...] = tuple(
    (tuple(name for name, dt, _ in FIELDS if np.dtype(dt) == dtype), dtype)
    for dtype in dict.fromkeys(np.dtype(dt) for _, dt, _ in FIELDS))


@kernel
def _exchange_rows(arrays, new, sub, rows, kept, replace):  # pragma: no cover - compiled
    """For each array ``a`` of the tuple ``arrays``: ``sub[a]`` gets ``arrays[a][kept]``, then
    (``replace``) ``arrays[a][rows[k]] = new[a][k]``: the old values are read before the rows are
    overwritten (``kept`` are rows of ``rows``), field by field, so the second loop finds the rows
    of the first in the cache.
    """
    for f in range(len(arrays)):
        a, b, s = arrays[f], new[f], sub[f]
        for k in range(kept.size):
            s[k] = a[kept[k]]
        if replace:
            for k in range(rows.size):
                a[rows[k]] = b[k]
