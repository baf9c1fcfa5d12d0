"""What a directory is (a run or a sweep), and what a run directory records about itself."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from simulator.outputs.rundir import SUMMARY_FILE, is_complete, record_is_current
from simulator.outputs.sweep import find_job_dirs

__all__ = ["ALLOWED", "NotARunOrSweep", "detect", "finished_at", "run_choices", "single_runs"]

#: What a report can be built from (for error messages).
ALLOWED = ("a run directory (holding summary.json) or a sweep directory "
           "(job folders 0/, 1/, ... each holding summary.json)")


class NotARunOrSweep(ValueError):
    """``directory`` is neither a complete run nor a sweep with at least one complete run."""


def _hydra_mode(run_dir: Path) -> str | None:
    data = _load_yaml(run_dir / ".hydra" / "hydra.yaml")
    try:
        return str(data["hydra"]["mode"])
    except (TypeError, KeyError):
        return None


def single_runs(directory: str | Path) -> list[Path]:
    """The complete runs below ``directory`` when it is a folder of single runs (each started
    without ``-m``, e.g. ``outputs/``), not a sweep; else [].
    """
    d = Path(directory)
    if not d.is_dir() or is_complete(d) or (d / ".sweep_id").exists() or (d / "multirun.yaml").exists():
        return []
    done, _ = find_job_dirs(d)
    return done if done and all(_hydra_mode(j) == "RunMode.RUN" or _hydra_mode(j) == "RUN" for j in done) else []


def detect(directory: str | Path) -> str:
    """``"run"``, ``"sweep"`` or ``"runs"`` (a folder of single runs: :func:`single_runs`).

    Raises:
        NotARunOrSweep: for anything else (missing, empty, unfinished, a file ...).
    """
    d = Path(directory)
    if d.is_dir() and is_complete(d):
        return "run"
    done, unfinished = find_job_dirs(d) if d.is_dir() else ([], [])
    if done and single_runs(d):
        return "runs"
    if done:
        return "sweep"
    why = f" ({len(unfinished)} unfinished job folder(s), none complete)" if unfinished else ""
    raise NotARunOrSweep(f"DIR={str(d)!r}: not a run or sweep directory{why}; allowed: {ALLOWED}")


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError):
        return None


def run_choices(run_dir: Path) -> dict[str, Any]:
    """Hydra's config-group choices of a run (``.hydra/hydra.yaml``), or {}."""
    if not record_is_current(run_dir):
        return {}  # a later start rewrote .hydra/: its choices do not describe these numbers
    data = _load_yaml(run_dir / ".hydra" / "hydra.yaml")
    try:
        return dict(data["hydra"]["runtime"]["choices"] or {})
    except (TypeError, KeyError):
        return {}


def finished_at(run_dir: Path) -> datetime:
    """When a run finished: the modification time of its ``summary.json`` (local time)."""
    return datetime.fromtimestamp((run_dir / SUMMARY_FILE).stat().st_mtime)
