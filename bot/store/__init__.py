"""Stores: the interface (base) and its implementations. TinyDB is the default."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from bot.store.base import AVOIDED, GENERATED, Counts, Event, PeriodCounts, Store, workspace_total
from bot.store.tinydb_store import TinyStore

if TYPE_CHECKING:
    from bot.core.config import Config



def open_store(data_dir: str | Path, clock: Callable[[], float] = time.time) -> Store:
    """Open the embedded store in `data_dir` (created if missing); `clock`: the engine's, when it is not the
    real time (a benchmark's or a demo's history), so that the store judges which periods are finished alike."""
    return TinyStore(data_dir, clock)


def store_url(config: "Config") -> str | None:
    """The `[store] url` (checked with the configuration: a PostgreSQL URL), or None for the embedded store."""
    return config.store.url or None


def open_configured_store(config: "Config", clock: Callable[[], float] = time.time) -> Store:
    """The store the configuration asks for: PostgreSQL when `[store] url` is set, else TinyDB in data_dir
    (`clock`: see open_store).

    psycopg is imported only here, so the embedded store works without it.
    """
    url = store_url(config)
    if url is None:
        return open_store(config.data_dir, clock)
    from bot.store.postgres_store import PostgresStore

    return PostgresStore(url)


__all__ = [
    "AVOIDED", "GENERATED", "Counts", "Event", "PeriodCounts", "Store", "TinyStore",
    "open_configured_store", "open_store", "store_url", "workspace_total",
]
