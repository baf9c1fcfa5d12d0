"""Named studies (``scenario=NAME``), installed as ``simulator.conf.scenario``; macro paths in ``paths/``."""
