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
applicants is steady. The exit and re-application draws come per (stream, month, block) at full
block size, the newcomers' per slot, so slot ``i`` holds the same sequence of people whatever
``n`` is and in either run mode. The records
of people who leave after having had an account are kept by the recorder
(:meth:`~simulator.core.recorder.MonthlyRecorder.retire`), so cumulative counts, vintages and
causes still count them.
"""

from __future__ import annotations

import numpy as np

from simulator.config import Config
from simulator.core.population import SlotDraws, generate_population
from simulator.core.rng import Streams, uniforms
from simulator.core.state import ACTIVE, CHARGED_OFF, FIELDS, NEVER, NOT_ARRIVED, REJECTED, Population

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
    u = uniforms(streams.generator("pool", month, b), 5, bs)[:, :m]
    st = pop.status[sl]
    t = np.int32(month)
    current = (st == ACTIVE) & (pop.months_late[sl] == 0)
    paid_up = current & (pop.balance(sl) < PAID_UP)
    idle = pop.idle_months[sl].astype(np.int32)
    inactive = (p.inactive_close_months > 0) & (idle >= p.inactive_close_months)
    # a current account is closed by its holder (or, idle and paid up, by the lender): no new
    # purchases (line 0); it runs off and the holder leaves once it is paid up
    start = current & ~pop.closing[sl] & ((u[0] < c.attrition_hazard) | (inactive & paid_up))
    pop.closing[sl] |= start
    pop.line[sl.start + np.flatnonzero(start)] = 0.0
    close = paid_up & pop.closing[sl]
    waited = (st == REJECTED) & (t - pop.arrival_month[sl].astype(np.int32) >= c.reapply_months)
    reapply = waited & (u[1] < c.reapply_share)
    leave = (close | ((st == NOT_ARRIVED) & (u[0] < c.exit_hazard)) | (waited & ~reapply)
             | ((st == CHARGED_OFF) & (t - pop.closed_month[sl].astype(np.int32) >= p.recovery_months)))
    # re-application: applies this month, with new draws of the platform's errors
    r = np.flatnonzero(reapply)
    if r.size:
        z = np.sqrt(-2.0 * np.log1p(-u[2, r])) * np.cos(2.0 * np.pi * u[3, r])  # Box-Muller
        zi = np.sqrt(-2.0 * np.log1p(-u[2, r])) * np.sin(2.0 * np.pi * u[3, r])
        g = sl.start + r
        pop.status[g] = NOT_ARRIVED
        pop.arrival_month[g] = month
        pop.score_noise[g] = z
        pop.income_est_noise[g] = zi
    idx = np.flatnonzero(leave)
    counts = {"exits": int(idx.size), "closures": int(np.count_nonzero(close)), "reapplied": int(r.size)}
    if not idx.size:
        return counts, None
    g = sl.start + idx
    had = pop.open_month[g] != NEVER
    leavers = None
    if had.any():
        slots = g[had]
        leavers = (pop.take(slots), slots, close[idx][had])
    # the newcomers of the emptied slots only, drawn per slot (common random numbers)
    new = generate_population(c, len(idx), SlotDraws(streams, month, b), 0, unemployment_rate,
                              rows=idx, impulse_cuts=pool.impulse_cuts)
    wait = arrival_wait(u[4, idx], c.arrival_rate)
    new.arrival_month[:] = np.clip(month + wait, -32000, 32000).astype(np.int16)
    for name, _, _ in FIELDS:
        getattr(pop, name)[g] = getattr(new, name)
    return counts, leavers
