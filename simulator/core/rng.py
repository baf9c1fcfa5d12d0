"""Named random streams: one generator per (replicate, stream, month, block of borrowers).

Each draw comes from ``SeedSequence(seed, spawn_key=(replicate, stream, month, block))``. So:

- switching a policy on, or adding a stage that draws from another stream, does not reshuffle
  anyone's draws (common random numbers across scenarios and counterfactuals);
- adding borrowers does not change the draws of the others (blocks are always drawn at full
  ``block_size`` and sliced), and the draws do not depend on the run mode;
- replicates are independent streams of the same seed.

Never use the global ``np.random`` or ``random`` anywhere in the package.
"""

from __future__ import annotations

import numpy as np

from simulator.core.jit import kernel

__all__ = ["STREAMS", "Streams", "uniforms"]

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

    def generator(self, stream: str, month: int, block: int) -> np.random.Generator:
        """The generator for one stream, month and block of borrowers."""
        key = (self.replicate, STREAMS[stream], int(month) + _MONTH_OFFSET, int(block))
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=key)))

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


def uniforms(g: np.random.Generator, rows: int, size: int) -> np.ndarray:
    """``rows × size`` float32 uniforms on [0, 1), 24-bit resolution, from ``g``'s bit generator.

    Two numbers come from each 64-bit output of the bit generator (its top 24 bits and the next
    24): about twice as fast here as ``g.random(dtype=float32)``, which spends 32 bits on each.
    """
    n = rows * size
    out = np.empty(n + (n & 1), dtype=np.float32)
    _raw_to_unit(g.bit_generator.random_raw(len(out) // 2), out)
    return out[:n].reshape(rows, size)
