"""``bnpl-stress``: the command line, a thin Hydra app around :mod:`simulator.studies.runner`.

Before Hydra starts, every override on the command line (each value of a sweep too) is composed
and validated, so bad input stops before any work with one line naming the key, the value and
what is allowed, and exit code 2 (the codes: :mod:`simulator.apps.errors`). Hydra then runs the
job(s); each job first claims its folder (stale outputs of an earlier start are removed, so
nothing there looks finished), then writes its outputs atomically. Ctrl-C or SIGTERM prints one
line, leaves no ``summary.json`` and exits 130 / 143.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.core.plugins import Plugins
from hydra.types import RunMode
from omegaconf import DictConfig

from simulator.apps.errors import check_out_dir, fail, guarded
from simulator.config import ConfigError, precheck, register_configs, to_config
from simulator.config.compose import config_names, needs_multirun
from simulator.outputs.results import is_complete
from simulator.outputs.rundir import claim_run_dir, confirm_record, read_sweep_id, tag_job
from simulator.studies.runner import run

__all__ = ["main", "PROG", "RESUME_IGNORED"]

PROG = "bnpl-stress"



def _register_sweeper() -> bool:
    """Register the sweeper plugin (``hydra_plugins/bnpl_stress``) with Hydra; False if not installed.

    Hydra's plugin scan misses the namespace package of an editable install, so the class is
    registered by hand, after the scan (which re-executes the modules it finds: a class imported
    before it would derive from a replaced ``BasicSweeper``). The plugin is optional: an install
    older than it (re-run ``pip install -e .``) sweeps with Hydra's basic sweeper.
    """
    plugins = Plugins.instance()  # the scan, once per process
    try:
        from hydra_plugins.bnpl_stress.compose_once_sweeper import ComposeOnceSweeper
    except ImportError:
        return False
    plugins.register(ComposeOnceSweeper)
    return True


_register_sweeper()
register_configs()  # hydra/sweeper=compose_once: the plugin if registered, else Hydra's basic sweeper

#: Hydra flags that take no value / one value (others make the pre-check stand aside).
_FLAGS_NO_VALUE = {"-m", "--multirun", "--resolve"}
_FLAGS_WITH_VALUE = {"-cp", "--config-path", "-cn", "--config-name", "-cd", "--config-dir",
                     "-c", "--cfg", "-p", "--package"}
#: run.* settings that never change the numbers: a resume (run.skip_existing) ignores them.
#: run.charts is not among them: a resume without charts must not claim charts exist.
RESUME_IGNORED = ("skip_existing", "progress", "threads")


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


def _flag_value(argv: list[str], names: tuple[str, ...]) -> str | None:
    for i, a in enumerate(argv):
        if a in names and i + 1 < len(argv):
            return argv[i + 1]
        for n in names:
            if n.startswith("--") and a.startswith(n + "="):
                return a.split("=", 1)[1]
    return None


def _same_complete_run(out: Path, config) -> bool:
    """Whether ``out`` holds the complete outputs of a run of ``config`` (run.skip_existing).

    A corrupt ``summary.json`` is not a complete run (it is recomputed).
    """
    if not is_complete(out):
        return False
    try:
        with open(out / "summary.json") as f:
            done = json.load(f).get("config", {})
    except (OSError, ValueError, AttributeError):
        return False
    want = json.loads(json.dumps(dataclasses.asdict(config)))
    for d in (done, want):  # these never change the numbers
        for k in RESUME_IGNORED:
            d.get("run", {}).pop(k, None)
    return done == want


def _absolute_path_file(cfg: DictConfig, cwd: Path) -> None:
    """A relative ``economy.path_file`` is relative to where the command was started (hydra.job.chdir=true
    moves the job into its output folder).
    """
    econ = cfg.get("economy")
    path = econ.get("path_file") if econ is not None else None
    if path and not Path(path).expanduser().is_absolute() and (cwd / path).is_file():
        econ.path_file = str(cwd / path)


@hydra.main(config_path="pkg://simulator.conf", config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    with guarded(PROG):
        hc = HydraConfig.get()
        out = Path(hc.runtime.output_dir)
        _absolute_path_file(cfg, Path(hc.runtime.cwd))
        config = to_config(cfg)
        sweep_id = read_sweep_id(Path(hc.runtime.cwd) / str(hc.sweep.dir)) \
            if hc.mode == RunMode.MULTIRUN else None
        if config.run.skip_existing and _same_complete_run(out, config):
            tag_job(out, sweep_id)  # a resumed job belongs to this sweep too
            confirm_record(out)  # same config: this start's .hydra record describes the kept numbers
            print(f"{PROG}: {out}  skipped: complete outputs of the same config exist")
            return
        claim_run_dir(out)  # stale outputs of an earlier start go before any work
        tag_job(out, sweep_id)
        result = run(config, out)
    m = result.summary["metrics"]
    print(f"{PROG}: {out}  cum_default_rate={m['cum_default_rate']['mean']:.4f}  "
          f"peak_default_rate={m['peak_default_rate']['mean']:.5f}  "
          f"dpd90_rate_end={m['dpd90_rate_end']['mean']:.4f}  loss_rate={m['loss_rate']['mean']:.4f}")


def _precheck(argv: list[str]) -> None:
    name = _flag_value(argv, ("-cn", "--config-name"))
    if name is not None and name not in config_names():
        fail(PROG, f"--config-name={name!r}: unknown config; allowed: one of {', '.join(config_names())}")
    overrides = _overrides_from_argv(argv)
    if overrides is None:
        return
    multirun = any(a in ("-m", "--multirun") for a in argv)
    try:
        precheck(overrides)
        scenario = needs_multirun(overrides)
    except ConfigError as exc:
        fail(PROG, str(exc))
    if scenario and not multirun:
        fail(PROG, f"scenario={scenario}: is a sweep; allowed: run it with -m (bnpl-stress -m scenario={scenario})")
    for o in overrides:
        key, _, value = o.partition("=")
        if key in ("hydra.run.dir", "hydra.sweep.dir") and value and "${" not in value:
            check_out_dir(PROG, key, Path(value))


def main() -> None:
    """Entry point of the ``bnpl-stress`` console script."""
    with guarded(PROG):
        _precheck(sys.argv[1:])
        _app()


if __name__ == "__main__":
    main()
