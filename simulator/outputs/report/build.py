"""Write a report, or all the outputs of a sweep, into their directory (atomically)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from simulator.outputs import io
from simulator.outputs.charts import write_sweep_charts
from simulator.outputs.report.detect import detect
from simulator.outputs.report.run import run_report
from simulator.outputs.report.sweep import sweep_report
from simulator.outputs.rundir import CHARTS_DIR
from simulator.outputs.sweep import SUMMARY_FILE, collect_sweep

__all__ = ["REPORT_FILE", "build_report", "write_sweep_outputs"]

#: The report in a run or sweep directory.
REPORT_FILE = "report.html"


def build_report(directory: str | Path, *, summary: pd.DataFrame | None = None) -> Path:
    """Write ``report.html`` into a run or sweep directory and return its path.

    Args:
        directory: a complete run directory or a sweep directory.
        summary: for a sweep, the table from :func:`simulator.outputs.sweep.collect_sweep` (read if None).

    Raises:
        NotARunOrSweep: ``directory`` is neither.
    """
    d = Path(directory)
    kind = detect(d)
    text = run_report(d) if kind == "run" else sweep_report(d, summary)
    return io.write_text(d / REPORT_FILE, text)


def write_sweep_outputs(sweep_dir: str | Path) -> list[Path]:
    """Write ``sweep_summary.parquet`` (and ``.csv``), the sweep charts and ``report.html`` into ``sweep_dir``.

    Each file is written under a temporary name and renamed into place. Returns the paths
    written, ``report.html`` last.

    Raises:
        FileNotFoundError: when ``sweep_dir`` holds no complete run.
    """
    root = Path(sweep_dir)
    summary = collect_sweep(root)
    if summary.empty:
        extra = f" ({summary.attrs['note']})" if summary.attrs.get("note") else ""
        raise FileNotFoundError(f"{root}: no complete run in this sweep directory{extra}")
    written = [io.write_parquet(root / SUMMARY_FILE, summary),
               io.write_text((root / SUMMARY_FILE).with_suffix(".csv"), summary.to_csv(index=False))]
    written += write_sweep_charts(root, summary, root / CHARTS_DIR)
    written.append(build_report(root, summary=summary))
    return written
