"""The synthetic population of potential borrowers: the initial pool and the open pool's newcomers.

One home for the formulas (:func:`generate_population`); the draws come from a source:

- :class:`BlockDraws` (the initial pool): numpy streams per block at full block size, sliced, so
  borrower ``i`` is the same person whatever ``n`` is;
- :class:`SlotDraws` (newcomers, :func:`~simulator.core.pool.turn_over`): the counter-based
  generator of :mod:`simulator.core.rng`, for the emptied rows only; slot ``i`` of block ``b`` at
  month ``t`` gets the same newcomer whichever other slots emptied and whatever ``n`` is.
"""

from __future__ import annotations

import numpy as np

from simulator.config import PopulationConfig
from simulator.core.rng import Streams, slot_gamma, slot_normals, slot_uniforms
from simulator.core.state import Population

__all__ = ["BlockDraws", "SlotDraws", "generate_population"]

#: Draws per person: uniforms, normals (``population`` stream), normals (``traits`` stream).
N_UNIFORM, N_NORMAL, N_TRAIT = 8, 4, 4


class BlockDraws:
    """Draws of whole blocks from numpy streams (``population``/``traits`` at month 0), sliced."""

    def __init__(self, streams: Streams):
        self.streams = streams
        self.block_size = streams.block_size

    def draws(self, b: int, take, shape: float, scale: float):
        """Block ``b``'s draws, rows ``take`` (a slice or row indices): uniforms
        ``(N_UNIFORM, m)``, normals ``(N_NORMAL, m)``, gamma ``(m,)``, trait normals ``(N_TRAIT, m)``.
        """
        bs = self.block_size
        g = self.streams.generator("population", 0, b)
        u = g.random((N_UNIFORM, bs))[:, take]
        z = g.standard_normal((N_NORMAL, bs))[:, take]
        imp = g.gamma(shape, scale, bs)[take]
        t = self.streams.generator("traits", 0, b).standard_normal((N_TRAIT, bs))[:, take]
        return u, z, imp, t


class SlotDraws:
    """Counter-based draws of the given rows only (Philox4x64-10, :mod:`simulator.core.rng`), keyed
    by (``stream``/``traits``, ``month``, ``block``) of the run's :class:`Streams`.

    Each field has its own draw index (uniforms 0–7, normals 8–11, the gamma 12 in ``stream``;
    normals 0–3 in ``traits``), so a field added later does not change the others.
    """

    def __init__(self, streams: Streams, month: int, block: int, stream: str = "arrivals",
                 traits: str = "arrival_traits"):
        self.block_size = streams.block_size
        self._key = streams.counter_key(stream, month, block)
        self._trait_key = streams.counter_key(traits, month, block)

    def draws(self, b: int, take, shape: float, scale: float):
        """The draws of rows ``take`` (row indices in the block; ``b`` is the source's block)."""
        rows = np.asarray(take, dtype=np.int64)
        k0, k1 = self._key
        u = np.empty((N_UNIFORM, rows.size))
        z = np.empty((N_NORMAL, rows.size))
        imp = np.empty(rows.size)
        t = np.empty((N_TRAIT, rows.size))
        slot_uniforms(k0, k1, rows, 0, u)
        slot_normals(k0, k1, rows, N_UNIFORM, z)
        slot_gamma(k0, k1, rows, N_UNIFORM + N_NORMAL, float(shape), float(scale), imp)
        slot_normals(self._trait_key[0], self._trait_key[1], rows, 0, t)
        return u, z, imp, t


def generate_population(cfg: PopulationConfig, n: int, streams: Streams | BlockDraws | SlotDraws, burn_in: int,
                        unemployment_rate: float, rows: np.ndarray | None = None,
                        impulse_cuts: tuple[float, float] | None = None) -> Population:
    """Draw the synthetic pool of potential borrowers.

    Draws come from ``streams``: the replicate's :class:`Streams` (then :class:`BlockDraws`: the
    ``population`` and ``traits`` streams block by block at full block size, so borrower ``i`` is
    the same person whatever ``n`` is), or a draw source (:class:`SlotDraws` for newcomers).

    Args:
        cfg: population config.
        n: number of borrowers.
        streams: the replicate's random streams, or a draw source.
        burn_in: months simulated before month 0; ``initial_applicant_share`` of the pool applies
            in months ``-burn_in .. -1``, evenly spread.
        unemployment_rate: unemployment at the start (share out of work at month ``-burn_in``).
        rows: only these rows of the first block (the open pool's newcomers,
            :func:`~simulator.core.pool.turn_over`): each row gets the numbers it would get in the
            whole block, and only the people of ``rows`` are computed (``n`` must be ``len(rows)``;
            :class:`BlockDraws` still draws the whole block, :class:`SlotDraws` only these rows).
        impulse_cuts: place borrowers in impulse terciles by these cuts (default: the pool's own
            tercile cuts).

    Returns:
        The population with static attributes drawn and monthly state initialised.
    """
    pop = Population.empty(n)
    source = streams if isinstance(streams, (BlockDraws, SlotDraws)) else BlockDraws(streams)
    bs = source.block_size
    sig_i = cfg.income_dispersion
    if rows is not None and (len(rows) != n or (n and rows.max() >= bs)):
        raise ValueError("generate_population: rows must be n rows of the first block")
    for b, start in enumerate(range(0, n, bs) if rows is None else range(0, min(n, 1))):
        stop = min(start + bs, n) if rows is None else n
        m = stop - start
        take = slice(0, m) if rows is None else rows  # the rows of the block's draws used
        u, z, imp, t = source.draws(b, take, cfg.impulse_shape, cfg.impulse_mean / cfg.impulse_shape)
        sl = slice(start, stop)
        pop.income_type[sl] = u[0] < cfg.freelance_share
        base = cfg.income_median * np.exp(sig_i * z[0])
        pop.base_income[sl] = base
        pop.impulse[sl] = imp
        pop.thin_file[sl] = u[1] < cfg.thin_file_share
        # other debt: exponential service ratio with the configured mean, capped at 60% of income
        ratio = np.minimum(-cfg.other_debt_ratio * np.log1p(-u[3]), 0.6)
        pop.other_debt[sl] = np.where(u[2] < cfg.other_debt_share, ratio * base, 0.0)
        buf = cfg.buffer_median_months * np.exp(cfg.buffer_dispersion * z[1])
        pop.buffer_months[sl] = buf
        pop.savings[sl] = buf * base * (0.5 + 0.5 * u[4])
        # arrival: a share applies during the burn-in, spread evenly over its months (u[5] / share
        # is uniform on 0..1 for them), so the book at month 0 has a mix of account ages; the rest
        # at a monthly hazard
        wait = np.floor(np.log1p(-u[6]) / np.log1p(-cfg.arrival_rate)) if cfg.arrival_rate > 0 \
            else np.full(m, 30000.0)
        share = cfg.initial_applicant_share
        initial = -burn_in + np.floor(u[5] / max(share, 1e-12) * burn_in)
        arrival = np.where(u[5] < share, initial, -burn_in + 1 + wait)
        pop.arrival_month[sl] = np.clip(arrival, -32000, 32000).astype(np.int16)
        pop.score_noise[sl] = z[2]
        pop.unemployed[sl] = u[7] < unemployment_rate
        pop.income_est_noise[sl] = z[3]
        # persistent risk traits, from their own stream (the draws above do not move): a latent
        # lack of payment discipline z_d and shock proneness z_p, independent. The bureau file
        # records repayment history, which reflects z_d and financial fragility (a thin savings
        # buffer, -z[1]), weighted by bureau_buffer_weight (noisier for a thin file); external data
        # (R1: income type and volatility, spending behaviour, digital footprint) records z_p: two
        # different parts of a borrower's risk (Berg, Burg, Gombovic & Puri 2020, Review of
        # Financial Studies)
        pop.discipline[sl] = np.exp(-cfg.discipline_dispersion * np.maximum(t[0], 0.0))
        sp = cfg.shock_proneness_dispersion
        pop.shock_proneness[sl] = np.exp(sp * t[1] - 0.5 * sp * sp)
        noise = np.where(pop.thin_file[sl], cfg.bureau_signal_noise_thin, cfg.bureau_signal_noise)
        wb = cfg.bureau_buffer_weight
        record = (t[0] - wb * z[1]) / np.sqrt(1.0 + wb * wb)
        # the record's noise is the applicant's score_noise draw (z[2]), so that the record an
        # established file would have shown is known (cause C3: lender.established_review_score)
        pop.bureau_signal[sl] = record + noise * z[2]
        pop.external_signal[sl] = t[1] + cfg.external_signal_noise * t[3]
    if n:
        lo, hi = np.quantile(pop.impulse, [1 / 3, 2 / 3]) if impulse_cuts is None else impulse_cuts
        pop.impulse_tercile[:] = (pop.impulse > lo).astype(np.int8) + (pop.impulse > hi)
    pop.income[:] = pop.base_income
    return pop
