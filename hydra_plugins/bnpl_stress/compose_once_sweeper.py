"""``hydra/sweeper=compose_once``: Hydra's basic sweeper, each job's config composed once.

Hydra instantiates plugins only from the ``hydra_plugins`` namespace package, so the class is
declared here; everything it does is :class:`simulator.apps.sweeper.ComposeOnceSweeper`.
"""

from simulator.apps.sweeper import ComposeOnceSweeper as _ComposeOnce

__all__ = ["ComposeOnceSweeper"]


class ComposeOnceSweeper(_ComposeOnce):
    """See :class:`simulator.apps.sweeper.ComposeOnceSweeper`."""
