"""Hydra configuration of bnpl-stress, installed as the package ``simulator.conf``."""
