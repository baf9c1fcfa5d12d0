"""Macro path files (``economy.path_file``): where they are found and how they are checked.

A path CSV has a ``month`` column (0, 1, ... covering the run) and any of :data:`PATH_COLUMNS`;
a missing month, a non-numeric cell, an unknown column or a value out of range is a
:class:`~simulator.config.errors.ConfigError` (one line), raised before any work.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.config.errors import ConfigError

__all__ = ["PATH_COLUMNS", "resolve_path_file", "read_path_file"]


#: Columns a path file may have: name → (lowest, highest) allowed value.
PATH_COLUMNS = {
    "unemployment_rate": (0.001, 0.99),  # share of the labour force (0 would make hazards divide by 0)
    "income_growth": (-0.5, 0.5),  # nominal, per month
    "demand_index": (0.0, 10.0),  # 1 = normal consumer demand
    "essential_prices": (1e-6, 1e6),  # index; rescaled so that month 0 = 1
}


def resolve_path_file(path: str) -> Path:
    """A path file as given (absolute or relative to the working directory), else the packaged
    ``scenarios/paths/`` file of that name.
    """
    p = Path(path).expanduser()
    if p.is_file():
        return p
    packaged = Path(str(files("simulator.conf.scenario").joinpath("paths", path)))
    return packaged if packaged.is_file() else p


def read_path_file(path: str, months: int) -> dict[str, np.ndarray]:
    """Read a monthly macro path CSV for months ``0..months-1``.

    Raises:
        ConfigError: one line naming ``economy.path_file``, the file and what is wrong.
    """
    key = f"economy.path_file={path!r}"
    p = resolve_path_file(path)
    try:
        df = pd.read_csv(p)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ConfigError(f"{key}: cannot read the file ({type(exc).__name__}: "
                          f"{' '.join(str(exc).split())[:120]}); allowed: a readable CSV") from exc
    if "month" not in df.columns:
        raise ConfigError(f"{key}: no 'month' column; allowed: month plus any of "
                          f"{', '.join(PATH_COLUMNS)}")
    unknown = [c for c in df.columns if c != "month" and c not in PATH_COLUMNS]
    if unknown:
        raise ConfigError(f"{key}: unknown column {unknown[0]!r}; allowed: month, "
                          f"{', '.join(PATH_COLUMNS)}")
    for c in df.columns:
        bad = pd.to_numeric(df[c], errors="coerce").isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise ConfigError(f"{key}: column {c!r} row {row + 2} is {df[c].iloc[row]!r}; "
                              "allowed: numbers only")
    df = df.apply(pd.to_numeric)
    for c in df.columns:
        inf = ~np.isfinite(df[c].to_numpy(dtype=float))
        if inf.any():
            row = int(np.flatnonzero(inf)[0])
            raise ConfigError(f"{key}: column {c!r} row {row + 2} is {df[c].iloc[row]!r}; "
                              "allowed: finite numbers only")
    month = df["month"].to_numpy()
    if np.any(month != np.round(month)) or df["month"].duplicated().any():
        raise ConfigError(f"{key}: months must be distinct whole numbers 0, 1, 2, ...")
    have = set(month.astype(int).tolist())
    missing = [m for m in range(months) if m not in have]
    if missing:
        raise ConfigError(f"{key}: month {missing[0]} is missing; allowed: a row for every "
                          f"month 0..{months - 1} of the run")
    df = df.set_index(df["month"].astype(int)).sort_index().loc[list(range(months))]
    out = {}
    for c in df.columns:
        if c == "month":
            continue
        v = df[c].to_numpy(dtype=float)
        lo, hi = PATH_COLUMNS[c]
        if np.any(v < lo) or np.any(v > hi):
            i = int(np.flatnonzero((v < lo) | (v > hi))[0])
            raise ConfigError(f"{key}: {c} = {v[i]} in month {i}; allowed: {lo:g} to {hi:g}")
        out[c] = v
    return out
