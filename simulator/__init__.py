"""bnpl-stress: an agent-based stress simulator for buy-now-pay-later consumer credit.

The public API::

    import simulator
    cfg = simulator.compose(["economy=severe_recession", "run.n_borrowers=20000"])
    res = simulator.run_scenario("economy=severe_recession", n_borrowers=20_000, replicates=3)
    model = simulator.CreditModel(cfg)           # step it month by month: model.step()
    isinstance(res, simulator.RunResult)

The package is layered (``config`` → ``core`` → ``outputs`` → ``studies`` → ``apps``); the map
is ``docs/ARCHITECTURE.md``.
"""

from simulator.config import ConfigError, compose
from simulator.core.model import CreditModel
from simulator.outputs.results import RunResult
from simulator.studies.replicates import version
from simulator.studies.runner import run, run_scenario

__version__ = version()

__all__ = ["compose", "run_scenario", "run", "CreditModel", "RunResult", "ConfigError", "__version__"]
