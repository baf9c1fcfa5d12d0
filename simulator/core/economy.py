"""The macro economy: a monthly path of unemployment, income growth, demand and prices.

The path is computed once from :class:`~simulator.config.schemas.EconomyConfig` (a base level plus one
downturn episode: a smooth rise to a peak, then a linear recovery) and read month by month by the
:class:`Economy` Mesa agent. Burn-in months (negative) stay at month 0's base values.

The labour market (:class:`LabourMarket`) turns the unemployment path into the month's job-loss
(separation) and job-finding probabilities, so that the share of the borrower pool out of work
follows the path (see :class:`LabourMarket` for the flows and who is in the labour force).

With ``economy.feedback`` the path is only the first round: :class:`DemandFeedback` turns the
share of the pool's wanted BNPL purchases that credit lines block into an endogenous factor on the
demand index, and the demand
shortfall it causes into extra unemployment (the *effective* values, which borrowers live in).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import NamedTuple

import mesa
import numpy as np
import pandas as pd

from simulator.config import EconomyConfig, PopulationConfig
from simulator.config.paths import read_path_file
from simulator.core.jit import kernel

__all__ = ["PRONENESS_NODES", "proneness_groups", "EconomyPath", "base_economy", "MonthEnv", "Economy",
           "LabourMarket", "LabourFlows", "DemandFeedback", "pool_spending", "episode_shape", "logit"]


def episode_shape(cfg: EconomyConfig, months: int) -> np.ndarray:
    """Intensity of the downturn episode by month: 0 before it, 1 at its peak, back to 0 after.

    The rise is a half-cosine (smooth start and smooth peak) over ``months_to_peak``; the
    recovery is linear over ``recovery_months``.
    """
    t = np.arange(months, dtype=float)
    x = (t - cfg.shock_start) / cfg.months_to_peak
    rise = 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))
    peak = cfg.shock_start + cfg.months_to_peak
    fall = 1.0 - np.clip((t - peak) / cfg.recovery_months, 0.0, 1.0)
    return np.where(t < peak, rise, fall)


@dataclass
class EconomyPath:
    """The macro path, one value per reported month (index = month)."""

    unemployment_rate: np.ndarray
    income_growth: np.ndarray  # nominal, per month
    demand_index: np.ndarray  # 1 = normal consumer demand (for freelance work)
    essential_prices: np.ndarray  # index of essential prices, 1 at month 0
    income_index: np.ndarray  # index of nominal incomes, 1 at month 0

    @classmethod
    def from_config(cls, cfg: EconomyConfig, months: int) -> EconomyPath:
        """Compute the path of ``months`` months (from ``cfg.path_file`` where it gives values).

        Raises:
            ConfigError: the path file is unreadable, misses a month, has a non-numeric cell,
                an unknown column or a value out of range.
        """
        s = episode_shape(cfg, months)
        u = cfg.unemployment_base + cfg.unemployment_peak_delta * s
        g = (cfg.income_growth_annual - cfg.income_growth_shock * s) / 12.0
        infl = (cfg.essentials_inflation_annual + cfg.essentials_inflation_shock * s) / 12.0
        demand = 1.0 - cfg.demand_drop * s
        prices = np.concatenate([[1.0], np.cumprod(1.0 + infl)[:-1]])
        if cfg.path_file:
            cols = read_path_file(cfg.path_file, months)
            u = cols.get("unemployment_rate", u)
            g = cols.get("income_growth", g)
            demand = cols.get("demand_index", demand)
            if "essential_prices" in cols:
                prices = cols["essential_prices"] / cols["essential_prices"][0]
        income = np.concatenate([[1.0], np.cumprod(1.0 + g)[:-1]])
        return cls(u, g, demand, prices, income)

    def to_frame(self) -> pd.DataFrame:
        """The path as a table with a ``month`` column."""
        return pd.DataFrame({
            "month": np.arange(len(self.unemployment_rate)),
            "unemployment_rate": self.unemployment_rate,
            "income_growth": self.income_growth,
            "demand_index": self.demand_index,
            "essential_prices": self.essential_prices,
            "income_index": self.income_index,
        })


def base_economy(cfg: EconomyConfig) -> EconomyConfig:
    """The economy held at its base levels: no episode and no macro path file (name
    ``"baseline"``), trend income growth and inflation kept. What a default would have met without
    a systemic downturn (cause C5): the decomposition's C5 switch and the C5 test of
    :func:`simulator.core.causes.cause_set` both use it.
    """
    return dataclasses.replace(cfg, name="baseline", path_file="", unemployment_peak_delta=0.0,
                               income_growth_shock=0.0, essentials_inflation_shock=0.0, demand_drop=0.0)


class MonthEnv(NamedTuple):
    """What borrowers and the platform read of the economy this month (a named tuple, so the
    compiled rule kernels can read it).
    """

    month: int
    calendar_month: int  # 1..12
    unemployment_rate: float
    demand_index: float
    essential_prices: float
    income_index: float
    job_loss_salaried: float  # probability that an employed salaried borrower loses the job this month
    job_loss_freelance: float  # same for a freelancer (losing most of the work)
    job_finding: float  # probability that a borrower out of work finds work this month
    job_loss_base_salaried: float  # the salaried job-loss probability of the base economy (a loss
    job_loss_base_freelance: float  # at a draw above it is systemic, cause C5); same for freelancers
    systemic: bool  # unemployment above base or demand below normal this month
    job_finding_base: float = 0.0  # the base economy's job-finding probability (a spell that it
    # would have ended but this month's does not is prolonged by the downturn, cause C5)
    income_index_base: float = 1.0  # income index of the base economy (:func:`base_economy`)
    essential_prices_base: float = 1.0  # essential prices of the base economy


def logit(u: float) -> float:
    """Log-odds ``log(u / (1 − u))`` of a share strictly between 0 and 1."""
    return math.log(u / (1.0 - u))


class LabourFlows(NamedTuple):
    """One month of the labour market: probabilities per month, and the expected shares out of
    work by income type after the month's flows.
    """

    job_finding: float
    job_loss_salaried: float
    job_loss_freelance: float
    unemployed_salaried: float
    unemployed_freelance: float


#: Quadrature points over shock proneness in :class:`LabourMarket`.
PRONENESS_NODES = 16


def proneness_groups(sd: float) -> tuple[tuple, tuple]:
    """Shock-proneness groups of the labour market: the factors ``exp(sd x − sd²/2)`` at the
    nodes ``x`` of a :data:`PRONENESS_NODES`-point Gauss–Hermite rule for the standard normal, and
    their weights (summing to 1); one group of factor 1 when ``sd`` is 0.
    """
    if sd <= 0:
        return (1.0,), (1.0,)
    x, w = np.polynomial.hermite_e.hermegauss(PRONENESS_NODES)
    w = w / w.sum()
    return tuple(float(v) for v in np.exp(sd * x - 0.5 * sd * sd)), tuple(float(v) for v in w)


@kernel
def _separations_at(lam, w_sal, w_fre, pi_f, weight, prone, u_sal, u_fre):  # pragma: no cover - compiled
    """:meth:`LabourMarket._separations`: the groups' terms added in order, from 0."""
    s = 0.0
    for k in range(weight.size):
        p = prone[k]
        s += weight[k] * ((1.0 - pi_f) * (1.0 - u_sal[k]) * min(w_sal * p * lam, 1.0)
                          + pi_f * (1.0 - u_fre[k]) * min(w_fre * p * lam, 1.0))
    return s


@kernel
def _separations_bisect(need, w_sal, w_fre, pi_f, weight, prone, u_sal, u_fre):  # pragma: no cover - compiled
    """λ with :func:`_separations_at` = ``need``: doubling, then 100 bisection steps (monotone in λ)."""
    lo, hi = 0.0, 1.0
    while _separations_at(hi, w_sal, w_fre, pi_f, weight, prone, u_sal, u_fre) < need and hi < 1e12:
        hi *= 2.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if _separations_at(mid, w_sal, w_fre, pi_f, weight, prone, u_sal, u_fre) < need:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@kernel
def _base_share(lam, f0, w_sal, w_fre, pi_f, weight, prone):  # pragma: no cover - compiled
    """Steady-state share out of work at ``λ``: Σ_type π Σ_g ω_g h / (h + f0), h = min(w p_g λ, 1)."""
    s = 0.0
    for t in range(2):
        pi, w = (1.0 - pi_f, w_sal) if t == 0 else (pi_f, w_fre)
        for k in range(weight.size):
            h = min(w * prone[k] * lam, 1.0)
            s += pi * weight[k] * h / (h + f0)
    return s


@kernel
def _base_lambda_bisect(u_base, f0, w_sal, w_fre, pi_f, weight, prone):  # pragma: no cover - compiled
    """λ with :func:`_base_share` = ``u_base``: doubling, then 100 bisection steps."""
    lo, hi = 0.0, 1.0
    while _base_share(hi, f0, w_sal, w_fre, pi_f, weight, prone) < u_base and hi < 1e12:
        hi *= 2.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if _base_share(mid, f0, w_sal, w_fre, pi_f, weight, prone) < u_base:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


class LabourMarket:
    """Job-loss (separation) and job-finding probabilities that keep unemployment on the path.

    **Labour force**: every member of the borrower pool — applicants and those who have not
    applied yet, rejected applicants, charged-off borrowers. Employment is simulated for all of
    them, so who is out of work never depends on credit outcomes or policies.

    **Steady-state rates** (the log-odds split). The base job-finding rate is ``f0`` =
    ``population.reemployment_rate`` and the base separation rate ``s0 = u_b f0 / (1 − u_b)``, so
    that ``u_b`` (``economy.unemployment_base``) is the steady state ``s / (s + f)``. For the path's
    value ``u_t`` the change of the log-odds ``Δ = logit(u_t) − logit(u_b)`` is split: job finding
    takes ``φ`` of it, separations the rest, ``f*_t = f0 exp(−φΔ)``, ``s*_t = s0 exp((1 − φ)Δ)``
    with ``φ`` = ``economy.job_finding_share`` (about three quarters: Shimer 2012, "Reassessing
    the ins and outs of unemployment", *Review of Economic Dynamics* 15(2)).

    **The month's flows**. The month's job finding is ``f_t = f*_t``; its separation rate is solved
    from the flow identity ``u_t = u_{t−1}(1 − f_t) + (1 − u_{t−1}) s_t``, so the expected share
    out of work after the month is the path's value (``s_t = s*_t`` when the path stands still).
    Where the path falls faster than ``f*_t`` allows, ``s_t = 0`` and ``f_t = 1 − u_t / u_{t−1}``.
    ``u_{t−1}`` is the *expected* share at the start of the month (the path's previous value,
    tracked here by income type), not a count of the simulated borrowers: each borrower's month
    depends only on its own random numbers and the path, so fast and agent mode stay identical,
    adding borrowers leaves the first ones' lives unchanged, and sampling noise is not fed back
    (a deviation of the simulated share decays by the factor ``1 − f − s`` ≈ 0.74 a month).

    **Heterogeneity**: relative hazards ``w = population.job_loss_hazard`` (salaried) and
    ``population.freelance_loss_hazard / demand_index`` (freelancers lose work as demand for it
    falls: assumption). A type's job-loss probability is ``w λ_t``, with ``λ_t`` chosen so that the
    pool's expected separations are ``(1 − u_{t−1}) s_t``; the freelance share of the pool is
    ``population.freelance_share``. Each borrower's job-loss probability is further multiplied by
    its shock proneness (log-normal, mean 1, log-sd ``population.shock_proneness_dispersion``); the
    prone are out of work more often, so the employed are less prone than average. The expected
    shares are therefore tracked per proneness group: the nodes of a
    :data:`PRONENESS_NODES`-point Gauss–Hermite quadrature of the log-normal.

    Args:
        cfg: economy config.
        pop: population config.
        u_start: share out of work when the simulation starts (as the population is drawn).
    """

    def __init__(self, cfg: EconomyConfig, pop: PopulationConfig, u_start: float):
        self.phi = cfg.job_finding_share
        self.u_base = cfg.unemployment_base
        self.f0 = pop.reemployment_rate
        self.pi_f = pop.freelance_share
        self.w_sal, self.w_fre = pop.job_loss_hazard, pop.freelance_loss_hazard
        self.prone, self.prone_weight = proneness_groups(pop.shock_proneness_dispersion)
        self.u_sal = self.u_fre = float(u_start)
        # expected shares out of work by proneness group (tuples: replaced, never changed in place)
        self.u_sal_k = self.u_fre_k = (float(u_start),) * len(self.prone)
        self.lam_base = self._base_lambda()

    def _groups(self) -> tuple[np.ndarray, ...]:
        """The proneness groups and their expected shares out of work, as float64 arrays."""
        return (np.asarray(self.prone_weight, dtype=np.float64), np.asarray(self.prone, dtype=np.float64),
                np.asarray(self.u_sal_k, dtype=np.float64), np.asarray(self.u_fre_k, dtype=np.float64))

    def _separations(self, lam: float, w_fre: float) -> float:
        """Σ_type π Σ_g ω_g (1 − u_g) min(w p_g λ, 1): the pool's expected separations at ``λ``."""
        return _separations_at(lam, self.w_sal, w_fre, self.pi_f, *self._groups())

    def _base_lambda(self) -> float:
        """λ of the base economy's steady state: Σ_k π_k w_k λ / (w_k λ + f0) = u_base (bisection)."""
        if self.f0 <= 0 or self.w_sal + self.w_fre <= 0:
            return 0.0
        weight, prone, _, _ = self._groups()
        return _base_lambda_bisect(self.u_base, self.f0, self.w_sal, self.w_fre, self.pi_f, weight, prone)

    def base_job_loss(self) -> tuple[float, float]:
        """The salaried and freelance job-loss probabilities of the base economy (normal demand)."""
        return min(self.w_sal * self.lam_base, 1.0), min(self.w_fre * self.lam_base, 1.0)

    def flows(self, u_target: float, demand: float) -> LabourFlows:
        """The month's flows that bring the expected share out of work to ``u_target``."""
        u_sal, u_fre = self.u_sal, self.u_fre
        u_prev = (1.0 - self.pi_f) * u_sal + self.pi_f * u_fre
        u_t = min(max(u_target, 1e-12), 1.0 - 1e-12)
        f = self.f0 * math.exp(-self.phi * (logit(u_t) - logit(self.u_base)))
        f = min(f, 1.0)
        need = u_t - u_prev * (1.0 - f)  # expected separations needed, share of the pool
        if need < 0.0:  # the path falls faster than job finding allows: nobody separates
            f = 1.0 - u_t / u_prev
            need = 0.0
        w_fre = self.w_fre / max(demand, 1e-6)
        lam = 0.0
        if need > 0.0 and self.w_sal + w_fre > 0.0:  # λ with separations = need (bisection: monotone)
            lam = _separations_bisect(need, self.w_sal, w_fre, self.pi_f, *self._groups())
        h_sal, h_fre = min(self.w_sal * lam, 1.0), min(w_fre * lam, 1.0)
        us_k, uf_k = self._after(f, h_sal, h_fre)
        return LabourFlows(f, h_sal, h_fre, self._mean(us_k), self._mean(uf_k))

    def _after(self, f: float, h_sal: float, h_fre: float) -> tuple[tuple, tuple]:
        """Expected shares out of work by proneness group after a month of these flows (a
        borrower's job-loss probability is its type's ``h`` × its proneness, at most 1).
        """
        us = tuple(u * (1.0 - f) + (1.0 - u) * min(h_sal * p, 1.0)
                   for u, p in zip(self.u_sal_k, self.prone, strict=True))
        uf = tuple(u * (1.0 - f) + (1.0 - u) * min(h_fre * p, 1.0)
                   for u, p in zip(self.u_fre_k, self.prone, strict=True))
        return us, uf

    def _mean(self, u_k: tuple) -> float:
        return float(sum(g * u for g, u in zip(self.prone_weight, u_k, strict=True)))

    def step(self, u_target: float, demand: float) -> LabourFlows:
        """:meth:`flows`, and move the expected shares out of work to after the month."""
        out = self.flows(u_target, demand)
        self.u_sal_k, self.u_fre_k = self._after(out.job_finding, out.job_loss_salaried, out.job_loss_freelance)
        self.u_sal, self.u_fre = out.unemployed_salaried, out.unemployed_freelance
        return out


def pool_spending(pop, forgone_share: float) -> float:
    """The share of the pool's wanted BNPL purchases that is still spent after the credit line:
    ``1 − forgone_share × Σ constrained_m ÷ (Σ purchases_m + Σ constrained_m)`` over the accounts
    that could buy in the month just ended (active and current; ``constrained_m``: what the line
    blocked; the rest of the blocked purchases is paid otherwise). Float64 sums over the arrays,
    the same in both run modes; NaN when nobody wanted to buy. A ratio, so the book's size and its
    seasoning cancel out; the purchases of accounts that cannot buy at all (past due, defaulted,
    closed, rejected) are in neither sum.
    """
    made = pop.purchases_m.sum(dtype=np.float64)
    blocked = pop.constrained_m.sum(dtype=np.float64)
    wanted = made + blocked
    return float(1.0 - forgone_share * blocked / wanted) if wanted > 0 else math.nan


class DemandFeedback:
    """The demand side of the macro feedback loop (``economy.feedback``): credit supply → spending
    → demand index → unemployment.

    **Spending**: each month the share of the pool's wanted BNPL purchases still spent after the
    credit line (:func:`pool_spending`). **Baseline**: the same in each burn-in month, stored by
    calendar month (the last burn-in year is kept), so promotions and seasons are in the baseline.
    **Ratio** of a reported month: its spending share ÷ the baseline of its calendar month.
    **Factor** of the next month: ``1 + bnpl_consumption_share × (ratio − 1)`` (the pool is a
    sample of BNPL users; only that share of consumption goes through BNPL-type credit). The
    effective demand index is the path's value × the factor, and the effective unemployment rate is
    the path's value + ``unemployment_demand_sensitivity`` × (1 − factor) (Okun's law: output falls
    with the consumption it loses). Both feed the next month: freelance incomes
    (``freelance_demand_elasticity``), who loses work (:class:`LabourMarket`: freelancers, the
    consumer-facing work, more as demand falls) and how many. Without the loop (or before a
    calendar month has a baseline) the factor is 1.

    **Bounded**: the spending share lies in ``[1 − forgone_share, 1]``, so the factor stays within
    ``bnpl_consumption_share × forgone_share`` of 1 (with the defaults 5%), whatever the lender does;
    it moves back as lines are restored (which a lender left without equity may not do:
    :mod:`simulator.core.funding`).

    **Coverage**: the spending share is over the accounts that could buy, so it registers line
    cuts and lines used up (the intensive margin) but not the purchases of applicants a tighter
    cutoff rejects (the extensive margin; their wants are not simulated). Measured in the severe
    recession with the loop (30,000 borrowers, 2 replicates): a factor from every BNPL purchase the
    loop removes (both margins, loop on ÷ loop off, ``forgone_share`` of them not made) would be
    about the same (months 24–59: mean 0.984 against 0.982, lowest 0.969 against 0.974), so the
    omission is not what keeps the amplification small.
    """

    def __init__(self, cfg: EconomyConfig):
        self.on = bool(cfg.feedback)
        self.share = cfg.bnpl_consumption_share
        self.forgone = cfg.forgone_share
        self.sensitivity = cfg.unemployment_demand_sensitivity
        self.base = [math.nan] * 12  # spending share by calendar month (Jan..Dec), from the burn-in
        self.ratio = math.nan  # last reported month's spending share ÷ its baseline
        self.factor = 1.0  # this month's endogenous demand factor

    def observe(self, calendar_month: int, spending: float, reported: bool) -> None:
        """Take the spending share of a month that has just ended (``calendar_month`` 1..12;
        ``reported``: month 0 or later, else a burn-in month that sets the baseline) and set the
        next month's factor.
        """
        if not reported:
            self.base[calendar_month - 1] = spending
            return
        base = self.base[calendar_month - 1]
        self.ratio = spending / base if base > 0 else math.nan
        if self.on and not math.isnan(self.ratio):
            self.factor = 1.0 + self.share * (self.ratio - 1.0)

    def effective(self, unemployment: float, demand: float) -> tuple[float, float]:
        """The effective unemployment rate and demand index of the path's values this month."""
        if not self.on:
            return unemployment, demand
        u = unemployment + self.sensitivity * (1.0 - self.factor)
        return min(max(u, 1e-6), 0.95), demand * self.factor


class Economy(mesa.Agent):
    """Mesa agent publishing the month's macro environment.

    Args:
        model: the owning model.
        cfg: economy config.
        months: reported horizon.
        start_month: calendar month (1..12) of month 0.
        systematic_z: this replicate's systematic factor (validation preset ``vasicek``).
    """

    def __init__(self, model: mesa.Model, cfg: EconomyConfig, months: int, start_month: int,
                 systematic_z: float = 0.0):
        super().__init__(model)
        self.cfg = cfg
        self.path = EconomyPath.from_config(cfg, months)
        self.base_path = EconomyPath.from_config(base_economy(cfg), months)
        self.start_month = start_month
        self.systematic_z = systematic_z
        self.labour = LabourMarket(cfg, model.cfg.population, float(self.path.unemployment_rate[0]))
        self.feedback = DemandFeedback(cfg)
        self.now: MonthEnv = self.env(0, self.labour.flows(float(self.path.unemployment_rate[0]),
                                                           float(self.path.demand_index[0])))

    def systematic_hazard(self) -> float:
        """Vasicek conditional probability of job loss given this run's systematic factor Z:
        Φ((Φ⁻¹(p) − √ρ·Z) / √(1 − ρ)) with p = ``systematic_pd``, ρ = ``systematic_rho``.
        """
        n = NormalDist()
        p, rho = self.cfg.systematic_pd, self.cfg.systematic_rho
        return n.cdf((n.inv_cdf(p) - rho**0.5 * self.systematic_z) / (1.0 - rho) ** 0.5)

    def env(self, month: int, flows: LabourFlows) -> MonthEnv:
        """The environment of ``month`` (negative months: burn-in at month 0's values) with the
        labour market's ``flows`` (unemployment and demand: the effective values,
        :meth:`DemandFeedback.effective`; the path's without the loop).
        """
        p = self.path
        i = max(month, 0)
        u, demand = self.feedback.effective(float(p.unemployment_rate[i]), float(p.demand_index[i]))
        base_sal, base_fre = self.labour.base_job_loss()
        if self.cfg.systematic_pd > 0:  # validation preset: one systematic draw, month 1 only
            h = self.systematic_hazard() if month == 1 else 0.0
            flows = flows._replace(job_loss_salaried=h, job_loss_freelance=h)
            base_sal = base_fre = 0.0
        return MonthEnv(
            month=month,
            calendar_month=self.calendar_month(month),
            unemployment_rate=u,
            demand_index=demand,
            essential_prices=float(p.essential_prices[i]),
            income_index=float(p.income_index[i]),
            job_loss_salaried=flows.job_loss_salaried,
            job_loss_freelance=flows.job_loss_freelance,
            job_finding=flows.job_finding,
            job_loss_base_salaried=base_sal,
            job_loss_base_freelance=base_fre,
            systemic=bool(u / self.cfg.unemployment_base > 1.0 + 1e-9 or demand < 1.0 - 1e-9),
            job_finding_base=min(self.labour.f0, 1.0),
            income_index_base=float(self.base_path.income_index[i]),
            essential_prices_base=float(self.base_path.essential_prices[i]),
        )

    def calendar_month(self, month: int) -> int:
        """Calendar month (1..12) of simulation month ``month``."""
        return (self.start_month - 1 + month) % 12 + 1

    def advance(self, month: int, spending: float = math.nan) -> MonthEnv:
        """Move to ``month`` (called once a month, in order) and return its environment.

        ``spending``: the pool's spending share of the month just ended (:func:`pool_spending`),
        which :class:`DemandFeedback` turns into this month's demand factor.
        """
        prev = month - 1
        if not math.isnan(spending):
            self.feedback.observe(self.calendar_month(prev), spending, reported=prev >= 0)
        i = max(month, 0)
        u, demand = self.feedback.effective(float(self.path.unemployment_rate[i]), float(self.path.demand_index[i]))
        flows = self.labour.step(u, demand)
        self.now = self.env(month, flows)
        return self.now

    def columns(self) -> dict:
        """This month's path values beside the effective ones, for the timeseries."""
        i = max(self.now.month, 0)
        return {"unemployment_path": float(self.path.unemployment_rate[i]),
                "demand_path": float(self.path.demand_index[i]),
                "demand_factor": self.feedback.factor, "spending_ratio": self.feedback.ratio}
