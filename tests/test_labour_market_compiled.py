"""The labour market's compiled arithmetic equals, to the bit, the Python it replaced.

``LabourMarket._separations`` / ``_base_lambda`` / the bisection of ``flows`` were Python
generators inside 100-step bisections (~15% of a small run's CPU, ``benchmarks/README.md``);
they are now compiled functions of ``core/economy.py`` with the same arithmetic in the same
order. The references below are the replaced code, verbatim; the compiled results must be ``==``
on many random inputs (not approximately equal: the numbers of every run must not change).
The references add left to right (:func:`_plain_sum`), as the replaced code's ``sum`` did on
Python 3.11: from Python 3.12 on, ``sum`` of floats is compensated (Neumaier), so the replaced
code gave other last bits there, while the compiled functions give the same numbers on every
Python version.
"""

from __future__ import annotations

import math

import numpy as np

from simulator.config import compose
from simulator.core.economy import LabourMarket, logit


def _plain_sum(values):
    """Left-to-right float addition: Python 3.11's ``sum`` of floats (3.12+ compensates)."""
    total = 0
    for v in values:
        total = total + v
    return total


def _ref_separations(lm, lam, w_fre):
    return _plain_sum(g * ((1.0 - lm.pi_f) * (1.0 - us) * min(lm.w_sal * p * lam, 1.0)
                    + lm.pi_f * (1.0 - uf) * min(w_fre * p * lam, 1.0))
               for g, p, us, uf in zip(lm.prone_weight, lm.prone, lm.u_sal_k, lm.u_fre_k, strict=True))


def _ref_base_lambda(lm):
    if lm.f0 <= 0 or lm.w_sal + lm.w_fre <= 0:
        return 0.0

    def share(lam):
        return _plain_sum(pi * g * min(w * p * lam, 1.0) / (min(w * p * lam, 1.0) + lm.f0)
                   for pi, w in ((1.0 - lm.pi_f, lm.w_sal), (lm.pi_f, lm.w_fre))
                   for g, p in zip(lm.prone_weight, lm.prone, strict=True))

    lo, hi = 0.0, 1.0
    while share(hi) < lm.u_base and hi < 1e12:
        hi *= 2.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if share(mid) < lm.u_base else (lo, mid)
    return 0.5 * (lo + hi)


def _ref_flows_lambda(lm, u_target, demand):
    u_prev = (1.0 - lm.pi_f) * lm.u_sal + lm.pi_f * lm.u_fre
    u_t = min(max(u_target, 1e-12), 1.0 - 1e-12)
    f = min(lm.f0 * math.exp(-lm.phi * (logit(u_t) - logit(lm.u_base))), 1.0)
    need = u_t - u_prev * (1.0 - f)
    if need < 0.0:
        need = 0.0
    w_fre = lm.w_fre / max(demand, 1e-6)
    lam = 0.0
    if need > 0.0 and lm.w_sal + w_fre > 0.0:
        lo, hi = 0.0, 1.0
        while _ref_separations(lm, hi, w_fre) < need and hi < 1e12:
            hi *= 2.0
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if _ref_separations(lm, mid, w_fre) < need else (lo, mid)
        lam = 0.5 * (lo + hi)
    return min(lm.w_sal * lam, 1.0), min(w_fre * lam, 1.0)


def _market(rng, sd):
    cfg = compose([f"population.shock_proneness_dispersion={sd}",
                   f"population.freelance_share={rng.uniform(0.0, 0.6):.6f}",
                   f"population.job_loss_hazard={rng.uniform(0.002, 0.05):.6f}",
                   f"population.freelance_loss_hazard={rng.uniform(0.0, 0.1):.6f}",
                   f"population.reemployment_rate={rng.uniform(0.05, 0.9):.6f}",
                   f"economy.unemployment_base={rng.uniform(0.01, 0.3):.6f}"])
    return LabourMarket(cfg.economy, cfg.population, float(rng.uniform(0.0, 0.4)))


def test_compiled_labour_market_equals_the_python_arithmetic_bit_for_bit():
    rng = np.random.default_rng(20261130)
    checked = 0
    for trial in range(40):
        lm = _market(rng, (0.0, 0.3, 0.8, 1.5)[trial % 4])
        assert lm.lam_base == _ref_base_lambda(lm)
        for _ in range(25):  # a path of months: the groups' shares move away from the start
            w_fre = lm.w_fre / float(rng.uniform(0.3, 1.5))
            for lam in rng.exponential(0.02, 5):
                assert lm._separations(float(lam), w_fre) == _ref_separations(lm, float(lam), w_fre)
            u, d = float(rng.uniform(0.005, 0.35)), float(rng.uniform(0.3, 1.5))
            out = lm.flows(u, d)
            assert (out.job_loss_salaried, out.job_loss_freelance) == _ref_flows_lambda(lm, u, d)
            lm.step(u, d)
            checked += 1
    assert checked == 1000
