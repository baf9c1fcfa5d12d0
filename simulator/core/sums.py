"""Whole-book sums in one compiled pass, equal to the bit to what numpy's ``sum`` gives.

Some model-level figures were numpy expressions over the whole pool, e.g. the lender's 30+ share
``bal[live & (months_late >= 2)].sum() / bal[live].sum()`` with ``bal`` the float32 receivable
cast to float64. Each such expression makes several pool-sized temporaries (at 10M borrowers the
float64 copy alone is 80 MB, about 8 bytes per borrower of peak memory) and several passes.
:func:`book_sum` computes the same sums without temporaries, in the same order of addition as
numpy, so the numbers do not change.

numpy's order. ``np.add.reduce`` of a contiguous float64 array of ``n`` elements adds, to the
identity 0, the *pairwise sum* of the elements (numpy's ``pairwise_sum``): fewer than 8 elements
are added one by one; up to 128 go into 8 running sums (element ``j`` into sum ``j % 8``) combined
as ``((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))``, the remainder added one by one; above
128 the array is split at ``n2 = n // 2`` rounded down to a multiple of 8 and the two halves'
sums added. This module follows that recursion over the *selected* elements in pool order (the
elements a boolean index would have gathered): one pass counts them, the leaves' sizes follow from
the count alone (:func:`_leaf_sizes`), a second pass sums each leaf in a buffer of 128
(:func:`_leaf_sums`), and the leaf sums are combined as numpy combines them (:func:`_combine`).
Both passes can run block by block in the model's worker threads (each block's count tells where
its leaves start), with the same result.
``tests/test_sums.py`` checks the equality with numpy on random books and on a run's book.

What is summed (``kind``), each value cast to float64:

- :data:`CHARGE_OFFS`: ``chargeoff_m`` of every borrower;
- :data:`PARTNER_CHARGE_OFFS`: ``chargeoff_m`` of partner-funded accounts;
- :data:`LIVE_RECEIVABLES`: the float32 receivable (:func:`~simulator.core.accounts.owed`) of
  live accounts (active or defaulted, not charged off);
- :data:`LIVE_RECEIVABLES_31`: the same for live accounts two or more cycles past due.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulator.core.accounts import owed
from simulator.core.jit import KERNEL_OPTIONS, kernel
from simulator.core.state import ACTIVE, DEFAULTED

__all__ = ["CHARGE_OFFS", "PARTNER_CHARGE_OFFS", "LIVE_RECEIVABLES", "LIVE_RECEIVABLES_31", "book_sum"]

CHARGE_OFFS, PARTNER_CHARGE_OFFS, LIVE_RECEIVABLES, LIVE_RECEIVABLES_31 = 0, 1, 2, 3

_LEAF = 128  # numpy's PW_BLOCKSIZE

#: Options of the small per-borrower helpers: inlined into the loops (a call would pass the ~50
#: arrays of ``P`` one by one).
_inline = njit(**{**KERNEL_OPTIONS, "inline": "always"})


@_inline
def _selected(P, kind, i):  # noqa: N803
    """Whether borrower ``i`` is in the sum ``kind``."""
    if kind == CHARGE_OFFS:
        return True
    if kind == PARTNER_CHARGE_OFFS:
        return bool(P.partner[i])
    st = P.status[i]
    if st != ACTIVE and st != DEFAULTED:
        return False
    return kind == LIVE_RECEIVABLES or P.months_late[i] >= 2


@_inline
def _value(P, kind, i):  # noqa: N803
    """Borrower ``i``'s term of the sum ``kind``, in float64."""
    if kind == CHARGE_OFFS or kind == PARTNER_CHARGE_OFFS:
        return np.float64(P.chargeoff_m[i])
    # the float32 receivable, as Population.balance computes it, then cast
    return np.float64(owed(P.bill[i], P.bill_next[i], P.inst_balance[i], P.inst_new[i], P.arrears[i]))


@kernel
def _count(P, kind, s, e):  # noqa: N803
    """How many of borrowers ``s..e-1`` are in the sum ``kind``."""
    n = 0
    for i in range(s, e):
        if _selected(P, kind, i):
            n += 1
    return n


@kernel
def _leaf_sizes(n, sizes, k):
    """The sizes of the leaves of numpy's pairwise sum of ``n`` values, in order, written to
    ``sizes`` from index ``k``; returns the index after the last.
    """
    if n <= _LEAF:
        sizes[k] = n
        return k + 1
    n2 = n // 2
    n2 -= n2 % 8
    return _leaf_sizes(n - n2, sizes, _leaf_sizes(n2, sizes, k))


@kernel
def _leaf_sum(buf, n):
    """Numpy's sum of one leaf (``n`` <= 128 values)."""
    if n < 8:
        res = 0.0
        for k in range(n):
            res += buf[k]
        return res
    r0, r1, r2, r3, r4, r5, r6, r7 = buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6], buf[7]
    k = 8
    m = n - n % 8
    while k < m:
        r0 += buf[k]
        r1 += buf[k + 1]
        r2 += buf[k + 2]
        r3 += buf[k + 3]
        r4 += buf[k + 4]
        r5 += buf[k + 5]
        r6 += buf[k + 6]
        r7 += buf[k + 7]
        k += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while k < n:
        res += buf[k]
        k += 1
    return res


@kernel
def _leaf_sums(P, kind, s, lo, hi, sizes, starts, buf, leaf):  # noqa: N803
    """The sums of the leaves that start in one block: ``leaf[j]`` = the sum of the ``sizes[j]``
    selected values from the ``starts[j]``-th on, for every leaf with ``lo <= starts[j] < hi``
    (``lo``, ``hi``: the selected values of the block that starts at borrower ``s``). A leaf's
    values may run on into the next blocks.
    """
    n_leaves = len(sizes)
    j = np.searchsorted(starts, lo)
    if j >= n_leaves or starts[j] >= hi:
        return
    i = s
    skip = starts[j] - lo  # selected values of this block that belong to the leaf before
    while skip > 0:
        skip -= np.int64(_selected(P, kind, i))
        i += 1
    while j < n_leaves and starts[j] < hi:
        size = sizes[j]
        k = 0
        while k < size:  # branch-free: an unselected value is overwritten by the next one
            buf[k] = _value(P, kind, i)
            k += np.int64(_selected(P, kind, i))
            i += 1
        leaf[j] = _leaf_sum(buf, size)
        j += 1


@kernel
def _combine(n, leaf, pos):
    """Numpy's pairwise combination of the leaf sums ``leaf`` (next one at ``pos[0]``) of ``n`` values."""
    if n <= _LEAF:
        v = leaf[pos[0]]
        pos[0] += 1
        return v
    n2 = n // 2
    n2 -= n2 % 8
    left = _combine(n2, leaf, pos)
    return left + _combine(n - n2, leaf, pos)


def book_sum(arrays, kind: int, blocks: list[slice] | None = None, map_blocks=map) -> float:
    """The sum ``kind`` over the whole pool (``arrays``: :data:`~simulator.core.state.PopArrays`),
    equal to numpy's ``x[selected].astype(float64).sum()``; no pool-sized temporary.

    ``blocks`` (contiguous slices covering the pool in order; default one) are counted and summed
    by ``map_blocks`` (the model's thread pool may run them at once); the result does not depend
    on the blocks: the leaves and the order of addition are those of the whole pool.
    """
    if blocks is None:
        blocks = [slice(0, len(arrays.status))]
    counts = np.fromiter(map_blocks(lambda sl: _count(arrays, kind, sl.start, sl.stop), blocks),
                         dtype=np.int64, count=len(blocks))
    n = int(counts.sum())
    if n == 0:
        return 0.0
    sizes = np.empty(n // (_LEAF // 2) + 2, dtype=np.int64)  # leaves hold 64..128 values, or n < 64
    sizes = sizes[:_leaf_sizes(n, sizes, 0)]
    starts = np.cumsum(sizes) - sizes  # each leaf's first value, counted among the selected
    first = np.cumsum(counts) - counts  # each block's first selected value, likewise
    leaf = np.empty(len(sizes))

    def part(b: int) -> None:
        _leaf_sums(arrays, kind, blocks[b].start, first[b], first[b] + counts[b], sizes, starts,
                   np.empty(_LEAF), leaf)

    for _ in map_blocks(part, range(len(blocks))):
        pass
    return float(0.0 + _combine(n, leaf, np.zeros(1, dtype=np.int64)))
