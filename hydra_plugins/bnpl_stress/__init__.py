"""bnpl-stress's Hydra plugin: the sweeper of ``bnpl-stress -m`` (``compose_once_sweeper``; Hydra
instantiates plugins only from the ``hydra_plugins`` namespace package). It imports nothing of
``simulator``.
"""
