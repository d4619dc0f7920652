"""Errors the engine raises on purpose, each carrying what the user needs to fix it."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration value is wrong: names the key and the expected form."""

    def __init__(self, key: str, expected: str, got: object = None, source: str | None = None) -> None:
        self.key, self.expected, self.got, self.source = key, expected, got, source
        where = f" in {source}" if source else ""
        shown = f" (got {got!r})" if got is not None else ""
        super().__init__(f"config key '{key}'{where}: expected {expected}{shown}")


class StoreError(Exception):
    """The store could not read or write; `path` names the file concerned."""

    def __init__(self, message: str, path: str | None = None) -> None:
        self.message, self.path = message, path
        super().__init__(f"{message} ({path})" if path else message)


class StoreWriteError(StoreError):
    """A write did not happen (disk full, read-only directory...). Nothing stored was changed."""


class StoreCorrupt(StoreError):
    """A store file cannot be parsed: never silently reset, the message names the file."""
