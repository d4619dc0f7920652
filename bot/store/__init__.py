"""Stores: the interface (base) and its implementations. TinyDB is the default."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.store.base import AVOIDED, GENERATED, Counts, Event, PeriodCounts, Store, workspace_total
from bot.store.tinydb_store import TinyStore

if TYPE_CHECKING:
    from bot.core.config import Config



def open_store(data_dir: str | Path) -> Store:
    """Open the embedded store in `data_dir` (created if missing)."""
    return TinyStore(data_dir)


def store_url(config: "Config") -> str | None:
    """The `[store] url` (checked with the configuration: a PostgreSQL URL), or None for the embedded store."""
    return config.store.url or None


def open_configured_store(config: "Config") -> Store:
    """The store the configuration asks for: PostgreSQL when `[store] url` is set, else TinyDB in data_dir.

    psycopg is imported only here, so the embedded store works without it.
    """
    url = store_url(config)
    if url is None:
        return open_store(config.data_dir)
    from bot.store.postgres_store import PostgresStore

    return PostgresStore(url)


__all__ = [
    "AVOIDED", "GENERATED", "Counts", "Event", "PeriodCounts", "Store", "TinyStore",
    "open_configured_store", "open_store", "store_url", "workspace_total",
]
