"""The one error type of bad input: :class:`ConfigError`, whose message is one line."""

from __future__ import annotations

__all__ = ["ConfigError", "EXIT_BAD_INPUT"]

#: Exit code of every command for bad input (a key, value, option, path or file a user gave).
EXIT_BAD_INPUT = 2


class ConfigError(ValueError):
    """A configuration value is not allowed. The message is one line: key, value, what is allowed."""
