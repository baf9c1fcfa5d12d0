"""``hydra/sweeper=compose_once``, the sweeper of ``bnpl-stress -m``: Hydra's basic sweeper,
composing each job's config once.

Hydra's :class:`~hydra._internal.core_plugins.basic_sweeper.BasicSweeper` composes every job's
config twice: once to check, before the first job starts, that every job of the batch composes
(``validate_batch_is_legal``), and again when the launcher starts the job. A composition costs
~0.15 CPU s (Hydra's defaults list, YAML parsing, OmegaConf copies), the largest part of what an
extra run adds to a sweep of small runs. :class:`ComposeOnceSweeper` keeps the check (every job
still composes before any job runs) and hands the composed config of the check to the in-process
basic launcher, which would compose exactly the same config again (same master config, same
overrides, the same files read in the same process a moment later). Other launchers (joblib,
Ray, submitit) compose in their worker processes as before: for them nothing is kept.

Hydra instantiates plugins only from the ``hydra_plugins`` namespace package, hence this module's
place (it imports nothing of ``simulator``). The command registers the class with Hydra
(``simulator.apps.cli``, at import: Hydra's plugin scan does not find the namespace package of an
editable install) and :func:`simulator.config.register_configs` stores the config
``hydra/sweeper=compose_once`` (selected in ``conf/config.yaml``), which takes the basic
sweeper's settings (``hydra.sweeper.params``, ``hydra.sweeper.max_batch_size``) and falls back to
the basic sweeper when this class is not registered. ``hydra/sweeper=basic`` is Hydra's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig

__all__ = ["ComposeOnceSweeper", "KEEP_MAX"]

#: The in-process launcher (compared by name: Hydra's plugin scan loads its own copy of the class).
BASIC_LAUNCHER = "hydra._internal.core_plugins.basic_launcher.BasicLauncher"

#: At most this many composed job configs are kept between the check and the launch (a few
#: hundred kB each); the jobs of a larger batch beyond it are composed again at launch, as Hydra does.
KEEP_MAX = 256


class _ComposeOnceLoader:
    """Hydra's config loader, with the configs composed by the sweeper's check kept for the launcher.

    ``load_sweep_config`` returns (and forgets) a config :meth:`compose_ahead` composed for the same
    master config and overrides, else composes as Hydra does. Everything else is the wrapped
    loader's. Pickled (joblib, Ray, submitit ship it to workers) without the kept configs.
    """

    def __init__(self, loader: Any) -> None:
        self._loader = loader
        self._kept: dict[tuple[int, tuple[str, ...]], DictConfig] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_loader", "_kept"):
            raise AttributeError(name)
        return getattr(self._loader, name)

    def __getstate__(self) -> dict:
        return {"_loader": self._loader, "_kept": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def compose_ahead(self, master_config: DictConfig, sweep_overrides: list[str], keep: bool) -> None:
        """Compose one job's config (raising what Hydra raises for a config that does not compose);
        keep it for the launcher if ``keep`` and fewer than :data:`KEEP_MAX` are kept.
        """
        cfg = self._loader.load_sweep_config(master_config=master_config, sweep_overrides=sweep_overrides)
        if keep and len(self._kept) < KEEP_MAX:
            self._kept[(id(master_config), tuple(sweep_overrides))] = cfg

    def load_sweep_config(self, master_config: DictConfig, sweep_overrides: list[str]) -> DictConfig:
        """The job's config: the one composed ahead for these overrides, else freshly composed."""
        cfg = self._kept.pop((id(master_config), tuple(sweep_overrides)), None)
        if cfg is not None:
            return cfg
        return self._loader.load_sweep_config(master_config=master_config, sweep_overrides=sweep_overrides)

    def forget(self) -> None:
        """Drop every kept config (after a batch: what its launch did not take is not needed)."""
        self._kept.clear()


class ComposeOnceSweeper(BasicSweeper):
    """:class:`BasicSweeper` (same settings, same jobs, same order, same check before any job)
    whose check's composed configs are reused by the in-process basic launcher.
    """

    def __init__(self, max_batch_size: int | None, params: dict[str, str] | None = None) -> None:
        # BasicSweeper.__init__'s attributes, without its super(BasicSweeper, self): Hydra's plugin
        # scan re-executes hydra's core plugin modules, and the name may then be another class
        Sweeper.__init__(self)
        self.overrides = None
        self.batch_index = 0
        self.max_batch_size = max_batch_size
        self.params = params if params is not None else {}
        self.hydra_context = None
        self.config = None
        self.launcher = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        """As the basic sweeper, with the config loader wrapped (:class:`_ComposeOnceLoader`)."""
        loader = _ComposeOnceLoader(hydra_context.config_loader)
        super().setup(hydra_context=HydraContext(config_loader=loader, callbacks=hydra_context.callbacks),
                      task_function=task_function, config=config)

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Compose every job of the batch (Hydra's check); keep the configs for the basic launcher."""
        assert self.hydra_context is not None and self.config is not None
        loader = self.hydra_context.config_loader
        loader.forget()
        keep = f"{type(self.launcher).__module__}.{type(self.launcher).__qualname__}" == BASIC_LAUNCHER
        for overrides in batch:
            loader.compose_ahead(self.config, list(overrides), keep)
