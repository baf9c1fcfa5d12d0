"""Composing a configuration: Hydra's config files plus overrides, checked, as a :class:`Config`.

:func:`compose` is what every entry point uses (the command line's pre-check, notebooks, the
studies and the dashboard); :func:`one_line_error` turns Hydra's and OmegaConf's composition
errors into the one-line message every command prints for bad input; :func:`precheck` composes
each value of each sweep override before a multirun starts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from importlib.resources import files

from hydra import compose as _compose
from hydra import initialize_config_module
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser

from simulator.config.checks import check_inputs, to_config
from simulator.config.errors import ConfigError
from simulator.config.schemas import Config

__all__ = ["register_configs", "compose", "one_line_error", "precheck", "CONFIG_MODULE"]

#: The package that holds the Hydra config files (``conf/`` and ``scenarios/``, as package data).
CONFIG_MODULE = "simulator.conf"


def register_configs() -> None:
    """Register the schemas in Hydra's ConfigStore (idempotent)."""
    ConfigStore.instance().store(name="base_config", node=Config)


def compose(overrides: Sequence[str] = ()) -> Config:
    """Compose the packaged Hydra config with ``overrides`` and validate it (no app, no output dir).

    Raises:
        ConfigError: for a bad key, value or option (one-line message).
    """
    register_configs()
    gh = GlobalHydra.instance()
    if gh.is_initialized():
        gh.clear()
    with initialize_config_module(config_module=CONFIG_MODULE, version_base="1.3"):
        try:
            cfg = _compose(config_name="config", overrides=list(overrides))
        except Exception as exc:  # Hydra/OmegaConf composition errors
            raise ConfigError(one_line_error(exc, list(overrides))) from exc
    return check_inputs(to_config(cfg))


def _group_options(group: str) -> list[str]:
    """Options of a config group as shipped in the package (``conf/<group>/*.yaml``)."""
    try:
        d = files("simulator.conf").joinpath(group)
        return sorted(p.name[:-5] for p in d.iterdir() if p.name.endswith(".yaml"))
    except (FileNotFoundError, NotADirectoryError, ModuleNotFoundError):
        return []


def _allowed_keys(section: str) -> str:
    """The keys a config section accepts, from its dataclass schema."""
    node: object = Config
    for part in [p for p in section.split(".") if p]:
        fields = {f.name: f for f in dataclasses.fields(node)} if dataclasses.is_dataclass(node) else {}
        if part not in fields:
            return "the keys of the schema in simulator/config/schemas.py"
        node = fields[part].default_factory() if callable(fields[part].default_factory) else None
    if not dataclasses.is_dataclass(node):
        return "the keys of the schema in simulator/config/schemas.py"
    names = [f.name for f in dataclasses.fields(node)]
    where = f" in {section}" if section else ""
    return f"one of the keys{where}: {', '.join(names)}" if names else f"no keys{where}"


def _field_type(key: str) -> str:
    """What a config key accepts, from its dataclass field type."""
    node: object = Config()
    f = None
    for part in key.split("."):
        fields = {x.name: x for x in dataclasses.fields(node)} if dataclasses.is_dataclass(node) else {}
        f = fields.get(part)
        if f is None:
            return "a value of the declared type"
        node = getattr(node, part)
    t = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    names = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "a string",
             "list[float]": "a list of numbers, e.g. [1.0,2.0]", "list[int]": "a list of whole numbers, e.g. [3,6]"}
    return names.get(t, f"a value of type {t}")


def one_line_error(exc: BaseException, overrides: list[str]) -> str:
    """Turn a Hydra/OmegaConf composition error into one line: key, value, what is allowed."""
    if isinstance(exc, ConfigError):
        return str(exc)
    text = " ".join(str(exc).split())
    chain = exc
    while chain.__cause__ is not None:
        chain = chain.__cause__
    cause = " ".join(str(chain).split())
    kv = dict(o.lstrip("+~").split("=", 1) for o in overrides if "=" in o)
    m = re.search(r"Could not find '([^']+)/([^']+)'", text) or re.search(
        r"Could not load '([^']+)/([^']+)'", text)
    if m:
        group, value = m.group(1), m.group(2)
        options = _group_options(group)
        allowed = f"one of {', '.join(options)}" if options else "an existing option"
        return f"{group}={value!r}: unknown option; allowed: {allowed}"
    m = re.search(r"Could not override '([^']+)'", text) or re.search(
        r"Could not append to config\. An item is already at '([^']+)'", text)
    key = m.group(1) if m else None
    if key is None:
        m = re.search(r"full_key: (\S+)", str(chain))
        key = m.group(1) if m else None
    value = kv.get(key or "", "?")
    if key and "." not in key and (key == "scenario" or _group_options(key)):
        options = _group_options(key)
        allowed = f"one of {', '.join(options)}" if options else "no options are installed yet"
        return f"{key}={value!r}: unknown option; allowed: {allowed}"
    if re.search(r"not in struct|not in '|Key '[^']+' not in|ConfigKeyError|ConfigAttributeError",
                 cause + " " + text):
        section = key.rsplit(".", 1)[0] if key and "." in key else ""
        return f"{key}={value!r}: unknown key; allowed: {_allowed_keys(section)}"
    if re.search(r"could not be converted to|is not a valid|Value '|Invalid value assigned", cause):
        return f"{key}={value!r}: wrong type; allowed: {_field_type(key or '')}"
    first = cause.split(" full_key:")[0]
    return f"{key or 'config'}={value!r}: {first}" if key else f"invalid configuration: {first}"


def precheck(overrides: list[str]) -> None:
    """Compose and validate every value of every override (sweeps expanded one at a time).

    Raises:
        ConfigError: the first bad key or value, as one line.
    """
    parser = OverridesParser.create()
    try:
        parsed = parser.parse_overrides(overrides)
    except Exception as exc:
        raise ConfigError(f"cannot parse overrides {' '.join(overrides)!r}: "
                          f"{' '.join(str(exc).split())}") from exc
    choices: list[list[str]] = []
    for o in parsed:
        if o.is_hydra_override():
            continue
        key = o.get_key_element()
        if o.is_sweep_override():
            if o.is_interval_sweep():
                continue
            choices.append([f"{key}={v}" for v in o.sweep_string_iterator()])
        else:
            choices.append([o.input_line])
    base = [c[0] for c in choices]
    compose(base)
    for i, c in enumerate(choices):
        for v in c[1:]:
            compose(base[:i] + [v] + base[i + 1:])
