"""Named random streams: one generator per (replicate, stream, month, block of borrowers).

Each draw comes from ``SeedSequence(seed, spawn_key=(replicate, stream, month, block))``. So:

- switching a policy on, or adding a stage that draws from another stream, does not reshuffle
  anyone's draws (common random numbers across scenarios and counterfactuals);
- adding borrowers does not change the draws of the others (a block's draws are laid out at full
  ``block_size``; the monthly stage and pool draws of a block the pool ends inside skip the rest
  when the block size is even, :func:`uniforms`' ``used``), and the draws do not depend on the run mode;
- replicates are independent streams of the same seed.

Draws that are needed for a few rows of a block only (the open pool's newcomers,
:class:`~simulator.core.population.SlotDraws`) come from a counter-based generator instead:
Philox4x64-10 (J. K. Salmon, M. A. Moraes, R. O. Dror & D. E. Shaw, "Parallel random numbers: as
easy as 1, 2, 3", *Proceedings of SC11*, 2011; the same function as numpy's ``Philox`` bit
generator, checked against it in ``tests/test_rng_counter.py``). Its key is 2 × 64 bits of the same
``SeedSequence`` (:meth:`Streams.counter_key`, once per stream, month and block); its counter is
(slot in the block, draw index, attempt, 0). So each slot's draws do not depend on which other
slots draw, nor on the pool size, and each draw index (one per field) is its own sequence.

Never use the global ``np.random`` or ``random`` anywhere in the package.
"""

from __future__ import annotations

import numpy as np

from simulator.core.jit import kernel

__all__ = ["BlockUniforms", "STREAMS", "Streams", "philox4x64", "slot_gamma", "slot_normals", "slot_uniforms",
           "uniforms"]

#: Stream names and their fixed ids. Append new streams; never renumber.
STREAMS: dict[str, int] = {
    "population": 0,
    "shocks": 1,
    "income": 2,
    "spending": 3,
    "score": 4,
    "policy": 5,
    "economy": 6,
    "traits": 7,
    "arrivals": 8,  # newcomers to the open pool (core/pool.py), per (month, block)
    "arrival_traits": 9,  # their persistent risk traits
    "pool": 10,  # exits, closures and re-applications (core/pool.py)
}

#: The largest uint64: ``integers(0, _U64_MAX, endpoint=True)`` draws raw 64-bit outputs.
_U64_MAX = np.iinfo(np.uint64).max

#: Month keys must be non-negative; burn-in months are negative.
_MONTH_OFFSET = 100_000


class Streams:
    """Factory of the run's named generators.

    Args:
        seed: the run seed (``run.seed``).
        replicate: replicate index, 0-based.
        block_size: borrowers per block.
    """

    def __init__(self, seed: int, replicate: int, block_size: int) -> None:
        self.seed = int(seed)
        self.replicate = int(replicate)
        self.block_size = int(block_size)

    def _seed_sequence(self, stream: str, month: int, block: int) -> np.random.SeedSequence:
        key = (self.replicate, STREAMS[stream], int(month) + _MONTH_OFFSET, int(block))
        return np.random.SeedSequence(self.seed, spawn_key=key)

    def generator(self, stream: str, month: int, block: int) -> np.random.Generator:
        """The generator for one stream, month and block of borrowers."""
        return np.random.Generator(np.random.PCG64(self._seed_sequence(stream, month, block)))

    def counter_key(self, stream: str, month: int, block: int) -> tuple[np.uint64, np.uint64]:
        """The Philox key (2 × 64 bits) of one stream, month and block: the first two 64-bit words
        of the ``SeedSequence`` that :meth:`generator` seeds PCG64 with (same spawn key).
        """
        k = self._seed_sequence(stream, month, block).generate_state(2, np.uint64)
        return k[0], k[1]

    def model_generator(self) -> np.random.Generator:
        """A generator for ``mesa.Model(rng=...)`` (agent activation order and the like)."""
        return self.generator("policy", -_MONTH_OFFSET, 2**31)


@kernel
def _unit24(x, second):  # pragma: no cover - compiled
    """One of the two float32 uniforms of a 64-bit output ``x``: its top 24 bits, or (``second``)
    the next 24; the one home of this conversion.
    """
    if second:
        return np.float32(np.int64((x >> np.uint64(8)) & np.uint64(0xFFFFFF))) * np.float32(1.0 / 16777216.0)
    return np.float32(np.int64(x >> np.uint64(40))) * np.float32(1.0 / 16777216.0)


@kernel
def _raw_to_unit(raw, out):  # pragma: no cover - compiled
    for j in range(raw.size):
        out[2 * j] = _unit24(raw[j], False)
        out[2 * j + 1] = _unit24(raw[j], True)


def uniforms(g: np.random.Generator, rows: int, size: int, used: int | None = None) -> np.ndarray:
    """``rows × size`` float32 uniforms on [0, 1), 24-bit resolution, from ``g``'s bit generator.

    Two numbers come from each 64-bit output of the bit generator (its top 24 bits and the next
    24): about twice as fast here as ``g.random(dtype=float32)``, which spends 32 bits on each.
    The 64-bit outputs are taken by ``g.integers`` over the full uint64 range, which returns the
    bit generator's raw outputs (the same numbers as ``bit_generator.random_raw``, checked in
    ``tests/test_rng_counter.py``) in ~60% of its time.

    ``used`` (< ``size``): only the first ``used`` columns are wanted (a block's borrowers when the
    pool ends inside the block). The result is ``uniforms(g, rows, size)[:, :used]``, the same
    numbers, and ``g`` ends in the same state; for an even ``size`` the outputs of the unused
    columns are skipped (``bit_generator.advance``) instead of drawn, so a small pool does not pay
    for a full block of draws.
    """
    if used is not None and used < size and size % 2 == 0:
        half, k = size // 2, (used + 1) // 2  # 64-bit outputs per row, and per row's used part
        out = np.empty((rows, 2 * k), dtype=np.float32)
        for r in range(rows):
            _raw_to_unit(g.integers(0, _U64_MAX, size=k, dtype=np.uint64, endpoint=True), out[r])
            g.bit_generator.advance(half - k)
        return out[:, :used]
    n = rows * size
    out = np.empty(n + (n & 1), dtype=np.float32)
    raw = g.integers(0, _U64_MAX, size=len(out) // 2, dtype=np.uint64, endpoint=True)
    _raw_to_unit(raw, out)
    full = out[:n].reshape(rows, size)
    return full if used is None else full[:, :used]


class BlockUniforms:
    """The numbers of :func:`uniforms` ``(g, rows, size)``, the first ``dense`` rows drawn in full
    (or their first ``used`` columns, :func:`uniforms`) and the others only at the columns asked
    for (:meth:`at`).

    The first ``dense × size`` uniforms are drawn as by :func:`uniforms`; a later uniform is read
    from the bit generator's state after them, jumping ahead (:func:`_pcg64_floats_at`), so a
    few columns of a row cost a few jumps instead of the whole row. ``g`` must be numpy's ``PCG64``
    (XSL-RR 128/64: O'Neill 2014, "PCG: a family of simple fast space-efficient statistically good
    algorithms for random number generation", HMC-CS-2014-0905, whose jump-ahead this uses);
    ``dense × size`` must be even. Equal to the bit to :func:`uniforms` (``tests/test_rng_counter.py``).
    """

    def __init__(self, g: np.random.Generator, rows: int, size: int, dense: int, used: int | None = None):
        if not isinstance(g.bit_generator, np.random.PCG64) or (dense * size) % 2 or not 0 < dense <= rows \
                or rows * size >= 1 << (_PCG_LEVELS + 1):  # the jump table's reach
            raise ValueError("BlockUniforms: a PCG64 generator, 0 < dense <= rows, dense * size even, "
                             "rows * size < 2**41")
        self.rows, self.size, self._base = rows, size, dense * size
        self.head = uniforms(g, dense, size, used)  # (dense, used): the first ``used`` columns
        st = g.bit_generator.state["state"]
        m64 = (1 << 64) - 1
        self._state = (np.uint64(st["state"] >> 64), np.uint64(st["state"] & m64),
                       np.uint64(st["inc"] >> 64), np.uint64(st["inc"] & m64))

    def at(self, row: int, cols: np.ndarray) -> np.ndarray:
        """Row ``row``'s uniforms (float32) at the columns ``cols`` (ascending, in ``0..size-1``)."""
        cols = np.asarray(cols, dtype=np.int64)
        if not (self._base <= row * self.size and row < self.rows):
            raise ValueError("BlockUniforms.at: a row after the dense ones")
        if cols.size and (cols[0] < 0 or cols[-1] >= self.size or (cols.size > 1 and (np.diff(cols) < 0).any())):
            raise ValueError("BlockUniforms.at: columns must be ascending, in 0..size-1")
        pos = cols + (row * self.size - self._base)
        out = np.empty(pos.size, dtype=np.float32)
        _pcg64_floats_at(*self._state, pos, np.empty((_PCG_LEVELS, 2), dtype=np.uint64), out)
        return out


# --- PCG64 (XSL-RR 128/64) jump-ahead: 128-bit numbers as (high, low) uint64 pairs ---

_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645  # numpy's PCG_DEFAULT_MULTIPLIER_128
_PCG_LEVELS = 40  # jumps up to 2**40 - 1 outputs


def _pcg_mult_powers() -> np.ndarray:
    """``MULT ** (2 ** i)`` mod 2**128 for i < :data:`_PCG_LEVELS`, as (high, low) rows."""
    out, m = np.empty((_PCG_LEVELS, 2), dtype=np.uint64), _PCG_MULT
    for i in range(_PCG_LEVELS):
        out[i] = (m >> 64, m & ((1 << 64) - 1))
        m = m * m % (1 << 128)
    return out


_PCG_MULT_POW = _pcg_mult_powers()


@kernel
def _mul128(ah, al, bh, bl):  # pragma: no cover - compiled
    """(a × b) mod 2**128 of two (high, low) pairs."""
    return _mulhi64(al, bl) + al * bh + ah * bl, al * bl


@kernel
def _add128(ah, al, bh, bl):  # pragma: no cover - compiled
    """(a + b) mod 2**128 of two (high, low) pairs."""
    lo = al + bl
    return ah + bh + np.uint64(lo < al), lo


@kernel
def _pcg64_floats_at(sh, sl, ih, il, pos, plus, out):  # pragma: no cover - compiled
    """``out[k]``: the float32 uniform number ``pos[k]`` (ascending, 0 = the next) that
    :func:`uniforms` would take from a PCG64 of state ``(sh, sl)`` and increment ``(ih, il)``: the
    top 24 bits of output ``pos // 2`` for an even ``pos``, its next 24 bits for an odd one.

    Output ``q`` (0-based) is the XSL-RR function of the state after ``q + 1`` steps
    ``s ← MULT·s + inc``; ``2**i`` steps at once are ``s ← MULT**(2**i)·s + P_i`` with
    ``P_0 = inc``, ``P_{i+1} = (MULT**(2**i) + 1)·P_i`` (O'Neill 2014, jump-ahead); ``plus`` is
    scratch for the ``P_i`` (:data:`_PCG_LEVELS` × 2).
    """
    ph, pl = ih, il
    for i in range(_PCG_LEVELS):
        plus[i, 0], plus[i, 1] = ph, pl
        mh, ml = _add128(_PCG_MULT_POW[i, 0], _PCG_MULT_POW[i, 1], np.uint64(0), np.uint64(1))
        ph, pl = _mul128(mh, ml, ph, pl)
    q_now = -1  # the output the state (sh, sl) gave (-1: none yet)
    x = np.uint64(0)
    for k in range(pos.size):
        q = pos[k] >> 1
        d = q - q_now
        i = 0
        while d > 0:
            if d & 1:
                sh, sl = _mul128(_PCG_MULT_POW[i, 0], _PCG_MULT_POW[i, 1], sh, sl)
                sh, sl = _add128(sh, sl, plus[i, 0], plus[i, 1])
            d >>= 1
            i += 1
        if q != q_now:
            q_now = q
            v = sh ^ sl  # XSL-RR: xor the halves, rotate right by the top 6 bits
            rot = sh >> np.uint64(58)
            x = (v >> rot) | (v << ((np.uint64(64) - rot) & np.uint64(63)))
        out[k] = _unit24(x, pos[k] & 1 == 1)


# --- Philox4x64-10, counter-based (Salmon et al. 2011; constants of Random123 and numpy's Philox) ---

_M32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_PHILOX_M0 = np.uint64(0xD2E7470EE14C6C93)
_PHILOX_M1 = np.uint64(0xCA5A826395121157)
_PHILOX_W0 = np.uint64(0x9E3779B97F4A7C15)
_PHILOX_W1 = np.uint64(0xBB67AE8584CAA73B)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@kernel
def _mulhi64(a, b):  # pragma: no cover - compiled
    """High 64 bits of the 128-bit product of two uint64 (from 32-bit halves)."""
    a0, a1 = a & _M32, a >> _S32
    b0, b1 = b & _M32, b >> _S32
    p01, p10 = a0 * b1, a1 * b0
    mid = ((a0 * b0) >> _S32) + (p01 & _M32) + (p10 & _M32)
    return a1 * b1 + (p01 >> _S32) + (p10 >> _S32) + (mid >> _S32)


@kernel
def philox4x64(c0, c1, c2, c3, k0, k1):  # pragma: no cover - compiled
    """Philox4x64-10 of the counter ``(c0, c1, c2, c3)`` under the key ``(k0, k1)`` (all uint64):
    four uint64 outputs.
    """
    for r in range(10):
        if r > 0:
            k0 += _PHILOX_W0
            k1 += _PHILOX_W1
        hi0, lo0 = _mulhi64(_PHILOX_M0, c0), _PHILOX_M0 * c0
        hi1, lo1 = _mulhi64(_PHILOX_M1, c2), _PHILOX_M1 * c2
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


@kernel
def _unit(x):  # pragma: no cover - compiled
    """A uint64 to a uniform on [0, 1): its top 53 bits."""
    return np.float64(x >> np.uint64(11)) * _TO_UNIT


@kernel
def _box_muller(x0, x1):  # pragma: no cover - compiled
    """A standard normal from two uint64 (Box & Muller 1958: sqrt(−2 ln(1 − u1)) cos(2π u2))."""
    return np.sqrt(-2.0 * np.log1p(-_unit(x0))) * np.cos(2.0 * np.pi * _unit(x1))


@kernel
def slot_uniforms(k0, k1, slots, first, out):  # pragma: no cover - compiled
    """``out[r, j]``: the uniform on [0, 1) of slot ``slots[j]``, draw index ``first + r``."""
    for r in range(out.shape[0]):
        idx = np.uint64(first + r)
        for j in range(slots.size):
            x0, _, _, _ = philox4x64(np.uint64(slots[j]), idx, np.uint64(0), np.uint64(0), k0, k1)
            out[r, j] = _unit(x0)


@kernel
def slot_normals(k0, k1, slots, first, out):  # pragma: no cover - compiled
    """``out[r, j]``: the standard normal (Box–Muller) of slot ``slots[j]``, draw index ``first + r``."""
    for r in range(out.shape[0]):
        idx = np.uint64(first + r)
        for j in range(slots.size):
            x0, x1, _, _ = philox4x64(np.uint64(slots[j]), idx, np.uint64(0), np.uint64(0), k0, k1)
            out[r, j] = _box_muller(x0, x1)


@kernel
def slot_gamma(k0, k1, slots, index, shape, scale, out):  # pragma: no cover - compiled
    """``out[j]``: a gamma(``shape``, ``scale``) draw of slot ``slots[j]``, draw index ``index``.

    Marsaglia & Tsang (2000, "A simple method for generating gamma variables", *ACM Transactions
    on Mathematical Software* 26(3)): attempt ``a`` (the counter's third word) takes a normal from
    two words and the acceptance uniform from the third; for ``shape`` < 1 the draw of shape
    ``shape + 1`` is multiplied by ``U^(1/shape)``, ``U`` from the fourth word of attempt 0.
    """
    a = shape + 1.0 if shape < 1.0 else shape
    d = a - 1.0 / 3.0
    c = 1.0 / np.sqrt(9.0 * d)
    idx = np.uint64(index)
    for j in range(slots.size):
        s = np.uint64(slots[j])
        attempt = 0
        g = 0.0
        boost = 1.0
        while True:
            x0, x1, x2, x3 = philox4x64(s, idx, np.uint64(attempt), np.uint64(0), k0, k1)
            if attempt == 0 and shape < 1.0:
                boost = (1.0 - _unit(x3)) ** (1.0 / shape)  # U on (0, 1]
            z = _box_muller(x0, x1)
            v = 1.0 + c * z
            if v > 0.0:
                v = v * v * v
                if np.log(_unit(x2)) < 0.5 * z * z + d - d * v + d * np.log(v):
                    g = d * v
                    break
            attempt += 1
        out[j] = g * boost * scale
