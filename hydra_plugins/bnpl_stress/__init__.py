"""bnpl-stress's Hydra plugin: the sweeper of ``bnpl-stress -m`` (Hydra instantiates plugins only
from the ``hydra_plugins`` namespace package; the code is :mod:`simulator.apps.sweeper`).
"""
