"""The layout of a run directory: its tables, its summary file and its charts folder.

A run directory is complete when it holds ``summary.json`` and every table: ``summary.json`` is
moved into place last (:func:`simulator.outputs.io.staged_dir`), so an interrupted or failed run
never leaves a directory that looks finished.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from simulator.outputs import io

__all__ = ["CHARTS_DIR", "LOOP_OFF_DIR", "SUMMARY_FILE", "TABLES", "SWEEP_ID_FILE", "JOB_SWEEP_FILE", "REPORT_FILE",
           "is_complete", "read_summary", "record_is_current", "claim_run_dir", "start_sweep",
           "read_sweep_id", "tag_job", "job_sweep_id", "confirm_record"]

#: The tables of a run directory (name → ``NAME.parquet``, and the same table as ``NAME.csv``).
TABLES = ("timeseries", "segments", "vintages", "roll_rates", "causes")
#: The summary of a run, written last: its presence marks a complete run.
SUMMARY_FILE = "summary.json"
#: The folder of a run's (or a sweep's) charts.
CHARTS_DIR = "charts"
#: The loop-off run of a feedback-amplification study, a folder inside the loop-on run's folder.
LOOP_OFF_DIR = "loop_off"
#: A run's (or a sweep's) HTML report.
REPORT_FILE = "report.html"
#: In a sweep directory: the id of the sweep that last started there (written when it starts).
SWEEP_ID_FILE = ".sweep_id"
#: In a job folder: the id of the sweep the job belongs to.
JOB_SWEEP_FILE = ".job_sweep_id"


def is_complete(run_dir: str | Path) -> bool:
    """Whether ``run_dir`` holds a finished run (its ``summary.json`` and every table)."""
    d = Path(run_dir)
    return (d / SUMMARY_FILE).is_file() and all(
        (d / f"{n}.parquet").is_file() for n in TABLES)


def read_summary(run_dir: str | Path) -> dict[str, Any]:
    """The parsed ``summary.json`` of a run directory.

    Raises:
        ValueError: the file is not a JSON object (corrupt or truncated), one line naming it.
    """
    path = Path(run_dir) / SUMMARY_FILE
    try:
        with open(path) as f:
            data = json.load(f)
    except ValueError as exc:
        raise ValueError(f"{path}: corrupt summary ({' '.join(str(exc).split())}); allowed: a summary.json "
                         "written by bnpl-stress (rerun the run to rewrite it)") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: corrupt summary (not a JSON object); allowed: a summary.json written by "
                         "bnpl-stress (rerun the run to rewrite it)")
    return data


def record_is_current(run_dir: str | Path) -> bool:
    """Whether the run's Hydra record (``.hydra/overrides.yaml``) belongs to its ``summary.json``.

    Hydra rewrites ``.hydra/`` when a job starts; a job claims its folder (removing the old
    summary) right after, and writes the new summary at the end. A summary older than the record
    is therefore the output of an earlier start, and the record's labels do not describe it.
    """
    d = Path(run_dir)
    summary, record = d / SUMMARY_FILE, d / ".hydra" / "overrides.yaml"
    try:
        return not record.is_file() or not summary.is_file() or \
            summary.stat().st_mtime_ns >= record.stat().st_mtime_ns
    except OSError:
        return False


def claim_run_dir(run_dir: str | Path) -> Path:
    """Claim a run directory before any work: remove what an earlier start left.

    ``summary.json`` goes first (the folder stops looking finished), then the tables, charts,
    report and leftover staging folders (``.incomplete-*``) and temporary files. Hydra's
    ``.hydra/`` record is kept (it is this start's).
    """
    d = Path(run_dir)
    d.mkdir(parents=True, exist_ok=True)
    io.remove_paths([d / SUMMARY_FILE, *(d / f"{n}.parquet" for n in TABLES), *(d / f"{n}.csv" for n in TABLES),
                     d / CHARTS_DIR, d / REPORT_FILE,
                     d / JOB_SWEEP_FILE])
    io.remove_leftovers(d)
    return d


def confirm_record(run_dir: str | Path) -> None:
    """A resumed run (same config, outputs kept): its new Hydra record describes its summary too.

    Touches ``summary.json`` so that :func:`record_is_current` holds again.
    """
    summary = Path(run_dir) / SUMMARY_FILE
    if summary.is_file():
        summary.touch()


def start_sweep(sweep_dir: str | Path) -> str:
    """Record a new sweep id in ``sweep_dir`` (at the start of a multirun); return it."""
    sid = uuid.uuid4().hex
    io.write_text(Path(sweep_dir) / SWEEP_ID_FILE, sid)
    return sid


def read_sweep_id(sweep_dir: str | Path) -> str | None:
    """The id of the sweep that last started in ``sweep_dir``, or None."""
    try:
        return (Path(sweep_dir) / SWEEP_ID_FILE).read_text().strip() or None
    except OSError:
        return None


def tag_job(job_dir: str | Path, sweep_id: str | None) -> None:
    """Mark a job folder as a job of the sweep ``sweep_id`` (nothing when None)."""
    if sweep_id:
        io.write_text(Path(job_dir) / JOB_SWEEP_FILE, sweep_id)


def job_sweep_id(job_dir: str | Path) -> str | None:
    """The sweep id a job folder was tagged with, or None."""
    return _read(Path(job_dir) / JOB_SWEEP_FILE)


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip() or None
    except OSError:
        return None
