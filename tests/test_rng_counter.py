"""The counter-based generator of the open pool's newcomers (``core/rng.py``, ``core/population.py``).

- Philox4x64-10 equals numpy's ``Philox`` bit generator (same function, Salmon et al. 2011) and
  Random123's known answer for the zero key and counter;
- its uniforms, Box–Muller normals and Marsaglia–Tsang gammas follow their distributions
  (Kolmogorov–Smirnov at fixed seeds: D below the 1% critical value 1.63/√n; moments);
- a slot's newcomer does not depend on which other slots emptied (common random numbers), each
  field is its own draw index, and different (replicate, stream, month, block) keys give
  uncorrelated draws.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.config import compose
from simulator.core.population import N_NORMAL, N_TRAIT, N_UNIFORM, SlotDraws, generate_population
from simulator.core.rng import BlockUniforms, Streams, philox4x64, slot_gamma, slot_normals, slot_uniforms, uniforms
from simulator.core.state import FIELDS

N = 200_000
KS_1PCT = 1.63 / np.sqrt(N)  # Kolmogorov–Smirnov critical value at the 1% level for n = N


def _u64(*xs):
    return tuple(np.uint64(x) for x in xs)


@pytest.mark.parametrize("key,ctr", [((0, 0), (0, 0, 0, 0)), ((123, 456), (1, 2, 3, 4)),
                                     ((2**64 - 1, 2**63 + 5), (2**64 - 2, 7, 2**40, 9))])
def test_philox_equals_numpys_philox(key, ctr):
    bg = np.random.Philox(counter=np.array(ctr, dtype=np.uint64), key=np.array(key, dtype=np.uint64))
    raw = bg.random_raw(4)  # numpy increments the counter before its first block
    mine = philox4x64(*_u64(ctr[0] + 1, *ctr[1:]), *_u64(*key))
    assert [int(x) for x in mine] == [int(x) for x in raw]


def test_philox_known_answer_of_random123():
    # Random123 kat_vectors, philox4x64_10, counter 0 and key 0
    assert [int(x) for x in philox4x64(*_u64(0, 0, 0, 0, 0, 0))] == [
        0x16554D9ECA36314C, 0xDB20FE9D672D0FDC, 0xD7E772CEE186176B, 0x7E68B68AEC7BA23B]


def _key(month=5, block=3, stream="arrivals", replicate=0, seed=42):
    return Streams(seed, replicate, 65536).counter_key(stream, month, block)


def _uniforms(key, rows, first=0, n_idx=1):
    out = np.empty((n_idx, len(rows)))
    slot_uniforms(key[0], key[1], np.asarray(rows, dtype=np.int64), first, out)
    return out


def test_uniforms_are_uniform():
    from scipy import stats

    u = _uniforms(_key(), np.arange(N))[0]
    assert u.min() >= 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").statistic < KS_1PCT
    assert abs(u.mean() - 0.5) < 4 * np.sqrt(1 / 12 / N)
    # the draw indexes of one slot are also uniform (the counter's second word)
    v = _uniforms(_key(), np.array([7]), 0, N)[:, 0]
    assert stats.kstest(v, "uniform").statistic < KS_1PCT


def test_normals_are_standard_normal():
    from scipy import stats

    k = _key()
    z = np.empty((1, N))
    slot_normals(k[0], k[1], np.arange(N), 8, z)
    z = z[0]
    assert stats.kstest(z, "norm").statistic < KS_1PCT
    assert abs(z.mean()) < 4 / np.sqrt(N)
    assert abs(z.var() - 1.0) < 4 * np.sqrt(2 / N)
    assert abs(stats.skew(z)) < 4 * np.sqrt(6 / N) and abs(stats.kurtosis(z)) < 4 * np.sqrt(24 / N)


@pytest.mark.parametrize("shape", [0.4, 1.0, 3.0])
def test_gamma_follows_the_gamma_distribution(shape):
    from scipy import stats

    k = _key()
    g = np.empty(N)
    scale = 0.05 / shape
    slot_gamma(k[0], k[1], np.arange(N), 12, shape, scale, g)
    assert g.min() >= 0.0
    assert stats.kstest(g, "gamma", args=(shape, 0, scale)).statistic < KS_1PCT
    mean, sd = shape * scale, np.sqrt(shape) * scale
    assert abs(g.mean() - mean) < 4 * sd / np.sqrt(N)


def test_different_keys_give_uncorrelated_draws():
    rows = np.arange(N)
    base = _uniforms(_key(), rows)[0]
    others = [_key(month=6), _key(block=4), _key(stream="arrival_traits"), _key(replicate=1), _key(seed=43)]
    for k in others:
        assert k != _key()
        r = np.corrcoef(base, _uniforms(k, rows)[0])[0, 1]
        assert abs(r) < 4 / np.sqrt(N), k
    # and neighbouring slots, and neighbouring draw indexes of a slot
    assert abs(np.corrcoef(base[:-1], base[1:])[0, 1]) < 4 / np.sqrt(N)
    two = _uniforms(_key(), rows, 0, 2)
    assert abs(np.corrcoef(two[0], two[1])[0, 1]) < 4 / np.sqrt(N)


def test_counter_key_is_the_seed_sequence_of_the_stream():
    s = Streams(42, 1, 1024)
    ss = np.random.SeedSequence(42, spawn_key=(1, 8, 100_005, 3))
    assert [int(x) for x in s.counter_key("arrivals", 5, 3)] == [int(x) for x in ss.generate_state(2, np.uint64)]


def test_a_slots_newcomer_does_not_depend_on_the_other_emptied_slots():
    cfg = compose([])
    streams = Streams(cfg.run.seed, 0, 1024)
    cuts = (0.01, 0.05)

    def newcomers(rows):
        rows = np.asarray(rows)
        return generate_population(cfg.population, len(rows), SlotDraws(streams, 12, 2), 0, 0.05,
                                   rows=rows, impulse_cuts=cuts)

    a, b = newcomers([3, 17, 500]), newcomers([0, 2, 17, 1023, 900])
    for name, _, _ in FIELDS:
        assert getattr(a, name)[1] == getattr(b, name)[2], name  # slot 17 in both
    # different slots, and the same slot in another month or block, are other people
    assert len(np.unique(b.base_income)) == 5
    other_month = generate_population(cfg.population, 1, SlotDraws(streams, 13, 2), 0, 0.05,
                                      rows=np.array([17]), impulse_cuts=cuts)
    other_block = generate_population(cfg.population, 1, SlotDraws(streams, 12, 3), 0, 0.05,
                                      rows=np.array([17]), impulse_cuts=cuts)
    assert other_month.base_income[0] != a.base_income[1] != other_block.base_income[0]


def test_each_field_has_its_own_draw_index():
    # base income is median × exp(σ z), z the normal of draw index N_UNIFORM (the first normal);
    # thin_file is the uniform of index 1: adding fields at new indexes leaves these unchanged
    cfg = compose([])
    streams = Streams(cfg.run.seed, 0, 1024)
    rows = np.array([5, 40, 41])
    pop = generate_population(cfg.population, 3, SlotDraws(streams, 7, 0), 0, 0.05, rows=rows,
                              impulse_cuts=(0.01, 0.05))
    k0, k1 = streams.counter_key("arrivals", 7, 0)
    z = np.empty((1, 3))
    slot_normals(k0, k1, rows, N_UNIFORM, z)
    c = cfg.population
    np.testing.assert_array_equal(pop.base_income, (c.income_median * np.exp(c.income_dispersion * z[0]))
                                  .astype(pop.base_income.dtype))
    u = np.empty((1, 3))
    slot_uniforms(k0, k1, rows, 1, u)
    np.testing.assert_array_equal(pop.thin_file, u[0] < c.thin_file_share)
    assert (N_UNIFORM, N_NORMAL, N_TRAIT) == (8, 4, 4)


def test_stream_uniforms_take_the_raw_outputs_of_the_bit_generator():
    # uniforms() reads 64-bit outputs through g.integers over the full uint64 range (faster than
    # random_raw): the same numbers, and the generator ends in the same state
    from simulator.core.rng import uniforms

    def gen():
        return Streams(42, 0, 1024).generator("shocks", 3, 1)

    g1, g2 = gen(), gen()
    u = uniforms(g1, 3, 1001)
    raw = g2.bit_generator.random_raw((3 * 1001 + 1) // 2)
    hi = (raw >> np.uint64(40)).astype(np.float32) / np.float32(16777216.0)
    lo = ((raw >> np.uint64(8)) & np.uint64(0xFFFFFF)).astype(np.float32) / np.float32(16777216.0)
    np.testing.assert_array_equal(u.ravel(), np.column_stack([hi, lo]).ravel()[:3 * 1001])
    assert g1.bit_generator.state == g2.bit_generator.state


@pytest.mark.parametrize("rows,size,used", [(1, 1024, 1), (2, 1024, 333), (5, 1024, 1023), (3, 1024, 0),
                                            (2, 1001, 500), (3, 8, 7), (4, 65536, 20000)])
def test_uniforms_of_the_used_columns_skip_the_rest(rows, size, used):
    # a block only partly used (the pool ends inside it): the same numbers as the full block's first
    # columns, and the generator ends in the same state (odd sizes fall back to the full draw)
    from simulator.core.rng import uniforms

    def gen():
        return Streams(42, 0, size).generator("pool", 5, 2)

    g_full, g_used = gen(), gen()
    full = uniforms(g_full, rows, size)
    part = uniforms(g_used, rows, size, used)
    assert part.shape == (rows, used)
    np.testing.assert_array_equal(part, full[:, :used])
    assert g_used.bit_generator.state == g_full.bit_generator.state


# --- BlockUniforms: uniforms() with the later rows read only where asked (PCG64 jump-ahead) -------
@pytest.mark.parametrize("bs", [64, 1000, 4096, 65536, 1, 7, 1001])  # odd sizes: a row starts mid-output
def test_block_uniforms_equal_uniforms_dense_and_at_any_columns(bs):
    g = np.random.default_rng(bs)
    for seed, month, block in ((1, 3, 0), (42, -70, 5), (2**40 + 7, 600, 2)):
        s = Streams(seed, 1, bs)
        want = uniforms(s.generator("pool", month, block), 5, bs)
        bu = BlockUniforms(s.generator("pool", month, block), 5, bs, 2)
        assert bu.head.dtype == np.float32 and np.array_equal(bu.head, want[:2])
        for r in (2, 3, 4):
            # random columns, both halves of one 64-bit output (adjacent columns), the ends
            cols = np.unique(np.concatenate([np.sort(g.choice(bs, bs // 7, replace=False)), [0, 1, 2, bs - 2, bs - 1]]))
            cols = cols[(cols >= 0) & (cols < bs)]  # tiny blocks: the ends overlap
            got = bu.at(r, cols)
            assert got.dtype == np.float32 and np.array_equal(got, want[r, cols]), (seed, r)
            assert np.array_equal(bu.at(r, np.arange(bs)), want[r])  # a whole row
            assert bu.at(r, np.array([], dtype=np.int64)).size == 0
        # a block the pool ends inside: the dense rows' first columns only, the later rows the same
        part = BlockUniforms(s.generator("pool", month, block), 5, bs, 2, bs // 3)
        assert np.array_equal(part.head, want[:2, :bs // 3])
        assert np.array_equal(part.at(4, np.arange(bs)), want[4])


def test_block_uniforms_jump_ahead_hand_case():
    # three PCG64 steps by hand (Python integers): state ← MULT·state + inc, output = XSL-RR
    bg = np.random.PCG64(123)
    st = bg.state["state"]
    s, inc, mult, m128 = st["state"], st["inc"], 0x2360ED051FC65DA44385DF649FCCF645, (1 << 128) - 1
    outs = []
    for _ in range(3):
        s = (s * mult + inc) & m128
        x, rot = ((s >> 64) ^ s) & ((1 << 64) - 1), s >> 122
        outs.append(((x >> rot) | (x << ((64 - rot) % 64))) & ((1 << 64) - 1))
    assert outs == [int(v) for v in np.random.PCG64(123).random_raw(3)]
    # uniforms(g, 3, 2): floats 0-1 from output 0, 2-3 from output 1, 4-5 from output 2; row 0 dense
    bu = BlockUniforms(np.random.Generator(np.random.PCG64(123)), 3, 2, 1)
    assert bu.at(2, np.array([0, 1])).tolist() == [(outs[2] >> 40) / 2**24, ((outs[2] >> 8) & 0xFFFFFF) / 2**24]
    assert bu.at(1, np.array([1])).tolist() == [((outs[1] >> 8) & 0xFFFFFF) / 2**24]


def test_block_uniforms_refuses_what_it_cannot_read():
    g = Streams(1, 0, 8).generator("pool", 0, 0)
    with pytest.raises(ValueError):
        BlockUniforms(g, 5, 7, 1)  # dense part of odd length
    with pytest.raises(ValueError):
        BlockUniforms(np.random.Generator(np.random.Philox(1)), 5, 8, 2)
    bu = BlockUniforms(g, 5, 8, 2)
    with pytest.raises(ValueError):
        bu.at(1, np.array([0]))  # a dense row: read bu.head
    for cols in ([3, 2], [-1, 2], [0, 8]):  # not ascending, outside the row
        with pytest.raises(ValueError):
            bu.at(3, np.array(cols))
    assert bu.at(3, np.array([2, 2])).tolist() == 2 * bu.at(3, np.array([2])).tolist()  # repeats are fine
