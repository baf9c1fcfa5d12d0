"""The calibration targets: each band's value, unit and published source, in one place.

Used by the calibration command (:mod:`simulator.studies.calibration`, which aims at
:attr:`Target.value`), the validation table (:mod:`simulator.studies.validation`, which checks
the model against :attr:`Target.low`..:attr:`Target.high`) and the statistical calibration tests
(``tests/test_calibration.py``).

The accepted bands of the delinquency shares are wider than the published points because the
model is a stylised book, not a replica of any one lender. The freelance gap is an assumption:
no published figure was found (see ``docs/SOURCES.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source", "Target", "DPD30", "DPD90", "FREELANCE_GAP", "TARGETS", "LAST_MONTHS",
           "SEASONED_MAX_VINTAGE_SHARE", "STATIONARY_BANDS", "SCORE_BANDS", "SCORE_BENCHMARK"]

#: Months at the end of a baseline run over which the delinquency shares are averaged.
LAST_MONTHS = 24

#: Seasoned start: at month 0 no single origination month may hold more than this share of the
#: active accounts (an acceptance band of issue 10, not a published figure).
SEASONED_MAX_VINTAGE_SHARE = 0.10

#: Stationary baseline: accepted band of the ratio of the year-5 to the year-1 12-month average of
#: each series (constant economy), by ratio name (see :mod:`simulator.studies.stationarity`).
#: Acceptance bands of issue 10, not published figures.
STATIONARY_BANDS: dict[str, tuple[float, float]] = {
    "default_rate": (0.9, 1.1),
    "dpd30_rate": (0.9, 1.1),
    "dpd90_rate": (0.9, 1.1),
    "loss_rate": (0.9, 1.1),
    "utilization": (0.9, 1.1),
    "credit_limit / income_index": (0.9, 1.1),
    "n_active": (0.95, 1.05),
    "originations": (0.85, 1.15),
}


#: Application-score ranking (24-month defaults, ``score_ranking``): acceptance bands of issue 10,
#: set around the published benchmark :data:`SCORE_BENCHMARK`. ``score_auc_24m_established``: AUC
#: of the bureau-only score over established files (thin files must rank below it);
#: ``external_data_gain``: what external data (R1) add to the AUC; the deciles' worst ÷ best bad
#: rate at least 5 and their Spearman correlation with the decile at least 0.9 (monotone).
SCORE_BANDS: dict[str, tuple[float, float]] = {
    "score_auc_24m_established": (0.66, 0.76),
    "external_data_gain": (0.03, 0.08),
    "score_decile_bad_rate_ratio": (5.0, float("inf")),
    "score_decile_spearman": (0.9, 1.0),
}
#: Berg, Burg, Gombović & Puri, "On the Rise of FinTechs: Credit Scoring Using Digital Footprints",
#: Review of Financial Studies 33(7), 2020, a German e-commerce pay-later lender: AUC of the credit
#: bureau score, of the digital footprint and of both.
SCORE_BENCHMARK = {"bureau": 0.683, "digital_footprint": 0.696, "both": 0.736}


@dataclass(frozen=True)
class Source:
    """One published figure behind a target."""

    figure: str
    """What was published, with its value (e.g. ``"Ant Group 30+ dpd 1.08% / 1.43% / 1.56%"``)."""
    period: str
    """The period the figure is for."""
    publication: str
    """The original publication (issuer, title, year); "secondary" when read in a report about it."""


@dataclass(frozen=True)
class Target:
    """One calibration target of the baseline economy."""

    name: str
    """The moment's name (a column of the time series, or a ratio of summary metrics)."""
    value: float
    """The point ``bnpl-stress-calibrate`` aims at."""
    low: float | None
    """Lowest accepted value (validation and tests); None where only the point is used."""
    high: float | None
    """Highest accepted value; None where only the point is used."""
    unit: str
    """What the value is measured in, and over which months."""
    what: str
    """Description written beside the target in a calibrated scenario file."""
    evidence: str
    """The published figures in short, as shown in the validation table."""
    sources: tuple[Source, ...]
    """The publications the band is set from (empty for an assumption)."""

    def band_text(self) -> str:
        """The accepted band in percent, e.g. ``"1.5–3.5%"``."""
        if self.low is None or self.high is None:
            raise ValueError(f"{self.name}: no band (a point target)")
        return f"{100 * self.low:.1f}–{100 * self.high:.1f}%"

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies in the accepted band (ends included)."""
        if self.low is None or self.high is None:
            raise ValueError(f"{self.name}: no band (a point target)")
        return self.low <= x <= self.high


_ANT_30 = Source("Ant Group (Huabei + Jiebei) balances 30+ days past due: 1.08% / 1.43% / 1.56%",
                 "end 2017 / 2018 / 2019", "Ant Group Co., Ltd., IPO prospectus, 2020 (secondary)")
_ANT_90 = Source("Ant Group (Huabei + Jiebei) balances 90+ days past due: 0.68% / 1.01% / 1.05%",
                 "end 2017 / 2018 / 2019", "Ant Group Co., Ltd., IPO prospectus, 2020 (secondary)")
_JD_DIGITS_90 = Source("JD Digits consumer credit 90+ days past due: 1.65%", "June 2020",
                       "JD Digits, IPO prospectus, 2020 (secondary)")
_BAITIAO_90 = Source("JD Baitiao average 90+ days past due: 2.44%", "H1 2017",
                     "China technology press, December 2017 (secondary; see docs/SOURCES.md)")

#: Share of receivables 30+ days past due, baseline economy.
DPD30 = Target(
    name="dpd30_rate",
    value=0.025,
    low=0.015,
    high=0.035,
    unit=f"share of receivables 30+ days past due, average of the last {LAST_MONTHS} months",
    what="share of receivables 30+ days past due (band 1.5-3.5%; Ant, JD, Baitiao)",
    evidence="Ant 30+ 1.08–1.56%; JD/Baitiao 90+ 1.65–2.44%",
    sources=(_ANT_30, _JD_DIGITS_90, _BAITIAO_90),
)

#: Share of receivables 90+ days past due, baseline economy.
DPD90 = Target(
    name="dpd90_rate",
    value=0.015,
    low=0.010,
    high=0.025,
    unit=f"share of receivables 90+ days past due, average of the last {LAST_MONTHS} months",
    what="share of receivables 90+ days past due (0.68-2.44%; Ant, JD, Baitiao)",
    evidence="Ant 0.68–1.05%, JD Digits 1.65%, Baitiao 2.44%",
    sources=(_ANT_90, _JD_DIGITS_90, _BAITIAO_90),
)

#: Freelance ÷ salaried cumulative default rate, baseline economy (an assumption).
FREELANCE_GAP = Target(
    name="freelance_gap",
    value=1.3,
    low=None,
    high=None,
    unit="ratio of the freelance to the salaried cumulative default rate at the end of the run",
    what="freelance / salaried cumulative default rate (assumption)",
    evidence="assumption: freelance income is \"several times\" more volatile; no published default gap",
    sources=(),
)

#: Target name → target, in the order the calibration reports them.
TARGETS: dict[str, Target] = {t.name: t for t in (DPD30, DPD90, FREELANCE_GAP)}
