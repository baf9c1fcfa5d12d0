"""The lender's fitted application score: features, a logistic regression, the approval cutoff.

The lender scores applicants with a logistic regression of "bad" (default within
``score_outcome_months`` of opening) on what it can observe of an applicant, fitted on its own
book: the accounts it opened in the first ``score_train_months`` of the burn-in, at the month
their outcomes have been observed (:func:`fit_month`). Until then it uses the generic score of
:func:`simulator.core.lender.risk_index` plus noise (a bought-in bureau score).

What the lender observes (:func:`features`, one row per applicant; see docs/ODD.md):

- from the credit bureau (always): the bureau's record of the applicant's repayment history
  (``bureau_signal``: weak payment discipline and financial fragility, noisier for a thin file)
  and how far it is adverse (``max(record, 0)``), whether the file is thin, the two's interaction
  (so the fit can trust a thin file's record less) and other debt service as a share of income;
- from external data (remedy R1, ``external_data``: income type, income volatility, spending
  behaviour, digital footprint): freelance income, the external record of shock proneness
  (``external_signal``) and spending behaviour (impulse propensity relative to the mean).

So the bureau and external data reveal different parts of a borrower's risk, as in Berg, Burg,
Gombović & Puri (2020, *Review of Financial Studies*): a bureau score and a digital footprint
each rank about equally well and together better. Both models are fitted on the same window at
the same month; the bureau model is used from then on, the external one by ``external_data``
from ``policy.start_month``. The score is the fitted log-odds of "good" minus its mean over the
training window's applicants (0 = a typical applicant, higher = safer); the cutoff is the score
quantile that approves ``approval_target`` of the training window's applicants.

Fitting is plain numpy Newton–Raphson (iteratively reweighted least squares) with a small ridge
penalty; scikit-learn is an optional dependency and not used in the core.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simulator.core.jit import kernel, kernel_nrt
from simulator.core.state import FREELANCE, NEVER, NOT_ARRIVED

__all__ = ["N_FEATURES", "BUREAU_FEATURES", "EXTERNAL_FEATURES", "FEATURE_NAMES", "features",
           "feature_values", "feature_values_as", "feature_matrix", "fitted_score",
           "score_of", "fit_logistic", "FittedScore", "fit_month", "fit_scores"]

#: Names of the feature slots (:func:`features`), in order.
FEATURE_NAMES = ("intercept", "bureau_signal", "thin_file", "bureau_signal_x_thin", "other_debt_ratio",
                 "bureau_signal_above_0", "freelance", "external_signal", "impulse_relative")
N_FEATURES = len(FEATURE_NAMES)
#: Slots the bureau model uses (the others have coefficient 0).
BUREAU_FEATURES = (0, 1, 2, 3, 4, 5)
#: Slots the model with external data (R1) uses.
EXTERNAL_FEATURES = tuple(range(N_FEATURES))


@kernel
def feature_values(P, i, impulse_mean):  # noqa: N803
    """Applicant ``i``'s features (:data:`FEATURE_NAMES`) as a tuple of floats (a tuple, so that
    scoring one applicant allocates nothing).
    """
    return feature_values_as(P, i, impulse_mean, np.float64(P.bureau_signal[i]), P.thin_file[i])


@kernel
def feature_values_as(P, i, impulse_mean, b, thin_file):  # noqa: N803
    """Applicant ``i``'s features with bureau signal ``b`` and file type ``thin_file`` in place of
    the recorded ones: the one home of the feature formulas.
    """
    thin = 1.0 if thin_file else 0.0
    return (1.0, b, thin, b * thin, np.float64(P.other_debt[i] / P.base_income[i]), max(b, 0.0),
            1.0 if P.income_type[i] == FREELANCE else 0.0, np.float64(P.external_signal[i]),
            np.float64(P.impulse[i] / impulse_mean - 1.0))


@kernel
def features(P, i, impulse_mean, x):  # noqa: N803
    """Fill ``x`` (length :data:`N_FEATURES`) with applicant ``i``'s features (:data:`FEATURE_NAMES`)."""
    v = feature_values(P, i, impulse_mean)
    for k in range(N_FEATURES):
        x[k] = v[k]


@kernel_nrt
def feature_matrix(P, idx, impulse_mean):  # noqa: N803
    """The features of applicants ``idx`` as a (len(idx), :data:`N_FEATURES`) matrix."""
    out = np.empty((len(idx), N_FEATURES))
    for r in range(len(idx)):
        features(P, idx[r], impulse_mean, out[r])
    return out


@kernel
def fitted_score(P, i, impulse_mean, coef, centre):  # noqa: N803
    """Applicant ``i``'s fitted score: the log-odds of "good" (``-coef · x``) minus ``centre``."""
    return score_of(feature_values(P, i, impulse_mean), coef, centre)


@kernel
def score_of(v, coef, centre):
    """The fitted score of the feature tuple ``v``: ``-coef · v - centre``."""
    z = 0.0
    for k in range(N_FEATURES):
        z += coef[k] * v[k]
    return -z - centre


def fit_logistic(X: np.ndarray, y: np.ndarray, ridge: float = 1e-4, max_iter: int = 100,
                 tol: float = 1e-10) -> np.ndarray:
    """Logistic regression of ``y`` (0/1) on ``X`` (include a column of ones for an intercept) by
    Newton–Raphson, maximising the log-likelihood less ``ridge/2 × |β|²`` (all coefficients
    penalised, so the fit exists even when a feature separates the classes).

    Returns:
        The coefficients β (P(y = 1) = 1 / (1 + exp(-X β))).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    beta = np.zeros(X.shape[1])
    eye = np.eye(X.shape[1]) * ridge
    for _ in range(max_iter):
        eta = X @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        grad = X.T @ (y - p) - ridge * beta
        hess = (X * (p * (1.0 - p))[:, None]).T @ X + eye
        step = np.linalg.solve(hess, grad)
        beta = beta + step
        if np.max(np.abs(step)) < tol:
            break
    return beta


class FittedScore(NamedTuple):
    """The fitted models: coefficients over all :data:`N_FEATURES` slots (0 where unused), centres
    and cutoffs (score units), for the bureau model and the model with external data.
    """

    coef: tuple
    centre: float
    cutoff: float
    coef_external: tuple
    centre_external: float
    cutoff_external: float
    n_train: int
    n_bad: int


def fit_month(burn_in: int, train_months: int, outcome_months: int) -> int | None:
    """The month at which the lender fits its score: when the first ``train_months`` of the
    burn-in have been observed for ``outcome_months``, at month −1 at the latest (so the fit is
    part of the seasoned start, and policies starting at month 0 find it); None without a
    burn-in or a training window.
    """
    if burn_in <= 0 or train_months <= 0:
        return None
    return min(-burn_in + train_months + outcome_months, -1)


def _fit_one(X: np.ndarray, y: np.ndarray, slots: tuple, ridge: float) -> np.ndarray:
    """The coefficients over all :data:`N_FEATURES` slots (0 where unused) of the model on ``slots``."""
    beta = np.zeros(N_FEATURES)
    beta[list(slots)] = fit_logistic(X[:, slots], y, ridge=ridge)
    return beta


def _centre_cutoff(applicants: np.ndarray, beta: np.ndarray, approval: float) -> tuple[tuple, float, float]:
    good_logodds = -(applicants @ beta)
    centre = float(good_logodds.mean())
    cutoff = float(np.quantile(good_logodds - centre, 1.0 - approval))
    return tuple(float(b) for b in beta), centre, cutoff


def _window(P, first: int, train_months: int, chunk: int = 1 << 20) -> tuple[np.ndarray, np.ndarray]:  # noqa: N803
    """The slots of the training window's applicants (arrived in months ``first ..
    first + train_months - 1``, applied) and of those of them with an account, found chunk by
    chunk of the pool (no pool-sized temporaries: at 10M borrowers they were ~15 bytes each).
    """
    window, opened = [], []
    for s in range(0, len(P.status), chunk):
        sl = slice(s, s + chunk)
        arr = P.arrival_month[sl].astype(np.int32)
        w = (arr >= first) & (arr < first + train_months) & (P.status[sl] != NOT_ARRIVED)
        window.append(s + np.flatnonzero(w))
        opened.append(s + np.flatnonzero(w & (P.open_month[sl] != NEVER)))
    if not window:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(window), np.concatenate(opened)


def fit_scores(P, month: int, first: int, train_months: int, outcome_months: int,  # noqa: N803
               impulse_mean: float, approval: float, ridge: float = 1e-4,
               min_bad: int = 20) -> FittedScore | None:
    """Fit the bureau model and the model with external data on the lender's own book.

    Training rows: accounts opened in months ``first .. first + train_months - 1``; bad = defaulted
    within ``outcome_months`` of opening and before ``month`` (what the lender has seen by now).
    The centre and cutoff come from every applicant of the window (approved or not: the lender
    has their features). None when fewer than ``min_bad`` bad or good accounts.
    """
    window, idx = _window(P, first, train_months)
    om = P.open_month[idx].astype(np.int32)
    dm = P.default_month[idx].astype(np.int32)
    bad = (P.default_month[idx] != NEVER) & (dm < month) & (dm - om < outcome_months)
    n_bad = int(bad.sum())
    if n_bad < min_bad or len(idx) - n_bad < min_bad:
        return None
    # the fits first, then the applicants' features (so the two matrices are not held at once)
    X = feature_matrix(P, idx, impulse_mean)
    y = bad.astype(np.float64)
    beta_b = _fit_one(X, y, BUREAU_FEATURES, ridge)
    beta_x = _fit_one(X, y, EXTERNAL_FEATURES, ridge)
    del X
    A = feature_matrix(P, window, impulse_mean)
    cb = _centre_cutoff(A, beta_b, approval)
    cx = _centre_cutoff(A, beta_x, approval)
    return FittedScore(*cb, *cx, n_train=len(idx), n_bad=n_bad)
