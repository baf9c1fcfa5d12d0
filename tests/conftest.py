"""Shared fixtures: a tiny config that runs in a fraction of a second, and models that release themselves.

- ``tiny_overrides``: the overrides of the tiny config (1,500 borrowers, 6 reported months after
  a 2-month burn-in, one replicate, no charts), a fresh list for each test;
- ``compose_tiny``: ``compose_tiny("policy=hardship", ...)`` composes the tiny config plus overrides;
- ``tiny_config``: the tiny config itself;
- ``make_model``: ``make_model(cfg, replicate=0)`` builds a ``CreditModel`` that is released
  (``model.release()``, which drops it from Mesa's registry) when the test ends, pass or fail;
- ``tiny_model``: a model of the tiny config, released at the end of the test.

The seasoned-start cache (``run.cache_dir=''``) goes to a temporary ``XDG_CACHE_HOME`` for the
whole session (subprocesses inherit it), never to the user's cache.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from simulator.config import Config, compose
from simulator.core.model import CreditModel

#: The tiny config: enough borrowers for accounts, delinquencies and defaults in every run.
TINY_OVERRIDES = ("run.n_borrowers=1500", "run.months=6", "run.burn_in=2", "run.replicates=1",
                  "run.charts=false")


@pytest.fixture(scope="session", autouse=True)
def _private_cache_home(tmp_path_factory) -> Iterator[None]:
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture
def tiny_overrides() -> list[str]:
    """The tiny config's overrides (a new list: tests may extend it)."""
    return list(TINY_OVERRIDES)


@pytest.fixture(scope="session")
def compose_tiny() -> Callable[..., Config]:
    """``compose_tiny(*overrides)``: the tiny config with ``overrides`` applied after it (a new config each call)."""

    def make(*overrides: str) -> Config:
        return compose([*TINY_OVERRIDES, *overrides])

    return make


@pytest.fixture
def tiny_config(compose_tiny) -> Config:
    """The tiny config."""
    return compose_tiny()


@pytest.fixture
def make_model() -> Iterator[Callable[..., CreditModel]]:
    """``make_model(cfg, replicate=0)``: a ``CreditModel`` released when the test ends."""
    models: list[CreditModel] = []

    def make(cfg: Config, replicate: int = 0) -> CreditModel:
        model = CreditModel(cfg, replicate=replicate)
        models.append(model)
        return model

    yield make
    for model in models:
        model.release()


@pytest.fixture
def tiny_model(tiny_config, make_model) -> CreditModel:
    """A model of the tiny config (not yet stepped), released when the test ends."""
    return make_model(tiny_config)
