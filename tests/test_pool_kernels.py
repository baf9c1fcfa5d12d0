"""The pool stage's compiled kernels give the numbers of the numpy code they replaced.

- ``pool._decide`` (a block's exits, closures and re-applications) equals, array by array and
  bit for bit, the numpy mask arithmetic of the pool stage before the kernel (kept below as the
  specification) on random blocks (every status, balances at and around the paid-up threshold,
  uniforms at and around the hazards), and a hand-computed case;
- ``Population.exchange``/``take`` (the leavers' records and the newcomers, compiled) equal numpy's
  fancy indexing ``a[rows[keep]]`` and ``a[rows] = new_a``, field by field.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core import pool
from simulator.core.pool import PAID_UP
from simulator.core.state import (
    ACTIVE,
    CHARGED_OFF,
    DEFAULTED,
    FIELDS,
    NEVER,
    NOT_ARRIVED,
    REJECTED,
    Population,
)

# thresholds of the hand case and of the random blocks
ATTRITION, EXIT, REAPPLY_SHARE, REAPPLY_MONTHS, INACTIVE_MONTHS, RECOVERY_MONTHS = 0.01, 0.02, 0.5, 6, 12, 24


def _numpy_decide(pop, sl, u, month, c_attrition, c_exit, c_share, c_reapply_months, inactive_months,
                  recovery_months):
    """The pool stage's decisions as numpy mask arithmetic: the code the kernel replaced (main at
    79a6be4, ``core/pool.py`` ``_turn_over_block``), returning what the kernel returns."""
    u = u[:, :sl.stop - sl.start]
    st = pop.status[sl]
    t = np.int32(month)
    current = (st == ACTIVE) & (pop.months_late[sl] == 0)
    paid_up = current & (pop.balance(sl) < PAID_UP)
    idle = pop.idle_months[sl].astype(np.int32)
    inactive = (inactive_months > 0) & (idle >= inactive_months)
    start = current & ~pop.closing[sl] & ((u[0] < c_attrition) | (inactive & paid_up))
    pop.closing[sl] |= start
    pop.line[sl.start + np.flatnonzero(start)] = 0.0
    close = paid_up & pop.closing[sl]
    waited = (st == REJECTED) & (t - pop.arrival_month[sl].astype(np.int32) >= c_reapply_months)
    reapply = waited & (u[1] < c_share)
    leave = (close | ((st == NOT_ARRIVED) & (u[0] < c_exit)) | (waited & ~reapply)
             | ((st == CHARGED_OFF) & (t - pop.closed_month[sl].astype(np.int32) >= recovery_months)))
    r = np.flatnonzero(reapply)
    g = sl.start + r
    pop.status[g] = NOT_ARRIVED
    pop.arrival_month[g] = month
    idx = np.flatnonzero(leave)
    had = pop.open_month[sl.start + idx] != NEVER
    return idx, close[idx], had, r, int(np.count_nonzero(close))


def _compiled_decide(pop, sl, u, month, c_attrition, c_exit, c_share, c_reapply_months, inactive_months,
                     recovery_months):
    m = sl.stop - sl.start
    rows, flags = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int8)
    n_leave, n_close, n_reapply = pool._decide(
        pop.arrays(), sl.start, sl.stop, u, month, np.float32(c_attrition), np.float32(c_exit), np.float32(c_share),
        c_reapply_months, inactive_months, recovery_months, np.float32(PAID_UP), np.empty(m, dtype=np.uint8),
        rows, flags)
    idx, f = rows[:n_leave], flags[:n_leave]
    return (idx, (f & pool._CLOSED) != 0, (f & pool._HAD) != 0, np.sort(rows[m - n_reapply:]), n_close)


def _random_block(seed: int, n: int) -> tuple[Population, np.ndarray]:
    g = np.random.default_rng(seed)
    p = Population.empty(n)
    p.status[:] = g.choice([NOT_ARRIVED, REJECTED, ACTIVE, DEFAULTED, CHARGED_OFF], n, p=[0.2, 0.15, 0.45, 0.05, 0.15])
    p.months_late[:] = np.where(g.random(n) < 0.7, 0, g.integers(1, 6, n))
    # balances: zero, tiny, exactly float32(PAID_UP), just above it, ordinary
    tiny = np.array([0.0, 0.001, np.float32(PAID_UP), np.nextafter(np.float32(PAID_UP), np.float32(1)), 0.004])
    for name in ("bill", "bill_next", "inst_balance", "inst_new", "arrears"):
        kind = g.random(n)
        getattr(p, name)[:] = np.where(kind < 0.5, 0.0, np.where(kind < 0.8, g.choice(tiny, n), g.gamma(1.0, 200.0, n)))
    p.line[:] = g.choice([0.0, 500.0, 2000.0], n)
    p.closing[:] = g.random(n) < 0.2
    p.idle_months[:] = g.integers(0, 20, n)
    p.arrival_month[:] = g.integers(-40, 30, n)
    p.closed_month[:] = np.where(g.random(n) < 0.3, NEVER, g.integers(-60, 10, n))
    p.open_month[:] = np.where(g.random(n) < 0.4, NEVER, g.integers(-60, 10, n))
    u = g.random((5, n)).astype(np.float32)
    # uniforms exactly at the thresholds (float32) and next to them
    for row, x in ((0, ATTRITION), (0, EXIT), (1, REAPPLY_SHARE)):
        at = g.random(n) < 0.05
        u[row, at] = g.choice([np.float32(x), np.nextafter(np.float32(x), np.float32(0)),
                               np.nextafter(np.float32(x), np.float32(1))], at.sum())
    return p, u


def _copy(p: Population) -> Population:
    return p.take(np.arange(p.n))


@pytest.mark.parametrize("seed", range(6))
def test_compiled_decisions_equal_the_numpy_masks_on_random_blocks(seed):
    n = 3000
    p, u = _random_block(seed, n)
    # blocks: the whole array, and a block inside it (start > 0; the kernel indexes from the start)
    for sl, uu in ((slice(0, n), u), (slice(1000, 2500), u[:, :1500].copy())):
        for inactive_months in (INACTIVE_MONTHS, 0):
            a, b = _copy(p), _copy(p)
            args = (7, ATTRITION, EXIT, REAPPLY_SHARE, REAPPLY_MONTHS, inactive_months, RECOVERY_MONTHS)
            want = _numpy_decide(a, sl, uu, *args)
            got = _compiled_decide(b, sl, uu, *args)
            assert want[0].size > 50 and want[3].size > 10 and want[1].any() and want[2].any()  # cases exercised
            for w, x in zip(want, got, strict=True):
                assert np.array_equal(w, x)
            for name, _, _ in FIELDS:
                assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_compiled_decisions_hand_case():
    # rows: 0 prospect (u0 below the exit hazard: leaves), 1 prospect (u0 above: stays),
    # 2 current account owing 0.005 and closing: paid up, leaves, closure counted,
    # 3 current account owing 100, u0 below attrition: starts closing (line 0), stays,
    # 4 rejected 6 months ago, u1 below the share: re-applies, 5 rejected 6 months ago, u1 above:
    # leaves, 6 rejected 5 months ago: waits, 7 charged off 24 months ago: leaves,
    # 8 current, paid up, idle 12 months: the lender closes it and the holder leaves at once
    p = Population.empty(9)
    p.status[:] = (NOT_ARRIVED, NOT_ARRIVED, ACTIVE, ACTIVE, REJECTED, REJECTED, REJECTED, CHARGED_OFF, ACTIVE)
    p.bill[2], p.bill[3] = 0.005, 100.0
    p.closing[2] = True
    p.line[:] = 1000.0
    p.arrival_month[4:7] = (0, 0, 1)
    p.closed_month[7] = -18
    p.open_month[[2, 3, 7, 8]] = -30
    p.idle_months[8] = 12
    u = np.full((5, 9), 0.9, dtype=np.float32)
    u[0, [0, 3]] = 0.001
    u[1, 4] = 0.1
    idx, closed, had, reapplied, n_close = _compiled_decide(p, slice(0, 9), u, 6, ATTRITION, EXIT, REAPPLY_SHARE,
                                                            REAPPLY_MONTHS, INACTIVE_MONTHS, RECOVERY_MONTHS)
    assert idx.tolist() == [0, 2, 5, 7, 8]
    assert closed.tolist() == [False, True, False, False, True] and n_close == 2
    assert had.tolist() == [False, True, False, True, True]
    assert reapplied.tolist() == [4] and p.status[4] == NOT_ARRIVED and p.arrival_month[4] == 6
    assert p.closing.tolist() == [False, False, True, True, False, False, False, False, True]
    assert p.line.tolist() == [1000.0] * 3 + [0.0] + [1000.0] * 4 + [0.0]
    assert p.status[6] == REJECTED and p.status[5] == REJECTED  # leavers keep their record until replaced


def test_exchange_equals_numpy_fancy_indexing():
    g = np.random.default_rng(11)
    n, k = 5000, 400
    p = Population.empty(n)
    for name, _, _ in FIELDS:
        a = getattr(p, name)
        a[:] = g.integers(0, 2, n).astype(bool) if a.dtype == bool else g.integers(-100, 100, n).astype(a.dtype)
    new = Population.empty(k)
    for name, _, _ in FIELDS:
        getattr(new, name)[:] = g.integers(0, 2, k).astype(bool) if getattr(new, name).dtype == bool \
            else g.integers(100, 120, k)
    rows = np.sort(g.choice(n, k, replace=False))
    keep = g.random(k) < 0.4
    want = {name: getattr(p, name).copy() for name, _, _ in FIELDS}
    kept = p.exchange(rows, new, keep)
    assert kept.n == keep.sum()
    for name, _, _ in FIELDS:
        assert np.array_equal(getattr(kept, name), want[name][rows[keep]]), name
        assert getattr(kept, name).dtype == want[name].dtype
        want[name][rows] = getattr(new, name)
        assert np.array_equal(getattr(p, name), want[name]), name
    # take: a copy in the given order (repeats allowed), the population unchanged
    idx = np.array([7, 3, 3, 4999, 0])
    before = {name: getattr(p, name).copy() for name, _, _ in FIELDS}
    sub = p.take(idx)
    for name, _, _ in FIELDS:
        assert np.array_equal(getattr(sub, name), before[name][idx]), name
        assert np.array_equal(getattr(p, name), before[name]), name
    sub.bill[:] = 12345.5  # a copy, not a view
    assert np.array_equal(p.bill, before["bill"])
    mask = g.random(n) < 0.1  # a boolean mask, negative indices as numpy's
    assert np.array_equal(p.take(mask).line, before["line"][mask])
    assert np.array_equal(p.take(np.array([-1, -n])).status, before["status"][[-1, -n]])
    # what numpy would refuse, refused (the kernel does not check bounds)
    with pytest.raises(IndexError):
        p.take(np.array([0, n]))
    with pytest.raises(IndexError):
        p.exchange(np.array([-n - 1]), None, None)
    with pytest.raises(ValueError):
        p.exchange(rows[:-1], new, None)
    with pytest.raises(ValueError):
        p.exchange(rows, new, keep[:-1])
    # a mask of the wrong length, float indices, integer "keep": refused as numpy would
    with pytest.raises(IndexError):
        p.take(np.array([True, False]))
    with pytest.raises(IndexError):
        p.take(np.array([1.0]))
    with pytest.raises(ValueError):
        p.exchange(rows, new, keep.astype(np.int64))
