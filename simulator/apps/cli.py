"""``bnpl-stress``: the command line, a thin Hydra app around :mod:`simulator.studies.runner`.

Before Hydra starts, every override on the command line (each value of a sweep too) is composed
and validated, so bad input stops before any work with one line naming the key, the value and
what is allowed, and exit code 2. Hydra then runs the job(s); each job writes its outputs into
its Hydra run directory atomically.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from simulator.config import EXIT_BAD_INPUT, ConfigError, precheck, register_configs, to_config
from simulator.outputs.results import is_complete
from simulator.studies.runner import run

__all__ = ["main"]

register_configs()

#: Hydra flags that take no value / one value (others make the pre-check stand aside).
_FLAGS_NO_VALUE = {"-m", "--multirun", "--resolve"}
_FLAGS_WITH_VALUE = {"-cp", "--config-path", "-cn", "--config-name", "-cd", "--config-dir",
                     "-c", "--cfg", "-p", "--package"}


def _overrides_from_argv(argv: list[str]) -> list[str] | None:
    """The overrides on the command line, or None when flags the pre-check doesn't know are used."""
    out: list[str] = []
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in _FLAGS_NO_VALUE:
            continue
        if a in _FLAGS_WITH_VALUE:
            skip = True
            continue
        if a.startswith("-"):
            return None
        out.append(a)
    return out


def _same_complete_run(out: Path, config) -> bool:
    """Whether ``out`` holds the complete outputs of a run of ``config`` (run.skip_existing)."""
    if not is_complete(out):
        return False
    with open(out / "summary.json") as f:
        done = json.load(f).get("config", {})
    want = json.loads(json.dumps(dataclasses.asdict(config)))
    for d in (done, want):  # these two never change the numbers
        d.get("run", {}).pop("skip_existing", None)
        d.get("run", {}).pop("progress", None)
    return done == want


@hydra.main(config_path="pkg://simulator.conf", config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    try:
        config = to_config(cfg)
    except ConfigError as exc:
        print(f"bnpl-stress: error: {exc}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)
    out = Path(HydraConfig.get().runtime.output_dir)
    if config.run.skip_existing and _same_complete_run(out, config):
        print(f"bnpl-stress: {out}  skipped: complete outputs of the same config exist")
        return
    result = run(config, out)
    m = result.summary["metrics"]
    print(f"bnpl-stress: {out}  cum_default_rate={m['cum_default_rate']['mean']:.4f}  "
          f"peak_default_rate={m['peak_default_rate']['mean']:.5f}  "
          f"dpd90_rate_end={m['dpd90_rate_end']['mean']:.4f}  loss_rate={m['loss_rate']['mean']:.4f}")


def main() -> None:
    """Entry point of the ``bnpl-stress`` console script."""
    overrides = _overrides_from_argv(sys.argv[1:])
    if overrides is not None:
        try:
            precheck(overrides)
        except ConfigError as exc:
            print(f"bnpl-stress: error: {exc}", file=sys.stderr)
            sys.exit(EXIT_BAD_INPUT)
    _app()


if __name__ == "__main__":
    main()
