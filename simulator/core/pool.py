"""The open pool: people leave, newcomers take their place, rejected applicants re-apply.

The borrower arrays have a fixed size (``run.n_borrowers``): they are *slots*, each held by one
person at a time. Once a month, at the ``pool`` stage (before any account stage), :func:`turn_over`

- lets people leave: a person who has not applied yet leaves at ``exit_hazard`` (moving away,
  losing interest); a current account is closed by its holder at ``attrition_hazard``, or by
  the lender when paid up and without a purchase for ``inactive_close_months``: its line goes to
  0, it runs off, and the holder leaves once it is paid up (nothing owed, current); a
  charged-off borrower leaves once collections are over (``recovery_months`` after the
  charge-off); a rejected applicant who does not re-apply leaves;
- lets rejected applicants re-apply: ``reapply_months`` after their application, a share
  ``reapply_share`` applies again this month (a new application: the platform's score and
  income-estimate errors are drawn anew);
- puts a newcomer in every slot left empty: a person drawn like the initial pool
  (:func:`~simulator.core.population.generate_population`, same formulas) from the streams
  ``arrivals`` and ``arrival_traits`` keyed by (month, block), who applies after a wait at the
  pool's ``arrival_rate``. The newcomers' draws are made for the emptied slots only, by the
  counter-based generator (:class:`~simulator.core.population.SlotDraws`): a slot's newcomer
  depends on the slot, month, block, seed and replicate, not on which other slots emptied.

So the pool size stays ``n_borrowers`` while the people in it change, and the flow of
applicants is steady. The exit and re-application draws come per (stream, month, block) as if
drawn at full block size (:class:`~simulator.core.rng.BlockUniforms`: the exit and re-application
rows for the block's rows, the re-applicants' errors and the newcomers' waits read only at the rows that use
them), the newcomers' per slot, so slot ``i`` holds the same sequence of people whatever ``n`` is
and in either run mode. The decisions are one compiled kernel per block (:func:`_decide`), and
the leavers' records are copied and the newcomers written in one compiled pass per field
(:meth:`~simulator.core.state.Population.exchange`). The records
of people who leave after having had an account are kept by the recorder
(:meth:`~simulator.core.recorder.MonthlyRecorder.retire`), so cumulative counts, vintages and
causes still count them.
"""

from __future__ import annotations

import numpy as np

from simulator.config import Config
from simulator.core.accounts import owed
from simulator.core.jit import kernel
from simulator.core.population import SlotDraws, generate_population
from simulator.core.rng import BlockUniforms, Streams
from simulator.core.state import ACTIVE, CHARGED_OFF, NEVER, NOT_ARRIVED, REJECTED, Population

__all__ = ["PAID_UP", "PoolTurnover", "arrival_wait", "turn_over"]

#: An account owing less than this (currency units) counts as paid up.
PAID_UP = 0.01


def arrival_wait(u: np.ndarray, rate: float) -> np.ndarray:
    """Months until a newcomer applies: geometric with monthly hazard ``rate`` (0 = this month),
    from uniforms ``u``.
    """
    if rate <= 0:
        return np.full(u.shape, 30000.0)
    if rate >= 1:
        return np.zeros(u.shape)
    return np.floor(np.log1p(-u) / np.log1p(-rate))


class PoolTurnover:
    """The month's exits, re-applications and arrivals (:func:`turn_over`), counted.

    Args:
        cfg: the run's config.
        impulse_cuts: the initial pool's impulse-propensity terciles (newcomers are placed in the
            terciles of the pool they join).
    """

    def __init__(self, cfg: Config, impulse_cuts: tuple[float, float]):
        self.cfg = cfg
        self.impulse_cuts = impulse_cuts


def turn_over(pool: PoolTurnover, pop: Population, streams: Streams, blocks: list[slice], month: int,
              unemployment_rate: float, retire, map_blocks=map) -> dict[str, int]:
    """Month ``month``'s turnover of the pool (see the module docstring), block by block.

    The blocks are independent (each has its own streams and slots), so ``map_blocks`` may run
    them in worker threads. ``retire(leavers, slots, closing, month)`` is then called in block
    order with the records (:class:`~simulator.core.state.Population`, copies taken before the
    slots were given to newcomers) of the people who left and ever held an account, their slots and
    ``closing`` (their account was still open).
    Returns counts of the month: ``exits``, ``closures`` (voluntary and inactivity), ``reapplied``.
    """
    parts = list(map_blocks(lambda b: _turn_over_block(pool, pop, streams, blocks[b], b, month,
                                                        unemployment_rate), range(len(blocks))))
    counts = {"exits": 0, "closures": 0, "reapplied": 0}
    for part_counts, leavers in parts:
        for k, v in part_counts.items():
            counts[k] += v
        if leavers is not None:
            retire(*leavers, month)
    return counts


def _turn_over_block(pool: PoolTurnover, pop: Population, streams: Streams, sl: slice, b: int, month: int,
                     unemployment_rate: float) -> tuple[dict[str, int], tuple | None]:
    """One block's turnover; returns its counts and ``(leavers, slots, closing)`` of the account
    holders who left (None: none did).
    """
    c, p = pool.cfg.population, pool.cfg.platform
    bs = streams.block_size
    m = sl.stop - sl.start
    # the block's uniforms of uniforms(generator, 5, bs): rows 0 (exit, attrition) and 1
    # (re-application) for the block's m rows, rows 2-3 (re-applicants' errors) and 4 (newcomers'
    # wait) only at the rows that use them
    draws = BlockUniforms(streams.generator("pool", month, b), 5, bs, 2, m)
    u = draws.head
    rows = np.empty(m, dtype=np.int64)  # the leavers' rows in the block, then (from the end) re-applicants'
    flags = np.empty(m, dtype=np.int8)  # per leaver: CLOSED (account closed now), HAD (ever held one)
    n_leave, n_close, n_reapply = _decide(
        pop.arrays(), sl.start, sl.stop, u, month, np.float32(c.attrition_hazard), np.float32(c.exit_hazard),
        np.float32(c.reapply_share), c.reapply_months, p.inactive_close_months, p.recovery_months,
        np.float32(PAID_UP), np.empty(m, dtype=np.uint8), rows, flags)
    counts = {"exits": n_leave, "closures": n_close, "reapplied": n_reapply}
    # re-application: applies this month (status and month set by _decide), with new draws of the
    # platform's errors (Box-Muller, in float32 like the uniforms)
    if n_reapply:
        r = rows[m - n_reapply:][::-1]
        u2, u3 = draws.at(2, r), draws.at(3, r)
        z = np.sqrt(-2.0 * np.log1p(-u2)) * np.cos(2.0 * np.pi * u3)
        zi = np.sqrt(-2.0 * np.log1p(-u2)) * np.sin(2.0 * np.pi * u3)
        g = sl.start + r
        pop.score_noise[g] = z
        pop.income_est_noise[g] = zi
    if not n_leave:
        return counts, None
    idx = rows[:n_leave]
    had = (flags[:n_leave] & _HAD) != 0
    # the newcomers of the emptied slots only, drawn per slot (common random numbers)
    new = generate_population(c, n_leave, SlotDraws(streams, month, b), 0, unemployment_rate,
                              rows=idx, impulse_cuts=pool.impulse_cuts)
    wait = arrival_wait(draws.at(4, idx), c.arrival_rate)
    new.arrival_month[:] = np.clip(month + wait, -32000, 32000).astype(np.int16)
    # the records of the account holders who leave, copied before their slots get the newcomers
    g = sl.start + idx
    kept = pop.exchange(g, new, had)
    if not kept.n:
        return counts, None
    return counts, (kept, g[had], (flags[:n_leave][had] & _CLOSED) != 0)


#: Flags of a leaver (:func:`_decide`): the account was still open and closes now; the person ever
#: held an account (their record is kept).
_CLOSED, _HAD = 1, 2


@kernel
def _decide(P, start, stop, u, month, attrition, exit_hazard, reapply_share, reapply_months,  # noqa: N803
            inactive_months, recovery_months, paid_up, code, rows, flags):  # pragma: no cover - compiled
    """The block's exits, closures and re-applications (rows ``start..stop-1``; see the module
    docstring), decided row by row from the uniforms ``u[0]`` (exit, attrition) and ``u[1]``
    (re-application) of the block. The thresholds are float32 and compared in float32, as numpy
    compares a float32 array with a Python float; the receivable is :func:`owed` in float32, as
    :meth:`Population.balance`. The same decisions as the numpy mask arithmetic this replaced
    (``tests/test_pool_kernels.py``), in two passes: the rules on every row without a branch (the
    statuses of neighbouring rows are unrelated, so a branch per test would often be mispredicted),
    the events as bits of ``code`` (scratch, one byte per row); then the few rows with an event.

    Writes the closures that start (``closing``, line 0) and the re-applicants' status and month;
    ``rows[:n_leave]`` gets the leavers' rows in the block (ascending) and ``flags`` their
    :data:`_CLOSED`/:data:`_HAD` bits, ``rows[-n_reapply:]`` the re-applicants' rows (descending).
    Returns ``(n_leave, n_close, n_reapply)``.
    """
    # views of the block (indexing from 0 lets numba drop the negative-index checks)
    status, late, idle, closing = P.status[start:stop], P.months_late[start:stop], P.idle_months[start:stop], \
        P.closing[start:stop]
    bill, bill_next, inst, inst_new, arrears = (P.bill[start:stop], P.bill_next[start:stop], P.inst_balance[start:stop],
                                                P.inst_new[start:stop], P.arrears[start:stop])
    arrival, closed = P.arrival_month[start:stop], P.closed_month[start:stop]
    u0, u1 = u[0], u[1]
    m = stop - start
    for j in range(m):
        # pass 1, every row: the rules as bitwise &, | of booleans, no branch; the row's events as
        # bits of code[j]
        st = status[j]
        current = (st == ACTIVE) & (late[j] == 0)
        paid = current & (owed(bill[j], bill_next[j], inst[j], inst_new[j], arrears[j]) < paid_up)
        inactive = (inactive_months > 0) & (idle[j] >= inactive_months)
        # a current account is closed by its holder (or, idle and paid up, by the lender): no new
        # purchases (line 0); it runs off and the holder leaves once it is paid up
        was = closing[j]
        start_closing = current & (not was) & ((u0[j] < attrition) | (inactive & paid))
        closing[j] = was | start_closing
        close = paid & (was | start_closing)
        waited = (st == REJECTED) & (month - arrival[j] >= reapply_months)
        reapply = waited & (u1[j] < reapply_share)
        leave = (close | ((st == NOT_ARRIVED) & (u0[j] < exit_hazard)) | (waited & (not reapply))
                 | ((st == CHARGED_OFF) & (month - closed[j] >= recovery_months)))
        code[j] = np.uint8(leave) | (np.uint8(close) << 1) | (np.uint8(reapply) << 2) | (np.uint8(start_closing) << 3)
    n_leave, n_close, n_reapply = 0, 0, 0
    for j in range(m):
        # pass 2: the rows with an event (a few per cent)
        e = code[j]
        if e == 0:
            continue
        if e & 8:
            P.line[start + j] = 0.0
        if e & 4:
            status[j] = NOT_ARRIVED
            arrival[j] = month
            n_reapply += 1
            rows[m - n_reapply] = j
        if e & 1:
            rows[n_leave] = j
            flags[n_leave] = (_CLOSED if e & 2 else 0) + (_HAD if P.open_month[start + j] != NEVER else 0)
            n_leave += 1
            n_close += (e >> 1) & 1
    return n_leave, n_close, n_reapply
