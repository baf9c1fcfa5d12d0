"""The layout of a run directory: its tables, its summary file and its charts folder.

A run directory is complete when it holds ``summary.json`` and every table: ``summary.json`` is
moved into place last (:func:`simulator.outputs.io.staged_dir`), so an interrupted or failed run
never leaves a directory that looks finished.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["CHARTS_DIR", "SUMMARY_FILE", "TABLES", "is_complete", "read_summary"]

#: The tables of a run directory (name → ``NAME.parquet``).
TABLES = ("timeseries", "segments", "vintages", "roll_rates", "causes")
#: The summary of a run, written last: its presence marks a complete run.
SUMMARY_FILE = "summary.json"
#: The folder of a run's (or a sweep's) charts.
CHARTS_DIR = "charts"


def is_complete(run_dir: str | Path) -> bool:
    """Whether ``run_dir`` holds a finished run (its ``summary.json`` and every table)."""
    d = Path(run_dir)
    return (d / SUMMARY_FILE).is_file() and all(
        (d / f"{n}.parquet").is_file() for n in TABLES)


def read_summary(run_dir: str | Path) -> dict[str, Any]:
    """The parsed ``summary.json`` of a run directory."""
    with open(Path(run_dir) / SUMMARY_FILE) as f:
        return json.load(f)
