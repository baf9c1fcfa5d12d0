"""Typed configuration schemas: one dataclass per config group of ``conf/``.

Hydra merges the YAML files into these typed nodes, so an unknown key or a value of the wrong
type is rejected when the config is composed. Each field declares its allowed range, unit and
meaning once, in its metadata (:func:`_f`); :func:`simulator.config.checks.check_ranges` reads
them, and each schema's ``check`` method holds its cross-field rules.

Units: money is in the config's currency units (RMB in the shipped configs) per month; hazards
and probabilities are per month unless the name says ``annual``; shares are fractions 0..1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulator.config.errors import ConfigError
from simulator.config.fields import PROB
from simulator.config.fields import setting as _f
from simulator.config.platform_schema import PlatformConfig
from simulator.config.policy_schemas import PolicyConfig

__all__ = [
    "Config",
    "PopulationConfig",
    "PlatformConfig",
    "EconomyConfig",
    "PolicyConfig",
    "RunConfig",
    "ReportConfig",
    "CHART_FORMATS",
    "LANGUAGES",
]



#: Largest monthly income (or price-scaled essentials) a config may reach over its horizon: far
#: under float32's 3.4e38, so sums over a month's flows and fees stay finite.
MONEY_LIMIT = 1e30


@dataclass
class PopulationConfig:
    """Who the borrowers are: income, spending habits, buffers, other debt, life shocks.

    The defaults are placeholders for the schema; the calibrated values, with their sources,
    live in ``conf/population/default.yaml``.
    """

    freelance_share: float = _f(0.3, **PROB, unit="share", doc="share of borrowers with freelance income")
    income_median: float = _f(6000.0, gt=0, le=1e7, unit="currency/month",
                              doc="median base monthly income")
    income_dispersion: float = _f(0.5, ge=0, le=3, unit="log-sd", doc="sd of log base income across borrowers")
    salaried_volatility: float = _f(
        0.08, ge=0, le=1, unit="sd/month", doc="sd of salaried monthly income around its base"
    )
    freelance_volatility: float = _f(
        0.3, ge=0, le=1, unit="sd/month", doc="sd of freelance monthly income around its seasonal level"
    )
    freelance_season: list[float] = _f(
        [0.75, 0.7, 0.9, 1.0, 1.05, 1.15, 1.0, 0.95, 1.0, 1.1, 1.25, 1.15],
        ge=0,
        le=5,
        unit="factor",
        doc="freelance income factor by calendar month Jan..Dec",
    )
    freelance_demand_elasticity: float = _f(
        1.5, ge=0, le=10, unit="elasticity", doc="freelance income response to the consumer-demand index"
    )
    essentials_share: float = _f(
        0.55, **PROB, unit="share of base income", doc="essential spending at start-of-run prices"
    )
    other_debt_share: float = _f(0.4, **PROB, unit="share", doc="share of borrowers servicing other debt")
    other_debt_ratio: float = _f(
        0.15, ge=0, le=1, unit="share of base income", doc="mean other-debt service of those with other debt"
    )
    buffer_median_months: float = _f(1.5, ge=0, le=60, unit="months of base income", doc="median target savings buffer")
    buffer_dispersion: float = _f(1.0, ge=0, le=3, unit="log-sd", doc="sd of log target buffer")
    discipline_dispersion: float = _f(
        2.0, ge=0, le=10, unit="per sd of the latent trait",
        doc="spread of payment discipline: discipline = exp(-d * max(z, 0)), z standard normal, the share "
            "of savings and surplus income put toward the lender (0: everyone puts all of it)",
    )
    shock_proneness_dispersion: float = _f(
        1.0, ge=0, le=3, unit="log-sd",
        doc="log-sd of shock proneness, a mean-1 factor on job-loss, illness and family-event hazards",
    )
    bureau_signal_noise: float = _f(
        0.25, ge=0, le=100, unit="sd (latent sd = 1)",
        doc="noise of the bureau file's record of the payment-discipline latent"
    )
    bureau_buffer_weight: float = _f(
        1.5, ge=0, le=10, unit="weight (latents sd 1)",
        doc="weight of financial fragility (a thin savings buffer) beside payment discipline in what the "
            "bureau file records (past repayment problems reflect both)",
    )
    bureau_signal_noise_thin: float = _f(
        1.0, ge=0, le=100, unit="sd (latent sd = 1)",
        doc="noise of the bureau file's record of payment discipline for thin files (little history)",
    )
    external_signal_noise: float = _f(
        0.3, ge=0, le=100, unit="sd (latent sd = 1)", doc="noise of external data's record of shock proneness (R1)"
    )
    saving_rate: float = _f(
        0.3, **PROB, unit="share of surplus", doc="share of a month's surplus saved until the buffer target is met"
    )
    planned_share: float = _f(0.1, ge=0, le=2, unit="share of base income", doc="planned BNPL purchases per month")
    impulse_mean: float = _f(0.05, ge=0, le=2, unit="share of base income", doc="mean impulse propensity")
    impulse_shape: float = _f(
        1.0, gt=0, le=100, unit="gamma shape", doc="dispersion of impulse propensity across borrowers"
    )
    impulse_volatility: float = _f(
        0.5, ge=0, le=0.57, unit="sd of the monthly factor", doc="month-to-month variation of impulse purchases"
    )
    impulse_purchases: bool = _f(
        True, doc="false: nobody buys on impulse; propensities (which the lender scores) kept (cause C4 switched off)"
    )
    promo_months: list[int] = _f([6, 11], ge=1, le=12, unit="calendar month", doc="promotion months (618, Double 11)")
    promo_multiplier: float = _f(
        2.5, ge=0, le=20, unit="factor", doc="impulse propensity multiplier in promotion months"
    )
    distress_borrowing: float = _f(
        0.3, **PROB, unit="share of shortfall", doc="share of an income shortfall put on the BNPL line"
    )
    job_loss_hazard: float = _f(
        0.012, **PROB, unit="per month", doc="salaried job-loss hazard (relative: the level follows the path)"
    )
    freelance_loss_hazard: float = _f(
        0.02, **PROB, unit="per month", doc="freelance loss-of-work hazard, relative, at normal demand"
    )
    reemployment_rate: float = _f(
        0.25, **PROB, unit="per month", doc="job-finding probability at the base unemployment rate"
    )
    unemployment_replacement: float = _f(0.3, **PROB, unit="share of base income", doc="income while out of work")
    illness_hazard: float = _f(0.003, **PROB, unit="per month", doc="serious-illness hazard")
    illness_months: int = _f(3, ge=1, le=60, unit="months", doc="duration of a serious illness")
    illness_income_loss: float = _f(0.5, **PROB, unit="share of income", doc="income lost while ill")
    medical_cost_months: float = _f(1.0, ge=0, le=60, unit="months of base income", doc="one-off medical cost at onset")
    family_event_hazard: float = _f(0.01, **PROB, unit="per month", doc="costly family-event hazard")
    family_cost_months: float = _f(0.5, ge=0, le=60, unit="months of base income", doc="one-off family-event expense")
    thin_file_share: float = _f(0.3, **PROB, unit="share", doc="share of applicants with a thin credit file")
    initial_applicant_share: float = _f(
        0.3, **PROB, unit="share", doc="share of the pool applying during the burn-in (spread evenly over its months)"
    )
    arrival_rate: float = _f(0.02, **PROB, unit="per month", doc="monthly application hazard of the rest of the pool")
    # the open pool (core/pool.py): people leave and are replaced by newcomers in the same slot
    exit_hazard: float = _f(
        0.01, **PROB, unit="per month",
        doc="hazard of leaving the pool (moving away, losing interest) of a person who has not applied",
    )
    attrition_hazard: float = _f(
        0.02, **PROB, unit="per month",
        doc="voluntary closure hazard of a current account (it runs off, then the person leaves)",
    )
    reapply_months: int = _f(
        6, ge=1, le=120, unit="months", doc="waiting period before a rejected applicant may re-apply"
    )
    reapply_share: float = _f(
        0.5, **PROB, unit="share", doc="share of rejected applicants who re-apply after the wait (the rest leave)"
    )

    def check(self, prefix: str) -> None:
        """Cross-field and list checks."""
        if len(self.freelance_season) != 12:
            raise ConfigError(
                f"{prefix}.freelance_season={self.freelance_season}: "
                "allowed: a list of exactly 12 monthly factors (Jan..Dec)"
            )
        if self.illness_hazard + self.family_event_hazard > 1:
            raise ConfigError(
                f"{prefix}.illness_hazard + family_event_hazard="
                f"{self.illness_hazard + self.family_event_hazard}: allowed: at most 1"
            )


@dataclass
class EconomyConfig:
    """The monthly macro path: a base level and one downturn episode of a given shape."""

    name: str = _f("baseline", doc="economy preset name")
    path_file: str = _f(
        "",
        doc="CSV of a monthly macro path (economy=from_csv); empty: the parametric episode below. "
        "Columns: month (0, 1, ...) and any of unemployment_rate, income_growth (per month), "
        "demand_index, essential_prices; missing columns keep the parametric values",
    )
    unemployment_base: float = _f(
        0.05, gt=0, lt=1, unit="share of labour force", doc="unemployment rate before the episode"
    )
    unemployment_peak_delta: float = _f(
        0.0, ge=-0.5, le=0.5, unit="share of labour force", doc="rise of unemployment at the peak of the episode"
    )
    income_growth_annual: float = _f(0.03, ge=-0.5, le=1, unit="per year", doc="nominal income growth")
    income_growth_shock: float = _f(0.0, ge=-1, le=1, unit="per year", doc="income growth lost at the peak")
    essentials_inflation_annual: float = _f(0.03, ge=-0.5, le=1, unit="per year", doc="inflation of essential prices")
    essentials_inflation_shock: float = _f(
        0.0, ge=-1, le=1, unit="per year", doc="extra essentials inflation at the peak"
    )
    demand_drop: float = _f(0.0, ge=-1, le=1, unit="share", doc="fall of the consumer-demand index at the peak")
    shock_start: int = _f(6, ge=0, le=1200, unit="month", doc="month the episode starts")
    months_to_peak: int = _f(24, ge=1, le=600, unit="months", doc="months from start to peak")
    recovery_months: int = _f(36, ge=1, le=600, unit="months", doc="months from peak back to base")
    job_finding_share: float = _f(
        0.75, **PROB, unit="share of the log-odds change",
        doc="share of the movement of unemployment's log-odds u/(1-u) that goes through the "
        "job-finding rate (the rest through job losses)",
    )
    systematic_pd: float = _f(
        0.0, ge=0, lt=1, unit="probability",
        doc="validation preset: job-loss probability in month 1 driven by one systematic factor "
        "(Vasicek); 0 = off. Job losses then happen in month 1 only (after accounts open in month 0)",
    )
    systematic_rho: float = _f(
        0.0, ge=0, lt=1, unit="correlation", doc="asset correlation of the systematic factor (Vasicek rho)"
    )

    feedback: bool = _f(
        False, doc="close the macro feedback loop: lender capital and funding feed its risk appetite, "
        "BNPL spending feeds the demand index, demand feeds unemployment (false: the path alone)",
    )
    bnpl_consumption_share: float = _f(
        0.1, **PROB, unit="share of consumption",
        doc="share of the economy's consumption paid with BNPL-type credit (scales the pool's "
        "spending change into the demand index; the pool is a sample of the economy)",
    )
    forgone_share: float = _f(
        0.5, **PROB, unit="share of constrained purchases",
        doc="share of the purchases the credit line blocks that are not made at all (the rest is paid otherwise)",
    )
    unemployment_demand_sensitivity: float = _f(
        0.16, ge=0, le=2, unit="share of labour force per unit of demand shortfall",
        doc="rise of unemployment per unit of consumer-demand shortfall caused by the loop",
    )

    def check(self, prefix: str) -> None:
        """Cross-field checks."""
        if not 0 < self.unemployment_base + self.unemployment_peak_delta < 1:
            raise ConfigError(
                f"{prefix}.unemployment_peak_delta={self.unemployment_peak_delta}: "
                "allowed: unemployment_base + unemployment_peak_delta strictly between 0 and 1"
            )


@dataclass
class RunConfig:
    """How to run: size, horizon, replicates, seed, mode."""

    n_borrowers: int = _f(
        100000, ge=1, le=200_000_000, unit="borrowers",
        doc="size of the borrower pool: slots, each held by one person at a time (the pool is open)",
    )
    months: int = _f(60, ge=1, le=1200, unit="months", doc="reported horizon")
    burn_in: int = _f(
        72, ge=0, le=240, unit="months", doc="months simulated at base economy before month 0, not reported"
    )
    replicates: int = _f(5, ge=1, le=10_000, unit="runs", doc="independent replicates")
    seed: int = _f(42, ge=0, le=2**63 - 1, doc="run seed")
    mode: str = _f(
        "fast", choices=("fast", "agent"), doc="fast: block agents over arrays; agent: one Mesa agent per borrower"
    )
    start_month: int = _f(1, ge=1, le=12, unit="calendar month", doc="calendar month of month 0")
    block_size: int = _f(
        65536,
        ge=1,
        le=1 << 24,
        unit="borrowers",
        doc="borrowers per random-number block (changing it changes the draws)",
    )
    progress: str = _f(
        "auto", choices=("auto", "on", "off"), doc="progress bar: auto shows it on a terminal for long runs"
    )
    threads: int = _f(
        0,
        ge=0,
        le=256,
        unit="threads",
        doc="fast-mode worker threads (0 = one per CPU core); results do not depend on it",
    )
    study: str = _f(
        "single",
        choices=("single", "cause_decomposition", "feedback_amplification"),
        doc="single: run the scenario; cause_decomposition: also rerun it with each cause of default "
        "switched off (same random numbers) and split the default rate among the causes; "
        "feedback_amplification: run it with the macro feedback loop off and on (same random numbers)",
    )
    skip_existing: bool = _f(
        False,
        doc="skip a run whose directory already holds complete outputs of the same config "
        "(resume an interrupted sweep with the same hydra.sweep.dir)",
    )
    charts: bool = _f(True, doc="write charts/*.png")
    burn_in_cache: bool = _f(
        True,
        doc="save the state at month 0 (after the burn-in) once and reuse it in every run that shares it "
        "(same population, platform, economy at month 0, size, seed, replicate, block size, burn-in and code); "
        "results are identical either way",
    )
    cache_dir: str = _f(
        "",
        doc="folder of the seasoned-start cache ('' = $XDG_CACHE_HOME/bnpl-stress/seasoned, else "
        "~/.cache/bnpl-stress/seasoned); on a cluster, a folder on storage every node shares",
    )


#: The file formats a chart can be written in (``report.formats``).
CHART_FORMATS = ("png", "svg", "pdf")
#: The languages of charts and reports (``report.language``).
LANGUAGES = ("en", "zh")


@dataclass
class ReportConfig:
    """What the outputs look like: chart file formats and the language of charts and reports."""

    formats: list = _f(["png", "svg"], doc="chart file formats: png (always, embedded in report.html), svg, pdf")
    language: str = _f("en", choices=LANGUAGES, doc="language of the charts and report.html: en or zh (Chinese)")

    def check(self, prefix: str) -> None:
        """Each format is known, PNG among them (the report embeds the PNGs)."""
        bad = [f for f in self.formats if f not in CHART_FORMATS]
        if bad or "png" not in self.formats:
            raise ConfigError(f"{prefix}.formats={list(self.formats)}: allowed: a list of {', '.join(CHART_FORMATS)} "
                              "including png (e.g. [png,svg,pdf])")


@dataclass
class Config:
    """The whole configuration."""

    population: PopulationConfig = field(default_factory=PopulationConfig)
    platform: PlatformConfig = field(default_factory=PlatformConfig)
    economy: EconomyConfig = field(default_factory=EconomyConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    run: RunConfig = field(default_factory=RunConfig)
    report: ReportConfig = field(default_factory=ReportConfig)

    def check(self, prefix: str) -> None:
        """Money must stay far below float32's largest value (3.4e38) over the whole horizon; the
        policies must start within the reported months.
        """
        if self.policy.start_month >= self.run.months:
            raise ConfigError(f"policy.start_month={self.policy.start_month}: allowed: 0..run.months-1 "
                              f"(run.months={self.run.months})")
        end = self.policy.end_month
        if end and not self.policy.start_month < end < self.run.months:
            raise ConfigError(f"policy.end_month={end}: allowed: 0 (never) or policy.start_month+1..run.months-1 "
                              f"(policy.start_month={self.policy.start_month}, run.months={self.run.months})")
        years = (self.run.burn_in + self.run.months) / 12
        grow = (1.0 + max(self.economy.income_growth_annual, 0.0)) ** years
        prices = (1.0 + max(self.economy.essentials_inflation_annual, 0.0)) ** years
        top = self.population.income_median * math.exp(6 * self.population.income_dispersion)
        if top * grow * prices > MONEY_LIMIT:
            raise ConfigError(
                f"population.income_median={self.population.income_median:g}: with income_dispersion="
                f"{self.population.income_dispersion:g}, income_growth_annual={self.economy.income_growth_annual:g}"
                f" and essentials_inflation_annual={self.economy.essentials_inflation_annual:g} over "
                f"{self.run.burn_in + self.run.months} months the largest income would reach "
                f"{top * grow * prices:.3g}; allowed: at most {MONEY_LIMIT:.0e} (float32 money stays finite)")
