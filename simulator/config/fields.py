"""How a setting is declared: a dataclass field with its allowed range, unit and meaning.

Every schema field is made with :func:`setting`; :func:`simulator.config.checks.check_ranges`
reads the metadata and the ODD parameter table (``python -m simulator.apps.odd``) prints it.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

__all__ = ["setting", "PROB"]


def setting(
    default: Any,
    *,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
    unit: str = "",
    doc: str = "",
    choices: tuple | None = None,
) -> Any:
    """A dataclass field carrying its allowed range, unit and meaning in metadata."""
    meta = {"ge": ge, "le": le, "gt": gt, "lt": lt, "unit": unit, "doc": doc, "choices": choices}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


#: The range of a probability or share.
PROB = {"ge": 0.0, "le": 1.0}
