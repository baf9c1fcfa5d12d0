"""Policies (remedies R1–R5 and public policy): objects with declared hooks into the step.

A policy implements ``initialize(model)`` (once, after the population is drawn) and
``apply(model)`` (every month, at the 'policies' stage of :meth:`CreditModel.step`); it acts only
through the platform's or the borrowers' explicit setters. With ``policy=none`` the list is
empty. The remedies themselves are issue 3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import PolicyConfig

if TYPE_CHECKING:
    from .model import CreditModel

__all__ = ["Policy", "build_policies"]


class Policy:
    """Base class of a policy."""

    name = "policy"

    def initialize(self, model: CreditModel) -> None:
        """Called once before the first step."""

    def apply(self, model: CreditModel) -> None:
        """Called every month at the 'policies' stage."""


def build_policies(cfg: PolicyConfig) -> list[Policy]:
    """The active policies of a config (none so far)."""
    return []
