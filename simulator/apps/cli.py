"""``bnpl-stress``: the command line, a thin Hydra app around :mod:`simulator.studies.runner`.

Before Hydra starts, every override on the command line (each value of a sweep too) is composed
and validated, so bad input stops before any work with one line naming the key, the value and
what is allowed, and exit code 2. Hydra then runs the job(s); each job writes its outputs into
its Hydra run directory atomically.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import hydra
from omegaconf import DictConfig

from simulator.config.schemas import ConfigError, register_configs, to_config

__all__ = ["main", "one_line_error", "precheck"]

register_configs()

EXIT_BAD_INPUT = 2
#: Hydra flags that take no value / one value (others make the pre-check stand aside).
_FLAGS_NO_VALUE = {"-m", "--multirun", "--resolve"}
_FLAGS_WITH_VALUE = {"-cp", "--config-path", "-cn", "--config-name", "-cd", "--config-dir",
                     "-c", "--cfg", "-p", "--package"}


def _group_options(group: str) -> list[str]:
    """Options of a config group as shipped in the package (``conf/<group>/*.yaml``)."""
    from importlib.resources import files

    try:
        d = files("simulator.conf").joinpath(group)
        return sorted(p.name[:-5] for p in d.iterdir() if p.name.endswith(".yaml"))
    except (FileNotFoundError, NotADirectoryError, ModuleNotFoundError):
        return []


def _allowed_keys(section: str) -> str:
    """The keys a config section accepts, from its dataclass schema."""
    import dataclasses

    from simulator.config.schemas import Config

    node: object = Config
    for part in [p for p in section.split(".") if p]:
        fields = {f.name: f for f in dataclasses.fields(node)} if dataclasses.is_dataclass(node) else {}
        if part not in fields:
            return "the keys of the schema in simulator/config.py"
        node = fields[part].default_factory() if callable(fields[part].default_factory) else None
    if not dataclasses.is_dataclass(node):
        return "the keys of the schema in simulator/config.py"
    names = [f.name for f in dataclasses.fields(node)]
    where = f" in {section}" if section else ""
    return f"one of the keys{where}: {', '.join(names)}" if names else f"no keys{where}"


def _field_type(key: str) -> str:
    """What a config key accepts, from its dataclass field type."""
    import dataclasses

    from simulator.config.schemas import Config

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


def _overrides_from_argv(argv: list[str]) -> list[str] | None:
    """The overrides on the command line, or None when flags the pre-check doesn't know are used."""
    out: list[str] = []
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in _FLAGS_NO_VALUE:
            continue
        if a in _FLAGS_WITH_VALUE:
            skip = True
            continue
        if a.startswith("-"):
            return None
        out.append(a)
    return out


def precheck(overrides: list[str]) -> None:
    """Compose and validate every value of every override (sweeps expanded one at a time).

    Raises:
        ConfigError: the first bad key or value, as one line.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from simulator.studies.runner import compose

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


def _same_complete_run(out: Path, config) -> bool:
    """Whether ``out`` holds the complete outputs of a run of ``config`` (run.skip_existing)."""
    import dataclasses
    import json

    from simulator.outputs.results import is_complete

    if not is_complete(out):
        return False
    with open(out / "summary.json") as f:
        done = json.load(f).get("config", {})
    want = json.loads(json.dumps(dataclasses.asdict(config)))
    for d in (done, want):  # these two never change the numbers
        d.get("run", {}).pop("skip_existing", None)
        d.get("run", {}).pop("progress", None)
    return done == want


@hydra.main(config_path="pkg://simulator.conf", config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    from hydra.core.hydra_config import HydraConfig

    from simulator.studies.runner import run

    try:
        config = to_config(cfg)
    except ConfigError as exc:
        print(f"bnpl-stress: error: {exc}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)
    out = Path(HydraConfig.get().runtime.output_dir)
    if config.run.skip_existing and _same_complete_run(out, config):
        print(f"bnpl-stress: {out}  skipped: complete outputs of the same config exist")
        return
    result = run(config, out)
    m = result.summary["metrics"]
    print(f"bnpl-stress: {out}  cum_default_rate={m['cum_default_rate']['mean']:.4f}  "
          f"peak_default_rate={m['peak_default_rate']['mean']:.5f}  "
          f"dpd90_rate_end={m['dpd90_rate_end']['mean']:.4f}  loss_rate={m['loss_rate']['mean']:.4f}")


def main() -> None:
    """Entry point of the ``bnpl-stress`` console script."""
    overrides = _overrides_from_argv(sys.argv[1:])
    if overrides is not None:
        try:
            precheck(overrides)
        except ConfigError as exc:
            print(f"bnpl-stress: error: {exc}", file=sys.stderr)
            sys.exit(EXIT_BAD_INPUT)
    _app()


if __name__ == "__main__":
    main()
