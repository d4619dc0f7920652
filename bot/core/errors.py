"""Errors the engine raises on purpose, each carrying what the user needs to fix it."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration value is wrong: names the file, the key and the expected form.

    For an unknown key or section, `suggestion` is the nearest valid name, so a
    typo reads "did you mean max_count?" rather than a list to search.
    """

    def __init__(self, key: str, expected: str, got: object = None, source: str | None = None,
                 suggestion: str | None = None) -> None:
        self.key, self.expected, self.got, self.source, self.suggestion = key, expected, got, source, suggestion
        where = f" in {source}" if source else ""
        shown = f" (got {got!r})" if got is not None else ""
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        super().__init__(f"config key '{key}'{where}: expected {expected}{shown}{hint}")


class StoreError(Exception):
    """The store could not read or write; `path` names the file concerned."""

    def __init__(self, message: str, path: str | None = None) -> None:
        self.message, self.path = message, path
        super().__init__(f"{message} ({path})" if path else message)


class StoreWriteError(StoreError):
    """A write did not happen (disk full, read-only directory...). Nothing stored was changed."""


class StoreCorrupt(StoreError):
    """A store file cannot be parsed: never silently reset, the message names the file."""
