"""The seasoned-start cache: the state at month 0 (after the burn-in), saved once and reused.

The book at month 0 depends only on the population, the platform, the economy before month 0
(month 0's values), the run's size, seed, replicate, block size, burn-in and calendar start, and
the code: policies act from ``policy.start_month`` (≥ 0), so the burn-in is always the status
quo, and runs that differ only in their policies, horizon, replicate count, mode or outputs share
it. :func:`seasoned_model` builds a replicate's model at month 0: from the cache file of its key
when there is one, else by running the burn-in and saving the state (:meth:`CreditModel.snapshot`).

Files are ``<cache_dir>/<key>.pkl`` (``run.cache_dir``; '' = ``$XDG_CACHE_HOME/bnpl-stress/seasoned``
or ``~/.cache/bnpl-stress/seasoned``). Each is written to a temporary name in the same folder and
renamed into place (``os.replace``, atomic on one file system), so several processes or cluster
nodes may compute the same start at once: each rename is harmless and readers only ever see
complete files. An unreadable file is treated as missing. Results are identical with and without
the cache (tested); ``run.burn_in_cache=false`` switches it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from simulator.config import Config
from simulator.core.economy import EconomyPath
from simulator.core.model import CreditModel

__all__ = ["ECONOMY_KEYS", "NEUTRAL_RUN_KEYS", "cache_dir", "cache_key", "code_fingerprint", "seasoned_model"]

#: ``run`` keys that never change the burn-in (the ``policy`` group never does either).
NEUTRAL_RUN_KEYS = ("months", "replicates", "mode", "progress", "threads", "study", "skip_existing",
                    "charts", "burn_in_cache", "cache_dir")

#: ``economy`` keys the burn-in reads besides month 0's values of the macro path (the labour
#: market's calibration and the validation preset's systematic factor).
ECONOMY_KEYS = ("unemployment_base", "job_finding_share", "systematic_pd", "systematic_rho")

_CORE = Path(__file__).resolve().parents[1] / "core"
_fingerprint: str | None = None


def code_fingerprint() -> str:
    """SHA-256 of the model's code (every ``simulator/core/*.py``): a code change invalidates the cache."""
    global _fingerprint
    if _fingerprint is None:
        h = hashlib.sha256()
        for f in sorted(_CORE.glob("*.py")):
            h.update(f.name.encode())
            h.update(f.read_bytes())
        _fingerprint = h.hexdigest()
    return _fingerprint


def cache_key(cfg: Config, replicate: int) -> str:
    """Hash of exactly what the state at month 0 depends on: the population and platform
    configs, month 0's macro values and :data:`ECONOMY_KEYS`, the ``run`` keys but
    :data:`NEUTRAL_RUN_KEYS`, the replicate and :func:`code_fingerprint`. Economies with the same
    month 0 (e.g. a recession that starts at month 6) share the start.
    """
    run = {k: v for k, v in asdict(cfg.run).items() if k not in NEUTRAL_RUN_KEYS}
    path = EconomyPath.from_config(cfg.economy, cfg.run.months)
    month0 = {k: float(v[0]) for k, v in vars(path).items() if hasattr(v, "__len__") and len(v)}
    economy = {k: getattr(cfg.economy, k) for k in ECONOMY_KEYS}
    what = {"population": asdict(cfg.population), "platform": asdict(cfg.platform),
            "economy": economy, "economy_month0": month0, "run": run,
            "replicate": replicate, "code": code_fingerprint()}
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:32]


def cache_dir(cfg: Config) -> Path:
    """The cache folder of ``cfg`` (``run.cache_dir``, or the default under the user's cache)."""
    if cfg.run.cache_dir:
        return Path(cfg.run.cache_dir).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bnpl-stress" / "seasoned"


def _read(path: Path) -> dict | None:
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError, TypeError):
        return None


def _write(path: Path, snap: dict) -> None:
    """Temp name in the same folder, then rename: atomic, and harmless if another writer wins."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return  # a cache that cannot be written only costs time
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(snap, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def seasoned_model(cfg: Config, replicate: int,
                   progress: Callable[[int], None] | None = None) -> tuple[CreditModel, bool]:
    """Replicate ``replicate``'s model at month 0, burn-in done; and whether it came from the cache.

    ``progress(1)`` after each burn-in month simulated (a cached start calls it ``burn_in`` times).
    """
    if not cfg.run.burn_in_cache or cfg.run.burn_in == 0:
        model = CreditModel(cfg, replicate=replicate)
        model.run(progress, until=0)
        return model, False
    path = cache_dir(cfg) / f"{cache_key(cfg, replicate)}.pkl"
    snap = _read(path)
    if snap is not None:
        model = CreditModel(cfg, replicate=replicate, seasoned=snap)  # no initial population drawn
        if progress is not None:
            progress(cfg.run.burn_in)
        return model, True
    model = CreditModel(cfg, replicate=replicate)
    model.run(progress, until=0)
    _write(path, model.snapshot())
    return model, False
