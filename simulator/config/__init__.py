"""The configuration layer: typed schemas, range checks, macro path files and composition.

Nothing here imports the rest of the package; every other layer imports from here.
"""

from simulator.config.checks import check_inputs, check_ranges, to_config
from simulator.config.compose import compose, one_line_error, precheck, register_configs
from simulator.config.errors import EXIT_BAD_INPUT, ConfigError
from simulator.config.schemas import (
    Config,
    EconomyConfig,
    PlatformConfig,
    PolicyConfig,
    PopulationConfig,
    ReportConfig,
    RunConfig,
)

__all__ = [
    "Config", "PopulationConfig", "PlatformConfig", "EconomyConfig", "PolicyConfig", "RunConfig", "ReportConfig",
    "ConfigError", "EXIT_BAD_INPUT", "check_ranges", "check_inputs", "to_config",
    "compose", "one_line_error", "precheck", "register_configs",
]
