"""Range checks of a composed configuration and of the files it names.

:func:`check_ranges` reads each field's allowed range from its schema's metadata
(:mod:`simulator.config.schemas`) and runs each schema's cross-field ``check``;
:func:`check_inputs` adds the files a config names (a macro path CSV). Every failure is a
:class:`~simulator.config.errors.ConfigError` whose message is one line naming the key, the value
and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from omegaconf import OmegaConf

from simulator.config.errors import ConfigError
from simulator.config.paths import read_path_file
from simulator.config.schemas import Config

__all__ = ["check_ranges", "check_inputs", "to_config"]


def _fmt(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _check_value(key: str, value: Any, meta: dict) -> None:
    choices = meta.get("choices")
    if choices is not None and value not in choices:
        allowed = ", ".join(str(c) for c in choices)
        raise ConfigError(f"{key}={_fmt(value)}: allowed: one of {allowed}")
    values = value if isinstance(value, list) else [value]
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        if isinstance(v, float) and not math.isfinite(v):
            raise ConfigError(f"{key}={_fmt(value)}: allowed: a finite number")
        bounds = [
            ("ge", ">=", lambda a, b: a >= b),
            ("gt", ">", lambda a, b: a > b),
            ("le", "<=", lambda a, b: a <= b),
            ("lt", "<", lambda a, b: a < b),
        ]
        for name, _sym, ok in bounds:
            b = meta.get(name)
            if b is not None and not ok(v, b):
                rng = []
                for n2, s2, _ in bounds:
                    if meta.get(n2) is not None:
                        b2 = meta[n2]
                        rng.append(f"{s2} {b2}" if isinstance(b2, int) else f"{s2} {b2:g}")
                raise ConfigError(f"{key}={_fmt(value)}: allowed: {' and '.join(rng)}")


def check_ranges(cfg: Config, prefix: str = "") -> Config:
    """Check every field's range and each schema's cross-field rules.

    Args:
        cfg: a config dataclass (the whole :class:`Config` or one group).
        prefix: dotted key of ``cfg`` inside the whole config, for messages.

    Returns:
        ``cfg`` unchanged.

    Raises:
        ConfigError: one line naming the key, the value and what is allowed.
    """
    for f in dataclasses.fields(cfg):
        key = f"{prefix}.{f.name}" if prefix else f.name
        value = getattr(cfg, f.name)
        if dataclasses.is_dataclass(value):
            check_ranges(value, key)
        else:
            _check_value(key, value, dict(f.metadata))
    check = getattr(cfg, "check", None)
    if check is not None:
        check(prefix)
    return cfg


def _check_known_keys(node: Any, schema: type, prefix: str) -> None:
    """Reject keys that the schema does not have (e.g. added on the command line with ``+``)."""
    if not isinstance(node, dict):
        return
    fields = {f.name: f for f in dataclasses.fields(schema)}
    for k, v in node.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if k == "hydra" and not prefix:
            continue
        if k not in fields:
            allowed = ", ".join(fields) or "none"
            raise ConfigError(
                f"{key}={v!r}: unknown key; allowed: one of the keys{' in ' + prefix if prefix else ''}: {allowed}"
            )
        t = fields[k].default_factory if callable(fields[k].default_factory) else None
        if t is not None and dataclasses.is_dataclass(t):
            _check_known_keys(v, t, key)


def to_config(cfg: Any) -> Config:
    """Turn a composed OmegaConf node (or a Config) into a validated :class:`Config`."""
    if isinstance(cfg, Config):
        return check_ranges(cfg)
    _check_known_keys(OmegaConf.to_container(cfg, resolve=False), Config, "")
    obj = OmegaConf.to_object(cfg)
    if not isinstance(obj, Config):  # a plain DictConfig: merge onto the schema for type checks
        obj = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(Config), cfg))
    return check_ranges(obj)


def check_inputs(cfg: Config) -> Config:
    """Check ``cfg``'s ranges and the files it names (a macro path file), before any work.

    Raises:
        ConfigError: one line naming the key, the value and what is allowed.
    """
    check_ranges(cfg)
    if cfg.economy.name == "from_csv" and not cfg.economy.path_file:
        raise ConfigError("economy.path_file='': required with economy=from_csv; allowed: a CSV file "
                          "path, e.g. economy.path_file=scenarios/paths/sudden_stop.csv")
    if cfg.economy.path_file:
        read_path_file(cfg.economy.path_file, cfg.run.months)
    return cfg
