"""Named random streams: one generator per (replicate, stream, month, block of borrowers).

Each draw comes from ``SeedSequence(seed, spawn_key=(replicate, stream, month, block))``. So:

- switching a policy on, or adding a stage that draws from another stream, does not reshuffle
  anyone's draws (common random numbers across scenarios and counterfactuals);
- adding borrowers does not change the draws of the others (a block's draws are laid out at full
  ``block_size``; where the pool ends inside a block, the rest is skipped, :func:`uniforms`'
  ``used``), and the draws do not depend on the run mode;
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

__all__ = ["STREAMS", "Streams", "philox4x64", "slot_gamma", "slot_normals", "slot_uniforms", "uniforms"]

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
def _raw_to_unit(raw, out):  # pragma: no cover - compiled
    scale = np.float32(1.0 / 16777216.0)
    for j in range(raw.size):
        x = raw[j]
        out[2 * j] = np.float32(np.int64(x >> np.uint64(40))) * scale
        out[2 * j + 1] = np.float32(np.int64((x >> np.uint64(8)) & np.uint64(0xFFFFFF))) * scale


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
