"""The macro economy: a monthly path of unemployment, income growth, demand and prices.

The path is computed once from :class:`~simulator.config.schemas.EconomyConfig` (a base level plus one
downturn episode: a smooth rise to a peak, then a linear recovery) and read month by month by the
:class:`Economy` Mesa agent. Burn-in months (negative) stay at month 0's base values.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import NamedTuple

import mesa
import numpy as np
import pandas as pd

from simulator.config import EconomyConfig
from simulator.config.paths import read_path_file

__all__ = ["EconomyPath", "MonthEnv", "Economy", "episode_shape"]


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
    hazard_mult: float  # job-loss hazard relative to the base unemployment rate
    reemploy_mult: float  # re-employment probability relative to the base
    systemic: bool  # unemployment above base or demand below normal this month


class Economy(mesa.Agent):
    """Mesa agent publishing the month's macro environment.

    Args:
        model: the owning model.
        cfg: economy config.
        months: reported horizon.
        start_month: calendar month (1..12) of month 0.
    """

    def __init__(self, model: mesa.Model, cfg: EconomyConfig, months: int, start_month: int,
                 systematic_z: float = 0.0):
        super().__init__(model)
        self.cfg = cfg
        self.path = EconomyPath.from_config(cfg, months)
        self.start_month = start_month
        self.systematic_z = systematic_z
        self.now: MonthEnv = self.env(0)

    def systematic_hazard(self) -> float:
        """Vasicek conditional probability of job loss given this run's systematic factor Z:
        Φ((Φ⁻¹(p) − √ρ·Z) / √(1 − ρ)) with p = ``systematic_pd``, ρ = ``systematic_rho``.
        """
        n = NormalDist()
        p, rho = self.cfg.systematic_pd, self.cfg.systematic_rho
        return n.cdf((n.inv_cdf(p) - rho**0.5 * self.systematic_z) / (1.0 - rho) ** 0.5)

    def env(self, month: int) -> MonthEnv:
        """The environment of ``month`` (negative months: burn-in at month 0's values)."""
        p = self.path
        i = max(month, 0)
        u = float(p.unemployment_rate[i])
        ratio = u / self.cfg.unemployment_base
        e = self.cfg.hazard_elasticity
        demand = float(p.demand_index[i])
        hazard_mult = float(ratio**e)
        if self.cfg.systematic_pd > 0:  # validation preset: one systematic draw, month 1 only
            hazard_mult = self.systematic_hazard() / self.model.cfg.population.job_loss_hazard \
                if month == 1 else 0.0
        return MonthEnv(
            month=month,
            calendar_month=(self.start_month - 1 + month) % 12 + 1,
            unemployment_rate=u,
            demand_index=demand,
            essential_prices=float(p.essential_prices[i]),
            income_index=float(p.income_index[i]),
            hazard_mult=hazard_mult,
            reemploy_mult=float(ratio ** (-e)),
            systemic=bool(ratio > 1.0 + 1e-9 or demand < 1.0 - 1e-9),
        )

    def advance(self, month: int) -> MonthEnv:
        """Move to ``month`` and return its environment."""
        self.now = self.env(month)
        return self.now
